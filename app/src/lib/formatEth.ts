import { formatEther } from "viem";

/** An ETH amount with at most 6 decimals, cut (never rounded up, so a balance is never overstated). */
export function formatEthShort(wei: bigint): string {
  const [whole, fraction = ""] = formatEther(wei).split(".");
  const kept = fraction.slice(0, 6).replace(/0+$/, "");
  return kept ? `${whole}.${kept}` : whole!;
}
