import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { outcomeOf } from "../server/decision-log/decision-log.ts";
import { DeciderRegistry } from "../server/rule-sets/registry.ts";
import { kindModule, kindModules, ruleSetKindNames } from "../shared/kinds/index.ts";
import { fieldLabels, ruleSetLabels, valueLabels } from "../shared/labels.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * The registry of rule-set kinds (shared/kinds/) is the one list: every kind in it ships a rules file that publishes and
 * decides, the probes wait for every kind in it, and each module is whole (labels, outcomes, computed fields).
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type RulesFile = {
  key: string;
  rules: { description?: string }[];
  defaults: unknown;
  conditions: unknown;
  testCases: { name: string; facts: unknown; expect: Record<string, unknown> }[];
};

describe.each(ruleSetKindNames)("the registered kind %s", (key) => {
  const kind = kindModule(key);

  it("has a rules/<key>.json that publishes and decides", async () => {
    const path = `rules/${key}.json`;
    expect(existsSync(path), path).toBe(true);
    const file = JSON.parse(readFileSync(path, "utf8")) as RulesFile;
    expect(file.key).toBe(key);
    expect(file.testCases.length).toBeGreaterThan(0);

    // the file as a draft, one description changed so that it is a new version, published through the API
    const draft = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.draft;
    const rules = file.rules.map((rule, i) =>
      i === 0 ? { ...rule, description: `${rule.description ?? ""} (republished)` } : rule,
    );
    const saved = await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, {
      revision: draft.revision,
      rules,
      defaults: file.defaults,
      conditions: file.conditions,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, { note: "the rules file again" });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.unchanged).toBe(false);

    for (const testCase of file.testCases) {
      const decided = await app.decide(key, testCase.facts);
      expect(decided.status, `${testCase.name}: ${JSON.stringify(decided.body)}`).toBe(200);
      expect(decided.body.version).toBe(published.body.version);
      const decision = kind.decision.parse(decided.body.decision) as Record<string, unknown>;
      expect(decision, testCase.name).toMatchObject(testCase.expect);
      // the outcome the log stores is the module's, and the admin reads it back
      const outcome = outcomeOf(key, decision);
      expect(outcome).toBe(kind.outcome.write(decision));
      expect(kind.outcome.read(outcome), outcome).toBeDefined();
    }
  });

  it("sets by rules exactly the decision's fields the contract does not compute, and labels them all", () => {
    const decisionFields = Object.keys(kind.decision.shape);
    const paramFields = Object.keys((kind.params as z.ZodObject).shape);
    const computed = kind.computed.filter((field) => !field.includes("[]"));
    expect([...paramFields, ...computed].sort()).toEqual([...decisionFields].sort());
    expect(Object.keys((kind.defaults as z.ZodObject).shape).sort()).toEqual([...paramFields].sort());
    for (const list of Object.keys(kind.lists)) expect(decisionFields, list).toContain(list);
    for (const field of decisionFields) expect(kind.labels.fields[field], field).toBeDefined();
    expect(ruleSetLabels[key]).toEqual({ name: kind.labels.name, description: kind.labels.description });
  });

  it("names every value its decision can take, as the admin's labels show them", () => {
    const schema = JSON.stringify(z.toJSONSchema(kind.decision, { unrepresentable: "any" }));
    const enums = Array.from(schema.matchAll(/"enum":(\[[^\]]*\])/g)).flatMap(
      (match) => JSON.parse(match[1]!) as string[],
    );
    expect(enums.length).toBeGreaterThan(0);
    for (const value of enums) {
      expect(kind.labels.values[value], value).toBeDefined();
      expect(valueLabels[value]).toEqual(kind.labels.values[value]);
    }
    for (const [field, label] of Object.entries(kind.labels.fields)) expect(fieldLabels[field], field).toEqual(label);
  });

  it("reads back every outcome a search offers, and no other kind's", () => {
    for (const option of kind.outcome.options) {
      expect(kind.outcome.read(option), option).toBeDefined();
      for (const other of kindModules)
        if (other.key !== key) expect(other.outcome.read(option), `${other.key} reads ${option}`).toBeUndefined();
    }
  });
});

describe("/healthz and /readyz", () => {
  it("wait for exactly the registered kinds: each one missing makes both 503, and all loaded makes both 200", async () => {
    const registry = app.ctx.registry;
    expect([...registry.kinds.keys()]).toEqual([...ruleSetKindNames]);
    expect((await app.call("GET", "/healthz")).status).toBe(200);
    expect((await app.call("GET", "/readyz")).status).toBe(200);
    try {
      for (const missing of ruleSetKindNames) {
        // a registry that has every kind loaded but this one, as while starting
        const partial = new DeciderRegistry(registry.kinds, { load: async () => undefined, cacheSize: 1 });
        for (const key of ruleSetKindNames) {
          const active = registry.active(key)!;
          if (key !== missing)
            partial.install(key, [active.version], { version: active.version, definition: active.definition });
        }
        app.ctx.registry = partial;
        const health = await app.call("GET", "/healthz");
        expect(health.status, missing).toBe(503);
        expect(health.body).toEqual({ status: "starting" });
        const ready = await app.call("GET", "/readyz");
        expect(ready.status, missing).toBe(503);
        expect(ready.body.detail).toBe(`rule set "${missing}" is not loaded yet`);
      }
    } finally {
      app.ctx.registry = registry;
    }
    expect((await app.call("GET", "/healthz")).status).toBe(200);
    expect((await app.call("GET", "/readyz")).status).toBe(200);
  });
});

describe("the labels", () => {
  it("give a value two kinds share the same words in both", () => {
    const seen = new Map<string, unknown>();
    for (const kind of kindModules) {
      for (const [value, label] of Object.entries(kind.labels.values)) {
        if (seen.has(value)) expect(label, value).toEqual(seen.get(value));
        seen.set(value, label);
      }
    }
  });
});
