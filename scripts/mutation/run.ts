// Mutation testing of the account and factory contracts: `npm run test:mutation -- --help`.
// Each mutant is one change to one file, applied in a scratch copy of the repository (never the real
// tree), compiled, and run against the contract tests. See scripts/mutation/README.md.
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type Baseline, evaluate, type Limits, type Outcome, runBaseline } from "./evaluate.js";
import { generateMutants, type Mutant } from "./mutants.js";
import { formatDuration, formatReport, loadJudgedEquivalents, score } from "./report.js";
import { cleanUpAll, Workspace } from "./workspace.js";

/** The folders whose Solidity files are mutated (discovered at run time). */
const TARGETS = ["contracts/account", "contracts/factory"];
const HERE = path.dirname(fileURLToPath(import.meta.url));

const USAGE = `usage: npm run test:mutation -- [--all | --sample N [--seed S]] [options]

  --all              every mutant (the default)
  --sample N         a fixed pseudo-random sample of N mutants, the same for the same contracts and seed
  --seed S           seed of the sample (default 1)
  --only F[:L]       only mutants in files whose path contains F (at line L); repeatable
  --jobs J           mutants run in parallel, each in its own scratch copy (default 1)
  --timeout S        seconds a mutant's Mocha run may take before it counts as killed
                     (default: 5 x the unmutated run, at least 120)
  --list             print the mutants and exit, running nothing
  --json FILE        also write every outcome to FILE
  --min-score P      exit 1 when the score is below P percent
  --repo DIR         the repository to copy (default: the one holding this script)`;

class UsageError extends Error {}

interface Options {
  sample?: number;
  seed: number;
  only: string[];
  jobs: number;
  timeoutS?: number;
  list: boolean;
  json?: string;
  minScore?: number;
  repo: string;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: "boolean" },
      sample: { type: "string" },
      seed: { type: "string" },
      only: { type: "string", multiple: true },
      jobs: { type: "string" },
      timeout: { type: "string" },
      list: { type: "boolean" },
      json: { type: "string" },
      "min-score": { type: "string" },
      repo: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  if (values.all && values.sample !== undefined) throw new UsageError("--all and --sample exclude each other");
  if (values.seed !== undefined && values.sample === undefined) throw new UsageError("--seed needs --sample");
  return {
    sample: values.sample === undefined ? undefined : positiveInteger("--sample", values.sample),
    seed: values.seed === undefined ? 1 : integer("--seed", values.seed),
    only: values.only ?? [],
    jobs: values.jobs === undefined ? 1 : positiveInteger("--jobs", values.jobs),
    timeoutS: values.timeout === undefined ? undefined : positiveInteger("--timeout", values.timeout),
    list: values.list ?? false,
    json: values.json,
    minScore: values["min-score"] === undefined ? undefined : percent(values["min-score"]),
    repo: path.resolve(values.repo ?? path.join(HERE, "..", "..")),
  };
}

function integer(flag: string, value: string): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${flag} takes an integer, not "${value}"`);
  return Number(value);
}

function positiveInteger(flag: string, value: string): number {
  const n = integer(flag, value);
  if (n < 1) throw new UsageError(`${flag} must be at least 1`);
  return n;
}

function percent(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100) throw new UsageError(`--min-score takes 0 to 100, not "${value}"`);
  return n;
}

/** Mutants of every Solidity file under the target folders of `workspace`, in file and source order. */
function discover(workspace: Workspace): { files: string[]; mutants: Mutant[] } {
  const files = TARGETS.flatMap((dir) => solidityFiles(workspace.dir, dir)).sort();
  if (files.length === 0) throw new Error(`no Solidity files under ${TARGETS.join(", ")}`);
  return { files, mutants: files.flatMap((file) => generateMutants(file, workspace.read(file).toString("utf8"))) };
}

function solidityFiles(root: string, dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return solidityFiles(root, file);
    return entry.name.endsWith(".sol") ? [file] : [];
  });
}

function matchesOnly(mutant: Mutant, only: string[]): boolean {
  if (only.length === 0) return true;
  return only.some((pattern) => {
    const [, file, line] = /^(.*?)(?::(\d+))?$/.exec(pattern) ?? [];
    return mutant.file.includes(file) && (line === undefined || mutant.line === Number(line));
  });
}

/**
 * A fixed sample: Fisher–Yates with a seeded mulberry32. It runs in that shuffled order, so a run
 * stopped early has still tested a random part of it.
 */
function sample(mutants: Mutant[], size: number, seed: number): Mutant[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const shuffled = [...mutants];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled.slice(0, size);
}

/**
 * Generous limits: on a shared machine a run can take several times the unmutated one, and a limit
 * hit by slowness would count a mutant as killed. A hanging mutant is rare anyway (a loop in a
 * transaction runs out of gas), so the limit costs little.
 */
function limitsFrom(baseline: Baseline, timeoutS: number | undefined): Limits {
  const floor = 120_000;
  return {
    compileMs: Math.max(5 * 60_000, 5 * baseline.compileMs),
    mochaMs: timeoutS === undefined ? Math.max(floor, 5 * baseline.mochaMs) : timeoutS * 1000,
    solidityMs: Math.max(floor, 5 * baseline.solidityMs),
  };
}

function writeJson(file: string, outcomes: Outcome[]): void {
  writeFileSync(file, `${JSON.stringify({ score: score(outcomes), outcomes }, null, 2)}\n`);
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const started = Date.now();
  const first = Workspace.create(options.repo);
  const { files, mutants: all } = discover(first);
  const filtered = all.filter((m) => matchesOnly(m, options.only));
  const selected = options.sample === undefined ? filtered : sample(filtered, options.sample, options.seed);
  console.log(`mutation testing: ${files.length} files under ${TARGETS.join(", ")}, ${all.length} distinct mutants`);
  if (options.list) {
    for (const m of selected) console.log(`${m.id}  ${m.file}:${m.line} (${m.scope})  ${m.operator}: ${m.description}`);
    return 0;
  }
  if (selected.length === 0) throw new UsageError("no mutant matches --only");
  const what = options.sample === undefined ? "all" : `a sample (--sample ${options.sample} --seed ${options.seed}) of`;
  console.log(`running ${what} ${selected.length} mutants in ${options.jobs} scratch copies (first: ${first.dir})`);

  const workspaces = [
    first,
    ...Array.from({ length: Math.min(options.jobs, selected.length) - 1 }, () => first.clone()),
  ];
  const baselines = await Promise.all(workspaces.map((w, i) => runBaseline(w, i === 0)));
  const [baseline] = baselines;
  if (baselines.some((b) => b.fingerprint !== baseline.fingerprint)) {
    throw new Error("the scratch copies do not build the same code: are the contracts being edited?");
  }
  const limits = limitsFrom(baseline, options.timeoutS);
  console.log(
    `unmutated: compile ${formatDuration(baseline.compileMs)}, Mocha tests ${formatDuration(baseline.mochaMs)}, ` +
      `Solidity tests ${formatDuration(baseline.solidityMs)}; a mutant is killed after ` +
      `${formatDuration(limits.mochaMs)} of Mocha or ${formatDuration(limits.solidityMs)} of Solidity tests`,
  );

  const outcomes: Outcome[] = [];
  let next = 0;
  const width = String(selected.length).length;
  const mutantsStarted = Date.now();
  await Promise.all(
    workspaces.map(async (workspace) => {
      while (next < selected.length) {
        const mutant = selected[next++];
        const outcome = await evaluate(workspace, mutant, baseline, limits);
        outcomes.push(outcome);
        // Rewritten after every mutant, so a long run stopped early keeps what it found.
        if (options.json) writeJson(options.json, outcomes);
        const n = String(outcomes.length).padStart(width);
        const detail = outcome.detail ? ` — ${outcome.detail}` : "";
        console.log(
          `[${n}/${selected.length}] ${outcome.status.padEnd(10)} ${mutant.file}:${mutant.line} ` +
            `${mutant.operator}: ${mutant.description} (${formatDuration(outcome.ms)})${detail}`,
        );
      }
    }),
  );
  const mutantsMs = Date.now() - mutantsStarted;

  const perMutant = mutantsMs / outcomes.length;
  console.log(
    `\ntimings: ${formatDuration(Date.now() - started)} in all; ${formatDuration(perMutant * options.jobs)} per mutant ` +
      `and job (${formatDuration(perMutant)} per mutant with ${options.jobs} jobs)`,
  );
  if (selected.length < filtered.length) {
    console.log(
      `  the full run (--all, ${filtered.length} mutants) would take about ${formatDuration(perMutant * filtered.length)}`,
    );
  }
  const judged = loadJudgedEquivalents(path.join(HERE, "equivalent.json"));
  for (const line of formatReport(outcomes, judged)) console.log(line);
  if (options.minScore !== undefined && score(outcomes).percent < options.minScore) {
    console.error(`mutation: the score is below --min-score ${options.minScore}%`);
    return 1;
  }
  return 0;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    cleanUpAll();
    process.exit(130);
  });
}

main(process.argv.slice(2))
  .then((code) => {
    cleanUpAll();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    cleanUpAll();
    const message = error instanceof Error ? error.message : String(error);
    console.error(`mutation: ${message}`);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(USAGE);
      process.exitCode = 2;
    } else {
      process.exitCode = 1;
    }
  });
