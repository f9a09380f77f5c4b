import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { KeyRateLimit } from "./rate-limit.ts";

function refusal(take: () => void): DomainError | undefined {
  try {
    take();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe("KeyRateLimit", () => {
  it("allows `perSecond` requests per key in a window opened by the first, then 429 with the seconds left, rounded up", () => {
    let now = 10_000;
    const limit = new KeyRateLimit(3, () => now);
    for (let i = 0; i < 3; i++) expect(refusal(() => limit.take("a"))).toBeUndefined();
    now += 400;
    const refused = refusal(() => limit.take("a"));
    expect(refused?.status).toBe(429);
    expect(refused?.headers).toEqual({ "retry-after": "1" });
    // another key has its own count
    expect(refusal(() => limit.take("b"))).toBeUndefined();
    // refused requests count too, until the window ends: 1 000 ms after the first request
    now += 599;
    expect(refusal(() => limit.take("a"))?.status).toBe(429);
    now += 1;
    for (let i = 0; i < 3; i++) expect(refusal(() => limit.take("a"))).toBeUndefined();
    expect(refusal(() => limit.take("a"))?.status).toBe(429);
  });

  it("opens the next window at the first request after the last one ended, not on the second's boundary", () => {
    let now = 0;
    const limit = new KeyRateLimit(1, () => now);
    limit.take("a");
    now = 5_250;
    limit.take("a");
    now = 6_249;
    expect(refusal(() => limit.take("a"))?.status).toBe(429);
    now = 6_250;
    expect(refusal(() => limit.take("a"))).toBeUndefined();
  });
});

describe("KeyRateLimit.grant", () => {
  it("grants the first of `n` decisions the key has left, counts all of them, and refuses when none are left", () => {
    let now = 0;
    const limit = new KeyRateLimit(50, () => now);
    limit.take("a");
    expect(limit.grant("a", 100)).toBe(49);
    const refused = refusal(() => limit.grant("a", 1));
    expect(refused?.status).toBe(429);
    expect(refused?.headers).toEqual({ "retry-after": "1" });
    expect(limit.refusal("a").status).toBe(429);
    now = 1_000;
    expect(limit.grant("a", 30)).toBe(30);
    expect(limit.grant("a", 30)).toBe(20);
  });
});
