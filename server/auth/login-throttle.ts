import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { tooManyRequests } from "../errors.ts";

/** Failed sign-ins allowed per account, and per client IP, within `WINDOW_SECONDS`. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;
export const WINDOW_SECONDS = 15 * 60;

/**
 * Slows down password guessing: after 5 failed sign-ins for one account, or 20 from one IP, within
 * 15 minutes, every further attempt is refused with 429 until the window has passed, even with
 * the right password (otherwise the answer would tell a guesser when they hit). A success clears
 * the account's count. Counted in memory: a restart forgets, and the windows are short anyway.
 *
 * Each attempt takes its point before the password is checked and gives it back when it succeeds,
 * so that many attempts sent at once cannot all slip past the count while scrypt is busy; and
 * refused attempts never reach scrypt, so a flood of guesses costs no hashing.
 */
export class LoginThrottle {
  readonly #byAccount = new RateLimiterMemory({ keyPrefix: "account", points: MAX_FAILURES_PER_ACCOUNT, duration: WINDOW_SECONDS });
  readonly #byIp = new RateLimiterMemory({ keyPrefix: "ip", points: MAX_FAILURES_PER_IP, duration: WINDOW_SECONDS });

  /** Counts an attempt as failed until `succeeded` says otherwise; 429 (with Retry-After) when over either limit. */
  async attempt(username: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([settle(this.#byAccount.consume(accountKey(username))), settle(this.#byIp.consume(ip))]);
    if (account.over || address.over) {
      // a refused attempt is not a guess: give back what it took from the limit it did not break
      if (!account.over) await this.#byAccount.reward(accountKey(username));
      if (!address.over) await this.#byIp.reward(ip);
      const waits = [account, address].filter((r) => r.over).map((r) => r.msBeforeNext);
      throw tooManyRequests("too many failed sign-ins: wait before trying again", Math.max(...waits));
    }
  }

  /** The attempt was right: the account's failures are forgotten, and the IP gets its point back. */
  async succeeded(username: string, ip: string): Promise<void> {
    await Promise.all([this.#byAccount.delete(accountKey(username)), this.#byIp.reward(ip)]);
  }
}

/** User names match exactly, but the count is case-blind so that `Admin` and `admin` share it. */
const accountKey = (username: string) => username.slice(0, 100).toLowerCase();

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
