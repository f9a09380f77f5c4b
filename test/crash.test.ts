import type { ChildProcess } from "node:child_process";
import { startServiceProcess } from "./helpers/service-process.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuleSetDefinition } from "../shared/rules.ts";
import { connectDatabase } from "../server/db/database.ts";
import { freePort } from "./helpers/free-port.ts";
import { dropTestDatabase, onPostgres, testDatabaseUrl } from "./helpers/test-database.ts";

/**
 * The real service, SIGKILLed at random moments while a pipeline publishes over and over. After
 * every restart exactly one complete version must be active, the database intact, and the audit
 * log in agreement with the versions.
 */

const KEY = "asr_crash_test_key_000000000000000";
const dir = mkdtempSync(join(tmpdir(), "aftersales-crash-"));
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await testDatabaseUrl(dir, "crash");
});
afterAll(async () => {
  await dropTestDatabase(databaseUrl);
  rmSync(dir, { recursive: true, force: true });
});

async function start(port: number): Promise<ChildProcess> {
  const service = await startServiceProcess(
    port,
    { DATABASE_URL: databaseUrl, BOOTSTRAP_API_KEY: KEY, BOOTSTRAP_ADMIN_PASSWORD: "crash-test-password" },
    { ready: "/healthz", stdout: false },
  );
  return service.child;
}

const call = (port: number, method: string, path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Publishes changed drafts of shipping-fee until the process dies; returns how many publishes answered 200. */
async function publishUntilKilled(port: number, child: ChildProcess, runFor: number): Promise<number> {
  let published = 0;
  // counted from the first publish's answer: that one also starts the analysis thread (about a second), so a kill
  // timed from the start would often land before any publish could finish
  let firstAnswered!: () => void;
  const warm = new Promise<void>((resolve) => {
    firstAnswered = resolve;
  });
  let killAt = Number.POSITIVE_INFINITY;
  const killer = warm.then(
    () =>
      new Promise<void>((resolve) => {
        killAt = Date.now() + runFor;
        setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, runFor);
      }),
  );
  const loop = (async () => {
    while (Date.now() < killAt + 1000) {
      try {
        const detail = (await (await call(port, "GET", "/api/v1/rule-sets/shipping-fee")).json()) as {
          draft: { revision: number; rules: { description: string }[] };
        };
        const rules = detail.draft.rules.map((rule, i) =>
          i === 0 ? { ...rule, description: `publish ${Date.now()} ${Math.random()}` } : rule,
        );
        const saved = await call(port, "PUT", "/api/v1/rule-sets/shipping-fee/draft", {
          revision: detail.draft.revision,
          rules,
        });
        if (!saved.ok) {
          firstAnswered();
          continue;
        }
        const answer = await call(port, "POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "crash test" });
        firstAnswered();
        if (answer.ok) published++;
      } catch {
        firstAnswered(); // the process is gone: nothing left to time
        return;
      }
    }
  })();
  await Promise.all([killer, loop]);
  await new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve()),
  );
  return published;
}

async function checkDatabase() {
  if (!onPostgres) {
    // the file itself: PostgreSQL has no such check to ask for, and recovers from its WAL by design
    const sqlite = new SQLite(databaseUrl, { readonly: true });
    try {
      expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      sqlite.close();
    }
  }
  const db = connectDatabase(databaseUrl, "reader");
  try {
    const ruleSet = await db
      .selectFrom("rule_sets")
      .select("active_version")
      .where("key", "=", "shipping-fee")
      .executeTakeFirstOrThrow();
    const versions = await db
      .selectFrom("rule_set_versions")
      .select(["version", "definition"])
      .where("rule_set_key", "=", "shipping-fee")
      .orderBy("version")
      .execute();
    // versions are 1..n without a gap, each complete, and the active one among them
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
    for (const v of versions) expect(RuleSetDefinition.safeParse(JSON.parse(v.definition)).success).toBe(true);
    expect(versions.at(-1)!.version).toBe(ruleSet.active_version);
    // every version after the import has exactly one publish row in the audit log, and no publish row names a missing version
    const audit = await db
      .selectFrom("audit_log")
      .select("detail")
      .where("entity", "=", "rule-set")
      .where("entity_key", "=", "shipping-fee")
      .where("action", "=", "publish")
      .execute();
    const audited = audit.map((row) => (JSON.parse(row.detail) as { version: number }).version).sort((a, b) => a - b);
    expect(audited).toEqual(versions.slice(1).map((v) => v.version));
    // and every activation names a version that exists
    const activations = await db
      .selectFrom("activations")
      .select("version")
      .where("rule_set_key", "=", "shipping-fee")
      .execute();
    expect(activations.every((a) => a.version <= versions.length)).toBe(true);
    return { versions: versions.length, active: ruleSet.active_version };
  } finally {
    await db.destroy();
  }
}

describe("a crash during publishing", () => {
  it("leaves exactly one complete version active after each of many SIGKILLs", async () => {
    let total = 0;
    let restarts = 0;
    while (total < 110 || restarts < 8) {
      const port = await freePort();
      const child = await start(port);
      // the service answers with what the database says is active
      const state = await checkDatabase();
      const decision = (await (
        await call(port, "POST", "/api/v1/decisions/shipping-fee", { facts: { order: { status: "paid" } } })
      ).json()) as { version: number };
      expect(decision.version).toBe(state.active);
      total += await publishUntilKilled(port, child, 200 + Math.floor(Math.random() * 800));
      restarts++;
      await checkDatabase();
    }
    const final = await checkDatabase();
    expect(final.versions).toBeGreaterThanOrEqual(total + 1);
  }, 300_000);
});
