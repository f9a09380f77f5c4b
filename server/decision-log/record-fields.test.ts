import { describe, expect, it } from "vitest";
import { DecisionLogEntry } from "../../shared/logs.ts";
import { freshTestDatabase } from "../../test/helpers/test-database.ts";
import { entryOf } from "./log-rows.ts";
import { RECORD_COLUMNS, RECORD_FIELDS, type DecisionLogColumns, type DecisionRecord } from "./record-fields.ts";
import { RecordRing } from "./record-ring.ts";

describe("the decision log's field table", () => {
  it("names the decision_log table's columns as a migrated database has them, in order, with their SQL types", async () => {
    const { db, close } = await freshTestDatabase();
    try {
      const table = (await db.introspection.getTables()).find((candidate) => candidate.name === "decision_log")!;
      expect(table.columns.map((column) => column.name)).toEqual([...RECORD_COLUMNS]);
      for (const field of RECORD_FIELDS) {
        const column = table.columns.find((candidate) => candidate.name === field.column)!;
        // as each database names the migration's portable types: SQLite keeps the words, PostgreSQL says int4
        const type = column.dataType.toLowerCase().replace(/^int4$/, "integer");
        expect(type, field.column).toBe(field.kind === "uint32" ? "integer" : "text");
      }
    } finally {
      await close();
    }
  });

  it("names every field of the entry the log answers, and the entry mapped from a row is one", () => {
    const entryFields = Object.keys(DecisionLogEntry.shape).filter((name) => name !== "unreadable");
    expect(RECORD_FIELDS.map((field) => field.entry).sort()).toEqual(entryFields.sort());
    const row: DecisionLogColumns = {
      decision_id: "01KB0000000000000000000001",
      at: "2026-11-20T02:00:00.000Z",
      rule_set: "refund-eligibility",
      version: 3,
      key_name: "order-service",
      facts: '{"order":{"status":"delivered"}}',
      decision: '{"eligible":true}',
      fired_rules: '["a"]',
      outcome: "eligible:original",
      order_id: "",
    };
    const entry = entryOf(row);
    expect(DecisionLogEntry.strict().parse(entry)).toEqual(entry);
    expect(entry).toEqual({
      decisionId: row.decision_id,
      at: row.at,
      ruleSet: row.rule_set,
      version: 3,
      keyName: row.key_name,
      facts: { order: { status: "delivered" } },
      decision: { eligible: true },
      firedRules: ["a"],
      outcome: row.outcome,
      orderId: null,
    });
    expect(entryOf({ ...row, order_id: "E20261111001" }).orderId).toBe("E20261111001");
  });

  it("gives the ring one value a field, of the field's kind, in the table's order", () => {
    const record: DecisionRecord = {
      decisionId: "01KB0000000000000000000001",
      at: 1_763_604_000_123,
      ruleSet: "refund-eligibility",
      version: 3,
      keyName: "键",
      factsJson: "{}",
      decisionJson: '{"eligible":true}',
      firedRulesJson: "[]",
      outcome: "eligible:original",
      orderId: "E20261111001",
    };
    const ring = RecordRing.create(1024);
    expect(ring.push(record)).toBe(true);
    expect(ring.read(1).values).toEqual(RECORD_FIELDS.map((field) => record[field.property]));
  });
});
