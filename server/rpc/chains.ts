/**
 * The proxies by chain (R3): `/api/rpc?chainId=<id>` and `/api/bundler?chainId=<id>` forward to that
 * chain's configured upstream (server/deployment.ts `servedChains`); without `chainId` they forward to
 * the default network's endpoints, as before. A malformed id is a 400 and a chain this server does not
 * serve a 404, both as JSON-RPC errors that name the chains it does serve.
 */
import { servedChains, servedEndpoints } from "../deployment.js";
import { jsonResponse } from "../http/errors.js";
import { BUNDLER_METHODS, CHAIN_METHODS } from "./allowlist.js";
import { proxyJsonRpc } from "./proxy.js";

export type Upstream = "rpc" | "bundler";

const refusal = (status: number, message: string) =>
  jsonResponse({ jsonrpc: "2.0", id: null, error: { code: -32602, message } }, status);

/** The upstream URL for `request`'s `?chainId=`, or the refusal to send back. */
export function upstreamFor(request: Request, kind: Upstream, env: NodeJS.ProcessEnv = process.env): string | Response {
  const given = new URL(request.url).searchParams.get("chainId");
  if (given === null) return kind === "rpc" ? servedEndpoints(env).rpcUrl : servedEndpoints(env).bundlerUrl;
  if (!/^[1-9]\d{0,15}$/.test(given)) return refusal(400, `chainId must be a chain id in decimal, not "${given}".`);
  const chains = servedChains(env);
  const chain = chains.find((c) => c.chainId === Number(given));
  const served = chains.map((c) => `${c.chainId} (${c.network})`).join(", ") || "none";
  if (!chain) return refusal(404, `This dApp serves no chain ${given}; it serves ${served}.`);
  if (kind === "bundler" && !chain.bundlerUrl) {
    return refusal(404, `No bundler is configured for chain ${given} (${chain.network}).`);
  }
  return kind === "rpc" ? chain.rpcUrl : chain.bundlerUrl!;
}

/** The same-origin proxy of `kind` for the chain the request names. */
export function proxyByChain(
  request: Request,
  kind: Upstream,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Response> {
  const upstream = upstreamFor(request, kind, env);
  if (upstream instanceof Response) return Promise.resolve(upstream);
  return proxyJsonRpc(request, { upstream, methods: kind === "rpc" ? CHAIN_METHODS : BUNDLER_METHODS });
}
