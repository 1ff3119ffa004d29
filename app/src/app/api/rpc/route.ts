import { proxyJsonRpc } from "@/lib/jsonRpcProxy";
import { CHAIN_RPC_URL } from "@/lib/serverEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return proxyJsonRpc(request, CHAIN_RPC_URL);
}
