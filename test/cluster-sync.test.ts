import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClusterSync } from "../server/cluster/sync.ts";
import { openDatabase } from "../server/db/database.ts";
import { aCase } from "./helpers/fixtures.ts";
import { capturedLogger, createTestApp, type TestApp } from "./helpers/test-app.ts";
import pg from "pg";
import { dropTestDatabase, onPostgres } from "./helpers/test-database.ts";

/**
 * Two services on one database, in one process: what one changes, the other's memory (registry, API keys) catches up
 * with — on PostgreSQL by notification alone (its periodic check is an hour away here), on SQLite by the periodic check
 * (every 100 ms here) — and a check that cannot read the database changes nothing in memory.
 */

const RULE_SET = "refund-eligibility";
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ keep: true, clusterSyncMs: 100 });
  b = await createTestApp({ dir: a.dir, keep: true, clusterSyncMs: onPostgres ? 3_600_000 : 100 });
});

afterAll(async () => {
  await b.close();
  await a.close();
  await dropTestDatabase(a.databaseUrl);
  rmSync(a.dir, { recursive: true, force: true });
});

/** Resolves once `check` holds, asking every 20 ms for at most 5 s. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("never happened");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function changeDraft(app: TestApp, description: string): Promise<void> {
  const draft = (await app.call("GET", `/api/v1/rule-sets/${RULE_SET}`)).body.draft;
  const rules = draft.rules.map((rule: { description: string }, i: number) =>
    i === 0 ? { ...rule, description } : rule,
  );
  expect(
    (await app.call("PUT", `/api/v1/rule-sets/${RULE_SET}/draft`, { revision: draft.revision, rules })).status,
  ).toBe(200);
}

const versionOn = async (app: TestApp) => (await app.decide(RULE_SET, aCase())).body.version as number;

describe("changes made by another instance", () => {
  it("reach this one's registry: a publish, then a scheduled version it may be asked for by number", async () => {
    await changeDraft(a, "published on a");
    const published = await a.call("POST", `/api/v1/rule-sets/${RULE_SET}/publish`, {});
    expect(published.status).toBe(200);
    await eventually(async () => (await versionOn(b)) === published.body.version);

    await changeDraft(a, "scheduled on a");
    const scheduled = await a.call("POST", `/api/v1/rule-sets/${RULE_SET}/publish`, {
      activateAt: "2027-01-01T00:00:00Z",
    });
    expect(scheduled.status).toBe(200);
    const version = scheduled.body.version as number;
    await eventually(async () => (await b.decide(RULE_SET, aCase(), { version })).status === 200);
    // known, not active: the active one still decides
    expect(await versionOn(b)).toBe(published.body.version);
  });

  it("reach this one's API keys: a key created there works here, and once revoked there is refused here", async () => {
    const created = await a.call("POST", "/api/v1/api-keys", { name: "elsewhere", scopes: ["decisions:evaluate"] });
    expect(created.status).toBe(201);
    const withKey = { authorization: `Bearer ${created.body.key}` };
    const decideWith = async () =>
      (await b.call("POST", `/api/v1/decisions/${RULE_SET}`, { facts: aCase() }, withKey)).status;
    await eventually(async () => (await decideWith()) === 200);
    expect((await a.call("DELETE", `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    await eventually(async () => (await decideWith()) === 401);
  });

  it("reach this one's working-day calendar: a year saved there is counted with here", async () => {
    const saturday = { year: 2030, month: 1, day: 5 };
    expect(b.ctx.calendar.current.knowsYear(2030)).toBe(false);
    const saved = await a.call("PUT", "/api/v1/calendar/2030", {
      holidays: [{ date: "2030-01-01", name: "元旦" }],
      workdays: [{ date: "2030-01-05", name: "元旦调休" }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    await eventually(async () => b.ctx.calendar.current.isWorkingDay(saturday));
    expect(b.ctx.calendar.current.isWorkingDay({ year: 2030, month: 1, day: 1 })).toBe(false);
  });

  it("never replace what this instance activated after the database was read", async () => {
    const registry = b.ctx.registry;
    const before = registry.state(RULE_SET)!;
    await changeDraft(b, "published on b");
    const published = await b.call("POST", `/api/v1/rule-sets/${RULE_SET}/publish`, {});
    expect(published.status).toBe(200);
    // a reload built from a read made before that publish
    expect(registry.refresh(RULE_SET, before, { versions: [1], active: null, activations: [] })).toBe(false);
    expect(registry.active(RULE_SET)?.version).toBe(published.body.version);
  });

  it("keep deciding on what is loaded when the database cannot be read, and say so once", async () => {
    const { logger, lines } = capturedLogger();
    const db = await openDatabase(a.databaseUrl);
    const sync = startClusterSync(
      { db, registry: b.ctx.registry, apiKeys: b.ctx.apiKeys, calendar: b.ctx.calendar, logger },
      { databaseUrl: a.databaseUrl, intervalMs: 3_600_000 },
    );
    await sync.checkNow();
    const version = await versionOn(b);
    await db.destroy();
    await sync.checkNow();
    await sync.checkNow();
    expect(lines.filter((line) => /reading changes failed/.test(line.msg))).toHaveLength(1);
    expect(await versionOn(b)).toBe(version);
    await sync.stop();
  });

  it.runIf(onPostgres)("arrive again once the connection listening for them dropped and came back", async () => {
    const admin = new pg.Client({ connectionString: a.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'",
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await changeDraft(a, "published while b reconnects");
    const published = await a.call("POST", `/api/v1/rule-sets/${RULE_SET}/publish`, {});
    expect(published.status).toBe(200);
    await eventually(async () => (await versionOn(b)) === published.body.version);
  });
});
