"use client";
import { useState } from "react";
import { changeKitPasswordInWorker } from "@/lib/kdfClient";
import { renderPaperBackup } from "@custos/backup";
import type { Session } from "@/components/SessionProvider";
import { KitDownload } from "@/components/KitDownload";
import { NewPasswordField, PasswordField } from "@/components/PasswordField";
import { ErrorText } from "@/components/ErrorText";
import { downloadText, kitFilename } from "@/lib/download";
import { KdfProgress } from "@/components/KdfProgress";
import { KitInput } from "./KitInput";
import { Unlock } from "@/components/Unlock";
import { Button, Card, Notice, ui } from "@/components/ui";

/** Export a kit, change a kit's password (B6), print the paper backup. */
export function KitTools({ session }: { session: Session | null }) {
  const [kit, setKit] = useState("");
  const [oldPw, setOldPw] = useState("");
  const [newPw, setNewPw] = useState("");
  const [newOk, setNewOk] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const change = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setNotice("");
    setProgress(0);
    try {
      const changed = await changeKitPasswordInWorker(kit, oldPw, newPw, setProgress);
      downloadText("custos-recovery-kit-new-password.json", changed.kit);
      setNotice(changed.notice);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };
  const paper = async () => {
    if (!session) return;
    const page = await renderPaperBackup({
      mnemonic: session.backup.mnemonic,
      account: session.backup.context.account,
      chainId: session.backup.context.chainId,
    });
    const w = window.open("", "_blank", "noopener=no");
    if (!w) return;
    w.document.write(page.html);
    w.document.close();
    w.print();
  };
  return (
    <>
      <Card aria-labelledby="exp-h">
        <h2 id="exp-h">Export a recovery kit</h2>
        {session ? (
          <>
            <KitDownload backup={session.backup} owner={session.owner.address} />
            <Button variant="secondary" onClick={paper}>
              Print paper backup
            </Button>
            <p className={ui.hint}>File name: {kitFilename(session.backup.context.account)}</p>
          </>
        ) : (
          <Unlock embedded title="Unlock to export a kit or print the paper backup" />
        )}
      </Card>
      <form className={ui.card} onSubmit={change} aria-labelledby="chg-h">
        <h2 id="chg-h">Change a kit&apos;s backup password</h2>
        <KitInput value={kit} onChange={setKit} />
        <PasswordField label="Current backup password" value={oldPw} onChange={setOldPw} />
        <NewPasswordField
          label="New backup password"
          value={newPw}
          onChange={(v, ok) => {
            setNewPw(v);
            setNewOk(ok);
          }}
        />
        <Button type="submit" disabled={!newOk || !kit || progress !== null}>
          {progress !== null ? "Re-encrypting…" : "Re-encrypt and download"}
        </Button>
        <KdfProgress fraction={progress} label="Re-encrypting the kit" />
        {notice && <Notice role="status">{notice}</Notice>}
        <ErrorText error={error} />
      </form>
    </>
  );
}
