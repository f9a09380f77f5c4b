import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * Periods as the law counts them, through the decision API of a real service (Beijing, the shipped calendar of
 * 2004–2026): the seven-day window in calendar days, each way of counting on its boundary in a condition and in a timer
 * of a published draft, and a year without calendar data flagged.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: new Date("2026-09-01T00:00:00+08:00") });
});
afterAll(() => app.close());

const sevenDay = { reason: "no_reason_7d" as const, goodsReceived: true, returnGoods: true };
const ms = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();
/** An order shipped before every start below, not yet delivered. */
const shipped = { status: "shipped" as const, shippedAt: "2026-09-30T10:00:00+08:00", deliveredAt: undefined };
const codes = (decision: { reasons: { code: string }[] }) => decision.reasons.map((r) => r.code);

async function decide(ruleSet: string, facts: unknown) {
  const res = await app.decide(ruleSet, facts);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.decision;
}

/** Adds rules to a rule set's draft and publishes it. */
async function publishWith(key: string, rules: unknown[]) {
  const read = await app.call("GET", `/api/v1/rule-sets/${key}`);
  const saved = await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, {
    revision: read.body.draft.revision,
    rules: [...rules, ...read.body.draft.rules],
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const published = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, { note: "counted periods" });
  expect(published.status, JSON.stringify(published.body)).toBe(200);
}

describe("the seven-day window counts calendar days (domain.md's worked example)", () => {
  const delivered = { status: "delivered" as const, deliveredAt: "2026-09-24T15:00:00+08:00" };

  it("is open until 2026-10-08 24:00 Beijing time, past Mid-Autumn and National Day", async () => {
    const open = await decide(
      "refund-eligibility",
      aCase({ now: "2026-10-08T16:00:00.000Z", order: delivered, refund: sevenDay }),
    );
    expect(open).toMatchObject({ eligible: true, channel: "return_and_refund" });
    expect(codes(open)).not.toContain("SEVEN_DAY_WINDOW_EXPIRED");
    // elapsed time would have shut it a week earlier
    const elapsedEnd = await decide(
      "refund-eligibility",
      aCase({ now: ms("2026-10-01T07:00:00Z"), order: delivered, refund: sevenDay }),
    );
    expect(elapsedEnd.eligible).toBe(true);
  });

  it("shuts one millisecond later", async () => {
    const shut = await decide(
      "refund-eligibility",
      aCase({ now: "2026-10-08T16:00:00.001Z", order: delivered, refund: sevenDay }),
    );
    expect(shut).toMatchObject({ eligible: false, channel: "none" });
    expect(codes(shut)).toContain("SEVEN_DAY_WINDOW_EXPIRED");
    expect(codes(shut)).not.toContain("CALENDAR_YEAR_UNKNOWN");
  });

  it("counts a year without calendar data as weekends only, and says so", async () => {
    // Friday 2027-03-05: the seventh day, Friday 03-12, is a weekday; 2027's holidays are not in the calendar
    const order = { status: "delivered" as const, deliveredAt: "2027-03-05T10:00:00+08:00" };
    const open = await decide(
      "refund-eligibility",
      aCase({ now: "2027-03-12T15:59:59.999Z", order, refund: sevenDay }),
    );
    expect(open.eligible).toBe(true);
    expect(open.reasons).toContainEqual({
      code: "CALENDAR_YEAR_UNKNOWN",
      message: "2027 年的节假日安排尚未录入，期限按周末计算",
    });
    const shut = await decide(
      "refund-eligibility",
      aCase({ now: "2027-03-12T16:00:00.001Z", order, refund: sevenDay }),
    );
    expect(codes(shut)).toEqual(expect.arrayContaining(["SEVEN_DAY_WINDOW_EXPIRED", "CALENDAR_YEAR_UNKNOWN"]));
    // a window that never consulted 2027 is not flagged
    const known = await decide(
      "refund-eligibility",
      aCase({
        now: "2026-11-20T10:00:00+08:00",
        order: { status: "delivered", deliveredAt: "2026-11-18T10:00:00+08:00" },
        refund: sevenDay,
      }),
    );
    expect(codes(known)).not.toContain("CALENDAR_YEAR_UNKNOWN");
  });
});

/** A condition on the time since the refund was applied for, counted one way, gated by the refund's state. */
const probe = (state: string, operator: string, value: unknown, code: string) => ({
  name: `probe-${code.toLowerCase().replaceAll("_", "-")}`,
  priority: 5000,
  enabled: true,
  conditions: {
    all: [
      { fact: "refund", path: "state", operator: "equal", value: state },
      { fact: "order", path: "status", operator: "equal", value: "shipped" },
      { fact: "elapsed", path: "sinceApplied", operator, value },
    ],
  },
  event: { type: "probe", params: { reasons: [{ code, message: "counted-period probe" }] } },
});

/** Each way of counting: when it starts, its condition, and when it ends. */
const modes = [
  {
    code: "PROBE_CALENDAR_DAYS",
    state: "waiting_seller",
    value: { duration: "P2D", counting: "calendar_days" },
    // Thursday 11-12 + 2 days: Saturday 11-14, moved to Monday 11-16, 24:00
    start: "2026-11-12T10:00:00+08:00",
    end: "2026-11-16T16:00:00.000Z",
  },
  {
    code: "PROBE_WORKING_DAYS",
    state: "seller_refused",
    value: { duration: "P2D", counting: "working_days" },
    // Thursday 10-08: Friday 10-09, then Saturday 10-10, an adjusted working day, 24:00
    start: "2026-10-08T09:00:00+08:00",
    end: "2026-10-10T16:00:00.000Z",
  },
  {
    code: "PROBE_BUSINESS_HOURS",
    state: "waiting_buyer_return",
    value: { duration: "PT4H", counting: "business_hours" },
    // notified 14:01: 3 h 59 min that day, the last minute from 09:00 the next
    start: "2026-11-11T14:01:00+08:00",
    end: "2026-11-12T01:01:00.000Z",
  },
] as const;

describe("each way of counting on its boundary, in conditions of a published draft", () => {
  beforeAll(async () => {
    await publishWith(
      "refund-eligibility",
      modes.map((mode) => probe(mode.state, "withinDuration", mode.value, mode.code)),
    );
    await publishWith("refund-eligibility", [
      probe("waiting_seller", "beyondDuration", modes[0].value, "PROBE_CALENDAR_DAYS_OVER"),
    ]);
  });

  it.each(modes)("$code: within at its end, not a millisecond later", async (mode) => {
    const at = (now: string) =>
      decide(
        "refund-eligibility",
        aCase({
          now,
          order: shipped,
          refund: { state: mode.state, appliedAt: mode.start, stateSince: mode.start },
        }),
      );
    expect(codes(await at(mode.end))).toContain(mode.code);
    expect(codes(await at(ms(mode.end)))).not.toContain(mode.code);
    if (mode.code === "PROBE_CALENDAR_DAYS") {
      expect(codes(await at(mode.end))).not.toContain("PROBE_CALENDAR_DAYS_OVER");
      expect(codes(await at(ms(mode.end)))).toContain("PROBE_CALENDAR_DAYS_OVER");
    }
  });

  it("shows the counted value and the period's end in the trace", async () => {
    const mode = modes[0];
    const res = await app.decide(
      "refund-eligibility",
      aCase({
        now: mode.end,
        order: shipped,
        refund: { state: mode.state, appliedAt: mode.start, stateSince: mode.start },
      }),
      { trace: true },
    );
    const entry = res.body.trace.find((e: { rule: string }) => e.rule === "probe-probe-calendar-days");
    expect(entry.conditions.all[2]).toMatchObject({
      operator: "withinDuration",
      value: mode.value,
      periodEnd: mode.end,
      result: true,
    });
  });
});

describe("each way of counting in timers of a published draft", () => {
  const timer = (key: string, duration: unknown) => ({
    key,
    duration,
    onExpiry: "auto_agree",
    from: "refund.stateSince",
  });
  beforeAll(async () => {
    await publishWith("timeouts", [
      {
        name: "probe-counted-timers",
        priority: 5000,
        enabled: true,
        // a requested amount no shipped test case asks for keeps the probe out of their way
        conditions: {
          all: [
            { fact: "refund", path: "state", operator: "equal", value: "waiting_seller_confirm" },
            { fact: "refund", path: "requestedFen", operator: "equal", value: 4242 },
          ],
        },
        event: {
          type: "probe",
          params: {
            timers: [
              timer("probe_calendar", modes[0].value),
              timer("probe_working", modes[1].value),
              timer("probe_hours", modes[2].value),
              timer("probe_hours_custom", {
                duration: "PT3H",
                counting: "business_hours",
                hours: { from: "10:00", until: "12:00" },
              }),
              timer("probe_elapsed", { duration: "P2D", counting: "elapsed" }),
            ],
          },
        },
      },
    ]);
  });

  const timersFrom = async (since: string, now: string) => {
    const decision = await decide(
      "timeouts",
      aCase({
        now,
        order: shipped,
        refund: { state: "waiting_seller_confirm", stateSince: since, requestedFen: 4242 },
      }),
    );
    return new Map((decision.timers as { key: string; deadline?: string }[]).map((t) => [t.key, t]));
  };

  it.each(modes)("$code: the deadline is the period's end, and the timer says how it was counted", async (mode) => {
    const timers = await timersFrom(mode.start, mode.end);
    const key = {
      PROBE_CALENDAR_DAYS: "probe_calendar",
      PROBE_WORKING_DAYS: "probe_working",
      PROBE_BUSINESS_HOURS: "probe_hours",
    }[mode.code];
    expect(timers.get(key)).toEqual({
      key,
      duration: mode.value.duration,
      counting: mode.value.counting,
      onExpiry: "auto_agree",
      from: "refund.stateSince",
      deadline: mode.end.replace(".000Z", "Z"),
    });
    // a start one millisecond later ends no earlier: the boundary is the end itself
    const later = await timersFrom(ms(mode.start), ms(mode.end));
    expect(Date.parse(later.get(key)!.deadline!)).toBeGreaterThanOrEqual(Date.parse(mode.end));
  });

  it("keeps business hours given and elapsed time as the platform's timers are", async () => {
    const timers = await timersFrom("2026-11-11T11:00:00+08:00", "2026-11-11T12:00:00+08:00");
    expect(timers.get("probe_hours_custom")).toMatchObject({
      duration: "PT3H",
      counting: "business_hours",
      hours: { from: "10:00", until: "12:00" },
      deadline: "2026-11-12T04:00:00Z",
    });
    expect(timers.get("probe_elapsed")).toEqual({
      key: "probe_elapsed",
      duration: "P2D",
      onExpiry: "auto_agree",
      from: "refund.stateSince",
      deadline: "2026-11-13T03:00:00Z",
    });
  });

  it("flags a deadline counted in a year without calendar data", async () => {
    // Wednesday 2026-12-30: working days Thursday 12-31 and Friday 2027-01-01 (2027 counted as weekends only)
    const timers = await timersFrom("2026-12-30T10:00:00+08:00", "2026-12-30T11:00:00+08:00");
    expect(timers.get("probe_working")).toMatchObject({
      counting: "working_days",
      deadline: "2027-01-01T16:00:00Z",
      calendarYearsUnknown: [2027],
    });
    expect(timers.get("probe_hours")).not.toHaveProperty("calendarYearsUnknown");
  });
});

describe("refusals of a bad counted duration", () => {
  it.each([
    [{ duration: "PT36H", counting: "calendar_days" }, "not_whole_days", "rules.0.conditions.all.2.value.duration"],
    [
      { duration: "PT4H", counting: "business_hours", hours: { from: "18:00", until: "09:00" } },
      "hours_reversed",
      "rules.0.conditions.all.2.value.hours",
    ],
    [
      { duration: "P7D", counting: "calendar_days", hours: { from: "09:00", until: "18:00" } },
      "hours_without_business_hours",
      "rules.0.conditions.all.2.value.hours",
    ],
    [{ duration: "P7D", counting: "fortnights" }, "invalid_value", "rules.0.conditions.all.2.value.counting"],
    [{ duration: "P5000D", counting: "working_days" }, "too_big", "rules.0.conditions.all.2.value.duration"],
    [{ duration: "P7D" }, "invalid_value", "rules.0.conditions.all.2.value.counting"],
  ])("%j → %s", async (value, code, path) => {
    const read = await app.call("GET", "/api/v1/rule-sets/refund-eligibility");
    const res = await app.call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", {
      revision: read.body.draft.revision,
      rules: [probe("waiting_seller", "withinDuration", value, "PROBE_BAD"), ...read.body.draft.rules],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toContainEqual(expect.objectContaining({ code, path }));
  });

  it("refuses a timer counted in part-days of calendar days", async () => {
    const read = await app.call("GET", "/api/v1/rule-sets/timeouts");
    const rule = {
      name: "bad-timer",
      priority: 1,
      enabled: true,
      conditions: { all: [] },
      event: {
        type: "bad",
        params: {
          timers: [
            {
              key: "bad",
              duration: { duration: "PT1H", counting: "working_days" },
              onExpiry: "x",
              from: "refund.stateSince",
            },
          ],
        },
      },
    };
    const res = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", {
      revision: read.body.draft.revision,
      rules: [rule, ...read.body.draft.rules],
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toContain("not_whole_days");
  });
});
