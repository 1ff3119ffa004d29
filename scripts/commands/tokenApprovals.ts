import { listTokenApprovals, type TokenApproval, revokeAllCalls, checkExecute } from "../../custos/index.js";
import { accountOption, ACCOUNT_HELP, connect, keyFromEnv, parse, subcommand, resolveAccount } from "./cli.js";
import { parseVia, sendOwnerCalls, VIA_HELP, VIA_OPTION } from "./transport.js";

const USAGE = `custos approvals <list|revoke-all> --account <address>

Token approvals the account granted (ERC-20 allowances, ERC-721 token approvals, ERC-721/1155
operators), rebuilt from Approval/ApprovalForAll logs and checked against the tokens' current state.
"revoke-all" withdraws every one of them in ONE batched UserOperation signed by CUSTOS_OWNER_KEY.

Options:
${ACCOUNT_HELP}
${VIA_HELP}`;

function describe(a: TokenApproval): string {
  if (a.kind === "erc20") return `ERC-20  ${a.token}  spender ${a.spender}  allowance ${a.allowance}`;
  if (a.kind === "erc721") return `ERC-721 ${a.token}  token #${a.tokenId} approved to ${a.spender}`;
  return `operator ${a.token}  ${a.spender} may move every token`;
}

export async function runApprovalsCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, USAGE, ["list", "revoke-all"], "approvals");
  if (!command) return;
  const { sub, rest } = command;
  const parsed = parse(rest, { ...accountOption, ...VIA_OPTION }, USAGE);
  if (!parsed) return;
  const v = parsed.values;
  const via = parseVia(v.via);
  const ctx = await connect(v);
  const account = resolveAccount(v);
  const approvals = await listTokenApprovals(ctx.client, account, { fromBlock: ctx.fromBlock });
  if (sub === "list") {
    if (approvals.length === 0) console.log("no token approvals outstanding");
    for (const a of approvals) console.log(describe(a));
    return;
  }
  if (approvals.length === 0) {
    console.log("no token approvals outstanding: nothing to revoke");
    return;
  }
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
  const calls = revokeAllCalls(approvals);
  await checkExecute(ctx.client, { account, calls, sender: owner.address, fromBlock: ctx.fromBlock });
  const result = await sendOwnerCalls(ctx, owner, account, calls, via);
  console.log(
    `revoked ${approvals.length} approval${approvals.length === 1 ? "" : "s"} in one ${result.userOpHash ? `UserOperation ${result.userOpHash}` : "transaction"} (transaction ${result.transactionHash})`,
  );
}
