import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore, reconcile } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ruleSetKinds } from "../../../shared/outputs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { OutcomeEditor, outcomeFields } from "./outcome-editor.tsx";
import { errorsOf } from "./problems.ts";

function renderOutcome(
  schema: z.ZodType,
  initial: Record<string, unknown> = {},
  options: {
    defaults?: Record<string, unknown>;
    problems?: { path: string; message: string }[];
    timerKeys?: string[];
    expiryActions?: string[];
  } = {},
) {
  const [store, setStore] = createStore({ params: structuredClone(initial) });
  const result = render(() => (
    <I18nProvider>
      <OutcomeEditor
        schema={schema}
        params={store.params}
        defaults={options.defaults}
        errors={options.problems ? errorsOf(options.problems) : undefined}
        timerKeys={options.timerKeys}
        expiryActions={options.expiryActions}
        onChange={(next) => setStore("params", reconcile(next))}
      />
    </I18nProvider>
  ));
  return { ...result, current: () => JSON.parse(JSON.stringify(store.params)) as Record<string, unknown> };
}

const selectedText = (select: HTMLElement) => (select as HTMLSelectElement).selectedOptions[0]?.textContent;
const checkbox = (name: string) => screen.getByRole("checkbox", { name }) as HTMLInputElement;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the outcome editor", () => {
  it("reads the fields a rule may set from the rule set's params schema", () => {
    expect(outcomeFields(ruleSetKinds["shipping-fee"].params)).toEqual([
      { name: "returnShippingPayer", kind: "enum", options: ["seller", "buyer"] },
      { name: "outboundShippingPayer", kind: "enum", options: ["seller", "buyer"] },
      { name: "freightCollectAllowed", kind: "boolean" },
      { name: "replacementShippingPayer", kind: "enum", options: ["seller", "buyer"] },
    ]);
    expect(outcomeFields(ruleSetKinds["refund-eligibility"].params).map((f) => `${f.name}:${f.kind}`)).toEqual([
      "eligible:boolean",
      "channel:enum",
      "requiresReturn:boolean",
      "formula:enum",
      "manualReview:boolean",
      "reasons:reasons",
    ]);
    expect(outcomeFields(ruleSetKinds.timeouts.params)).toEqual([{ name: "timers", kind: "timers" }]);
    expect(outcomeFields(ruleSetKinds["service-playbook"].params).map((f) => `${f.name}:${f.kind}`)).toEqual([
      "cause:enum",
      "actions:codes",
      "compensationFen:money",
      "template:template",
    ]);
  });

  it("offers a 'set this field' switch for each field, with the default shown while unset", () => {
    renderOutcome(
      ruleSetKinds["shipping-fee"].params,
      { outboundShippingPayer: "seller" },
      { defaults: { returnShippingPayer: "buyer" } },
    );
    expect(checkbox("设置“退货运费”").checked).toBe(false);
    expect(checkbox("设置“发货运费”").checked).toBe(true);
    expect(checkbox("设置“允许到付”").checked).toBe(false);
    // the derived fields (settlement, refundOutboundShipping) are not the rules' to set
    expect(screen.queryByRole("checkbox", { name: /结算/ })).toBeNull();
    expect(screen.getByText("不设置：由后面的规则或默认值（买家承担）决定")).toBeTruthy();
    expect(selectedText(screen.getByRole("combobox", { name: "发货运费" }))).toBe("卖家承担");
  });

  it("sets a field, changes its value, and unsets it", async () => {
    const user = userEvent.setup();
    const { current } = renderOutcome(ruleSetKinds["shipping-fee"].params);
    expect(screen.getByText("这条规则还没有设置任何结果。")).toBeTruthy();

    await user.click(checkbox("设置“退货运费”"));
    expect(current()).toEqual({ returnShippingPayer: "seller" });
    const payer = screen.getByRole("combobox", { name: "退货运费" });
    expect([...(payer as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(["卖家承担", "买家承担"]);
    await user.selectOptions(payer, "买家承担");
    expect(current()).toEqual({ returnShippingPayer: "buyer" });

    await user.click(checkbox("设置“允许到付”"));
    expect(current()).toEqual({ returnShippingPayer: "buyer", freightCollectAllowed: true });
    await user.selectOptions(screen.getByRole("combobox", { name: "允许到付" }), "否");
    expect(current()).toEqual({ returnShippingPayer: "buyer", freightCollectAllowed: false });

    await user.click(checkbox("设置“退货运费”"));
    expect(current()).toEqual({ freightCollectAllowed: false });
    expect(screen.queryByRole("combobox", { name: "退货运费" })).toBeNull();
  });

  it("edits reasons as rows of code and message", async () => {
    const user = userEvent.setup();
    const { current } = renderOutcome(ruleSetKinds["refund-eligibility"].params, { eligible: false });
    await user.click(checkbox("设置“原因”"));
    expect(current()).toEqual({ eligible: false, reasons: [{ code: "", message: "" }] });

    const first = screen.getByRole("group", { name: "原因 1" });
    await user.type(within(first).getByLabelText("原因代码"), "ORDER_CLOSED");
    await user.type(within(first).getByLabelText("说明"), "订单已关闭");
    await user.click(screen.getByRole("button", { name: /添加原因/ }));
    await user.type(within(screen.getByRole("group", { name: "原因 2" })).getByLabelText("原因代码"), "CLAIM_USED");
    expect(current().reasons).toEqual([
      { code: "ORDER_CLOSED", message: "订单已关闭" },
      { code: "CLAIM_USED", message: "" },
    ]);

    await user.click(within(screen.getByRole("group", { name: "原因 1" })).getByRole("button", { name: "删除原因" }));
    expect(current().reasons).toEqual([{ code: "CLAIM_USED", message: "" }]);
    expect(
      (within(screen.getByRole("group", { name: "原因 1" })).getByLabelText("原因代码") as HTMLInputElement).value,
    ).toBe("CLAIM_USED");
  });

  it("edits timers as rows: timer, duration with a unit, what happens on expiry, and from when", async () => {
    const user = userEvent.setup();
    const timerKeys = ["seller_response", "buyer_modify"];
    const expiryActions = ["auto_agree", "close_refund"];
    const { current } = renderOutcome(ruleSetKinds.timeouts.params, {}, { timerKeys, expiryActions });
    await user.click(checkbox("设置“计时器”"));
    expect(current()).toEqual({
      timers: [{ key: "seller_response", duration: "P7D", onExpiry: "auto_agree", from: "refund.stateSince" }],
    });

    const row = screen.getByRole("group", { name: "计时器 1" });
    expect(selectedText(within(row).getByRole("combobox", { name: "计时器" }))).toBe("卖家处理退款申请");
    const amount = within(row).getByLabelText("时长") as HTMLInputElement;
    // the unit first: switching it converts the number (7 天 is 168 小时), then 48 is typed in hours
    await user.selectOptions(within(row).getByLabelText("单位"), "小时");
    expect(amount.value).toBe("168");
    await user.clear(amount);
    await user.type(amount, "48");
    await user.selectOptions(within(row).getByRole("combobox", { name: "到期后" }), "关闭退款");
    await user.selectOptions(within(row).getByRole("combobox", { name: "起算时间" }), "申请退款时");
    expect(current().timers).toEqual([
      { key: "seller_response", duration: "PT48H", onExpiry: "close_refund", from: "refund.appliedAt" },
    ]);

    // a new row takes the first timer the list does not run yet
    await user.click(screen.getByRole("button", { name: /添加计时器/ }));
    expect((current().timers as { key: string }[]).map((timer) => timer.key)).toEqual([
      "seller_response",
      "buyer_modify",
    ]);

    // a code nobody used yet is typed in
    const second = screen.getByRole("group", { name: "计时器 2" });
    await user.selectOptions(within(second).getByRole("combobox", { name: "计时器" }), "自定义…");
    const custom = within(second).getByLabelText("计时器（自定义代码）") as HTMLInputElement;
    await user.clear(custom);
    await user.type(custom, "courier_pickup");
    expect((current().timers as { key: string }[])[1]!.key).toBe("courier_pickup");

    await user.click(
      within(screen.getByRole("group", { name: "计时器 1" })).getByRole("button", { name: "删除计时器" }),
    );
    expect((current().timers as { key: string }[]).map((timer) => timer.key)).toEqual(["courier_pickup"]);
  });

  it("shows the server's problems at the field and the row they concern", () => {
    renderOutcome(
      ruleSetKinds["refund-eligibility"].params,
      { channel: "by_post", reasons: [{ code: "lower", message: "x" }] },
      {
        problems: [
          { path: "event.params.channel", message: "Invalid option: expected one of refund_only|return_and_refund" },
          { path: "event.params.reasons.0.code", message: "a reason code is UPPER_SNAKE_CASE" },
        ],
      },
    );
    expect(screen.getByRole("combobox", { name: "退款渠道" }).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/Invalid option/)).toBeTruthy();
    const row = screen.getByRole("group", { name: "原因 1" });
    expect(within(row).getByLabelText("原因代码").getAttribute("aria-invalid")).toBe("true");
    expect(within(row).getByText("a reason code is UPPER_SNAKE_CASE")).toBeTruthy();
  });

  it("keeps a field the schema does not know visible, so that it can be removed", async () => {
    const user = userEvent.setup();
    const { current } = renderOutcome(ruleSetKinds["shipping-fee"].params, { settlement: "none" });
    expect(screen.getByText('"none"')).toBeTruthy();
    await user.click(checkbox("设置“卖家运费结算方式”"));
    expect(current()).toEqual({});
  });

  it("edits the playbook's actions as checks kept in the playbook's order, and its compensation in yuan", async () => {
    const user = userEvent.setup();
    const { current } = renderOutcome(
      ruleSetKinds["service-playbook"].params,
      {},
      {
        defaults: { compensationFen: 0, actions: [] },
      },
    );
    expect(screen.getByText("不设置：由后面的规则或默认值（¥0.00）决定")).toBeTruthy();
    await user.click(checkbox("设置“处理步骤”"));
    expect(current()).toEqual({ actions: [] });
    await user.click(checkbox("下次购物补偿（下次有礼）"));
    await user.click(checkbox("道歉"));
    expect(current()).toEqual({ actions: ["apologise", "compensate_next_order"] });

    await user.click(checkbox("设置“补偿金额”"));
    const amount = screen.getByRole("textbox", { name: "补偿金额" });
    await user.clear(amount);
    await user.type(amount, "10");
    await user.tab();
    expect(current()).toEqual({ actions: ["apologise", "compensate_next_order"], compensationFen: 1000 });
  });
});
