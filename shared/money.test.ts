import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FEN } from "./case-facts.ts";
import { displayYuan, formatYuan, parseYuan, readYuan } from "./money.ts";

/** The largest amount a person can type: 13 digits of yuan and two decimals. */
const LARGEST_TYPED_FEN = 999_999_999_999_999;

describe("parseYuan", () => {
  it.each([
    ["0", 0],
    ["0.00", 0],
    ["0.01", 1],
    ["0.07", 7],
    ["0.29", 29],
    ["12.34", 1234],
    ["12.3", 1230],
    ["12.", 1200],
    [".5", 50],
    ["19.99", 1999],
    ["100.", 10000],
    ["1,234.56", 123456],
    ["1，299.9", 129990],
    ["¥ 8", 800],
    ["￥8", 800],
    ["12 元", 1200],
    ["0012.30", 1230],
    ["99999999999.99", 9_999_999_999_999],
    ["10000000000", MAX_FEN],
    ["9999999999999.99", LARGEST_TYPED_FEN],
  ])("reads %j yuan as %i fen", (text, fen) => expect(parseYuan(text)).toBe(fen));

  it.each(["", "   ", "¥", "元"])("reads %j as no amount (undefined)", (text) =>
    expect(parseYuan(text)).toBeUndefined(),
  );

  it.each(["abc", "-1", "-0.01", "¥-5", "1e3", "12.3.4", ".", "12元5", "99999999999999", "10000000000000.00"])(
    "refuses %j (null)",
    (text) => expect(parseYuan(text)).toBeNull(),
  );

  it.each(["12.345", "0.001", "0.009", "1.999"])("refuses a third decimal rather than rounding it: %j", (text) =>
    expect(parseYuan(text)).toBeNull(),
  );

  it.each([
    ["１２３．５", 12350],
    ["１２０元", 12000],
    ["１２０ 元", 12000],
    ["￥１，２９９．００", 129900],
    ["12。5", 1250],
    ["\u3000８\u3000", 800],
    ["０．０７", 7],
  ])("reads full-width %j from a Chinese input method as %i fen", (text, fen) => expect(parseYuan(text)).toBe(fen));

  it("is exact for every amount typed in full-width digits", () => {
    const fullWidth = (ascii: string) => ascii.replace(/[0-9.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LARGEST_TYPED_FEN }),
        (fen) => parseYuan(fullWidth(formatYuan(fen))) === fen,
      ),
    );
  });

  it("joins the digits: no float error where × 100 has one", () => {
    // 0.29 × 100 and 12.34 × 100 are not whole numbers in floating point
    expect(0.29 * 100).not.toBe(29);
    expect(parseYuan("0.29")).toBe(29);
    expect(parseYuan("1.15")).toBe(115);
    expect(parseYuan("4.35")).toBe(435);
  });
});

describe("readYuan", () => {
  it.each([
    ["-10", "negative"],
    ["−10", "negative"],
    ["－１０", "negative"],
    ["¥-5", "negative"],
    ["-0.01", "negative"],
    ["8.888", "decimals"],
    ["８．８８８", "decimals"],
    ["0.001", "decimals"],
    ["99999999999999", "too_large"],
    ["10000000000000.00", "too_large"],
    ["abc", "not_amount"],
    ["1e3", "not_amount"],
    ["12.3.4", "not_amount"],
    [".", "not_amount"],
    ["-", "not_amount"],
    ["12元5", "not_amount"],
  ])("says why %j is no amount: %s", (text, problem) => expect(readYuan(text)).toEqual({ problem }));

  it("gives the fen of an amount, and nothing for empty text", () => {
    expect(readYuan("１２０元")).toEqual({ fen: 12000 });
    expect(readYuan(" ")).toEqual({ fen: undefined });
  });
});

describe("formatYuan", () => {
  it("writes fen as yuan with two decimals", () => {
    expect([0, 1, 7, 99, 100, 1230, 123456, MAX_FEN, LARGEST_TYPED_FEN].map(formatYuan)).toEqual([
      "0.00",
      "0.01",
      "0.07",
      "0.99",
      "1.00",
      "12.30",
      "1234.56",
      "10000000000.00",
      "9999999999999.99",
    ]);
  });

  it("writes a negative amount with its sign", () => {
    expect([-1, -5, -123456].map(formatYuan)).toEqual(["-0.01", "-0.05", "-1234.56"]);
  });

  it("shows what is not a whole number of fen as it is, never rounded", () => {
    expect([12.5, Number.NaN, 2 ** 53].map(formatYuan)).toEqual(["12.5", "NaN", String(2 ** 53)]);
  });

  it("is read back by parseYuan to the same fen", () => {
    for (let fen = 0; fen < 3000; fen += 7) expect(parseYuan(formatYuan(fen))).toBe(fen);
    fc.assert(fc.property(fc.integer({ min: 0, max: LARGEST_TYPED_FEN }), (fen) => parseYuan(formatYuan(fen)) === fen));
  });
});

describe("displayYuan", () => {
  it("shows ¥ and groups thousands", () => {
    expect([0, 1, 99, 123456, 100_000_000, MAX_FEN, LARGEST_TYPED_FEN, -5, -123456789].map(displayYuan)).toEqual([
      "¥0.00",
      "¥0.01",
      "¥0.99",
      "¥1,234.56",
      "¥1,000,000.00",
      "¥10,000,000,000.00",
      "¥9,999,999,999,999.99",
      "¥-0.05",
      "¥-1,234,567.89",
    ]);
  });

  it("says what the admin said before it was exact, for every amount up to the largest order", () => {
    const earlier = (fen: number, locale: string) =>
      `¥${(fen / 100).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        (fen) => displayYuan(fen) === earlier(fen, "zh-CN") && displayYuan(fen) === earlier(fen, "en-GB"),
      ),
    );
  });

  it("is read back by parseYuan to the same fen", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LARGEST_TYPED_FEN }), (fen) => parseYuan(displayYuan(fen)) === fen),
    );
  });
});
