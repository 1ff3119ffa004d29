/**
 * What an alert says: what happened, to which account, what to do and the dApp page that does it.
 * One composition feeds both channels (the e-mail text and the webhook JSON body).
 */
import type { AlertData, AlertKind } from "./events.js";

export type SubscriberRole = "owner" | "guardian";

export interface AlertContext {
  kind: AlertKind;
  chainId: number;
  account: string;
  txHash: string;
  blockNumber: number;
  blockHash: string;
  /** Unix seconds of the block that holds the event. */
  blockTime: number;
  data: AlertData;
  role: SubscriberRole;
  appUrl: string;
  unsubscribeUrl: string;
  /** Stable id of this alert (the outbox row): receivers may dedupe on it. */
  deliveryId: string;
}

export interface AlertMessage {
  subject: string;
  /** One sentence: what happened. */
  summary: string;
  /** What to do, when it matters. */
  action: string;
  actionUrl: string;
  text: string;
  webhookBody: WebhookAlertBody;
}

export interface WebhookAlertBody {
  type: AlertKind;
  id: string;
  chainId: number;
  account: string;
  summary: string;
  action: string;
  actionUrl: string;
  links: { dashboard: string; guardian: string; recover: string };
  occurredAt: string;
  block: { number: number; hash: string };
  transactionHash: string;
  data: AlertData;
  unsubscribeUrl: string;
}

/** "2026-11-23 20:15:00 UTC": unambiguous, sortable, no locale. */
export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " UTC");
}

export function dappLinks(appUrl: string, account: string) {
  const base = appUrl.replace(/\/+$/, "");
  const q = `?account=${account}`;
  return { dashboard: `${base}/dashboard${q}`, guardian: `${base}/guardian${q}`, recover: `${base}/recover${q}` };
}

const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

interface Wording {
  title: string;
  summary: string;
  action: string;
  page: "dashboard" | "guardian" | "recover";
}

function word(ctx: AlertContext): Wording {
  const d = ctx.data;
  const owner = ctx.role === "owner";
  const cancelPage = owner ? "dashboard" : "guardian";
  switch (ctx.kind) {
    case "recovery.started": {
      const deadline = formatTime(Number(d.executeAfter));
      // Cancel quorum: ⌈(n+1)/2⌉ of the owner and the n guardians at the start of the recovery.
      const quorum = Math.floor((Number(d.guardianCount) + 2) / 2);
      return {
        title: "Recovery started",
        summary: `A recovery of account ${ctx.account} to the new owner key ${d.newOwner} was started. It can be executed from ${deadline}.`,
        action: `If this was not you, cancel with your guardians before ${deadline}: a cancel needs ${quorum} signatures from the owner and the guardians, collected on the page below.`,
        page: cancelPage,
      };
    }
    case "recovery.approved":
      return {
        title: "Recovery approved by a guardian",
        summary: `Guardian ${d.guardian} approved a recovery of account ${ctx.account} to the new owner key ${d.newOwner}.`,
        action:
          "If this was not you, ask your other guardians not to approve it and lock the account from the guardian page; once enough guardians approve, a recovery starts.",
        page: "guardian",
      };
    case "recovery.cancelled":
      return {
        title: "Recovery cancelled",
        summary: `The pending recovery of account ${ctx.account} to ${d.newOwner} was cancelled; the current owner key stays in control.`,
        action: "Nothing to do. Check the dashboard if you did not expect this.",
        page: "dashboard",
      };
    case "recovery.executed":
      return {
        title: "Recovery executed",
        summary: `Account ${ctx.account} is now controlled by the owner key ${d.newOwner} (it was ${d.previousOwner}).`,
        action:
          "If this was not you, your guardians can recover the account to a key you hold: start a recovery from the page below.",
        page: "recover",
      };
    case "owner.rotated":
      return {
        title: "Signer key rotated",
        summary: `The owner key of account ${ctx.account} was rotated from ${d.previousOwner} to ${d.newOwner}.`,
        action:
          "If this was not you, ask a guardian to lock the account now and recover it to a key you hold from the page below.",
        page: "recover",
      };
    case "account.locked": {
      const until = formatTime(Number(d.until));
      return {
        title: "Account locked",
        summary: `Guardian ${d.guardian} locked account ${ctx.account} until ${until}: owner operations are frozen until then.`,
        action: `If you did not ask for this, ask a guardian to unlock it before ${until}.`,
        page: "guardian",
      };
    }
    case "account.unlocked":
      return {
        title: "Account unlocked",
        summary: `Guardian ${d.guardian} lifted the lock of account ${ctx.account}; the owner key can act again.`,
        action: "If your device is still lost or stolen, ask a guardian to lock the account again.",
        page: "guardian",
      };
    case "config.requested": {
      const readyAt = formatTime(Number(d.readyAt));
      const guardians = (d.guardians as string[]).map(short).join(", ") || "none";
      return {
        title: "Guardian configuration change requested",
        summary: `A change of the guardians of account ${ctx.account} was requested: guardians ${guardians}, threshold ${d.threshold}. It can be confirmed from ${readyAt} until ${formatTime(Number(d.expiresAt))}.`,
        action: `If this was not you, cancel it or have a guardian lock the account before ${readyAt}.`,
        page: owner ? "dashboard" : "guardian",
      };
    }
    case "config.cancelled":
      return {
        title: "Configuration change cancelled",
        summary: `A pending guardian configuration change of account ${ctx.account} was cancelled.`,
        action: "Nothing to do.",
        page: "dashboard",
      };
    case "config.applied": {
      const guardians = (d.guardians as string[]).map(short).join(", ") || "none";
      return {
        title: "Guardian configuration changed",
        summary: `Account ${ctx.account} now has guardians ${guardians} with threshold ${d.threshold} (configuration ${d.epoch}).`,
        action: "If this was not you, have a guardian lock the account and recover it from the page below.",
        page: owner ? "dashboard" : "guardian",
      };
    }
  }
}

export function composeAlert(ctx: AlertContext): AlertMessage {
  const w = word(ctx);
  const links = dappLinks(ctx.appUrl, ctx.account);
  const actionUrl = links[w.page];
  const occurredAt = new Date(ctx.blockTime * 1000).toISOString();
  const text = [
    `${w.title} — Custos account ${ctx.account}`,
    "",
    `What happened: ${w.summary}`,
    "",
    `What to do: ${w.action}`,
    `  ${actionUrl}`,
    "",
    `When: ${formatTime(ctx.blockTime)}, block ${ctx.blockNumber} on chain ${ctx.chainId}`,
    `Transaction: ${ctx.txHash}`,
    "",
    `You receive this because you subscribed to alerts for this account as ${ctx.role === "owner" ? "its owner" : "a guardian"}.`,
    `Unsubscribe in one click: ${ctx.unsubscribeUrl}`,
  ].join("\n");
  return {
    subject: `[Custos] ${w.title}: ${short(ctx.account)}`,
    summary: w.summary,
    action: w.action,
    actionUrl,
    text,
    webhookBody: {
      type: ctx.kind,
      id: ctx.deliveryId,
      chainId: ctx.chainId,
      account: ctx.account,
      summary: w.summary,
      action: w.action,
      actionUrl,
      links,
      occurredAt,
      block: { number: ctx.blockNumber, hash: ctx.blockHash },
      transactionHash: ctx.txHash,
      data: ctx.data,
      unsubscribeUrl: ctx.unsubscribeUrl,
    },
  };
}
