import { proxyChain } from "@/lib/jsonRpcProxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return proxyChain(request);
}
