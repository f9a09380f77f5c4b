import { tooManyRequests, type DomainError } from "../errors.ts";

/**
 * Decisions per second per API key, to contain a runaway or stolen key. Each decision counts once: a batch counts
 * every item in it.
 *
 * Fixed one-second windows, each opened by a key's first request after the last one ended — how rate-limiter-flexible's
 * RateLimiterMemory counts (the sign-in throttle uses that library). Not the library here: its only API is a promise,
 * and a promise with its turn of the microtask queue on every decision cost more than the count itself;
 * this is the same count kept synchronously. One entry per key that has called, and only authenticated keys get here,
 * so the map stays as small as the list of live keys.
 */
export class KeyRateLimit {
  readonly #windows = new Map<string, { endsAt: number; used: number }>();

  constructor(
    readonly perSecond: number,
    /** Monotonic milliseconds. */
    readonly now: () => number = () => performance.now(),
  ) {}

  /** 429 with Retry-After when the key has used up this second's decisions. */
  take(keyId: string): void {
    this.grant(keyId, 1);
  }

  /**
   * Counts `n` decisions and returns how many of them the key still had this second (the first ones); 429 with
   * Retry-After when it had none. Refused decisions count too, until the window ends.
   */
  grant(keyId: string, n: number): number {
    const now = this.now();
    let window = this.#windows.get(keyId);
    if (window === undefined) {
      window = { endsAt: now + 1000, used: 0 };
      this.#windows.set(keyId, window);
    } else if (now >= window.endsAt) {
      window.endsAt = now + 1000;
      window.used = 0;
    }
    const left = this.perSecond - window.used;
    window.used += n;
    if (left <= 0) throw this.refusal(keyId);
    return Math.min(left, n);
  }

  /** The 429 for a decision of `keyId` past its limit, with the time left in its window. */
  refusal(keyId: string): DomainError {
    const window = this.#windows.get(keyId);
    const waitMs = window === undefined ? 0 : window.endsAt - this.now();
    return tooManyRequests(`this API key may send ${this.perSecond} decisions a second`, waitMs);
  }
}

/** The limiter for `RATE_LIMIT_PER_KEY`; none when it is 0. */
export function keyRateLimit(perSecond: number): KeyRateLimit | null {
  return perSecond > 0 ? new KeyRateLimit(perSecond) : null;
}
