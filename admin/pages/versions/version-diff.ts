import stringify from "safe-stable-stringify";
import { factKey } from "../../../shared/fact-ref.ts";
import type { Condition, Invariant, Rule, RuleInput, TopLevelCondition } from "../../../shared/rules.ts";
import { diffInvariants, type InvariantDiff } from "./invariant-diff.ts";

/**
 * What changed between two rule set definitions (two versions, or the draft and the active
 * version), in the terms a policy manager thinks in: which rules were added, removed, changed or
 * moved in evaluation order; inside a changed rule, which condition and which outcome field.
 * Pure data, no UI: version-diff-view.tsx renders it.
 */

/** The part of a version or draft that decides: rules, shared conditions, defaults. */
export type Definition = {
  defaults: Record<string, unknown>;
  conditions: Record<string, TopLevelCondition>;
  rules: readonly (Rule | RuleInput)[];
  invariants?: readonly Invariant[] | undefined;
};

/** One field of an outcome or of the defaults, keyed by the decision field it sets. */
export type FieldChange = { field: string; change: "added" | "removed" | "changed"; before?: unknown; after?: unknown };

export type Change<T> = { before: T; after: T };

export type GroupKind = "all" | "any";

/**
 * A condition tree with both sides merged: unchanged subtrees kept whole for context, leaves
 * added, removed or changed, groups diffed child by child (their kind may change: all ↔ any).
 */
export type ConditionDiff =
  | { kind: "same"; condition: Condition }
  | { kind: "added"; condition: Condition }
  | { kind: "removed"; condition: Condition }
  | { kind: "changed"; before: Condition; after: Condition }
  | { kind: "group"; before: GroupKind; after: GroupKind; children: ConditionDiff[] }
  | { kind: "not"; child: ConditionDiff };

/** A rule's position among all rules in evaluation order, counted from 1. */
export type Moved = { from: number; to: number };

type RuleSide = { rule: Rule; position: number };

export type RuleDiff =
  | ({ status: "added" } & RuleSide & { name: string })
  | ({ status: "removed" } & RuleSide & { name: string })
  | {
      /** `moved`: only the evaluation order changed; `changed`: the rule itself changed (and may have moved too). */
      status: "changed" | "moved" | "unchanged";
      name: string;
      before: Rule;
      after: Rule;
      description?: Change<string>;
      title?: Change<string | undefined>;
      validFrom?: Change<string | undefined>;
      validUntil?: Change<string | undefined>;
      priority?: Change<number>;
      enabled?: Change<boolean>;
      eventType?: Change<string>;
      /** Absent when the conditions are the same. */
      conditions?: ConditionDiff;
      outcome: FieldChange[];
      moved?: Moved;
    };

export type SharedConditionDiff =
  | { status: "added"; name: string; condition: TopLevelCondition }
  | { status: "removed"; name: string; condition: TopLevelCondition }
  | { status: "changed"; name: string; diff: ConditionDiff };

export type RuleCounts = Record<RuleDiff["status"], number>;

export type VersionDiff = {
  /** In the right side's evaluation order; a removed rule stands after the rule it followed. */
  rules: RuleDiff[];
  defaults: FieldChange[];
  conditions: SharedConditionDiff[];
  invariants: InvariantDiff[];
  counts: RuleCounts;
  /** True when nothing a decision depends on, nor any description, differs. */
  identical: boolean;
};

const same = (a: unknown, b: unknown) => stringify(a) === stringify(b);

/** A rule with the schema's defaults filled in, so that an omitted field equals its default. */
function normalized(rule: Rule | RuleInput): Rule {
  return {
    name: rule.name,
    description: rule.description ?? "",
    priority: rule.priority ?? 1,
    enabled: rule.enabled ?? true,
    // an input rule's conditions are typed `unknown` by zod; both sides were validated by the server
    conditions: rule.conditions as TopLevelCondition,
    event: { type: rule.event.type, params: rule.event.params ?? {} },
    ...(rule.title === undefined ? {} : { title: rule.title }),
    ...(rule.validFrom === undefined ? {} : { validFrom: rule.validFrom }),
    ...(rule.validUntil === undefined ? {} : { validUntil: rule.validUntil }),
  };
}

/** The rules in the order the engine takes them: priority high to low, then list order. */
export function evaluationOrder(rules: readonly (Rule | RuleInput)[]): Rule[] {
  return rules
    .map((rule, index) => ({ rule: normalized(rule), index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => rule);
}

/** Field-by-field comparison of two records (an outcome's params, or the defaults). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    if (!(field in before)) changes.push({ field, change: "added", after: value });
    else if (!same(before[field], value))
      changes.push({ field, change: "changed", before: before[field], after: value });
  }
  for (const [field, value] of Object.entries(before))
    if (!(field in after)) changes.push({ field, change: "removed", before: value });
  return changes;
}

/**
 * The index pairs [i, j] of a common subsequence of `a` and `b` under `equal` with the greatest
 * total `weight` (by default: the longest one).
 */
function commonSubsequence<T>(
  a: readonly T[],
  b: readonly T[],
  equal: (x: T, y: T) => boolean,
  weight: (x: T) => number = () => 1,
): [number, number][] {
  const best = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) {
      const skip = Math.max(best[i + 1]![j]!, best[i]![j + 1]!);
      best[i]![j] = equal(a[i]!, b[j]!) ? Math.max(skip, weight(a[i]!) + best[i + 1]![j + 1]!) : skip;
    }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (equal(a[i]!, b[j]!) && best[i]![j] === weight(a[i]!) + best[i + 1]![j + 1]!) pairs.push([i++, j++]);
    else if (best[i + 1]![j]! >= best[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** Which child on the other side a condition may be "the same condition, changed": same fact, or same kind of group. */
function identity(condition: Condition): string {
  if ("all" in condition || "any" in condition) return "group";
  if ("not" in condition) return "not";
  if ("condition" in condition) return `ref:${condition.condition}`;
  return `fact:${factKey(condition.fact, condition.path)}`;
}

/** Diffs two children lists: equal children anchor the alignment, similar ones between anchors pair up as changes. */
function diffChildren(before: readonly Condition[], after: readonly Condition[]): ConditionDiff[] {
  const anchors = [...commonSubsequence(before, after, same), [before.length, after.length] as [number, number]];
  const out: ConditionDiff[] = [];
  let i = 0;
  let j = 0;
  for (const [ai, bj] of anchors) {
    const left = before.slice(i, ai);
    const right = after.slice(j, bj);
    const pairedWith = new Map<number, number>(); // right index → left index
    const used = new Set<number>();
    right.forEach((condition, r) => {
      const l = left.findIndex((candidate, index) => !used.has(index) && identity(candidate) === identity(condition));
      if (l >= 0) {
        used.add(l);
        pairedWith.set(r, l);
      }
    });
    let nextLeft = 0;
    const flushRemoved = (upTo: number) => {
      for (; nextLeft < upTo; nextLeft++)
        if (!used.has(nextLeft)) out.push({ kind: "removed", condition: left[nextLeft]! });
    };
    right.forEach((condition, r) => {
      const l = pairedWith.get(r);
      if (l === undefined) out.push({ kind: "added", condition });
      else {
        flushRemoved(l);
        out.push(diffCondition(left[l]!, condition));
      }
    });
    flushRemoved(left.length);
    if (ai < before.length) out.push({ kind: "same", condition: before[ai]! });
    i = ai + 1;
    j = bj + 1;
  }
  return out;
}

/** Diffs two condition trees (a rule's, or a shared condition's). */
export function diffCondition(
  before: Condition | TopLevelCondition,
  after: Condition | TopLevelCondition,
): ConditionDiff {
  if (same(before, after)) return { kind: "same", condition: after };
  const groupOf = (c: Condition): [GroupKind, Condition[]] | undefined =>
    "all" in c ? ["all", c.all] : "any" in c ? ["any", c.any] : undefined;
  const left = groupOf(before);
  const right = groupOf(after);
  if (left && right)
    return { kind: "group", before: left[0], after: right[0], children: diffChildren(left[1], right[1]) };
  if ("not" in before && "not" in after) return { kind: "not", child: diffCondition(before.not, after.not) };
  return { kind: "changed", before, after };
}

/** Whether a condition diff holds any change (a `same` node holds none). */
export function conditionChanged(diff: ConditionDiff): boolean {
  return diff.kind !== "same";
}

function diffRule(before: Rule, after: Rule, moved: Moved | undefined): RuleDiff {
  const change = <T>(a: T, b: T) => (same(a, b) ? undefined : { before: a, after: b });
  const conditions = diffCondition(before.conditions, after.conditions);
  const diff = {
    name: after.name,
    before,
    after,
    description: change(before.description, after.description),
    title: change(before.title, after.title),
    validFrom: change(before.validFrom, after.validFrom),
    validUntil: change(before.validUntil, after.validUntil),
    priority: change(before.priority, after.priority),
    enabled: change(before.enabled, after.enabled),
    eventType: change(before.event.type, after.event.type),
    conditions: conditionChanged(conditions) ? conditions : undefined,
    outcome: diffFields(before.event.params, after.event.params),
    moved,
  };
  const changed =
    diff.description ||
    diff.title ||
    diff.validFrom ||
    diff.validUntil ||
    diff.priority ||
    diff.enabled ||
    diff.eventType ||
    diff.conditions ||
    diff.outcome.length > 0;
  return { ...diff, status: changed ? "changed" : moved ? "moved" : "unchanged" };
}

function diffRules(beforeRules: Definition["rules"], afterRules: Definition["rules"]): RuleDiff[] {
  const left = evaluationOrder(beforeRules);
  const right = evaluationOrder(afterRules);
  const leftByName = new Map(left.map((rule, index) => [rule.name, { rule, position: index + 1 }]));
  const rightNames = new Set(right.map((rule) => rule.name));
  // A rule kept on both sides "moved" when it is not part of the longest run of kept rules
  // whose relative order stayed the same: the fewest rules that explain the new order. Among
  // equally long runs, the one keeping most rules whose priority did not change wins, so that a
  // rule raised above another is the one reported as moved, not the one it overtook.
  const keptLeft = left.filter((rule) => rightNames.has(rule.name)).map((rule) => rule.name);
  const keptRight = right.filter((rule) => leftByName.has(rule.name)).map((rule) => rule.name);
  const priorityKept = new Set(
    right.filter((rule) => leftByName.get(rule.name)?.rule.priority === rule.priority).map((rule) => rule.name),
  );
  const scale = keptLeft.length + 1;
  const weight = (name: string) => scale + (priorityKept.has(name) ? 1 : 0);
  const inOrder = new Set(commonSubsequence(keptLeft, keptRight, (a, b) => a === b, weight).map(([i]) => keptLeft[i]!));

  const diffs = new Map<string, RuleDiff>();
  right.forEach((rule, index) => {
    const old = leftByName.get(rule.name);
    if (!old) {
      diffs.set(rule.name, { status: "added", name: rule.name, rule, position: index + 1 });
      return;
    }
    const moved = inOrder.has(rule.name) ? undefined : { from: old.position, to: index + 1 };
    diffs.set(rule.name, diffRule(old.rule, rule, moved));
  });
  // Removed rules are placed after the nearest earlier rule that still exists (or first).
  const ordered: RuleDiff[] = right.map((rule) => diffs.get(rule.name)!);
  let anchor = -1;
  left.forEach((rule, index) => {
    if (rightNames.has(rule.name)) {
      anchor = ordered.findIndex((d) => d.name === rule.name);
      return;
    }
    ordered.splice(++anchor, 0, { status: "removed", name: rule.name, rule, position: index + 1 });
  });
  return ordered;
}

function diffSharedConditions(
  before: Definition["conditions"],
  after: Definition["conditions"],
): SharedConditionDiff[] {
  const out: SharedConditionDiff[] = [];
  for (const [name, condition] of Object.entries(after)) {
    const old = before[name];
    if (old === undefined) out.push({ status: "added", name, condition });
    else if (!same(old, condition)) out.push({ status: "changed", name, diff: diffCondition(old, condition) });
  }
  for (const [name, condition] of Object.entries(before))
    if (!(name in after)) out.push({ status: "removed", name, condition });
  return out;
}

/** Everything that differs from `before` to `after`. */
export function diffDefinitions(before: Definition, after: Definition): VersionDiff {
  const rules = diffRules(before.rules, after.rules);
  const defaults = diffFields(before.defaults, after.defaults);
  const conditions = diffSharedConditions(before.conditions ?? {}, after.conditions ?? {});
  const counts: RuleCounts = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 };
  for (const rule of rules) counts[rule.status]++;
  const invariants = diffInvariants(before.invariants, after.invariants);
  const identical =
    counts.unchanged === rules.length && defaults.length === 0 && conditions.length === 0 && invariants.length === 0;
  return { rules, defaults, conditions, invariants, counts, identical };
}
