import { findFact, operatorsByKind, type FactEntry, type FactType } from "../../../shared/fact-catalog.ts";
import { isFactReference } from "../../../shared/fact-ref.ts";
import { halfWidth } from "../../../shared/numerals.ts";
import type { Condition, LeafCondition } from "../../../shared/rules.ts";

/**
 * What a condition's inputs start with and keep as its fact or operator changes, and the counts a
 * policy manager types; money and durations convert in shared/money.ts and shared/duration.ts.
 */

/** A whole number typed as text (full-width digits from a Chinese input method too), or undefined. */
export function parseCount(text: string): number | undefined {
  const trimmed = halfWidth(text).trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Facts grouped for the picker, in the catalog's order: 订单, 退款, 运费, 维权, 售后问题, 时间, 金额. */
export const factGroups = ["order", "refund", "shipping", "claim", "problem", "elapsed", "amount"] as const;

export function operatorsFor(type: FactType | undefined): readonly string[] {
  return type ? operatorsByKind[type.kind] : [];
}

export function isListOperator(operator: string): boolean {
  return operator === "in" || operator === "notIn";
}

/** The value a condition starts with when its fact or operator changes. */
export function initialValue(type: FactType, operator: string): unknown {
  switch (type.kind) {
    case "enum":
      return isListOperator(operator) ? [] : (type.values[0] ?? "");
    case "boolean":
      return true;
    case "money":
    case "count":
      return 0;
    case "duration":
      return "P7D";
  }
}

/** A condition on a newly picked fact: keeps the operator and value when they still fit. */
export function withFact(leaf: LeafCondition, entry: FactEntry): LeafCondition {
  const operators = operatorsFor(entry.type);
  const before = findFact(leaf.fact, leaf.path);
  const operator = operators.includes(leaf.operator) ? leaf.operator : operators[0]!;
  const sameKind = before !== undefined && before.type.kind === entry.type.kind && entry.type.kind !== "enum";
  const value = sameKind && operator === leaf.operator ? leaf.value : initialValue(entry.type, operator);
  return { ...leaf, fact: entry.fact, path: entry.path, operator, value };
}

/** A condition with a new operator: between one value and a list of values, the value carries over. */
export function withOperator(leaf: LeafCondition, operator: string): LeafCondition {
  const entry = findFact(leaf.fact, leaf.path);
  let value = leaf.value;
  if (entry?.type.kind === "enum" && !isFactReference(value)) {
    if (isListOperator(operator) && !Array.isArray(value))
      value = typeof value === "string" && value !== "" ? [value] : [];
    if (!isListOperator(operator) && Array.isArray(value)) value = value[0] ?? entry.type.values[0] ?? "";
  }
  return { ...leaf, operator, value };
}

/** The condition "添加条件" adds: no fact yet, so the person picks one rather than keeping a guess. */
export function blankCondition(): LeafCondition {
  return { fact: "", operator: "", value: null };
}

export type ConditionKind = "all" | "any" | "not" | "ref" | "leaf";

export function kindOf(condition: Condition): ConditionKind {
  if ("all" in condition) return "all";
  if ("any" in condition) return "any";
  if ("not" in condition) return "not";
  if ("condition" in condition) return "ref";
  return "leaf";
}
