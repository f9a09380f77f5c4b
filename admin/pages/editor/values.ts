import { findFact, operatorsByKind, type FactEntry, type FactType } from "../../../shared/fact-catalog.ts";
import type { Condition, LeafCondition } from "../../../shared/rules.ts";

/**
 * The conversions between what a policy manager types and what a rule stores: yuan ↔ fen, a
 * number and a unit ↔ an ISO 8601 duration, and the value a condition starts with for its fact.
 */

const YUAN = /^(\d{1,13})(?:\.(\d{0,2}))?$/;

/**
 * "12.34" → 1234 fen, exactly: the digits are joined as text, never multiplied as floats
 * (12.34 × 100 is 1233.9999999999998). Answers undefined for anything that is not a
 * non-negative amount with at most two decimals; "¥", spaces and thousands commas are ignored.
 */
export function parseYuan(text: string): number | undefined {
  const match = YUAN.exec(text.replace(/[\s,¥￥]/g, "").replace(/元$/, ""));
  if (!match) return undefined;
  const fen = Number(match[1]! + (match[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : undefined;
}

/** 1234 fen → "12.34"; integer arithmetic only. */
export function formatYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) return String(fen);
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** A whole number typed as text, or undefined. */
export function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

export const durationUnits = ["days", "hours", "minutes"] as const;
export type DurationUnit = (typeof durationUnits)[number];
export type DurationParts = { amount: number; unit: DurationUnit };

const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
const MINUTES: Record<DurationUnit, number> = { days: 1440, hours: 60, minutes: 1 };

/**
 * An ISO duration as one number in the smallest unit it is written in, so that it reads as the
 * policy says it: P7D → 7 days, PT48H → 48 hours, P1DT12H → 36 hours, P1W → 7 days. Undefined
 * when the inputs cannot show it (seconds, fractions, years, months): it then stays as text.
 */
export function parseDuration(iso: string): DurationParts | undefined {
  const match = ISO_DURATION.exec(iso);
  if (!match || iso === "P" || iso.endsWith("T")) return undefined;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((n) => (n === undefined ? 0 : Number(n))) as [number, number, number, number, number];
  if (seconds !== 0 || match[5] !== undefined) return undefined;
  const total = ((weeks * 7 + days) * 24 + hours) * 60 + minutes;
  const unit: DurationUnit = match[4] !== undefined ? "minutes" : match[3] !== undefined ? "hours" : "days";
  return { amount: total / MINUTES[unit], unit };
}

/** 7 days → P7D, 48 hours → PT48H, 30 minutes → PT30M. */
export function formatDuration(parts: DurationParts): string {
  switch (parts.unit) {
    case "days":
      return `P${parts.amount}D`;
    case "hours":
      return `PT${parts.amount}H`;
    case "minutes":
      return `PT${parts.amount}M`;
  }
}

/** Facts grouped for the picker, in the catalog's order: 订单, 退款, 运费, 维权, 时间, 金额. */
export const factGroups = ["order", "refund", "shipping", "claim", "elapsed", "amount"] as const;

export function factKey(fact: string, path: string | undefined): string {
  return path === undefined || path === "" ? fact : `${fact}.${path}`;
}

export function operatorsFor(type: FactType | undefined): readonly string[] {
  return type ? operatorsByKind[type.kind] : [];
}

export function isListOperator(operator: string): boolean {
  return operator === "in" || operator === "notIn";
}

export function isFactReference(value: unknown): value is { fact: string; path?: string } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { fact?: unknown }).fact === "string";
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
    if (isListOperator(operator) && !Array.isArray(value)) value = typeof value === "string" && value !== "" ? [value] : [];
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
