import { handleSubscribe } from "../../../../../../server/alerts/api";
import { noDeployment, servedChainId } from "../chain";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  const chainId = servedChainId();
  return chainId === undefined ? noDeployment() : handleSubscribe(request, chainId);
}
