"use client";
import { formatEther } from "viem";
import type { Session } from "@/components/SessionProvider";
import { toGuardianConfig } from "@custos/backup";
import { AddressView } from "@/components/AddressView";
import { OperationProgress } from "@/components/OperationProgress";
import { useBalance } from "@/hooks/useBalance";
import { useOperation } from "@/hooks/useOperation";
import { useSendCalls } from "@/hooks/useCustosAccount";
import { Button, Card, ui } from "@/components/ui";

/** The account pays for its own creation: fund the address, then the first UserOperation deploys it. */
export function DeployStep({ session, onDeployed }: { session: Session; onDeployed: () => void }) {
  const account = session.backup.context.account;
  const balance = useBalance(account);
  const sendCalls = useSendCalls();
  const op = useOperation();
  const funded = (balance.data ?? 0n) > 0n;
  const deploy = async () => {
    const receipt = await op.run((progress) =>
      sendCalls(
        {
          owner: session.owner,
          config: toGuardianConfig(session.backup.context),
          // A no-value call to the owner's own address: the operation exists to create the account.
          calls: [{ to: session.owner.address, value: 0n }],
        },
        progress,
      ),
    );
    if (receipt) onDeployed();
  };
  return (
    <Card aria-labelledby="deploy-h">
      <h2 id="deploy-h">Create the account on chain</h2>
      <p>
        This is your account&apos;s address. It already exists as an address; it is created on chain by its first
        operation, which the account pays for itself. Send a little ETH to it first.
      </p>
      <AddressView address={account} label="Your account address" qr />
      <p>
        Balance:{" "}
        <strong data-testid="balance">{balance.data === undefined ? "…" : `${formatEther(balance.data)} ETH`}</strong>
        {!funded && <span className={ui.hint}> — waiting for funds…</span>}
      </p>
      <Button onClick={deploy} disabled={!funded || op.busy || op.stage === "included"}>
        Create my account
      </Button>
      <OperationProgress stage={op.stage} error={op.error} />
    </Card>
  );
}
