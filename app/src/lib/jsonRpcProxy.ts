import { BUNDLER_METHODS, CHAIN_METHODS } from "../../../server/rpc/allowlist";
import { proxyJsonRpc } from "../../../server/rpc/proxy";
import { servedEndpoints } from "../../../server/deployment";

/** /api/rpc: the chain node, for the methods the dApp calls (server/rpc/allowlist.ts). */
export function proxyChain(request: Request): Promise<Response> {
  return proxyJsonRpc(request, { upstream: servedEndpoints().rpcUrl, methods: CHAIN_METHODS });
}

/** /api/bundler: the ERC-4337 bundler, for the methods the dApp calls. */
export function proxyBundler(request: Request): Promise<Response> {
  return proxyJsonRpc(request, { upstream: servedEndpoints().bundlerUrl, methods: BUNDLER_METHODS });
}
