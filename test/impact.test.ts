import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CaseFactsInput } from "../shared/case-facts.ts";
import { ImpactJob, type ImpactResult } from "../shared/impact.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

const RULE_SET = "refund-eligibility";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The clock the decisions are logged at, and a month later, when the replay runs: past the default 30 days. */
const LOGGED_AT = new Date("2026-11-20T02:00:00Z");
const MONTH_LATER = new Date(LOGGED_AT.getTime() + 31 * DAY);

type Entry = { decisionId: string; at: string; facts: Record<string, unknown>; decision: Record<string, unknown> };

const cst = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace("Z", "+08:00");

/**
 * Cases of every shape the draft's two changes touch, and some they do not: seven-day returns delivered 1 to 12 days
 * before they were decided (some naming `now`, some decided at the clock), kept or sent back, with or without a shop
 * coupon, and a few other reasons.
 */
function loggedCases(): CaseFactsInput[] {
  const cases: CaseFactsInput[] = [];
  for (let days = 1; days <= 12; days++) {
    for (const returnGoods of [true, false]) {
      const deliveredAt = cst(LOGGED_AT.getTime() - days * DAY);
      const coupon = days % 3 === 0 ? [{ kind: "shop_coupon" as const, amountFen: 2_000 }] : [];
      const facts = aCase({
        order: {
          deliveredAt,
          items: [
            { id: "A", priceFen: 10_000, quantity: 1 },
            { id: "B", priceFen: 5_000, quantity: 1 },
          ],
          promotions: coupon,
          paidFen: 15_000 - (coupon[0]?.amountFen ?? 0),
        },
        refund: { reason: "no_reason_7d", returnGoods, items: [{ id: "A", quantity: 1 }] },
      });
      // every other case names no `now`: it is decided at the clock, and must be replayed at that time
      if (days % 2 === 0) delete facts.now;
      else facts.now = LOGGED_AT.toISOString();
      cases.push(facts);
    }
  }
  for (const reason of ["quality_issue", "other", "wrong_item"] as const)
    cases.push(aCase({ refund: { reason }, now: LOGGED_AT.toISOString() }));
  return cases;
}

/** The draft: the seven-day window widened to ten days, and a shop coupon no longer prorated (the full price instead). */
function changedRules(rules: { name: string; conditions: any; event: any }[]) {
  return rules.map((rule) => {
    if (rule.name === "seven-day-return-within-7-days-of-delivery") {
      const conditions = structuredClone(rule.conditions);
      // the window counts calendar days: ten of them instead of seven
      for (const condition of conditions.all)
        if (condition.value?.duration === "P7D") condition.value = { ...condition.value, duration: "P10D" };
      return { ...rule, conditions };
    }
    if (rule.name === "shop-coupon-is-prorated-over-the-order")
      return { ...rule, event: { ...rule.event, params: { ...rule.event.params, formula: "full_price" } } };
    return rule;
  });
}

async function untilDone(app: TestApp, location: string, headers: Record<string, string> = {}): Promise<ImpactJob> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const polled = await app.call("GET", location, undefined, headers);
    expect(polled.status, JSON.stringify(polled.body)).toBe(200);
    const job = ImpactJob.parse(polled.body);
    if (job.status !== "running") return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the replay did not finish in 20 s");
}

async function replay(app: TestApp, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const started = await app.call("POST", `/api/v1/rule-sets/${RULE_SET}/impact`, body, headers);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const location = started.headers.get("location")!;
  expect(location).toBe(`/api/v1/rule-sets/${RULE_SET}/impact/${started.body.id}`);
  return untilDone(app, location, headers);
}

const transitionKey = (field: string, from: unknown, to: unknown) =>
  `${field} ${JSON.stringify(from)} → ${JSON.stringify(to)}`;

describe("impact replay", () => {
  let app: TestApp;
  let logged: Entry[];

  beforeAll(async () => {
    app = await createTestApp({ now: LOGGED_AT });
    // decided with the active version, a minute apart, as the decision endpoint logs them
    for (const [index, facts] of loggedCases().entries()) {
      app.setNow(new Date(LOGGED_AT.getTime() + index * 60_000));
      const decided = await app.decide(RULE_SET, facts);
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }
    app.setNow(LOGGED_AT);
    const log = await app.call("GET", `/api/v1/decision-log?ruleSet=${RULE_SET}&limit=1000`);
    logged = log.body.entries;
    const detail = (await app.call("GET", `/api/v1/rule-sets/${RULE_SET}`)).body;
    const saved = await app.call("PUT", `/api/v1/rule-sets/${RULE_SET}/draft`, {
      revision: detail.draft.revision,
      rules: changedRules(detail.draft.rules),
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // the replay runs a month later: each decision must still be decided at its own time
    app.setNow(MONTH_LATER);
  });
  afterAll(() => app.close());

  it("agrees with deciding each logged case again through the simulator, at its own time", async () => {
    const job = await replay(app, { from: new Date(LOGGED_AT.getTime() - DAY).toISOString() });
    expect(job.status).toBe("done");
    const result = job.result!;
    expect(job.total).toBe(logged.length);
    expect(result.replayed).toBe(logged.length);

    // recomputed here: each logged case decided by the draft through POST …/simulate at the time it was decided
    const counts = new Map<string, number>();
    let changed = 0;
    let moneyMovedFen = 0;
    let turnedEligible = 0;
    let turnedIneligible = 0;
    for (const entry of logged) {
      const facts = { ...entry.facts, now: entry.facts.now ?? entry.at };
      const simulated = await app.call("POST", `/api/v1/rule-sets/${RULE_SET}/simulate`, { facts });
      expect(simulated.status).toBe(200);
      const after = simulated.body.draft.decision as Record<string, unknown>;
      const before = entry.decision;
      const fields = Object.keys(after).filter(
        (field) => JSON.stringify(after[field]) !== JSON.stringify(before[field]),
      );
      if (fields.length > 0) changed++;
      for (const field of fields) {
        const key = transitionKey(field, before[field], after[field]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      moneyMovedFen += (after.maxRefundableFen as number) - (before.maxRefundableFen as number);
      if (before.eligible === false && after.eligible === true) turnedEligible++;
      if (before.eligible === true && after.eligible === false) turnedIneligible++;
    }
    const replayed = new Map(result.transitions.map((t) => [transitionKey(t.field, t.from, t.to), t.count]));
    expect(replayed).toEqual(counts);
    expect(result.changed).toBe(changed);
    expect(result.moneyMovedFen).toBe(moneyMovedFen);
    expect(result.turnedEligible).toBe(turnedEligible);
    expect(result.turnedIneligible).toBe(turnedIneligible);
    // the draft's two changes both show: a wider window and the full price for coupon orders
    expect(changed).toBeGreaterThan(0);
    expect(turnedEligible).toBeGreaterThan(0);
    expect(moneyMovedFen).toBeGreaterThan(0);
    expect(result.skipped).toEqual({ oversized: 0, invalid: 0 });
  });

  it("names the rules behind each change, and each sample decides as the draft did in the simulator", async () => {
    const result = (await replay(app, { from: new Date(LOGGED_AT.getTime() - DAY).toISOString() })).result!;
    const rules = new Map(result.byRule.map((entry) => [entry.rule, entry.changed]));
    // the coupon orders' formula is now set by the changed rule
    expect(rules.get("shop-coupon-is-prorated-over-the-order")).toBeGreaterThan(0);
    // seven-day returns 8 to 10 days after delivery: the window rule no longer fires, a refund rule now decides
    expect(rules.has("seven-day-return-within-7-days-of-delivery")).toBe(true);
    expect(result.samples.length).toBeGreaterThan(0);
    for (const sample of result.samples) {
      const simulated = await app.call("POST", `/api/v1/rule-sets/${RULE_SET}/simulate`, { facts: sample.facts });
      expect(simulated.body.draft.decision).toEqual(sample.after);
      expect(sample.fields.length).toBeGreaterThan(0);
    }
  });

  it("decides a case that named no `now` at the time it was logged, not at the replay's", async () => {
    // delivered 8 days before it was decided, at the clock: outside 7 days then, inside the draft's 10
    const deliveredAt = cst(LOGGED_AT.getTime() - 8 * DAY);
    const entry = logged.find((e) => e.facts.now === undefined && (e.facts.order as any).deliveredAt === deliveredAt)!;
    expect(entry.decision.eligible).toBe(false);
    expect(entry).toBeDefined();
    const result = (await replay(app, { from: new Date(LOGGED_AT.getTime() - DAY).toISOString() })).result!;
    const sample = result.samples.find((s) => s.decisionId === entry.decisionId)!;
    expect(sample.after.eligible).toBe(true);
    expect(sample.facts).toMatchObject({ now: new Date(entry.at).toISOString() });
    // a month later, at the replay's own clock, the same case would be past any window: no change to count
    const atReplayTime = await app.call("POST", `/api/v1/rule-sets/${RULE_SET}/simulate`, {
      facts: { ...entry.facts, now: MONTH_LATER.toISOString() },
    });
    expect(atReplayTime.body.draft.decision.eligible).toBe(false);
  });

  it("replays the newest `limit` decisions of the period, and none outside it", async () => {
    const from = new Date(LOGGED_AT.getTime() - DAY).toISOString();
    const few = await replay(app, { from, limit: 5 });
    expect(few.total).toBe(5);
    expect(few.result!.replayed).toBe(5);
    // the default period is the 30 days before now: a month after they were logged, none of them
    const none = await replay(app);
    expect(none.total).toBe(0);
    expect(none.result!.replayed).toBe(0);
  });

  it("refuses bounds it cannot keep with 422 and field codes", async () => {
    const path = `/api/v1/rule-sets/${RULE_SET}/impact`;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ limit: 0 }, "limit", "too_small"],
      [{ limit: 1_000_001 }, "limit", "too_big"],
      [{ limit: 1.5 }, "limit", "invalid_type"],
      [{ from: "2026-11-20T00:00:00Z", to: "2026-11-19T00:00:00Z" }, "to", "ends_before_start"],
      [{ from: "yesterday" }, "from", "invalid_format"],
      [{ everything: true }, "(body)", "unrecognized_keys"],
    ];
    for (const [body, path_, code] of cases) {
      const refused = await app.call("POST", path, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.body.errors).toContainEqual(expect.objectContaining({ path: path_, code }));
    }
    expect((await app.call("GET", `${path}/01NOSUCHJOB0000000000000000`)).status).toBe(404);
    expect((await app.call("GET", `/api/v1/rule-sets/shipping-fee/impact/01NOSUCHJOB`)).status).toBe(404);
  });

  it("runs one replay per rule set at a time: another start answers 409 with the running one's Location", async () => {
    const from = new Date(LOGGED_AT.getTime() - DAY).toISOString();
    const start = () => app.call("POST", `/api/v1/rule-sets/${RULE_SET}/impact`, { from });
    // two at once: exactly one starts
    const both = await Promise.all([start(), start()]);
    expect(both.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const first = both.find((answer) => answer.status === 202)!;
    const refused = both.find((answer) => answer.status === 409)!;
    expect(refused.body.code).toBe("conflict");
    expect(refused.headers.get("location")).toBe(first.headers.get("location"));
    expect(refused.body.job).toBe(first.body.id);
    // and while it runs, so is a later one
    const later = await start();
    expect(later.status).toBe(409);
    expect(later.headers.get("location")).toBe(first.headers.get("location"));
    await untilDone(app, first.headers.get("location")!);
  });

  it("needs rules:read and the decision log's audit:read, for this rule set", async () => {
    const key = async (name: string, scopes: string[], ruleSets?: string[]) => {
      const created = await app.call("POST", "/api/v1/api-keys", { name, scopes, ...(ruleSets ? { ruleSets } : {}) });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return { authorization: `Bearer ${created.body.key as string}` };
    };
    const rulesOnly = await key("impact-rules-only", ["rules:read"]);
    const logOnly = await key("impact-log-only", ["audit:read"]);
    const otherSet = await key("impact-shipping-team", ["rules:read", "audit:read"], ["shipping-fee"]);
    const refundTeam = await key("impact-refund-team", ["rules:read", "audit:read"], [RULE_SET]);
    const path = `/api/v1/rule-sets/${RULE_SET}/impact`;
    const from = new Date(LOGGED_AT.getTime() - DAY).toISOString();
    for (const headers of [rulesOnly, logOnly, otherSet])
      expect((await app.call("POST", path, { from }, headers)).status).toBe(403);
    expect((await app.call("POST", path, { from }, { authorization: "Bearer asr_not_a_key" })).status).toBe(401);
    const job = await replay(app, { from }, refundTeam);
    expect(job.status).toBe("done");
    // the job is read only by a principal who could have started it
    for (const headers of [rulesOnly, logOnly, otherSet])
      expect((await app.call("GET", `${path}/${job.id}`, undefined, headers)).status).toBe(403);
    expect((await app.call("GET", `/api/v1/rule-sets/shipping-fee/impact/${job.id}`, undefined, otherSet)).status).toBe(
      404,
    );
  });
});

describe("records the replay cannot decide", () => {
  let app: TestApp;
  beforeAll(async () => {
    // facts over 2 KiB are left out of the log, as DECISION_LOG_MAX_RECORD_BYTES would
    app = await createTestApp({ now: LOGGED_AT, decisionLog: { maxRecordBytes: 4_096 } });
  });
  afterAll(() => app.close());

  it("counts facts the log left out as skipped, and replays the rest", async () => {
    const small = aCase({ now: LOGGED_AT.toISOString() });
    const items = Array.from({ length: 40 }, (_, index) => ({ id: `ITEM-${index}`, priceFen: 100, quantity: 1 }));
    const large = aCase({ now: LOGGED_AT.toISOString(), order: { items, paidFen: 4_000 } });
    expect((await app.decide(RULE_SET, small)).status).toBe(200);
    expect((await app.decide(RULE_SET, large)).status).toBe(200);
    const result: ImpactResult = (await replay(app, { from: new Date(LOGGED_AT.getTime() - DAY).toISOString() }))
      .result!;
    expect(result.skipped).toEqual({ oversized: 1, invalid: 0 });
    expect(result.replayed).toBe(1);
    expect(result.changed).toBe(0);
  });
});
