"use client";
import { useSyncExternalStore } from "react";
import { readBackupRecord, subscribeBackupRecords, type BackupRecord } from "@/lib/backupHealth";

const EMPTY: BackupRecord = {};

/** This device's record of the account's backups, live across tabs. */
export function useBackupRecord(account: string | undefined): BackupRecord {
  return useSyncExternalStore(
    subscribeBackupRecords,
    () => readBackupRecord(account),
    () => EMPTY,
  );
}
