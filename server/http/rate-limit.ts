import { tooManyRequests } from "../errors.ts";

/**
 * Decision requests per second per API key, so that one runaway caller cannot starve the others. Each request counts
 * once, a batch included.
 *
 * Fixed one-second windows, each opened by a key's first request after the last one ended — how rate-limiter-flexible's
 * RateLimiterMemory counts (the sign-in throttle uses that library). Not the library here: its only API is a promise,
 * and a promise with its turn of the microtask queue on every decision cost more than the count itself (npm run bench);
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

  /** 429 with Retry-After when the key has used up this second's requests. */
  take(keyId: string): void {
    const now = this.now();
    let window = this.#windows.get(keyId);
    if (window === undefined) this.#windows.set(keyId, (window = { endsAt: now + 1000, used: 0 }));
    else if (now >= window.endsAt) {
      window.endsAt = now + 1000;
      window.used = 0;
    }
    if (++window.used > this.perSecond) {
      throw tooManyRequests(`this API key may send ${this.perSecond} decision requests a second`, window.endsAt - now);
    }
  }
}

/** The limiter for `RATE_LIMIT_PER_KEY`; none when it is 0. */
export function keyRateLimit(perSecond: number): KeyRateLimit | null {
  return perSecond > 0 ? new KeyRateLimit(perSecond) : null;
}
