import type { ClientEnv } from "./env";
import type { KitDelays } from "@custos/backup";

export interface DelayPreset {
  id: string;
  title: string;
  explain: string;
  delays: KitDelays;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/** Recovery delay presets in plain words; only those the deployment's bounds accept are offered. */
export function delayPresets(env: ClientEnv): DelayPreset[] {
  const b = env.bounds;
  const presets: DelayPreset[] = [
    {
      id: "standard",
      title: "2 days (recommended)",
      explain:
        "After your guardians approve a recovery, it waits 2 days before it can take effect. You have 2 days to notice and cancel a recovery you did not ask for.",
      delays: { recoveryDelay: 2 * DAY, securityPeriod: DAY, securityWindow: 12 * HOUR, lockPeriod: 2 * DAY },
    },
    {
      id: "careful",
      title: "7 days (most cautious)",
      explain: "A week to react to an unexpected recovery. Slower if you really lose your phrase.",
      delays: { recoveryDelay: 7 * DAY, securityPeriod: 2 * DAY, securityWindow: DAY, lockPeriod: 7 * DAY },
    },
  ];
  if (b.minRecoveryDelay < DAY) {
    const securityPeriod = b.minSecurityPeriod;
    const securityWindow = b.minSecurityWindow;
    presets.unshift({
      id: "demo",
      title: `Demo (${Math.max(b.minRecoveryDelay, securityPeriod + securityWindow)} seconds)`,
      explain: "For trying Custos on a local test chain only: a recovery can take effect almost at once.",
      delays: {
        recoveryDelay: Math.max(b.minRecoveryDelay, securityPeriod + securityWindow),
        securityPeriod,
        securityWindow,
        lockPeriod: Math.max(b.minLockPeriod, 300),
      },
    });
  }
  return presets.filter(
    (p) => p.delays.recoveryDelay >= b.minRecoveryDelay && p.delays.recoveryDelay <= b.maxRecoveryDelay,
  );
}

/**
 * Delays for a recovery delay the user typed: the configuration-change period is half of it and the
 * confirmation window a quarter (never below the deployment's minimums, and together never longer than
 * the recovery delay itself), and a guardian lock lasts as long as a recovery would wait.
 * Throws a sentence when the delay is outside the deployment's bounds.
 */
export function customDelays(env: ClientEnv, recoveryDelay: number): KitDelays {
  const b = env.bounds;
  if (
    !Number.isSafeInteger(recoveryDelay) ||
    recoveryDelay < b.minRecoveryDelay ||
    recoveryDelay > b.maxRecoveryDelay
  ) {
    throw new Error(
      `Choose a recovery delay between ${formatSeconds(b.minRecoveryDelay)} and ${formatSeconds(b.maxRecoveryDelay)}.`,
    );
  }
  // Every deployment caps the period at 14 days and the window at 7 (custos/deploy/constants).
  const securityPeriod = Math.min(14 * DAY, Math.max(b.minSecurityPeriod, Math.floor(recoveryDelay / 2)));
  const securityWindow = Math.min(7 * DAY, Math.max(b.minSecurityWindow, Math.floor(recoveryDelay / 4)));
  if (securityPeriod + securityWindow > recoveryDelay) {
    return {
      recoveryDelay: Math.max(recoveryDelay, b.minSecurityPeriod + b.minSecurityWindow),
      securityPeriod: b.minSecurityPeriod,
      securityWindow: b.minSecurityWindow,
      lockPeriod: Math.max(b.minLockPeriod, recoveryDelay),
    };
  }
  return { recoveryDelay, securityPeriod, securityWindow, lockPeriod: Math.max(b.minLockPeriod, recoveryDelay) };
}

export const DELAY_UNITS = { minutes: 60, hours: HOUR, days: DAY } as const;

function formatSeconds(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? "" : "s"}`;
  if (seconds % HOUR === 0) return `${seconds / HOUR} hour${seconds === HOUR ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} seconds`;
}
