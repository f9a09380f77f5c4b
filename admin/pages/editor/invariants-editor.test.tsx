import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RuleSetKind } from "../../../shared/kinds/index.ts";
import type { Invariant } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import type { ShownProblem } from "../../ui/problem-text.ts";
import type { WorkingDraft } from "../rule-set/rule-set-context.tsx";
import { expectation } from "./invariant-expectation.tsx";
import { freeName, InvariantsEditor } from "./invariants-editor.tsx";

const s12: Invariant = {
  name: "seller-fault-seller-pays-both-legs",
  title: "S12：卖家责任时来回运费由卖家承担",
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "in", value: ["quality_issue", "not_as_described", "wrong_item"] },
    ],
  },
  expect: { returnShippingPayer: "seller", outboundShippingPayer: "seller" },
};

/** The card on a working draft held in a store, as the editor page holds it. */
function renderCard(kind: RuleSetKind, invariants: Invariant[], problems: ShownProblem[] = []) {
  const [working, setWorking] = createStore<WorkingDraft>(
    structuredClone({ revision: 3, defaults: {}, conditions: {}, rules: [], invariants }),
  );
  render(() => (
    <I18nProvider>
      <InvariantsEditor state={{ working, setWorking }} kind={kind} problems={problems} />
    </I18nProvider>
  ));
  return {
    current: () => JSON.parse(JSON.stringify(working.invariants)) as Invariant[],
    card: () => screen.getByRole("region", { name: "不变式" }),
  };
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the invariants card", () => {
  it("lists each invariant in words, its title first", () => {
    const { card } = renderCard("shipping-fee", [s12]);
    const item = card().querySelector('[data-invariant="seller-fault-seller-pays-both-legs"]') as HTMLElement;
    expect(within(item).getByText("S12：卖家责任时来回运费由卖家承担")).toBeTruthy();
    expect(item.querySelector(".invariant-words")?.textContent).toBe(
      "退款原因 是以下之一 质量问题、与描述不符、发错货 → 退货运费 必须为 卖家承担，发货运费 必须为 卖家承担",
    );
  });

  it("adds an invariant, edits its condition, title and expectation with typed inputs, and deletes it", async () => {
    const user = userEvent.setup();
    const { current, card } = renderCard("shipping-fee", [s12]);
    await user.click(within(card()).getByRole("button", { name: "+ 添加不变式" }));
    expect(current()).toHaveLength(2);
    const added = card().querySelector('[data-invariant="invariant-2"]') as HTMLElement;
    await user.type(within(added).getByRole("textbox", { name: "标题" }), "拒签时买家承担退货运费");
    // the condition builder: the fact, then its value
    await user.selectOptions(within(added).getByRole("combobox", { name: "事实" }), "shipping.deliveryRefused");
    const row = added.querySelector('[data-expect="returnShippingPayer"]') as HTMLElement;
    await user.selectOptions(within(row).getByRole("combobox", { name: "退货运费" }), "买家承担");
    await user.selectOptions(within(row).getByRole("combobox", { name: "要求" }), "不等于");
    const invariant = current()[1]!;
    expect(invariant.title).toBe("拒签时买家承担退货运费");
    expect(invariant.conditions).toMatchObject({ all: [{ fact: "shipping", path: "deliveryRefused" }] });
    expect(invariant.expect).toEqual({ returnShippingPayer: { operator: "notEqual", value: "buyer" } });
    await user.click(within(added).getByRole("button", { name: "删除" }));
    expect(current().map((i) => i.name)).toEqual([s12.name]);
  });

  it("compares a money field with an amount or a fact of the case, by 不超过 / 不少于", async () => {
    const user = userEvent.setup();
    const cap: Invariant = {
      name: "refund-never-exceeds-paid-less-refunded",
      title: "S11：最大可退金额不超过实付减已退",
      conditions: { all: [] },
      expect: { maxRefundableFen: { operator: "lessThanInclusive", value: { fact: "amount", path: "capFen" } } },
    };
    const { current, card } = renderCard("refund-eligibility", [cap]);
    const item = card().querySelector(`[data-invariant="${cap.name}"]`) as HTMLElement;
    expect(item.querySelector(".invariant-words")?.textContent).toBe(
      "（总是） → 最大可退金额 不超过 可退上限（实付−已退）",
    );
    await user.click(within(item).getByRole("button", { name: "编辑" }));
    const row = item.querySelector('[data-expect="maxRefundableFen"]') as HTMLElement;
    await user.selectOptions(within(row).getByRole("combobox", { name: "比较对象" }), "固定值");
    const amount = within(row).getByRole("textbox", { name: "最大可退金额" });
    await user.clear(amount);
    await user.type(amount, "100");
    await user.selectOptions(within(row).getByRole("combobox", { name: "要求" }), "不少于");
    expect(current()[0]!.expect).toEqual({ maxRefundableFen: { operator: "greaterThanInclusive", value: 10000 } });
  });

  it("refuses a name that is taken or not kebab-case", async () => {
    const user = userEvent.setup();
    const other = { ...s12, name: "another-one", title: "" };
    const { current, card } = renderCard("shipping-fee", [s12, other]);
    const item = card().querySelector('[data-invariant="another-one"]') as HTMLElement;
    await user.click(within(item).getByRole("button", { name: "编辑" }));
    const name = within(item).getByRole("textbox", { name: /标识/ });
    await user.clear(name);
    await user.type(name, s12.name);
    expect(within(item).getByText(`标识「${s12.name}」已被使用`)).toBeTruthy();
    await user.clear(name);
    await user.type(name, "Not Kebab");
    expect(within(item).getByText("标识只能是小写字母、数字和连字符组成的短语")).toBeTruthy();
    expect(current()[1]!.name).toBe("another-one");
  });

  it("stores an equal comparison with a value as the plain value, and names new invariants freely", () => {
    expect(expectation("equal", "seller")).toBe("seller");
    expect(expectation("equal", { fact: "amount", path: "capFen" })).toEqual({
      operator: "equal",
      value: { fact: "amount", path: "capFen" },
    });
    expect(freeName(["invariant-2", "x"])).toBe("invariant-3");
  });

  it("shows the server's problems at the invariant they concern, in Chinese, the field by its name", () => {
    const { card } = renderCard(
      "shipping-fee",
      [s12],
      [
        {
          path: "invariants.0.expect.returnShippingPayer.operator",
          code: "operator_mismatch",
          params: {
            operator: "lessThanInclusive",
            fact: "returnShippingPayer",
            type: "enum",
            operators: ["equal", "notEqual", "in", "notIn"],
          },
          message: "…",
        },
        { path: "rules.0.name", code: "duplicate_name", params: { name: "x", first: 0 }, message: "…" },
      ],
    );
    const item = card().querySelector(`[data-invariant="${s12.name}"]`) as HTMLElement;
    const shown = [...item.querySelectorAll(".field-error")].map((e) => e.textContent);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^运算符“lessThanInclusive”不适用于 退货运费/);
  });

  it("offers no invariant for a kind without a single-valued field", () => {
    renderCard("timeouts", []);
    expect(screen.queryByRole("button", { name: "+ 添加不变式" })).toBeNull();
    expect(screen.getByText("还没有不变式。")).toBeTruthy();
  });
});
