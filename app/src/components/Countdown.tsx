"use client";
import { useEffect, useState } from "react";
import { formatDuration } from "@custos";

/**
 * Live "in 2 min 3 s" until a unix time (seconds), counted from the chain's time `chainNow` (re-synced
 * whenever it changes, e.g. after time travel) and the wall clock in between. When `reached` is given
 * (the chain's own verdict, the one that enables the button beside it), "now" is said only once it is
 * true, so the countdown and the button never disagree.
 */
export function Countdown({
  until,
  chainNow,
  reached,
}: {
  until: bigint | number;
  chainNow?: bigint | number;
  reached?: boolean;
}) {
  const [now, setNow] = useState(() => Date.now());
  const chainMs = chainNow === undefined ? undefined : Number(chainNow) * 1000;
  const [offset, setOffset] = useState(() => (chainMs === undefined ? 0 : chainMs - Date.now()));
  useEffect(() => {
    if (chainMs !== undefined) setOffset(chainMs - Date.now());
  }, [chainMs]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Number(until) - Math.floor((now + offset) / 1000);
  const text =
    reached === true
      ? "now"
      : reached === false
        ? left <= 0
          ? "in a few seconds"
          : `in ${formatDuration(left)}`
        : left <= 0
          ? "now"
          : `in ${formatDuration(left)}`;
  return <span data-testid="countdown">{text}</span>;
}
