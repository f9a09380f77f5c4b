import { cleanup, fireEvent, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore, reconcile } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TopLevelCondition } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { errorsOf } from "./problems.ts";

/** The builder as the editor uses it: its changes reconciled into a store. */
function renderBuilder(
  initial: TopLevelCondition,
  options: { shared?: Record<string, TopLevelCondition>; problems?: { path: string; message: string }[] } = {},
) {
  // a copy: a store takes over the objects it is given, and reconcile changes them in place
  const [store, setStore] = createStore({ condition: structuredClone(initial) });
  const result = render(() => (
    <I18nProvider>
      <ConditionBuilder
        condition={store.condition}
        shared={options.shared}
        errors={options.problems ? errorsOf(options.problems) : undefined}
        onChange={(next) => setStore("condition", reconcile(next))}
      />
    </I18nProvider>
  ));
  return { ...result, current: () => JSON.parse(JSON.stringify(store.condition)) as unknown };
}

const blank = { fact: "", operator: "", value: null };
const optionTexts = (select: HTMLElement) => [...(select as HTMLSelectElement).options].map((o) => o.textContent);
const selectedText = (select: HTMLElement) => (select as HTMLSelectElement).selectedOptions[0]?.textContent;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the condition builder", () => {
  it("offers the facts by their Chinese names, grouped, and the operators of the picked fact's type", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({ all: [blank] });
    const fact = screen.getByLabelText("事实");
    expect([...fact.querySelectorAll("optgroup")].map((g) => g.label)).toEqual([
      "订单",
      "退款",
      "运费",
      "维权",
      "售后问题",
      "时间",
      "金额",
    ]);
    expect((screen.getByLabelText("条件") as HTMLSelectElement).disabled).toBe(true);

    await user.selectOptions(fact, "退款原因");
    expect(optionTexts(screen.getByLabelText("条件"))).toEqual(["等于", "不等于", "是以下之一", "不是以下任何一个"]);
    expect(current()).toEqual({ all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] });

    await user.selectOptions(screen.getByLabelText("事实"), "发货后经过");
    expect(optionTexts(screen.getByLabelText("条件"))).toEqual(["不超过", "超过"]);
    await user.selectOptions(screen.getByLabelText("事实"), "实际付款");
    expect(optionTexts(screen.getByLabelText("条件"))).toEqual([
      "等于",
      "不等于",
      "小于",
      "小于或等于",
      "大于",
      "大于或等于",
    ]);
  });

  it("picks an enum value from a dropdown of labels, and several from checkboxes for 是以下之一", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({
      all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }],
    });
    const value = screen.getByLabelText("值");
    expect(selectedText(value)).toBe("七天无理由");
    expect(optionTexts(value)).toContain("质量问题");
    await user.selectOptions(value, "质量问题");
    expect(current()).toEqual({ all: [{ fact: "refund", path: "reason", operator: "equal", value: "quality_issue" }] });

    await user.selectOptions(screen.getByLabelText("条件"), "是以下之一");
    const group = screen.getByRole("group", { name: "值" });
    expect((within(group).getByLabelText("质量问题") as HTMLInputElement).checked).toBe(true);
    await user.click(within(group).getByLabelText("发错货"));
    await user.click(within(group).getByLabelText("七天无理由"));
    // stored in the enum's own order, whatever the order of the clicks
    expect(current()).toEqual({
      all: [{ fact: "refund", path: "reason", operator: "in", value: ["no_reason_7d", "quality_issue", "wrong_item"] }],
    });

    await user.selectOptions(screen.getByLabelText("条件"), "等于");
    expect(current()).toEqual({ all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] });
  });

  it("answers 是 / 否 for a boolean fact", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({ all: [blank] });
    await user.selectOptions(screen.getByLabelText("事实"), "卖家包邮");
    expect(optionTexts(screen.getByLabelText("值"))).toEqual(["是", "否"]);
    await user.selectOptions(screen.getByLabelText("值"), "否");
    expect(current()).toEqual({ all: [{ fact: "order", path: "freeShipping", operator: "equal", value: false }] });
  });

  it("takes money in yuan and stores exact fen", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({
      all: [{ fact: "order", path: "paidFen", operator: "greaterThan", value: 1000 }],
    });
    const value = screen.getByLabelText("值") as HTMLInputElement;
    expect(value.value).toBe("10.00");
    const typeIn = async (text: string) => {
      await user.clear(value);
      await user.type(value, text);
      return (current() as { all: { value: unknown }[] }).all[0]!.value;
    };
    expect(await typeIn("12.34")).toBe(1234);
    expect(value.value).toBe("12.34");
    // 0.1 + 0.2 and 19.99 × 100 drift as floats; the digits are joined, never multiplied
    expect(await typeIn("19.99")).toBe(1999);
    expect(await typeIn("0.3")).toBe(30);
    expect(value.value).toBe("0.3");
    expect(await typeIn("1,234.5")).toBe(123450);
    expect(value.getAttribute("aria-invalid")).toBeNull();
    expect(await typeIn("1.234")).toBe("1.234");
    expect(value.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/最多两位小数/)).toBeTruthy();
  });

  it("takes a count as a whole number", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({
      all: [{ fact: "order", path: "promotionKindCount", operator: "greaterThan", value: 1 }],
    });
    const value = screen.getByLabelText("值") as HTMLInputElement;
    await user.clear(value);
    await user.type(value, "3");
    expect(current()).toEqual({
      all: [{ fact: "order", path: "promotionKindCount", operator: "greaterThan", value: 3 }],
    });
  });

  it("takes a duration as a number and a unit, stored as ISO 8601", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({ all: [blank] });
    await user.selectOptions(screen.getByLabelText("事实"), "签收后经过");
    const amount = screen.getByLabelText("值") as HTMLInputElement;
    expect(amount.value).toBe("7");
    expect(selectedText(screen.getByLabelText("单位"))).toBe("天");
    expect(current()).toEqual({
      all: [{ fact: "elapsed", path: "sinceDelivered", operator: "withinDuration", value: "P7D" }],
    });

    await user.clear(amount);
    await user.type(amount, "48");
    expect((current() as { all: { value: unknown }[] }).all[0]!.value).toBe("P48D");
    await user.selectOptions(screen.getByLabelText("条件"), "超过");
    expect((current() as { all: { operator: string }[] }).all[0]!.operator).toBe("beyondDuration");
  });

  it("converts the number when the unit changes: 5 天 is 120 小时, never 5 小时", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({
      all: [{ fact: "elapsed", path: "sinceDelivered", operator: "withinDuration", value: "P5D" }],
    });
    const amount = screen.getByLabelText("值") as HTMLInputElement;
    const unit = screen.getByLabelText("单位") as HTMLSelectElement;
    const value = () => (current() as { all: { value: unknown }[] }).all[0]!.value;

    await user.selectOptions(unit, "小时");
    expect(amount.value).toBe("120");
    expect(value()).toBe("PT120H");
    expect(screen.getByRole("status").textContent).toBe("已换算：5 天 = 120 小时");
    await user.selectOptions(unit, "分钟");
    expect(amount.value).toBe("7200");
    expect(value()).toBe("PT7200M");
    await user.selectOptions(unit, "天");
    expect([amount.value, value()]).toEqual(["5", "P5D"]);
  });

  it("refuses a unit in which the number would not be whole, saying why, and keeps the unit and the value", async () => {
    const user = userEvent.setup();
    const { current } = renderBuilder({
      all: [{ fact: "elapsed", path: "sinceDelivered", operator: "withinDuration", value: "PT30H" }],
    });
    const amount = screen.getByLabelText("值") as HTMLInputElement;
    const unit = screen.getByLabelText("单位") as HTMLSelectElement;

    await user.selectOptions(unit, "天");
    expect(screen.getByRole("alert").textContent).toBe(
      "30 小时换算成天不是整数（1.25 天），没有换算：请先改数字，或选更小的单位",
    );
    expect(unit.value).toBe("hours");
    expect(selectedText(unit)).toBe("小时");
    expect(amount.value).toBe("30");
    expect((current() as { all: { value: unknown }[] }).all[0]!.value).toBe("PT30H");

    // a new number clears the refusal; 48 小时 is 2 天
    await user.clear(amount);
    await user.type(amount, "48");
    expect(screen.queryByRole("alert")).toBeNull();
    await user.selectOptions(unit, "天");
    expect([amount.value, (current() as { all: { value: unknown }[] }).all[0]!.value]).toEqual(["2", "P2D"]);
  });

  it("shows a stored duration in the smallest unit it is written in", () => {
    renderBuilder({ all: [{ fact: "elapsed", path: "sinceCompleted", operator: "beyondDuration", value: "P1DT12H" }] });
    expect((screen.getByLabelText("值") as HTMLInputElement).value).toBe("36");
    expect(selectedText(screen.getByLabelText("单位"))).toBe("小时");
  });

  it("adds conditions, groups and 不满足 groups, switches 全部 / 任一, and removes them", async () => {
    const user = userEvent.setup();
    const leaf = { fact: "order", path: "freeShipping", operator: "equal", value: true };
    const { current } = renderBuilder({ all: [leaf] });
    const root = screen.getByRole("group", { name: "全部满足" });

    await user.click(within(root).getByRole("button", { name: /添加条件组/ }));
    expect(current()).toEqual({ all: [leaf, { all: [blank] }] });
    // the root's own buttons come after its children's
    await user.click(screen.getAllByRole("button", { name: /添加“不满足”/ }).at(-1)!);
    expect(current()).toEqual({ all: [leaf, { all: [blank] }, { not: { all: [blank] } }] });
    expect(screen.getByRole("group", { name: "不满足" })).toBeTruthy();

    // the inner group becomes 任一满足
    const inner = screen.getAllByLabelText("组合方式")[1]!;
    await user.selectOptions(inner, "任一满足");
    expect(current()).toEqual({ all: [leaf, { any: [blank] }, { not: { all: [blank] } }] });

    await user.click(
      within(screen.getByRole("group", { name: "不满足" })).getByRole("button", { name: "删除“不满足”" }),
    );
    expect(current()).toEqual({ all: [leaf, { any: [blank] }] });
    await user.click(
      within(screen.getByRole("group", { name: "任一满足" })).getByRole("button", { name: "删除条件组" }),
    );
    expect(current()).toEqual({ all: [leaf] });

    await user.click(screen.getByRole("button", { name: /添加条件$/ }));
    expect(current()).toEqual({ all: [leaf, blank] });
    await user.click(screen.getAllByRole("button", { name: "删除条件" })[0]!);
    expect(current()).toEqual({ all: [blank] });
    // the root group stays; it has no remove button
    expect(screen.queryByRole("button", { name: "删除条件组" })).toBeNull();
  });

  it("asks before the last condition goes, since the rule then applies to every refund, and says so in red", async () => {
    const user = userEvent.setup();
    const leaf = { fact: "order", path: "freeShipping", operator: "equal", value: true };
    const { current } = renderBuilder({ all: [leaf] });

    await user.click(screen.getByRole("button", { name: "删除条件" }));
    const dialog = screen.getByRole("dialog");
    expect(within(dialog).getByRole("heading").textContent).toBe("删除最后一个条件？");
    expect(dialog.textContent).toContain("删除后这条规则不再有任何条件，将适用于所有退款。");
    // nothing changed until the choice is made; 取消 keeps the condition
    expect(current()).toEqual({ all: [leaf] });
    await user.click(within(dialog).getByRole("button", { name: "取消" }));
    expect(current()).toEqual({ all: [leaf] });
    expect(screen.queryByRole("note")).toBeNull();

    await user.click(screen.getByRole("button", { name: "删除条件" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "删除，适用于所有退款" }));
    expect(current()).toEqual({ all: [] });
    const warning = screen.getByRole("note");
    expect(warning.textContent).toBe("⚠ 没有条件：这条规则适用于所有退款");
    expect(warning.classList.contains("cond-empty-root")).toBe(true);
  });

  it("asks before a nested group's last condition goes too, naming what the empty group means", async () => {
    const user = userEvent.setup();
    const leaf = { fact: "order", path: "freeShipping", operator: "equal", value: true };
    const { current } = renderBuilder({ all: [leaf, { any: [blank] }] });
    const inner = screen.getByRole("group", { name: "任一满足" });
    await user.click(within(inner).getByRole("button", { name: "删除条件" }));
    expect(screen.getByRole("dialog").textContent).toContain("删除后这一组没有条件，总是成立，不再限制这条规则。");
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "删除，这一组总是成立" }));
    expect(current()).toEqual({ all: [leaf, { any: [] }] });
    expect(screen.getByRole("note").textContent).toBe("⚠ 空组：总是成立，不限制这条规则");
    expect(screen.getByRole("note").classList.contains("cond-empty-root")).toBe(false);
  });

  it("shows shared condition references with what they say, and lets one be picked", async () => {
    const user = userEvent.setup();
    const shared: Record<string, TopLevelCondition> = {
      "whole-order-before-shipment": { all: [{ fact: "refund", path: "wholeOrder", operator: "equal", value: true }] },
      "seller-at-fault": { any: [{ fact: "refund", path: "reason", operator: "equal", value: "wrong_item" }] },
    };
    const { current } = renderBuilder({ all: [{ condition: "whole-order-before-shipment" }] }, { shared });
    expect(selectedText(screen.getByLabelText("共享条件"))).toBe("whole-order-before-shipment");
    expect(screen.getByText("整单退款 = 是")).toBeTruthy();
    await user.selectOptions(screen.getByLabelText("共享条件"), "seller-at-fault");
    expect(current()).toEqual({ all: [{ condition: "seller-at-fault" }] });
    await user.click(screen.getByRole("button", { name: /引用共享条件/ }));
    expect(current()).toEqual({
      all: [{ condition: "seller-at-fault" }, { condition: "whole-order-before-shipment" }],
    });
  });

  it("marks the inputs the server found problems with, and says what is wrong", () => {
    renderBuilder(
      { all: [{ fact: "order", path: "status", operator: "equal", value: "lost" }] },
      { problems: [{ path: "conditions.all.0.value", message: '"lost" is not one of paid, shipped' }] },
    );
    expect(screen.getByLabelText("值").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText('"lost" is not one of paid, shipped')).toBeTruthy();
    // an unknown value stays visible rather than being replaced by the first option
    expect(selectedText(screen.getByLabelText("值"))).toBe("lost");
  });

  it("keeps the fact of a condition it does not know, named as it is", () => {
    renderBuilder({ all: [{ fact: "order", path: "colour", operator: "equal", value: "red" }] });
    expect(selectedText(screen.getByLabelText("事实"))).toBe("未知事实：order.colour");
    fireEvent.change(screen.getByLabelText("事实"), { target: { value: "order.status" } });
  });
});
