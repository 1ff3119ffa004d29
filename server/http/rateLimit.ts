/**
 * Rate limits (rate-limiter-flexible): fixed windows of `points` per `durationSeconds` per key. On
 * Postgres the counters live in the database, shared by every app instance, and expired rows are
 * deleted hourly; otherwise they live in this process's memory, where each key is dropped when its
 * window ends. Keys are client addresses (see clientAddress.ts), e-mail targets, accounts.
 */
import type { Pool } from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { HttpError } from "./errors.js";

export interface RateLimit {
  points: number;
  durationSeconds: number;
}

export interface Limiter {
  /** Counts one hit for `key`; throws HttpError 429 (with Retry-After) when the key is over its limit. */
  consume(key: string): Promise<void>;
  readonly limit: RateLimit;
}

export function limiter(name: string, limit: RateLimit, message: string, store?: { pool: Pool }): Limiter {
  let ready: Promise<RateLimiterAbstract>;
  if (store) {
    ready = new Promise((resolve, reject) => {
      const rl: RateLimiterPostgres = new RateLimiterPostgres(
        {
          storeClient: store.pool,
          storeType: "pool",
          tableName: "server_rate_limits",
          keyPrefix: name,
          points: limit.points,
          duration: limit.durationSeconds,
          clearExpiredByTimeout: true,
        },
        (error?: Error) => (error ? reject(error) : resolve(rl)),
      );
    });
  } else {
    ready = Promise.resolve(
      new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.durationSeconds }),
    );
  }
  return {
    limit,
    async consume(key: string) {
      const rl = await ready;
      try {
        await rl.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retry = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new HttpError(429, "RATE_LIMITED", `${message} Try again in ${retry} s.`, {
          "retry-after": String(retry),
        });
      }
    },
  };
}

/** `CUSTOS_…_LIMIT` style override: a positive whole number, else the default. */
export function pointsFromEnv(variable: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[variable]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}
