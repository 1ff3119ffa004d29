import { spawn } from "node:child_process";
import { createWriteStream, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The suite's mail catcher (maildev): the dApp's e-mail alerts go to its SMTP port, tests read its REST inbox. */
export const MAIL_SMTP_PORT = 8705;
export const MAIL_WEB_PORT = 8706;

export interface CaughtMail {
  subject: string;
  text?: string;
  to: { address: string }[];
}

/** Starts maildev on loopback, its mail kept in `directory` (emptied first); resolves once its inbox answers. */
export async function startMailCatcher(directory: string, logFile: string): Promise<() => void> {
  rmSync(directory, { recursive: true, force: true });
  // maildev 3 exports no subpath, so its bin (package.json "bin") is named by its place in node_modules
  const bin = path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    "../../../node_modules/maildev/dist/bin/maildev.js",
  );
  const child = spawn(
    process.execPath,
    [
      bin,
      ...["--smtp", String(MAIL_SMTP_PORT), "--ip", "127.0.0.1"],
      ...["--web", String(MAIL_WEB_PORT), "--web-ip", "127.0.0.1"],
      ...["--mail-directory", directory],
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = createWriteStream(logFile, { flags: "a" });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  const start = Date.now();
  while (Date.now() - start < 20_000) {
    if (child.exitCode !== null) throw new Error(`maildev exited with ${child.exitCode} (see ${logFile})`);
    if (
      await inbox().then(
        () => true,
        () => false,
      )
    )
      return stop;
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`maildev did not answer on port ${MAIL_WEB_PORT} within 20 s`);
}

async function inbox(): Promise<CaughtMail[]> {
  const res = await fetch(`http://127.0.0.1:${MAIL_WEB_PORT}/api/email`);
  if (!res.ok) throw new Error(`maildev answered HTTP ${res.status}`);
  return (await res.json()) as CaughtMail[];
}

/** The newest mail to `address`, waiting up to `timeoutMs` for it to arrive. */
export async function mailTo(address: string, timeoutMs = 20_000): Promise<CaughtMail> {
  const start = Date.now();
  for (;;) {
    const mine = (await inbox()).filter((m) => m.to.some((t) => t.address.toLowerCase() === address.toLowerCase()));
    if (mine.length) return mine[mine.length - 1]!;
    if (Date.now() - start > timeoutMs) throw new Error(`no mail to ${address} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
