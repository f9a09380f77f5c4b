import { describe, expect, it } from "vitest";
import { durationMs } from "./duration.ts";

describe("durationMs", () => {
  it.each([
    ["P7D", 7 * 24 * 3_600_000],
    ["PT48H", 48 * 3_600_000],
    ["P1W2D", 9 * 24 * 3_600_000],
    ["P1DT12H", 36 * 3_600_000],
    ["PT90M", 90 * 60_000],
    ["P0D", 0],
  ])("%s is %d ms of elapsed time", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(["P1M", "P1Y", "-P1D", "7 days", "", "P", "PT"])("%s is refused: no fixed length, or not a duration", (text) => {
    expect(durationMs(text)).toBeNull();
  });
});
