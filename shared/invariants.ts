import { z } from "zod";
import { FactReference, TopLevelCondition } from "./rules.ts";

/**
 * A statement every decision of a rule set must satisfy: whenever `conditions` hold for a case, each field in
 * `expect` must meet its expectation. Versioned with the rules (it is part of the rule set's definition), checked over
 * every possible case by the analysis, and a publish is refused while a case can break one.
 *
 * An expectation is a plain value (the field must equal it) or a comparison with a value or a fact:
 * `{ "operator": "notEqual", "value": "after_sales_claim" }`,
 * `{ "operator": "lessThanInclusive", "value": { "fact": "amount", "path": "capFen" } }`.
 */
export const invariantOperators = [
  "equal",
  "notEqual",
  "in",
  "notIn",
  "lessThanInclusive",
  "greaterThanInclusive",
] as const;
export type InvariantOperator = (typeof invariantOperators)[number];

const plainValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

export const InvariantComparison = z.strictObject({
  operator: z.enum(invariantOperators),
  value: z.union([plainValue, z.array(plainValue).max(200), FactReference]),
});
export type InvariantComparison = z.infer<typeof InvariantComparison>;

export const InvariantExpectation = z.union([plainValue, InvariantComparison]);
export type InvariantExpectation = z.infer<typeof InvariantExpectation>;

export const MAX_INVARIANTS = 200;

export const Invariant = z.strictObject({
  /** The stable id, kebab-case like a rule's name. */
  name: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a name is a kebab-case sentence: seller-fault-seller-pays")
    .max(120),
  /** What it says, in any language: 退款原因为质量问题 → 退货运费必须卖家承担. */
  title: z.string().max(200).optional(),
  conditions: TopLevelCondition,
  expect: z.record(z.string(), InvariantExpectation).refine((expect) => Object.keys(expect).length > 0, {
    params: { code: "too_small", minimum: 1, origin: "object", inclusive: true },
    message: "an invariant expects at least one field",
  }),
});
export type Invariant = z.infer<typeof Invariant>;
