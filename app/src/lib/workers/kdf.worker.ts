/// <reference lib="webworker" />
/**
 * The scrypt key derivation (≈ 0.4–6 s on a phone) off the main thread: the page stays responsive and
 * shows progress. Encrypts and decrypts kits with the library's own functions (custos/backup/kit).
 */
import { changeKitPassword, decryptKit, encryptKit, type ChangedKit, type RecoveryBackup } from "@custos/backup";

export type KdfRequest =
  | { id: number; op: "encrypt"; backup: RecoveryBackup; password: string }
  | { id: number; op: "decrypt"; kit: string; password: string }
  | { id: number; op: "change"; kit: string; oldPassword: string; newPassword: string };

export type KdfReply =
  | { id: number; progress: number }
  | { id: number; kit: string }
  | { id: number; backup: RecoveryBackup }
  | { id: number; changed: ChangedKit }
  | { id: number; error: { name: string; message: string; shortMessage?: string; code?: string } };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<KdfRequest>) => {
  const request = event.data;
  let last = 0;
  const onProgress = (fraction: number) => {
    if (fraction - last < 0.02 && fraction < 1) return;
    last = fraction;
    scope.postMessage({ id: request.id, progress: fraction } satisfies KdfReply);
  };
  try {
    if (request.op === "encrypt") {
      const kit = await encryptKit(request.backup, request.password, { onProgress });
      scope.postMessage({ id: request.id, kit } satisfies KdfReply);
    } else if (request.op === "decrypt") {
      const backup = await decryptKit(request.kit, request.password, { onProgress });
      scope.postMessage({ id: request.id, backup } satisfies KdfReply);
    } else {
      // the library reports the re-encryption's progress (the second half; opening with the old password is the first)
      onProgress(0);
      const changed = await changeKitPassword(request.kit, request.oldPassword, request.newPassword, {
        onProgress: (f) => onProgress(0.5 + f / 2),
      });
      scope.postMessage({ id: request.id, changed } satisfies KdfReply);
    }
  } catch (err) {
    const e = err as { name?: string; message?: string; shortMessage?: string; code?: string };
    scope.postMessage({
      id: request.id,
      error: { name: e.name ?? "Error", message: e.message ?? String(err), shortMessage: e.shortMessage, code: e.code },
    } satisfies KdfReply);
  }
};
