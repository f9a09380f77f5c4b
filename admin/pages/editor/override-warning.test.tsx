import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleSetKinds } from "../../../shared/outputs.ts";
import type { RuleInput } from "../../../shared/rules.ts";
import { I18nProvider, useI18n } from "../../i18n/index.tsx";
import { overriddenIn, warningSentence } from "./override-watch.ts";
import { RuleCard, type RuleActions } from "./rule-card.tsx";

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const rule = (name: string, priority: number, title?: string): RuleInput => ({
  name,
  priority,
  ...(title ? { title } : {}),
  conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] },
  event: { type: name, params: { returnShippingPayer: "seller" } },
});
const rules = [rule("seller-fault", 300, "卖家责任退货运费"), rule("seven-day", 100), rule("new-rule", 190)];
const trace = [
  { rule: "seller-fault", fired: true },
  { rule: "new-rule", fired: true, overridden: true as const, takenBy: { returnShippingPayer: "seller-fault" } },
  { rule: "seven-day", fired: true, overridden: true as const, takenBy: { returnShippingPayer: "seller-fault" } },
];
const noop = () => {};
const actions: RuleActions = {
  rename: noop,
  retitle: noop,
  describe: noop,
  prioritize: noop,
  typePriority: noop,
  setWindow: noop,
  enable: noop,
  setConditions: noop,
  setParams: noop,
  move: noop,
  duplicate: noop,
  remove: noop,
};

/** The sentences as the rule list makes them, in the language chosen. */
function Sentences(props: { watched: string[] }) {
  const { t, field } = useI18n();
  const found = overriddenIn("七天无理由·包邮", trace, rules, new Set(props.watched));
  return (
    <RuleCard
      rule={rules[2]!}
      position={2}
      first={false}
      last={false}
      expanded={false}
      onToggle={noop}
      problems={[]}
      frame={{ schema: ruleSetKinds["shipping-fee"].params, defaults: {}, shared: {} }}
      actions={actions}
      overridden={[...found.values()].map((warning) => warningSentence(t, field, warning))}
    />
  );
}

describe("a rule that changes nothing in a test case", () => {
  it("is found only among the watched rules, with the rule that took each field and its place", () => {
    const found = overriddenIn("c", trace, rules, new Set(["new-rule"]));
    expect([...found.keys()]).toEqual(["new-rule"]);
    expect(found.get("new-rule")).toEqual({
      testCase: "c",
      takers: [{ rule: "seller-fault", title: "卖家责任退货运费", position: 1, fields: ["returnShippingPayer"] }],
    });
    expect(overriddenIn("c", trace.slice(0, 1), rules, new Set(["new-rule"])).size).toBe(0);
  });

  it("shows a warning on its card naming the earlier rule by title and the field in Chinese", () => {
    render(() => (
      <I18nProvider>
        <Sentences watched={["new-rule"]} />
      </I18nProvider>
    ));
    const warnings = screen.getByTestId("rule-overridden");
    expect(warnings.textContent).toBe(
      "⚠ 此规则在测试用例「七天无理由·包邮」中不起作用：第 1 条「卖家责任退货运费」总是先设定 退货运费",
    );
  });

  it("shows nothing when the rule is not overridden", () => {
    render(() => (
      <I18nProvider>
        <Sentences watched={[]} />
      </I18nProvider>
    ));
    expect(screen.queryByTestId("rule-overridden")).toBeNull();
  });
});
