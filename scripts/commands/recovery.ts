import { isAddressEqual } from "viem";
import {
  createCustosBundlerClient,
  sendCancelRecoveryUserOp,
  sendExecuteRecoveryUserOp,
  sendStartRecoveryUserOp,
  toRecoverySmartAccount,
  assertIncluded,
  prepareStartRecovery,
  prepareExecuteRecovery,
  requireExecutable,
  prepareCancelRecovery,
  loadAccountContext,
  collectApprovals,
  sendCall,
  AccountStateError,
  InvalidInputError,
  formatDuration,
  buildApprovalRequest,
  encodeSignedApproval,
  signApproval,
} from "../../custos/index.js";
import type { PrivateKeyAccount } from "viem/accounts";
import {
  accountOption,
  ACCOUNT_HELP,
  bundlerAvailable,
  connect,
  keyFromEnv,
  output,
  parse,
  parseUint,
  relayerKey,
  subcommand,
  resolveAccount,
  UsageError,
  type CliContext,
} from "./cli.js";
import {
  approveOnChain,
  CONTRACT_GUARDIAN_OPTIONS,
  printRequest,
  readApprovals,
  readRequest,
  resolveNewOwner,
  signRequest,
  DEFAULT_APP_URL,
} from "./approvalArgs.js";
import { progress } from "./transport.js";

const USAGE = `custos recovery <request|approve|start|execute|cancel-approve|cancel> [options]

The lost-signer recovery (S1, S8): the user proposes a new owner key, threshold guardians sign the
request, anyone starts the recovery with the signatures, and after the recovery delay anyone executes it.

  custos recovery request --account <a> [--new-owner <a>] [--valid-for 7d] [--app-url <url>] [--out <file>]
      prints the request JSON (and a link for the dApp); the new owner is --new-owner, the address of
      CUSTOS_NEW_OWNER_KEY, or a freshly generated key printed once
  custos recovery approve --request <json|link|file> [--out <file>]
      a guardian (CUSTOS_GUARDIAN_KEY) signs the request; prints the signature JSON
  custos recovery approve --request <json|link|file> --safe <address> [--out <file>]
      a Safe guardian approves on-chain: writes the Safe transaction its owners sign (custos safe sign)
      and anyone sends (custos safe exec)
  custos recovery approve --request <json|link|file> --from-account <address>
      a Custos account guardian approves on-chain with a UserOperation signed by its owner
      (CUSTOS_OWNER_KEY); the recovery starts by itself once threshold approvals are recorded
  custos recovery start --account <a> <signature files or JSON texts...> [--userop]
      verifies and aggregates the signatures and starts the recovery; --userop sends it as a
      UserOperation paid by the account and signed by the new owner (CUSTOS_NEW_OWNER_KEY), otherwise
      a transaction paid by CUSTOS_RELAYER_KEY (Hardhat's dev key on a local chain); approvals that
      contract guardians recorded on-chain for the same request count
  custos recovery execute --account <a> [--userop]
      executes the recovery once its delay has passed (--userop: signed by CUSTOS_NEW_OWNER_KEY)
  custos recovery cancel-approve --account <a> [--signer owner|guardian] [--deadline <unix s>] [--out <file>]
      the owner (CUSTOS_OWNER_KEY) or a guardian (CUSTOS_GUARDIAN_KEY) signs a cancellation
  custos recovery cancel-approve --account <a> --deadline <unix s> --safe <a> | --from-account <a>
      a contract guardian approves the cancel on-chain, as for approve; --deadline is the one printed
      with the owner's signature, so that the two add up
  custos recovery cancel --account <a> <signature files or JSON texts...> [--userop]
      cancels with ⌈(n+1)/2⌉ signatures of owner and guardians (--userop: signed by CUSTOS_OWNER_KEY)

Options:
${ACCOUNT_HELP}
  --userop               send as a UserOperation through the bundler, paid by the account
  --safe <address>       the guardian is this Safe: write the Safe transaction for its owners
  --from-account <a>     the guardian is this Custos account: approve with its owner's UserOperation
  --deadline <unix s>    the cancel approval's deadline (default: in seven days)
  --out <file>           write the JSON to a file instead of stdout`;

async function recoveryBundler(ctx: CliContext, account: `0x${string}`, signer: PrivateKeyAccount) {
  if (!(await bundlerAvailable(ctx.bundlerUrl))) {
    throw new InvalidInputError(`no bundler answers at ${ctx.bundlerUrl} (is \`npm start\` running?)`);
  }
  const smartAccount = await toRecoverySmartAccount({ client: ctx.client, account, signer });
  return createCustosBundlerClient({ client: ctx.client, account: smartAccount, bundlerUrl: ctx.bundlerUrl });
}

function done(what: string, result: { transactionHash: string; userOpHash?: string }) {
  console.log(
    result.userOpHash
      ? `${what} (UserOperation ${result.userOpHash}, transaction ${result.transactionHash})`
      : `${what} (transaction ${result.transactionHash})`,
  );
}

export async function runRecoveryCommand(argv: string[]): Promise<void> {
  const command = subcommand(
    argv,
    USAGE,
    ["request", "approve", "start", "execute", "cancel-approve", "cancel"],
    "recovery",
  );
  if (!command) return;
  const { sub, rest } = command;
  const parsed = parse(
    rest,
    {
      ...accountOption,
      "new-owner": { type: "string" },
      "valid-for": { type: "string" },
      "app-url": { type: "string", default: DEFAULT_APP_URL },
      request: { type: "string" },
      out: { type: "string" },
      userop: { type: "boolean", default: false },
      signer: { type: "string" },
      deadline: { type: "string" },
      ...CONTRACT_GUARDIAN_OPTIONS,
    },
    USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  const ctx = await connect(v);

  if (sub === "request") {
    const account = resolveAccount(v);
    const live = await loadAccountContext(ctx.client, account, { fromBlock: ctx.fromBlock });
    if (live.recovering) throw new AccountStateError("RECOVERING", "a recovery is already pending on this account");
    const newOwner = resolveNewOwner(v["new-owner"]);
    return printRequest(ctx, "Recovery", account, newOwner.address, v);
  }
  if (sub === "approve") {
    if (v.safe !== undefined || v["from-account"] !== undefined) {
      return approveOnChain(ctx, readRequest(ctx, v.request, ["Recovery"]), v);
    }
    return signRequest(ctx, keyFromEnv("CUSTOS_GUARDIAN_KEY", "guardian"), v.request, ["Recovery"], v.out);
  }

  const account = resolveAccount(v);
  if (sub === "start") {
    const approvals = readApprovals(parsed.positionals);
    const prepared = await prepareStartRecovery(ctx.client, {
      account,
      approvals,
      fromBlock: ctx.fromBlock,
      forUserOperation: v.userop,
    });
    let result;
    if (v.userop) {
      const signer = keyFromEnv("CUSTOS_NEW_OWNER_KEY", "new owner");
      if (!isAddressEqual(signer.address, prepared.newOwner)) {
        throw new InvalidInputError(
          `CUSTOS_NEW_OWNER_KEY is ${signer.address}, but the approvals are for new owner ${prepared.newOwner}`,
        );
      }
      const bundlerClient = await recoveryBundler(ctx, account, signer);
      const final = await sendStartRecoveryUserOp(
        bundlerClient,
        {
          newOwner: prepared.newOwner,
          deadline: prepared.deadline,
          config: prepared.context.config,
          signatures: prepared.signatures,
        },
        { onState: progress },
      );
      const receipt = assertIncluded(final);
      result = { transactionHash: receipt.receipt.transactionHash, userOpHash: receipt.userOpHash };
    } else {
      const { hash } = await sendCall(ctx.client, ctx.wallet(relayerKey(ctx)), prepared.call);
      result = { transactionHash: hash };
    }
    done(
      `recovery to ${prepared.newOwner} started with ${prepared.count} of ${prepared.required} approvals; ` +
        `executable in ${formatDuration(prepared.context.config.recoveryDelay)}`,
      result,
    );
    return;
  }
  if (sub === "execute") {
    const live = await loadAccountContext(ctx.client, account, { fromBlock: ctx.fromBlock });
    const recovery = requireExecutable(live);
    let result;
    if (v.userop) {
      const signer = keyFromEnv("CUSTOS_NEW_OWNER_KEY", "new owner");
      if (!isAddressEqual(signer.address, recovery.newOwner)) {
        throw new InvalidInputError(
          `CUSTOS_NEW_OWNER_KEY is ${signer.address}, but the pending new owner is ${recovery.newOwner}`,
        );
      }
      const final = await sendExecuteRecoveryUserOp(await recoveryBundler(ctx, account, signer), { onState: progress });
      const receipt = assertIncluded(final);
      result = { transactionHash: receipt.receipt.transactionHash, userOpHash: receipt.userOpHash };
    } else {
      const call = await prepareExecuteRecovery(ctx.client, { account, config: live.config });
      const { hash } = await sendCall(ctx.client, ctx.wallet(relayerKey(ctx)), call);
      result = { transactionHash: hash };
    }
    done(`recovery executed: ${recovery.newOwner} is now the owner of ${account}`, result);
    return;
  }
  if (sub === "cancel-approve") {
    const deadline = v.deadline !== undefined ? parseUint(String(v.deadline), "--deadline") : undefined;
    if (v.safe !== undefined || v["from-account"] !== undefined) {
      if (deadline === undefined) {
        throw new UsageError(
          "--deadline is required with --safe or --from-account: the deadline of the owner's cancel signature (see --help)",
        );
      }
      const request = await buildApprovalRequest(ctx.client, { account, kind: "CancelRecovery", deadline });
      return approveOnChain(ctx, request, v);
    }
    const role = v.signer ?? (process.env.CUSTOS_GUARDIAN_KEY ? "guardian" : "owner");
    if (role !== "owner" && role !== "guardian")
      throw new InvalidInputError(`--signer must be owner or guardian, not "${role}"`);
    const key =
      role === "owner" ? keyFromEnv("CUSTOS_OWNER_KEY", "owner") : keyFromEnv("CUSTOS_GUARDIAN_KEY", "guardian");
    const live = await loadAccountContext(ctx.client, account, { fromBlock: ctx.fromBlock });
    const request = await buildApprovalRequest(ctx.client, { account, kind: "CancelRecovery", deadline });
    const signed = await signApproval(key, request);
    await collectApprovals(ctx.client, live, "CancelRecovery", [signed], { requireQuorum: false });
    output(encodeSignedApproval(signed), v.out);
    console.error(
      `signed the cancellation of the recovery to ${request.newOwner} as ${role} ${key.address} ` +
        `(deadline ${request.deadline}: a contract guardian approves with the same --deadline)`,
    );
    return;
  }
  // cancel
  const approvals = readApprovals(parsed.positionals);
  const call = await prepareCancelRecovery(ctx.client, { account, approvals, fromBlock: ctx.fromBlock });
  let result;
  if (v.userop) {
    const live = await loadAccountContext(ctx.client, account, { fromBlock: ctx.fromBlock });
    const collected = await collectApprovals(ctx.client, live, "CancelRecovery", approvals, {
      forUserOperation: true,
    });
    const signer = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
    const final = await sendCancelRecoveryUserOp(
      await recoveryBundler(ctx, account, signer),
      { deadline: collected.deadline, config: live.config, signatures: collected.signatures },
      { onState: progress },
    );
    const receipt = assertIncluded(final);
    result = { transactionHash: receipt.receipt.transactionHash, userOpHash: receipt.userOpHash };
  } else {
    const { hash } = await sendCall(ctx.client, ctx.wallet(relayerKey(ctx)), call);
    result = { transactionHash: hash };
  }
  done("recovery cancelled", result);
}
