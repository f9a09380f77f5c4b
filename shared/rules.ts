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
