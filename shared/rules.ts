import { z } from "zod";

/**
 * json-rules-engine rule objects, as stored and edited. The product allows the engine's own shape
 * (all / any / not, condition references, `fact` + `path` + `operator` + `value`) with two
 * restrictions: `path` is a plain dotted path (`status`, never JSONPath), and each rule carries a
 * human description and an `enabled` switch for the admin. What fits which fact is checked
 * against the fact catalog by the server (`validateDefinition`), not here.
 */
export type FactReference = { fact: string; path?: string };
export type LeafCondition = {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
  name?: string;
};
export type ConditionReference = { condition: string };
export type Condition =
  | LeafCondition
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | ConditionReference;
export type TopLevelCondition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | ConditionReference;

const name = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "a name is a kebab-case sentence: seller-fault-pays-return")
  .max(120);
const dottedPath = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/,
    "a path is a plain dotted path (status, items.0.id), not JSONPath",
  );

export const FactReference: z.ZodType<FactReference> = z.strictObject({
  fact: z.string().min(1).max(60),
  path: dottedPath.optional(),
});

export const LeafCondition = z.strictObject({
  fact: z.string().min(1).max(60),
  path: dottedPath.optional(),
  operator: z.string().min(1).max(60),
  value: z.unknown(),
  name: z.string().max(120).optional(),
});

export const ConditionReference = z.strictObject({ condition: name });

const MAX_CHILDREN = 200;
export const Condition: z.ZodType<Condition> = z
  .lazy(() =>
    z.union([
      LeafCondition as z.ZodType<LeafCondition>,
      z.strictObject({ all: z.array(Condition).max(MAX_CHILDREN) }),
      z.strictObject({ any: z.array(Condition).max(MAX_CHILDREN) }),
      z.strictObject({ not: Condition }),
      ConditionReference,
    ]),
  )
  .meta({ id: "Condition" });

export const TopLevelCondition: z.ZodType<TopLevelCondition> = z.union([
  z.strictObject({ all: z.array(Condition).max(MAX_CHILDREN) }),
  z.strictObject({ any: z.array(Condition).max(MAX_CHILDREN) }),
  z.strictObject({ not: Condition }),
  ConditionReference,
]);

/** An ISO 8601 instant with its offset (`2026-11-11T00:00:00+08:00`), as every instant in the API. */
const instant = z.iso.datetime({ offset: true });

export const Rule = z.strictObject({
  name,
  /** A display name in any language, shown first; `name` stays the stable id. */
  title: z.string().min(1).max(200).optional(),
  description: z.string().max(2000).default(""),
  priority: z.number().int().min(1).max(1_000_000).default(1),
  enabled: z.boolean().default(true),
  /** The rule is considered only from this instant on (inclusive)… */
  validFrom: instant.optional(),
  /** …and only before this one (exclusive); it must be after `validFrom` (validateDefinition). */
  validUntil: instant.optional(),
  conditions: TopLevelCondition,
  event: z.strictObject({
    type: z.string().min(1).max(120),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
});
export type Rule = z.output<typeof Rule>;
export type RuleInput = z.input<typeof Rule>;

/** Rules and shared conditions a rule set may have (how large they may grow together is bounded by `validateDefinition`). */
export const MAX_RULES = 20_000;
export const MAX_SHARED_CONDITIONS = 2_000;

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

const invariantValue = z.union([z.string().max(200), z.number(), z.boolean(), z.null()]);

export const InvariantComparison = z.strictObject({
  operator: z.enum(invariantOperators),
  value: z.union([invariantValue, z.array(invariantValue).max(200), FactReference]),
});
export type InvariantComparison = z.infer<typeof InvariantComparison>;

export const InvariantExpectation = z.union([invariantValue, InvariantComparison]);
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

/** Decision fields a rule set may ask to be set by a rule for every case (the analysis reports a gap where none does). */
export const MAX_DECIDED_BY_RULES = 50;

/**
 * A rule set's editable content: the rules, the shared named conditions they may reference, and
 * the decision's defaults for fields no fired rule sets.
 */
export const RuleSetDefinition = z.strictObject({
  defaults: z.record(z.string(), z.unknown()),
  conditions: z
    .record(name, TopLevelCondition)
    .refine((conditions) => Object.keys(conditions).length <= MAX_SHARED_CONDITIONS, {
      params: { code: "too_big", maximum: MAX_SHARED_CONDITIONS, origin: "object", inclusive: true },
      message: `at most ${MAX_SHARED_CONDITIONS} shared conditions`,
    })
    .default({}),
  rules: z.array(Rule).max(MAX_RULES),
  /** Statements every decision must satisfy; absent: none. */
  invariants: z.array(Invariant).max(MAX_INVARIANTS).optional(),
  /** Fields a rule (not the default) must set for every case; absent: none. */
  decidedByRules: z.array(z.string().min(1).max(60)).max(MAX_DECIDED_BY_RULES).optional(),
});
export type RuleSetDefinition = z.output<typeof RuleSetDefinition>;
export type RuleSetDefinitionInput = z.input<typeof RuleSetDefinition>;

/** A named example the rule set must keep deciding as expected; a publish waits for all to pass. */
export const TestCase = z.strictObject({
  name: z.string().min(1).max(200),
  facts: z.unknown(),
  expect: z.record(z.string(), z.unknown()),
});
export type TestCase = z.infer<typeof TestCase>;
