import { describe, expect, it } from "vitest";
import { halfWidth, readWholeNumber } from "./numerals.ts";

describe("halfWidth", () => {
  it("reads what a Chinese input method types as ASCII", () => {
    expect(halfWidth("１２３．５")).toBe("123.5");
    expect(halfWidth("－３")).toBe("-3");
    expect(halfWidth("１，２００")).toBe("1,200");
    expect(halfWidth("\u3000７\u3000")).toBe(" 7 ");
    expect(halfWidth("12。5")).toBe("12.5");
    expect(halfWidth("−1")).toBe("-1");
  });

  it("keeps everything else", () => expect(halfWidth("120元 ¥ 天")).toBe("120元 ¥ 天"));
});

describe("readWholeNumber", () => {
  it.each([
    ["3", 3],
    ["３", 3],
    [" 12 ", 12],
    ["１２", 12],
    ["0", 0],
    ["-0", 0],
    ["-4", -4],
  ])("reads %j as %i", (text, value) => expect(readWholeNumber(text)).toEqual({ value }));

  it("reads empty text as no number", () => expect(readWholeNumber("  ")).toEqual({ value: undefined }));

  it.each(["1.5", "1e3", "abc", "1,000", "9999999999999999"])("refuses %j: not a whole number", (text) =>
    expect(readWholeNumber(text)).toEqual({ problem: "not_whole" }),
  );

  it("keeps to the field's bounds", () => {
    expect(readWholeNumber("0", { min: 1 })).toEqual({ problem: "below" });
    expect(readWholeNumber("－２", { min: 1 })).toEqual({ problem: "below" });
    expect(readWholeNumber("1000", { max: 999 })).toEqual({ problem: "above" });
    expect(readWholeNumber("５", { min: 1, max: 5 })).toEqual({ value: 5 });
  });
});
