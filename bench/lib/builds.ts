import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { size, type Abi, type Address, type Hex } from "viem";
import type { BenchChain } from "./chain.js";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface ArtifactJson {
  abi: Abi;
  bytecode: Hex;
  deployedBytecode: Hex;
}

/** A contract of `@account-abstraction/contracts` exactly as published on npm (not recompiled here). */
export function readPublished(name: "SimpleAccount" | "SimpleAccountFactory"): ArtifactJson {
  return require(`@account-abstraction/contracts/artifacts/${name}.json`) as ArtifactJson;
}

/** Deploys a published `@account-abstraction/contracts` artifact's bytecode as shipped. */
export async function deployPublished(
  bench: BenchChain,
  name: "SimpleAccountFactory",
  args: readonly unknown[],
): Promise<Address> {
  const { abi, bytecode } = readPublished(name);
  const hash = await bench.walletClient.deployContract({ abi, bytecode, args });
  const receipt = await bench.publicClient.waitForTransactionReceipt({ hash });
  if (!receipt.contractAddress) throw new Error(`deploying the published ${name} failed`);
  return receipt.contractAddress;
}

/** Runtime size in bytes of a contract compiled here (artifacts/) or of a published one. */
export function runtimeSize(source: { artifact: string; name: string } | { published: "SimpleAccount" }): number {
  if ("published" in source) return size(readPublished(source.published).deployedBytecode);
  const file = path.join(root, "artifacts", source.artifact, `${source.name}.json`);
  return size((JSON.parse(readFileSync(file, "utf8")) as ArtifactJson).deployedBytecode);
}

interface BuildInfo {
  solcVersion: string;
  input: { settings: { optimizer?: { enabled?: boolean; runs?: number }; viaIR?: boolean; evmVersion?: string } };
}

/** The compiler settings a contract of artifacts/ was built with, read from its build info. */
export function compilerSettings(artifact: string, name: string): string {
  const json = JSON.parse(readFileSync(path.join(root, "artifacts", artifact, `${name}.json`), "utf8")) as {
    buildInfoId: string;
  };
  const info = JSON.parse(
    readFileSync(path.join(root, "artifacts/build-info", `${json.buildInfoId}.json`), "utf8"),
  ) as BuildInfo;
  const { optimizer, viaIR, evmVersion } = info.input.settings;
  const runs = optimizer?.enabled ? `optimizer ${optimizer.runs?.toLocaleString("en-US")} runs` : "no optimizer";
  return `solc ${info.solcVersion}, ${runs}, viaIR ${viaIR ? "on" : "off"}, evm ${evmVersion ?? "default"}`;
}
