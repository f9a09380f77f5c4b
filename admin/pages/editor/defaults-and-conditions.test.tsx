import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleSetKinds } from "../../../shared/outputs.ts";
import type { RuleInput } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import type { WorkingDraft } from "../rule-set/rule-set-context.tsx";
import { DefaultsEditor, requiredDefaults } from "./defaults-editor.tsx";
import { SharedConditionsEditor } from "./shared-conditions-editor.tsx";

const shared = {
  "whole-order-before-shipment": {
    all: [
      { fact: "refund", path: "wholeOrder", operator: "equal", value: true },
      { fact: "order", path: "status", operator: "equal", value: "paid" },
    ],
  },
  "high-value": { all: [{ fact: "order", path: "paidFen", operator: "greaterThan", value: 100000 }] },
};
const rule = (name: string, conditions: RuleInput["conditions"]): RuleInput => ({
  name,
  priority: 100,
  enabled: true,
  conditions,
  event: { type: name, params: { manualReview: true } },
});

/** Both cards on one working draft held in a store, as the editor page holds it. */
function renderCards(kind: "refund-eligibility" | "timeouts" = "refund-eligibility") {
  const [working, setWorking] = createStore<WorkingDraft>(
    structuredClone({
      revision: 3,
      defaults:
        kind === "timeouts"
          ? { timers: [{ key: "seller_response", duration: "P2D", onExpiry: "auto_approve" }] }
          : {
              eligible: false,
              channel: "none",
              requiresReturn: false,
              formula: "full_price",
              manualReview: false,
              reasons: [{ code: "NO_RULE_MATCHED", message: "没有适用的规则，请人工处理" }],
            },
      conditions: shared,
      rules: [
        rule("refund-before-shipment", { all: [{ condition: "whole-order-before-shipment" }] }),
        rule("partial-before-shipment", { not: { condition: "whole-order-before-shipment" } }),
      ],
    }),
  );
  const state = { working, setWorking };
  render(() => (
    <I18nProvider>
      <DefaultsEditor state={state} schema={ruleSetKinds[kind].defaults} />
      <SharedConditionsEditor state={state} />
    </I18nProvider>
  ));
  return { current: () => JSON.parse(JSON.stringify(working)) as WorkingDraft };
}

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the default decision card", () => {
  it("edits the defaults field by field with the outcome's typed inputs, and keeps every required field set", async () => {
    const user = userEvent.setup();
    const { current } = renderCards();
    const card = screen.getByRole("region", { name: "默认结果" });
    await user.selectOptions(within(card).getByRole("combobox", { name: "需人工复核" }), "是");
    await user.selectOptions(within(card).getByRole("combobox", { name: "退款渠道" }), "仅退款");
    expect(current().defaults).toMatchObject({ manualReview: true, channel: "refund_only", eligible: false });
    // a decision needs every field: the box that would remove one cannot be cleared
    const box = within(card).getByRole("checkbox", { name: "设置“需人工复核”" }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    expect(box.disabled).toBe(true);
    expect(requiredDefaults(ruleSetKinds["refund-eligibility"].defaults)).toEqual([
      "eligible",
      "channel",
      "requiresReturn",
      "formula",
      "manualReview",
      "reasons",
    ]);
  });

  it("asks which plain fields a rule must decide for every case (the analysis's gaps), never a list", async () => {
    const { current } = renderCards();
    const fields = within(screen.getByRole("group", { name: "必须由规则决定的字段" }));
    expect(fields.queryByRole("checkbox", { name: "原因" })).toBeNull();
    await userEvent.click(fields.getByRole("checkbox", { name: "退款渠道" }));
    await userEvent.click(fields.getByRole("checkbox", { name: "可以退款" }));
    // kept in the schema's order, whatever order they are ticked in
    expect(current().decidedByRules).toEqual(["eligible", "channel"]);
    await userEvent.click(fields.getByRole("checkbox", { name: "退款渠道" }));
    expect(current().decidedByRules).toEqual(["eligible"]);
  });

  it("edits the reasons and timers of the defaults with their row editors", async () => {
    const user = userEvent.setup();
    const { current } = renderCards("timeouts");
    const card = screen.getByRole("region", { name: "默认结果" });
    await user.click(within(card).getByRole("button", { name: "+ 添加计时器" }));
    expect((current().defaults.timers as unknown[]).length).toBe(2);
  });
});

describe("the shared conditions card", () => {
  it("lists each shared condition in words with how many rules use it", () => {
    renderCards();
    const item = document.querySelector<HTMLElement>('[data-shared="whole-order-before-shipment"]')!;
    expect(item.textContent).toContain("被 2 条规则引用");
    expect(item.textContent).toContain("整单退款 = 是 且 订单状态 = 已付款");
    const other = document.querySelector<HTMLElement>('[data-shared="high-value"]')!;
    expect(other.textContent).toContain("被 0 条规则引用");
    expect(other.textContent).toContain("实际付款 > ¥1,000.00");
  });

  it("edits a shared condition in the builder, money in yuan stored in fen", async () => {
    const user = userEvent.setup();
    const { current } = renderCards();
    await user.click(screen.getByRole("button", { name: "编辑「high-value」" }));
    const item = document.querySelector<HTMLElement>('[data-shared="high-value"]')!;
    const value = within(item).getByLabelText("值") as HTMLInputElement;
    await user.clear(value);
    await user.type(value, "500");
    expect(current().conditions["high-value"]).toEqual({
      all: [{ fact: "order", path: "paidFen", operator: "greaterThan", value: 50000 }],
    });
  });

  it("adds a shared condition under a name the schema accepts, refusing others", async () => {
    const user = userEvent.setup();
    const { current } = renderCards();
    await user.click(screen.getByRole("button", { name: "+ 添加共享条件" }));
    const name = screen.getByLabelText(/^名称（/);
    const create = screen.getByRole("button", { name: "添加" }) as HTMLButtonElement;
    await user.type(name, "大额订单");
    expect(create.disabled).toBe(true);
    expect(screen.getByText(/名称只能用小写英文字母和数字/)).toBeTruthy();
    await user.clear(name);
    await user.type(name, "high-value");
    expect(screen.getByText("已经有名为「high-value」的共享条件")).toBeTruthy();
    await user.clear(name);
    await user.type(name, "seven-day-no-reason");
    await user.click(create);
    expect(current().conditions["seven-day-no-reason"]).toEqual({ all: [{ fact: "", operator: "", value: null }] });
    const item = document.querySelector<HTMLElement>('[data-shared="seven-day-no-reason"]')!;
    await user.selectOptions(within(item).getByLabelText("事实"), "退款原因");
    expect(current().conditions["seven-day-no-reason"]).toEqual({
      all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }],
    });
  });

  it("refuses to delete or rename a shared condition rules use, naming them; deletes and renames an unused one", async () => {
    const user = userEvent.setup();
    const { current } = renderCards();
    await user.click(screen.getByRole("button", { name: "删除「whole-order-before-shipment」" }));
    expect(screen.getByRole("alert").textContent).toBe(
      "不能删除「whole-order-before-shipment」：「refund-before-shipment」、「partial-before-shipment」 还在引用它。请先在这些规则中去掉引用。",
    );
    expect(Object.keys(current().conditions)).toEqual(["whole-order-before-shipment", "high-value"]);

    await user.click(screen.getByRole("button", { name: "编辑「whole-order-before-shipment」" }));
    const used = document.querySelector<HTMLElement>('[data-shared="whole-order-before-shipment"]')!;
    const usedName = within(used).getByLabelText("名称") as HTMLInputElement;
    await user.clear(usedName);
    await user.type(usedName, "before-shipment");
    usedName.dispatchEvent(new Event("change", { bubbles: true }));
    expect(within(used).getByRole("alert").textContent).toContain("不能改名「whole-order-before-shipment」");
    expect(Object.keys(current().conditions)).toEqual(["whole-order-before-shipment", "high-value"]);

    await user.click(screen.getByRole("button", { name: "编辑「high-value」" }));
    const unused = within(document.querySelector<HTMLElement>('[data-shared="high-value"]')!).getByLabelText(
      "名称",
    ) as HTMLInputElement;
    await user.clear(unused);
    await user.type(unused, "large-order");
    unused.dispatchEvent(new Event("change", { bubbles: true }));
    expect(Object.keys(current().conditions)).toEqual(["whole-order-before-shipment", "large-order"]);

    await user.click(screen.getByRole("button", { name: "删除「large-order」" }));
    expect(Object.keys(current().conditions)).toEqual(["whole-order-before-shipment"]);
  });
});
