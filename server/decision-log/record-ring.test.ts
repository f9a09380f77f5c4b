import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "./decision-log.ts";
import { RECORD_VALUES, type RecordValues } from "./log-rows.ts";
import { RecordRing } from "./record-ring.ts";

/** RecordValues back into records, to compare with what was pushed. */
function recordsOf(values: RecordValues): DecisionRecord[] {
  const records: DecisionRecord[] = [];
  for (let i = 0; i < values.length; i += RECORD_VALUES) {
    const [decisionId, at, ruleSet, version, keyName, factsJson, decisionJson, firedRulesJson, outcome, orderId] =
      values.slice(i, i + RECORD_VALUES) as [
        string,
        number,
        string,
        number,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
    records.push({
      decisionId,
      at,
      ruleSet,
      version,
      keyName,
      factsJson,
      decisionJson,
      firedRulesJson,
      outcome,
      orderId,
    });
  }
  return records;
}
const readRecords = (ring: RecordRing, max: number): { records: DecisionRecord[]; next: number } => {
  const { values, count, next } = ring.read(max);
  expect(values.length).toBe(count * RECORD_VALUES);
  return { records: recordsOf(values), next };
};

const aRecord = (n: number, facts = `{"n":${n}}`): DecisionRecord => ({
  decisionId: `01KB${String(n).padStart(22, "0")}`,
  at: 1_763_604_000_000 + n,
  ruleSet: "refund-eligibility",
  version: n % 7,
  keyName: "order-service",
  factsJson: facts,
  decisionJson: `{"eligible":true,"reasons":[{"code":"X","message":"七天无理由退货"}]}`,
  firedRulesJson: '["a","b"]',
  outcome: "eligible:original",
  orderId: n % 2 === 0 ? `E${n}` : "",
});

/** A record's bytes in the ring: 44 bytes of header and its strings as UTF-16. */
const sizeOf = (r: DecisionRecord) =>
  44 + 2 * (r.decisionId + r.ruleSet + r.keyName + r.outcome + r.firedRulesJson + r.decisionJson + r.factsJson).length;

describe("RecordRing", () => {
  it("gives back what was pushed, in order, field for field, Chinese, emoji and escapes included", () => {
    const ring = RecordRing.create(4096);
    const records = [
      aRecord(1),
      aRecord(2, '{"name":"张三 😀 \\u0000 \\"q\\""}'),
      { ...aRecord(3), keyName: "键 😀", outcome: "" },
    ];
    for (const record of records) expect(ring.push(record)).toBe(true);
    const { records: read, next } = readRecords(ring, 10);
    expect(read).toStrictEqual(records);
    expect(ring.empty).toBe(false);
    ring.release(next);
    expect(ring.empty).toBe(true);
    expect(readRecords(ring, 10).records).toEqual([]);
  });

  it("reads at most `max` records and leaves the rest, and what is read but not released is read again", () => {
    const ring = RecordRing.create(4096);
    for (let n = 0; n < 5; n++) ring.push(aRecord(n));
    const first = readRecords(ring, 2);
    expect(first.records.map((r) => r.version)).toEqual([0, 1]);
    expect(readRecords(ring, 2).records.map((r) => r.version)).toEqual([0, 1]);
    ring.release(first.next);
    expect(readRecords(ring, 10).records.map((r) => r.version)).toEqual([2, 3, 4]);
  });

  it("refuses a record when full, and takes records again once some are released", () => {
    const ring = RecordRing.create(8192);
    let pushed = 0;
    while (ring.push(aRecord(pushed))) pushed++;
    expect(pushed).toBeGreaterThan(10);
    const { records, next } = readRecords(ring, 2);
    ring.release(next);
    expect(records.map((r) => r.decisionId)).toEqual([aRecord(0).decisionId, aRecord(1).decisionId]);
    expect(ring.push(aRecord(pushed))).toBe(true);
    expect(readRecords(ring, 1000).records.map((r) => r.decisionId)).toEqual(
      Array.from({ length: pushed - 1 }, (_, i) => aRecord(i + 2).decisionId),
    );
    // a record larger than the ring never fits
    expect(RecordRing.create(512).push(aRecord(0, "x".repeat(300)))).toBe(false);
  });

  it("behaves as a bounded queue under any sequence of pushes, reads and releases, across its wrap-around", () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 120 }), wide: fc.boolean() }),
      fc.record({ read: fc.integer({ min: 1, max: 6 }), release: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 800, max: 2400 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const ring = RecordRing.create(capacity);
        const model: DecisionRecord[] = [];
        let n = 0;
        for (const step of ops) {
          if ("push" in step) {
            const record = aRecord(n++, (step.wide ? "宽" : "x").repeat(step.push));
            if (ring.push(record)) model.push(record);
            // an empty ring has room at its end or its beginning for any record up to half its size
            else if (model.length === 0) expect(sizeOf(record)).toBeGreaterThan(capacity / 2 - 4);
          } else {
            const { records, next } = readRecords(ring, step.read);
            expect(records).toStrictEqual(model.slice(0, step.read));
            if (step.release) {
              ring.release(next);
              model.splice(0, records.length);
            }
          }
          expect(ring.empty).toBe(model.length === 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is read from another thread through its shared memory", async () => {
    const { Worker } = await import("node:worker_threads");
    const ring = RecordRing.create(8192);
    for (let n = 0; n < 20; n++) ring.push(aRecord(n));
    // the reader needs no module of ours: it checks the layout's first record header by hand
    const worker = new Worker(
      `const { workerData, parentPort } = require("node:worker_threads");
       const view = new DataView(workerData, 8);
       parentPort.postMessage({ write: new Int32Array(workerData, 0, 2)[0], at: view.getFloat64(4, true), version: view.getUint32(12, true) });`,
      { eval: true, workerData: ring.shared },
    );
    const seen = await new Promise<{ write: number; at: number; version: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(seen.write).toBeGreaterThan(0);
    expect(seen).toMatchObject({ at: aRecord(0).at, version: 0 });
  });
});
