import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../db/database.ts";
import { DecisionLog, type DecisionRecord } from "./decision-log.ts";

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "decision-log-"));
  db = await openDatabase(join(dir, "log.db"));
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const aRecord = (n: number): DecisionRecord => ({
  decisionId: `D${String(n).padStart(6, "0")}`,
  at: Date.UTC(2026, 10, 20, 2, 0, 0, n),
  ruleSet: "shipping-fee",
  version: 1,
  keyName: "test",
  facts: { order: { status: "paid" }, n },
  decision: { returnShippingPayer: "buyer" },
  firedRules: ["no-free-shipping-buyer-pays-all-postage"],
});

describe("DecisionLog", () => {
  it("writes queued decisions in batches, facts and decision as sent", async () => {
    const log = new DecisionLog(db, { maxQueue: 10_000, flushEveryMs: 10_000, batchSize: 300 });
    for (let n = 0; n < 1_000; n++) log.record(aRecord(n));
    expect(await db.selectFrom("decision_log").select("decision_id").execute()).toHaveLength(0);
    await log.close();
    const rows = await db.selectFrom("decision_log").selectAll().orderBy("decision_id").execute();
    expect(rows).toHaveLength(1_000);
    expect(log.written).toBe(1_000);
    expect(JSON.parse(rows[7]!.facts)).toEqual({ order: { status: "paid" }, n: 7 });
    expect(rows[7]!.outcome).toBe("return:buyer");
    expect(rows[7]!.at).toBe("2026-11-20T02:00:00.007Z");
  });

  it("drops the oldest entries and counts them when the queue is full", async () => {
    const log = new DecisionLog(db, { maxQueue: 100, flushEveryMs: 10_000, batchSize: 1_000 });
    for (let n = 0; n < 150; n++) log.record(aRecord(n));
    expect(log.dropped).toBe(50);
    await log.close();
    const ids = (await db.selectFrom("decision_log").select("decision_id").orderBy("decision_id").execute()).map((r) => r.decision_id);
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe("D000050");
  });

  it("flushes by itself after the interval", async () => {
    const log = new DecisionLog(db, { maxQueue: 100, flushEveryMs: 5, batchSize: 1_000 });
    log.record(aRecord(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await db.selectFrom("decision_log").select("decision_id").execute()).toHaveLength(1);
    await log.close();
  });
});
