import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import * as store from "../server/rule-sets/store.ts";
import { Problem, VersionDetail } from "../shared/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/** Honest tests: a test case checks something, versions keep the test cases they were published with, the audit says how a test changed. */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const seedCases = (key: string) => JSON.parse(readFileSync(`rules/${key}.json`, "utf8")).testCases as any[];
const testCasesOf = async (key: string) =>
  (await app.call("GET", `/api/v1/rule-sets/${key}/test-cases`)).body.testCases;
const versionOf = async (key: string, version: number) => {
  const res = await app.call("GET", `/api/v1/rule-sets/${key}/versions/${version}`);
  expect(res.status).toBe(200);
  return VersionDetail.parse(res.body);
};

describe("a test case must check at least one field", () => {
  it("refuses a test case whose expectation is empty, naming it with its code", async () => {
    const cases = await testCasesOf("timeouts");
    const res = await app.call("PUT", "/api/v1/rule-sets/timeouts/test-cases", {
      testCases: [...cases, { name: "查不出问题的用例", facts: cases[0].facts, expect: {} }],
    });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = Problem.parse(res.body);
    expect(problem.errors).toEqual([
      {
        path: `testCases.${cases.length}.expect`,
        code: "empty_expectation",
        params: { fields: ["timers"] },
        message: expect.stringContaining("at least one decision field"),
      },
    ]);
    // nothing was saved
    expect(await testCasesOf("timeouts")).toEqual(cases);
  });
});

describe("versions keep their test cases", () => {
  it("keeps the seed's test cases with version 1", async () => {
    const v1 = await versionOf("refund-eligibility", 1);
    expect(v1.testCases).toEqual(seedCases("refund-eligibility"));
  });

  it("keeps what a publish ran, and brings a version's test cases back with a rollback", async () => {
    const key = "shipping-fee";
    const before = await testCasesOf(key);
    const draft = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft;
    // a change of wording only, so the same test cases still pass; an expectation rewritten alongside
    const rules = draft.rules.map((rule: any, index: number) =>
      index === 0 ? { ...rule, description: `${rule.description ?? ""}（措辞修改）` } : rule,
    );
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, { revision: draft.revision, rules })).status).toBe(
      200,
    );
    const rewritten = before.map((testCase: any, index: number) =>
      index === 0 ? { ...testCase, name: `${testCase.name}（改）` } : testCase,
    );
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/test-cases`, { testCases: rewritten })).status).toBe(200);
    const published = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, { note: "wording" });
    expect(published.body).toMatchObject({ version: 2, unchanged: false });

    expect((await versionOf(key, 2)).testCases).toEqual(rewritten);
    expect((await versionOf(key, 1)).testCases).toEqual(before);

    const rolled = await app.call("POST", `/api/v1/rule-sets/${key}/rollback`, { version: 1 });
    expect(rolled.body).toMatchObject({ version: 3, unchanged: false });
    expect((await versionOf(key, 3)).testCases).toEqual(before);
    // the draft's own test cases are left as they were
    expect(await testCasesOf(key)).toEqual(rewritten);
  });

  it("answers null for a version published before versions kept test cases", async () => {
    const v1 = await versionOf("timeouts", 1);
    await store.insertVersion(app.ctx.db, {
      ruleSetKey: "timeouts",
      version: 99,
      definition: { defaults: v1.defaults, conditions: v1.conditions, rules: v1.rules as any },
      note: "from an older release",
      publishedAt: "2026-11-01T00:00:00.000Z",
      publishedBy: "system",
      rolledBackFrom: null,
    });
    const old = await versionOf("timeouts", 99);
    expect(old.testCases).toBeNull();
    // a rollback to it keeps no test cases rather than inventing some
    const rolled = await app.call("POST", "/api/v1/rule-sets/timeouts/rollback", { version: 99 });
    expect(rolled.status).toBe(200);
    expect((await versionOf("timeouts", rolled.body.version)).testCases).toBeNull();
  });
});

describe("the audit says which test changed and how", () => {
  it("lists the test cases added, removed and changed, each expectation before → after", async () => {
    const key = "refund-eligibility";
    const cases = await testCasesOf(key);
    const [first, second, third, ...rest] = cases;
    const firstField = Object.keys(first.expect)[0]!;
    const edited = {
      ...first,
      expect: { ...first.expect, [firstField]: "rewritten-to-pass" },
    };
    const refacted = { ...second, facts: { ...second.facts, now: "2026-11-11T00:00:00+08:00" } };
    const added = { name: "新增的用例", facts: third.facts, expect: third.expect };
    const res = await app.call("PUT", `/api/v1/rule-sets/${key}/test-cases`, {
      testCases: [edited, refacted, ...rest, added],
    });
    expect(res.status).toBe(200);

    const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: key });
    const entry = audit.find((a) => a.action === "test-cases.replace")!;
    expect(entry.detail).toMatchObject({
      before: cases.map((c: any) => c.name),
      after: [edited, refacted, ...rest, added].map((c) => c.name),
      added: ["新增的用例"],
      removed: [third.name],
      changed: [
        {
          name: first.name,
          expect: [{ field: firstField, before: first.expect[firstField], after: "rewritten-to-pass" }],
          factsChanged: false,
        },
        { name: second.name, expect: [], factsChanged: true },
      ],
    });
  });

  it("records a field newly checked without `before`, and one no longer checked without `after`", async () => {
    const key = "shipping-fee";
    const fields = ["returnShippingPayer", "outboundShippingPayer", "refundOutboundShipping", "freightCollectAllowed"];
    const cases = await testCasesOf(key);
    const [first, ...rest] = cases;
    const dropped = Object.keys(first.expect)[0]!;
    const addedField = fields.find((f) => !(f in first.expect))!;
    const { [dropped]: _, ...kept } = first.expect;
    const next = { ...first, expect: { ...kept, [addedField]: false } };
    expect((await app.call("PUT", `/api/v1/rule-sets/${key}/test-cases`, { testCases: [next, ...rest] })).status).toBe(
      200,
    );
    const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: key, action: "test-cases.replace" });
    expect(audit.at(-1)!.detail).toMatchObject({
      added: [],
      removed: [],
      changed: [
        {
          name: first.name,
          expect: [
            { field: dropped, before: first.expect[dropped] },
            { field: addedField, after: false },
          ],
          factsChanged: false,
        },
      ],
    });
  });
});
