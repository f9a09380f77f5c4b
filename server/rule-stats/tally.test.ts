import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "../../test/helpers/test-database.ts";
import { writeRecords } from "../decision-log/log-rows.ts";
import { RECORD_FIELDS, type DecisionRecord, type RecordValues } from "../decision-log/record-fields.ts";
import { DecisionTally } from "./tally.ts";

const HOUR = 3_600_000;
const start = Date.parse("2026-11-20T00:00:00Z");

/** A record with the fields the counts read; the others as the decision path would fill them. */
function aRecord(i: number, fields: Partial<DecisionRecord>): DecisionRecord {
  return {
    decisionId: `d${String(i).padStart(6, "0")}`,
    at: start,
    ruleSet: "refund-eligibility",
    version: 1,
    keyName: "test",
    factsJson: "{}",
    decisionJson: "{}",
    firedRulesJson: "[]",
    outcome: "eligible",
    orderId: "",
    ...fields,
  };
}

const valuesOf = (records: DecisionRecord[]): RecordValues =>
  records.flatMap((record) => RECORD_FIELDS.map((field) => record[field.property]));

/** Varied records: two rule sets, two versions, three hours, three outcomes, lists of fired rules that repeat. */
function variedRecords(count: number): DecisionRecord[] {
  const lists = ['["a","b"]', '["b"]', "[]", '["a","c","b"]', "not json", '["a","a"]'];
  return Array.from({ length: count }, (_, i) =>
    aRecord(i, {
      ruleSet: i % 7 === 0 ? "shipping-fee" : "refund-eligibility",
      version: i % 5 === 0 ? 2 : 1,
      at: start + Math.floor((i * 3 * HOUR) / count) + (i % 3),
      outcome: ["eligible", "ineligible", "eligible:refund_only"][i % 3]!,
      firedRulesJson: lists[i % lists.length]!,
    }),
  );
}

/** What the counts must be, counted one decision at a time. */
function countedOneByOne(records: DecisionRecord[]) {
  const decisions = new Map<string, number>();
  const hits = new Map<string, number>();
  for (const record of records) {
    const hour = new Date(Math.floor(record.at / HOUR) * HOUR).toISOString();
    const key = `${record.ruleSet}|${hour}|${record.version}`;
    decisions.set(`${key}|${record.outcome}`, (decisions.get(`${key}|${record.outcome}`) ?? 0) + 1);
    let rules: string[] = [];
    try {
      rules = [...new Set(JSON.parse(record.firedRulesJson) as string[])];
    } catch {
      // a list that is not JSON counts no rule
    }
    for (const rule of rules) hits.set(`${key}|${rule}`, (hits.get(`${key}|${rule}`) ?? 0) + 1);
  }
  return { decisions, hits };
}

describe("the batch's counts, summed in memory", () => {
  it("make one row per key with the sum of its decisions, the same as counting one by one", () => {
    const records = variedRecords(600);
    const tally = new DecisionTally();
    const values = valuesOf(records);
    for (let i = 0; i < records.length; i++) tally.addRecord(values, i * RECORD_FIELDS.length);
    const expected = countedOneByOne(records);
    const decisions = tally.decisionRows();
    expect(
      new Map(decisions.map((row) => [`${row.rule_set}|${row.hour}|${row.version}|${row.outcome}`, row.decisions])),
    ).toEqual(expected.decisions);
    expect(decisions).toHaveLength(expected.decisions.size);
    const hits = tally.hitRows();
    expect(new Map(hits.map((row) => [`${row.rule_set}|${row.hour}|${row.version}|${row.rule}`, row.hits]))).toEqual(
      expected.hits,
    );
    expect(hits).toHaveLength(expected.hits.size);
  });

  it("count a rule listed twice in one decision once", () => {
    const tally = new DecisionTally();
    tally.add("refund-eligibility", start, 1, "eligible", '["a","a"]');
    expect(tally.hitRows()).toEqual([
      { rule_set: "refund-eligibility", hour: "2026-11-20T00:00:00.000Z", version: 1, rule: "a", hits: 1 },
    ]);
  });
});

describe("writing a batch", () => {
  it("adds its counts to the rows earlier batches wrote, in the log's transaction", async () => {
    const { db, close } = await freshTestDatabase();
    const records = variedRecords(900);
    // three batches that share keys: the upsert adds to what is there
    for (const part of [records.slice(0, 300), records.slice(300, 600), records.slice(600)]) {
      expect(await writeRecords(db, valuesOf(part), (error) => expect.unreachable(String(error)))).toBe(part.length);
    }
    const expected = countedOneByOne(records);
    const decisions = await db.selectFrom("decision_stats").selectAll().execute();
    expect(
      new Map(decisions.map((row) => [`${row.rule_set}|${row.hour}|${row.version}|${row.outcome}`, row.decisions])),
    ).toEqual(expected.decisions);
    const hits = await db.selectFrom("rule_hit_stats").selectAll().execute();
    expect(new Map(hits.map((row) => [`${row.rule_set}|${row.hour}|${row.version}|${row.rule}`, row.hits]))).toEqual(
      expected.hits,
    );
    await close();
  });

  it("counts nothing of a batch whose transaction fails, and leaves out a record that cannot be logged", async () => {
    const { db, close } = await freshTestDatabase();
    const first = [aRecord(1, { firedRulesJson: '["a"]' })];
    await writeRecords(db, valuesOf(first), () => undefined);
    // the same decision id again: the log's insert fails, and the counts roll back with it
    await expect(writeRecords(db, valuesOf([aRecord(2, {}), aRecord(1, {})]), () => undefined)).rejects.toThrow();
    // a time that is not one is rejected alone; its neighbour is logged and counted
    const rejected: Error[] = [];
    const written = await writeRecords(db, valuesOf([aRecord(3, { at: Number.NaN }), aRecord(4, {})]), (error) =>
      rejected.push(error),
    );
    expect([written, rejected.length]).toEqual([1, 1]);
    const decisions = await db.selectFrom("decision_stats").select(["outcome", "decisions"]).execute();
    expect(decisions).toEqual([{ outcome: "eligible", decisions: 2 }]);
    expect(await db.selectFrom("decision_log").select("decision_id").execute()).toHaveLength(2);
    const hits = await db.selectFrom("rule_hit_stats").select(["rule", "hits"]).execute();
    expect(hits).toEqual([{ rule: "a", hits: 1 }]);
    await close();
  });
});
