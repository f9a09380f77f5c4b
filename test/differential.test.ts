/**
 * The compiled rules (server/engine/compile.ts) held to json-rules-engine, the reference semantics
 * (test/helpers/json-engine.ts). For the default rule sets over random cases, and for random
 * rule sets over random facts, both must fire the same rules in the same order with the same
 * params, fold to the same decision, and trace the same leaf conditions, depth first, with the same
 * values seen and the same results. Rules' validity windows are placed around random moments and
 * the facts decided at those moments, exactly on a window's edge or a millisecond either side
 * included: the reference leaves out the rules whose window does not hold the moment.
 *
 * DIFF_CASES is the number of random cases per default rule set (2000 by default, 100 000 in
 * `npm run test:differential:full`); the number of generated rule sets follows it (300 at 2000,
 * at most 3000), or DIFF_RULE_SETS. A failure prints fast-check's seed: DIFF_SEED=<seed> replays it.
 */
import { TEST_PERIODS } from "./helpers/periods.ts";
import { readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompiledRuleSet, type TraceNode } from "../server/engine/compile.ts";
import { Decider } from "../server/engine/decider.ts";
import { deriveFacts, type RuleFacts } from "../server/engine/derive-facts.ts";
import { completeDecision, foldFirings, type Firing } from "../server/engine/fold.ts";
import { buildEngine, engineAt, inWindow, referenceFirings } from "./helpers/json-engine.ts";
import {
  CaseFacts,
  MAX_DAYS_LATE,
  MAX_FEN,
  orderStatuses,
  problemKinds,
  productTypes,
  promotionKinds,
  refundReasons,
  refundStates,
  type CaseFactsInput,
} from "../shared/case-facts.ts";
import { durationMs } from "../shared/duration.ts";
import { countedValue, PeriodClock, periodEnd } from "../shared/periods.ts";
import { allOperators, factCatalog, type FactEntry } from "../shared/fact-catalog.ts";
import { kindModule } from "../shared/kinds/index.ts";
import { entryKey } from "../shared/kinds/kind.ts";
import { CALENDAR_YEAR_UNKNOWN } from "../shared/kinds/refund-eligibility.ts";
import { ruleSetKindNames, type RuleSetKind } from "../shared/outputs.ts";
import {
  RuleSetDefinition,
  type Condition,
  type LeafCondition,
  type RuleSetDefinitionInput,
  type TopLevelCondition,
} from "../shared/rules.ts";

const CASES = positiveInteger(process.env.DIFF_CASES, 2000);
/** 300 at the default 2000 cases, growing with DIFF_CASES up to 3000 (60 000 evaluations); DIFF_RULE_SETS overrides. */
const RULE_SETS = positiveInteger(
  process.env.DIFF_RULE_SETS,
  Math.min(3000, Math.max(1, Math.round((CASES * 300) / 2000))),
);
const FACTS_PER_RULE_SET = 20;
const SEED = process.env.DIFF_SEED === undefined ? undefined : Number(process.env.DIFF_SEED);
/** A case costs about 0.5 ms of CPU, most of it json-rules-engine's; leave room for a busy machine. */
const timeoutFor = (evaluations: number) => Math.max(60_000, evaluations * 5);

const NOW = "2026-11-20T10:00:00+08:00";
const NOW_MS = Date.parse(NOW);
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

function assertOptions(numRuns: number): fc.Parameters<unknown> {
  return { numRuns, ...(SEED === undefined ? {} : { seed: SEED }) };
}

function loadDefaultRuleSet(kind: RuleSetKind): RuleSetDefinition {
  const file = JSON.parse(readFileSync(new URL(`../rules/${kind}.json`, import.meta.url), "utf8"));
  return RuleSetDefinition.parse({ defaults: file.defaults, conditions: file.conditions, rules: file.rules });
}

/** Deep strict equality, cheap when it holds; vitest's diff only when it does not. */
function expectSame(actual: unknown, expected: unknown, what: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual, what).toStrictEqual(expected);
  throw new Error(`${what}: not deeply and strictly equal`);
}

// ── Random cases ────────────────────────────────────────────────────────────────────────────────

/**
 * How long before `now` a moment of the case is: often exactly on a window's edge (48 hours, 5, 7,
 * 10 or 15 days) or a millisecond or a second either side of it, otherwise anywhere from two days
 * ahead (a clock skew) to 40 days back.
 */
const edges = [
  0,
  48 * HOUR,
  5 * DAY,
  7 * DAY,
  10 * DAY,
  15 * DAY,
  // the starts of Beijing days before NOW (10:00): where a period counted in calendar or working days turns
  ...[0, 1, 2, 3, 5, 7, 8, 10, 14, 15, 16].map((days) => 10 * HOUR + days * DAY),
];
const agoMs = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...edges), fc.constantFrom(0, 0, 0, -1, 1, -SECOND, SECOND))
      .map(([edge, skew]) => edge + skew),
  },
  { weight: 3, arbitrary: fc.integer({ min: -2 * DAY, max: 40 * DAY }) },
);
/** A timestamp, in UTC or in China Standard Time (+08:00), as callers send either. */
const timestamp = fc.tuple(agoMs, fc.boolean()).map(([ago, utc]) => {
  const ms = NOW_MS - ago;
  return utc ? new Date(ms).toISOString() : new Date(ms + 8 * HOUR).toISOString().replace("Z", "+08:00");
});
const fen = fc.oneof(
  fc.constantFrom(0, 1, 99, 100, 800, 1000, 2000, 3000, 7000, 10_000),
  fc.integer({ min: 0, max: 10_000_000 }),
  fc.integer({ min: 0, max: MAX_FEN }),
);
const item = fc.record(
  {
    priceFen: fc.oneof(
      fc.constantFrom(0, 1, 999, 3000, 7000, 20_000),
      fc.integer({ min: 0, max: 10_000_000 }),
      fc.integer({ min: 0, max: 1_000_000_000 }),
    ),
    quantity: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
    ),
    sevenDayReturn: fc.boolean(),
  },
  { requiredKeys: ["priceFen", "quantity"] },
);
const amountNames = ["capFen", "fullPriceFen", "couponProrataFen", "thresholdProrataFen", "mixedProrataFen"] as const;
/** The amount asked for: none, any, or within 2 fen of one of the refund formulas' amounts (so of the maximum). */
const requested = fc.option(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ near: fc.constantFrom(...amountNames), by: fc.integer({ min: -2, max: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ exactly: fen }) },
  ),
  { nil: undefined },
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });

const caseParts = fc.record({
  order: fc.record({
    status: fc.constantFrom(...orderStatuses),
    productType: optional(fc.constantFrom(...productTypes)),
    freeShipping: optional(fc.boolean()),
    shippingFeeFen: optional(fc.oneof(fc.constantFrom(0, 800, 1000), fen)),
    items: fc.array(item, { maxLength: 4 }),
    promotions: optional(
      fc.array(fc.record({ kind: fc.constantFrom(...promotionKinds), amountFen: fen }), { maxLength: 3 }),
    ),
    paidFen: optional(fen),
    refundedFen: optional(fc.oneof(fc.constant(0), fen)),
    shippedAt: optional(timestamp),
    deliveredAt: optional(timestamp),
    completedAt: optional(timestamp),
  }),
  /** Undefined: the whole order; otherwise, per order item, how many of it (modulo its quantity + 1) are refunded. */
  refundPicks: fc.option(fc.array(fc.nat({ max: 100_000 }), { maxLength: 4 }), { nil: undefined }),
  refund: fc.record({
    goodsReceived: optional(fc.boolean()),
    returnGoods: optional(fc.boolean()),
    reason: optional(fc.constantFrom(...refundReasons)),
    state: optional(fc.constantFrom(...refundStates)),
    appliedAt: optional(timestamp),
    stateSince: optional(timestamp),
    exchange: optional(fc.boolean()),
  }),
  requested,
  shipping: optional(
    fc.record(
      {
        deliveryRefused: fc.boolean(),
        freightCollect: fc.boolean(),
        sellerConsentsFreightCollect: fc.boolean(),
        sellerAgreedToPayReturn: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  ),
  claim: optional(fc.record({ used: fc.boolean() }, { requiredKeys: [] })),
  problem: optional(
    fc.record(
      {
        kind: fc.constantFrom(...problemKinds),
        // around the playbook's three days, and anywhere up to the most a case may say
        daysLate: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: MAX_DAYS_LATE })),
        firstComplaint: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  ),
});

/** Drops the keys whose value is undefined: a caller's JSON has no undefined, only absent fields. */
function present<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** A schema-valid case as a caller would send it, every refunded item on the order and no more of it than ordered. */
const caseInput: fc.Arbitrary<CaseFactsInput> = caseParts.map((parts) => {
  const items = parts.order.items.map((line, index) => present({ id: `item-${index}`, ...line }));
  const refundItems =
    parts.refundPicks === undefined
      ? undefined
      : items.flatMap((line, index) => {
          const quantity = (parts.refundPicks![index] ?? 0) % (line.quantity + 1);
          return quantity === 0 ? [] : [{ id: line.id, quantity }];
        });
  const input: CaseFactsInput = present({
    now: NOW,
    order: present({ ...parts.order, items }),
    refund: present({ ...parts.refund, items: refundItems }),
    shipping: parts.shipping === undefined ? undefined : present(parts.shipping),
    claim: parts.claim === undefined ? undefined : present(parts.claim),
    problem: parts.problem === undefined ? undefined : present(parts.problem),
  });
  if (parts.requested === undefined) return input;
  let requestedFen: number;
  if ("exactly" in parts.requested) requestedFen = parts.requested.exactly;
  else {
    const amount = deriveFacts(CaseFacts.parse(input), NOW_MS).amount[parts.requested.near]!;
    requestedFen = Math.min(MAX_FEN, Math.max(0, amount + parts.requested.by));
  }
  return { ...input, refund: { ...input.refund, requestedFen } };
});

// ── Random facts objects, for the generated rule sets ──────────────────────────────────────────

/** Values a fact may hold when the facts do not come from a valid case: each trips some operator's validator or not. */
const oddValues = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  0.5,
  Number.NaN,
  Infinity,
  -Infinity,
  "",
  "0",
  "12",
  "12abc",
  "abc",
  "paid",
  "P7D",
  [],
  [1],
  ["paid"],
  {},
  { status: "paid" },
  7 * DAY,
  15 * DAY,
];
const factNames = [...new Set(factCatalog.map((entry) => entry.fact))];
const factPaths = [...new Set(factCatalog.map((entry) => entry.path))];
const change = fc.record({
  fact: fc.constantFrom(...factNames, "customer"),
  path: fc.option(fc.constantFrom(...factPaths, "nope"), { nil: undefined, freq: 4 }),
  value: fc.constantFrom(...oddValues),
  remove: fc.boolean(),
});

/** Derived facts of a random case, then some values replaced, removed or added, whole facts included. */
const ruleFacts: fc.Arbitrary<RuleFacts> = fc
  .tuple(caseInput, fc.array(change, { maxLength: 4 }))
  .map(([input, changes]) => {
    const facts: Record<string, unknown> = Object.fromEntries(
      Object.entries(deriveFacts(CaseFacts.parse(input), NOW_MS)).map(([name, value]) => [name, { ...value }]),
    );
    for (const { fact, path, value, remove } of changes) {
      if (path === undefined) {
        if (remove) delete facts[fact];
        else facts[fact] = value;
        continue;
      }
      const target = facts[fact];
      if (target === null || typeof target !== "object" || Array.isArray(target)) continue;
      if (remove) delete (target as Record<string, unknown>)[path];
      else (target as Record<string, unknown>)[path] = value;
    }
    return facts as RuleFacts;
  });

// ── Random rule sets ────────────────────────────────────────────────────────────────────────────

const numericFacts = factCatalog.filter((entry) => entry.type.kind === "money" || entry.type.kind === "count");
/** Another fact as the value: a money or count fact, or a path that is not there (read as undefined). */
const factReference = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...numericFacts).map((entry) => ({ fact: entry.fact, path: entry.path })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { fact: "amount", path: "nope" },
      { fact: "customer", path: "id" },
      { fact: "elapsed", path: "sinceDelivered" },
    ),
  },
);
const numbers = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2, 100, 1000, 8000, 10_000, 7 * DAY, 1e12),
  fc.integer({ min: 0, max: 10_000_000 }),
);
const durations = fc.constantFrom(
  "P7D",
  "PT48H",
  "P0D",
  "P15D",
  "P5D",
  "P10D",
  "PT1M",
  "P1W",
  "PT168H",
  "PT360H",
  "P1M",
  "P1Y",
  "7 days",
  "",
  // counted periods, and object forms that are none (both engines: false)
  { duration: "P7D", counting: "calendar_days" },
  { duration: "P2D", counting: "calendar_days" },
  { duration: "P3D", counting: "working_days" },
  { duration: "PT4H", counting: "business_hours" },
  { duration: "PT3H", counting: "business_hours", hours: { from: "10:00", until: "12:00" } },
  { duration: "P7D", counting: "elapsed" },
  { duration: "PT36H", counting: "calendar_days" },
  { duration: "P7D" },
  { duration: "P7D", counting: "fortnights" },
);
const numericOperators = [
  "equal",
  "notEqual",
  "lessThan",
  "lessThanInclusive",
  "greaterThan",
  "greaterThanInclusive",
] as const;

/** A leaf over a catalog fact with an operator that fits its type, values outside the enum and empty lists included. */
function catalogLeaf(entry: FactEntry): fc.Arbitrary<LeafCondition> {
  const at = { fact: entry.fact, path: entry.path };
  const type = entry.type;
  let test: fc.Arbitrary<{ operator: string; value: unknown }>;
  switch (type.kind) {
    case "enum": {
      const outside = ["bogus", "", type.values[0]!.toUpperCase()];
      test = fc.oneof(
        fc.record({
          operator: fc.constantFrom("equal", "notEqual"),
          value: fc.constantFrom(...type.values, ...outside),
        }),
        fc.record({
          operator: fc.constantFrom("in", "notIn"),
          value: fc.oneof(fc.constant([]), fc.shuffledSubarray([...type.values, ...outside])),
        }),
      );
      break;
    }
    case "boolean":
      test = fc.record({
        operator: fc.constantFrom("equal", "notEqual"),
        value: fc.oneof(
          { weight: 9, arbitrary: fc.boolean() },
          { weight: 1, arbitrary: fc.constantFrom(null, 0, "true") },
        ),
      });
      break;
    case "money":
    case "count":
      test = fc.record({
        operator: fc.constantFrom(...numericOperators),
        value: fc.oneof({ weight: 3, arbitrary: numbers }, { weight: 1, arbitrary: factReference }),
      });
      break;
    case "duration":
      test = fc.record({ operator: fc.constantFrom("withinDuration", "beyondDuration"), value: durations });
      break;
  }
  return test.map((t) => ({ ...at, ...t }));
}

/** A value that fits the operator's shape (json-rules-engine throws on `in` with a value that has no `indexOf`, so that is left out). */
function valueFor(operator: string): fc.Arbitrary<unknown> {
  if (operator === "in" || operator === "notIn")
    return fc.constantFrom([], ["paid"], ["paid", "item-0"], [0, 1, null], "paid shipped");
  if (operator === "withinDuration" || operator === "beyondDuration") return durations;
  if (operator === "equal" || operator === "notEqual")
    return fc.constantFrom(...oddValues.filter((v) => v !== undefined), "item-0");
  return fc.oneof(numbers, factReference);
}

/** A leaf the catalog does not know: a missing fact, a missing or inherited path, a path through a string or a list, or no path. */
const strayLeaf: fc.Arbitrary<LeafCondition> = fc
  .record({
    fact: fc.constantFrom("order", "refund", "elapsed", "amount", "customer", "toString", "__proto__"),
    path: fc.option(
      fc.constantFrom(
        ...[
          "nope",
          "status.length",
          "status.x.y",
          "items.0.id",
          "items.0.priceFen",
          "items.length",
          "promotions.0.kind",
        ],
        ...[
          "constructor",
          "hasOwnProperty",
          "__proto__",
          "length",
          "constructor.name",
          "items.0.constructor",
          "toString.length",
        ],
      ),
      { nil: undefined, freq: 5 },
    ),
    operator: fc.constantFrom(...allOperators),
  })
  .chain(({ fact, path, operator }) =>
    valueFor(operator).map((value) => present({ fact, path, operator, value }) as LeafCondition),
  );

const leaf: fc.Arbitrary<LeafCondition> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...factCatalog).chain(catalogLeaf) },
  { weight: 2, arbitrary: strayLeaf },
);

/** A condition at most `depth` groups deep, referring only to the shared conditions in `refs`. */
function condition(depth: number, refs: readonly string[]): fc.Arbitrary<Condition> {
  const options: fc.WeightedArbitrary<Condition>[] = [{ weight: 6, arbitrary: leaf }];
  if (refs.length > 0)
    options.push({ weight: 1, arbitrary: fc.constantFrom(...refs).map((name) => ({ condition: name })) });
  if (depth > 0) options.push(...groups(condition(depth - 1, refs)));
  return fc.oneof(...options);
}

/** all / any (empty ones included) and not, over `child`. */
function groups(child: fc.Arbitrary<Condition>): fc.WeightedArbitrary<Condition>[] {
  const list = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Condition[]>([]) },
    { weight: 4, arbitrary: fc.array(child, { minLength: 1, maxLength: 4 }) },
  );
  return [
    { weight: 1, arbitrary: list.map((all) => ({ all })) },
    { weight: 1, arbitrary: list.map((any) => ({ any })) },
    { weight: 1, arbitrary: child.map((not) => ({ not })) },
  ];
}

/** A rule's or shared condition's root: a group or a reference. */
function topLevel(depth: number, refs: readonly string[]): fc.Arbitrary<TopLevelCondition> {
  const options = groups(condition(depth - 1, refs)) as fc.WeightedArbitrary<TopLevelCondition>[];
  if (refs.length > 0)
    options.push({ weight: 1, arbitrary: fc.constantFrom(...refs).map((name) => ({ condition: name })) });
  return fc.oneof(...options);
}

/**
 * Event params: any JSON-like values, except keys named like Object.prototype's members
 * (`valueOf`, `toString`, `__proto__`…), which json-rules-engine's deep clone of the event drops
 * while the compiled rules keep them (see "event params reach the fold whole" below).
 */
const paramKey = fc.string({ maxLength: 10 }).filter((key) => !(key in Object.prototype));
const payload = fc.anything({
  key: paramKey,
  maxDepth: 2,
  values: [fc.boolean(), fc.integer(), fc.string(), fc.constant(null)],
});

/**
 * 1–30 rules with priorities 1–5 (so ties happen), some disabled, conditions up to 4 groups deep,
 * and up to 4 shared conditions, each referring only to those before it (no cycles).
 */
const generatedRuleSet: fc.Arbitrary<RuleSetDefinitionInput> = fc.integer({ min: 0, max: 4 }).chain((sharedCount) => {
  const shared = Array.from({ length: sharedCount }, (_, index) => `shared-condition-${index}`);
  const rule = fc.record({
    priority: fc.integer({ min: 1, max: 5 }),
    enabled: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    conditions: topLevel(4, shared),
    payload,
  });
  return fc
    .record({
      conditions: fc.tuple(...shared.map((_, index) => topLevel(3, shared.slice(0, index)))),
      // fast-check favours short lists; one set in four has 20 to 30 rules
      rules: fc.oneof(
        { weight: 3, arbitrary: fc.array(rule, { minLength: 1, maxLength: 30 }) },
        { weight: 1, arbitrary: fc.array(rule, { minLength: 20, maxLength: 30 }) },
      ),
    })
    .map(({ conditions, rules }) => ({
      defaults: {},
      conditions: Object.fromEntries(shared.map((name, index) => [name, conditions[index]!])),
      rules: rules.map(({ payload, ...rest }, index) => {
        const name = `rule-${index}`;
        return { name, ...rest, event: { type: name, params: { tag: name, payload } } };
      }),
    }));
});

// ── Validity windows ────────────────────────────────────────────────────────────────────────────

type RuleWindow = { validFrom?: string; validUntil?: string };

/** An instant as a rule carries it, in UTC or in China Standard Time (+08:00), to the millisecond. */
function instantText(ms: number, utc: boolean): string {
  return utc ? new Date(ms).toISOString() : new Date(ms + 8 * HOUR).toISOString().replace("Z", "+08:00");
}

/** A rule set's moments: one to four anywhere from 30 days before NOW to 30 days after. */
const anchors = fc
  .uniqueArray(fc.integer({ min: -30 * DAY, max: 30 * DAY }), { minLength: 1, maxLength: 4 })
  .map((offsets) => offsets.map((offset) => NOW_MS + offset));
/** One of the moments, exactly or a millisecond or a second either side. */
const nearAnchor = (moments: readonly number[]) =>
  fc
    .tuple(fc.constantFrom(...moments), fc.constantFrom(0, 0, 0, -1, 1, -SECOND, SECOND))
    .map(([moment, skew]) => moment + skew);
/** A rule's window between the moments: none, one end open, or both ends (the end after the start). */
const ruleWindow = (moments: readonly number[]): fc.Arbitrary<RuleWindow> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    {
      weight: 3,
      arbitrary: fc
        .record({
          from: fc.option(nearAnchor(moments), { nil: undefined }),
          until: fc.option(nearAnchor(moments), { nil: undefined }),
          utc: fc.boolean(),
        })
        .map(({ from, until, utc }) => {
          const [start, end] =
            from !== undefined && until !== undefined && until < from ? [until, from] : [from, until];
          return present({
            validFrom: start === undefined ? undefined : instantText(start, utc),
            validUntil: end === undefined || end === start ? undefined : instantText(end, utc),
          });
        }),
    },
  );
/**
 * Windows for a rule set's first 60 rules (one set in four has none), and the moments its facts
 * are decided at: mostly on or beside a window's edge, sometimes anywhere.
 */
const windowing = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constant({
      windows: [] as RuleWindow[],
      nows: Array.from({ length: FACTS_PER_RULE_SET }, () => NOW_MS),
    }),
  },
  {
    weight: 3,
    arbitrary: anchors.chain((moments) =>
      fc.record({
        windows: fc.array(ruleWindow(moments), { minLength: 60, maxLength: 60 }),
        nows: fc.array(
          fc.oneof(
            { weight: 4, arbitrary: nearAnchor(moments) },
            { weight: 1, arbitrary: fc.integer({ min: NOW_MS - 40 * DAY, max: NOW_MS + 40 * DAY }) },
          ),
          { minLength: FACTS_PER_RULE_SET, maxLength: FACTS_PER_RULE_SET },
        ),
      }),
    ),
  },
);

/** The rule set with the windows given to its rules, in order. */
function withWindows(input: RuleSetDefinitionInput, windows: readonly RuleWindow[]): RuleSetDefinitionInput {
  return { ...input, rules: input.rules.map((rule, index) => ({ ...rule, ...windows[index] })) };
}

/** What a trace must say of a rule's window at `nowMs`, read from the rule as written. */
function expectedWindow(rule: RuleWindow, nowMs: number): "upcoming" | "over" | undefined {
  if (inWindow(rule, nowMs)) return undefined;
  return rule.validFrom !== undefined && nowMs < Date.parse(rule.validFrom) ? "upcoming" : "over";
}

// ── Comparing the two evaluations ───────────────────────────────────────────────────────────────

type Leaf = {
  fact: unknown;
  path?: unknown;
  operator: unknown;
  value: unknown;
  factValue?: unknown;
  valueSeen?: unknown;
  result: unknown;
};
type Step = { group: "all" | "any"; size: number } | { group: "not" } | { unexpanded: unknown } | Leaf;

function leafStep(
  fact: unknown,
  path: unknown,
  operator: unknown,
  value: unknown,
  factValue: unknown,
  valueSeen: unknown,
  result: unknown,
): Leaf {
  return {
    fact,
    ...(path === undefined ? {} : { path }),
    operator,
    value,
    ...(factValue === undefined ? {} : { factValue }),
    ...(valueSeen === undefined ? {} : { valueSeen }),
    result,
  };
}

/**
 * A compiled trace, depth first: groups with their size, leaves with the value seen and the result
 * (references expanded in place: a shared condition the trace refers to is expanded as `shown`, by
 * name, holds it from where the trace showed it in full, in this or an earlier entry).
 */
function compiledSteps(node: TraceNode, steps: Step[] = [], shown = new Map<string, Step[]>()): Step[] {
  if ("ref" in node) {
    steps.push(...shown.get(node.condition)!);
    return steps;
  }
  const from = steps.length;
  if ("all" in node) {
    steps.push({ group: "all", size: node.all.length });
    for (const child of node.all) compiledSteps(child, steps, shown);
  } else if ("any" in node) {
    steps.push({ group: "any", size: node.any.length });
    for (const child of node.any) compiledSteps(child, steps, shown);
  } else if ("not" in node) {
    steps.push({ group: "not" });
    compiledSteps(node.not, steps, shown);
  } else {
    const seen = "valueSeen" in node ? node.valueSeen : node.value;
    steps.push(leafStep(node.fact, node.path, node.operator, node.value, node.factValue, seen, node.result));
  }
  if (node.condition !== undefined) shown.set(node.condition, steps.slice(from));
  return steps;
}

/**
 * json-rules-engine's `RuleResult.toJSON(false).conditions`, depth first, in the same shape. The engine
 * expands a condition reference in place when it evaluates it and leaves out `factResult` and
 * `valueResult` when undefined; a reference still unexpanded, or a leaf without a result, was never
 * evaluated, which the compiled rules never do either, so it shows as a difference.
 */
function referenceSteps(node: Record<string, unknown>, steps: Step[] = []): Step[] {
  for (const group of ["any", "all"] as const) {
    if (!Object.hasOwn(node, group)) continue;
    const children = node[group] as Record<string, unknown>[];
    steps.push({ group, size: children.length });
    for (const child of children) referenceSteps(child, steps);
    return steps;
  }
  if (Object.hasOwn(node, "not")) {
    steps.push({ group: "not" });
    return referenceSteps(node.not as Record<string, unknown>, steps);
  }
  if (Object.hasOwn(node, "condition")) {
    steps.push({ unexpanded: node.condition });
    return steps;
  }
  steps.push(leafStep(node.fact, node.path, node.operator, node.value, node.factResult, node.valueResult, node.result));
  return steps;
}

/**
 * Runs both on `facts` at `nowMs` and checks: the same fired rules in the same order with the same
 * params; a trace entry for every enabled rule, in evaluation order, those outside their window
 * saying on which side of it `nowMs` is and not fired, the others fired exactly when
 * json-rules-engine says so and with the same condition steps.
 */
async function expectSameEvaluation(
  definition: RuleSetDefinition,
  compiled: CompiledRuleSet,
  facts: RuleFacts,
  nowMs = NOW_MS,
) {
  const clock = () => new PeriodClock(nowMs, TEST_PERIODS);
  const referenceRun = clock();
  const reference = {
    ...(await referenceFirings(engineAt(definition, nowMs), definition, facts, referenceRun)),
    clock: referenceRun,
  };
  const firings = compiled.fire(facts, nowMs, clock());
  expectSame(firings, reference.firings, "fired rules, in order, with their params");
  const trace = compiled.explain(facts, nowMs, clock());
  const rules = new Map(definition.rules.map((rule) => [rule.name, rule]));
  expectSame(
    trace.map((entry) => [entry.rule, entry.window]),
    definition.rules
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) => rule.enabled)
      .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
      .map(({ rule }) => [rule.name, expectedWindow(rule, nowMs)]),
    "rules traced, in evaluation order, with their windows",
  );
  expectSame(
    trace.filter((entry) => entry.window === undefined).map((entry) => entry.rule),
    reference.results.map((result) => result.name),
    "applicable rules traced, as json-rules-engine evaluates them",
  );
  const shown = new Map<string, Step[]>();
  let applicable = 0;
  for (const entry of trace) {
    // a rule outside its window still shows its conditions, and may be the first to show a shared condition in full
    const steps = compiledSteps(entry.conditions, [], shown);
    if (entry.window !== undefined) {
      expectSame(entry.fired, false, `rule ${entry.rule}, outside its window, fired`);
      expectSame(rules.get(entry.rule)!.enabled, true, `rule ${entry.rule} is enabled`);
      continue;
    }
    const result = reference.results[applicable++]!;
    expectSame(entry.fired, result.result, `rule ${entry.rule} fired`);
    const conditions = (result.toJSON(false) as { conditions: Record<string, unknown> }).conditions;
    expectSame(steps, referenceSteps(conditions), `rule ${entry.rule}: conditions, depth first`);
  }
  return { firings, reference, trace, referenceClock: reference.clock };
}

/** The decision without the calendar flag: the Decider raises it for the counted leaves it evaluated, the reference for all. */
function unflagged(decision: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(decision.reasons)) return decision;
  const reasons = (decision.reasons as { code: string }[]).filter((r) => r.code !== CALENDAR_YEAR_UNKNOWN);
  return { ...decision, reasons };
}

/** Whether the decision carries the calendar flag. */
const flagged = (decision: Record<string, unknown>) =>
  Array.isArray(decision.reasons) && decision.reasons.some((r: { code: string }) => r.code === CALENDAR_YEAR_UNKNOWN);

/** Whether a trace step of an elapsed-time window is on its edge: the duration exactly, or a counted period's turn. */
function onEdge(step: { factValue?: unknown; value: unknown }, nowMs: number): boolean {
  if (typeof step.factValue !== "number") return false;
  if (typeof step.value === "string") return step.factValue === durationMs(step.value);
  const counted = countedValue(step.value);
  if (counted === undefined) return false;
  if (counted.counting === "elapsed") return step.factValue === durationMs(counted.duration);
  // the moment a millisecond earlier ends the period before now, this one after it
  const start = nowMs - step.factValue;
  const within = (from: number) => nowMs <= periodEnd(from, counted, TEST_PERIODS).endMs;
  return within(start) !== within(start - 1);
}

/** Every leaf of the rule set that reads an elapsed time. */
function elapsedLeaves(definition: RuleSetDefinition): LeafCondition[] {
  const found: LeafCondition[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      if ((node as LeafCondition).fact === "elapsed") found.push(node as LeafCondition);
      else Object.values(node).forEach(walk);
    }
  };
  walk([definition.rules.map((rule) => rule.conditions), definition.conditions]);
  return found;
}

// ── The default rule sets over random cases ─────────────────────────────────────────────────────

describe.each(ruleSetKindNames)("the default rule set %s", (kind) => {
  const definition = loadDefaultRuleSet(kind);
  const compiled = new CompiledRuleSet(definition);
  const decider = new Decider(kind, 1, definition);
  const decide = (firings: readonly Firing[], facts: CaseFacts, derived: RuleFacts, clock: PeriodClock) =>
    completeDecision(kind, foldFirings(kind, definition.defaults, firings), facts, derived, NOW_MS, clock);

  it(
    `fires, folds and traces as json-rules-engine does, over ${CASES} random cases`,
    async () => {
      const outcomes = new Map(compiled.rules.map((rule) => [rule.name, { fired: 0, failed: 0 }]));
      const onTheEdge = new Map<string, number>();
      const requestedVsMax = { equal: 0, above: 0 };

      await fc.assert(
        fc.asyncProperty(caseInput, async (input) => {
          const facts = CaseFacts.parse(input);
          const derived = deriveFacts(facts, NOW_MS);
          const { firings, reference, trace, referenceClock } = await expectSameEvaluation(
            definition,
            compiled,
            derived,
          );

          const decision = decide(reference.firings, facts, derived, referenceClock);
          expectSame(
            unflagged(decide(firings, facts, derived, new PeriodClock(NOW_MS, TEST_PERIODS))),
            unflagged(decision),
            "decision",
          );
          const decided = decider.decide(facts, { trace: false, nowMs: NOW_MS, periods: TEST_PERIODS });
          expectSame(unflagged(decided.decision), unflagged(decision), "the Decider's decision");
          // the years the Decider flags are among those the reference consulted, evaluating every leaf
          if (flagged(decided.decision)) expectSame(flagged(decision), true, "the reference flags the year too");
          expectSame(
            decided.firedRules,
            reference.firings.map((f) => f.name),
            "the Decider's fired rules",
          );

          const shown = new Map<string, Step[]>();
          for (const entry of trace) {
            const outcome = outcomes.get(entry.rule)!;
            if (entry.fired) outcome.fired++;
            else outcome.failed++;
            for (const step of compiledSteps(entry.conditions, [], shown)) {
              if ("fact" in step && step.fact === "elapsed" && onEdge(step, NOW_MS)) {
                const key = `${step.path} ${step.operator} ${JSON.stringify(step.value)}`;
                onTheEdge.set(key, (onTheEdge.get(key) ?? 0) + 1);
              }
            }
          }
          if (kind === "refund-eligibility" && facts.refund.requestedFen !== undefined) {
            const max = decision.maxRefundableFen as number;
            if (facts.refund.requestedFen === max) requestedVsMax.equal++;
            if (facts.refund.requestedFen === max + 1) requestedVsMax.above++;
          }
        }),
        assertOptions(CASES),
      );

      // the cases reached every rule both ways, and every elapsed-time window exactly on its edge
      for (const [rule, outcome] of outcomes) {
        expect(outcome.fired, `${rule} fired in some case`).toBeGreaterThan(0);
        expect(outcome.failed, `${rule} did not fire in some case`).toBeGreaterThan(0);
      }
      for (const window of elapsedLeaves(definition)) {
        const key = `${window.path} ${window.operator} ${JSON.stringify(window.value)}`;
        expect(onTheEdge.get(key) ?? 0, `${key}, elapsed exactly the duration`).toBeGreaterThan(0);
      }
      if (kind === "refund-eligibility") {
        expect(requestedVsMax.equal, "a request of exactly the maximum").toBeGreaterThan(0);
        expect(requestedVsMax.above, "a request of one fen above the maximum").toBeGreaterThan(0);
      }
    },
    timeoutFor(CASES),
  );
});

// ── The default rule sets with validity windows, decided at the case's now ─────────────────────

/** Each field's provenance, read from the reference's firings: the rule that states foldProvenance's, written out again. */
function expectedProvenance(
  kind: RuleSetKind,
  firings: readonly Firing[],
  folded: Record<string, unknown>,
  decision: Record<string, unknown>,
): Record<string, string> {
  const { lists, computed } = kindModule(kind);
  const giver = (field: string): string | undefined =>
    lists[field] === undefined
      ? firings.find((firing) => Object.hasOwn(firing.params, field))?.name
      : // the first rule listing anything adds an entry: nothing is listed before it
        firings.find((firing) => ((firing.params[field] as unknown[] | undefined) ?? []).length > 0)?.name;
  return Object.fromEntries(
    Object.keys(decision).map((field) => {
      const changedByComputation = lists[field] === undefined && !isDeepStrictEqual(decision[field], folded[field]);
      return [field, computed.includes(field) || changedByComputation ? "computed" : (giver(field) ?? "default")];
    }),
  );
}

/** For each fired rule, its fields earlier fired rules had already given, each with the rule that gave it first. */
function expectedTakenBy(kind: RuleSetKind, firings: readonly Firing[]): Record<string, string>[] {
  const { lists } = kindModule(kind);
  return firings.map((firing, position) => {
    const earlier = firings.slice(0, position);
    const takenBy: Record<string, string> = {};
    for (const [field, value] of Object.entries(firing.params)) {
      const key = lists[field];
      if (key === undefined) {
        const first = earlier.find((other) => Object.hasOwn(other.params, field));
        if (first) takenBy[field] = first.name;
        continue;
      }
      const entries = value as unknown[];
      const listing = (entry: unknown) =>
        earlier.find((other) =>
          ((other.params[field] as unknown[] | undefined) ?? []).some((e) => entryKey(e, key) === entryKey(entry, key)),
        );
      if (entries.length > 0 && entries.every((entry) => listing(entry) !== undefined))
        takenBy[field] = listing(entries[0]!)!.name;
    }
    return takenBy;
  });
}

const WINDOW_PLACEMENTS = Math.max(20, Math.round(CASES / 20));
const CASES_PER_PLACEMENT = 10;

describe.each(ruleSetKindNames)("the default rule set %s with validity windows", (kind) => {
  const base = loadDefaultRuleSet(kind);
  const placement = anchors.chain((moments) =>
    fc.record({
      windows: fc.array(ruleWindow(moments), { minLength: base.rules.length, maxLength: base.rules.length }),
      cases: fc.array(
        fc.tuple(
          caseInput,
          fc.oneof(
            { weight: 4, arbitrary: nearAnchor(moments) },
            { weight: 1, arbitrary: fc.integer({ min: NOW_MS - 40 * DAY, max: NOW_MS + 40 * DAY }) },
          ),
          fc.boolean(),
        ),
        { minLength: CASES_PER_PLACEMENT, maxLength: CASES_PER_PLACEMENT },
      ),
    }),
  );

  it(
    `decides at the case's now with the rules applicable then, as json-rules-engine does, with each field's provenance, ${WINDOW_PLACEMENTS} placements × ${CASES_PER_PLACEMENT} cases`,
    async () => {
      const seen = { upcoming: 0, over: 0, applicable: 0, overridden: 0, onTheEdge: 0 };
      await fc.assert(
        fc.asyncProperty(placement, async ({ windows, cases }) => {
          const definition = RuleSetDefinition.parse(withWindows(base, windows));
          const decider = new Decider(kind, 1, definition);
          for (const [input, nowMs, utc] of cases) {
            const facts = CaseFacts.parse({ ...input, now: instantText(nowMs, utc) });
            const derived = deriveFacts(facts, nowMs);
            const clock = new PeriodClock(nowMs, TEST_PERIODS);
            const reference = await referenceFirings(engineAt(definition, nowMs), definition, derived, clock);
            const folded = foldFirings(kind, definition.defaults, reference.firings);
            const decision = completeDecision(kind, folded, facts, derived, nowMs, clock);
            const decided = decider.decide(facts, {
              trace: true,
              nowMs: Date.parse(facts.now!),
              periods: TEST_PERIODS,
            });
            expectSame(unflagged(decided.decision), unflagged(decision), "decision");
            if (flagged(decided.decision)) expectSame(flagged(decision), true, "the reference flags the year too");
            expectSame(
              decided.firedRules,
              reference.firings.map((firing) => firing.name),
              "fired rules",
            );
            expectSame(decided.provenance, expectedProvenance(kind, reference.firings, folded, decision), "provenance");
            const trace = decided.trace!;
            const fired = trace.filter((entry) => entry.fired);
            expectSame(
              fired.map((entry) => entry.takenBy ?? {}),
              expectedTakenBy(kind, reference.firings),
              "fields taken by earlier rules",
            );
            for (const entry of fired) {
              const fields = Object.keys(reference.firings.find((firing) => firing.name === entry.rule)!.params);
              const overridden = fields.length > 0 && fields.every((field) => entry.takenBy?.[field] !== undefined);
              expectSame(entry.overridden, overridden ? true : undefined, `rule ${entry.rule} overridden`);
              if (overridden) seen.overridden++;
            }
            for (const entry of trace) {
              const rule = definition.rules.find((r) => r.name === entry.rule)!;
              expectSame(entry.window, expectedWindow(rule, nowMs), `rule ${entry.rule}'s window`);
              if (entry.window === undefined) seen.applicable++;
              else seen[entry.window]++;
              if ([rule.validFrom, rule.validUntil].some((at) => at !== undefined && Date.parse(at) === nowMs))
                seen.onTheEdge++;
            }
          }
        }),
        assertOptions(WINDOW_PLACEMENTS),
      );
      for (const [what, count] of Object.entries(seen)) expect(count, what).toBeGreaterThan(0);
    },
    timeoutFor(WINDOW_PLACEMENTS * CASES_PER_PLACEMENT * 2),
  );
});

// ── Generated rule sets over random facts ───────────────────────────────────────────────────────

describe("generated rule sets", () => {
  it(
    `fire and trace as json-rules-engine does, ${RULE_SETS} rule sets × ${FACTS_PER_RULE_SET} facts`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          generatedRuleSet,
          fc.array(ruleFacts, { minLength: FACTS_PER_RULE_SET, maxLength: FACTS_PER_RULE_SET }),
          windowing,
          async (input, factsList, { windows, nows }) => {
            const definition = RuleSetDefinition.parse(withWindows(input, windows));
            const compiled = new CompiledRuleSet(definition);
            for (const [index, facts] of factsList.entries())
              await expectSameEvaluation(definition, compiled, facts, nows[index]!);
          },
        ),
        assertOptions(RULE_SETS),
      );
    },
    timeoutFor(RULE_SETS * FACTS_PER_RULE_SET * 2),
  );
});

// ── Rule sets the compiled index files by fact ──────────────────────────────────────────────────

/**
 * A leaf the index can file a rule under: `equal` or `in` on a few facts that many rules compare,
 * with values inside and outside what the facts hold, and values a Map and `===` could tell apart
 * if the index were careless (0 and -0, null, false, "0", NaN, which is never equal to itself).
 */
const indexedFacts = [
  { fact: "order", path: "status" },
  { fact: "refund", path: "reason" },
  { fact: "refund", path: "state" },
  { fact: "refund", path: "wholeOrder" },
  { fact: "order", path: "promotionKindCount" },
] as const;
const indexedValue = fc.constantFrom<unknown>(
  ...orderStatuses,
  ...refundReasons.slice(0, 3),
  ...refundStates.slice(0, 3),
  "bogus",
  true,
  false,
  0,
  -0,
  1,
  null,
  "0",
  Number.NaN,
);
const indexedLeaf: fc.Arbitrary<LeafCondition> = fc
  .record({
    at: fc.constantFrom(...indexedFacts),
    operator: fc.constantFrom("equal", "equal", "in"),
    value: indexedValue,
    list: fc.uniqueArray(indexedValue, { minLength: 1, maxLength: 4, comparator: "SameValue" }),
  })
  .map(({ at, operator, value, list }) => ({ ...at, operator, value: operator === "in" ? list : value }));

/** What a policy rule looks like to the index: one to three filing leaves, then anything, nested `all`s included. */
function situation(refs: readonly string[]): fc.Arbitrary<Condition> {
  return fc
    .tuple(
      fc.array(indexedLeaf, { minLength: 1, maxLength: 3 }),
      fc.array(condition(2, refs), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([leaves, rest, nest]) => ({
      all: nest && leaves.length > 1 ? [{ all: leaves.slice(1) }, leaves[0]!, ...rest] : [...leaves, ...rest],
    }));
}

/**
 * 10–60 rules, most filed by the index: a situation, an `any` of two (filed under the values
 * either allows), a shared condition that is one, or now and then any rule at all; shared
 * conditions are situations referring only to those before them.
 */
const indexedRuleSet: fc.Arbitrary<RuleSetDefinitionInput> = fc.integer({ min: 0, max: 3 }).chain((sharedCount) => {
  const shared = Array.from({ length: sharedCount }, (_, index) => `shared-condition-${index}`);
  const ruleCondition: fc.Arbitrary<TopLevelCondition> = fc.oneof(
    { weight: 6, arbitrary: situation(shared) as fc.Arbitrary<TopLevelCondition> },
    { weight: 2, arbitrary: fc.tuple(situation(shared), situation(shared)).map(([a, b]) => ({ any: [a, b] })) },
    ...(shared.length > 0
      ? [{ weight: 1, arbitrary: fc.constantFrom(...shared).map((name): TopLevelCondition => ({ condition: name })) }]
      : []),
    { weight: 1, arbitrary: topLevel(3, shared) },
  );
  const rule = fc.record({
    priority: fc.integer({ min: 1, max: 5 }),
    enabled: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    conditions: ruleCondition,
  });
  return fc
    .record({
      conditions: fc.tuple(...shared.map((_, index) => situation(shared.slice(0, index)))),
      rules: fc.array(rule, { minLength: 10, maxLength: 60 }),
    })
    .map(({ conditions, rules }) => ({
      defaults: {},
      conditions: Object.fromEntries(shared.map((name, index) => [name, conditions[index] as TopLevelCondition])),
      rules: rules.map((rest, index) => {
        const name = `rule-${index}`;
        return { name, ...rest, event: { type: name, params: { tag: name } } };
      }),
    }));
});

describe("rule sets the index files by fact", () => {
  const ruleSets = Math.max(20, Math.round(RULE_SETS / 5));
  it(
    `fire and trace as json-rules-engine does, ${ruleSets} rule sets × ${FACTS_PER_RULE_SET} facts`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          indexedRuleSet,
          fc.array(ruleFacts, { minLength: FACTS_PER_RULE_SET, maxLength: FACTS_PER_RULE_SET }),
          windowing,
          async (input, factsList, { windows, nows }) => {
            const definition = RuleSetDefinition.parse(withWindows(input, windows));
            const compiled = new CompiledRuleSet(definition);
            for (const [index, facts] of factsList.entries())
              await expectSameEvaluation(definition, compiled, facts, nows[index]!);
          },
        ),
        assertOptions(ruleSets),
      );
    },
    timeoutFor(Math.max(20, Math.round(RULE_SETS / 5)) * FACTS_PER_RULE_SET * 20),
  );
});

// ── Concurrency ─────────────────────────────────────────────────────────────────────────────────

/** Waits a few microtasks, and for some callers a turn of the event loop, so that runs start and end at different times. */
async function arriveLate(index: number): Promise<void> {
  for (let i = 0; i < (index * 37) % 211; i++) await Promise.resolve();
  if (index % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
}

describe("concurrent decisions", () => {
  it.each(ruleSetKindNames)(
    "%s: 500 overlapping reference runs and compiled decisions each give their sequential answer",
    async (kind) => {
      const definition = loadDefaultRuleSet(kind);
      const engine = buildEngine(definition);
      const decider = new Decider(kind, 1, definition);
      const cases = fc
        .sample(caseInput, { numRuns: 500, seed: SEED ?? 20261120 })
        .map((input) => CaseFacts.parse(input));
      const evaluate = async (facts: CaseFacts, index: number | undefined) => {
        const derived = deriveFacts(facts, NOW_MS);
        if (index !== undefined) await arriveLate(index);
        const [reference, decided] = await Promise.all([
          referenceFirings(engine, definition, derived, new PeriodClock(NOW_MS, TEST_PERIODS)),
          (async () => {
            if (index !== undefined) await arriveLate(index * 7 + 3);
            return decider.decide(facts, { trace: true, nowMs: NOW_MS, periods: TEST_PERIODS });
          })(),
        ]);
        return { firings: reference.firings, results: reference.results.map((r) => [r.name, r.result]), decided };
      };

      const sequential: Awaited<ReturnType<typeof evaluate>>[] = [];
      for (const facts of cases) sequential.push(await evaluate(facts, undefined));
      const concurrent = await Promise.all(cases.map((facts, index) => evaluate(facts, index)));

      concurrent.forEach((answer, index) => {
        expectSame(answer, sequential[index], `case ${index}`);
      });
      expect(
        new Set(sequential.map((answer) => JSON.stringify(answer.firings))).size,
        "the cases decide differently",
      ).toBeGreaterThan(1);
    },
    60_000,
  );
});

// ── Regressions ─────────────────────────────────────────────────────────────────────────────────

describe("regressions", () => {
  const facts = deriveFacts(CaseFacts.parse({ now: NOW, order: { status: "paid" } }), NOW_MS);
  const always = (name: string, priority: number, params: Record<string, unknown> = {}) => ({
    name,
    priority,
    conditions: { all: [] },
    event: { type: name, params },
  });

  it("a reference run that starts while another on the same engine is between priority levels still evaluates every rule", async () => {
    // json-rules-engine's run status is the engine's: the first run to end used to mark it
    // FINISHED, and the runs still going skipped their lower priority levels
    const definition = RuleSetDefinition.parse({
      defaults: {},
      rules: [always("first", 3), always("second", 2), always("third", 1)],
    });
    const engine = buildEngine(definition);
    const runs = Array.from({ length: 40 }, async (_, index) => {
      for (let i = 0; i < index; i++) await Promise.resolve();
      return referenceFirings(engine, definition, facts);
    });
    for (const run of await Promise.all(runs)) {
      expect(run.firings.map((f) => f.name)).toEqual(["first", "second", "third"]);
      expect(run.results).toHaveLength(3);
    }
  });

  it("an operator named like an Object.prototype member is unknown, when compiled as in json-rules-engine", async () => {
    // the compiler looked operators up on a plain object, found `toString` there, and failed only
    // when deciding ("validate is not a function") where json-rules-engine says "Unknown operator"
    for (const operator of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const definition = RuleSetDefinition.parse({
        defaults: {},
        rules: [
          {
            ...always("odd-operator", 1),
            conditions: { all: [{ fact: "order", path: "status", operator, value: "paid" }] },
          },
        ],
      });
      expect(() => new CompiledRuleSet(definition), operator).toThrow(`Unknown operator: ${operator}`);
      await expect(referenceFirings(buildEngine(definition), definition, facts), operator).rejects.toThrow(
        `Unknown operator: ${operator}`,
      );
    }
  });

  it("a list value is never the very list a fact holds, as json-rules-engine compares against a fresh clone of the rule", async () => {
    // found with facts built in-process that shared an array with the rule: the compiler compared
    // by identity and found them equal, json-rules-engine never does
    const list = [1];
    const definition = RuleSetDefinition.parse({
      defaults: {},
      rules: [
        {
          ...always("same-list-not-equal", 1),
          conditions: { all: [{ fact: "refund", operator: "notEqual", value: list }] },
        },
        { ...always("same-list-equal", 1), conditions: { all: [{ fact: "refund", operator: "equal", value: list }] } },
      ],
    });
    const sharing = { ...facts, refund: list } as unknown as RuleFacts;
    const compiled = new CompiledRuleSet(definition);
    expect(compiled.fire(sharing).map((f) => f.name)).toEqual(["same-list-not-equal"]);
    expect((await referenceFirings(buildEngine(definition), definition, sharing)).firings.map((f) => f.name)).toEqual([
      "same-list-not-equal",
    ]);
    expect(compiled.explain(sharing).map((entry) => entry.fired)).toEqual([true, false]);
  });

  it("event params reach the fold whole, keys named like Object.prototype's members included", async () => {
    // json-rules-engine deep-clones each rule's event with the `clone` package, which skips keys
    // the prototype already has (valueOf, toString, constructor…); the compiled rules hand the
    // params over as written. Not copied into the compiler on purpose: it would lose data, and the
    // rule sets' params schemas are strict objects, so a valid rule set never has such keys.
    const params = { tag: "odd-keys", payload: { valueOf: 0, toString: "x", constructor: 1, kept: true } };
    const definition = RuleSetDefinition.parse({ defaults: {}, rules: [always("odd-keys", 1, params)] });
    expect(new CompiledRuleSet(definition).fire(facts)).toStrictEqual([{ name: "odd-keys", params }]);
    const reference = await referenceFirings(buildEngine(definition), definition, facts);
    expect(reference.firings).toStrictEqual([
      { name: "odd-keys", params: { tag: "odd-keys", payload: { kept: true } } },
    ]);
  });
});
