"use client";
import Link from "next/link";
import { useState } from "react";
import type { AccountState } from "@custos";
import type { Session } from "@/components/SessionProvider";
import { KitDownload } from "@/components/KitDownload";
import { useBackupRecord } from "@/hooks/useBackupRecord";
import { CHECK_REMINDER_DAYS, daysSince, kitStaleReasons } from "@/lib/backupHealth";
import { Button, cx, ui } from "@/components/ui";
import styles from "./BackupHealth.module.css";

function checked(iso: string | undefined): string {
  return iso ? `checked against the chain ${ago(iso)}` : "not checked against the chain yet";
}

function ago(iso: string | undefined): string {
  const days = daysSince(iso);
  if (days === undefined) return "never";
  if (days === 0) return "today";
  return days === 1 ? "yesterday" : `${days} days ago`;
}

/**
 * Backup health (D6): whether a recovery kit and a paper backup were made, when each was last checked
 * against the chain, whether the kit is out of date (guardians, threshold or delays changed since it
 * was written, or the phrase was replaced), with a fresh kit or a new check one step away.
 */
export function BackupHealth({ session, state }: { session: Session; state: AccountState }) {
  const record = useBackupRecord(state.address);
  const [freshKit, setFreshKit] = useState(false);
  const stale = record.kit ? kitStaleReasons(record.kit, state.owner, state.config) : [];
  const paperStale = record.paper && record.paper.owner.toLowerCase() !== state.owner.toLowerCase();
  const kitOld = record.kit && (daysSince(record.kitVerifiedAt ?? record.kit.writtenAt) ?? 0) >= CHECK_REMINDER_DAYS;
  const paperOld =
    record.paper && (daysSince(record.paperVerifiedAt ?? record.paper.madeAt) ?? 0) >= CHECK_REMINDER_DAYS;
  const kitStatus = !record.kit ? "none" : stale.length ? "stale" : "ok";
  return (
    <section className={ui.card} aria-labelledby="health-h" data-testid="backup-health">
      <h2 id="health-h">Backups</h2>
      <ul className={styles.health}>
        <li data-testid="kit-health" data-status={kitStatus}>
          <strong>Recovery kit: </strong>
          {!record.kit && "none made on this device yet."}
          {record.kit && stale.length === 0 && (
            <>
              written {ago(record.kit.writtenAt)}, {checked(record.kitVerifiedAt)}; it matches the account.
            </>
          )}
          {record.kit && stale.length > 0 && (
            <span className={ui.warningText}>
              out of date — since it was written {ago(record.kit.writtenAt)}, {stale.join(" and ")}. Make a fresh kit
              and delete the old file.
            </span>
          )}
        </li>
        <li data-testid="paper-health" data-status={!record.paper ? "none" : paperStale ? "stale" : "ok"}>
          <strong>Paper backup: </strong>
          {!record.paper && "not recorded on this device."}
          {record.paper && !paperStale && (
            <>
              written down {ago(record.paper.madeAt)}, {checked(record.paperVerifiedAt)}.
            </>
          )}
          {paperStale && (
            <span className={ui.warningText}>
              those words no longer control the account (the phrase was replaced). Write down the new words.
            </span>
          )}
        </li>
      </ul>
      {(kitOld || paperOld) && (
        <p className={ui.notice}>
          It has been a while since you checked a backup. Checking takes a minute and proves it still restores this
          account.
        </p>
      )}
      <div className={ui.actions}>
        <Button onClick={() => setFreshKit(true)} aria-expanded={freshKit}>
          {record.kit ? "Make a fresh kit" : "Make a recovery kit"}
        </Button>
        <Link className={cx(ui.button, ui.secondary)} href="/backup">
          Check a backup now
        </Link>
      </div>
      {freshKit && (
        <KitDownload
          backup={session.backup}
          owner={session.owner.address}
          label={record.kit ? "Download the fresh kit" : "Download recovery kit"}
        />
      )}
    </section>
  );
}
