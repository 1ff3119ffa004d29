/**
 * The JSON-RPC methods the dApp's browser code calls through its same-origin proxies, and nothing
 * else: reads, gas and fee estimates, and sending a signed transaction (chain); the ERC-4337 methods
 * and Pimlico's status and gas-price extras (bundler). Development methods (hardhat_*, anvil_*,
 * evm_*), debug_*, personal_*, admin_* and the node's own accounts (eth_accounts, eth_sendTransaction,
 * eth_sign*) are refused.
 */
export const CHAIN_METHODS: ReadonlySet<string> = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getBalance",
  "eth_getCode",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_call",
  "eth_estimateGas",
  "eth_createAccessList",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_feeHistory",
  "eth_blobBaseFee",
  "eth_getLogs",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_sendRawTransaction",
]);

export const BUNDLER_METHODS: ReadonlySet<string> = new Set([
  "eth_chainId",
  "eth_supportedEntryPoints",
  "eth_estimateUserOperationGas",
  "eth_sendUserOperation",
  "eth_getUserOperationReceipt",
  "eth_getUserOperationByHash",
  "pimlico_getUserOperationGasPrice",
  "pimlico_getUserOperationStatus",
]);
