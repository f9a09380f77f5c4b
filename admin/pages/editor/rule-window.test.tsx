import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setBusinessSettings } from "../../business-zone.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { RuleWindowBadge, RuleWindowEditor, type RuleWindow } from "./rule-window.tsx";

beforeAll(() => {
  process.env.TZ = "UTC";
});
beforeEach(() => localStorage.clear());
afterEach(cleanup);

const double11 = { validFrom: "2026-11-11T00:00:00+08:00", validUntil: "2026-11-21T00:00:00+08:00" };

function badge(window: RuleWindow, now: string) {
  setBusinessSettings({ zone: "Asia/Shanghai", now: new Date(now) });
  render(() => (
    <I18nProvider>
      <RuleWindowBadge window={window} />
    </I18nProvider>
  ));
  const shown = { phase: screen.getByTestId("rule-phase").textContent, text: document.querySelector(".rule-window")! };
  cleanup();
  return shown;
}

describe("a rule's window on its card", () => {
  it("reads whole days as days, the last one included, and its state by the service's clock", () => {
    const before = badge(double11, "2026-11-10T15:59:59Z");
    expect(before.phase).toBe("未开始");
    expect(before.text.textContent).toBe("未开始 生效期：2026-11-11 至 2026-11-20（含）");
    expect(before.text.getAttribute("title")).toBe(
      "精确时刻（北京时间）：2026-11-11 00:00 至 2026-11-21 00:00（不含）",
    );
    expect(badge(double11, "2026-11-10T16:00:00Z").phase).toBe("生效中");
    expect(badge(double11, "2026-11-20T15:59:59Z").phase).toBe("生效中");
    expect(badge(double11, "2026-11-20T16:00:00Z").phase).toBe("已结束");
  });

  it("reads other times to the minute, and open ends", () => {
    const exact = { validFrom: "2026-11-11T02:30:00Z", validUntil: "2026-11-20T10:00:00Z" };
    expect(badge(exact, "2026-11-01T00:00:00Z").text.textContent).toBe(
      "未开始 生效期：2026-11-11 10:30 至 2026-11-20 18:00（不含）",
    );
    expect(badge({ validFrom: double11.validFrom }, "2026-12-01T00:00:00Z").text.textContent).toBe(
      "生效中 生效期：2026-11-11 起",
    );
    expect(badge({ validUntil: double11.validUntil }, "2026-12-01T00:00:00Z").text.textContent).toBe(
      "已结束 生效期：至 2026-11-20（含）",
    );
  });

  it("shows nothing for a rule that is always valid", () => {
    render(() => (
      <I18nProvider>
        <RuleWindowBadge window={{}} />
      </I18nProvider>
    ));
    expect(screen.queryByTestId("rule-phase")).toBeNull();
  });
});

describe("setting a rule's window", () => {
  function renderEditor(initial: RuleWindow = {}) {
    setBusinessSettings({ zone: "Asia/Shanghai", now: new Date("2026-11-01T02:00:00Z") });
    const [window, setWindow] = createSignal<RuleWindow>(initial);
    render(() => (
      <I18nProvider>
        <RuleWindowEditor window={window()} onChange={setWindow} errors={() => []} />
      </I18nProvider>
    ));
    return window;
  }

  it("sets 11-11 to 11-20 (included) as 11-11 00:00 to 11-21 00:00 in Beijing time", async () => {
    const user = userEvent.setup();
    const window = renderEditor();
    await user.type(screen.getByLabelText("从"), "2026-11-11");
    await user.type(screen.getByLabelText("到（含这一天）"), "2026-11-20");
    await user.click(screen.getByRole("button", { name: "设为整天" }));
    expect(window()).toEqual(double11);
    expect((screen.getByLabelText("开始") as HTMLInputElement).value).toBe("2026-11-11 00:00");
    expect((screen.getByLabelText("结束（不含）") as HTMLInputElement).value).toBe("2026-11-21 00:00");
    expect(screen.getByText("即到 2026-11-20 当天结束（含）")).toBeTruthy();
  });

  it("refuses days that end before they start, and an end typed before the start", async () => {
    const user = userEvent.setup();
    const window = renderEditor(double11);
    expect((screen.getByLabelText("从") as HTMLInputElement).value).toBe("2026-11-11");
    expect((screen.getByLabelText("到（含这一天）") as HTMLInputElement).value).toBe("2026-11-20");
    await user.clear(screen.getByLabelText("到（含这一天）"));
    await user.type(screen.getByLabelText("到（含这一天）"), "2026-11-09");
    await user.click(screen.getByRole("button", { name: "设为整天" }));
    expect(screen.getByRole("alert").textContent).toBe("结束日期不能早于开始日期");
    expect(window()).toEqual(double11);

    const end = screen.getByLabelText("结束（不含）");
    await user.clear(end);
    await user.type(end, "2026-11-10 12:00");
    expect(screen.getByText("结束必须晚于开始")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "清除：一直有效" }));
    expect(window()).toEqual({});
  });
});
