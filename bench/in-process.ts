import { readFileSync } from "node:fs";
import { TEST_PERIODS } from "../test/helpers/periods.ts";
import { CompiledRuleSet } from "../server/engine/compile.ts";
import { Decider } from "../server/engine/decider.ts";
import { deriveFacts, type RuleFacts } from "../server/engine/derive-facts.ts";
import { buildEngine, runEngine } from "../test/helpers/json-engine.ts";
import type { CaseFacts } from "../shared/case-facts.ts";
import { ruleSetKindNames, type RuleSetKind } from "../shared/outputs.ts";
import { RuleSetDefinition } from "../shared/rules.ts";
import { caseMix, nowOf } from "./cases.ts";
import { generateRuleSet } from "./generate-rules.ts";
import { measureAsync, measureSync, median, type Throughput } from "./measure.ts";

export type DefaultRuleSetResult = {
  ruleSet: RuleSetKind;
  rules: number;
  cases: number;
  json: Throughput;
  compiled: Throughput;
  decide: Throughput;
  /** compiled.fire ÷ json-rules-engine, evaluations per second. */
  ratio: number;
};

export type GeneratedRuleSetResult = {
  rules: number;
  enabledRules: number;
  /** Rules fired per decision, on average over the case mix. */
  meanFired: number;
  /** The first `new CompiledRuleSet(def)` in this process, and the median of the following ones. */
  compileColdMs: number;
  compileMedianMs: number;
  compiled: Throughput;
  decide: Throughput;
  json: Throughput | { skipped: string };
  ratio: number | undefined;
};

export type InProcessOptions = {
  seconds: number;
  warmupSeconds: number;
  cases: number;
  jsonBudgetSeconds: number;
  log: (line: string) => void;
};

type Prepared = { facts: CaseFacts; nowMs: number; ruleFacts: RuleFacts };

function prepare(cases: readonly CaseFacts[]): Prepared[] {
  return cases.map((facts) => ({ facts, nowMs: nowOf(facts), ruleFacts: deriveFacts(facts, nowOf(facts)) }));
}

function loadDefinition(kind: RuleSetKind): RuleSetDefinition {
  const file = JSON.parse(readFileSync(new URL(`../rules/${kind}.json`, import.meta.url), "utf8"));
  return RuleSetDefinition.parse({ defaults: file.defaults, conditions: file.conditions, rules: file.rules });
}

/** (a) json-rules-engine vs the compiled closures on each default rule set, and the whole Decider. */
export async function benchDefaultRuleSets(options: InProcessOptions): Promise<DefaultRuleSetResult[]> {
  const results: DefaultRuleSetResult[] = [];
  for (const kind of ruleSetKindNames) {
    const definition = loadDefinition(kind);
    const cases = prepare(caseMix(kind, options.cases));
    const n = cases.length;
    const engine = buildEngine(definition);
    const compiled = new CompiledRuleSet(definition);
    const decider = new Decider(kind, 1, definition);

    const json = await measureAsync(
      async (i) => (await runEngine(engine, cases[i % n]!.ruleFacts)).fired.length,
      options.seconds,
      options.warmupSeconds,
    );
    const fast = measureSync(
      (i) => compiled.fire(cases[i % n]!.ruleFacts).length,
      options.seconds,
      options.warmupSeconds,
    );
    const decide = measureSync(
      (i) => {
        const c = cases[i % n]!;
        return decider.decide(c.facts, { trace: false, nowMs: c.nowMs, periods: TEST_PERIODS }).firedRules.length;
      },
      options.seconds,
      options.warmupSeconds,
    );
    const result = {
      ruleSet: kind,
      rules: definition.rules.length,
      cases: n,
      json,
      compiled: fast,
      decide,
      ratio: fast.opsPerSec / json.opsPerSec,
    };
    options.log(
      `  ${kind}: json-rules-engine ${fmt(json.opsPerSec)}/s, compiled ${fmt(fast.opsPerSec)}/s (${result.ratio.toFixed(0)}×), Decider.decide ${fmt(decide.opsPerSec)}/s`,
    );
    results.push(result);
  }
  return results;
}

/** (a) Generated rule sets: compile time, compiled and Decider throughput, json-rules-engine when it fits the budget. */
export async function benchGeneratedRuleSet(count: number, options: InProcessOptions): Promise<GeneratedRuleSetResult> {
  const definition = generateRuleSet(count);
  const cases = prepare(caseMix("refund-eligibility", options.cases));
  const n = cases.length;

  let started = performance.now();
  let compiled = new CompiledRuleSet(definition);
  const compileColdMs = performance.now() - started;
  const repeats: number[] = [];
  for (let i = 0; i < 5; i++) {
    started = performance.now();
    compiled = new CompiledRuleSet(definition);
    repeats.push(performance.now() - started);
  }
  const decider = new Decider("refund-eligibility", 1, definition);
  const meanFired = cases.reduce((sum, c) => sum + compiled.fire(c.ruleFacts).length, 0) / n;

  const fast = measureSync(
    (i) => compiled.fire(cases[i % n]!.ruleFacts).length,
    options.seconds,
    options.warmupSeconds,
  );
  const decide = measureSync(
    (i) => {
      const c = cases[i % n]!;
      return decider.decide(c.facts, { trace: false, nowMs: c.nowMs, periods: TEST_PERIODS }).firedRules.length;
    },
    options.seconds,
    options.warmupSeconds,
  );

  let json: GeneratedRuleSetResult["json"];
  const engine = buildEngine(definition);
  started = performance.now();
  await runEngine(engine, cases[0]!.ruleFacts);
  const firstRunSeconds = (performance.now() - started) / 1000;
  // warm-up plus the measured window plus at least three runs must fit the budget
  const projected = firstRunSeconds * 4 + options.warmupSeconds + options.seconds;
  if (projected > options.jsonBudgetSeconds) {
    json = {
      skipped: `one evaluation took ${firstRunSeconds.toFixed(1)} s; a measurement would exceed the ${options.jsonBudgetSeconds} s budget`,
    };
  } else {
    json = await measureAsync(
      async (i) => (await runEngine(engine, cases[i % n]!.ruleFacts)).fired.length,
      options.seconds,
      options.warmupSeconds,
      3,
    );
  }
  const result: GeneratedRuleSetResult = {
    rules: count,
    enabledRules: compiled.rules.length,
    meanFired,
    compileColdMs,
    compileMedianMs: median(repeats),
    compiled: fast,
    decide,
    json,
    ratio: "opsPerSec" in json ? fast.opsPerSec / json.opsPerSec : undefined,
  };
  options.log(
    `  ${count} generated rules (${Math.round(meanFired)} fire per decision): compile ${compileColdMs.toFixed(1)} ms cold / ${result.compileMedianMs.toFixed(1)} ms median, ` +
      `compiled ${(1e6 / fast.opsPerSec).toFixed(1)} µs, Decider.decide ${(1e6 / decide.opsPerSec).toFixed(1)} µs, ` +
      ("opsPerSec" in json
        ? `json-rules-engine ${(1e3 / json.opsPerSec).toFixed(2)} ms (${result.ratio!.toFixed(0)}×)`
        : `json-rules-engine skipped: ${json.skipped}`),
  );
  return result;
}

export const fmt = (value: number) => (value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1));
