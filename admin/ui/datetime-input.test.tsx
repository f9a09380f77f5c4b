import { cleanup, fireEvent, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setBusinessSettings } from "../business-zone.ts";
import { I18nProvider } from "../i18n/index.tsx";
import { DateTimeInput, DayInput } from "./datetime-input.tsx";
import { LogTime } from "./log-time.tsx";

// the browser's zone is UTC here, eight hours from Beijing: nothing below may follow it
beforeAll(() => {
  process.env.TZ = "UTC";
});
beforeEach(() => {
  localStorage.clear();
  setBusinessSettings({ zone: "Asia/Shanghai", now: new Date("2026-11-01T02:00:00Z") });
});
afterEach(cleanup);

function renderField(options: { value?: string; end?: boolean } = {}) {
  const [value, setValue] = createSignal<string | undefined>(options.value);
  const validity: boolean[] = [];
  const changes: (string | undefined)[] = [];
  render(() => (
    <I18nProvider>
      <label for="when">时间</label>
      <DateTimeInput
        id="when"
        value={value()}
        end={options.end}
        onChange={(iso) => {
          changes.push(iso);
          setValue(iso);
        }}
        onValidity={(valid) => validity.push(valid)}
      />
      <button type="button">别处</button>
    </I18nProvider>
  ));
  return { input: screen.getByLabelText("时间") as HTMLInputElement, value, setValue, validity, changes };
}

describe("the admin's date-time field", () => {
  it("runs in a browser zone that is not Beijing's", () => {
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(0);
  });

  it("takes 2026-11-11 00:00 as Beijing time and hands on 2026-11-11T00:00:00+08:00, the zone named beside it", async () => {
    const user = userEvent.setup();
    const { input, value } = renderField();
    expect(input.type).toBe("text");
    expect(input.placeholder).toBe("2026-11-11 00:00");
    expect(screen.getByText("北京时间")).toBeTruthy();
    await user.type(input, "2026-11-11 00:00");
    expect(value()).toBe("2026-11-11T00:00:00+08:00");
    expect(Date.parse(value()!)).toBe(Date.parse("2026-11-10T16:00:00Z"));
  });

  it("shows a moment set from outside as Beijing's wall clock, 24-hour", () => {
    const { input, setValue } = renderField({ value: "2026-11-10T16:00:00Z" });
    expect(input.value).toBe("2026-11-11 00:00");
    setValue("2026-11-11T06:30:00Z");
    expect(input.value).toBe("2026-11-11 14:30");
  });

  it("reads full-width digits from a Chinese input method", async () => {
    const user = userEvent.setup();
    const { input, value } = renderField();
    await user.type(input, "２０２６－１１－１１　０８：００");
    expect(value()).toBe("2026-11-11T08:00:00+08:00");
  });

  it.each([
    ["11/11/2026 12:00 AM", "请按“年-月-日 时:分”填写，例如 2026-11-11 00:00（24 小时制）"],
    ["2026-11-31 10:00", "没有这一天，请检查月份和日期"],
    ["2026-11-11 24:00", "时刻应在 00:00 到 23:59 之间（一天的结束请填次日 00:00）"],
  ])("refuses %j with the reason at the field, passes nothing on and makes the input invalid", async (text, reason) => {
    const user = userEvent.setup();
    const { input, value, validity, changes } = renderField({ value: "2026-11-10T16:00:00Z" });
    await user.clear(input);
    await user.type(input, text);
    await user.click(screen.getByRole("button", { name: "别处" }));
    expect(screen.getByRole("alert").textContent).toBe(reason);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.validity.valid).toBe(false);
    expect(input.validationMessage).toBe(reason);
    expect(validity.at(-1)).toBe(false);
    // emptied on the way (clear), never set to a wrong time
    expect(changes.filter((c) => c !== undefined)).toEqual([]);
    expect(value()).toBeUndefined();

    await user.clear(input);
    await user.type(input, "2026-11-12 09:00");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(validity.at(-1)).toBe(true);
    expect(value()).toBe("2026-11-12T09:00:00+08:00");
  });

  it("waits for a time being typed before naming its problem", async () => {
    const user = userEvent.setup();
    const { input, validity } = renderField();
    await user.type(input, "2026-11");
    expect(screen.queryByRole("alert")).toBeNull();
    // still, the form cannot submit it meanwhile
    expect(validity.at(-1)).toBe(false);
  });

  it("picks a day from a calendar of Beijing's days, Monday first, keeping the time", async () => {
    const user = userEvent.setup();
    const { input, value } = renderField({ value: "2026-11-11T01:30:00Z" });
    expect(input.value).toBe("2026-11-11 09:30");
    await user.click(screen.getByRole("button", { name: "从日历选择" }));
    const calendar = screen.getByRole("group", { name: "2026年11月" });
    expect([...calendar.querySelectorAll("th")].map((th) => th.textContent)).toEqual([
      "一",
      "二",
      "三",
      "四",
      "五",
      "六",
      "日",
    ]);
    // 2026-11-01 is a Sunday: the month starts in the last column
    expect(calendar.querySelector("tbody tr")!.querySelectorAll("button")).toHaveLength(1);
    expect(within(calendar).getByRole("button", { name: "2026-11-11" }).getAttribute("aria-pressed")).toBe("true");
    // today by the service's clock, in Beijing
    expect(within(calendar).getByRole("button", { name: "2026-11-01" }).getAttribute("aria-current")).toBe("date");
    await user.click(within(calendar).getByRole("button", { name: "2026-11-20" }));
    expect(input.value).toBe("2026-11-20 09:30");
    expect(value()).toBe("2026-11-20T09:30:00+08:00");
    expect(screen.queryByRole("group", { name: "2026年11月" })).toBeNull();
  });

  it("for an end, a day picked means to the end of that day: the next day's 00:00, said as the day included", async () => {
    const user = userEvent.setup();
    const { input, value } = renderField({ end: true });
    await user.click(screen.getByRole("button", { name: "从日历选择" }));
    expect(
      (screen.getByRole("checkbox", { name: "到所选日期当天结束（存为次日 00:00）" }) as HTMLInputElement).checked,
    ).toBe(true);
    await user.click(screen.getByRole("button", { name: "2026-11-20" }));
    expect(input.value).toBe("2026-11-21 00:00");
    expect(value()).toBe("2026-11-21T00:00:00+08:00");
    expect(screen.getByText("即到 2026-11-20 当天结束（含）")).toBeTruthy();
  });

  it("closes the calendar on Escape and gives the focus back to its button", async () => {
    const user = userEvent.setup();
    renderField();
    const button = screen.getByRole("button", { name: "从日历选择" });
    await user.click(button);
    await user.click(screen.getByRole("button", { name: "下个月" }));
    expect(screen.getByRole("group", { name: "2026年12月" })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole("button", { name: "上个月" }), { key: "Escape" });
    expect(screen.queryByRole("group", { name: /2026年/ })).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("follows the configured zone: New York skips 02:30 on its spring-forward day and says so", async () => {
    setBusinessSettings({ zone: "America/New_York", now: new Date("2026-03-01T12:00:00Z") });
    const user = userEvent.setup();
    const { input, value } = renderField();
    expect(screen.getByText("北美东部时间")).toBeTruthy();
    await user.type(input, "2026-03-08 02:30");
    expect(screen.getByRole("alert").textContent).toBe("北美东部时间没有这个时刻：这天夏令时开始，时钟跳过了它");
    await user.clear(input);
    await user.type(input, "2026-03-08 03:00");
    expect(value()).toBe("2026-03-08T03:00:00-04:00");
  });
});

describe("a day field", () => {
  it("takes a day, refuses one that does not exist", async () => {
    const user = userEvent.setup();
    const [day, setDay] = createSignal<string>();
    render(() => (
      <I18nProvider>
        <label for="day">日期</label>
        <DayInput id="day" value={day()} onChange={setDay} />
      </I18nProvider>
    ));
    const input = screen.getByLabelText("日期") as HTMLInputElement;
    await user.type(input, "2026/11/20");
    expect(day()).toBe("2026-11-20");
    await user.clear(input);
    await user.type(input, "2026-02-30");
    expect(screen.getByRole("alert").textContent).toBe("没有这一天，请检查月份和日期");
  });
});

describe("a logged moment", () => {
  it("is Beijing's wall clock to the second, whatever the browser's zone", () => {
    render(() => (
      <I18nProvider>
        <LogTime at="2026-11-01T02:00:05.123Z" />
      </I18nProvider>
    ));
    const time = screen.getByText("2026-11-01 10:00:05");
    expect(time.getAttribute("datetime")).toBe("2026-11-01T02:00:05.123Z");
  });
});
