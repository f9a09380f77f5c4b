import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { DecisionFilters, type DecisionFilter } from "./decision-filters.tsx";
import { DecisionTable } from "./decision-table.tsx";

const aDecision = (outcome: string, ruleSet: string, n: number): DecisionLogEntry => ({
  decisionId: `01KDEC${String(n).padStart(20, "0")}`,
  at: "2026-11-20T02:00:00.000Z",
  ruleSet,
  version: 2,
  keyName: "订单系统",
  outcome,
  orderId: null,
  facts: {},
  decision: {},
  firedRules: [],
});

const optionTexts = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.textContent);

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(cleanup);

describe("outcomes in words", () => {
  it("labels each logged outcome readably", () => {
    const entries = [
      aDecision("eligible:refund_only", "refund-eligibility", 1),
      aDecision("not_eligible:none", "refund-eligibility", 2),
      aDecision("return:seller", "shipping-fee", 3),
      aDecision("timers:2", "timeouts", 4),
      aDecision("timers:0", "timeouts", 5),
    ];
    render(() => (
      <I18nProvider>
        <DecisionTable entries={entries} onOpen={() => {}} />
      </I18nProvider>
    ));
    const labels = entries.map((e) => document.querySelector(`tr[data-id="${e.decisionId}"] .badge`)!.textContent);
    expect(labels).toEqual(["可退款·仅退款", "不可退款", "退货运费：卖家承担", "2 个计时器", "没有计时器"]);
  });

  it("offers the chosen rule set's outcomes and searches by the code behind the words", async () => {
    const user = userEvent.setup();
    let applied: DecisionFilter | undefined;
    render(() => (
      <I18nProvider>
        <DecisionFilters applied={{}} onApply={(filter) => (applied = filter)} />
      </I18nProvider>
    ));
    const outcome = screen.getByLabelText("结果");
    expect(optionTexts(outcome)).toContain("退货运费：买家承担");
    await user.selectOptions(screen.getByLabelText("规则集"), "shipping-fee");
    expect(optionTexts(outcome)).toEqual(["全部", "退货运费：卖家承担", "退货运费：买家承担"]);
    await user.selectOptions(outcome, "退货运费：卖家承担");
    await user.type(screen.getByLabelText("决策编号"), "01KDEC1");
    await user.click(screen.getByRole("button", { name: "查询" }));
    expect(applied).toEqual({ ruleSet: "shipping-fee", outcome: "return:seller", decisionId: "01KDEC1" });
  });

  it("narrows the rule set to the outcome's and keeps the outcome selected", async () => {
    const user = userEvent.setup();
    render(() => (
      <I18nProvider>
        <DecisionFilters applied={{}} onApply={() => {}} />
      </I18nProvider>
    ));
    const outcome = screen.getByLabelText("结果") as HTMLSelectElement;
    await user.selectOptions(outcome, "可退款·仅退款");
    expect((screen.getByLabelText("规则集") as HTMLSelectElement).value).toBe("refund-eligibility");
    expect(outcome.value).toBe("eligible:refund_only");
    expect(outcome.selectedOptions[0]!.textContent).toBe("可退款·仅退款");
  });
});
