import { sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CaseFacts } from "../shared/case-facts.ts";
import { DecisionLogEntry } from "../shared/logs.ts";
import { MAX_BATCH } from "../shared/api.ts";
import { OMITTED_FACTS } from "../server/decision-log/decision-log.ts";
import { KeyRateLimit } from "../server/http/rate-limit.ts";
import { deriveFacts } from "../server/engine/derive-facts.ts";
import { completeDecision } from "../server/engine/fold.ts";
import { connectDatabase } from "../server/db/database.ts";
import { aCase } from "./helpers/fixtures.ts";
import { onPostgres } from "./helpers/test-database.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/** The apps a test starts, closed after it. */
const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});
async function anApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const app = await createTestApp(options);
  apps.push(app);
  return app;
}

/** The one log entry of `decisionId`, read through the API; the answer must be 200 and match the shared schema. */
async function logged(app: TestApp, decisionId: string): Promise<DecisionLogEntry> {
  const res = await app.call("GET", `/api/v1/decision-log?decisionId=${decisionId}`);
  expect(res.status).toBe(200);
  expect(res.body.entries).toHaveLength(1);
  return DecisionLogEntry.parse(res.body.entries[0]);
}

/** A counter's value in the app's registry, as /metrics shows it. */
async function counter(app: TestApp, name: string): Promise<number> {
  const metric = await app.ctx.metrics.registry.getSingleMetric(name)!.get();
  return metric.values[0]?.value ?? 0;
}

/** A valid order of `n` items whose ids take room: the size of a case is in its lists. */
const withItems = (n: number, tag = "") =>
  aCase({
    order: {
      status: "paid",
      items: Array.from({ length: n }, (_, i) => ({
        id: `${tag}${i}-${"商品编号".repeat(20)}`,
        priceFen: 100,
        quantity: 1,
      })),
    },
  });

/** The case as the log keeps it: parsed from the body, before the check fills in its defaults (which follow from it). */
const asParsed = (facts: unknown) => JSON.parse(JSON.stringify(facts)) as unknown;

describe("M3: the decision log records exactly what was decided", () => {
  it("logs a body with `facts` twice as the facts it was decided on (the last), and the log still reads", async () => {
    const app = await anApp();
    const first = aCase({ order: { status: "closed" } });
    const second = aCase({ order: { status: "paid" } });
    const body = `{"facts":${JSON.stringify(first)},"facts":${JSON.stringify(second)}}`;
    // both transports: the node:http fast path (a socket) and the Hono route (in process)
    const overHttp = await app.call("POST", "/api/v1/decisions/refund-eligibility", body);
    const inProcess = await app.request("/api/v1/decisions/refund-eligibility", {
      method: "POST",
      headers: { authorization: "Bearer asr_test_key_with_every_scope_000000", "content-type": "application/json" },
      body,
    });
    expect(overHttp.status).toBe(200);
    expect(inProcess.status).toBe(200);
    const alone = await app.decide("refund-eligibility", second);
    expect(overHttp.body.decision).toEqual(alone.body.decision);
    expect(overHttp.body.decision).toMatchObject({ eligible: true });

    for (const decisionId of [
      overHttp.body.decisionId,
      ((await inProcess.json()) as { decisionId: string }).decisionId,
    ]) {
      const entry = await logged(app, decisionId);
      expect(entry.facts).toEqual(asParsed(second));
      // stored as canonical JSON text: what any reader of the row, not only ours, parses back
      const row = await app.ctx.db
        .selectFrom("decision_log")
        .select("facts")
        .where("decision_id", "=", decisionId)
        .executeTakeFirstOrThrow();
      expect(row.facts).toBe(JSON.stringify(second));
      expect(entry.decision).toEqual(alone.body.decision);
      expect(entry.unreadable).toBeUndefined();
    }
    expect((await app.call("GET", "/api/v1/decision-log")).status).toBe(200);
  });

  it("logs a batch item's case as parsed", async () => {
    const app = await anApp();
    const facts = aCase({ order: { status: "paid" } });
    const res = await app.call("POST", "/api/v1/decisions", { requests: [{ ruleSet: "shipping-fee", facts }] });
    expect(res.status).toBe(200);
    expect((await logged(app, res.body.results[0].decisionId)).facts).toEqual(asParsed(facts));
  });

  it("refuses an order number holding U+0000 on either database, where PostgreSQL would answer the decision but not log it", async () => {
    const app = await anApp();
    const res = await app.decide("shipping-fee", aCase({ order: { id: "2026\u0000hidden" } }));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "order.id", code: "invalid_format" })]);
  });

  it("reads a stored row whose columns are not JSON with 200, their text shown and flagged", async () => {
    const app = await anApp();
    const good = await app.decide("shipping-fee", aCase());
    await app.ctx.decisionLog.flush();
    // written by something other than the service, through a connection of its own
    const other = connectDatabase(app.databaseUrl, "service");
    await other
      .insertInto("decision_log")
      .values({
        decision_id: "01ZZZZZZZZZZZZZZZZZZZZZZZZ",
        at: "2026-11-20T02:00:01.000Z",
        rule_set: "shipping-fee",
        version: 1,
        key_name: "hand",
        facts: '{"order":',
        decision: "[1,2]",
        fired_rules: '"not a list"',
        outcome: "return:buyer",
      } as never)
      .execute();
    await other.destroy();

    const res = await app.call("GET", "/api/v1/decision-log");
    expect(res.status).toBe(200);
    expect(res.body.entries.map((entry: DecisionLogEntry) => entry.decisionId)).toEqual([
      "01ZZZZZZZZZZZZZZZZZZZZZZZZ",
      good.body.decisionId,
    ]);
    const broken = DecisionLogEntry.parse(res.body.entries[0]);
    expect(broken).toMatchObject({
      facts: null,
      decision: {},
      firedRules: [],
      unreadable: { facts: '{"order":', decision: "[1,2]", firedRules: '"not a list"' },
    });
    expect(DecisionLogEntry.parse(res.body.entries[1]).unreadable).toBeUndefined();
  });
});

describe("M6: batches count every decision against the per-key limit, and have a size limit", () => {
  const requests = (n: number) => Array.from({ length: n }, () => ({ ruleSet: "shipping-fee", facts: aCase() }));

  it("decides the first 50 of a 100-item batch on a 50/s key and answers 429 in the other 50 slots", async () => {
    const app = await anApp({ rateLimitPerKey: 50 });
    // the same limit on a clock that stands still: the test is about what counts, not about how fast it runs
    app.ctx.keyRateLimit = new KeyRateLimit(50, () => 0);
    const res = await app.call("POST", "/api/v1/decisions", { requests: requests(100) });
    expect(res.status).toBe(200);
    const results = res.body.results as { decisionId?: string; error?: { status: number; type: string } }[];
    expect(results).toHaveLength(100);
    expect(results.slice(0, 50).every((result) => typeof result.decisionId === "string")).toBe(true);
    expect(results.slice(50).map((result) => result.error?.status)).toEqual(Array(50).fill(429));
    // the key has nothing left this second: a batch or a single decision is refused whole, with Retry-After
    const next = await app.call("POST", "/api/v1/decisions", { requests: requests(1) });
    expect(next.status).toBe(429);
    expect(next.headers.get("retry-after")).toBe("1");
    expect((await app.decide("shipping-fee", aCase())).status).toBe(429);
    await app.ctx.decisionLog.flush();
    expect((await app.call("GET", "/api/v1/decision-log?limit=1000")).body.entries).toHaveLength(50);
  });

  it(`refuses a batch of more than ${MAX_BATCH} items with a 422 naming the limit, deciding none`, async () => {
    const app = await anApp();
    const res = await app.call("POST", "/api/v1/decisions", { requests: requests(MAX_BATCH + 1) });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: "requests", message: expect.stringContaining(String(MAX_BATCH)) }),
    ]);
    await app.ctx.decisionLog.flush();
    expect((await app.call("GET", "/api/v1/decision-log")).body.entries).toEqual([]);
  });
});

describe("M6: the decision log has a storage budget", () => {
  it("keeps a record over the per-record limit with its facts left out, and counts it", async () => {
    const app = await anApp({ decisionLog: { maxRecordBytes: 4096 } });
    const small = await app.decide("shipping-fee", aCase());
    const big = withItems(30);
    const res = await app.decide("shipping-fee", big);
    expect(res.status).toBe(200);
    expect((await logged(app, small.body.decisionId)).facts).toEqual(asParsed(aCase()));
    const entry = await logged(app, res.body.decisionId);
    expect(entry.facts).toEqual(JSON.parse(OMITTED_FACTS));
    expect(entry.decision).toEqual(res.body.decision);
    expect(await counter(app, "aftersales_decision_log_oversized_total")).toBe(1);
  });

  it.each(["worker", "inline"] as const)(
    "keeps at most maxRows rows, deleting the oldest first and counting them (%s writer)",
    async (mode) => {
      const app = await anApp({ decisionLog: { maxRows: 20, ...(mode === "inline" ? { worker: undefined } : {}) } });
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await app.decide("shipping-fee", aCase())).body.decisionId);
      await app.ctx.decisionLog.flush();
      await app.ctx.decisionLog.pruneOverBudget();
      const res = await app.call("GET", "/api/v1/decision-log?limit=1000");
      expect(res.status).toBe(200);
      expect(res.body.entries.map((entry: DecisionLogEntry) => entry.decisionId)).toEqual(ids.slice(10).reverse());
      expect(await counter(app, "aftersales_decision_log_pruned_over_budget_total")).toBe(10);
    },
  );

  it("prunes by itself as the log grows past a tenth of its budget, without being asked", async () => {
    const app = await anApp({ decisionLog: { maxRows: 20 } });
    const requests = Array.from({ length: 60 }, () => ({ ruleSet: "shipping-fee", facts: aCase() }));
    const res = await app.call("POST", "/api/v1/decisions", { requests });
    expect(res.status).toBe(200);
    await expect
      .poll(() => counter(app, "aftersales_decision_log_pruned_over_budget_total"), { timeout: 5_000 })
      .toBe(40);
    const entries = (await app.call("GET", "/api/v1/decision-log?limit=1000")).body.entries as DecisionLogEntry[];
    expect(entries.map((entry) => entry.decisionId)).toEqual(
      res.body.results
        .slice(40)
        .map((result: { decisionId: string }) => result.decisionId)
        .reverse(),
    );
  });

  // a full disk made for real is SQLite's page limit; PostgreSQL's unreachable database is test/postgres-outage.test.ts
  it.runIf(!onPostgres)(
    "answers every decision while the database is full (SQLITE_FULL), keeping the log queued until there is room",
    async () => {
      const errors: unknown[] = [];
      const app = await anApp({ decisionLog: { worker: undefined, onError: (error) => errors.push(error) } });
      await app.decide("shipping-fee", aCase());
      await app.ctx.decisionLog.flush();
      const written = app.ctx.decisionLog.written;
      // a real full database: SQLite may not grow the file past the pages it has now
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(app.ctx.db);
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(app.ctx.db);

      const answered: string[] = [];
      for (let i = 0; i < 200; i++) {
        const res = await app.decide("shipping-fee", withItems(5, `${i}-`));
        expect(res.status).toBe(200);
        answered.push(res.body.decisionId);
      }
      // a full disk is an outage like an unreachable database: the records wait in the queue (within its budget),
      // reported, and nothing counts as failed
      await app.ctx.decisionLog.flush();
      expect(app.ctx.decisionLog.queued).toBeGreaterThan(0);
      expect(await counter(app, "aftersales_decision_log_failed_total")).toBe(0);
      // said once, with the driver's own words as the cause
      expect(errors.map((error) => String((error as Error).cause))).toEqual([
        expect.stringMatching(/SQLITE_FULL|disk is full/),
      ]);

      // room again: what waited is written, none lost, and logging goes on
      await sql.raw("pragma max_page_count = 1073741823").execute(app.ctx.db);
      const after = await app.decide("shipping-fee", aCase());
      await vi.waitFor(
        async () => {
          await app.ctx.decisionLog.flush();
          expect(app.ctx.decisionLog.queued).toBe(0);
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(app.ctx.decisionLog).toMatchObject({ written: written + 201, failed: 0, dropped: 0 });
      for (const id of [answered[0]!, answered[199]!, after.body.decisionId])
        expect((await logged(app, id)).decisionId).toBe(id);
    },
  );
});

describe("low: deadlines are RFC 3339 timestamps or absent", () => {
  const now = "2026-11-20T10:00:00+08:00";
  const facts = CaseFacts.parse({
    now,
    order: { status: "paid" },
    refund: { state: "waiting_seller", stateSince: "2026-11-20T02:00:00Z" },
  });
  const deadlineOf = (duration: string) => {
    const timers = [{ key: "t", duration, onExpiry: "x", from: "refund.stateSince" }];
    const decided = completeDecision(
      "timeouts",
      { timers },
      facts,
      deriveFacts(facts, Date.parse(now)),
      Date.parse(now),
    );
    return (decided.timers as { deadline?: string }[])[0]!.deadline;
  };

  it("gives a deadline up to 9999-12-31 with a four-digit year, and none past it (never +010000-…)", () => {
    // 2026-11-20 + 2 900 000 days is in year 9966; + 3 000 000 days in year 10240
    expect(deadlineOf("P2900000D")).toMatch(/^9966-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(deadlineOf("P3000000D")).toBeUndefined();
    expect(deadlineOf("P1000000000D")).toBeUndefined();
  });
});
