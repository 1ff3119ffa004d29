"use client";
import { useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import { ErrorText } from "@/components/ErrorText";

/** Lists the wallets the browser announces (EIP-6963) and connects one. */
export function ConnectWallet() {
  const connection = useConnection();
  const connectors = useConnectors();
  const { connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  if (connection.status === "connected") {
    return (
      <p>
        Connected as <code data-testid="guardian-address">{connection.address}</code>{" "}
        <button type="button" className="secondary" onClick={() => disconnect()}>
          Disconnect
        </button>
      </p>
    );
  }
  return (
    <div>
      <p>Connect the wallet you use as a guardian.</p>
      {connectors.length === 0 && (
        <p className="notice">No browser wallet found. Install one, or paste the request into your wallet by hand.</p>
      )}
      {connectors.map((c) => (
        <button key={c.uid} type="button" onClick={() => connect({ connector: c })} disabled={isPending}>
          Connect {c.name}
        </button>
      ))}
      <ErrorText error={error} />
    </div>
  );
}
