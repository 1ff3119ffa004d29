"use client";
import { useEffect, useState } from "react";
import { formatDuration } from "../../../custos/errors";

/** Live "in 2 min 3 s" until a unix time (seconds); says "now" when reached. */
export function Countdown({ until, chainNow }: { until: bigint | number; chainNow?: bigint | number }) {
  const [now, setNow] = useState(() => Date.now());
  const [offset] = useState(() => (chainNow === undefined ? 0 : Number(chainNow) * 1000 - Date.now()));
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Number(until) - Math.floor((now + offset) / 1000);
  return <span data-testid="countdown">{left <= 0 ? "now" : `in ${formatDuration(left)}`}</span>;
}
