import type { RuleInput } from "../../../shared/rules.ts";
import { evaluationOrder, priorityOf } from "./rule-order.ts";

/** The lowest and highest priority a rule may have (shared/rules.ts). */
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 1_000_000;
/** The gap left between a new first or last rule and its neighbour, as the shipped rules are spaced. */
const STEP = 10;

/** Where the manager puts a new rule: above or below a chosen rule, or at either end. */
export type Placement = { where: "above" | "below"; anchor: RuleInput } | { where: "top" | "bottom" };

/** A rule whose priority must change so that the new rule fits. */
export type Renumbering = { rule: RuleInput; from: number; to: number };

/** The new rule's priority, the rules to renumber for it (none when there is integer room) and its list index. */
export type PlacementPlan = {
  priority: number;
  renumber: Renumbering[];
  /** The index in the list (not the evaluation order) to insert the new rule at. */
  index: number;
  /** Its place in the evaluation order, 0 first. */
  position: number;
  /** The priorities of the rules it is evaluated between, when there are such rules. */
  after?: number;
  before?: number;
};

/**
 * How to add a rule at `placement`: a priority strictly between its neighbours' in evaluation order, so that it is
 * evaluated exactly there whatever the list order. When there is no integer between them, the rules that follow are
 * moved down one by one (the plan lists each change, for the manager to confirm); when even that leaves no room
 * above the lowest priority, every rule is spaced anew.
 */
export function planPlacement(rules: readonly RuleInput[], placement: Placement): PlacementPlan {
  const ordered = evaluationOrder(rules);
  let position = placement.where === "top" ? 0 : ordered.length;
  if ("anchor" in placement) position = ordered.indexOf(placement.anchor) + (placement.where === "above" ? 0 : 1);
  const previous = ordered[position - 1];
  const next = ordered[position];
  const high = previous === undefined ? undefined : priorityOf(previous);
  const low = next === undefined ? undefined : priorityOf(next);
  // in the list right after the rule evaluated before it, so that equal priorities would keep the same order
  const index = previous === undefined ? 0 : rules.indexOf(previous) + 1;
  const bounds = { ...(high === undefined ? {} : { after: high }), ...(low === undefined ? {} : { before: low }) };
  const plain = (priority: number): PlacementPlan => ({ priority, renumber: [], index, position, ...bounds });

  if (high === undefined && low === undefined) return plain(100);
  if (high === undefined) {
    if (low! < MAX_PRIORITY) return plain(Math.min(MAX_PRIORITY, low! + STEP));
  } else if (low === undefined) {
    if (high > MIN_PRIORITY) return plain(Math.max(MIN_PRIORITY, high - STEP));
  } else if (high - low >= 2) {
    return plain(Math.floor((high + low) / 2));
  }

  // no integer room: the new rule takes the priority just under the one before it, the following rules step down
  const priority = high === undefined ? MAX_PRIORITY : high - 1;
  const renumber: Renumbering[] = [];
  let limit = priority;
  for (const rule of ordered.slice(position)) {
    const from = priorityOf(rule);
    const to = from < limit ? from : limit - 1;
    if (to < MIN_PRIORITY) return respaced(ordered, position, index, bounds);
    if (to !== from) renumber.push({ rule, from, to });
    limit = to;
  }
  return { priority, renumber, index, position, ...bounds };
}

/** Every rule spaced by STEP from the top, the new one at its place: the last resort when the bottom is full. */
function respaced(
  ordered: readonly RuleInput[],
  position: number,
  index: number,
  bounds: { after?: number; before?: number },
): PlacementPlan {
  const count = ordered.length + 1;
  const step = Math.max(1, Math.min(STEP, Math.floor((MAX_PRIORITY - MIN_PRIORITY) / count)));
  const at = (place: number) => MIN_PRIORITY + (count - 1 - place) * step;
  const renumber: Renumbering[] = [];
  ordered.forEach((rule, place) => {
    const to = at(place < position ? place : place + 1);
    if (to !== priorityOf(rule)) renumber.push({ rule, from: priorityOf(rule), to });
  });
  return { priority: at(position), renumber, index, position, ...bounds };
}
