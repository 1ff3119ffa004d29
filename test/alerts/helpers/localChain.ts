/**
 * A Hardhat node spawned on loopback, Custos deployed through the real deployment path, and one
 * account with three guardian EOAs, plus the plain transactions that make it emit events.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEventLogs,
  type Address,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { approvalTypedData, type ApprovalKind } from "../../../custos/approvals/typedData.js";
import { encodeSignatureBlob, OWNER_INDEX, type SignatureEntry } from "../../../custos/approvals/signatureBlob.js";
import { guardianIndex, normalizeConfig, type GuardianConfig } from "../../../custos/config.js";
import { DEMO_BOUNDS } from "../../../custos/deploy/constants.js";
import { deployCustos } from "../../../custos/deploy/deployCustos.js";
import type { CustosDeployment } from "../../../custos/deployments.js";
import { custosAccountAbi, custosFactoryAbi } from "../../../custos/generated/abis.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Hardhat's publicly known development keys (local chains only). */
export const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
] as const satisfies readonly Hex[];

export interface TestAccount {
  address: Address;
  owner: PrivateKeyAccount;
  /** In the order of config.guardians (sorted). */
  guardians: PrivateKeyAccount[];
  config: GuardianConfig;
}

export class LocalChain {
  readonly chain;
  readonly publicClient: PublicClient;
  readonly relayer = privateKeyToAccount(DEV_KEYS[0]);

  private constructor(
    readonly url: string,
    readonly deployment: CustosDeployment,
    private readonly node: ChildProcess,
  ) {
    this.chain = defineChain({
      id: deployment.chainId,
      name: "hardhat",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [url] } },
    });
    this.publicClient = createPublicClient({
      chain: this.chain,
      transport: http(url, { retryCount: 0 }),
    }) as PublicClient;
  }

  static async start(port: number): Promise<LocalChain> {
    const url = `http://127.0.0.1:${port}`;
    const node = spawn(
      path.join(ROOT, "node_modules/.bin/hardhat"),
      ["node", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: ROOT, stdio: "ignore" },
    );
    try {
      const probe = createPublicClient({ transport: http(url, { retryCount: 0 }) }) as PublicClient;
      const deadline = Date.now() + 90_000;
      for (;;) {
        try {
          await probe.getChainId();
          break;
        } catch (error) {
          if (node.exitCode !== null) throw new Error(`hardhat node exited with ${node.exitCode}`, { cause: error });
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      const chain = defineChain({
        id: 31337,
        name: "hardhat",
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [url] } },
      });
      const walletClient = createWalletClient({
        account: privateKeyToAccount(DEV_KEYS[0]),
        chain,
        transport: http(url),
      });
      const deployment = await deployCustos(
        { publicClient: probe, walletClient },
        { network: `alerts-test-${port}`, bounds: DEMO_BOUNDS },
      );
      return new LocalChain(url, deployment, node);
    } catch (error) {
      await stopNode(node);
      throw error;
    }
  }

  stop(): Promise<void> {
    return stopNode(this.node);
  }

  wallet(account: PrivateKeyAccount) {
    return createWalletClient({ account, chain: this.chain, transport: http(this.url) });
  }

  /** Sends a contract call and waits for its receipt; returns the transaction hash. */
  async send(
    from: PrivateKeyAccount,
    call: { address: Address; functionName: string; args: readonly unknown[]; factory?: boolean },
  ): Promise<Hex> {
    const hash = await this.wallet(from).writeContract({
      address: call.address,
      abi: call.factory ? custosFactoryAbi : custosAccountAbi,
      functionName: call.functionName,
      args: call.args,
    } as never);
    const receipt = await this.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${call.functionName} reverted (${hash})`);
    return hash;
  }

  /** Creates an account owned by dev key 4 with dev keys 1..3 as guardians (threshold 2). */
  async createAccount(): Promise<TestAccount> {
    const owner = privateKeyToAccount(DEV_KEYS[4]);
    const keys = [DEV_KEYS[1], DEV_KEYS[2], DEV_KEYS[3]].map((k) => privateKeyToAccount(k));
    const config = normalizeConfig({
      guardians: keys.map((k) => k.address),
      threshold: 2,
      recoveryDelay: DEMO_BOUNDS.minRecoveryDelay,
      securityPeriod: DEMO_BOUNDS.minSecurityPeriod,
      securityWindow: DEMO_BOUNDS.minSecurityWindow,
      lockPeriod: 600,
    });
    const guardians = config.guardians.map((g) => keys.find((k) => k.address === g)!);
    const hash = await this.send(this.relayer, {
      address: this.deployment.factory,
      functionName: "createAccount",
      args: [owner.address, config, 0n],
      factory: true,
    });
    const receipt = await this.publicClient.getTransactionReceipt({ hash });
    const [created] = parseEventLogs({ abi: custosFactoryAbi, logs: receipt.logs, eventName: "AccountCreated" });
    return { address: created!.args.account, owner, guardians, config };
  }

  async state(account: Address) {
    const [owner, lockedUntil, recovering, epoch, nonce] = await this.publicClient.readContract({
      address: account,
      abi: custosAccountAbi,
      functionName: "accountState",
    });
    return { owner, lockedUntil, recovering, epoch, nonce };
  }

  async pendingRecovery(account: Address) {
    const [newOwner, executeAfter] = await this.publicClient.readContract({
      address: account,
      abi: custosAccountAbi,
      functionName: "pendingRecovery",
    });
    return { newOwner, executeAfter };
  }

  /**
   * Locks the account as `guardian`. A running lock cannot be extended and a guardian whose lock ended
   * must wait securityPeriod + securityWindow (S4), so the clock first moves past both.
   */
  async lock(account: TestAccount, guardian: PrivateKeyAccount): Promise<Hex> {
    const { lockPeriod, securityPeriod, securityWindow } = account.config;
    const wait = Number(lockPeriod) + Number(securityPeriod) + Number(securityWindow) + 1;
    await this.publicClient.request({
      method: "evm_increaseTime" as "eth_chainId",
      params: [wait] as unknown as undefined,
    });
    await this.publicClient.request({ method: "evm_mine" as "eth_chainId" });
    return this.send(guardian, {
      address: account.address,
      functionName: "lock",
      args: [account.config, BigInt(guardianIndex(account.config, guardian.address))],
    });
  }

  private async sign(
    account: TestAccount,
    kind: ApprovalKind,
    newOwner: Address,
    signers: { key: PrivateKeyAccount; index: number }[],
  ) {
    const { nonce, epoch } = await this.state(account.address);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const typed = approvalTypedData({
      kind,
      chainId: this.chain.id,
      account: account.address,
      newOwner,
      nonce,
      epoch,
      deadline,
    });
    const entries: SignatureEntry[] = [];
    for (const { key, index } of signers) {
      entries.push({ index, kind: "ecdsa", signature: await key.signTypedData(typed) });
    }
    return { deadline, blob: encodeSignatureBlob(entries) };
  }

  /** startRecovery to `newOwner` with the first two guardians' EIP-712 approvals. */
  async startRecovery(account: TestAccount, newOwner: Address): Promise<Hex> {
    const signers = account.guardians.slice(0, 2).map((key, index) => ({ key, index }));
    const { deadline, blob } = await this.sign(account, "Recovery", newOwner, signers);
    return this.send(this.relayer, {
      address: account.address,
      functionName: "startRecovery",
      args: [newOwner, deadline, account.config, blob],
    });
  }

  /** cancelRecovery with the owner and the first guardian (quorum 2 of owner + 3 guardians). */
  async cancelRecovery(account: TestAccount): Promise<Hex> {
    const { newOwner } = await this.pendingRecovery(account.address);
    const signers = [
      { key: account.guardians[0]!, index: 0 },
      { key: account.owner, index: OWNER_INDEX },
    ];
    const { deadline, blob } = await this.sign(account, "CancelRecovery", newOwner, signers);
    return this.send(this.relayer, {
      address: account.address,
      functionName: "cancelRecovery",
      args: [deadline, account.config, blob],
    });
  }

  async snapshot(): Promise<Hex> {
    return (await this.publicClient.request({ method: "evm_snapshot" as "eth_chainId" })) as unknown as Hex;
  }

  async revert(id: Hex): Promise<void> {
    const ok = (await this.publicClient.request({
      method: "evm_revert" as "eth_chainId",
      params: [id] as unknown as undefined,
    })) as unknown as boolean;
    if (!ok) throw new Error(`evm_revert(${id}) failed`);
  }
}

function stopNode(node: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (node.exitCode !== null || node.signalCode !== null) return resolve();
    node.once("exit", () => resolve());
    node.kill("SIGTERM");
  });
}
