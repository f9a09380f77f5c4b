import { setTimeout as sleep } from "node:timers/promises";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { type Db, postgresPoolOf } from "../db/database.ts";
import { tooManyRequests } from "../errors.ts";

/** Failed sign-ins allowed per (account, client address) and per client address, within `WINDOW_SECONDS`. */
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 20;
/** Failed sign-ins for one account from all addresses together after which each attempt on it waits `SLOW_DOWN_MS`. */
export const SLOW_DOWN_AFTER_ACCOUNT_FAILURES = 10;
export const SLOW_DOWN_MS = 1_000;
export const WINDOW_SECONDS = 15 * 60;

export type LoginThrottleLimits = {
  perAccountAndIp: number;
  perIp: number;
  slowDownAfter: number;
  slowDownMs: number;
  windowSeconds: number;
};

const defaults: LoginThrottleLimits = {
  perAccountAndIp: MAX_FAILURES_PER_ACCOUNT_AND_IP,
  perIp: MAX_FAILURES_PER_IP,
  slowDownAfter: SLOW_DOWN_AFTER_ACCOUNT_FAILURES,
  slowDownMs: SLOW_DOWN_MS,
  windowSeconds: WINDOW_SECONDS,
};

/** The table RateLimiterPostgres counts in: created by our migration (2026_12_07_0620), with the library's columns. */
const THROTTLE_TABLE = "login_throttle";

/**
 * Slows down password guessing without letting anyone lock a real user out: after 5 failed sign-ins
 * for one account from one address, or 20 from one address whatever the accounts, within 15 minutes,
 * further attempts from that address (for that account, or at all) are refused with 429 until the
 * window has passed, even with the right password (otherwise the answer would tell a guesser when
 * they hit). Failures from other addresses never refuse anyone: once an account has 10 failures from
 * everywhere together, each attempt on it only waits a second first. A success clears the count of
 * its (account, address). Counted in the database on PostgreSQL, so that several instances share one count (a guesser
 * spreading attempts over N instances behind a load balancer gets no more of them); in memory on SQLite, which one
 * instance serves: a restart forgets, and the windows are short anyway.
 *
 * Each attempt takes its points before the password is checked and gives them back when it
 * succeeds, so that many attempts sent at once cannot all slip past the count while scrypt is busy;
 * and refused attempts never reach scrypt, so a flood of guesses costs no hashing.
 */
export class LoginThrottle {
  readonly #limits: LoginThrottleLimits;
  readonly #byAccountAndIp: RateLimiterAbstract;
  readonly #byIp: RateLimiterAbstract;
  /** Never refuses: counts an account's failures from everywhere, to slow attempts on it down. */
  readonly #byAccount: RateLimiterAbstract;

  /** `db`: the service's database, where the counts are kept when it is PostgreSQL. */
  constructor(options: Partial<LoginThrottleLimits> & { db?: Db } = {}) {
    const { db, ...limits } = options;
    this.#limits = { ...defaults, ...limits };
    const duration = this.#limits.windowSeconds;
    const pool = db === undefined ? undefined : postgresPoolOf(db);
    const limiter = (keyPrefix: string, points: number, clearsExpired = false): RateLimiterAbstract =>
      pool === undefined
        ? new RateLimiterMemory({ keyPrefix, points, duration })
        : new RateLimiterPostgres({
            keyPrefix,
            points,
            duration,
            storeClient: pool,
            storeType: "pool",
            tableName: THROTTLE_TABLE,
            tableCreated: true,
            // the three share the table: one of them deletes the expired rows (every 5 minutes), for all
            clearExpiredByTimeout: clearsExpired,
          });
    this.#byAccountAndIp = limiter("account-ip", this.#limits.perAccountAndIp);
    this.#byIp = limiter("ip", this.#limits.perIp, true);
    this.#byAccount = limiter("account", Number.MAX_SAFE_INTEGER);
  }

  /** Counts an attempt as failed until `succeeded` says otherwise; 429 (with Retry-After) when its address is over a limit. */
  async attempt(username: string, ip: string): Promise<void> {
    const pair = pairKey(username, ip);
    const [forPair, forIp] = await Promise.all([
      settle(this.#byAccountAndIp.consume(pair)),
      settle(this.#byIp.consume(addressKey(ip))),
    ]);
    if (forPair.over || forIp.over) {
      // a refused attempt is not a guess: give back what it took from the limit it did not break
      if (!forPair.over) await this.#byAccountAndIp.reward(pair);
      if (!forIp.over) await this.#byIp.reward(addressKey(ip));
      const waits = [forPair, forIp].filter((r) => r.over).map((r) => r.msBeforeNext);
      throw tooManyRequests("too many failed sign-ins: wait before trying again", Math.max(...waits));
    }
    const forAccount = await this.#byAccount.consume(accountKey(username));
    if (forAccount.consumedPoints > this.#limits.slowDownAfter) await sleep(this.#limits.slowDownMs);
  }

  /** The attempt was right: the failures of this account from this address are forgotten, and the others get their point back. */
  async succeeded(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.#byAccountAndIp.delete(pairKey(username, ip)),
      this.#byIp.reward(addressKey(ip)),
      this.#byAccount.reward(accountKey(username)),
    ]);
  }
}

/**
 * User names match exactly at sign-in, but they are counted as one account however they are typed
 * (`Admin`, ` admin `, full-width letters), so that no spelling gets a fresh count.
 */
export const accountKey = (username: string) => username.normalize("NFKC").trim().toLowerCase().slice(0, 100);

/** An IPv6 client usually holds a whole /64: its addresses count as one, or a guesser could change address at will. */
export function addressKey(ip: string): string {
  if (!ip.includes(":") || ip.includes(".")) return ip;
  const [head = "", tail] = ip.toLowerCase().split("::");
  const front = head === "" ? [] : head.split(":");
  const back = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

const pairKey = (username: string, ip: string) => `${accountKey(username)}\n${addressKey(ip)}`;

/** `consume` rejects with the limiter's state once over the limit. */
async function settle(consumed: Promise<RateLimiterRes>): Promise<{ over: boolean; msBeforeNext: number }> {
  try {
    const res = await consumed;
    return { over: false, msBeforeNext: res.msBeforeNext };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return { over: true, msBeforeNext: error.msBeforeNext };
  }
}
