import type { ChangedKit, RecoveryBackup } from "@custos/backup";
import type { KdfReply, KdfRequest } from "./workers/kdf.worker";

/** A worker-side failure rebuilt with the library's sentence (shortMessage) and stable code. */
export class KdfError extends Error {
  readonly shortMessage?: string;
  readonly code?: string;
  constructor(e: { name: string; message: string; shortMessage?: string; code?: string }) {
    super(e.message);
    this.name = e.name;
    this.shortMessage = e.shortMessage;
    this.code = e.code;
  }
}

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<
  number,
  { resolve: (reply: KdfReply) => void; reject: (e: unknown) => void; onProgress?: (f: number) => void }
>();

function kdfWorker(): Worker | undefined {
  if (typeof Worker === "undefined") return undefined;
  if (!worker) {
    worker = new Worker(new URL("./workers/kdf.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<KdfReply>) => {
      const reply = event.data;
      const w = waiting.get(reply.id);
      if (!w) return;
      if ("progress" in reply) return w.onProgress?.(reply.progress);
      waiting.delete(reply.id);
      if ("error" in reply) w.reject(new KdfError(reply.error));
      else w.resolve(reply);
    };
  }
  return worker;
}

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

function run(request: WithoutId<KdfRequest>, onProgress?: (f: number) => void): Promise<KdfReply> | undefined {
  const w = kdfWorker();
  if (!w) return undefined;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, onProgress });
    w.postMessage({ ...request, id } as KdfRequest);
  });
}

/** encryptKit in a Web Worker (falls back to this thread where workers are missing). */
export async function encryptKitInWorker(
  backup: RecoveryBackup,
  password: string,
  onProgress?: (fraction: number) => void,
): Promise<string> {
  const reply = run({ op: "encrypt", backup, password }, onProgress);
  if (!reply) return (await import("@custos/backup")).encryptKit(backup, password, { onProgress });
  return ((await reply) as { kit: string }).kit;
}

/** decryptKit in a Web Worker (falls back to this thread where workers are missing). */
export async function decryptKitInWorker(
  kit: string,
  password: string,
  onProgress?: (fraction: number) => void,
): Promise<RecoveryBackup> {
  const reply = run({ op: "decrypt", kit, password }, onProgress);
  if (!reply) return (await import("@custos/backup")).decryptKit(kit, password, { onProgress });
  return ((await reply) as { backup: RecoveryBackup }).backup;
}

/** changeKitPassword (B6) in a Web Worker (falls back to this thread where workers are missing). */
export async function changeKitPasswordInWorker(
  kit: string,
  oldPassword: string,
  newPassword: string,
  onProgress?: (fraction: number) => void,
): Promise<ChangedKit> {
  const reply = run({ op: "change", kit, oldPassword, newPassword }, onProgress);
  if (!reply) return (await import("@custos/backup")).changeKitPassword(kit, oldPassword, newPassword, { onProgress });
  return ((await reply) as { changed: ChangedKit }).changed;
}
