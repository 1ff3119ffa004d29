import { proxyBundler } from "@/lib/jsonRpcProxy";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return proxyBundler(request);
}
