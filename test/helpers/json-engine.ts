import { Engine, Operator, type RuleProperties, type RuleResult } from "json-rules-engine";
import type { RuleFacts } from "../../server/engine/derive-facts.ts";
import { durationMs } from "../../shared/duration.ts";
import { countedValue, type PeriodClock } from "../../shared/periods.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";

/**
 * Plain dotted paths only (`status`, `items.0.id`): no JSONPath, so a rule can only read what the
 * fact catalog names, and reading never runs an expression.
 */
export function resolveDottedPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/**
 * Elapsed-time operators: the fact is milliseconds since a moment, the value an ISO duration (elapsed time), or the
 * object form naming how the period is counted from that moment (now − elapsed), with the run's clock.
 */
function durationOperator(beyond: boolean) {
  return (elapsed: number, duration: unknown, clock: PeriodClock | undefined): boolean => {
    if (typeof duration === "string") {
      const ms = durationMs(duration) ?? Number.NaN;
      return beyond ? elapsed > ms : elapsed <= ms;
    }
    const counted = countedValue(duration);
    if (counted === undefined || clock === undefined) return false;
    return clock.compare(elapsed, counted, beyond);
  };
}
export const durationOperators = { withinDuration: durationOperator(false), beyondDuration: durationOperator(true) };

/**
 * The clock of each engine's run under way: json-rules-engine's operators see only the fact's value and the rule's, so
 * the run's moment and calendar are the engine's, set by runEngine before each run (runs on one engine take turns).
 */
const clocks = new WeakMap<Engine, PeriodClock | undefined>();

/** One fired or failed rule, as the engine reports it. */
export type EngineRun = { fired: RuleResult[]; failed: RuleResult[] };

type RuleWindow = Pick<RuleSetDefinition["rules"][number], "validFrom" | "validUntil">;

/**
 * The product's reading of a rule's validity window, written out on its own (the compiled rules
 * keep theirs in compile.ts): the rule is considered only when `validFrom <= now < validUntil`,
 * either bound absent meaning open.
 */
export function inWindow(rule: RuleWindow, nowMs: number): boolean {
  return (
    (rule.validFrom === undefined || Date.parse(rule.validFrom) <= nowMs) &&
    (rule.validUntil === undefined || nowMs < Date.parse(rule.validUntil))
  );
}

/**
 * A json-rules-engine `Engine` for one published definition, built once. Each run gets its own
 * almanac from the engine, and every fact is resolved before the run starts (no async facts, no
 * `stop()`). Runs on one engine still take turns (`runEngine`): the engine's run status is shared.
 *
 * json-rules-engine knows no validity windows: the engine holds the rules applicable at `nowMs`
 * (default: the clock), as if the others were not in the rule set. A definition with windows needs
 * an engine per moment that changes which rules apply: `engineAt`.
 */
export function buildEngine(definition: RuleSetDefinition, nowMs = Date.now()): Engine {
  const engine = new Engine([], {
    allowUndefinedFacts: true,
    allowUndefinedConditions: false,
    pathResolver: resolveDottedPath,
  });
  for (const [name, evaluate] of Object.entries(durationOperators)) {
    engine.addOperator(
      new Operator<number, unknown>(
        name,
        (elapsed, duration) => evaluate(elapsed, duration, clocks.get(engine)),
        isNumber as (value: number) => boolean,
      ),
    );
  }
  for (const [name, condition] of Object.entries(definition.conditions)) {
    engine.setCondition(name, condition as never);
  }
  for (const rule of definition.rules) {
    if (!rule.enabled || !inWindow(rule, nowMs)) continue;
    const properties: RuleProperties = {
      name: rule.name,
      priority: rule.priority,
      conditions: rule.conditions as RuleProperties["conditions"],
      event: { type: rule.event.type, params: rule.event.params },
    };
    engine.addRule(properties);
  }
  return engine;
}

const enginesAt = new WeakMap<RuleSetDefinition, Map<string, Engine>>();

/** `buildEngine(definition, nowMs)`, one engine per set of applicable rules, kept as long as the definition. */
export function engineAt(definition: RuleSetDefinition, nowMs: number): Engine {
  const engines = enginesAt.get(definition) ?? enginesAt.set(definition, new Map()).get(definition)!;
  const applicable = definition.rules.map((rule) => (inWindow(rule, nowMs) ? "1" : "0")).join("");
  return engines.get(applicable) ?? engines.set(applicable, buildEngine(definition, nowMs)).get(applicable)!;
}

/**
 * json-rules-engine keeps one `status` per Engine: the run that ends marks the engine FINISHED, and
 * a run still going on the same engine then skips its remaining priority levels without a word
 * (those rules are in neither its results nor its failures). So the runs of one engine take turns;
 * a run is nothing but microtasks once its facts are resolved, so taking turns costs no throughput.
 */
const lastRun = new WeakMap<Engine, Promise<unknown>>();

export async function runEngine(engine: Engine, facts: RuleFacts, clock?: PeriodClock): Promise<EngineRun> {
  const run = (lastRun.get(engine) ?? Promise.resolve()).then(() => {
    clocks.set(engine, clock);
    return engine.run(facts);
  });
  lastRun.set(
    engine,
    run.catch(() => undefined),
  );
  const { results, failureResults } = await run;
  return { fired: results, failed: failureResults };
}

/**
 * The reference evaluation: json-rules-engine itself, with the product's fold order (priority
 * high to low, then list order), of the rules `engine` holds (see buildEngine). Used by the
 * differential test and the benchmark, never on the decision path.
 */
export async function referenceFirings(
  engine: Engine,
  definition: RuleSetDefinition,
  facts: RuleFacts,
  clock?: PeriodClock,
) {
  const order = new Map<string, number>();
  definition.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => rule.enabled)
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .forEach(({ rule }, position) => {
      order.set(rule.name, position);
    });
  const { fired, failed } = await runEngine(engine, facts, clock);
  const inOrder = (results: RuleResult[]) => [...results].sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  return {
    firings: inOrder(fired).map((result) => ({
      name: result.name,
      params: (result.event?.params ?? {}) as Record<string, unknown>,
    })),
    results: inOrder([...fired, ...failed]),
  };
}
