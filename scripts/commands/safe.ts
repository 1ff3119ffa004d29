import { readFileSync, writeFileSync } from "node:fs";
import { isAddressEqual } from "viem";
import {
  encodeSafeApproval,
  parseSafeApproval,
  safeApprovalExecCall,
  signSafeApproval,
  type SafeApproval,
  sendCall,
  custosAccountAbi,
  ApprovalError,
  InvalidInputError,
} from "../../custos/index.js";
import { connect, keyFromEnv, parse, relayerKey, subcommand, UsageError, type CliContext } from "./cli.js";

const USAGE = `custos safe <sign|exec> --tx <file> [options]

A Safe that guards a Custos account approves a recovery or a cancel with a Safe transaction
(made by \`custos recovery approve --safe\` or \`custos recovery cancel-approve --safe\`): its owners sign
it one after the other, then anyone sends it.

  custos safe sign --tx <file>
      an owner of the Safe (CUSTOS_GUARDIAN_KEY) adds its signature to the file
  custos safe exec --tx <file>
      once the Safe's threshold of owners signed, sends execTransaction from CUSTOS_RELAYER_KEY
      (any funded key; Hardhat's dev key on a local chain)

Options:
  --tx <file>            the Safe transaction file`;

function readFile(path: unknown): { path: string; approval: SafeApproval } {
  if (typeof path !== "string" || path === "") throw new UsageError("--tx is required (see --help)");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new InvalidInputError(`file ${path} not found (paths are relative to ${process.cwd()})`);
  }
  return { path, approval: parseSafeApproval(text) };
}

function requireChain(ctx: CliContext, approval: SafeApproval) {
  if (approval.transaction.chainId !== ctx.deployment.chainId) {
    throw new ApprovalError(
      "WRONG_CHAIN",
      `the Safe transaction is for chain ${approval.transaction.chainId}, but --network ${ctx.network} is chain ${ctx.deployment.chainId}`,
    );
  }
}

const what = (approval: SafeApproval) =>
  approval.request.kind === "Recovery"
    ? `the recovery of ${approval.request.account} to ${approval.request.newOwner}`
    : `the cancel of the recovery of ${approval.request.account}`;

export async function runSafeCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, USAGE, ["sign", "exec"], "safe");
  if (!command) return;
  const parsed = parse(command.rest, { tx: { type: "string" } }, USAGE);
  if (!parsed) return;
  const { path, approval } = readFile(parsed.values.tx);

  if (command.sub === "sign") {
    // Signing needs no chain: an owner may sign offline.
    const owner = keyFromEnv("CUSTOS_GUARDIAN_KEY", "Safe owner");
    const signed = await signSafeApproval(approval, owner);
    writeFileSync(path, `${encodeSafeApproval(signed)}\n`);
    const count = signed.signatures.length;
    console.log(
      `signed ${what(approval)} as Safe owner ${owner.address}: ${count} of ${approval.threshold} signatures` +
        (count >= approval.threshold ? "; ready for `custos safe exec`" : ""),
    );
    return;
  }

  const ctx = await connect(parsed.values);
  requireChain(ctx, approval);
  const call = await safeApprovalExecCall(ctx.client, approval);
  const { hash } = await sendCall(ctx.client, ctx.wallet(relayerKey(ctx)), call);
  const pending = await ctx.client.readContract({
    address: approval.request.account,
    abi: custosAccountAbi,
    functionName: "pendingRecovery",
  });
  const outcome =
    approval.request.kind === "Recovery"
      ? isAddressEqual(pending[0], approval.request.newOwner)
        ? "; the quorum is reached and the recovery has started"
        : "; the other guardians' signatures start it (`custos recovery start`)"
      : pending[0] === "0x0000000000000000000000000000000000000000"
        ? "; the quorum is reached and the recovery is cancelled"
        : "; the owner's or other guardians' signatures complete the cancel (`custos recovery cancel`)";
  console.log(
    `the Safe ${approval.transaction.safe} approved ${what(approval)} on-chain${outcome} (transaction ${hash})`,
  );
}
