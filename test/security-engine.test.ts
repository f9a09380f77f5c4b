/**
 * Issue 10, the rule engine: H1 (shared conditions that refer to the next one twice cost 2ⁿ per
 * evaluation and their trace grows as fast), a chain of 1 000 shared conditions (a stack overflow
 * answered 500), and keys named like prototype members (dropped silently). Each attack is sent as
 * the issue describes it, to the real HTTP server.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_EXPANDED_DEPTH, MAX_EXPANDED_NODES } from "../server/engine/expansion.ts";
import * as store from "../server/rule-sets/store.ts";
import { Problem } from "../shared/api.ts";
import { MAX_SHARED_CONDITIONS, RuleSetDefinition, type TopLevelCondition } from "../shared/rules.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  // kept at close: one test restarts the service on the same database
  app = await createTestApp({ keep: true });
});
afterAll(async () => {
  await app.close();
  rmSync(app.dir, { recursive: true, force: true });
});

const KEY = "shipping-fee";
/** Neither leaf holds for `failing`: every `any` of the diamond must try both references. */
const freeShipping = { fact: "order", path: "freeShipping", operator: "equal", value: true };
const qualityIssue = { fact: "refund", path: "reason", operator: "equal", value: "quality_issue" };
const failing = aCase({ order: { freeShipping: false }, refund: { reason: "other" } });

/** The issue's graph: `c-i = {"any":[{"condition":"c-(i+1)"},{"condition":"c-(i+1)"}]}`, no circle, 2^depth paths. */
function diamond(depth: number): Record<string, TopLevelCondition> {
  const conditions: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < depth; i++)
    conditions[`c-${i}`] = { any: [{ condition: `c-${i + 1}` }, { condition: `c-${i + 1}` }] };
  conditions[`c-${depth}`] = { any: [freeShipping, qualityIssue] };
  return conditions;
}

/** `c-i = {"all":[{"condition":"c-(i+1)"}]}`: a chain `length` references long. */
function chain(length: number): Record<string, TopLevelCondition> {
  const conditions: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < length; i++) conditions[`c-${i}`] = { all: [{ condition: `c-${i + 1}` }] };
  conditions[`c-${length}`] = { all: [freeShipping] };
  return conditions;
}

/** A rule that refers to c-0 and sets nothing, so that the stored test cases keep passing. */
const referringRule = {
  name: "refers-to-the-graph",
  priority: 1,
  conditions: { condition: "c-0" },
  event: { type: "refers-to-the-graph", params: {} },
};

async function draft() {
  const res = await app.call("GET", `/api/v1/rule-sets/${KEY}`);
  expect(res.status).toBe(200);
  const current = res.body.draft as {
    revision: number;
    rules: { name: string }[];
    conditions: Record<string, unknown>;
    defaults: Record<string, unknown>;
  };
  // the rules as they were before any test here added its own
  return { ...current, rules: current.rules.filter((rule) => rule.name !== referringRule.name) };
}

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body) as Problem & { errors?: { path: string; message: string }[] };
}

async function expectHealthy() {
  const health = await fetch(`${app.url}/healthz`);
  expect(health.status).toBe(200);
  const decided = await app.decide(KEY, aCase());
  expect(decided.status).toBe(200);
}

describe("H1: shared conditions that refer to the next one twice", () => {
  it.each([19, 24, 60])(
    "a draft %i levels deep is refused with 422 naming the shared condition and the rule, and the service stays healthy",
    async (depth) => {
      const before = await draft();
      const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
        revision: before.revision,
        conditions: diamond(depth),
        rules: [referringRule, ...before.rules],
      });
      const problem = expectProblem(res, 422);
      // the head of the graph only: the levels below it are part of the same problem
      expect(problem.errors).toEqual([
        {
          path: "conditions.c-0",
          code: "too_large",
          params: { count: expect.anything(), maximum: MAX_EXPANDED_NODES },
          message: expect.stringContaining(`more than ${MAX_EXPANDED_NODES}`),
        },
        {
          path: "rules.0.conditions",
          code: "too_large",
          params: { count: expect.anything(), maximum: MAX_EXPANDED_NODES },
          message: expect.stringContaining(`more than ${MAX_EXPANDED_NODES}`),
        },
      ]);
      expect((await draft()).revision).toBe(before.revision);
      await expectHealthy();
    },
  );

  it("a diamond within the bounds simulates, publishes and decides with a trace that shows each shared condition once", async () => {
    const depth = 12;
    const before = await draft();
    const saved = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
      revision: before.revision,
      conditions: diamond(depth),
      rules: [referringRule, ...before.rules],
    });
    expect(saved.status).toBe(200);

    const simulated = await app.call("POST", `/api/v1/rule-sets/${KEY}/simulate`, { facts: failing });
    expect(simulated.status).toBe(200);
    const entry = simulated.body.draft.trace.find((e: { rule: string }) => e.rule === referringRule.name);
    expect(entry.fired).toBe(false);
    // expanded in place, this rule's trace alone would be 3·2^13 nodes, over a megabyte of JSON
    expect(JSON.stringify(entry).length).toBeLessThan(10_000);
    expect(JSON.stringify(simulated.body).length).toBeLessThan(60_000);

    const published = await app.call("POST", `/api/v1/rule-sets/${KEY}/publish`, {
      note: "a diamond within the bounds",
    });
    expect(published.status).toBe(200);
    const decided = await app.decide(KEY, failing, { trace: true });
    expect(decided.status).toBe(200);
    expect(decided.body.firedRules).not.toContain(referringRule.name);
    expect(JSON.stringify(decided.body).length).toBeLessThan(30_000);
    const fired = await app.decide(KEY, aCase({ order: { freeShipping: true } }), { trace: true });
    expect(fired.body.firedRules).toContain(referringRule.name);
    expect(JSON.stringify(fired.body).length).toBeLessThan(30_000);
    await expectHealthy();
  });

  it("a diamond 60 levels deep stored before the bounds existed: the published version decides in linear work, the draft is simulated, tested and reviewed under the bounds", async () => {
    const current = await draft();
    const definition = RuleSetDefinition.parse({
      defaults: current.defaults,
      conditions: diamond(60),
      rules: [referringRule, ...current.rules],
    });
    // the draft differs from the version (else there is nothing to review)
    const changed = {
      ...definition,
      rules: definition.rules.map((rule, index) => (index === 0 ? { ...rule, description: "changed since" } : rule)),
    };
    const version = (await store.latestVersionNumber(app.ctx.db, KEY)) + 1;
    await store.insertVersion(app.ctx.db, {
      ruleSetKey: KEY,
      version,
      definition,
      note: "published before the bounds",
      publishedAt: new Date().toISOString(),
      publishedBy: "attacker",
      rolledBackFrom: null,
    });
    await store.setActiveVersion(app.ctx.db, KEY, version);
    expect(
      await store.updateDraft(app.ctx.db, KEY, current.revision, changed, "attacker", new Date().toISOString()),
    ).toBe(true);
    // the draft and the version survive a restart, as the issue says
    await app.close();
    app = await createTestApp({ dir: app.dir, keep: true });

    const decided = await app.decide(KEY, failing, { trace: true });
    expect(decided.status).toBe(200);
    expect(decided.body.firedRules).not.toContain(referringRule.name);
    expect(JSON.stringify(decided.body).length).toBeLessThan(30_000);
    const fired = await app.decide(KEY, aCase({ order: { freeShipping: true } }), { trace: true });
    expect(fired.body.firedRules).toContain(referringRule.name);
    await expectHealthy();

    const naming = [
      { path: "conditions.c-0", code: "too_large", params: expect.any(Object), message: expect.any(String) },
      { path: "rules.0.conditions", code: "too_large", params: expect.any(Object), message: expect.any(String) },
    ];
    expect(
      expectProblem(await app.call("POST", `/api/v1/rule-sets/${KEY}/simulate`, { facts: failing }), 422).errors,
    ).toEqual(naming);
    expect(expectProblem(await app.call("POST", `/api/v1/rule-sets/${KEY}/test-cases/run`), 422).errors).toEqual(
      naming,
    );
    expect(
      expectProblem(await app.call("POST", `/api/v1/rule-sets/${KEY}/submit`, { note: "review this" }), 422).errors,
    ).toEqual(naming);
    expect(
      expectProblem(await app.call("POST", `/api/v1/rule-sets/${KEY}/publish`, { note: "publish it again" }), 422)
        .errors,
    ).toEqual(naming);
    await expectHealthy();
  });

  it("rolling back to a version stored before the bounds is refused with 422 before anything is written", async () => {
    const latest = await store.latestVersionNumber(app.ctx.db, KEY);
    expect((await store.findVersion(app.ctx.db, KEY, latest))?.definition.conditions["c-0"]).toBeDefined();
    const res = await app.call("POST", `/api/v1/rule-sets/${KEY}/rollback`, {
      version: latest,
      note: "the diamond again",
    });
    expect(expectProblem(res, 422).errors!.map((e) => e.path)).toEqual(["conditions.c-0", "rules.0.conditions"]);
    expect(await store.latestVersionNumber(app.ctx.db, KEY)).toBe(latest);
    await expectHealthy();
  });
});

describe("a chain of 1 000 shared conditions", () => {
  it("is refused with 422 naming its head and the rule, not a 500", async () => {
    const before = await draft();
    const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
      revision: before.revision,
      conditions: chain(1000),
      rules: [referringRule],
    });
    const problem = expectProblem(res, 422);
    expect(problem.errors).toEqual([
      {
        path: "conditions.c-0",
        code: "too_deep",
        params: { depth: expect.any(Number), maximum: MAX_EXPANDED_DEPTH },
        message: expect.stringContaining(`more than ${MAX_EXPANDED_DEPTH}`),
      },
      {
        path: "rules.0.conditions",
        code: "too_deep",
        params: { depth: expect.any(Number), maximum: MAX_EXPANDED_DEPTH },
        message: expect.stringContaining(`more than ${MAX_EXPANDED_DEPTH}`),
      },
    ]);
    await expectHealthy();
  });

  it("a chain within the bounds is accepted", async () => {
    const before = await draft();
    const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
      revision: before.revision,
      conditions: chain(30),
      rules: [referringRule, ...before.rules],
    });
    expect(res.status).toBe(200);
    expect(
      (await app.call("POST", `/api/v1/rule-sets/${KEY}/simulate`, { facts: aCase({ order: { freeShipping: true } }) }))
        .body.draft.firedRules,
    ).toContain(referringRule.name);
  });

  it("a condition nested 1 000 levels deep (`not` in `not`) is refused with 422 naming where, not a 500", async () => {
    let condition: unknown = freeShipping;
    for (let i = 0; i < 1000; i++) condition = { not: condition };
    const before = await draft();
    const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
      revision: before.revision,
      rules: [{ ...referringRule, conditions: { not: condition } }],
    });
    const problem = expectProblem(res, 422);
    expect(problem.errors![0]!.path).toMatch(/^rules\.0\.conditions(\.not)+$/);
    await expectHealthy();
  });

  it("a shared condition whose name breaks the schema is refused with 422 naming it, not a 500", async () => {
    const before = await draft();
    const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, {
      revision: before.revision,
      conditions: { Not_Kebab: { all: [] } },
      rules: before.rules,
    });
    expect(expectProblem(res, 422).errors).toEqual([
      { path: "conditions.Not_Kebab", code: "invalid_key", params: {}, message: expect.any(String) },
    ]);
  });

  it(`more than ${MAX_SHARED_CONDITIONS} shared conditions break the rule set schema`, () => {
    const conditions = Object.fromEntries(
      Array.from({ length: MAX_SHARED_CONDITIONS + 1 }, (_, i) => [`c-${i}`, { all: [] }]),
    );
    const parsed = RuleSetDefinition.safeParse({ defaults: {}, conditions, rules: [] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((issue) => issue.path.join("."))).toEqual(["conditions"]);
  });
});

describe("keys named like prototype members", () => {
  /** Sends the draft as written: a JS object literal would turn `__proto__` into a prototype instead of a key. */
  const rawDraft = (
    revision: number,
    parts: { rule?: string; params?: string; value?: string; defaults?: string; conditions?: string },
  ) =>
    `{"revision":${revision},${parts.defaults ? `"defaults":${parts.defaults},` : ""}${parts.conditions ? `"conditions":${parts.conditions},` : ""}"rules":[{"name":"free-shipping",${parts.rule ?? ""}"conditions":{"all":[{"fact":"order","path":"freeShipping","operator":"equal","value":${parts.value ?? "true"}}]},"event":{"type":"free-shipping","params":${parts.params ?? "{}"}}}]}`;

  it.each([
    ["in a rule", { rule: `"__proto__":{"enabled":false},` }, "rules.0.__proto__"],
    ["in event params", { params: `{"__proto__":{"returnShippingPayer":"seller"}}` }, "rules.0.event.params.__proto__"],
    ["in event params (constructor)", { params: `{"constructor":{"name":"x"}}` }, "rules.0.event.params.constructor"],
    ["in a leaf's value", { value: `{"fact":"order","prototype":"x"}` }, "rules.0.conditions.all.0.value.prototype"],
    ["in the defaults", { defaults: `{"__proto__":{"returnShippingPayer":"seller"}}` }, "defaults.__proto__"],
    ["as a shared condition's name (__proto__)", { conditions: `{"__proto__":{"all":[]}}` }, "conditions.__proto__"],
    [
      "as a shared condition's name (constructor)",
      { conditions: `{"constructor":{"all":[]}}` },
      "conditions.constructor",
    ],
    ["as a shared condition's name (prototype)", { conditions: `{"prototype":{"all":[]}}` }, "conditions.prototype"],
  ])("%s: refused with 422 naming the path, the draft unchanged", async (_, parts, path) => {
    const before = await draft();
    const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/draft`, rawDraft(before.revision, parts));
    const problem = expectProblem(res, 422);
    expect(problem.errors).toEqual([
      {
        path,
        code: "reserved_key",
        params: { key: path.split(".").pop() },
        message: expect.stringContaining("__proto__, constructor and prototype"),
      },
    ]);
    expect((await draft()).revision).toBe(before.revision);
  });

  it("in a test case's expectation or facts: refused with 422 naming the path", async () => {
    const expectation = await app.call(
      "PUT",
      `/api/v1/rule-sets/${KEY}/test-cases`,
      `{"testCases":[{"name":"x","facts":{},"expect":{"__proto__":{"returnShippingPayer":"seller"}}}]}`,
    );
    expect(expectProblem(expectation, 422).errors).toEqual([
      {
        path: "testCases.0.expect.__proto__",
        code: "reserved_key",
        params: { key: "__proto__" },
        message: expect.any(String),
      },
    ]);
    const facts = await app.call(
      "PUT",
      `/api/v1/rule-sets/${KEY}/test-cases`,
      `{"testCases":[{"name":"x","facts":{"order":{"constructor":1}},"expect":{}}]}`,
    );
    expect(expectProblem(facts, 422).errors).toEqual([
      {
        path: "testCases.0.facts.order.constructor",
        code: "reserved_key",
        params: { key: "constructor" },
        message: expect.any(String),
      },
    ]);
  });

  it.each([
    ["a test case's name", `{"testCases":[{"name":"paid\\u0000","facts":{},"expect":{}}]}`, "testCases.0.name"],
    [
      "a key of its facts",
      `{"testCases":[{"name":"x","facts":{"order":{"a\\u0000":1}},"expect":{}}]}`,
      "testCases.0.facts.order.a\u0000",
    ],
  ])(
    "U+0000 in %s: refused with 422 naming the path, on either database (PostgreSQL's text cannot hold it)",
    async (_, body, path) => {
      const before = await app.call("GET", `/api/v1/rule-sets/${KEY}/test-cases`);
      const res = await app.call("PUT", `/api/v1/rule-sets/${KEY}/test-cases`, body);
      expect(expectProblem(res, 422).errors).toEqual([
        { path, code: "nul_character", params: {}, message: expect.any(String) },
      ]);
      expect((await app.call("GET", `/api/v1/rule-sets/${KEY}/test-cases`)).body).toEqual(before.body);
    },
  );

  it("in the facts sent to the simulator: refused with 422 naming the path", async () => {
    const res = await app.call(
      "POST",
      `/api/v1/rule-sets/${KEY}/simulate`,
      `{"facts":{"order":{"__proto__":{"freeShipping":true}}}}`,
    );
    expect(expectProblem(res, 422).errors).toEqual([
      {
        path: "facts.order.__proto__",
        code: "reserved_key",
        params: { key: "__proto__" },
        message: expect.any(String),
      },
    ]);
  });
});
