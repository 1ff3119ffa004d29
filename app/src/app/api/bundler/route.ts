import { proxyJsonRpc } from "@/lib/jsonRpcProxy";
import { BUNDLER_RPC_URL } from "@/lib/serverEnv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return proxyJsonRpc(request, BUNDLER_RPC_URL);
}
