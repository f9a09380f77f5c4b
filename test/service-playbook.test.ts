/**
 * The after-sales service playbook (S19) as a rule set: each of the five problems decided through
 * POST /api/v1/decisions/service-playbook against the default rules, the compensation threshold on its edge, a repeat
 * complaint, a case that names no problem, the refusals of a malformed problem, and keys limited by rule set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreatedApiKey } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import type { CaseFactsInput } from "../shared/case-facts.ts";
import { PlaybookDecision } from "../shared/outputs.ts";
import type { RuleInput } from "../shared/rules.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

type ProblemInput = CaseFactsInput["problem"];

async function playbook(problem: ProblemInput | undefined, extra: Record<string, unknown> = {}) {
  const res = await app.decide("service-playbook", { ...aCase(), ...(problem ? { problem } : {}) }, extra);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.ruleSet).toBe("service-playbook");
  return { body: res.body, decision: PlaybookDecision.parse(res.body.decision) };
}

describe("the five problems of S19", () => {
  it.each([
    {
      kind: "not_as_expected",
      decision: {
        cause: "expectation_gap",
        actions: ["explain_design", "offer_return_policy"],
        compensationFen: 0,
        template: "not_as_expected_thin_fabric",
      },
    },
    {
      kind: "unhappy_with_service",
      decision: {
        cause: "service_attitude",
        actions: ["apologise", "escalate"],
        compensationFen: 0,
        template: "apology_service",
      },
    },
    {
      kind: "fulfilment_error",
      decision: {
        cause: "fulfilment_mistake",
        actions: ["apologise", "check_order_and_compensate"],
        compensationFen: 1000,
        template: "fulfilment_error",
      },
    },
    {
      kind: "late_delivery",
      daysLate: 5,
      decision: {
        cause: "slow_dispatch_or_carrier",
        actions: ["apologise", "compensate_next_order"],
        compensationFen: 1000,
        template: "late_delivery",
      },
    },
    {
      kind: "damaged_in_transit",
      decision: {
        cause: "carrier_damage",
        actions: ["apologise", "seller_bears_transit_risk"],
        compensationFen: 0,
        template: "damaged_in_transit",
      },
    },
  ] as const)("$kind", async ({ kind, decision, ...rest }) => {
    const { body } = await playbook({ kind, ...rest });
    // the whole answer, fields in the contract's order
    expect(body.decision).toStrictEqual(decision);
  });
});

describe("late delivery", () => {
  it.each([
    [undefined, 0],
    [0, 0],
    [3, 0],
    [4, 1000],
    [365, 1000],
  ])("%s days late: compensation %s fen", async (daysLate, compensationFen) => {
    const { decision } = await playbook({ kind: "late_delivery", ...(daysLate === undefined ? {} : { daysLate }) });
    expect(decision.compensationFen).toBe(compensationFen);
    expect(decision.actions).toEqual(compensationFen > 0 ? ["apologise", "compensate_next_order"] : ["apologise"]);
    expect(decision.template).toBe("late_delivery");
  });

  it("names the rule behind each field, the list from the first rule that added to it", async () => {
    const { body } = await playbook({ kind: "late_delivery", daysLate: 4 }, { trace: true });
    expect(body.provenance).toEqual({
      cause: "late-delivery-apologise-and-reassure",
      actions: "late-delivery-beyond-three-days-compensate",
      compensationFen: "late-delivery-beyond-three-days-compensate",
      template: "late-delivery-apologise-and-reassure",
    });
  });
});

describe("the rest of the case", () => {
  it("a repeat complaint goes to a supervisor, after the problem's own steps and once only", async () => {
    const repeat = await playbook({ kind: "not_as_expected", firstComplaint: false });
    expect(repeat.decision.actions).toEqual(["explain_design", "offer_return_policy", "escalate"]);
    const service = await playbook({ kind: "unhappy_with_service", firstComplaint: false });
    expect(service.decision.actions).toEqual(["apologise", "escalate"]);
    const first = await playbook({ kind: "not_as_expected", firstComplaint: true });
    expect(first.decision.actions).toEqual(["explain_design", "offer_return_policy"]);
  });

  it("a case that names no problem asks what is wrong, and the log marks it for a person", async () => {
    for (const problem of [undefined, {}]) {
      const { decision } = await playbook(problem);
      expect(decision).toStrictEqual({
        cause: "unclassified",
        actions: [],
        compensationFen: 0,
        template: "wants_return",
      });
    }
  });

  it.each([
    ["an unknown kind", { kind: "rude_courier" }, "problem.kind"],
    ["negative days", { kind: "late_delivery", daysLate: -1 }, "problem.daysLate"],
    ["days that are not whole", { kind: "late_delivery", daysLate: 1.5 }, "problem.daysLate"],
    ["more than a year late", { kind: "late_delivery", daysLate: 366 }, "problem.daysLate"],
    [
      "a first complaint that is not a boolean",
      { kind: "late_delivery", firstComplaint: "yes" },
      "problem.firstComplaint",
    ],
    ["a field the problem does not have", { kind: "late_delivery", customer: "x" }, "problem"],
    ["a problem that is not an object", "late", "problem"],
  ])("refuses %s with a problem naming the field", async (_name, problem, path) => {
    const res = await app.decide("service-playbook", { ...aCase(), problem });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = Problem.parse(res.body) as { errors?: { path: string }[] };
    expect(body.errors?.map((e) => e.path)).toContain(path);
  });
});

describe("keys limited by rule set", () => {
  async function aKey(ruleSets: string[] | undefined): Promise<string> {
    const res = await app.call("POST", "/api/v1/api-keys", {
      name: `playbook-${ruleSets?.join("-") ?? "all"}`,
      scopes: ["decisions:evaluate"],
      ...(ruleSets ? { ruleSets } : {}),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return CreatedApiKey.parse(res.body).key;
  }
  const facts = { ...aCase(), problem: { kind: "late_delivery", daysLate: 5 } };
  const decideWith = (key: string) =>
    app.call("POST", "/api/v1/decisions/service-playbook", { facts }, { authorization: `Bearer ${key}` });

  it("a key for every rule set and one for the playbook may decide it; one for other rule sets may not", async () => {
    expect((await decideWith(await aKey(undefined))).status).toBe(200);
    expect((await decideWith(await aKey(["service-playbook"]))).status).toBe(200);
    const refused = await decideWith(await aKey(["shipping-fee", "refund-eligibility"]));
    expect(refused.status).toBe(403);
    expect(Problem.parse(refused.body).status).toBe(403);
  });
});

describe("a reply template the admin made", () => {
  const VIP: RuleInput = {
    name: "late-delivery-over-a-week-vip-apology",
    description: "more than a week late: the reply written for it, and 20 yuan",
    priority: 700,
    conditions: {
      all: [
        { fact: "problem", path: "kind", operator: "equal", value: "late_delivery" },
        { fact: "problem", path: "daysLate", operator: "greaterThan", value: 7 },
      ],
    },
    event: {
      type: "late-delivery-over-a-week-vip-apology",
      params: { template: "vip_late_apology", compensationFen: 2000 },
    },
  };
  const draftOf = async () =>
    (await app.call("GET", "/api/v1/rule-sets/service-playbook")).body.draft as {
      revision: number;
      defaults: Record<string, unknown>;
      rules: RuleInput[];
    };

  it("may be named by a rule once it is published, and a publish naming one that is not is refused at the rule", async () => {
    // publishing here is about the template, not reviews
    expect((await app.call("PUT", "/api/v1/rule-sets/service-playbook/settings", { fourEyes: false })).status).toBe(
      200,
    );
    const template = await app.call("PUT", "/api/v1/reply-templates/vip_late_apology/draft", {
      revision: 0,
      title: "到货延迟一周以上：致歉",
      zh: "亲，订单{orderNo}迟了{days}天，非常抱歉！送您{compensation}，下单时可用。",
      en: "Your order {orderNo} is {days} days late, and we are sorry: here is {compensation} off your next order.",
    });
    expect(template.status, JSON.stringify(template.body)).toBe(200);

    const draft = await draftOf();
    const saved = await app.call("PUT", "/api/v1/rule-sets/service-playbook/draft", {
      revision: draft.revision,
      rules: [VIP, ...draft.rules],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // the template is a draft: a decision naming it could not be rendered
    const refused = await app.call("POST", "/api/v1/rule-sets/service-playbook/publish", {});
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.code).toBe("invalid");
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        path: "rules.0.event.params.template",
        code: "unpublished_template",
        params: { key: "vip_late_apology" },
      }),
    ]);

    const published = await app.call("POST", "/api/v1/reply-templates/vip_late_apology/publish", {
      revision: template.body.draft.revision,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const live = await app.call("POST", "/api/v1/rule-sets/service-playbook/publish", { note: "a week late" });
    expect(live.status, JSON.stringify(live.body)).toBe(200);

    const { body, decision } = await playbook({ kind: "late_delivery", daysLate: 9 });
    expect(decision).toMatchObject({ template: "vip_late_apology", compensationFen: 2000 });
    const rendered = await app.call("POST", "/api/v1/replies/render", {
      decision: body,
      language: "zh",
      variables: { orderNo: "2026120700009", days: 9 },
    });
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200);
    expect(rendered.body).toMatchObject({
      template: "vip_late_apology",
      text: "亲，订单2026120700009迟了9天，非常抱歉！送您20元，下单时可用。",
    });
    // five days late is still the shipped rule's
    expect((await playbook({ kind: "late_delivery", daysLate: 5 })).decision.template).toBe("late_delivery");
  });

  it("is checked in the defaults too, and a name that cannot be a template's is refused when saved", async () => {
    const draft = await draftOf();
    const saved = await app.call("PUT", "/api/v1/rule-sets/service-playbook/draft", {
      revision: draft.revision,
      rules: draft.rules,
      defaults: { ...draft.defaults, template: "no_such_reply" },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const refused = await app.call("POST", "/api/v1/rule-sets/service-playbook/publish", {});
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        path: "defaults.template",
        code: "unpublished_template",
        params: { key: "no_such_reply" },
      }),
    ]);

    const misnamed = await app.call("PUT", "/api/v1/rule-sets/service-playbook/draft", {
      revision: (await draftOf()).revision,
      rules: draft.rules,
      defaults: { ...draft.defaults, template: "Late Delivery!" },
    });
    expect(misnamed.status).toBe(422);
    expect(JSON.stringify(misnamed.body.errors)).toContain("defaults.template");
  });
});
