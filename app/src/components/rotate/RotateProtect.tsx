"use client";
import { useState } from "react";
import { type RecoveryBackup, deriveOwnerAddress } from "@custos/backup";
import { NewPasswordField } from "@/components/PasswordField";
import { KitDownload } from "@/components/KitDownload";
import { Button, Card } from "@/components/ui";

/**
 * The new phrase's wallet password and kit. Nothing is written to this device yet: the old phrase
 * keeps working here until the rotation is on chain.
 */
export function RotateProtect({ backup, onDone }: { backup: RecoveryBackup; onDone: (password: string) => void }) {
  const [password, setPassword] = useState("");
  const [acceptable, setAcceptable] = useState(false);
  return (
    <Card aria-labelledby="rprotect-h">
      <h2 id="rprotect-h">Protect the new phrase</h2>
      <NewPasswordField
        label="Wallet password for the new phrase"
        value={password}
        onChange={(v, ok) => {
          setPassword(v);
          setAcceptable(ok);
        }}
      />
      <h3>Recovery kit of the new phrase (optional)</h3>
      <KitDownload backup={backup} owner={deriveOwnerAddress(backup.mnemonic)} walletPassword={password} />
      <Button disabled={!acceptable} onClick={() => onDone(password)}>
        Continue
      </Button>
    </Card>
  );
}
