import { z } from "zod";
import type { CaseFacts } from "../case-facts.ts";
import type { Label } from "../fact-catalog.ts";
import { durationMs } from "../duration.ts";
import {
  BusinessHours,
  Counting,
  countingWords,
  CountedDuration,
  type PeriodClock,
  type PeriodSettings,
  periodEnd,
} from "../periods.ts";
import { weekendsOnly } from "../working-calendar.ts";
import { splitOutcome, type DerivedFacts, type RuleSetKindModule } from "./kind.ts";

/** Where a timer's clock starts: a timestamp of the case. */
export const timerStarts = ["refund.stateSince", "refund.appliedAt", "order.completedAt"] as const;

/** A timer in a rule: its `duration` a plain ISO string (elapsed time) or the object form naming its counting. */
export const TimerSpec = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, "a timer key is snake_case"),
  duration: CountedDuration,
  onExpiry: z.string().regex(/^[a-z][a-z0-9_]*$/, "an expiry action is snake_case"),
  from: z.enum(timerStarts),
});
export type TimerSpec = z.infer<typeof TimerSpec>;

/**
 * A timer in a decision: `duration` always the ISO string, `counting` (and `hours` for business hours) whenever it is
 * not elapsed time, the `deadline` counted that way, and the years without calendar data the count consulted.
 */
export const Timer = TimerSpec.extend({
  duration: z.string(),
  counting: Counting.exclude(["elapsed"]).optional(),
  hours: BusinessHours.optional(),
  deadline: z.iso.datetime().optional(),
  calendarYearsUnknown: z.array(z.number().int()).optional(),
});
export type Timer = z.infer<typeof Timer>;

export const TimeoutsDecision = z.strictObject({ timers: z.array(Timer) });
export type TimeoutsDecision = z.infer<typeof TimeoutsDecision>;

export const TimeoutsParams = z.strictObject({ timers: z.array(TimerSpec) }).partial();

/** Timer keys and expiry actions shipped with the default rules. */
export const timerLabels: Readonly<Record<string, Label>> = {
  seller_response: { zh: "卖家处理退款申请", en: "Seller answers the request" },
  buyer_modify: { zh: "买家修改退款申请", en: "Buyer modifies the request" },
  buyer_return_shipment: { zh: "买家退货并填写单号", en: "Buyer ships the return" },
  seller_confirm_receipt: { zh: "卖家确认收到退货", en: "Seller confirms receipt" },
  cs_intervention_available: { zh: "可要求客服介入", en: "CS intervention available" },
  after_sales_claim_window: { zh: "售后维权期", en: "After-sales claim window" },
  auto_agree: { zh: "自动同意退款", en: "Agree automatically" },
  close_refund: { zh: "关闭退款", en: "Close the refund" },
  auto_refund: { zh: "自动退款", en: "Refund automatically" },
  enable_cs_intervention: { zh: "开放客服介入", en: "Open CS intervention" },
  close_claim_window: { zh: "关闭维权入口", en: "Close the claim window" },
};

const words = {
  timers: { zh: "{count} 个计时器", en: "{count} timers" },
  noTimers: { zh: "没有计时器", en: "No timers" },
};

export const timeouts = {
  key: "timeouts",
  decision: TimeoutsDecision,
  params: TimeoutsParams,
  defaults: z.strictObject({ timers: z.array(TimerSpec) }),
  lists: { timers: "key" },
  computed: ["timers[].deadline", "timers[].calendarYearsUnknown"],
  /** Each timer's `deadline`, when its start is known, in UTC. */
  complete: (decision, facts, derived, nowMs?: number, periods?: PeriodClock) => ({
    timers: (decision.timers as TimerSpec[]).map((timer) => withDeadline(timer, facts, derived, nowMs, periods)),
  }),
  outcome: {
    write: (decision) => `timers:${Array.isArray(decision.timers) ? decision.timers.length : 0}`,
    read(outcome) {
      const [head, tail] = splitOutcome(outcome);
      const count = Number(tail);
      if (head !== "timers" || !Number.isInteger(count)) return undefined;
      return count === 0
        ? { words: words.noTimers, tone: "muted" }
        : { words: words.timers, values: { count: String(count) }, tone: "muted" };
    },
    options: ["timers:0", "timers:1", "timers:2", "timers:3"],
  },
  labels: {
    name: { zh: "超时规则", en: "Timeouts" },
    description: {
      zh: "退款各状态下运行的计时器、时长和到期后的处理（S4、S5、S7、S17）。",
      en: "Which timers run in each refund state, for how long, and what happens when they expire (S4, S5, S7, S17).",
    },
    fields: {
      timers: { zh: "计时器", en: "Timers" },
      key: { zh: "计时器", en: "Timer" },
      duration: { zh: "时长", en: "Duration" },
      onExpiry: { zh: "到期后", en: "On expiry" },
      from: { zh: "起算时间", en: "Starts" },
      deadline: { zh: "截止时间", en: "Deadline" },
      counting: { zh: "计时方式", en: "Counted as" },
      hours: { zh: "工作时间", en: "Business hours" },
      calendarYearsUnknown: { zh: "节假日安排未录入的年份", en: "Years without a holiday calendar" },
    },
    values: {
      // timer sources
      "refund.stateSince": { zh: "进入当前状态时", en: "When the current state began" },
      "refund.appliedAt": { zh: "申请退款时", en: "When the refund was applied for" },
      "order.completedAt": { zh: "交易成功时", en: "When the order completed" },
      // how a timer was counted (elapsed time is the default and never shown)
      calendar_days: countingWords.calendar_days,
      working_days: countingWords.working_days,
      business_hours: countingWords.business_hours,
    },
  },
} as const satisfies RuleSetKindModule<"timeouts">;

/** The elapsed time deriveFacts measured since each moment a timer can start from. */
const elapsedSince: Record<string, string> = {
  "refund.stateSince": "inState",
  "refund.appliedAt": "sinceApplied",
  "order.completedAt": "sinceCompleted",
};

function withDeadline(
  timer: TimerSpec,
  facts: CaseFacts,
  derived: DerivedFacts,
  nowMs: number | undefined,
  periods: PeriodClock | undefined,
): Timer {
  // Object.assign then the deadline: V8 builds a spread with one more key far more slowly
  const withDeadline = Object.assign({}, timer) as Timer;
  let deadline: number;
  let unknownYears: readonly number[] = [];
  if (typeof timer.duration === "string") {
    // the platform's timers: elapsed time, which needs no zone or calendar
    const ms = durationMs(timer.duration);
    deadline = ms === null ? Number.NaN : startOf(timer, facts, derived, nowMs) + ms;
  } else {
    const counted = timer.duration;
    withDeadline.duration = counted.duration;
    if (counted.counting !== "elapsed") withDeadline.counting = counted.counting;
    if (counted.hours !== undefined) withDeadline.hours = counted.hours;
    const end =
      counted.counting === "elapsed" || periods !== undefined
        ? periodEnd(startOf(timer, facts, derived, nowMs), counted, periods?.settings ?? ELAPSED_ONLY)
        : undefined;
    deadline = end?.endMs ?? Number.NaN;
    unknownYears = end?.unknownYears ?? [];
  }
  // a deadline RFC 3339 cannot write (past 9999-12-31, before year 0000, or unknown) is left out, not thrown or widened
  if (deadline >= RFC3339_FIRST_MS && deadline <= RFC3339_LAST_MS) {
    withDeadline.deadline = utc(new Date(deadline));
    if (unknownYears.length > 0) withDeadline.calendarYearsUnknown = [...unknownYears];
  }
  return withDeadline;
}

/** What elapsed time is counted with: it consults neither the zone nor the calendar. */
const ELAPSED_ONLY: PeriodSettings = { zone: "UTC", calendar: weekendsOnly };

/** The first and last moments with a four-digit year, as RFC 3339 timestamps need: 0000-01-01 to 9999-12-31. */
const RFC3339_FIRST_MS = Date.parse("0000-01-01T00:00:00.000Z");
const RFC3339_LAST_MS = Date.parse("9999-12-31T23:59:59.999Z");

/** When the timer's clock started, in ms (NaN when the case has no such moment). */
function startOf(timer: TimerSpec, facts: CaseFacts, derived: DerivedFacts, nowMs: number | undefined): number {
  const elapsed = Object.hasOwn(elapsedSince, timer.from) ? derived.elapsed[elapsedSince[timer.from]!] : undefined;
  // now − (now − start) is start exactly while both are whole milliseconds, as Date.parse gives
  if (Number.isInteger(nowMs) && Number.isInteger(elapsed)) return nowMs! - elapsed!;
  const start =
    timer.from === "refund.stateSince"
      ? facts.refund.stateSince
      : timer.from === "refund.appliedAt"
        ? facts.refund.appliedAt
        : facts.order.completedAt;
  return start === undefined ? Number.NaN : Date.parse(start);
}

/** UTC, without milliseconds when there are none: `2026-11-30T02:00:00Z`. */
function utc(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}
