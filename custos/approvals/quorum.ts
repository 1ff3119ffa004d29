/**
 * How many signatures each kind of request needs (the contract's rules, for UIs and pre-flight checks).
 * `n` is the number of guardians (for a cancel: when the recovery started).
 */

/** S1: the configured threshold of guardians. */
export function recoveryQuorum(threshold: bigint | number): number {
  return Number(threshold);
}

/** S3: ⌈(n+1)/2⌉ signatures drawn from the owner and the guardians. */
export function cancelQuorum(n: bigint | number): number {
  return Math.floor((Number(n) + 2) / 2);
}

/** S12: ⌈n/2⌉ guardians, besides the owner who submits. */
export function rotationQuorum(n: bigint | number): number {
  return Math.ceil(Number(n) / 2);
}
