import { Router } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Analysis } from "../../../shared/analysis.ts";
import type { RuleInput } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { simulatorFactsKey } from "../simulator/hand-over.ts";
import { AnalysisFindings, InvariantStatus } from "./analysis-findings.tsx";

const rule = (name: string, priority: number, params: Record<string, unknown>, title?: string): RuleInput => ({
  name,
  ...(title ? { title } : {}),
  description: "",
  priority,
  enabled: true,
  conditions: { all: [{ fact: "order", path: "freeShipping", operator: "equal", value: true }] },
  event: { type: name, params },
});

const rules = [
  rule("free-shipping-each-pays-their-own-leg", 300, { returnShippingPayer: "buyer" }, "包邮：往返运费各自承担"),
  rule("refused-delivery", 300, { returnShippingPayer: "seller" }),
  rule("double-11", 190, { returnShippingPayer: "seller" }, "双十一"),
  rule("expired-campaign", 100, { outboundShippingPayer: "seller" }),
];
const example = { now: "2026-11-12T00:00:00Z", order: { status: "delivered" } };

const analysis: Analysis = {
  findings: [
    { kind: "overridden", rule: "double-11", rules: ["free-shipping-each-pays-their-own-leg"], example },
    { kind: "never_applies", rule: "expired-campaign", reason: "window_over" },
    {
      kind: "conflict",
      rules: ["free-shipping-each-pays-their-own-leg", "refused-delivery"],
      field: "returnShippingPayer",
      example,
    },
    { kind: "gap", field: "outboundShippingPayer", example },
    { kind: "invariant_broken", invariant: "seller-fault-seller-pays", field: "returnShippingPayer", example },
  ],
  complete: false,
  unchecked: [{ check: "invariant", reason: "budget", invariant: "s16" }],
  analysedAt: "2026-12-07T00:00:00Z",
  ms: 12.3,
  steps: 345,
};

function show(lang: "zh" | "en") {
  localStorage.setItem("asr.lang", lang);
  render(() => (
    <I18nProvider>
      <Router
        root={() => (
          <>
            <InvariantStatus
              invariants={[
                {
                  name: "seller-fault-seller-pays",
                  title: "卖家过错由卖家承担运费",
                  conditions: { all: [] },
                  expect: { returnShippingPayer: "seller" },
                },
                { name: "s16", conditions: { all: [] }, expect: { eligible: true } },
                { name: "s18", title: "维权机会只有一次", conditions: { all: [] }, expect: { eligible: false } },
              ]}
              analysis={analysis}
            />
            <AnalysisFindings
              ruleSetKey="shipping-fee"
              rules={rules}
              analysis={analysis}
              loading={false}
              invariantTitle={(name) => (name === "seller-fault-seller-pays" ? "卖家过错由卖家承担运费" : name)}
            />
          </>
        )}
      />
    </I18nProvider>
  ));
  return screen.getByTestId("analysis-findings").textContent ?? "";
}

beforeEach(() => sessionStorage.clear());
afterEach(cleanup);

describe("the analysis in the review and the publish dialog", () => {
  it("says each finding in Chinese, rules by place and title, fields by name", () => {
    const text = show("zh");
    expect(text).toContain("第 3 条「双十一」永远不会改变结果：第 1 条「包邮：往返运费各自承担」总是先设定 退货运费");
    expect(text).toContain("第 4 条「expired-campaign」永远不会生效：它的生效期已经结束");
    expect(text).toContain("第 1 条「包邮：往返运费各自承担」和第 2 条「refused-delivery」优先级相同");
    expect(text).toContain("有的情况没有任何规则设定「发货运费」");
    expect(text).toContain("不变式「卖家过错由卖家承担运费」可能被打破：「退货运费」不符合要求");
    expect(text).toContain("有 1 项检查未能完成");
    const status = screen.getByTestId("invariant-status");
    expect(status.querySelector('[data-invariant="seller-fault-seller-pays"]')?.getAttribute("data-status")).toBe(
      "broken",
    );
    expect(status.querySelector('[data-invariant="s16"]')?.getAttribute("data-status")).toBe("unchecked");
    expect(status.querySelector('[data-invariant="s18"]')?.textContent).toContain("成立");
  });

  it("in English too", () => {
    const text = show("en");
    expect(text).toContain("never changes the result");
    // the titles are the manager's own words; everything else is English
    expect(text.replace(/包邮：往返运费各自承担|双十一|卖家过错由卖家承担运费/g, "")).not.toMatch(/\p{Script=Han}/u);
  });

  it("hands a finding's example to the simulator", () => {
    show("zh");
    screen.getAllByRole("link", { name: "在模拟器中打开示例" })[0]!.click();
    expect(JSON.parse(sessionStorage.getItem(simulatorFactsKey) ?? "null")).toEqual({ facts: example });
  });
});
