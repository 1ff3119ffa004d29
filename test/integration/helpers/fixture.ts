import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  type Address,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { normalizeConfig, type GuardianConfig } from "../../../custos/config.js";
import { DEMO_BOUNDS } from "../../../custos/deploy/constants.js";
import { startStack, type Stack, type StackOptions } from "../../../scripts/stack/startStack.js";

export interface Fixture {
  stack: Stack;
  client: PublicClient;
  /** Sends ETH from a funded development account. */
  fund(to: Address, ether: string): Promise<void>;
  /** Moves the chain clock forward and mines a block. */
  timeTravel(seconds: number): Promise<void>;
  balance(address: Address): Promise<bigint>;
}

/**
 * CUSTOS_TEST_PORTS="chain,bundler" moves a test file's stack to other ports (one stack per file), so
 * a suite can run beside another copy of itself.
 */
function portsFromEnv(): Partial<Pick<StackOptions, "chainPort" | "bundlerPort">> {
  const value = process.env.CUSTOS_TEST_PORTS;
  if (!value) return {};
  const match = /^(\d+),(\d+)$/.exec(value);
  if (!match) throw new Error(`CUSTOS_TEST_PORTS must be "chainPort,bundlerPort", got "${value}"`);
  return { chainPort: Number(match[1]), bundlerPort: Number(match[2]) };
}

/**
 * Starts the same stack as `npm start` on the test's own ports: anvil, and alto in safe mode, so every
 * UserOperation a test sends is checked against the ERC-7562 rules as a public bundler would.
 * The chain clock starts a day behind the wall clock: alto checks `validAfter` against the wall clock,
 * so the tests can time-travel the chain past a recovery delay and the bundler still accepts the operation.
 */
export async function startFixture(
  options: Pick<StackOptions, "chainPort" | "bundlerPort" | "bundlerArgs" | "chain" | "safeMode">,
): Promise<Fixture> {
  const logs = process.env.CUSTOS_STACK_LOGS ?? "ignore";
  const stack = await startStack({
    chain: "anvil",
    ...options,
    ...portsFromEnv(),
    chainInitialDate: new Date(Date.now() - 24 * 3600 * 1000).toISOString(),
    logs,
  });
  const client = createPublicClient({ chain: stack.chain, transport: http(stack.rpcUrl), pollingInterval: 100 });
  const funder = createWalletClient({
    chain: stack.chain,
    transport: http(stack.rpcUrl),
    account: privateKeyToAccount(stack.devAccounts[0]!.privateKey),
  });
  return {
    stack,
    client,
    async fund(to, ether) {
      const hash = await funder.sendTransaction({ to, value: parseEther(ether) });
      await client.waitForTransactionReceipt({ hash });
    },
    async timeTravel(seconds) {
      await client.request({ method: "evm_increaseTime" as "eth_chainId", params: [seconds] as unknown as undefined });
      await client.request({ method: "evm_mine" as "eth_chainId" });
    },
    balance: (address) => client.getBalance({ address }),
  };
}

/** A guardian configuration with the shortest delays the demo deployment allows. */
export function demoConfig(guardians: readonly LocalAccount[], threshold: number): GuardianConfig {
  return normalizeConfig({
    guardians: guardians.map((g) => g.address),
    threshold,
    recoveryDelay: DEMO_BOUNDS.minRecoveryDelay,
    securityPeriod: DEMO_BOUNDS.minSecurityPeriod,
    securityWindow: DEMO_BOUNDS.minSecurityWindow,
    lockPeriod: DEMO_BOUNDS.minLockPeriod,
  });
}
