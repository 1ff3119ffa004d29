import { BaseError, type Chain, type Client, type Hash, type Hex, type Transport } from "viem";
import type { BundlerClient, SmartAccount } from "viem/account-abstraction";

/**
 * Bundler methods beyond ERC-4337 that Custos uses when a bundler offers them (rule R2): Pimlico's
 * (alto's) status and gas price. Everything works without them, on the standard methods alone.
 */
export type PimlicoRpcSchema = [
  {
    Method: "pimlico_getUserOperationGasPrice";
    Parameters?: undefined;
    ReturnType: Record<"slow" | "standard" | "fast", { maxFeePerGas: Hex; maxPriorityFeePerGas: Hex }>;
  },
  {
    Method: "pimlico_getUserOperationStatus";
    Parameters: [userOpHash: Hash];
    ReturnType: {
      status: "not_found" | "not_submitted" | "submitted" | "rejected" | "reverted" | "included" | "failed";
      transactionHash: Hash | null;
    };
  },
];

export type VendorMethod = PimlicoRpcSchema[number]["Method"];

/** A bundler client whose `request` knows the vendor methods (createCustosBundlerClient makes one). */
export type VendorBundlerClient<account extends SmartAccount | undefined = SmartAccount | undefined> = BundlerClient<
  Transport,
  Chain | undefined,
  account,
  Client | undefined,
  PimlicoRpcSchema
>;

/** Per bundler (by URL): which vendor methods it answered or refused. Asked once, then remembered. */
const offered = new Map<string, Partial<Record<VendorMethod, boolean>>>();

function bundlerKey(bundlerClient: Pick<VendorBundlerClient, "transport" | "uid">): string {
  const url = (bundlerClient.transport as { url?: unknown }).url;
  return typeof url === "string" ? url : bundlerClient.uid;
}

const NOT_OFFERED =
  /method.{0,40}(not found|not supported|does not exist|unsupported|not available|unknown)|unknown method|not whitelisted|not allowed/i;

/** Whether the bundler said it does not have the method (as opposed to failing this once). */
export function isMethodNotOffered(error: unknown): boolean {
  let notOffered = false;
  const visit = (e: unknown) => {
    const { code, message, details } = e as { code?: unknown; message?: unknown; details?: unknown };
    if (code === -32601 || code === -32004) notOffered = true;
    if (typeof details === "string" && NOT_OFFERED.test(details)) notOffered = true;
    if (typeof message === "string" && NOT_OFFERED.test(message)) notOffered = true;
  };
  if (error instanceof BaseError) {
    error.walk((e) => {
      visit(e);
      return false;
    });
  } else visit(error);
  return notOffered;
}

/** Whether the bundler is known to offer `method`: true, false, or undefined before the first call. */
export function offersMethod(bundlerClient: Pick<VendorBundlerClient, "transport" | "uid">, method: VendorMethod) {
  return offered.get(bundlerKey(bundlerClient))?.[method];
}

/**
 * Runs `call` (a vendor method) if the bundler may offer `method`. Returns undefined when it does not
 * (remembered, so it is not asked again) or when the call failed this time (asked again next time).
 */
async function ifOffered<T>(
  bundlerClient: Pick<VendorBundlerClient, "transport" | "uid">,
  method: VendorMethod,
  call: () => Promise<T>,
): Promise<T | undefined> {
  const key = bundlerKey(bundlerClient);
  if (offered.get(key)?.[method] === false) return undefined;
  try {
    const result = await call();
    offered.set(key, { ...offered.get(key), [method]: true });
    return result;
  } catch (error) {
    if (isMethodNotOffered(error)) offered.set(key, { ...offered.get(key), [method]: false });
    return undefined;
  }
}

type VendorRequester = Pick<VendorBundlerClient, "request" | "transport" | "uid">;

/** pimlico_getUserOperationStatus when the bundler offers it (finer than receipts: queued, rejected). */
export function pimlicoUserOperationStatus(bundlerClient: VendorRequester, userOpHash: Hash) {
  return ifOffered(bundlerClient, "pimlico_getUserOperationStatus", () =>
    bundlerClient.request({ method: "pimlico_getUserOperationStatus", params: [userOpHash] }, { retryCount: 0 }),
  );
}

/** pimlico_getUserOperationGasPrice when the bundler offers it: the fees that bundler accepts. */
export function pimlicoUserOperationGasPrice(bundlerClient: VendorRequester) {
  return ifOffered(bundlerClient, "pimlico_getUserOperationGasPrice", () =>
    bundlerClient.request({ method: "pimlico_getUserOperationGasPrice" }, { retryCount: 0 }),
  );
}
