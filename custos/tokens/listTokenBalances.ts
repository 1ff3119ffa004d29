import { erc20Abi, getAddress, pad, toEventSelector, type Address, type PublicClient } from "viem";
import { logReader } from "../state/logs.js";

/** An ERC-20 token the account holds, with what a wallet shows for it. */
export interface TokenBalance {
  token: Address;
  symbol: string;
  name: string;
  decimals: number;
  balance: bigint;
}

const TRANSFER = toEventSelector("Transfer(address,address,uint256)");

/**
 * The ERC-20 tokens `account` holds: every token that ever moved to or from it (Transfer logs with the
 * account as either indexed party, read through the client's chunked and incremental log reader), then
 * `balanceOf` at the latest block; tokens with a zero balance or that do not answer as ERC-20 are left
 * out. ERC-721 transfers share the event signature but index the token id (four topics): skipped.
 */
export async function listTokenBalances(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n }: { fromBlock?: bigint } = {},
): Promise<TokenBalance[]> {
  const holder = pad(getAddress(account).toLowerCase() as Address, { size: 32 });
  const reader = logReader(client);
  const [incoming, outgoing] = await Promise.all([
    reader.getLogs({ topics: [TRANSFER, null, holder] }, { fromBlock }),
    reader.getLogs({ topics: [TRANSFER, holder] }, { fromBlock }),
  ]);
  const tokens = new Set<Address>();
  for (const log of [...incoming, ...outgoing]) if (log.topics.length === 3) tokens.add(getAddress(log.address));
  const read = async (token: Address): Promise<TokenBalance | undefined> => {
    try {
      const [balance, symbol, name, decimals] = await Promise.all([
        client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account] }),
        client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
        client.readContract({ address: token, abi: erc20Abi, functionName: "name" }).catch(() => ""),
        client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
      ]);
      return balance > 0n ? { token, symbol, name, decimals, balance } : undefined;
    } catch {
      return undefined; // not an ERC-20 that answers (self-destructed, non-standard)
    }
  };
  const balances = await Promise.all([...tokens].map(read));
  return balances.filter((b): b is TokenBalance => b !== undefined).sort((a, b) => a.symbol.localeCompare(b.symbol));
}
