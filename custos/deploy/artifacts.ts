import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Hex } from "viem";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);

export interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

/** Reads a compiled Custos contract from Hardhat's artifacts (run `npm run compile` first). */
export function readArtifact(sourcePath: string, contractName: string): Artifact {
  const file = path.join(root, "artifacts", sourcePath, `${contractName}.json`);
  try {
    const json = JSON.parse(readFileSync(file, "utf8")) as Artifact;
    return { abi: json.abi, bytecode: json.bytecode };
  } catch (error) {
    throw new Error(`missing artifact ${file}: compile the contracts first (npm run compile)`, { cause: error });
  }
}

/** EntryPoint v0.8 exactly as deployed on mainnet, from the published npm artifact (not recompiled). */
export function readEntryPointArtifact(): Artifact {
  const json = require("@account-abstraction/contracts/artifacts/EntryPoint.json") as Artifact;
  return { abi: json.abi, bytecode: json.bytecode };
}
