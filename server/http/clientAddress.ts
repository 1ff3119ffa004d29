/**
 * Who is asking: the socket address of the connection, never a header the client wrote. The Custos
 * app server (server/appServer.ts) stamps every request with the peer address and a token only this
 * process knows, so a client cannot forge the stamp. X-Forwarded-For is read only when the peer is a
 * trusted proxy (env CUSTOS_TRUSTED_PROXIES: addresses or CIDRs, comma-separated), and then its
 * right-most entry that is not itself a trusted proxy is the client. A request without the stamp
 * (plain `next start`) is never keyed on a header: all of them share one budget, and the dApp logs
 * a warning at startup (app/src/instrumentation.ts).
 */
import { randomBytes } from "node:crypto";
import { BlockList, isIP } from "node:net";

export const PEER_HEADER = "x-custos-peer";
const TOKEN = Symbol.for("custos.peerToken");

/** The per-process stamp token (created on first use; shared by the server and route handlers of one process). */
export function peerToken(): string {
  const global = globalThis as { [TOKEN]?: string };
  global[TOKEN] ??= randomBytes(16).toString("hex");
  return global[TOKEN];
}

/** The header value the app server sets on each request it accepts. */
export function peerStamp(address: string | undefined): string {
  return `${peerToken()} ${address ?? "unknown"}`;
}

export interface TrustedProxies {
  list: BlockList;
  any: boolean;
}

function normal(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

export function trustedProxiesFrom(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  let any = false;
  for (const entry of (value ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (!family) throw new Error(`CUSTOS_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address!, type);
    else list.addSubnet(address!, Number(bits), type);
    any = true;
  }
  return { list, any };
}

let fromEnv: TrustedProxies | undefined;
export function trustedProxiesFromEnv(): TrustedProxies {
  fromEnv ??= trustedProxiesFrom(process.env.CUSTOS_TRUSTED_PROXIES);
  return fromEnv;
}

function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const a = normal(address);
  const family = isIP(a);
  return family !== 0 && proxies.list.check(a, family === 4 ? "ipv4" : "ipv6");
}

/** The address stamped by this process's app server, or undefined for a request it did not accept. */
export function stampedPeer(request: Request): string | undefined {
  const stamp = request.headers.get(PEER_HEADER);
  if (!stamp) return undefined;
  const [token, address] = stamp.split(" ");
  return token === peerToken() && address ? normal(address) : undefined;
}

/** The one key every unstamped request shares (fail closed: one budget for all of them). */
export const UNIDENTIFIED = "unidentified";

/**
 * The client's address for rate limits. Without a stamp (the dApp run by plain `next start`, where a
 * route handler never sees the socket) every client shares one key, trusted proxies or not: the peer
 * is unknown, so nothing says X-Forwarded-For came from a proxy, and spoofing it never buys a fresh budget.
 */
export function clientAddress(request: Request, proxies: TrustedProxies = trustedProxiesFromEnv()): string {
  const peer = stampedPeer(request);
  if (peer === undefined) return UNIDENTIFIED;
  if (!proxies.any || !isTrusted(proxies, peer)) return peer;
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => normal(h.trim()))
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(proxies, hops[i]!)) return hops[i]!;
  return peer;
}

const SERVED = Symbol.for("custos.appServer");

/** Called by server/appServer.ts before Next starts: this process stamps every request. */
export function markStampingServer(): void {
  (globalThis as { [SERVED]?: boolean })[SERVED] = true;
}

/**
 * The startup warning for a process whose requests are not stamped (plain `next start`), or
 * undefined under server/appServer.ts. Logged once by the dApp's instrumentation hook.
 */
export function unstampedWarning(): string | undefined {
  if ((globalThis as { [SERVED]?: boolean })[SERVED]) return undefined;
  return "custos: requests are not stamped with their socket address (plain `next start`): every client shares one rate-limit budget and X-Forwarded-For is ignored; serve the dApp with `npm run start:app` (server/appServer.ts).";
}
