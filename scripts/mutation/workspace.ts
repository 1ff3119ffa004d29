// A scratch copy of the repository where mutants are applied, compiled and tested. The real tree is
// only read: its tracked and untracked-but-not-ignored files are copied, and node_modules is linked.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ProcessResult {
  code: number | null;
  timedOut: boolean;
  output: string;
  ms: number;
}

/** CBOR metadata solc appends to bytecode (ipfs hash + compiler version); it changes with any source edit. */
const METADATA = /a264697066735822[0-9a-f]{68}64736f6c6343[0-9a-f]{6}0033/g;
const OUTPUT_LIMIT = 1 << 20;

const running = new Set<ChildProcess>();
const workspaces = new Set<Workspace>();

export class Workspace {
  private readonly originals = new Map<string, Buffer>();

  private readonly hardhatCli: string;

  private constructor(
    readonly dir: string,
    private readonly nodeModules: string,
  ) {
    this.hardhatCli = path.join(nodeModules, "hardhat", "dist", "src", "cli.js");
    workspaces.add(this);
    symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  }

  /** Copies `repo` (without node_modules, artifacts, caches or other ignored files) into a new temp folder. */
  static create(repo: string): Workspace {
    const nodeModules = path.join(repo, "node_modules");
    if (!exists(path.join(nodeModules, "hardhat", "package.json"))) {
      throw new Error(`${nodeModules} has no hardhat: run npm install first`);
    }
    let listing: string;
    try {
      listing = execFileSync("git", ["-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
      });
    } catch (error) {
      throw new Error(`${repo} is not a git work tree (git ls-files failed)`, { cause: error });
    }
    const workspace = new Workspace(mkdtempSync(path.join(tmpdir(), "custos-mutation-")), nodeModules);
    for (const file of listing.split("\0")) {
      if (!file || file.startsWith("node_modules/")) continue;
      const from = path.join(repo, file);
      // Deleted but still tracked, or a folder (a submodule): nothing to copy.
      if (!exists(from) || !lstatSync(from).isFile()) continue;
      const to = path.join(workspace.dir, file);
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
    return workspace;
  }

  /** Another workspace with the same sources as this one (not its build). */
  clone(): Workspace {
    const workspace = new Workspace(mkdtempSync(path.join(tmpdir(), "custos-mutation-")), this.nodeModules);
    const skipped = new Set(["node_modules", "artifacts", "cache", "types"].map((d) => path.join(this.dir, d)));
    cpSync(this.dir, workspace.dir, { recursive: true, filter: (source) => !skipped.has(source) });
    return workspace;
  }

  read(file: string): Buffer {
    return readFileSync(path.join(this.dir, file));
  }

  /** Replaces `file` with `bytes`, remembering the original for `restore`. */
  write(file: string, bytes: Buffer): void {
    if (!this.originals.has(file)) this.originals.set(file, this.read(file));
    writeFileSync(path.join(this.dir, file), bytes);
  }

  /** Puts back every file changed by `write`. */
  restore(): void {
    for (const [file, bytes] of this.originals) writeFileSync(path.join(this.dir, file), bytes);
    this.originals.clear();
  }

  /** Runs Hardhat in the workspace; a run past `timeoutMs` is killed with its whole process group. */
  hardhat(args: string[], timeoutMs: number): Promise<ProcessResult> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.hardhatCli, ...args], {
        cwd: this.dir,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      });
      running.add(child);
      let output = "";
      const collect = (chunk: Buffer) => {
        if (output.length < OUTPUT_LIMIT) output += chunk.toString("utf8");
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        running.delete(child);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        running.delete(child);
        resolve({ code, timedOut, output, ms: Date.now() - started });
      });
    });
  }

  /**
   * A digest of every compiled contract under contracts/ (ABI, creation and runtime bytecode without
   * the metadata trailer). Two builds with the same digest deploy the same code: a mutant that leaves
   * it unchanged is equivalent by construction.
   */
  fingerprint(): string {
    const hash = createHash("sha256");
    const root = path.join(this.dir, "artifacts", "contracts");
    const files = listFiles(root)
      .filter((file) => file.endsWith(".json") && !file.includes(`${path.sep}build-info${path.sep}`))
      .sort();
    for (const file of files) {
      const artifact = JSON.parse(readFileSync(file, "utf8")) as {
        abi?: unknown;
        bytecode?: string;
        deployedBytecode?: string;
      };
      if (artifact.bytecode === undefined) continue;
      hash.update(path.relative(root, file));
      hash.update(JSON.stringify(artifact.abi));
      hash.update(artifact.bytecode.replace(METADATA, ""));
      hash.update(String(artifact.deployedBytecode).replace(METADATA, ""));
    }
    return hash.digest("hex");
  }

  remove(): void {
    workspaces.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Kills every Hardhat run still going and deletes every workspace (on exit or on a signal). */
export function cleanUpAll(): void {
  for (const child of running) killGroup(child);
  for (const workspace of workspaces) workspace.remove();
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function listFiles(dir: string): string[] {
  if (!exists(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
