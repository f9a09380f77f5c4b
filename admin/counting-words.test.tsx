import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Lang } from "../shared/labels.ts";
import type { TopLevelCondition } from "../shared/rules.ts";
import { setBusinessSettings } from "./business-zone.ts";
import { countedDurationWords, deadlineWords, timerDuration } from "./counting-words.ts";
import { I18nProvider, useI18n, type I18n } from "./i18n/index.tsx";
import { DecisionValue } from "./pages/simulator/decision-view.tsx";
import { conditionWords, outcomeWords, ruleWords } from "./rule-summary.ts";

/** The admin's i18n in one language, as the summaries get it. */
function i18nIn(lang: Lang): I18n {
  localStorage.setItem("asr.lang", lang);
  let captured: I18n | undefined;
  const Capture = () => {
    captured = useI18n();
    return null;
  };
  render(() => (
    <I18nProvider>
      <Capture />
    </I18nProvider>
  ));
  return captured!;
}

const windowOf = (operator: string, value: unknown): TopLevelCondition => ({
  all: [{ fact: "elapsed", path: "sinceDelivered", operator, value }],
});

beforeEach(() => {
  localStorage.clear();
  setBusinessSettings({ zone: "Asia/Shanghai" });
});
afterEach(cleanup);

describe("a counted duration in words", () => {
  it("reads a counted window as the law words it, and an elapsed one as it always did", () => {
    const zh = i18nIn("zh");
    expect(conditionWords(windowOf("withinDuration", { duration: "P7D", counting: "calendar_days" }), zh)).toBe(
      "签收后 7 天内（按自然日，次日起算，遇节假日顺延）",
    );
    expect(conditionWords(windowOf("beyondDuration", { duration: "P7D", counting: "working_days" }), zh)).toBe(
      "超过签收后 7 天（按工作日）",
    );
    expect(
      conditionWords(
        windowOf("withinDuration", {
          duration: "PT4H",
          counting: "business_hours",
          hours: { from: "09:30", until: "17:00" },
        }),
        zh,
      ),
    ).toBe("签收后 4 小时内（按工作时间 09:30–17:00）");
    expect(conditionWords(windowOf("beyondDuration", "P7D"), zh)).toBe("签收后经过 超过 7 天");
    // the object form of elapsed time means the same as the string, and reads the same
    expect(conditionWords(windowOf("beyondDuration", { duration: "P7D", counting: "elapsed" }), zh)).toBe(
      "签收后经过 超过 7 天",
    );
    // a fact whose name is no "…后经过" keeps the operator and brackets the counting
    expect(
      conditionWords(
        {
          all: [
            {
              fact: "elapsed",
              path: "inState",
              operator: "beyondDuration",
              value: { duration: "P3D", counting: "working_days" },
            },
          ],
        },
        zh,
      ),
    ).toBe("处于当前退款状态 超过 3 天（按工作日）");
  });

  it("reads the counting in English too", () => {
    const en = i18nIn("en");
    expect(conditionWords(windowOf("withinDuration", { duration: "P7D", counting: "calendar_days" }), en)).toBe(
      "Time since delivery is at most 7 days (calendar days from the next day, moved past rest days and holidays)",
    );
    expect(countedDurationWords({ duration: "PT4H", counting: "business_hours" }, "en")).toBe(
      "4 hours (business hours 09:00–18:00)",
    );
  });

  it("reads a rule's timers with their counting", () => {
    const zh = i18nIn("zh");
    const rule = {
      conditions: windowOf("withinDuration", { duration: "P7D", counting: "calendar_days" }),
      event: {
        params: {
          timers: [
            { key: "seller_response", duration: { duration: "P2D", counting: "working_days" }, onExpiry: "auto_agree" },
            { key: "buyer_modify", duration: "P7D", onExpiry: "close_refund" },
          ],
        },
      },
    };
    expect(outcomeWords(rule.event.params, zh)).toBe(
      "计时器: 卖家处理退款申请 2 天（按工作日），到期自动同意退款; 买家修改退款申请 7 天，到期关闭退款",
    );
    expect(ruleWords(rule, zh)).toMatch(/^签收后 7 天内（按自然日，次日起算，遇节假日顺延） → 计时器: /);
  });
});

describe("a timer of a decision", () => {
  it("takes its counting from the timer or from the object form of its duration", () => {
    expect(timerDuration({ duration: "P7D", counting: "calendar_days" })).toEqual({
      duration: "P7D",
      counting: "calendar_days",
      hours: undefined,
    });
    expect(timerDuration({ duration: { duration: "PT4H", counting: "business_hours" } })).toEqual({
      duration: "PT4H",
      counting: "business_hours",
    });
    expect(timerDuration({ duration: "P7D" })).toBe("P7D");
  });

  it("shows a day-counted deadline as 24:00 of its last day in Beijing time, others as the clock reads", () => {
    expect(deadlineWords("2026-10-08T16:00:00Z", "calendar_days", "zh")).toBe("2026-10-08 24:00（北京时间）");
    expect(deadlineWords("2026-10-08T16:00:00Z", undefined, "zh")).toBe("2026-10-09 00:00（北京时间）");
    expect(deadlineWords("2026-10-09T01:01:00Z", "business_hours", "en")).toBe("2026-10-09 09:01 (Beijing time)");
  });

  it("lists each timer with how it was counted and its deadline in the business time zone", () => {
    localStorage.setItem("asr.lang", "zh");
    render(() => (
      <I18nProvider>
        <DecisionValue
          field="timers"
          value={[
            {
              key: "seller_response",
              duration: "P7D",
              counting: "calendar_days",
              onExpiry: "auto_agree",
              from: "refund.stateSince",
              deadline: "2026-10-08T16:00:00.000Z",
            },
            {
              key: "buyer_modify",
              duration: "P7D",
              onExpiry: "close_refund",
              from: "refund.stateSince",
              deadline: "2026-10-01T07:00:00.000Z",
            },
            {
              key: "buyer_return_shipment",
              duration: "P7D",
              counting: "working_days",
              onExpiry: "close_refund",
              from: "refund.stateSince",
              deadline: "2028-01-11T16:00:00.000Z",
              calendarYearsUnknown: [2028],
            },
          ]}
        />
      </I18nProvider>
    ));
    const [counted, elapsed, unknownYear] = screen.getAllByRole("listitem");
    expect(counted!.textContent).toBe(
      "卖家处理退款申请 · 7 天（按自然日，次日起算，遇节假日顺延） · 到期后自动同意退款自进入当前状态时起算 · 截止 2026-10-08 24:00（北京时间）",
    );
    expect(counted!.dataset.counting).toBe("calendar_days");
    expect(elapsed!.textContent).toBe(
      "买家修改退款申请 · 7 天 · 到期后关闭退款自进入当前状态时起算 · 截止 2026-10-01 15:00（北京时间）",
    );
    // a year the calendar has no arrangement for is said, not hidden
    expect(unknownYear!.textContent).toContain("截止 2028-01-11 24:00（北京时间）");
    expect(screen.getByRole("note").textContent).toBe("2028 年还没有节假日安排，这一年只按周末休息计算");
  });
});
