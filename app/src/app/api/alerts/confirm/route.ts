import { handleConfirm } from "../../../../../../server/alerts/api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return handleConfirm(request);
}
