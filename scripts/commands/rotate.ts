import { prepareRotateOwner, readCurrentConfig, InvalidInputError } from "../../custos/index.js";
import {
  accountOption,
  ACCOUNT_HELP,
  connect,
  keyFromEnv,
  parse,
  parseAddress,
  subcommand,
  resolveAccount,
} from "./cli.js";
import { DEFAULT_APP_URL, printRequest, readApprovals, resolveNewOwner, signRequest } from "./approvalArgs.js";
import { parseVia, sendOwnerCalls, VIA_HELP, VIA_OPTION } from "./transport.js";

const USAGE = `custos rotate <request|approve|submit> [options]

Signer rotation (S12, the seed was exposed): the owner replaces its key at once, keeping the address,
with the approvals of ⌈n/2⌉ guardians (none when the account has no guardians). Same request and
signature formats as recovery.

  custos rotate request --account <a> [--new-owner <a>] [--valid-for 1d] [--app-url <url>] [--out <file>]
      the new owner is --new-owner, CUSTOS_NEW_OWNER_KEY's address, or a fresh key printed once
  custos rotate approve --request <json|link|file> [--out <file>]
      a guardian (CUSTOS_GUARDIAN_KEY) signs; prints the signature JSON
  custos rotate submit --account <a> [--new-owner <a>] <signature files or JSON texts...>
      the current owner (CUSTOS_OWNER_KEY) rotates to the new owner

Options:
${ACCOUNT_HELP}
  --out <file>           write the JSON to a file instead of stdout
${VIA_HELP}`;

export async function runRotateCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, USAGE, ["request", "approve", "submit"], "rotate");
  if (!command) return;
  const { sub, rest } = command;
  const parsed = parse(
    rest,
    {
      ...accountOption,
      ...VIA_OPTION,
      "new-owner": { type: "string" },
      "valid-for": { type: "string" },
      "app-url": { type: "string", default: DEFAULT_APP_URL },
      request: { type: "string" },
      out: { type: "string" },
    },
    USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  const via = parseVia(v.via);
  const ctx = await connect(v);
  if (sub === "request") {
    const account = resolveAccount(v);
    return printRequest(ctx, "Rotation", account, resolveNewOwner(v["new-owner"]).address, v);
  }
  if (sub === "approve") {
    return signRequest(ctx, keyFromEnv("CUSTOS_GUARDIAN_KEY", "guardian"), v.request, ["Rotation"], v.out);
  }
  const account = resolveAccount(v);
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
  const config = await readCurrentConfig(ctx.client, account, { fromBlock: ctx.fromBlock });
  const approvals =
    config.guardians.length === 0 && parsed.positionals.length === 0 ? [] : readApprovals(parsed.positionals);
  const newOwner = v["new-owner"] !== undefined ? parseAddress(v["new-owner"], "--new-owner") : approvals[0]?.newOwner;
  if (!newOwner) throw new InvalidInputError("--new-owner is required when the account has no guardians");
  const call = await prepareRotateOwner(ctx.client, { account, newOwner, approvals, sender: owner.address, config });
  const result = await sendOwnerCalls(ctx, owner, account, [call], via);
  console.log(`owner rotated to ${newOwner} (transaction ${result.transactionHash})`);
}
