import { formatEther, isHex, type Hex } from "viem";
import { checkExecute, sendEthCall, InvalidInputError, type Call } from "../../custos/index.js";
import {
  accountOption,
  ACCOUNT_HELP,
  connect,
  keyFromEnv,
  parse,
  parseAddress,
  parseEth,
  resolveAccount,
} from "./cli.js";
import { parseVia, sendOwnerCalls, VIA_HELP, VIA_OPTION } from "./transport.js";

const USAGE = `custos send --account <address> --to <address> --value <eth> [--data <hex>]

Sends ETH (and optionally calldata) from the account, signed by the owner key (CUSTOS_OWNER_KEY).

Options:
${ACCOUNT_HELP}
  --to <address>         recipient
  --value <eth>          amount of ETH, e.g. 0.25
  --data <hex>           calldata for a contract call (default none)
${VIA_HELP}`;

export async function runSendCommand(argv: string[]): Promise<void> {
  const parsed = parse(
    argv,
    { ...accountOption, to: { type: "string" }, value: { type: "string" }, data: { type: "string" }, ...VIA_OPTION },
    USAGE,
  );
  if (!parsed) return;
  const v = parsed.values;
  const via = parseVia(v.via);
  const ctx = await connect(v);
  const account = resolveAccount(v);
  const to = parseAddress(v.to, "--to");
  const value = v.value !== undefined ? parseEth(String(v.value), "--value") : 0n;
  const data = (v.data ?? "0x") as string;
  if (!isHex(data)) throw new InvalidInputError(`--data must be hex, not "${data}"`);
  const owner = keyFromEnv("CUSTOS_OWNER_KEY", "owner");
  const call: Call = data === "0x" ? sendEthCall(to, value) : { to, value, data: data as Hex };
  await checkExecute(ctx.client, { account, calls: [call], sender: owner.address, fromBlock: ctx.fromBlock });
  const result = await sendOwnerCalls(ctx, owner, account, [call], via);
  console.log(
    data === "0x"
      ? `sent ${formatEther(value)} ETH to ${to} (transaction ${result.transactionHash})`
      : `called ${to}${value > 0n ? ` with ${formatEther(value)} ETH` : ""} (transaction ${result.transactionHash})`,
  );
}
