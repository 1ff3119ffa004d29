/**
 * Node-only helpers of the backup library (files and terminal prompts). The rest of
 * custos/backup is platform-neutral; browsers never import this file.
 */
import { randomBytes } from "node:crypto";
import { access, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { BackupError, EmptyInputError, OutputExistsError } from "./errors.js";

/** Reads a text file, with typed errors for a missing or empty file. */
export async function readTextFile(file: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new BackupError("FILE_NOT_FOUND", `The ${what} ${file} does not exist.`);
    throw new BackupError("FILE_UNREADABLE", `The ${what} ${file} cannot be read (${code ?? "error"}).`);
  }
  if (text.trim() === "") throw new EmptyInputError(`${what} ${file}`);
  return text;
}

/** Fails early, before any prompt or key derivation, when `file` exists and `force` is not set. */
export async function assertNewFile(file: string, force?: boolean): Promise<void> {
  if (force) return;
  try {
    await access(file);
  } catch {
    return;
  }
  throw new OutputExistsError(file);
}

/**
 * Writes a new file readable only by its owner. Without `force` an existing file is never touched
 * (OutputExistsError). With `force` the file is written beside the target and renamed over it,
 * so the old file is replaced only by a complete new one.
 */
export async function writeNewFile(file: string, text: string, options: { force?: boolean } = {}): Promise<void> {
  if (!options.force) {
    try {
      await writeFile(file, text, { flag: "wx", mode: 0o600 });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new OutputExistsError(file);
      throw error;
    }
  }
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, text, { flag: "wx", mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Asks for a secret on the terminal without echoing it. */
export async function promptSecret(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write("\n");
  }
}

/** A secret from an environment variable, else a prompt when a terminal is attached, else an error. */
export async function readSecret(envName: string, question: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new BackupError(
      "NO_SECRET",
      `${question.replace(/:\s*$/, "")} is needed: set ${envName} or run in a terminal.`,
    );
  }
  return promptSecret(question);
}
