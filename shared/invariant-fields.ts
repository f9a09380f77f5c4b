import { z } from "zod";
import { kindModule, type RuleSetKind } from "./kinds/index.ts";
import type { InvariantOperator } from "./rules.ts";

/** The type of a decision field an invariant may expect something of: its enum values, a yes/no, or whole fen. */
export type ExpectableType = { kind: "enum"; values: readonly string[] } | { kind: "boolean" } | { kind: "money" };

/** Which comparisons fit a field of each type (a plain value in `expect` is `equal`). */
export const invariantOperatorsByKind = {
  enum: ["equal", "notEqual", "in", "notIn"],
  boolean: ["equal", "notEqual"],
  money: ["equal", "notEqual", "lessThanInclusive", "greaterThanInclusive"],
} as const satisfies Record<ExpectableType["kind"], readonly InvariantOperator[]>;

const cache = new Map<RuleSetKind, ReadonlyMap<string, ExpectableType>>();

/**
 * The decision fields of a kind an invariant may expect something of, computed ones included
 * (`maxRefundableFen`, `settlement`): every enum, boolean and integer field; list fields (`reasons`) are left out, their
 * entries have no single value to compare.
 */
export function expectableFields(kind: RuleSetKind): ReadonlyMap<string, ExpectableType> {
  const known = cache.get(kind);
  if (known) return known;
  const fields = new Map<string, ExpectableType>();
  for (const [field, declared] of Object.entries(kindModule(kind).decision.shape)) {
    // a field some answers leave out (shipping-fee's replacementShippingPayer) is expected like the others
    const schema = declared instanceof z.ZodOptional ? declared.unwrap() : declared;
    if (schema instanceof z.ZodEnum) fields.set(field, { kind: "enum", values: schema.options as string[] });
    else if (schema instanceof z.ZodBoolean) fields.set(field, { kind: "boolean" });
    else if (schema instanceof z.ZodNumber) fields.set(field, { kind: "money" });
  }
  cache.set(kind, fields);
  return fields;
}

/** The decision fields a rule may set (its event's params): what `decidedByRules` may name. */
export function ruleSetFields(kind: RuleSetKind): readonly string[] {
  const module = kindModule(kind);
  return Object.keys(module.decision.shape).filter((field) => !module.computed.includes(field));
}
