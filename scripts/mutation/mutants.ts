// Mutant generation: parses each Solidity file with the project's own compiler (solc-js, parsing
// only, so imports need not resolve) and derives one-change mutants from the syntax tree. Every
// mutant is a byte range of the file and its replacement; offsets are UTF-8 bytes, as solc reports.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** The families of change, as listed in the README. */
export type Operator =
  | "flip" // a comparison negated: < ↔ >=, > ↔ <=, == ↔ !=
  | "boundary" // a comparison moved by one: < ↔ <=, > ↔ >=
  | "constant" // a decimal literal ± 1
  | "logic" // && ↔ ||
  | "negation" // !x → x
  | "check" // `if (…) revert …;` removed
  | "condition" // the condition of any other `if` forced to true or false
  | "delete" // an expression statement (assignment, call, require, ++), emit or revert deleted
  | "asm-flip" // lt/gt/eq wrapped in iszero
  | "asm-boundary" // lt(a, b) → iszero(gt(a, b)) and gt(a, b) → iszero(lt(a, b))
  | "asm-negation" // iszero(x) → x
  | "asm-logic"; // and ↔ or between two comparisons

export interface Mutant {
  /** Short hash of the file and the mutated text: equal ids mean identical mutants. */
  id: string;
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line of the change. */
  line: number;
  /** Where the change is: `Contract.function`, or `Contract` for a constant. */
  scope: string;
  operator: Operator;
  /** What changed, e.g. "`<` → `<=`" or "deleted `emit Unlocked(…)`". */
  description: string;
  /** The original source line, trimmed. */
  context: string;
  /** Byte range [start, end) of the file replaced by `replacement`. */
  start: number;
  end: number;
  replacement: string;
}

interface Node {
  nodeType?: string;
  src?: string;
  [key: string]: unknown;
}

interface Range {
  start: number;
  end: number;
}

interface Change extends Range {
  operator: Operator;
  replacement: string;
  description: string;
}

const FLIP: Record<string, string> = { "<": ">=", ">=": "<", ">": "<=", "<=": ">", "==": "!=", "!=": "==" };
const BOUNDARY: Record<string, string> = { "<": "<=", "<=": "<", ">": ">=", ">=": ">" };
const LOGIC: Record<string, string> = { "&&": "||", "||": "&&" };
const BOUND_OPERATORS = new Set([...Object.keys(FLIP), "+", "-", "*", "/", "%", "<<", ">>"]);
const YUL_BOOLEANS = new Set(["lt", "gt", "eq", "iszero", "and", "or"]);

/** Parses `source` with solc (parsing only) and returns its syntax tree; throws on a syntax error. */
export function parseSolidity(file: string, source: string): Node {
  const solc = require("solc") as { compile(input: string): string };
  const input = {
    language: "Solidity",
    sources: { [file]: { content: source } },
    settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    sources?: Record<string, { ast: Node }>;
  };
  const error = output.errors?.find((e) => e.severity === "error");
  if (error || !output.sources?.[file]) {
    throw new Error(`${file} does not parse: ${error?.formattedMessage.split("\n")[0] ?? "no syntax tree"}`);
  }
  return output.sources[file].ast;
}

/** Every mutant of one file, deduplicated, in source order. */
export function generateMutants(file: string, source: string, ast: Node = parseSolidity(file, source)): Mutant[] {
  const bytes = Buffer.from(source, "utf8");
  const changes: Change[] = [];
  // Revert statements already covered by removing their whole `if (…) revert …;` check.
  const covered = new Set<Node>();
  walk(ast, undefined, (node, parent) => changes.push(...changesOf(node, parent, bytes, covered)));

  const scopes: (Range & { name: string })[] = [];
  walk(ast, undefined, (node) => {
    if (node.nodeType === "ContractDefinition") scopes.push({ ...rangeOf(node), name: String(node.name) });
    if (node.nodeType === "FunctionDefinition" || node.nodeType === "ModifierDefinition") {
      const range = rangeOf(node);
      const contract = scopes.find((s) => !s.name.includes(".") && s.start <= range.start && range.end <= s.end)?.name;
      const name = String(node.name || node.kind);
      scopes.push({ ...range, name: contract ? `${contract}.${name}` : name });
    }
  });
  const scopeAt = (offset: number) =>
    scopes.filter((s) => s.start <= offset && offset < s.end).sort((a, b) => b.start - a.start)[0]?.name ?? "";

  const seen = new Set<string>();
  const mutants: Mutant[] = [];
  for (const change of changes.sort((a, b) => a.start - b.start || a.end - b.end)) {
    const mutated = applyChange(bytes, change);
    if (mutated.equals(bytes)) continue;
    const id = createHash("sha256").update(file).update("\0").update(mutated).digest("hex").slice(0, 10);
    if (seen.has(id)) continue;
    seen.add(id);
    const line = lineOf(bytes, change.start);
    mutants.push({
      id,
      file,
      line,
      scope: scopeAt(change.start),
      operator: change.operator,
      description: change.description,
      context: lineText(bytes, change.start).trim(),
      start: change.start,
      end: change.end,
      replacement: change.replacement,
    });
  }
  return mutants;
}

/** The file's bytes with `mutant` applied. */
export function applyChange(bytes: Buffer, change: Range & { replacement: string }): Buffer {
  return Buffer.concat([bytes.subarray(0, change.start), Buffer.from(change.replacement), bytes.subarray(change.end)]);
}

function changesOf(node: Node, parent: Node | undefined, bytes: Buffer, covered: Set<Node>): Change[] {
  switch (node.nodeType) {
    case "BinaryOperation":
      return binaryChanges(node, bytes);
    case "UnaryOperation":
      if (node.operator !== "!") return [];
      return [
        {
          ...rangeOf(node),
          operator: "negation",
          replacement: text(bytes, rangeOf(node.subExpression as Node)),
          description: describeChange(
            bytes,
            rangeOf(node),
            rangeOf(node),
            text(bytes, rangeOf(node.subExpression as Node)),
          ),
        },
      ];
    case "Literal":
      return literalChanges(node, parent, bytes);
    case "IfStatement":
      return ifChanges(node, bytes, covered);
    case "ExpressionStatement":
    case "EmitStatement":
      return [deletion(node, bytes)];
    case "RevertStatement":
      return covered.has(node) ? [] : [deletion(node, bytes)];
    case "YulFunctionCall":
      return yulChanges(node, parent, bytes);
    default:
      return [];
  }
}

function binaryChanges(node: Node, bytes: Buffer): Change[] {
  const op = node.operator as string;
  const left = rangeOf(node.leftExpression as Node);
  const right = rangeOf(node.rightExpression as Node);
  const at = bytes.subarray(left.end, right.start).indexOf(op);
  if (at < 0) return [];
  const opRange = { start: left.end + at, end: left.end + at + op.length };
  const changes: Change[] = [];
  const swap = (operator: Operator, to: string | undefined) => {
    if (to) {
      changes.push({
        ...opRange,
        operator,
        replacement: to,
        description: describeChange(bytes, rangeOf(node), opRange, to),
      });
    }
  };
  swap("flip", FLIP[op]);
  swap("boundary", BOUNDARY[op]);
  swap("logic", LOGIC[op]);
  return changes;
}

/**
 * A decimal literal ± 1, where it is a bound: an operand of a comparison, of arithmetic or of a
 * shift, or the value of a named constant. Elsewhere (call arguments, return values, slices) a
 * wrong number is caught by almost any test and only costs a compilation.
 */
function literalChanges(node: Node, parent: Node | undefined, bytes: Buffer): Change[] {
  if (node.kind !== "number" || !isBound(node, parent)) return [];
  const range = rangeOf(node);
  const digits = /^[0-9][0-9_]*/.exec(text(bytes, range))?.[0];
  // Hexadecimal literals are masks, selectors and magic values, not boundaries.
  if (!digits || /^0[xX]/.test(text(bytes, range))) return [];
  const value = BigInt(digits.replaceAll("_", ""));
  const numberRange = { start: range.start, end: range.start + Buffer.byteLength(digits) };
  const changes: Change[] = [];
  for (const next of value > 0n ? [value + 1n, value - 1n] : [value + 1n]) {
    changes.push({
      ...numberRange,
      operator: "constant",
      replacement: next.toString(),
      description:
        parent?.nodeType === "VariableDeclaration"
          ? `\`${String(parent.name)} = ${digits}\` → \`${String(parent.name)} = ${next}\``
          : describeChange(bytes, rangeOf(parent as Node), numberRange, next.toString()),
    });
  }
  return changes;
}

function isBound(node: Node, parent: Node | undefined): boolean {
  if (parent?.nodeType === "BinaryOperation") return BOUND_OPERATORS.has(parent.operator as string);
  return parent?.nodeType === "VariableDeclaration" && parent.constant === true && parent.value === node;
}

function ifChanges(node: Node, bytes: Buffer, covered: Set<Node>): Change[] {
  const condition = rangeOf(node.condition as Node);
  const conditionText = abbreviate(text(bytes, condition));
  const revert = node.falseBody ? undefined : revertOnly(node.trueBody as Node);
  if (revert) {
    covered.add(revert);
    return [{ ...statementRange(node, bytes), operator: "check", replacement: "{}", description: "check removed" }];
  }
  return [true, false].map((value) => ({
    ...condition,
    operator: "condition" as const,
    replacement: String(value),
    description: `condition \`${conditionText}\` → \`${value}\``,
  }));
}

function deletion(node: Node, bytes: Buffer): Change {
  const range = statementRange(node, bytes);
  return {
    ...range,
    operator: "delete",
    replacement: "{}",
    description: `deleted \`${abbreviate(text(bytes, rangeOf(node)))}\``,
  };
}

function yulChanges(node: Node, parent: Node | undefined, bytes: Buffer): Change[] {
  const name = (node.functionName as Node).name as string;
  const args = node.arguments as Node[];
  const range = rangeOf(node);
  const call = text(bytes, range);
  const underIszero = parent?.nodeType === "YulFunctionCall" && (parent.functionName as Node).name === "iszero";
  const changes: Change[] = [];
  if ((name === "lt" || name === "gt" || name === "eq") && args.length === 2) {
    // Flipping a comparison already under iszero would equal removing that iszero.
    if (!underIszero) {
      changes.push({
        ...range,
        operator: "asm-flip",
        replacement: `iszero(${call})`,
        description: describeChange(bytes, range, range, `iszero(${call})`),
      });
    }
    if (name !== "eq") {
      const other = name === "lt" ? "gt" : "lt";
      const operands = text(bytes, { start: rangeOf(args[0]).start, end: rangeOf(args[1]).end });
      changes.push({
        ...range,
        operator: "asm-boundary",
        replacement: `iszero(${other}(${operands}))`,
        description: describeChange(bytes, range, range, `iszero(${other}(${operands}))`),
      });
    }
  } else if (name === "iszero" && args.length === 1) {
    changes.push({
      ...range,
      operator: "asm-negation",
      replacement: text(bytes, rangeOf(args[0])),
      description: describeChange(bytes, range, range, text(bytes, rangeOf(args[0]))),
    });
  } else if ((name === "and" || name === "or") && args.length === 2 && args.every(isYulBoolean)) {
    const nameRange = rangeOf(node.functionName as Node);
    const other = name === "and" ? "or" : "and";
    changes.push({
      ...nameRange,
      operator: "asm-logic",
      replacement: other,
      description: describeChange(bytes, range, nameRange, other),
    });
  }
  return changes;
}

function isYulBoolean(node: Node): boolean {
  return node.nodeType === "YulFunctionCall" && YUL_BOOLEANS.has((node.functionName as Node).name as string);
}

/** The revert statement when `body` is one, or a block holding only one. */
function revertOnly(body: Node): Node | undefined {
  if (body.nodeType === "RevertStatement") return body;
  const statements = body.nodeType === "Block" ? (body.statements as Node[]) : [];
  return statements.length === 1 && statements[0].nodeType === "RevertStatement" ? statements[0] : undefined;
}

/** The statement's range, extended over the `;` that ends it (solc leaves it out). */
function statementRange(node: Node, bytes: Buffer): Range {
  const range = rangeOf(node);
  let end = range.end;
  while (end < bytes.length && /\s/.test(String.fromCharCode(bytes[end]))) end++;
  return bytes[end] === 0x3b ? { start: range.start, end: end + 1 } : range;
}

function walk(node: unknown, parent: Node | undefined, visit: (node: Node, parent: Node | undefined) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, parent, visit);
    return;
  }
  if (!node || typeof node !== "object") return;
  const current = node as Node;
  if (!current.nodeType) return;
  visit(current, parent);
  for (const [key, value] of Object.entries(current)) {
    // Documentation and type names hold nothing to mutate.
    if (key === "documentation" || key === "typeName") continue;
    walk(value, current, visit);
  }
}

function rangeOf(node: Node): Range {
  const [start, length] = (node.src ?? "").split(":").map(Number);
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0) {
    throw new Error(`syntax node ${node.nodeType} has no source range`);
  }
  return { start, end: start + length };
}

function text(bytes: Buffer, range: Range): string {
  return bytes.subarray(range.start, range.end).toString("utf8");
}

function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineText(bytes: Buffer, offset: number): string {
  const start = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const newline = bytes.indexOf(0x0a, offset);
  return bytes.subarray(start, newline < 0 ? bytes.length : newline).toString("utf8");
}

/** "`before original after` → `before replacement after`", trimmed to a window around the change. */
function describeChange(bytes: Buffer, around: Range, change: Range, replacement: string): string {
  const flat = (code: string) => code.replace(/\s+/g, " ");
  let before = flat(text(bytes, { start: around.start, end: change.start }));
  let after = flat(text(bytes, { start: change.end, end: around.end }));
  if (before.length > 30) before = `…${before.slice(-29)}`;
  if (after.length > 30) after = `${after.slice(0, 29)}…`;
  const original = abbreviate(text(bytes, change));
  return `\`${before}${original}${after}\` → \`${before}${abbreviate(replacement)}${after}\``;
}

function abbreviate(code: string, max = 60): string {
  const flat = code.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
