import {
  decodeEventLog,
  encodeEventTopics,
  getAddress,
  isAddressEqual,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { accountCreationBlock } from "../state/events.js";
import { logReader } from "../state/logs.js";
import { approvalForAllAbi, erc20ApprovalAbi, erc721ApprovalAbi } from "./abis.js";

/** An approval the account granted and that still holds. */
export type TokenApproval =
  | { kind: "erc20"; token: Address; spender: Address; allowance: bigint }
  | { kind: "erc721"; token: Address; spender: Address; tokenId: bigint }
  | { kind: "operator"; token: Address; spender: Address };

const ZERO = "0x0000000000000000000000000000000000000000";

/**
 * Rebuilds the approvals `account` granted from `Approval` (ERC-20, and ERC-721 per token) and
 * `ApprovalForAll` (ERC-721/1155 operators) logs whose owner topic is the account, then keeps those
 * the token contracts still honour (allowance() > 0, getApproved() = spender, isApprovedForAll()).
 * Logs are read from the account's creation block (an account grants nothing before it exists), found
 * from its first event since `fromBlock` (pass the deployment block), chunked and incremental.
 */
export async function listTokenApprovals(
  client: PublicClient,
  account: Address,
  { fromBlock = 0n }: { fromBlock?: bigint } = {},
): Promise<TokenApproval[]> {
  const owner = getAddress(account);
  const created = await accountCreationBlock(client, owner, { fromBlock });
  if (created === undefined) return []; // no account there yet: it cannot have approved anything
  const reader = logReader(client);
  const range = { fromBlock: created };
  const [approvalLogs, operatorLogs] = await Promise.all([
    reader.getLogs(
      { topics: encodeEventTopics({ abi: erc20ApprovalAbi, eventName: "Approval", args: { owner } }) },
      range,
    ),
    reader.getLogs(
      { topics: encodeEventTopics({ abi: approvalForAllAbi, eventName: "ApprovalForAll", args: { owner } }) },
      range,
    ),
  ]);

  const candidates = new Map<string, TokenApproval>();
  for (const log of approvalLogs) {
    const token = getAddress(log.address);
    const topics = log.topics as readonly Hex[];
    if (topics.length === 4) {
      // ERC-721: tokenId is indexed, so the log has four topics and no data.
      const { args } = decodeEventLog({
        abi: erc721ApprovalAbi,
        data: log.data,
        topics: topics as [Hex, ...Hex[]],
      });
      candidates.set(`721:${token}:${args.tokenId}`, {
        kind: "erc721",
        token,
        spender: getAddress(args.approved),
        tokenId: args.tokenId,
      });
    } else if (topics.length === 3) {
      const spender = getAddress(`0x${topics[2]!.slice(26)}`);
      candidates.set(`20:${token}:${spender}`, { kind: "erc20", token, spender, allowance: 0n });
    }
  }
  for (const log of operatorLogs) {
    if (log.topics.length !== 3) continue;
    const token = getAddress(log.address);
    const spender = getAddress(`0x${log.topics[2]!.slice(26)}`);
    candidates.set(`op:${token}:${spender}`, { kind: "operator", token, spender });
  }

  const checked = await Promise.all(
    [...candidates.values()].map(async (approval): Promise<TokenApproval | undefined> => {
      try {
        if (approval.kind === "erc20") {
          const allowance = await client.readContract({
            address: approval.token,
            abi: erc20ApprovalAbi,
            functionName: "allowance",
            args: [owner, approval.spender],
          });
          return allowance > 0n ? { ...approval, allowance } : undefined;
        }
        if (approval.kind === "erc721") {
          if (isAddressEqual(approval.spender, ZERO)) return undefined;
          const current = await client.readContract({
            address: approval.token,
            abi: erc721ApprovalAbi,
            functionName: "getApproved",
            args: [approval.tokenId],
          });
          return isAddressEqual(current, approval.spender) ? approval : undefined;
        }
        const approved = await client.readContract({
          address: approval.token,
          abi: approvalForAllAbi,
          functionName: "isApprovedForAll",
          args: [owner, approval.spender],
        });
        return approved ? approval : undefined;
      } catch {
        return undefined; // the token no longer answers (self-destructed, non-standard): nothing to revoke
      }
    }),
  );
  return checked.filter((a): a is TokenApproval => a !== undefined);
}
