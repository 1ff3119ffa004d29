import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * First-load JS per route: fetches each route's HTML from a running dApp, collects every JS chunk the
 * HTML references (script tags and the chunk list of the React Server Components payload), and sums
 * their gzipped sizes from app/.next/static. Legacy `nomodule` polyfills are left out, as `next build`
 * does. Usage: tsx app/scripts/first-load-js.ts [baseUrl] [distDir inside app/]
 */
export const ROUTES = [
  "/",
  "/create",
  "/dashboard",
  "/recover",
  "/rotate",
  "/backup",
  "/guardian",
  "/guardian/approve",
  "/alerts",
] as const;

export const BUDGET_KB = 350;

export interface RouteSize {
  route: string;
  chunks: number;
  gzipBytes: number;
}

const CHUNK = /(?:\/_next\/)?(static\/chunks\/[A-Za-z0-9_./[\]%-]+?\.js)/g;

/** `<script nomodule>`: legacy polyfills that module-capable browsers never download. */
const NO_MODULE =
  /<script[^>]*\bsrc="([^"]+)"[^>]*\bnomodule\b[^>]*>|<script[^>]*\bnomodule\b[^>]*\bsrc="([^"]+)"[^>]*>/gi;

export function chunksOf(html: string): string[] {
  const legacy = new Set(
    [...html.matchAll(NO_MODULE)].map((m) => decodeURIComponent((m[1] ?? m[2]!).replace(/^\/_next\//, ""))),
  );
  return [...new Set([...html.matchAll(CHUNK)].map((m) => decodeURIComponent(m[1]!)))].filter((c) => !legacy.has(c));
}

export async function measureFirstLoadJs(baseUrl: string, nextDir: string): Promise<RouteSize[]> {
  const gzipped = new Map<string, number>();
  const sizeOf = (chunk: string) => {
    if (!gzipped.has(chunk)) {
      const file = path.join(nextDir, chunk);
      gzipped.set(chunk, existsSync(file) ? gzipSync(readFileSync(file)).length : 0);
    }
    return gzipped.get(chunk)!;
  };
  const out: RouteSize[] = [];
  for (const route of ROUTES) {
    const res = await fetch(new URL(route, baseUrl));
    if (!res.ok) throw new Error(`${route} answered ${res.status}`);
    const chunks = chunksOf(await res.text());
    out.push({ route, chunks: chunks.length, gzipBytes: chunks.reduce((sum, c) => sum + sizeOf(c), 0) });
  }
  return out;
}

export function formatSizes(sizes: RouteSize[]): string {
  const lines = sizes.map(
    (s) =>
      `${s.route.padEnd(18)} ${(s.gzipBytes / 1024).toFixed(1).padStart(7)} KB gzip in ${s.chunks} chunks${s.gzipBytes / 1024 > BUDGET_KB ? `  OVER ${BUDGET_KB} KB` : ""}`,
  );
  return [`first-load JS per route (budget ${BUDGET_KB} KB gzipped)`, ...lines].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const baseUrl = process.argv[2] ?? "http://127.0.0.1:3000";
  const nextDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", process.argv[3] ?? ".next");
  const sizes = await measureFirstLoadJs(baseUrl, nextDir);
  console.log(formatSizes(sizes));
  if (sizes.some((s) => s.gzipBytes / 1024 > BUDGET_KB)) process.exitCode = 1;
}
