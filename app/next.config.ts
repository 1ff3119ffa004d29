import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The e2e suite builds into test-results/next-e2e so a parallel `next build` of app/ cannot swap its chunks.
  distDir: process.env.CUSTOS_NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  turbopack: { root: repoRoot },
  outputFileTracingRoot: repoRoot,
  // Type-checking runs separately (`tsc -p app`): the build stays fast for the e2e suite.
  typescript: { ignoreBuildErrors: true },
  // The shared library (../custos) is ESM TypeScript that imports siblings as "./x.js".
  // The dApp imports it through its front doors (@custos, @custos/backup: tsconfig.json "paths"). Its
  // modules only declare, with no module-level side effects, so webpack bundles just the modules whose
  // exports a page uses: the barrels do not drag zxcvbn or the kit cipher out of their lazy chunks.
  webpack: (config: {
    resolve: { extensionAlias?: Record<string, string[]> };
    module: { rules: Array<Record<string, unknown>> };
  }) => {
    config.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"] };
    config.module.rules.push({ include: path.join(repoRoot, "custos"), sideEffects: false });
    return config;
  },
};

export default nextConfig;
