import { createRequire } from "node:module";
import { ContractFactory, ZeroAddress, type Contract, type Wallet } from "ethers";
import {
  safeExecTransactionCall,
  safeTransactionTypedData,
  type SafeTransaction,
} from "../../../custos/guardians/safe.js";
import type { Call } from "../../../custos/actions/types.js";
import type { CustosDeployment } from "./fixture.js";

const require = createRequire(import.meta.url);
const ARTIFACTS = "@safe-global/safe-contracts/build/artifacts/contracts";

interface Artifact {
  abi: unknown[];
  bytecode: string;
}

function artifact(path: string): Artifact {
  return require(`${ARTIFACTS}/${path}`) as Artifact;
}

/** Safe 1.4.1 as published (singleton, proxy factory, fallback handler), deployed from its npm artifacts. */
export interface SafeStack {
  singleton: Contract;
  factory: Contract;
  fallbackHandler: Contract;
}

export async function deploySafeStack(custos: CustosDeployment): Promise<SafeStack> {
  const deploy = async (path: string) => {
    const { abi, bytecode } = artifact(path);
    const contract = await new ContractFactory(abi as never, bytecode, custos.bundler).deploy();
    await contract.waitForDeployment();
    return contract as Contract;
  };
  return {
    singleton: await deploy("Safe.sol/Safe.json"),
    factory: await deploy("proxies/SafeProxyFactory.sol/SafeProxyFactory.json"),
    fallbackHandler: await deploy("handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json"),
  };
}

/** A new Safe proxy with `owners` and `threshold`, its fallback handler set (so it answers ERC-1271). */
export async function createSafe(
  custos: CustosDeployment,
  stack: SafeStack,
  owners: readonly Wallet[],
  threshold: number,
  salt = 0n,
): Promise<Contract> {
  const setup = stack.singleton.interface.encodeFunctionData("setup", [
    owners.map((owner) => owner.address),
    threshold,
    ZeroAddress,
    "0x",
    await stack.fallbackHandler.getAddress(),
    ZeroAddress,
    0,
    ZeroAddress,
  ]);
  const singleton = await stack.singleton.getAddress();
  const factory = stack.factory.connect(custos.bundler) as Contract;
  const receipt = await (await factory.getFunction("createProxyWithNonce")(singleton, setup, salt)).wait();
  const created = receipt!.logs
    .map((log: { topics: string[]; data: string }) => stack.factory.interface.parseLog(log))
    .find((parsed: { name: string } | null) => parsed?.name === "ProxyCreation");
  return stack.singleton.attach(created!.args.proxy as string) as Contract;
}

/** The Safe's owners sign a Safe transaction making the Safe perform `call`, and anyone executes it. */
export async function execFromSafe(custos: CustosDeployment, safe: Contract, signers: readonly Wallet[], call: Call) {
  const tx: SafeTransaction = {
    safe: (await safe.getAddress()) as `0x${string}`,
    chainId: Number(custos.chainId),
    to: call.to,
    value: call.value,
    data: call.data,
    nonce: (await safe.getFunction("nonce")()) as bigint,
  };
  const typed = safeTransactionTypedData(tx);
  const signatures = await Promise.all(
    signers.map(async (signer) => ({
      owner: signer.address as `0x${string}`,
      signature: (await signer.signTypedData(
        typed.domain as never,
        typed.types as never,
        typed.message,
      )) as `0x${string}`,
    })),
  );
  const exec = safeExecTransactionCall(tx, signatures, signers.length);
  return custos.bundler.sendTransaction({ to: exec.to, data: exec.data });
}
