import { validateDefinition } from "../server/engine/validate-definition.ts";
import { factCatalog, operatorsByKind, type FactEntry } from "../shared/fact-catalog.ts";
import { channels, formulas } from "../shared/outputs.ts";
import { RuleSetDefinition, type Condition, type RuleInput, type TopLevelCondition } from "../shared/rules.ts";
import { seededRandom, type Random } from "./random.ts";

/**
 * A refund-eligibility rule set of `count` generated rules over the fact catalog, valid as a
 * publish would require (checked with validateDefinition), shaped like a large policy rather than
 * like random conditions.
 *
 * A policy rule is written for one situation, and a situation is named by enum facts first: "a
 * delivered order, refunded for a quality issue, waiting for the seller" (order status, refund
 * reason, refund state or product type), then narrowed by a few other conditions (goods received,
 * within 7 days of delivery, a requested amount above 500 yuan, a shop coupon used…). A rule that
 * held for a third of all cases, as random conditions do, would be no policy anyone writes; and a
 * benchmark of such rules measures how fast thousands of firings fold, not how a decision service
 * finds the few rules that apply. So:
 *
 * - 88 % are an `all` of a situation, then two to four narrowing leaves. The situation is `equal`
 *   (one time in ten `in` two values) on the order status, on the refund reason (19 times in 20),
 *   and half the time on the refund state or one time in five on the product type. Narrowing
 *   leaves are over the rest of the catalog with operators that fit each fact: boolean flags,
 *   elapsed-time windows, amounts (one in ten compared with another amount fact), the number of
 *   kinds of discount; one in ten is negated, and in three rules in ten the last two are grouped
 *   into a nested `any` ("… and (a or b)") or `all`. One in twenty also refers to a shared condition.
 * - 7 % are an `any` of two situations, each an `all` as above with two narrowing leaves.
 * - 3 % are a reference to one of ten shared conditions, each a situation and its narrowing.
 * - 1 % name no situation, an `all` of four or five narrowing leaves, and 1 % are a `not` of an
 *   `any` of four order statuses and three narrowing leaves: catch-alls that every case meets,
 *   and that hold seldom.
 *
 * Over the benchmark's case mix, about 7 rules fire per case at 1 000 rules and about 40 at 10 000.
 * Priorities come from a few levels with ties, and every rule sets part of the decision.
 */
export function generateRuleSet(count: number, seed = 7): RuleSetDefinition {
  const random = seededRandom(seed * 1_000_003 + count);
  const shared: Record<string, TopLevelCondition> = {};
  for (let i = 0; i < 10; i++)
    shared[`shared-condition-${i}`] = { all: [...situation(random), ...narrowing(random, random.int(2, 3))] };
  const sharedNames = Object.keys(shared);
  const rules: RuleInput[] = Array.from({ length: count }, (_, index) => ({
    name: `generated-rule-${index}`,
    description: `Generated rule ${index} for the benchmark.`,
    priority: random.weighted([
      [3, random.int(1, 10) * 100],
      [1, random.int(1, 1000)],
    ] as const),
    enabled: random.chance(0.97),
    conditions: topLevel(random, sharedNames),
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
  if (problems.length > 0)
    throw new Error(
      `generated rule set is invalid: ${problems
        .slice(0, 5)
        .map((p) => `${p.path}: ${p.message}`)
        .join("; ")}`,
    );
  return definition;
}

function topLevel(random: Random, sharedNames: readonly string[]): TopLevelCondition {
  const shape = random.weighted([
    [88, "situation"],
    [7, "either"],
    [3, "shared"],
    [1, "catch-all"],
    [1, "not"],
  ] as const);
  switch (shape) {
    case "situation": {
      const children = [...situation(random), ...narrowing(random, random.int(2, 4))];
      if (random.chance(0.05)) children.push({ condition: random.pick(sharedNames) });
      return { all: children };
    }
    case "either":
      return {
        any: [
          { all: [...situation(random), ...narrowing(random, 2)] },
          { all: [...situation(random), ...narrowing(random, 2)] },
        ],
      };
    case "shared":
      return { condition: random.pick(sharedNames) };
    case "catch-all":
      return { all: narrowing(random, random.int(4, 5)) };
    case "not": {
      // "unless the order is in one of these states, or …"
      const statuses = orderStatuses.filter((status) => status !== random.pick(orderStatuses));
      return {
        not: { any: [{ fact: "order", path: "status", operator: "in", value: statuses }, ...narrowing(random, 3)] },
      };
    }
  }
}

const enumFact = (fact: string, path: string) =>
  factCatalog.find((entry) => entry.fact === fact && entry.path === path)!;
const orderStatus = enumFact("order", "status");
const refundReason = enumFact("refund", "reason");
const refundState = enumFact("refund", "state");
const productType = enumFact("order", "productType");
const orderStatuses = orderStatus.type.kind === "enum" ? orderStatus.type.values : [];
/** What narrows a situation: every catalog fact but the enums that name one. */
const narrowingFacts = factCatalog.filter((entry) => entry.type.kind !== "enum");
const numericFacts = factCatalog.filter((entry) => entry.type.kind === "money");

/** The enum leaves that name a situation: the order status, mostly the refund reason, sometimes the refund state or product type. */
function situation(random: Random): Condition[] {
  const leaves = [enumLeaf(random, orderStatus)];
  if (random.chance(0.95)) leaves.push(enumLeaf(random, refundReason));
  const extra = random.weighted([
    [3, undefined],
    [5, refundState],
    [2, productType],
  ] as const);
  if (extra) leaves.push(enumLeaf(random, extra));
  return leaves;
}

/** `equal` one value, or now and then `in` two. */
function enumLeaf(random: Random, entry: FactEntry): Condition {
  const values = entry.type.kind === "enum" ? entry.type.values : [];
  if (random.chance(0.9)) return { fact: entry.fact, path: entry.path, operator: "equal", value: random.pick(values) };
  const first = random.pick(values);
  const second = random.pick(values.filter((value) => value !== first));
  return { fact: entry.fact, path: entry.path, operator: "in", value: [first, second] };
}

/** `count` leaves over the non-enum facts, one sometimes negated, the last two sometimes grouped: "… and (a or b)". */
function narrowing(random: Random, count: number): Condition[] {
  const children: Condition[] = Array.from({ length: count }, () => {
    const leaf = narrowingLeaf(random, random.pick(narrowingFacts));
    return random.chance(0.1) ? { not: leaf } : leaf;
  });
  if (children.length >= 2 && random.chance(0.3)) {
    const nested = children.splice(children.length - 2, 2);
    children.push(random.chance(0.7) ? { any: nested } : { all: nested });
  }
  return children;
}

function narrowingLeaf(random: Random, entry: FactEntry): Condition {
  const operator =
    entry.type.kind === "boolean"
      ? random.weighted([
          [6, "equal"],
          [1, "notEqual"],
        ] as const)
      : random.pick(operatorsByKind[entry.type.kind] as readonly string[]);
  return { fact: entry.fact, path: entry.path, operator, value: valueFor(random, entry) };
}

function valueFor(random: Random, entry: FactEntry): unknown {
  switch (entry.type.kind) {
    case "enum":
      return random.pick(entry.type.values);
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
  if (random.chance(0.6))
    result.reasons = [{ code: `GENERATED_REASON_${index % 40}`, message: `生成的规则 ${index % 40}` }];
  return result;
}
