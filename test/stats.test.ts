import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pruneDecisionLog } from "../server/decision-log/store.ts";
import type { CreatedApiKey } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import { RuleStats } from "../shared/stats.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * The rule analytics against the decision log itself: decisions made through the real endpoint at several clock times
 * (across an hour and a Beijing midnight), then each number of `/stats` recomputed from the log's rows.
 */

const HOUR = 3_600_000;
const BEIJING = 8 * HOUR;
const seed = JSON.parse(readFileSync("rules/refund-eligibility.json", "utf8")) as {
  testCases: { facts: unknown }[];
  rules: { name: string; enabled?: boolean }[];
};
/** Cases that fire different rules and end in different outcomes: the seed's test cases and a few more. */
const cases: unknown[] = [
  ...seed.testCases.map((testCase) => testCase.facts),
  aCase({ order: { status: "closed" } }),
  aCase({ order: { status: "paid", deliveredAt: undefined } }),
  aCase({ order: { status: "shipped", deliveredAt: undefined } }),
  aCase({ refund: { reason: "quality_issue", returnGoods: true } }),
  aCase({ order: { status: "completed", completedAt: "2026-11-01T10:00:00+08:00" }, claim: { used: true } }),
];
/**
 * The service's clock at each round of decisions (UTC): two in one hour, one in the next hour, which is the next day in
 * Beijing (16:00Z is midnight there), one more that day, and one two days later.
 */
const clocks = [
  "2026-11-20T03:10:00Z",
  "2026-11-20T15:10:00Z",
  "2026-11-20T15:50:00Z",
  "2026-11-20T16:20:00Z",
  "2026-11-20T17:05:00Z",
  "2026-11-22T01:00:00Z",
];
const from = "2026-11-20T00:00:00+08:00";
const to = "2026-11-23T00:00:00+08:00";

type LoggedRow = { at: string; outcome: string; firedRules: string[] };

let app: TestApp;
let logged: LoggedRow[];

beforeAll(async () => {
  app = await createTestApp({ now: new Date(clocks[0]!) });
  let decided = 0;
  for (const [round, clock] of clocks.entries()) {
    app.setNow(new Date(clock));
    // a different slice of the cases each round, so that the buckets differ
    for (const facts of cases.slice(round % 3)) {
      const res = await app.decide("refund-eligibility", facts);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      decided++;
    }
    expect((await app.decide("shipping-fee", aCase())).status).toBe(200);
  }
  await app.ctx.decisionLog.flush();
  logged = (
    await app.ctx.db
      .selectFrom("decision_log")
      .select(["at", "outcome", "fired_rules"])
      .where("rule_set", "=", "refund-eligibility")
      .execute()
  ).map((row) => ({ at: row.at, outcome: row.outcome, firedRules: JSON.parse(row.fired_rules) as string[] }));
  expect(logged).toHaveLength(decided);
}, 60_000);
afterAll(() => app.close());

async function stats(query: string, headers?: Record<string, string>) {
  return app.call("GET", `/api/v1/rule-sets/refund-eligibility/stats?${query}`, undefined, headers);
}

function expectProblem(res: { status: number; body: unknown }, status: number, fieldCode?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const problem = Problem.parse(res.body);
  if (fieldCode) expect(problem.errors?.map((error) => error.code)).toContain(fieldCode);
  return problem;
}

/** What the log says, counted here row by row: per bucket (`bucketOf` gives the bucket's start), outcome and rule. */
function countLog(rows: LoggedRow[], bucketOf: (at: number) => number) {
  const byOutcome: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const buckets = new Map<string, { total: number; byOutcome: Record<string, number> }>();
  for (const row of rows) {
    byOutcome[row.outcome] = (byOutcome[row.outcome] ?? 0) + 1;
    for (const rule of new Set(row.firedRules)) byRule[rule] = (byRule[rule] ?? 0) + 1;
    const start = new Date(bucketOf(Date.parse(row.at))).toISOString();
    const bucket = buckets.get(start) ?? { total: 0, byOutcome: {} };
    bucket.total++;
    bucket.byOutcome[row.outcome] = (bucket.byOutcome[row.outcome] ?? 0) + 1;
    buckets.set(start, bucket);
  }
  return { total: rows.length, byOutcome, byRule, buckets };
}

/** The buckets that had decisions, as the answer lists them (it lists the empty ones too). */
const nonEmpty = (answer: RuleStats) =>
  new Map(answer.buckets.filter((b) => b.total > 0).map((b) => [b.start, { total: b.total, byOutcome: b.byOutcome }]));

describe("GET …/stats agrees with the decision log", () => {
  it("by the hour: totals, outcomes, rules and each hour", async () => {
    const res = await stats(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=hour`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const answer = RuleStats.parse(res.body);
    const log = countLog(logged, (at) => Math.floor(at / HOUR) * HOUR);
    expect(answer.total).toBe(log.total);
    expect(answer.byOutcome).toEqual(log.byOutcome);
    expect(answer.byRule).toEqual(log.byRule);
    expect(nonEmpty(answer)).toEqual(log.buckets);
    // three Beijing days of hours, every one listed, oldest first
    expect(answer.buckets).toHaveLength(72);
    expect(answer.buckets[0]!.start).toBe("2026-11-19T16:00:00.000Z");
    expect([answer.from, answer.to]).toEqual(["2026-11-19T16:00:00.000Z", "2026-11-22T16:00:00.000Z"]);
    // the decisions at 15:10 and 15:50 share an hour; 16:20 starts another
    expect(answer.buckets.find((b) => b.start === "2026-11-20T15:00:00.000Z")!.total).toBe(
      logged.filter((row) => row.at.startsWith("2026-11-20T15:")).length,
    );
    expect(Object.keys(log.byOutcome).length).toBeGreaterThan(2);
    expect(Object.keys(log.byRule).length).toBeGreaterThan(3);
  });

  it("by the Beijing day: midnight there is 16:00 UTC, and a bucket's outcomes are the log's", async () => {
    const res = await stats(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=day`);
    const answer = RuleStats.parse(res.body);
    const log = countLog(logged, (at) => Math.floor((at + BEIJING) / (24 * HOUR)) * 24 * HOUR - BEIJING);
    expect(answer.buckets.map((b) => b.start)).toEqual([
      "2026-11-19T16:00:00.000Z",
      "2026-11-20T16:00:00.000Z",
      "2026-11-21T16:00:00.000Z",
    ]);
    expect(nonEmpty(answer)).toEqual(log.buckets);
    expect(answer.timeZone).toBe("Asia/Shanghai");
    // 15:50Z is still 20 November in Beijing, 16:20Z is already the 21st
    const day20 = logged.filter((row) => row.at < "2026-11-20T16:00:00Z").length;
    expect(answer.buckets[0]!.total).toBe(day20);
    expect(answer.buckets[1]!.total).toBe(
      logged.filter((row) => row.at.startsWith("2026-11-20T1") && row.at >= "2026-11-20T16").length,
    );
  });

  it("lists the enabled rules that fired for none of the period's decisions", async () => {
    const answer = RuleStats.parse((await stats(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body);
    const fired = new Set(logged.flatMap((row) => row.firedRules));
    const expected = seed.rules.filter((rule) => rule.enabled !== false && !fired.has(rule.name)).map((r) => r.name);
    expect(expected.length).toBeGreaterThan(0);
    expect(answer.neverFired.map((rule) => rule.rule)).toEqual(expected);
    expect(answer.neverFired.every((rule) => rule.inActive && rule.inDraft)).toBe(true);
  });

  it("counts a part of the period alone, and defaults to the last 30 days", async () => {
    const part = RuleStats.parse((await stats("from=2026-11-20T15:00:00Z&to=2026-11-20T17:00:00Z&bucket=hour")).body);
    expect(part.total).toBe(logged.filter((row) => row.at >= "2026-11-20T15:00" && row.at < "2026-11-20T17:00").length);
    expect(part.buckets.map((b) => b.start)).toEqual(["2026-11-20T15:00:00.000Z", "2026-11-20T16:00:00.000Z"]);
    // the clock is at 2026-11-22T01:00Z: the last 30 days by the Beijing day hold everything
    const recent = RuleStats.parse((await stats("")).body);
    expect(recent.bucket).toBe("day");
    expect(recent.total).toBe(logged.length);
    expect(recent.buckets.length).toBe(31);
    expect(recent.to).toBe("2026-11-22T16:00:00.000Z");
  });

  it("keeps the counts of a period pruned from the log", async () => {
    const before = RuleStats.parse((await stats(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body);
    const pruned = await pruneDecisionLog(app.ctx.db, new Date("2026-11-20T12:00:00Z"));
    expect(pruned).toBeGreaterThan(0);
    const after = RuleStats.parse((await stats(`from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body);
    expect(after).toEqual(before);
  });
});

describe("GET …/stats refuses what would cost too much, or is not the caller's", () => {
  it.each([
    ["a period that ends before it starts", "from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z", "ends_before_start"],
    ["more than 2 400 hours", "from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&bucket=hour", "too_many_buckets"],
    ["more than 100 days", "from=2026-01-01T00:00:00Z&to=2026-05-01T00:00:00Z&bucket=day", "too_many_buckets"],
    ["ten thousand years of days", "from=0001-01-01T00:00:00Z&to=9999-01-01T00:00:00Z", "too_many_buckets"],
    ["another bucket", "bucket=week", "invalid_value"],
    ["a time that is not one", "from=yesterday", "invalid_format"],
    ["an unknown parameter", "limit=5", "unrecognized_keys"],
  ])("%s: 422", async (_name, query, code) => {
    const started = performance.now();
    expectProblem(await stats(query), 422, code);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a limit the admin's longest period by the hour fits (90 days)", async () => {
    const res = await stats("from=2026-08-22T00:00:00Z&to=2026-11-20T00:00:00Z&bucket=hour");
    expect(res.status).toBe(200);
    expect(res.body.buckets).toHaveLength(90 * 24);
  });

  it("an unknown rule set: 404; a key limited to another rule set: 403; without audit:read: 403", async () => {
    expectProblem(await app.call("GET", "/api/v1/rule-sets/nope/stats"), 404);
    const create = async (body: Record<string, unknown>) => {
      const res = await app.call("POST", "/api/v1/api-keys", body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as CreatedApiKey;
    };
    const shipping = await create({ name: "shipping-auditor", scopes: ["audit:read"], ruleSets: ["shipping-fee"] });
    const reader = await create({ name: "rules-reader", scopes: ["rules:read"] });
    const as = (key: CreatedApiKey) => ({ authorization: `Bearer ${key.key}` });
    expectProblem(await stats("", as(shipping)), 403);
    expectProblem(await stats("", as(reader)), 403);
    const own = await app.call("GET", "/api/v1/rule-sets/shipping-fee/stats", undefined, as(shipping));
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(clocks.length);
  });
});
