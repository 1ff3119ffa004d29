import { formatEther, getAddress, isAddressEqual } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { getFactoryData, normalizeConfig, predictAccountAddress, checked, sendCall } from "../../custos/index.js";
import {
  connect,
  parse,
  parseAddress,
  parseDuration,
  parseEth,
  parseKey,
  parseUint,
  relayerKey,
  subcommand,
} from "./cli.js";
import { parseVia, resolveVia, sendOwnerCalls, VIA_HELP, VIA_OPTION } from "./transport.js";

const USAGE = `custos account create [options]

Creates a Custos account: the owner key comes from CUSTOS_OWNER_KEY, or a new key is generated and
printed ONCE. The account is deployed by its first UserOperation through the bundler (the account pays
its gas, so it is funded first), or by a factory transaction when no bundler answers.

Options:
  --guardian <address>        a guardian (repeat for several)
  --threshold <n>             approvals needed to recover (default: a majority of the guardians)
  --recovery-delay <d>        e.g. 2m, 48h (default 2m: demo bounds on a local chain)
  --security-period <d>       default 30s
  --security-window <d>       default 60s
  --lock-period <d>           default 5m
  --salt <n>                  CREATE2 salt (default 0)
  --fund <eth>                ETH sent to the account from the relayer key first (default 0.1 on chain 31337)
${VIA_HELP}`;

export async function runAccountCommand(argv: string[]): Promise<void> {
  const command = subcommand(argv, USAGE, ["create"], "account");
  if (!command) return;
  const { rest } = command;
  const parsed = parse(
    rest,
    {
      guardian: { type: "string", multiple: true, default: [] },
      threshold: { type: "string" },
      "recovery-delay": { type: "string", default: "2m" },
      "security-period": { type: "string", default: "30s" },
      "security-window": { type: "string", default: "60s" },
      "lock-period": { type: "string", default: "5m" },
      salt: { type: "string", default: "0" },
      fund: { type: "string" },
      ...VIA_OPTION,
    },
    USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  const via = parseVia(v.via);
  const ctx = await connect(v);
  const guardians = (v.guardian as string[]).map((g) => parseAddress(g, "--guardian"));
  const threshold =
    v.threshold !== undefined
      ? parseUint(String(v.threshold), "--threshold")
      : guardians.length === 0
        ? 0n
        : BigInt(Math.floor(guardians.length / 2) + 1);
  const config = checked(
    normalizeConfig({
      guardians,
      threshold,
      recoveryDelay: parseDuration(String(v["recovery-delay"]), "--recovery-delay"),
      securityPeriod: parseDuration(String(v["security-period"]), "--security-period"),
      securityWindow: parseDuration(String(v["security-window"]), "--security-window"),
      lockPeriod: parseDuration(String(v["lock-period"]), "--lock-period"),
    }),
  );
  const salt = parseUint(String(v.salt), "--salt");

  let owner;
  if (process.env.CUSTOS_OWNER_KEY) {
    owner = parseKey(process.env.CUSTOS_OWNER_KEY, "CUSTOS_OWNER_KEY");
  } else {
    const key = generatePrivateKey();
    owner = privateKeyToAccount(key);
    console.error("WARNING: no CUSTOS_OWNER_KEY given, so a new owner key was generated. It is printed ONCE:");
    console.error(`  CUSTOS_OWNER_KEY=${key}`);
    console.error("Store it safely now: whoever holds it controls the account, and it is not saved anywhere.");
  }
  if (guardians.some((g) => isAddressEqual(g, owner.address))) {
    throw new Error("the owner cannot be a guardian of its own account");
  }

  const account = await predictAccountAddress(ctx.client, ctx.deployment.factory, owner.address, config, salt);
  const code = await ctx.client.getCode({ address: account });
  if (code && code !== "0x") {
    console.log(`account ${account} already exists (owner ${owner.address})`);
    return;
  }
  const mode = await resolveVia(ctx, via);
  const relayer = relayerKey(ctx);
  const fund =
    v.fund !== undefined
      ? parseEth(String(v.fund), "--fund")
      : ctx.deployment.chainId === 31337 && mode === "userop"
        ? 10n ** 17n
        : 0n;
  if (fund > 0n) {
    await sendCall(ctx.client, ctx.wallet(relayer), { to: account, value: fund, data: "0x" });
    console.error(`funded ${account} with ${formatEther(fund)} ETH`);
  }
  if (mode === "userop") {
    // The first UserOperation deploys the account (factory data) and makes a no-op call to itself.
    const result = await sendOwnerCalls(ctx, owner, account, [{ to: account, value: 0n, data: "0x" }], "userop", {
      config,
      salt,
    });
    console.error(`deployed by UserOperation ${result.userOpHash} (transaction ${result.transactionHash})`);
  } else {
    const { hash } = await sendCall(ctx.client, ctx.wallet(relayer), {
      to: ctx.deployment.factory,
      value: 0n,
      data: getFactoryData(owner.address, config, salt),
    });
    console.error(`deployed by factory transaction ${hash}`);
  }
  console.log(`account ${getAddress(account)}`);
  console.log(`owner ${owner.address}`);
  console.log(
    `guardians ${config.guardians.length ? config.guardians.join(",") : "none"} threshold ${config.threshold}`,
  );
}
