import { proxyByChain } from "../../../server/rpc/chains";

/** /api/rpc[?chainId=]: the chain's node, for the methods the dApp calls (server/rpc/allowlist.ts). */
export function proxyChain(request: Request): Promise<Response> {
  return proxyByChain(request, "rpc");
}

/** /api/bundler[?chainId=]: the chain's ERC-4337 bundler, for the methods the dApp calls. */
export function proxyBundler(request: Request): Promise<Response> {
  return proxyByChain(request, "bundler");
}
