import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../server/audit/store.ts";
import { insertApiKey } from "../server/auth/api-keys.ts";
import { Problem } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const sevenDayFreeShipping = aCase({
  order: { freeShipping: true },
  refund: { reason: "no_reason_7d", returnGoods: true },
});

/** The seller pays the return of a seven-day return of free-shipping goods: the change the admin journey makes. */
const sellerPaysSevenDayReturns = {
  name: "seller-pays-return-of-seven-day-free-shipping",
  description: "Promotion: sellers pay the return postage of seven-day returns of free-shipping goods.",
  priority: 350,
  enabled: true,
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
    ],
  },
  event: { type: "seller-pays-return", params: { returnShippingPayer: "seller" } },
};

async function draftOf(key: string) {
  const res = await app.call("GET", `/api/v1/rule-sets/${key}`);
  expect(res.status).toBe(200);
  return res.body.draft as {
    revision: number;
    rules: any[];
    defaults: Record<string, unknown>;
    conditions: Record<string, unknown>;
  };
}

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(Problem.parse(res.body).status).toBe(status);
  return res.body as Problem & Record<string, unknown>;
}

describe("reading rule sets", () => {
  it("lists the four default rule sets, published as version 1, with no draft change", async () => {
    const res = await app.call("GET", "/api/v1/rule-sets");
    expect(res.status).toBe(200);
    expect(res.body.ruleSets.map((r: any) => [r.key, r.activeVersion, r.draftDiffers])).toEqual([
      ["refund-eligibility", 1, false],
      ["service-playbook", 1, false],
      ["shipping-fee", 1, false],
      ["timeouts", 1, false],
    ]);
    expect(res.body.ruleSets[0].publishedBy).toBe("system");
  });

  it("shows a rule set's draft and active version", async () => {
    const res = await app.call("GET", "/api/v1/rule-sets/shipping-fee");
    expect(res.body.draft.revision).toBe(1);
    expect(res.body.active.version).toBe(1);
    expect(res.body.draft.rules).toEqual(res.body.active.rules);
  });

  it("answers 404 for an unknown rule set or version", async () => {
    expectProblem(await app.call("GET", "/api/v1/rule-sets/nope"), 404);
    expectProblem(await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions/99"), 404);
    expectProblem(await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions/abc"), 404);
    expectProblem(await app.decide("nope", aCase()), 404);
    expectProblem(await app.decide("shipping-fee", aCase(), { version: 42 }), 404);
  });
});

describe("changing, publishing and rolling back", () => {
  it("decides with a published change at once, pins old versions, and rolls back as a new version", async () => {
    const before = await app.decide("shipping-fee", sevenDayFreeShipping);
    expect(before.body.decision.returnShippingPayer).toBe("buyer");

    const draft = await draftOf("shipping-fee");
    const saved = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [sellerPaysSevenDayReturns, ...draft.rules],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.draft.revision).toBe(draft.revision + 1);
    expect(saved.body.draftDiffers).toBe(true);

    // a saved draft does not decide
    expect((await app.decide("shipping-fee", sevenDayFreeShipping)).body.decision.returnShippingPayer).toBe("buyer");

    // the seed's test case for this situation now fails, so publishing is refused
    const refused = expectProblem(await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {}), 422);
    expect((refused as any).failures.map((f: any) => f.name)).toEqual([
      "七天无理由、卖家包邮：各自承担，买家付退货运费",
    ]);
    expect((refused as any).failures[0].mismatches).toEqual([
      {
        field: "returnShippingPayer",
        expected: "buyer",
        actual: "seller",
        setBy: "seller-pays-return-of-seven-day-free-shipping",
      },
      { field: "settlement", expected: "none", actual: "buyer_advances_seller_reimburses", setBy: "computed" },
    ]);

    // update the expectation, then publish
    const cases = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/test-cases")).body.testCases;
    cases[1].expect = {
      returnShippingPayer: "seller",
      outboundShippingPayer: "seller",
      settlement: "buyer_advances_seller_reimburses",
    };
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", { testCases: cases })).status).toBe(200);
    const run = await app.call("POST", "/api/v1/rule-sets/shipping-fee/test-cases/run");
    expect(run.body.passed).toBe(true);
    const published = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
      note: "Double 11: sellers pay seven-day returns",
    });
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ version: 2, unchanged: false });

    // decides with version 2 at once, without a restart
    const after = await app.decide("shipping-fee", sevenDayFreeShipping);
    expect(after.body.version).toBe(2);
    expect(after.body.decision.returnShippingPayer).toBe("seller");
    expect(after.body.firedRules[0]).toBe("seller-pays-return-of-seven-day-free-shipping");

    // version pinning: version 1 still answers as before
    const pinned = await app.decide("shipping-fee", sevenDayFreeShipping, { version: 1 });
    expect(pinned.body.version).toBe(1);
    expect(pinned.body.decision).toEqual(before.body.decision);

    // publishing the same draft again changes nothing
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {})).body).toEqual({
      version: 2,
      unchanged: true,
    });

    // rollback to version 1 makes version 3, with version 1's rules
    const rolled = await app.call("POST", "/api/v1/rule-sets/shipping-fee/rollback", { version: 1 });
    expect(rolled.body).toEqual({ version: 3, unchanged: false });
    const restored = await app.decide("shipping-fee", sevenDayFreeShipping);
    expect(restored.body.version).toBe(3);
    expect(restored.body.decision).toEqual(before.body.decision);

    const versions = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions")).body.versions;
    expect(versions.map((v: any) => [v.version, v.rolledBackFrom, v.active])).toEqual([
      [3, 1, true],
      [2, null, false],
      [1, null, false],
    ]);
    expect(versions[1].note).toBe("Double 11: sellers pay seven-day returns");
    const v2 = await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions/2");
    expect(v2.body.rules[0].name).toBe("seller-pays-return-of-seven-day-free-shipping");

    // every change has its audit row
    const audit = await listAudit(app.ctx.db, { entity: "rule-set", entityKey: "shipping-fee" });
    expect(audit.map((a) => a.action)).toEqual([
      "import",
      "draft.replace",
      "test-cases.replace",
      "publish",
      "rollback",
    ]);
    expect(audit[1]!.detail).toMatchObject({
      added: ["seller-pays-return-of-seven-day-free-shipping"],
      removed: [],
      changed: [],
    });
  });

  it("refuses a stale save that changes a rule removed meanwhile with 409 and keeps the newer draft", async () => {
    const draft = await draftOf("timeouts");
    const first = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", {
      revision: draft.revision,
      rules: draft.rules.slice(1),
    });
    expect(first.status).toBe(200);
    const second = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", {
      revision: draft.revision,
      rules: draft.rules.map((rule: any, i: number) => (i === 0 ? { ...rule, description: "changed" } : rule)),
    });
    const problem = expectProblem(second, 409);
    expect((problem as any).currentRevision).toBe(draft.revision + 1);
    expect((await draftOf("timeouts")).rules).toHaveLength(draft.rules.length - 1);
    // put it back
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", { revision: draft.revision + 1, rules: draft.rules }))
        .status,
    ).toBe(200);
  });
});

describe("invalid rules are refused with 422, each problem at its field", () => {
  const leaf = (fact: string, path: string, operator: string, value: unknown) => ({
    all: [{ fact, path, operator, value }],
  });
  const rule = (
    conditions: unknown,
    params: Record<string, unknown> = { returnShippingPayer: "seller" },
    name = "broken-rule",
  ) => ({
    name,
    priority: 10,
    conditions,
    event: { type: "x", params },
  });

  it.each([
    [
      "an unknown fact",
      rule(leaf("parcel", "weight", "equal", 1)),
      "rules.0.conditions.all.0.fact",
      /unknown fact "parcel"/,
    ],
    [
      "an unknown path",
      rule(leaf("order", "colour", "equal", "red")),
      "rules.0.conditions.all.0.path",
      /has no path "colour"/,
    ],
    [
      "a JSONPath path",
      rule(leaf("order", "$.status", "equal", "paid")),
      "rules.0.conditions.all.0.path",
      /plain dotted path/,
    ],
    [
      "an operator that does not fit the type",
      rule(leaf("order", "status", "greaterThan", "paid")),
      "rules.0.conditions.all.0.operator",
      /does not fit order.status \(enum\)/,
    ],
    [
      "a value outside the enum",
      rule(leaf("order", "status", "equal", "lost")),
      "rules.0.conditions.all.0.value",
      /"lost" is not one of/,
    ],
    [
      "a value of the wrong type",
      rule(leaf("order", "freeShipping", "equal", "yes")),
      "rules.0.conditions.all.0.value",
      /true or false/,
    ],
    [
      "money that is not whole fen",
      rule(leaf("order", "paidFen", "greaterThan", 12.5)),
      "rules.0.conditions.all.0.value",
      /whole number of fen/,
    ],
    [
      "a duration with months",
      rule(leaf("elapsed", "sinceDelivered", "beyondDuration", "P1M")),
      "rules.0.conditions.all.0.value",
      /ISO 8601 duration/,
    ],
    [
      "an 'in' without a list",
      rule(leaf("order", "status", "in", "paid")),
      "rules.0.conditions.all.0.value",
      /non-empty list/,
    ],
    [
      "a fact reference of another type",
      rule(leaf("order", "paidFen", "greaterThan", { fact: "order", path: "status" })),
      "rules.0.conditions.all.0.value",
      /cannot be compared/,
    ],
    [
      "a missing shared condition",
      rule({ condition: "no-such-condition" }),
      "rules.0.conditions.condition",
      /no shared condition/,
    ],
    [
      "event params outside the output schema",
      rule(leaf("order", "status", "equal", "paid"), { returnShippingPayer: "platform" }),
      "rules.0.event.params.returnShippingPayer",
      /.+/,
    ],
    [
      "an event param the output does not have",
      rule(leaf("order", "status", "equal", "paid"), { refundEverything: true }),
      "rules.0.event.params",
      /refundEverything/,
    ],
    [
      "a name that is not kebab-case",
      rule(leaf("order", "status", "equal", "paid"), undefined, "Seller Pays"),
      "rules.0.name",
      /kebab-case/,
    ],
  ])("%s", async (_label, bad, path, message) => {
    const draft = await draftOf("shipping-fee");
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      rules: [bad, ...draft.rules],
    });
    const problem = expectProblem(res, 422);
    const error = problem.errors?.find((e) => e.path === path);
    expect(error, JSON.stringify(problem.errors)).toBeDefined();
    expect(error!.message).toMatch(message);
    expect((await draftOf("shipping-fee")).revision).toBe(draft.revision);
  });

  it("lists every problem at once, including duplicate names and incomplete defaults", async () => {
    const draft = await draftOf("shipping-fee");
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      defaults: { returnShippingPayer: "buyer" },
      rules: [draft.rules[0], draft.rules[0], rule(leaf("order", "colour", "equal", 1))],
    });
    const problem = expectProblem(res, 422);
    const paths = problem.errors!.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "rules.1.name",
        "rules.2.conditions.all.0.path",
        "defaults.outboundShippingPayer",
        "defaults.freightCollectAllowed",
      ]),
    );
  });

  it("refuses shared conditions that refer to each other in a circle", async () => {
    const draft = await draftOf("shipping-fee");
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      revision: draft.revision,
      conditions: { "a-loop": { condition: "b-loop" }, "b-loop": { condition: "a-loop" } },
      rules: draft.rules,
    });
    expect(expectProblem(res, 422).errors!.map((e) => e.path)).toEqual(
      expect.arrayContaining(["conditions.a-loop", "conditions.b-loop"]),
    );
  });

  it("refuses test cases whose facts break the case schema or expect unknown fields", async () => {
    const res = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", {
      testCases: [{ name: "bad", facts: { order: { status: "lost" } }, expect: { payer: "seller" } }],
    });
    expect(expectProblem(res, 422).errors!.map((e) => e.path)).toEqual([
      "testCases.0.facts.order.status",
      "testCases.0.expect.payer",
    ]);
  });
});

describe("shared conditions", () => {
  it("lets rules reference a named condition", async () => {
    const draft = await draftOf("timeouts");
    const rules = draft.rules.map((r: any) =>
      r.name === "cs-intervention-after-15-days" ? { ...r, conditions: { all: [{ condition: "refund-is-open" }] } } : r,
    );
    const conditions = {
      "refund-is-open": {
        all: [
          {
            fact: "refund",
            path: "state",
            operator: "in",
            value: ["waiting_seller", "seller_refused", "waiting_buyer_return", "waiting_seller_confirm"],
          },
        ],
      },
    };
    const saved = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", {
      revision: draft.revision,
      rules,
      conditions,
    });
    expect(saved.status).toBe(200);
    const run = await app.call("POST", "/api/v1/rule-sets/timeouts/test-cases/run");
    expect(run.body.passed).toBe(true);
    expect((await app.call("POST", "/api/v1/rule-sets/timeouts/publish", {})).body.version).toBe(2);
    const res = await app.decide(
      "timeouts",
      aCase({ refund: { state: "seller_refused", appliedAt: "2026-11-20T10:00:00+08:00" } }),
      { trace: true },
    );
    expect(res.body.decision.timers.map((t: any) => t.key)).toEqual(["buyer_modify", "cs_intervention_available"]);
    const traced = res.body.trace.find((t: any) => t.rule === "cs-intervention-after-15-days");
    expect(traced.fired).toBe(true);
  });
});

describe("decision requests", () => {
  it("traces each rule, each condition, the value seen and the result", async () => {
    const res = await app.decide("refund-eligibility", aCase({ order: { status: "closed" } }), { trace: true });
    expect(res.status).toBe(200);
    const closed = res.body.trace[0];
    expect(closed).toMatchObject({ rule: "closed-order-cannot-be-refunded", fired: true });
    expect(closed.conditions.all[0]).toMatchObject({
      fact: "order",
      path: "status",
      operator: "equal",
      value: "closed",
      factValue: "closed",
      result: true,
    });
    expect(res.body.trace.filter((t: any) => t.fired).map((t: any) => t.rule)).toEqual(res.body.firedRules);
    const untraced = await app.decide("refund-eligibility", aCase({ order: { status: "closed" } }));
    expect(untraced.body.trace).toBeUndefined();
  });

  it("decides a batch in order, one bad request failing alone", async () => {
    const res = await app.call("POST", "/api/v1/decisions", {
      requests: [
        { ruleSet: "refund-eligibility", facts: aCase({ order: { status: "paid" } }) },
        { ruleSet: "shipping-fee", facts: { order: { status: "teleported" } } },
        { ruleSet: "no-such-rule-set", facts: aCase() },
        {
          ruleSet: "timeouts",
          facts: aCase({ refund: { state: "waiting_seller", stateSince: "2026-11-20T10:00:00+08:00" } }),
        },
      ],
    });
    expect(res.status).toBe(200);
    const [first, second, third, fourth] = res.body.results;
    expect(first.decision.channel).toBe("refund_only");
    expect(second.error).toMatchObject({ status: 422, errors: [{ path: "order.status" }] });
    expect(third.error).toMatchObject({ status: 404 });
    expect(fourth.decision.timers[0]).toMatchObject({ key: "seller_response", deadline: "2026-11-25T02:00:00Z" });
    expect(new Set(res.body.results.filter((r: any) => r.decisionId).map((r: any) => r.decisionId)).size).toBe(2);
  });

  it("names the field that breaks the case schema", async () => {
    const res = await app.decide(
      "refund-eligibility",
      aCase({ order: { items: [{ id: "A", priceFen: -5, quantity: 1 }] } }),
    );
    const problem = expectProblem(res, 422);
    expect(problem.errors).toEqual([expect.objectContaining({ path: "order.items.0.priceFen" })]);
  });

  it("refuses a refund of items the order does not have", async () => {
    const res = await app.decide("refund-eligibility", aCase({ refund: { items: [{ id: "Z", quantity: 1 }] } }));
    expect(expectProblem(res, 422).errors).toEqual([expect.objectContaining({ path: "refund.items.0.id" })]);
    const tooMany = await app.decide("refund-eligibility", aCase({ refund: { items: [{ id: "A", quantity: 2 }] } }));
    expect(expectProblem(tooMany, 422).errors).toEqual([expect.objectContaining({ path: "refund.items.0.quantity" })]);
  });

  it("answers 400 for a body that is not JSON, 415 without a JSON content type, 413 over the limit", async () => {
    expectProblem(await app.call("POST", "/api/v1/decisions/shipping-fee", "{not json"), 400);
    expectProblem(
      await app.call("POST", "/api/v1/decisions/shipping-fee", "{}", { "content-type": "text/plain" }),
      415,
    );
    const huge = JSON.stringify({ facts: aCase(), padding: "x".repeat(70 * 1024) });
    expectProblem(await app.call("POST", "/api/v1/decisions/shipping-fee", huge), 413);
  });

  it("uses the server clock when the case has no `now`", async () => {
    app.setNow(new Date("2026-12-30T00:00:00Z"));
    const facts = { ...aCase({ order: { status: "completed", completedAt: "2026-12-01T00:00:00Z" } }) } as Record<
      string,
      unknown
    >;
    delete facts.now;
    expect((await app.decide("refund-eligibility", facts)).body.decision.channel).toBe("message_review");
    app.setNow(new Date("2026-12-10T00:00:00Z"));
    expect((await app.decide("refund-eligibility", facts)).body.decision.channel).toBe("after_sales_claim");
  });

  it("keeps concurrent decisions apart", async () => {
    const statuses = ["paid", "shipped", "delivered", "completed", "closed"] as const;
    const expected = {
      paid: "refund_only",
      shipped: "refund_only",
      delivered: "refund_only",
      completed: "after_sales_claim",
      closed: "none",
    };
    const cases = Array.from({ length: 200 }, (_, i) => statuses[i % statuses.length]!);
    const answers = await Promise.all(
      cases.map((status) =>
        app.decide("refund-eligibility", aCase({ order: { status, completedAt: "2026-11-19T10:00:00+08:00" } })),
      ),
    );
    answers.forEach((answer, i) => {
      expect(answer.body.decision.channel).toBe(expected[cases[i]!]);
    });
  });
});

describe("API keys", () => {
  it("answers 401 without a key or with an unknown one", async () => {
    expectProblem(
      await app.call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() }, { authorization: "" }),
      401,
    );
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/decisions/shipping-fee",
        { facts: aCase() },
        { authorization: "Bearer asr_wrong" },
      ),
      401,
    );
    expectProblem(await app.call("GET", "/api/v1/rule-sets", undefined, { authorization: "Basic abc" }), 401);
  });

  it("answers 403 when the key lacks the scope or the rule set", async () => {
    const secret = "asr_decide_shipping_fee_only_000000";
    await app.ctx.db
      .transaction()
      .execute((tx) =>
        insertApiKey(
          tx,
          { secret, name: "shipping-only", scopes: ["decisions:evaluate"], ruleSets: ["shipping-fee"], actor: "test" },
          new Date(),
        ),
      );
    await app.ctx.apiKeys.load(app.ctx.db);
    const auth = { authorization: `Bearer ${secret}` };
    expect((await app.call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() }, auth)).status).toBe(200);
    expectProblem(await app.call("POST", "/api/v1/decisions/refund-eligibility", { facts: aCase() }, auth), 403);
    expectProblem(await app.call("GET", "/api/v1/rule-sets", undefined, auth), 403);
    const draft = await draftOf("shipping-fee");
    expectProblem(
      await app.call(
        "PUT",
        "/api/v1/rule-sets/shipping-fee/draft",
        { revision: draft.revision, rules: draft.rules },
        auth,
      ),
      403,
    );
    const batch = await app.call(
      "POST",
      "/api/v1/decisions",
      { requests: [{ ruleSet: "timeouts", facts: aCase() }] },
      auth,
    );
    expect(batch.body.results[0].error.status).toBe(403);
  });
});

describe("decision log and metrics", () => {
  it("logs each decision with its id, version, key name, the case as parsed and decision", async () => {
    const facts = aCase({ order: { status: "paid" } });
    const res = await app.decide("refund-eligibility", facts);
    await app.ctx.decisionLog.flush();
    const row = await app.ctx.db
      .selectFrom("decision_log")
      .selectAll()
      .where("decision_id", "=", res.body.decisionId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      rule_set: "refund-eligibility",
      version: res.body.version,
      key_name: "bootstrap",
      outcome: "eligible:refund_only",
    });
    expect(JSON.parse(row.facts)).toEqual(facts);
    expect(JSON.parse(row.decision)).toEqual(res.body.decision);
    expect(JSON.parse(row.fired_rules)).toEqual(res.body.firedRules);
  });

  it("counts decisions in /metrics", async () => {
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/aftersales_decisions_total\{rule_set="refund-eligibility",version="1"\} \d+/);
    expect(text).toMatch(/aftersales_decision_log_written_total \d+/);
  });
});
