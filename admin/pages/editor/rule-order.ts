import type { RuleInput } from "../../../shared/rules.ts";

/**
 * The evaluation order is the order the list shows: priority high to low, then list order (as
 * the engine sorts them, server/engine/compile.ts). Moving a rule swaps it with its neighbour in
 * that order — both their priorities and their places in the list — so what the person sees is
 * what the engine does, and no other rule moves.
 */

export const priorityOf = (rule: Pick<RuleInput, "priority">): number => rule.priority ?? 1;

/** The rules in evaluation order; the same objects, so a keyed list keeps its rows. */
export function evaluationOrder<T extends Pick<RuleInput, "priority">>(rules: readonly T[]): T[] {
  // Array.prototype.sort is stable: equal priorities keep their list order
  return [...rules].sort((a, b) => priorityOf(b) - priorityOf(a));
}

export type Move = { from: number; to: number; fromPriority: number; toPriority: number };

/**
 * How to move `rule` one place up (-1) or down (+1) in evaluation order: the two list indexes to
 * swap, and the priority each gets. Undefined at either end.
 */
export function planMove(rules: readonly RuleInput[], rule: RuleInput, direction: -1 | 1): Move | undefined {
  const ordered = evaluationOrder(rules);
  const position = ordered.indexOf(rule);
  const neighbour = ordered[position + direction];
  if (position < 0 || neighbour === undefined) return undefined;
  return {
    from: rules.indexOf(rule),
    to: rules.indexOf(neighbour),
    fromPriority: priorityOf(neighbour),
    toPriority: priorityOf(rule),
  };
}

/** Applies a move to a plain list: the rule at `from` takes `to`'s place and priority, and back. */
export function applyMove(rules: RuleInput[], move: Move): void {
  const moving = rules[move.from]!;
  const other = rules[move.to]!;
  moving.priority = move.fromPriority;
  other.priority = move.toPriority;
  rules[move.from] = other;
  rules[move.to] = moving;
}

/** `base`, or `base-2`, `base-3`… whichever no rule has yet. */
export function uniqueName(base: string, rules: readonly Pick<RuleInput, "name">[]): string {
  const taken = new Set(rules.map((rule) => rule.name));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

/**
 * A new rule, evaluated after every existing one: the person then moves it up or sets its
 * priority. Its condition has no fact yet, so nothing is guessed for them.
 */
export function newRule(rules: readonly RuleInput[]): RuleInput {
  const lowest = rules.length === 0 ? 110 : Math.min(...rules.map(priorityOf));
  const name = uniqueName("new-rule", rules);
  return {
    name,
    description: "",
    priority: Math.max(1, lowest - 10),
    enabled: true,
    conditions: { all: [{ fact: "", operator: "", value: null }] },
    event: { type: name, params: {} },
  };
}

/** A copy, evaluated right after the original (same priority, next in the list). */
export function duplicateOf(rule: RuleInput, rules: readonly RuleInput[]): RuleInput {
  // a JSON round trip, not structuredClone: the rule may be a store proxy, which cannot be cloned
  const copy = JSON.parse(JSON.stringify(rule)) as RuleInput;
  copy.name = uniqueName(`${rule.name}-copy`, rules);
  if (rule.event.type === rule.name) copy.event.type = copy.name;
  return copy;
}
