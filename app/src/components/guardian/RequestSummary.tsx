import type { ApprovalRequest } from "@custos";
import { GuardianLabel } from "@/components/GuardianLabel";
import { ui } from "@/components/ui";
import { REQUEST_WHAT, newOwnerHeading, validUntil } from "./requestText";

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
          <th scope="row">{newOwnerHeading(request.kind)}</th>
          <td className={ui.mono}>{request.newOwner}</td>
        </tr>
        <tr>
          <th scope="row">Valid until</th>
          <td>{validUntil(request)}</td>
        </tr>
      </tbody>
    </table>
  );
}
