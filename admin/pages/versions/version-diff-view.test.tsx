import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Rule } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { diffDefinitions, type Definition } from "./version-diff.ts";
import { VersionDiffView } from "./version-diff-view.tsx";

function aRule(name: string, overrides: Partial<Rule> = {}): Rule {
  return {
    name,
    description: "",
    priority: 100,
    enabled: true,
    conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] },
    event: { type: name, params: { returnShippingPayer: "buyer" } },
    ...overrides,
  };
}

const defaults = { returnShippingPayer: "buyer" };
const before: Definition = {
  defaults,
  conditions: {},
  rules: [
    aRule("free-shipping-each-pays-their-own-leg", {
      priority: 300,
      conditions: {
        all: [
          { fact: "order", path: "freeShipping", operator: "equal", value: true },
          { any: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] },
        ],
      },
    }),
    aRule("old-rule", { priority: 200 }),
    aRule("kept-rule", { priority: 100 }),
  ],
};
const after: Definition = {
  defaults: { returnShippingPayer: "seller" },
  conditions: {},
  rules: [
    aRule("free-shipping-each-pays-their-own-leg", {
      priority: 300,
      conditions: {
        all: [
          { fact: "order", path: "freeShipping", operator: "equal", value: true },
          { any: [{ fact: "refund", path: "reason", operator: "equal", value: "quality_issue" }] },
        ],
      },
      event: { type: "free-shipping-each-pays-their-own-leg", params: { returnShippingPayer: "seller" } },
    }),
    aRule("new-rule", { priority: 150, event: { type: "new-rule", params: { freightCollectAllowed: true } } }),
    aRule("kept-rule", { priority: 100 }),
  ],
};

function renderDiff(a: Definition, b: Definition) {
  return render(() => (
    <I18nProvider>
      <VersionDiffView diff={diffDefinitions(a, b)} />
    </I18nProvider>
  ));
}

describe("VersionDiffView", () => {
  beforeEach(() => localStorage.setItem("asr.lang", "zh"));
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  it("counts the changes and tags each rule 新增 / 删除 / 修改", () => {
    const { container } = renderDiff(before, after);
    const summary = screen.getByRole("list", { name: "规则改动" });
    expect(summary.textContent).toContain("新增 1");
    expect(summary.textContent).toContain("删除 1");
    expect(summary.textContent).toContain("修改 1");
    expect(summary.textContent).toContain("未变 1");
    const tagOf = (name: string) => container.querySelector(`[data-rule="${name}"] .vd-tag`)?.textContent;
    expect(tagOf("new-rule")).toBe("新增");
    expect(tagOf("old-rule")).toBe("删除");
    expect(tagOf("free-shipping-each-pays-their-own-leg")).toBe("修改");
    expect(container.querySelector('[data-rule="kept-rule"]')).toBeNull();
    expect(screen.getByText("显示 1 条未变的规则")).toBeTruthy();
  });

  it("shows the changed condition and outcome in plain language", () => {
    const { container } = renderDiff(before, after);
    const changed = container.querySelector<HTMLElement>('[data-rule="free-shipping-each-pays-their-own-leg"]')!;
    const leaf = changed.querySelector(".vd-cond-changed")!;
    expect(leaf.querySelector("del")?.textContent).toBe("退款原因 = 七天无理由");
    expect(leaf.querySelector("ins")?.textContent).toBe("退款原因 = 质量问题");
    expect(changed.querySelector(".vd-cond-same")?.textContent).toBe("卖家包邮 = 是");
    expect(within(changed).getByText("以下全部满足")).toBeTruthy();
    const outcome = changed.querySelector(".vd-field-change")!;
    expect(outcome.textContent).toContain("退货运费");
    expect(outcome.querySelector("del")?.textContent).toBe("买家承担");
    expect(outcome.querySelector("ins")?.textContent).toBe("卖家承担");
    const added = container.querySelector<HTMLElement>('[data-rule="new-rule"]')!;
    expect(added.textContent).toContain("退款原因 = 七天无理由");
    expect(added.textContent).toContain("允许到付: 是");
  });

  it("shows changed defaults with their labels", () => {
    renderDiff(before, after);
    const section = screen.getByRole("heading", { name: "默认结果" }).closest("section")!;
    expect(section.textContent).toContain("退货运费");
    expect(section.querySelector("del")?.textContent).toBe("买家承担");
    expect(section.querySelector("ins")?.textContent).toBe("卖家承担");
  });

  it("says so when both sides are the same", () => {
    renderDiff(before, structuredClone(before));
    expect(screen.getByText("两边的规则、共享条件和默认结果完全相同。")).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "规则" })).toBeNull();
  });

  it("speaks English when asked", () => {
    localStorage.setItem("asr.lang", "en");
    const { container } = renderDiff(before, after);
    expect(container.querySelector('[data-rule="new-rule"] .vd-tag')?.textContent).toBe("Added");
    expect(container.querySelector(".vd-cond-changed ins")?.textContent).toBe("Refund reason = Quality problem");
  });
});
