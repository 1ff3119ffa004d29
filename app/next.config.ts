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
  webpack: (config: { resolve: { extensionAlias?: Record<string, string[]> } }) => {
    config.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"] };
    return config;
  },
};

export default nextConfig;
