import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../shared/logs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { AuditTable } from "./audit-table.tsx";

/** The audit says which test changed and how: an expectation rewritten to make a test pass reads before → after. */

const entry = (detail: Record<string, unknown>): AuditEntry => ({
  id: "01KTESTCASESREPLACE0000000",
  at: "2026-11-20T02:00:00.000Z",
  actor: "user:li",
  action: "test-cases.replace",
  entity: "rule-set",
  entityKey: "shipping-fee",
  detail,
});

function sentence(detail: Record<string, unknown>, lang: "zh" | "en" = "zh") {
  localStorage.setItem("asr.lang", lang);
  render(() => (
    <I18nProvider>
      <AuditTable entries={[entry(detail)]} />
    </I18nProvider>
  ));
  return document.querySelector(".audit-sentence")!.textContent;
}

const recorded = {
  before: ["七天无理由、卖家包邮", "质量问题", "旧用例"],
  after: ["七天无理由、卖家包邮", "质量问题", "双十一：满减退款"],
  added: ["双十一：满减退款"],
  removed: ["旧用例"],
  changed: [
    {
      name: "七天无理由、卖家包邮",
      expect: [
        { field: "returnShippingPayer", before: "buyer", after: "seller" },
        { field: "freightCollectAllowed", after: false },
        { field: "settlement", before: "none" },
      ],
      factsChanged: false,
    },
    { name: "质量问题", expect: [], factsChanged: true },
  ],
};

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("a test-cases change in the audit log", () => {
  it("says in Chinese which cases were added, removed and changed, each expectation before → after", () => {
    expect(sentence(recorded)).toBe(
      "修改了测试用例：新增用例 双十一：满减退款，删除用例 旧用例，" +
        "修改用例“七天无理由、卖家包邮”（期望 退货运费：买家承担 → 卖家承担；新增检查 允许到付：否；不再检查 卖家运费结算方式（原期望 无）），" +
        "修改用例“质量问题”（案例内容有改动）",
    );
  });

  it("reads in English too", () => {
    expect(sentence(recorded, "en")).toContain(
      "changed “七天无理由、卖家包邮” (expects Return postage: Buyer pays → Seller pays, now checks Freight collect allowed: no",
    );
  });

  it("shows money in yuan", () => {
    expect(
      sentence({
        before: ["满减"],
        after: ["满减"],
        added: [],
        removed: [],
        changed: [
          { name: "满减", expect: [{ field: "maxRefundableFen", before: 2400, after: 2000 }], factsChanged: false },
        ],
      }),
    ).toBe("修改了测试用例：修改用例“满减”（期望 最大可退金额：¥24.00 → ¥20.00）");
  });

  it("still names the cases added and removed of an entry recorded before changes were", () => {
    expect(sentence({ before: ["甲", "乙"], after: ["乙", "丙"] })).toBe("修改了测试用例：新增用例 丙，删除用例 甲");
  });
});
