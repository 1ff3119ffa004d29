import type { ClientEnv } from "./env";
import type { KitDelays } from "../../../custos/backup/context";

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
