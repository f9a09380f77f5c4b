import type { Engine, RuleResult } from "json-rules-engine";
import type { CaseFacts } from "../../shared/case-facts.ts";
import type { RuleSetKind } from "../../shared/outputs.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { deriveFacts } from "./derive-facts.ts";
import { completeDecision, foldFirings, type Firing } from "./fold.ts";
import { buildEngine, runEngine } from "./json-engine.ts";

export type Decided = {
  decision: Record<string, unknown>;
  firedRules: string[];
  trace?: TraceEntry[];
};

/** One rule in a trace: whether it fired, and each condition with the value it saw and its result. */
export type TraceEntry = { rule: string; priority: number; fired: boolean; conditions: unknown };

/**
 * A published (or draft) rule set made ready to decide: its engine is built once, and every
 * decision only derives facts, runs and folds. Nothing here touches the database.
 */
export class Decider {
  readonly #engine: Engine;
  /** Evaluation order of each enabled rule: priority high to low, then list order. */
  readonly #order: Map<string, number>;

  constructor(
    readonly kind: RuleSetKind,
    readonly version: number,
    readonly definition: RuleSetDefinition,
  ) {
    this.#engine = buildEngine(definition);
    const enabled = definition.rules.map((rule, index) => ({ rule, index })).filter(({ rule }) => rule.enabled);
    enabled.sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index);
    this.#order = new Map(enabled.map(({ rule }, position) => [rule.name, position]));
  }

  async decide(facts: CaseFacts, options: { trace: boolean; nowMs: number }): Promise<Decided> {
    const ruleFacts = deriveFacts(facts, options.nowMs);
    const { fired, failed } = await runEngine(this.#engine, ruleFacts);
    const firedInOrder = this.#inOrder(fired);
    const firings: Firing[] = firedInOrder.map((result) => ({ name: result.name, params: result.event?.params ?? {} }));
    const folded = foldFirings(this.kind, this.definition.defaults, firings);
    const decision = completeDecision(this.kind, folded, facts, ruleFacts);
    const decided: Decided = { decision, firedRules: firings.map((f) => f.name) };
    if (options.trace) decided.trace = this.#inOrder([...fired, ...failed]).map(traceEntry);
    return decided;
  }

  #inOrder(results: RuleResult[]): RuleResult[] {
    const position = (result: RuleResult) => this.#order.get(result.name) ?? Number.MAX_SAFE_INTEGER;
    return [...results].sort((a, b) => position(a) - position(b));
  }
}

function traceEntry(result: RuleResult): TraceEntry {
  return { rule: result.name, priority: result.priority ?? 1, fired: Boolean(result.result), conditions: traceCondition(result.toJSON(false).conditions) };
}

/** The engine's condition tree, reduced to what a person reads: fact, operator, value, seen value, result. */
function traceCondition(node: unknown): unknown {
  if (node === null || typeof node !== "object") return node;
  const c = node as Record<string, unknown>;
  for (const group of ["all", "any"] as const) {
    if (Array.isArray(c[group])) return { [group]: c[group].map(traceCondition), ...resultOf(c) };
  }
  if (c.not !== undefined) return { not: traceCondition(c.not), ...resultOf(c) };
  if (typeof c.condition === "string") return { condition: c.condition, ...resultOf(c) };
  return {
    fact: c.fact,
    ...(c.path === undefined ? {} : { path: c.path }),
    operator: c.operator,
    value: c.value,
    factValue: c.factResult,
    ...(c.valueResult !== undefined && c.valueResult !== c.value ? { valueSeen: c.valueResult } : {}),
    ...resultOf(c),
  };
}

function resultOf(c: Record<string, unknown>) {
  return c.result === undefined ? { evaluated: false } : { result: c.result };
}
