import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import type { CreatedApiKey } from "../shared/access.ts";
import { DraftConflictMembers, Problem } from "../shared/api.ts";
import { DraftInvariants, InvariantsSaved } from "../shared/invariants.ts";
import type { Invariant } from "../shared/rules.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * A rule set's invariants: shipped with the default rule sets, checked as rules are checked, read and saved on their
 * own or with the draft, merged invariant by invariant like rules, audited by name, and refused to a key of another
 * rule set.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const S12 = "seller-fault-seller-pays-both-legs";

async function invariantsOf(key: string): Promise<DraftInvariants> {
  const res = await app.call("GET", `/api/v1/rule-sets/${key}/invariants`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return DraftInvariants.parse(res.body);
}
const put = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  app.call("PUT", `/api/v1/rule-sets/${key}/invariants`, body, headers);
function expectProblem(res: { status: number; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(status);
  return Problem.parse(res.body);
}
const anInvariant = (over: Partial<Invariant> = {}): Invariant => ({
  name: "refused-delivery-buyer-pays-return",
  title: "买家拒签 → 退货运费由买家承担",
  conditions: { all: [{ fact: "shipping", path: "deliveryRefused", operator: "equal", value: true }] },
  expect: { returnShippingPayer: "buyer" },
  ...over,
});

describe("the shipped invariants", () => {
  it("come with the default rule sets: in the draft and in the version imported at bootstrap", async () => {
    const shipping = await invariantsOf("shipping-fee");
    expect(shipping.invariants.map((i) => i.name)).toEqual([S12, "seller-fault-exchange-seller-sends-the-replacement"]);
    expect(shipping.invariants[0]!.expect).toEqual({ returnShippingPayer: "seller", outboundShippingPayer: "seller" });
    const refund = await invariantsOf("refund-eligibility");
    expect(refund.invariants.map((i) => i.name)).toEqual([
      "refund-never-exceeds-paid-less-refunded",
      "seven-day-return-inside-the-window-is-granted",
      "a-used-claim-is-never-granted-again",
    ]);
    for (const invariant of [...shipping.invariants, ...refund.invariants]) expect(invariant.title).toMatch(/^S1\d：/);
    const version = await app.call("GET", "/api/v1/rule-sets/refund-eligibility/versions/1");
    expect(version.body.invariants).toEqual(refund.invariants);
    expect((await invariantsOf("timeouts")).invariants).toEqual([]);
  });
});

/** One invariant of a draft broken one way, the path of the problem and its code. */
const broken: [what: string, key: string, invariants: unknown[], path: string, code: string][] = [
  ["a name used twice", "shipping-fee", [anInvariant(), anInvariant()], "invariants.1.name", "duplicate_name"],
  [
    "a fact the catalog lacks",
    "shipping-fee",
    [anInvariant({ conditions: { all: [{ fact: "weather", path: "rain", operator: "equal", value: true }] } })],
    "invariants.0.conditions.all.0.fact",
    "unknown_fact",
  ],
  [
    "an operator that does not fit the fact",
    "shipping-fee",
    [
      anInvariant({
        conditions: { all: [{ fact: "shipping", path: "deliveryRefused", operator: "lessThan", value: true }] },
      }),
    ],
    "invariants.0.conditions.all.0.operator",
    "operator_mismatch",
  ],
  [
    "a shared condition that does not exist",
    "shipping-fee",
    [anInvariant({ conditions: { condition: "nowhere" } })],
    "invariants.0.conditions.condition",
    "unknown_condition",
  ],
  [
    "a field the decision lacks",
    "shipping-fee",
    [anInvariant({ expect: { insurancePayer: "seller" } })],
    "invariants.0.expect.insurancePayer",
    "unknown_field",
  ],
  [
    "a value outside the field's values",
    "shipping-fee",
    [anInvariant({ expect: { returnShippingPayer: "platform" } })],
    "invariants.0.expect.returnShippingPayer",
    "not_in_enum",
  ],
  [
    "a value outside the field's values, in a list",
    "shipping-fee",
    [anInvariant({ expect: { returnShippingPayer: { operator: "in", value: ["seller", "courier"] } } })],
    "invariants.0.expect.returnShippingPayer.value",
    "not_in_enum",
  ],
  [
    "an empty list",
    "shipping-fee",
    [anInvariant({ expect: { returnShippingPayer: { operator: "notIn", value: [] } } })],
    "invariants.0.expect.returnShippingPayer.value",
    "empty_list",
  ],
  [
    "a comparison that does not fit the field",
    "shipping-fee",
    [anInvariant({ expect: { returnShippingPayer: { operator: "lessThanInclusive", value: "seller" } } })],
    "invariants.0.expect.returnShippingPayer.operator",
    "operator_mismatch",
  ],
  [
    "a yes/no field expected to be a word",
    "shipping-fee",
    [anInvariant({ expect: { freightCollectAllowed: "yes" } })],
    "invariants.0.expect.freightCollectAllowed",
    "not_boolean",
  ],
  [
    "an enum field compared with a money fact",
    "shipping-fee",
    [
      anInvariant({
        expect: { returnShippingPayer: { operator: "equal", value: { fact: "order", path: "paidFen" } } },
      }),
    ],
    "invariants.0.expect.returnShippingPayer.value",
    "not_comparable",
  ],
  [
    "a fact the catalog lacks as the expected value",
    "refund-eligibility",
    [
      anInvariant({
        expect: { maxRefundableFen: { operator: "lessThanInclusive", value: { fact: "amount", path: "all" } } },
      }),
    ],
    "invariants.0.expect.maxRefundableFen.value",
    "unknown_fact",
  ],
  [
    "money that is not whole fen",
    "refund-eligibility",
    [anInvariant({ expect: { maxRefundableFen: { operator: "lessThanInclusive", value: 12.5 } } })],
    "invariants.0.expect.maxRefundableFen.value",
    "not_money",
  ],
  [
    "a list field, which has no single value",
    "refund-eligibility",
    [anInvariant({ expect: { reasons: "ORDER_CLOSED" } })],
    "invariants.0.expect.reasons",
    "unknown_field",
  ],
  ["no expectation at all", "shipping-fee", [anInvariant({ expect: {} })], "invariants.0.expect", "too_small"],
  [
    "a name that is not kebab-case",
    "shipping-fee",
    [anInvariant({ name: "Seller Pays" })],
    "invariants.0.name",
    "invalid_format",
  ],
];

describe("an invariant is checked as a rule is", () => {
  it.each(broken)("%s is refused with a field problem (422)", async (_what, key, invariants, path, code) => {
    const { revision } = await invariantsOf(key);
    const problem = expectProblem(await put(key, { revision, invariants }), 422);
    expect(problem.errors?.map((e) => [e.path, e.code])).toContainEqual([path, code]);
    expect((await invariantsOf(key)).revision).toBe(revision);
  });

  it("refuses a decidedByRules field no rule may set, and one listed twice", async () => {
    const { revision, invariants } = await invariantsOf("shipping-fee");
    const problem = expectProblem(
      await put("shipping-fee", {
        revision,
        invariants,
        decidedByRules: ["returnShippingPayer", "settlement", "returnShippingPayer"],
      }),
      422,
    );
    expect(problem.errors?.map((e) => [e.path, e.code])).toEqual([
      ["decidedByRules.1", "unknown_field"],
      ["decidedByRules.2", "duplicate_name"],
    ]);
  });

  it("is checked in a draft save too, at the same path", async () => {
    const { draft } = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: draft.rules,
      invariants: [anInvariant({ expect: { returnShippingPayer: "platform" } })],
    });
    expect(expectProblem(res, 422).errors?.map((e) => e.path)).toEqual(["invariants.0.expect.returnShippingPayer"]);
  });

  it("refuses more than 200 invariants", async () => {
    const { revision } = await invariantsOf("shipping-fee");
    const many = Array.from({ length: 201 }, (_, i) =>
      anInvariant({ name: `i-${i}`, title: undefined, conditions: { all: [] } }),
    );
    const problem = expectProblem(await put("shipping-fee", { revision, invariants: many }), 422);
    expect(problem.errors?.map((e) => [e.path, e.code])).toEqual([["invariants", "too_big"]]);
  });

  it("bounds what an invariant's conditions may cost once shared conditions are expanded", async () => {
    // three references to a condition of 200 × 200 leaves: 120 000 leaves once expanded, over the bound of 100 000
    const leaf = { fact: "order", path: "freeShipping", operator: "equal", value: true };
    const { draft } = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    const conditions = {
      wide: { all: Array.from({ length: 200 }, () => leaf) },
      wider: { all: Array.from({ length: 200 }, () => ({ condition: "wide" })) },
    };
    const heavy = anInvariant({
      conditions: { all: [{ condition: "wider" }, { condition: "wider" }, { condition: "wider" }] },
    });
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: draft.rules,
      conditions,
      invariants: [heavy],
    });
    expect(expectProblem(res, 422).errors?.map((e) => [e.path, e.code])).toEqual([
      ["invariants.0.conditions", "too_large"],
    ]);
  });
});

describe("read and saved with the draft", () => {
  it("saves the list on the draft's revision, keeps the rules, and a rules-only save keeps the invariants", async () => {
    const before = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    const { revision, invariants } = await invariantsOf("shipping-fee");
    const res = await put("shipping-fee", {
      revision,
      invariants: [...invariants, anInvariant()],
      decidedByRules: ["returnShippingPayer"],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const saved = InvariantsSaved.parse(res.body);
    expect(saved).toMatchObject({ revision: revision + 1, merged: false, decidedByRules: ["returnShippingPayer"] });
    const after = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    expect(after.rules).toEqual(before.rules);
    const rulesOnly = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: after.revision,
      rules: after.rules.slice(1),
    });
    expect(rulesOnly.status).toBe(200);
    expect(rulesOnly.body.draft.invariants.map((i: Invariant) => i.name)).toEqual([
      ...invariants.map((i) => i.name),
      anInvariant().name,
    ]);
    expect(rulesOnly.body.draft.decidedByRules).toEqual(["returnShippingPayer"]);
    const audit = (
      await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee", action: "draft.replace" })
    ).map((row) => row.detail as Record<string, unknown>);
    expect(audit.at(-2)).toMatchObject({ invariantsAdded: [anInvariant().name], decidedByRulesChanged: true });
    expect(audit.at(-1)).not.toHaveProperty("invariantsAdded");
    // back to the seed's, and an empty list leaves no trace in the definition
    const restored = await put("shipping-fee", {
      revision: rulesOnly.body.draft.revision,
      invariants,
      decidedByRules: [],
    });
    expect(restored.status).toBe(200);
    const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    expect(draft).not.toHaveProperty("decidedByRules");
    await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: draft.revision, rules: before.rules });
    expect(
      (await app.call("GET", "/api/v1/rule-sets")).body.ruleSets.find((r: any) => r.key === "shipping-fee"),
    ).toMatchObject({ draftDiffers: false });
  });

  it("merges a save on an older revision invariant by invariant, and refuses two different changes to one", async () => {
    const start = await invariantsOf("shipping-fee");
    // S12 first; the others shipped stay as they are throughout
    const [s12, ...others] = start.invariants;
    // one person adds an invariant, another retitles S12, both on the same revision
    expect(
      (await put("shipping-fee", { revision: start.revision, invariants: [s12, ...others, anInvariant()] })).status,
    ).toBe(200);
    const retitled = { ...s12!, title: "S12：卖家责任，来回运费卖家出" };
    const merged = await put("shipping-fee", { revision: start.revision, invariants: [retitled, ...others] });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ merged: true, mergedWith: ["api-key:bootstrap"] });
    expect(merged.body.invariants).toEqual([retitled, ...others, anInvariant()]);
    const audit = (
      await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee", action: "draft.replace" })
    ).at(-1)!.detail as Record<string, unknown>;
    expect(audit).toMatchObject({ invariantsChanged: [S12], merged: true });

    // both change S12, differently: nothing is saved, both versions are named
    const base = merged.body.revision as number;
    await put("shipping-fee", {
      revision: base,
      invariants: [{ ...retitled, title: "甲的标题" }, ...others, anInvariant()],
    });
    const refused = await put("shipping-fee", { revision: base, invariants: [...others, anInvariant()] });
    expectProblem(refused, 409);
    const members = DraftConflictMembers.parse(refused.body);
    expect(members.conflicts).toEqual([{ invariant: S12, theirs: { ...retitled, title: "甲的标题" }, mine: null }]);
    expect(members.mergedKeepingTheirs.invariants?.map((i) => i.name)).toEqual([
      S12,
      ...others.map((i) => i.name),
      anInvariant().name,
    ]);
  });
});

describe("access", () => {
  let limited: CreatedApiKey;
  let reader: CreatedApiKey;
  beforeAll(async () => {
    const aKey = async (body: Record<string, unknown>) => {
      const res = await app.call("POST", "/api/v1/api-keys", body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as CreatedApiKey;
    };
    limited = await aKey({
      name: "refund-team",
      scopes: ["rules:read", "rules:write"],
      ruleSets: ["refund-eligibility"],
    });
    reader = await aKey({ name: "reader", scopes: ["rules:read"] });
  });
  const as = (key: CreatedApiKey) => ({ authorization: `Bearer ${key.key}` });

  it("refuses a key limited to another rule set, reading or saving", async () => {
    expectProblem(await app.call("GET", "/api/v1/rule-sets/shipping-fee/invariants", undefined, as(limited)), 403);
    const { revision, invariants } = await invariantsOf("shipping-fee");
    expectProblem(await put("shipping-fee", { revision, invariants }, as(limited)), 403);
    expect(
      (await app.call("GET", "/api/v1/rule-sets/refund-eligibility/invariants", undefined, as(limited))).status,
    ).toBe(200);
  });

  it("lets rules:read read and refuses it a save", async () => {
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee/invariants", undefined, as(reader))).status).toBe(
      200,
    );
    const { revision, invariants } = await invariantsOf("shipping-fee");
    expectProblem(await put("shipping-fee", { revision, invariants }, as(reader)), 403);
  });

  it("answers 404 for a rule set that does not exist", async () => {
    expectProblem(await app.call("GET", "/api/v1/rule-sets/nothing/invariants"), 404);
  });
});
