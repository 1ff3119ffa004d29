/**
 * Where the watcher may POST: never to loopback, private, link-local, carrier-grade NAT, multicast
 * or other special-purpose addresses, judged on the addresses the host name resolves to, at subscribe
 * time and again at every connection (the check runs inside the socket's DNS lookup, so a name that
 * later rebinds to 127.0.0.1 is refused too). The operator may allow them (env
 * CUSTOS_WEBHOOK_ALLOW_PRIVATE=1), as the local stack does for receivers on its own machine.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { AlertError } from "./errors.js";

export interface WebhookPolicy {
  /** Allow loopback and private destinations (local stacks, tests, receivers inside the operator's network). */
  allowPrivate: boolean;
  /** How long one delivery may take, connection to answer, before it counts as failed. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export function webhookPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookPolicy {
  const allow = (env.CUSTOS_WEBHOOK_ALLOW_PRIVATE ?? "").toLowerCase();
  const timeout = Number(env.CUSTOS_WEBHOOK_TIMEOUT_MS ?? DEFAULT_WEBHOOK_TIMEOUT_MS);
  return {
    allowPrivate: allow === "1" || allow === "true" || allow === "yes",
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_WEBHOOK_TIMEOUT_MS,
  };
}

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, bits, "ipv6");
}

/** True for an address a public webhook must not reach (IPv4-mapped IPv6 judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family === 6) return blocked.check(address, "ipv6");
  return true;
}

function refused(host: string, address: string): AlertError {
  return new AlertError(
    "WEBHOOK_NOT_ALLOWED",
    `the webhook host ${host} resolves to ${address}, a loopback or private address this server does not call`,
  );
}

/** Resolves `host` and returns its addresses; throws WEBHOOK_NOT_ALLOWED when one is private and the policy forbids it. */
export async function checkWebhookHost(host: string, policy: WebhookPolicy): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare)
    ? [bare]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(bare, { all: true }, (error, found) =>
          error
            ? reject(new AlertError("INVALID_SUBSCRIPTION", `the webhook host ${host} does not resolve`))
            : resolve(found.map((a) => a.address)),
        ),
      );
  if (!policy.allowPrivate) {
    const bad = addresses.find(isPrivateAddress);
    if (bad) throw refused(host, bad);
  }
  return addresses;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that refuses private addresses under `policy`: the address checked is
 * the address connected to.
 */
export function guardedLookup(policy: WebhookPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, []);
      const bad = policy.allowPrivate ? undefined : found.find((a) => isPrivateAddress(a.address));
      if (bad)
        return callback(
          Object.assign(new Error(refused(hostname, bad.address).shortMessage), { code: "EPRIVATE" }),
          [],
        );
      if (options.all) return callback(null, found);
      callback(null, found[0]!.address, found[0]!.family);
    });
  };
}
