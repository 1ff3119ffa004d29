/**
 * Delivers a signed approval to the dApp's approval API. A 409 DUPLICATE means this signer's approval
 * is already stored (a retry after a lost answer, or a second tab): it is delivered, not an error.
 * `origin` is for callers outside the browser page (tests, tools); the page posts same-origin.
 */
export async function postApproval(
  id: string,
  approvalJson: string,
  origin = "",
): Promise<"stored" | "already stored"> {
  const res = await fetch(`${origin}/api/requests/${encodeURIComponent(id)}/approvals`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ approval: approvalJson }),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (res.ok) return "stored";
  if (res.status === 409 && body.error?.code === "DUPLICATE") return "already stored";
  throw new Error(body.error?.message ?? `The approval server answered ${res.status}.`);
}
