import type { ApprovalRequest } from "@custos";
import { GuardianLabel } from "@/components/GuardianLabel";
import { ui } from "@/components/ui";

export const REQUEST_WHAT: Record<ApprovalRequest["kind"], string> = {
  Recovery: "move this account to a new owner (recovery)",
  Rotation: "replace this account's owner key at the owner's request (rotation)",
  CancelRecovery: "cancel the pending recovery of this account",
};

/** What an approval request asks, in a table a guardian checks before approving. */
export function RequestSummary({ request, testId }: { request: ApprovalRequest; testId?: string }) {
  return (
    <table data-testid={testId}>
      <tbody>
        <tr>
          <th scope="row">Asks to</th>
          <td>{REQUEST_WHAT[request.kind]}</td>
        </tr>
        <tr>
          <th scope="row">Account</th>
          <td>
            <GuardianLabel address={request.account} />
          </td>
        </tr>
        <tr>
          <th scope="row">
            {request.kind === "CancelRecovery" ? "Recovery being cancelled (new owner)" : "New owner"}
          </th>
          <td className={ui.mono}>{request.newOwner}</td>
        </tr>
        <tr>
          <th scope="row">Valid until</th>
          <td>{new Date(Number(request.deadline) * 1000).toUTCString()}</td>
        </tr>
      </tbody>
    </table>
  );
}
