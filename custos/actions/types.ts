import type { Account, Address, Chain, Hash, Hex, TransactionReceipt, Transport, WalletClient } from "viem";

/** One call: what a transaction or a UserOperation (through `execute`) performs. */
export interface Call {
  to: Address;
  data: Hex;
  value: bigint;
}

/** A wallet client with an account attached: the sender of plain transactions. */
export type SenderClient = WalletClient<Transport, Chain | undefined, Account>;

export interface TransactionResult {
  hash: Hash;
  receipt: TransactionReceipt;
}
