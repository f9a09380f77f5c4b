import { validateDefinition } from "../server/engine/validate-definition.ts";
import { factCatalog, operatorsByKind, type FactEntry } from "../shared/fact-catalog.ts";
import { channels, formulas } from "../shared/outputs.ts";
import { RuleSetDefinition, type Condition, type RuleInput, type TopLevelCondition } from "../shared/rules.ts";
import { seededRandom, type Random } from "./random.ts";

/**
 * A refund-eligibility rule set of `count` generated rules over the fact catalog, valid as a
 * publish would require (checked with validateDefinition): each rule is an all (mostly), any or
 * not of one to four leaves, sometimes with a nested group or a negated leaf, a few referring to a
 * shared condition, with operators that fit each fact (mostly equal / in for enums and booleans),
 * values a policy manager would write (enum values, round amounts, window durations, now and then
 * another amount fact), and priorities with ties. Every rule sets part of the decision.
 */
export function generateRuleSet(count: number, seed = 7): RuleSetDefinition {
  const random = seededRandom(seed * 1_000_003 + count);
  const shared: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < 10; i++) shared[`shared-condition-${i}`] = { all: leaves(random, random.int(1, 3)) };
  const rules: RuleInput[] = Array.from({ length: count }, (_, index) => ({
    name: `generated-rule-${index}`,
    description: `Generated rule ${index} for the benchmark.`,
    priority: random.weighted([
      [3, random.int(1, 10) * 100],
      [1, random.int(1, 1000)],
    ] as const),
    enabled: random.chance(0.97),
    conditions: topLevel(random, Object.keys(shared)),
    event: { type: `generated-${index % 20}`, params: params(random, index) },
  }));
  const definition = RuleSetDefinition.parse({
    defaults: {
      eligible: false,
      channel: "none",
      requiresReturn: false,
      formula: "full_price",
      manualReview: false,
      reasons: [{ code: "NO_RULE_MATCHED", message: "没有适用的规则，请人工处理" }],
    },
    conditions: shared,
    rules,
  });
  const problems = validateDefinition("refund-eligibility", definition);
  if (problems.length > 0) throw new Error(`generated rule set is invalid: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join("; ")}`);
  return definition;
}

function topLevel(random: Random, sharedNames: readonly string[]): TopLevelCondition {
  const count = random.weighted([
    [3, 1],
    [4, 2],
    [2, 3],
    [1, 4],
  ] as const);
  const children: Condition[] = leaves(random, count).map((leaf) => (random.chance(0.12) ? { not: leaf } : leaf));
  if (children.length >= 3 && random.chance(0.3)) {
    // a nested group of the last two: "… and (a or b)"
    const nested = children.splice(children.length - 2, 2);
    children.push(random.chance(0.7) ? { any: nested } : { all: nested });
  }
  if (random.chance(0.03)) children.push({ condition: random.pick(sharedNames) });
  const shape = random.weighted([
    [7, "all"],
    [2, "any"],
    [1, "not"],
  ] as const);
  if (shape === "not") return { not: children.length === 1 ? children[0]! : { any: children } };
  return shape === "all" ? { all: children } : { any: children };
}

const numericFacts = factCatalog.filter((entry) => entry.type.kind === "money");

function leaves(random: Random, count: number): Condition[] {
  return Array.from({ length: count }, () => leaf(random, random.pick(factCatalog)));
}

/** Policies mostly state what must hold (equal, in), now and then what must not (notEqual, notIn). */
function operatorFor(random: Random, entry: FactEntry): string {
  switch (entry.type.kind) {
    case "enum":
      return random.weighted([
        [5, "equal"],
        [3, "in"],
        [1, "notEqual"],
        [1, "notIn"],
      ] as const);
    case "boolean":
      return random.weighted([
        [6, "equal"],
        [1, "notEqual"],
      ] as const);
    default:
      return random.pick(operatorsByKind[entry.type.kind] as readonly string[]);
  }
}

function leaf(random: Random, entry: FactEntry): Condition {
  const operator = operatorFor(random, entry);
  return { fact: entry.fact, path: entry.path, operator, value: valueFor(random, entry, operator) };
}

function valueFor(random: Random, entry: FactEntry, operator: string): unknown {
  const type = entry.type;
  switch (type.kind) {
    case "enum":
      if (operator === "in" || operator === "notIn") {
        const values = new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(type.values)));
        return [...values];
      }
      return random.pick(type.values);
    case "boolean":
      return random.chance(0.5);
    case "money":
      if (random.chance(0.1)) {
        const other = random.pick(numericFacts);
        return { fact: other.fact, path: other.path };
      }
      return random.pick([0, 1000, 5000, 10_000, 20_000, 50_000, 100_000]);
    case "count":
      return random.int(0, 3);
    case "duration":
      return random.pick(["PT24H", "PT48H", "P5D", "P7D", "P10D", "P15D"]);
  }
}

function params(random: Random, index: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (random.chance(0.7)) result.eligible = random.chance(0.5);
  if (random.chance(0.6)) result.channel = random.pick(channels);
  if (random.chance(0.3)) result.requiresReturn = random.chance(0.5);
  if (random.chance(0.2)) result.formula = random.pick(formulas);
  if (random.chance(0.1)) result.manualReview = true;
  if (random.chance(0.6)) result.reasons = [{ code: `GENERATED_REASON_${index % 40}`, message: `生成的规则 ${index % 40}` }];
  return result;
}
