/** The chain a server process serves: one public client per RPC URL (viem), shared by its handlers. */
import { createPublicClient, http, type PublicClient } from "viem";
import { servedEndpoints } from "./deployment.js";

const clients = new Map<string, PublicClient>();

export function chainClient(rpcUrl: string = servedEndpoints().rpcUrl): PublicClient {
  let client = clients.get(rpcUrl);
  if (!client) {
    client = createPublicClient({ transport: http(rpcUrl, { retryCount: 1, timeout: 15_000 }) }) as PublicClient;
    clients.set(rpcUrl, client);
  }
  return client;
}
