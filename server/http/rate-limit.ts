import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { tooManyRequests } from "../errors.ts";

/**
 * Decision requests per second per API key, so that one runaway caller cannot starve the others.
 * Fixed one-second windows in memory: a map lookup and an increment per request, one timer per
 * active key and second. Each request counts once, a batch included.
 */
export class KeyRateLimit {
  readonly #limiter: RateLimiterMemory;

  constructor(readonly perSecond: number) {
    this.#limiter = new RateLimiterMemory({ keyPrefix: "key", points: perSecond, duration: 1 });
  }

  /** 429 with Retry-After when the key has used up this second's requests. */
  async take(keyId: string): Promise<void> {
    try {
      await this.#limiter.consume(keyId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw tooManyRequests(`this API key may send ${this.perSecond} decision requests a second`, error.msBeforeNext);
    }
  }
}

/** The limiter for `RATE_LIMIT_PER_KEY`; none when it is 0. */
export function keyRateLimit(perSecond: number): KeyRateLimit | null {
  return perSecond > 0 ? new KeyRateLimit(perSecond) : null;
}
