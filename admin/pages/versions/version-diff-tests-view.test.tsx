import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestCase } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { TestCaseDiffView, type TestCaseSide } from "./version-diff-tests-view.tsx";

/** The review shows the test cases' changes beside the rule diff: added, removed, expectation before → after. */

const sevenDay: TestCase = {
  name: "七天无理由、卖家包邮",
  facts: { order: { freeShipping: true }, refund: { reason: "no_reason_7d" } },
  expect: { returnShippingPayer: "buyer", settlement: "none" },
};
const quality: TestCase = { name: "质量问题", facts: {}, expect: { returnShippingPayer: "seller" } };
const collect: TestCase = { name: "同意到付", facts: {}, expect: { freightCollectAllowed: true } };

function renderDiff(before: TestCaseSide, after: TestCaseSide) {
  render(() => (
    <I18nProvider>
      <TestCaseDiffView before={before} after={after} />
    </I18nProvider>
  ));
  return screen.getByTestId("test-case-diff");
}

beforeEach(() => localStorage.setItem("asr.lang", "zh"));
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("the test cases' changes", () => {
  it("show an expectation rewritten as before → after, and the cases added and removed with what they expect", () => {
    const rewritten = { ...sevenDay, expect: { returnShippingPayer: "seller", settlement: "none" } };
    const view = renderDiff({ cases: [sevenDay, quality], version: 3 }, { cases: [rewritten, collect] });
    expect(within(view).getByRole("heading").textContent).toBe("测试用例的改动");
    const changed = view.querySelector<HTMLElement>('[data-test-case="七天无理由、卖家包邮"]')!;
    expect(changed.dataset.status).toBe("changed");
    expect(changed.querySelector(".vd-test-expect")!.textContent).toBe("期望 退货运费：买家承担 → 卖家承担");
    expect(changed.querySelector("del")!.textContent).toBe("买家承担");
    expect(changed.querySelector("ins")!.textContent).toBe("卖家承担");
    const added = view.querySelector<HTMLElement>('[data-test-case="同意到付"]')!;
    expect(added.dataset.status).toBe("added");
    expect(added.textContent).toBe("新增同意到付期望 允许到付：是");
    const removed = view.querySelector<HTMLElement>('[data-test-case="质量问题"]')!;
    expect(removed.dataset.status).toBe("removed");
    expect(removed.querySelector("del")!.textContent).toBe("退货运费：卖家承担");
  });

  it("show a field newly checked, one no longer checked, and a changed case", () => {
    const edited = { ...sevenDay, facts: {}, expect: { returnShippingPayer: "buyer", freightCollectAllowed: false } };
    const view = renderDiff({ cases: [sevenDay] }, { cases: [edited] });
    const rows = [...view.querySelectorAll(".vd-field-change")].map((row) => row.textContent);
    expect(rows).toEqual(["不再检查 卖家运费结算方式（原期望 无）", "新增检查 允许到付：否", "案例内容有改动"]);
  });

  it("say when nothing changed", () => {
    expect(renderDiff({ cases: [sevenDay] }, { cases: [structuredClone(sevenDay)] }).textContent).toContain(
      "测试用例没有变化。",
    );
  });

  it("say when a version was published before versions kept their test cases", () => {
    expect(renderDiff({ cases: null, version: 2 }, { cases: [sevenDay] }).textContent).toContain(
      "v2 发布时版本还不随带测试用例，无法比较测试用例的改动。",
    );
  });
});
