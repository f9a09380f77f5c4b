import { describe, expect, it } from "vitest";
import {
  durationMs,
  durationWords,
  elapsedWords,
  formatDuration,
  parseDuration,
  type DurationParts,
} from "./duration.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("durationMs", () => {
  it.each([
    ["P7D", 7 * DAY],
    ["PT48H", 48 * HOUR],
    ["P1W2D", 9 * DAY],
    ["P1DT12H", 36 * HOUR],
    ["PT90M", 90 * MINUTE],
    ["PT30S", 30_000],
    ["P0D", 0],
  ])("%s is %d ms of elapsed time", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(["P1M", "P1Y", "-P1D", "7 days", "", "P", "PT"])(
    "%s is refused: no fixed length, or not a duration",
    (text) => {
      expect(durationMs(text)).toBeNull();
    },
  );
});

describe("parseDuration and formatDuration", () => {
  it.each([
    ["P7D", { amount: 7, unit: "days" }],
    ["PT48H", { amount: 48, unit: "hours" }],
    ["PT24H", { amount: 24, unit: "hours" }],
    ["P1DT12H", { amount: 36, unit: "hours" }],
    ["PT90M", { amount: 90, unit: "minutes" }],
    ["P1DT1M", { amount: 1441, unit: "minutes" }],
    ["P2W", { amount: 14, unit: "days" }],
    ["PT0H", { amount: 0, unit: "hours" }],
    ["P0D", { amount: 0, unit: "days" }],
  ] as const)("shows %s as %o", (iso, parts) => expect(parseDuration(iso)).toEqual(parts));

  it.each(["PT30S", "PT0S", "P1M", "P1Y", "P", "PT", "P1DT", "7 days", "P1.5D", "PT1.5H", "-P1D", ""])(
    "cannot show %j as days, hours or minutes",
    (iso) => expect(parseDuration(iso)).toBeUndefined(),
  );

  it("writes ISO 8601", () => {
    expect(formatDuration({ amount: 7, unit: "days" })).toBe("P7D");
    expect(formatDuration({ amount: 48, unit: "hours" })).toBe("PT48H");
    expect(formatDuration({ amount: 30, unit: "minutes" })).toBe("PT30M");
  });

  it.each(["P7D", "PT48H", "P1DT12H", "P2W", "PT90M", "P1DT1M"])(
    "keeps %s's elapsed time through the editor's number and unit",
    (iso) => {
      const parts = parseDuration(iso) as DurationParts;
      expect(durationMs(formatDuration(parts))).toBe(durationMs(iso));
    },
  );
});

describe("durationWords", () => {
  it.each([
    ["P7D", "7 天", "7 days"],
    ["P1D", "1 天", "1 day"],
    ["PT48H", "48 小时", "48 hours"],
    ["P1W2D", "1 周 2 天", "1 week 2 days"],
    ["P1DT12H30M", "1 天 12 小时 30 分钟", "1 day 12 hours 30 minutes"],
    ["PT45S", "45 秒", "45 seconds"],
    ["P1.5D", "1.5 天", "1.5 days"],
    ["P", "0 天", "0 days"],
  ])("says %s as %j and %j", (iso, zh, en) => {
    expect(durationWords(iso, "zh")).toBe(zh);
    expect(durationWords(iso, "en")).toBe(en);
  });

  it.each(["P1M", "7 days", "", "-P1D"])("leaves %j as it is", (text) => expect(durationWords(text, "zh")).toBe(text));
});

describe("elapsedWords", () => {
  it.each([
    [90_000_000, "1 天 1 小时", "1 day 1 hour"],
    [DAY, "1 天", "1 day"],
    [90 * MINUTE, "1 小时 30 分钟", "1 hour 30 minutes"],
    [2 * DAY + 59_999, "2 天", "2 days"],
    [45_000, "45 秒", "45 seconds"],
    [59_999, "59 秒", "59 seconds"],
    [0, "0 秒", "0 seconds"],
    [-HOUR, "−1 小时", "−1 hour"],
  ])("says %i ms as %j and %j, down to the minute", (ms, zh, en) => {
    expect(elapsedWords(ms, "zh")).toBe(zh);
    expect(elapsedWords(ms, "en")).toBe(en);
  });
});
