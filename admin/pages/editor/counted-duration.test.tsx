import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createStore, reconcile } from "solid-js/store";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ruleSetKinds } from "../../../shared/outputs.ts";
import type { TopLevelCondition } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { OutcomeEditor } from "./outcome-editor.tsx";

/** The seven-day window as a condition, its value as given. */
function renderWindow(value: unknown, operator = "withinDuration") {
  const initial: TopLevelCondition = { all: [{ fact: "elapsed", path: "sinceDelivered", operator, value }] };
  const [store, setStore] = createStore<{ condition: TopLevelCondition }>({ condition: structuredClone(initial) });
  render(() => (
    <I18nProvider>
      <ConditionBuilder condition={store.condition} onChange={(next) => setStore("condition", reconcile(next))} />
    </I18nProvider>
  ));
  return () => (JSON.parse(JSON.stringify(store.condition)) as { all: { value: unknown }[] }).all[0]!.value;
}

const counting = () => screen.getByLabelText("期限计算方式") as HTMLSelectElement;
const unit = () => screen.getByLabelText("单位") as HTMLSelectElement;
const selectedText = (select: HTMLSelectElement) => select.selectedOptions[0]?.textContent;
const optionTexts = (select: HTMLSelectElement) => [...select.options].map((o) => o.textContent);

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("how a condition's window is counted", () => {
  it("offers the four ways in plain words; a plain duration reads as elapsed time and stays a string", async () => {
    const value = renderWindow("P7D");
    expect(optionTexts(counting())).toEqual([
      "按实际经过时间（1 天 = 24 小时）",
      "按自然日，次日起算，遇节假日顺延",
      "按工作日",
      "按工作时间 09:00–18:00",
    ]);
    expect(selectedText(counting())).toBe("按实际经过时间（1 天 = 24 小时）");
    expect(screen.getByText(/1 天 = 24 小时，不区分工作日和节假日/)).toBeTruthy();
    // editing the length of an elapsed window keeps the plain string a rule always held
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText("值"));
    await user.type(screen.getByLabelText("值"), "10");
    expect(value()).toBe("P10D");
  });

  it("writes the object form for calendar days, offers days only, and goes back to the plain string", async () => {
    const user = userEvent.setup();
    const value = renderWindow("P7D");
    await user.selectOptions(counting(), "按自然日，次日起算，遇节假日顺延");
    expect(value()).toEqual({ duration: "P7D", counting: "calendar_days" });
    expect(optionTexts(unit())).toEqual(["天"]);
    expect(screen.getByText(/起算当天不计入，从次日起按天数计算.*只能按整天计算/)).toBeTruthy();
    // the length changes inside the object form
    await user.clear(screen.getByLabelText("值"));
    await user.type(screen.getByLabelText("值"), "15");
    expect(value()).toEqual({ duration: "P15D", counting: "calendar_days" });

    await user.selectOptions(counting(), "按实际经过时间（1 天 = 24 小时）");
    expect(value()).toBe("P15D");
    expect(optionTexts(unit())).toEqual(["天", "小时", "分钟"]);
  });

  it("converts hours to whole days for working days, and refuses a length that is no whole number of days", async () => {
    const user = userEvent.setup();
    const value = renderWindow("PT48H");
    await user.selectOptions(counting(), "按工作日");
    expect(value()).toEqual({ duration: "P2D", counting: "working_days" });
    expect(screen.getByRole("status").textContent).toBe("按工作日只能按整天计算，已换算：48 小时 = 2 天");
    expect(selectedText(unit())).toBe("天");
    cleanup();

    const refused = renderWindow("PT36H");
    await user.selectOptions(counting(), "按自然日，次日起算，遇节假日顺延");
    expect(refused()).toBe("PT36H");
    expect(counting().value).toBe("elapsed");
    expect(screen.getByRole("alert").textContent).toBe(
      "36 小时不是整天数，而按自然日，次日起算，遇节假日顺延只能按整天计算，没有改变计算方式：请先把时长改成天数",
    );
  });

  it("counts business hours 09:00–18:00 by default and writes the hours once they are changed", async () => {
    const user = userEvent.setup();
    const value = renderWindow("PT4H");
    await user.selectOptions(counting(), "按工作时间 09:00–18:00");
    expect(value()).toEqual({ duration: "PT4H", counting: "business_hours" });
    const from = screen.getByLabelText("工作时间开始") as HTMLInputElement;
    const until = screen.getByLabelText("工作时间结束") as HTMLInputElement;
    expect([from.value, until.value]).toEqual(["09:00", "18:00"]);
    // hours, unlike days, keep every unit
    expect(optionTexts(unit())).toEqual(["天", "小时", "分钟"]);

    await user.clear(until);
    await user.type(until, "17:30");
    until.dispatchEvent(new Event("change", { bubbles: true }));
    expect(value()).toEqual({ duration: "PT4H", counting: "business_hours", hours: { from: "09:00", until: "17:30" } });
    expect(selectedText(counting())).toBe("按工作时间 09:00–17:30");
    expect(
      screen.getByText("只计算每天 09:00–17:30 之间的时间，其余时间不计；当天用不完的，次日 09:00 接着计算。"),
    ).toBeTruthy();

    // a day that ends before it starts is marked, and the server names it on save
    await user.clear(from);
    await user.type(from, "19:00");
    from.dispatchEvent(new Event("change", { bubbles: true }));
    expect(from.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText(/结束要晚于开始/)).toBeTruthy();

    // 4 hours is no whole number of working days; elapsed time drops the hours, which belong to business hours only
    await user.selectOptions(counting(), "按工作日");
    expect(screen.getByRole("alert").textContent).toMatch(/^4 小时不是整天数/);
    await user.selectOptions(counting(), "按实际经过时间（1 天 = 24 小时）");
    expect(value()).toBe("PT4H");
  });

  it("shows an object form already in the rule as it is, and keeps its shape while only the length changes", async () => {
    const user = userEvent.setup();
    const value = renderWindow({ duration: "P7D", counting: "elapsed" });
    expect(counting().value).toBe("elapsed");
    await user.clear(screen.getByLabelText("值"));
    await user.type(screen.getByLabelText("值"), "8");
    expect(value()).toEqual({ duration: "P8D", counting: "elapsed" });
  });
});

describe("how a timer's duration is counted", () => {
  it("offers the counting on each timer row and writes the object form on the timer's duration", async () => {
    const user = userEvent.setup();
    const [store, setStore] = createStore({
      params: {
        timers: [{ key: "seller_response", duration: "P2D", onExpiry: "auto_agree", from: "refund.stateSince" }],
      },
    });
    render(() => (
      <I18nProvider>
        <OutcomeEditor
          schema={ruleSetKinds.timeouts.params}
          params={store.params}
          onChange={(next) => setStore("params", reconcile(next as typeof store.params))}
        />
      </I18nProvider>
    ));
    const row = screen.getByRole("group", { name: "计时器 1" });
    const select = within(row).getByLabelText("期限计算方式") as HTMLSelectElement;
    expect(select.value).toBe("elapsed");
    await user.selectOptions(select, "按工作日");
    expect(JSON.parse(JSON.stringify(store.params.timers[0]))).toEqual({
      key: "seller_response",
      duration: { duration: "P2D", counting: "working_days" },
      onExpiry: "auto_agree",
      from: "refund.stateSince",
    });
    await user.selectOptions(select, "按实际经过时间（1 天 = 24 小时）");
    expect(store.params.timers[0]!.duration).toBe("P2D");
  });
});
