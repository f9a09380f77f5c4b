import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidCase, parseCase } from "../server/decisions/case-validator.ts";
import {
  CaseFacts,
  MAX_FEN,
  orderStatuses,
  productTypes,
  promotionKinds,
  refundReasons,
  refundStates,
} from "../shared/case-facts.ts";

/**
 * The decision endpoint's compiled case validator (ajv, from zod's JSON Schema) against zod itself: for valid cases,
 * broken ones and edge cases, the same verdict, the same parsed case, the same issues. CASE_VALIDATOR_RUNS sets the
 * runs per property (3 000 by default).
 */
const RUNS = Number(process.env.CASE_VALIDATOR_RUNS ?? 3000);

const id = fc.oneof(
  fc.constantFrom(
    "A",
    "B",
    "SKU-1",
    "x".repeat(100),
    "😀".repeat(50),
    "😀".repeat(51),
    "é".repeat(100),
    "a".repeat(101),
    "",
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ unit: "grapheme", minLength: 45, maxLength: 60 }),
);
const fen = fc.oneof(
  fc.constantFrom(0, 1, 999, MAX_FEN, MAX_FEN + 1, -1, -0, 0.5, 2 ** 53, 1e21),
  fc.integer({ min: 0, max: 100_000_000 }),
);
const quantity = fc.oneof(fc.constantFrom(0, 1, 2, 100_000, 100_001, 1.5, -1), fc.integer({ min: 1, max: 5 }));
/** Times in and out of zod's ISO pattern: offsets, Z, fractions, leap days, hours past 23, no offset, lower-case t. */
const time = fc.oneof(
  fc
    .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc
    .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true })
    .map((d) => d.toISOString().replace(".000Z", "+08:00")),
  fc.constantFrom(
    "2024-02-29T10:00:00+08:00",
    "2026-02-29T10:00:00+08:00",
    "2026-11-20T24:00:00Z",
    "2026-11-20T10:00:00",
    "2026-11-20t10:00:00Z",
    "2026-11-20T10:00:00.123456789+08:00",
    "2026-11-20T10:00Z",
    "2026-11-20 10:00:00Z",
    "2026-11-20T10:00:00+0800",
    "2026-11-20T10:00:00+24:00",
    "２０２６-11-20T10:00:00Z",
    "",
  ),
);

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });
const caseShape = fc.record({
  now: optional(time),
  order: fc.record({
    status: fc.constantFrom(...orderStatuses),
    productType: optional(fc.constantFrom(...productTypes)),
    freeShipping: optional(fc.boolean()),
    shippingFeeFen: optional(fen),
    items: optional(
      fc.array(fc.record({ id, priceFen: fen, quantity, sevenDayReturn: optional(fc.boolean()) }), { maxLength: 4 }),
    ),
    promotions: optional(
      fc.array(fc.record({ kind: fc.constantFrom(...promotionKinds), amountFen: fen }), { maxLength: 3 }),
    ),
    paidFen: optional(fen),
    refundedFen: optional(fen),
    shippedAt: optional(time),
    deliveredAt: optional(time),
    completedAt: optional(time),
  }),
  refund: optional(
    fc.record({
      items: optional(fc.array(fc.record({ id, quantity }), { maxLength: 4 })),
      goodsReceived: optional(fc.boolean()),
      returnGoods: optional(fc.boolean()),
      reason: optional(fc.constantFrom(...refundReasons)),
      requestedFen: optional(fen),
      state: optional(fc.constantFrom(...refundStates)),
      appliedAt: optional(time),
      stateSince: optional(time),
    }),
  ),
  shipping: optional(
    fc.record({
      deliveryRefused: optional(fc.boolean()),
      freightCollect: optional(fc.boolean()),
      sellerConsentsFreightCollect: optional(fc.boolean()),
      sellerAgreedToPayReturn: optional(fc.boolean()),
    }),
  ),
  claim: optional(fc.record({ used: optional(fc.boolean()) })),
});

/** A case as JSON carries it: no undefined members, only absent ones. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/** Cases whose refund names the order's own items, so that the consistency checks pass as often as they fail. */
const consistentCase = caseShape.map((shape) => {
  const facts = asJson(shape) as {
    order: { items?: { id: string; quantity: number }[] };
    refund?: { items?: { id: string; quantity: number }[] };
  };
  const items = facts.order.items ?? [];
  if (facts.refund?.items)
    facts.refund.items = facts.refund.items.map((line, index) => ({ ...line, id: items[index]?.id ?? line.id }));
  return facts;
});

/** One change that may break a case: a member replaced by any JSON value, removed, or an unknown member added. */
const mutation = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom("replace", "remove", "add", "proto"),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(null, "", [], {}, "paid", true, 0, -1, 1e12, "2026-11-20T10:00:00Z"),
  ),
  key: fc.oneof(fc.constantFrom("extra", "constructor", "toString", "__proto__", "items"), fc.string({ maxLength: 6 })),
});

/** Every object and array in `value`, outermost first. */
function containers(
  value: unknown,
  found: (Record<string, unknown> | unknown[])[] = [],
): (Record<string, unknown> | unknown[])[] {
  if (value !== null && typeof value === "object") {
    found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) containers(child, found);
  }
  return found;
}

function mutate(
  facts: unknown,
  changes: readonly { at: number; kind: string; value: unknown; key: string }[],
): unknown {
  const copy = asJson(facts);
  for (const { value: shared, ...change } of changes) {
    // a copy each time: the same value put in twice would nest in itself
    const value = asJson(shared);
    const all = containers(copy);
    const target = all[change.at % all.length]!;
    if (Array.isArray(target)) {
      // an array stays an array JSON can carry: elements replaced, removed or added, no named members
      if (change.kind === "replace" && target.length > 0) target[change.at % target.length] = value;
      else if (change.kind === "remove" && target.length > 0) target.splice(change.at % target.length, 1);
      else target.push(value);
      continue;
    }
    const keys = Object.keys(target);
    const key = keys.length > 0 ? keys[change.at % keys.length]! : change.key;
    if (change.kind === "replace") target[key] = value;
    else if (change.kind === "remove") delete target[key];
    else if (change.kind === "add") target[change.key] = value;
    // as JSON.parse builds it: an own member named __proto__, not a prototype
    else Object.defineProperty(target, "__proto__", { value, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

function expectSameAsZod(facts: unknown): void {
  const expected = CaseFacts.safeParse(structuredClone(facts));
  const actual = parseCase(structuredClone(facts));
  expect(actual.success).toBe(expected.success);
  // and the compiled check alone says so, without falling back to zod: as strict as zod, and no stricter
  expect(isValidCase(structuredClone(facts))).toBe(expected.success);
  if (actual.success && expected.success) expect(actual.data).toStrictEqual(expected.data);
  if (!actual.success && !expected.success) expect(actual.error.issues).toStrictEqual(expected.error.issues);
}

describe("compiled case validator = zod", () => {
  it("agrees on well-formed cases, consistent or not", () => {
    let valid = 0;
    fc.assert(
      fc.property(consistentCase, (facts) => {
        expectSameAsZod(facts);
        if (CaseFacts.safeParse(structuredClone(facts)).success) valid++;
      }),
      { numRuns: RUNS },
    );
    // the generator must reach both verdicts, or the property says little
    expect(valid).toBeGreaterThan(RUNS / 20);
    expect(valid).toBeLessThan(RUNS);
  });

  it("agrees on broken cases: members replaced by any JSON, removed, added, own __proto__ members", () => {
    fc.assert(
      fc.property(consistentCase, fc.array(mutation, { minLength: 1, maxLength: 3 }), (facts, changes) =>
        expectSameAsZod(mutate(facts, changes)),
      ),
      { numRuns: RUNS },
    );
  });

  it("agrees on values that are not a case at all", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => expectSameAsZod(value)),
      { numRuns: RUNS / 3 },
    );
    for (const value of [
      null,
      [],
      {},
      "",
      0,
      { order: null },
      { order: [] },
      { order: { status: "paid" }, refund: null },
    ])
      expectSameAsZod(value);
  });

  it("fills the defaults into the value it is given and answers with that value", () => {
    const facts = { order: { status: "paid" } };
    const parsed = parseCase(facts);
    expect(parsed.success && parsed.data).toBe(facts);
    expect(facts).toStrictEqual(CaseFacts.parse({ order: { status: "paid" } }));
  });
});
