import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n/index.tsx";
import { TestCaseCard } from "./test-case-card.tsx";
import {
  acceptActual,
  errorsByCase,
  fingerprint,
  statusOf,
  withUid,
  type RunRecord,
  type TestCaseResult,
} from "./test-cases-model.ts";

const aCase = withUid({
  name: "七天无理由、卖家包邮：各自承担，买家付退货运费",
  facts: { order: { status: "delivered", freeShipping: true }, refund: { reason: "no_reason_7d", returnGoods: true } },
  expect: { returnShippingPayer: "buyer", refundOutboundShipping: false, outboundShippingPayer: "seller" },
});

const failed: TestCaseResult = {
  name: aCase.name,
  passed: false,
  mismatches: [
    { field: "returnShippingPayer", expected: "buyer", actual: "seller", setBy: "seller-fault-seller-pays-postage" },
    { field: "refundOutboundShipping", expected: false, actual: true, setBy: "computed" },
  ],
  firedRules: ["seller-fault-seller-pays-postage"],
};

function renderCard(lang: "zh" | "en", record: RunRecord | undefined, onAccept = () => {}) {
  localStorage.setItem("asr.lang", lang);
  render(() => (
    <I18nProvider>
      <TestCaseCard
        testCase={aCase}
        status={statusOf(aCase, record)}
        record={record}
        onEdit={() => {}}
        onDuplicate={() => {}}
        onDelete={() => {}}
        onAccept={onAccept}
      />
    </I18nProvider>
  ));
  return screen.getByRole("article", { name: aCase.name });
}

afterEach(cleanup);

describe("a failing test case", () => {
  const record = { fingerprint: fingerprint(aCase), result: failed };

  it("says which fields differ, in words, expected against actual", () => {
    const card = renderCard("zh", record);
    expect(card.dataset.status).toBe("fail");
    const rows = within(within(card).getByRole("list", { name: "与期望不符的字段" })).getAllByRole("listitem");
    expect(rows.map((row) => row.textContent)).toEqual([
      "退货运费: 期望 买家承担，实际 卖家承担",
      "退还买家所付邮费: 期望 否，实际 是",
    ]);
    expect(card.textContent).toContain("seller-fault-seller-pays-postage");
  });

  it("reads in English too", () => {
    const card = renderCard("en", record);
    const rows = within(card).getAllByRole("listitem");
    expect(rows[0]!.textContent).toBe("Return postage: expected Buyer pays, actual Seller pays");
  });

  it("offers to accept the actual result, which makes the case pass", async () => {
    const onAccept = vi.fn();
    const card = renderCard("zh", record, onAccept);
    await userEvent.click(within(card).getByRole("button", { name: "用实际结果更新期望" }));
    expect(onAccept).toHaveBeenCalledOnce();
    const accepted = acceptActual(aCase, failed);
    expect(accepted.expect).toEqual({
      returnShippingPayer: "seller",
      refundOutboundShipping: true,
      outboundShippingPayer: "seller",
    });
  });

  it("shows money in yuan and timers with their labels", () => {
    const money: TestCaseResult = {
      ...failed,
      mismatches: [{ field: "maxRefundableFen", expected: 2400, actual: 2000, setBy: "computed" }],
    };
    const card = renderCard("zh", { fingerprint: fingerprint(aCase), result: money });
    expect(within(card).getByRole("listitem").textContent).toBe("最大可退金额: 期望 ¥24.00，实际 ¥20.00");
  });
});

describe("the status of a case", () => {
  it("is pending before a run and after a change, pass or fail otherwise", () => {
    expect(statusOf(aCase, undefined)).toBe("pending");
    const passed = { fingerprint: fingerprint(aCase), result: { ...failed, passed: true, mismatches: [] } };
    expect(statusOf(aCase, passed)).toBe("pass");
    expect(statusOf({ ...aCase, expect: {} }, passed)).toBe("pending");
    expect(renderCard("zh", passed).dataset.status).toBe("pass");
  });

  it("takes the save's errors to the case they concern", () => {
    const { byIndex, other } = errorsByCase([
      { path: "testCases.1.facts.order.items.0.priceFen", message: "Too small" },
      { path: "testCases.1.expect.colour", message: "no field" },
      { path: "testCases", message: "too many" },
    ]);
    expect(byIndex.get(1)).toEqual([
      { path: "facts.order.items.0.priceFen", message: "Too small" },
      { path: "expect.colour", message: "no field" },
    ]);
    expect(other).toEqual([{ path: "testCases", message: "too many" }]);
  });
});
