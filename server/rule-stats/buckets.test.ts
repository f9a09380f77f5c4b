import { describe, expect, it } from "vitest";
import { bucketIndex, bucketStarts } from "./buckets.ts";

const iso = (starts: number[]) => starts.map((start) => new Date(start).toISOString());

describe("the buckets of a period", () => {
  it("are whole hours in UTC, the first holding `from`, the last the instant before `to`", () => {
    const period = bucketStarts(
      Date.parse("2026-11-20T15:10:00Z"),
      Date.parse("2026-11-20T17:00:00Z"),
      "hour",
      "UTC",
      10,
    );
    expect("starts" in period && iso(period.starts)).toEqual(["2026-11-20T15:00:00.000Z", "2026-11-20T16:00:00.000Z"]);
    expect("end" in period && new Date(period.end).toISOString()).toBe("2026-11-20T17:00:00.000Z");
  });

  it("are days from midnight to midnight in the zone: Beijing's start at 16:00 UTC", () => {
    const period = bucketStarts(
      Date.parse("2026-11-20T03:00:00Z"),
      Date.parse("2026-11-21T15:00:00Z"),
      "day",
      "Asia/Shanghai",
      10,
    );
    expect("starts" in period && iso(period.starts)).toEqual(["2026-11-19T16:00:00.000Z", "2026-11-20T16:00:00.000Z"]);
    expect("end" in period && new Date(period.end).toISOString()).toBe("2026-11-21T16:00:00.000Z");
  });

  it("follow daylight saving: New York's 1 November 2026 lasts 25 hours", () => {
    const period = bucketStarts(
      Date.parse("2026-10-31T12:00:00Z"),
      Date.parse("2026-11-02T12:00:00Z"),
      "day",
      "America/New_York",
      10,
    );
    expect("starts" in period && iso(period.starts)).toEqual([
      "2026-10-31T04:00:00.000Z",
      "2026-11-01T04:00:00.000Z",
      "2026-11-02T05:00:00.000Z",
    ]);
  });

  it("are counted, not made, when there are too many", () => {
    const started = performance.now();
    const period = bucketStarts(
      Date.parse("0001-01-01T00:00:00Z"),
      Date.parse("9999-01-01T00:00:00Z"),
      "day",
      "Asia/Shanghai",
      100,
    );
    expect("tooMany" in period && period.tooMany).toBeGreaterThan(100);
    expect(bucketStarts(0, 2_401 * 3_600_000, "hour", "UTC", 2_400)).toEqual({ tooMany: 2_401 });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("hold an instant in the last one that starts at or before it", () => {
    expect([bucketIndex([10, 20, 30], 5), bucketIndex([10, 20, 30], 10), bucketIndex([10, 20, 30], 29)]).toEqual([
      -1, 0, 1,
    ]);
    expect(bucketIndex([10, 20, 30], 99)).toBe(2);
  });
});
