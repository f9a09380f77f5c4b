import { describe, expect, it } from "vitest";
import { periodOf } from "./stats-period.ts";

const iso = (period: { from: Date; to: Date }) => [period.from.toISOString(), period.to.toISOString()];

describe("the period the analytics tab asks for", () => {
  // 2026-11-20 18:30 in Beijing
  const now = new Date("2026-11-20T10:30:00Z");

  it("by the day: 7 Beijing days, today the last, midnight to midnight", () => {
    expect(iso(periodOf(now, 7, "day", "Asia/Shanghai"))).toEqual([
      "2026-11-13T16:00:00.000Z",
      "2026-11-20T16:00:00.000Z",
    ]);
  });

  it("by the hour: 7 × 24 hours up to the end of the current hour", () => {
    expect(iso(periodOf(now, 7, "hour", "Asia/Shanghai"))).toEqual([
      "2026-11-13T11:00:00.000Z",
      "2026-11-20T11:00:00.000Z",
    ]);
  });

  it("90 days across a daylight-saving change keep their midnights", () => {
    const [from, to] = iso(periodOf(new Date("2026-11-20T17:00:00Z"), 90, "day", "America/New_York"));
    expect([from, to]).toEqual(["2026-08-23T04:00:00.000Z", "2026-11-21T05:00:00.000Z"]);
  });
});
