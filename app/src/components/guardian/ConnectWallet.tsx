"use client";
import { useEffect, useState } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import { ErrorText } from "@/components/ErrorText";
import { Button, ui } from "@/components/ui";

/** What a guardian without a browser wallet can still do. */
export function NoWalletHelp() {
  return (
    <div className={ui.notice} data-testid="no-wallet">
      <p>
        <strong>No browser wallet found.</strong> A guardian can still help:
      </p>
      <ul>
        <li>
          Install a browser wallet (an extension or a mobile wallet&apos;s browser) holding your guardian key, then
          reload this page.
        </li>
        <li>
          Or open the request&apos;s text (on the approval page) and sign it with the command line:{" "}
          <code>npm run custos -- recovery approve --request request.json</code>, then send the signature back to the
          owner, who pastes it.
        </li>
        <li>
          If the guardian is another Custos account, its owner approves from that account&apos;s own wallet: open the
          request link there, or paste it on its dashboard under &quot;Accounts this account guards&quot;.
        </li>
        <li>
          If the guardian is a Safe, the request link shows the Safe transaction: copy or download it, and its owners
          sign it in Safe{"{Wallet}"} or with <code>npm run custos -- safe sign</code>.
        </li>
      </ul>
    </div>
  );
}

/** Lists the wallets the browser announces (EIP-6963) and connects one; explains what to do without one. */
export function ConnectWallet() {
  const connection = useConnection();
  const connectors = useConnectors();
  const { connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  // The generic "Injected" connector exists even with no wallet: offer it only when window.ethereum does.
  const [hasInjected, setHasInjected] = useState(false);
  useEffect(() => setHasInjected(!!(window as { ethereum?: unknown }).ethereum), []);
  const usable = connectors.filter((c) => c.id !== "injected" || hasInjected);
  if (connection.status === "connected") {
    return (
      <p>
        Connected as <code data-testid="guardian-address">{connection.address}</code>{" "}
        <Button variant="secondary" onClick={() => disconnect()}>
          Disconnect
        </Button>
      </p>
    );
  }
  return (
    <div className={ui.stack}>
      <p>Connect the wallet you use as a guardian.</p>
      {usable.length === 0 && <NoWalletHelp />}
      <div className={ui.actions}>
        {usable.map((c) => (
          <Button key={c.uid} onClick={() => connect({ connector: c })} disabled={isPending}>
            Connect {c.name}
          </Button>
        ))}
      </div>
      <ErrorText
        error={
          error && /provider not found/i.test(error.message)
            ? "That wallet is not available in this browser any more. Reload the page, or use another wallet."
            : error
        }
      />
    </div>
  );
}
