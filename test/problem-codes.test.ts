import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../server/errors.ts";
import { Problem } from "../shared/api.ts";
import { fieldCodes, FieldProblem, problemCodes, problemType, type ProblemCode } from "../shared/problems.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";

/**
 * Every problem carries a `code` from the closed list in shared/problems.ts, with the status the list gives it, on both
 * transports: over a socket (decisions through the node:http fast path, the rest through Hono) and in process.
 */

type Sent = { method: string; path: string; headers?: Record<string, string>; body?: string };

const json = (value: unknown) => JSON.stringify(value);
const withKey = (headers: Record<string, string> = {}, key = TEST_API_KEY) => ({
  authorization: `Bearer ${key}`,
  "content-type": "application/json",
  ...headers,
});
const decision = (body: string, headers: Record<string, string> = withKey()): Sent => ({
  method: "POST",
  path: "/api/v1/decisions/refund-eligibility",
  headers,
  body,
});

let app: TestApp;
let readOnlyKey: string;
let publisherKey: string;

beforeAll(async () => {
  app = await createTestApp();
  const created = await app.call("POST", "/api/v1/api-keys", { name: "decide-only", scopes: ["decisions:evaluate"] });
  expect(created.status).toBe(201);
  readOnlyKey = created.body.key;
  // a publisher without the scope to publish unreviewed, as four-eyes publishing is meant for
  const publisher = await app.call("POST", "/api/v1/api-keys", {
    name: "publisher",
    scopes: ["rules:read", "rules:write", "rules:review", "rules:publish"],
  });
  expect(publisher.status).toBe(201);
  publisherKey = publisher.body.key;
  // four-eyes on, and a draft that differs from the active version: publishing it needs a review
  expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: true })).status).toBe(200);
  const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
  const changed = await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
    revision: draft.revision,
    defaults: draft.defaults,
    conditions: draft.conditions,
    rules: draft.rules.map((rule: { description?: string }) => ({
      ...rule,
      description: `${rule.description ?? ""} (reviewed)`,
    })),
  });
  expect(changed.status).toBe(200);
});
afterAll(() => app.close());

async function overSocket(target: TestApp, sent: Sent): Promise<Response> {
  return fetch(target.url + sent.path, {
    method: sent.method,
    headers: sent.headers ?? withKey(),
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
}
async function inProcess(target: TestApp, sent: Sent): Promise<Response> {
  return target.request(sent.path, {
    method: sent.method,
    headers: sent.headers ?? withKey(),
    ...(sent.body === undefined ? {} : { body: sent.body }),
  });
}

/** The problem answered, checked against the shared schema and the closed list. */
async function problemOf(response: Response, code: ProblemCode) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.code, JSON.stringify(body)).toBe(code);
  expect(response.status).toBe(problemCodes[code].status);
  expect(body.status).toBe(problemCodes[code].status);
  expect(body.title).toBe(problemCodes[code].title);
  expect(body.type).toBe(problemType(code));
  const problem = Problem.parse(body);
  for (const error of problem.errors ?? []) {
    const names: readonly string[] = fieldCodes[error.code];
    for (const name of Object.keys(error.params)) expect(names, `${error.code} carries ${name}`).toContain(name);
  }
  return problem;
}

describe("the closed list", () => {
  it("gives every problem code a status, an English title and a type URI", () => {
    for (const [code, entry] of Object.entries(problemCodes)) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.title.length).toBeGreaterThan(0);
      expect(problemType(code as ProblemCode)).toMatch(/^https:\/\/aftersales-rules\.dev\/problems\/[a-z-]+$/);
    }
  });

  it("keeps the type URIs callers branched on before codes existed", () => {
    expect(problemType("review_required")).toBe("https://aftersales-rules.dev/problems/review-required");
    expect(problemType("rate_limited")).toBe("https://aftersales-rules.dev/problems/too-many-requests");
    expect(problemType("invalid_json")).toBe("https://aftersales-rules.dev/problems/bad-request");
    expect(problemType("unauthenticated")).toBe("https://aftersales-rules.dev/problems/unauthorized");
    expect(problemType("not_found")).toBe("https://aftersales-rules.dev/problems/not-found");
  });

  it("mints no code outside the list", () => {
    // @ts-expect-error a code outside the closed list does not compile
    expect(() => new DomainError({ code: "teapot", detail: "I am a teapot" })).toThrow();
    expect(new DomainError({ code: "review_required", detail: "four-eyes" }).status).toBe(409);
  });

  it("names every field code in snake case", () => {
    for (const code of Object.keys(fieldCodes)) expect(code).toMatch(/^[a-z]+(_[a-z0-9]+)*$/);
  });
});

const requests: [string, () => Sent, ProblemCode][] = [
  ["bad JSON", () => decision('{"facts": {'), "invalid_json"],
  [
    "bad JSON to a management route",
    () => ({ method: "PUT", path: "/api/v1/rule-sets/shipping-fee/draft", body: '{"revision": ' }),
    "invalid_json",
  ],
  ["no key", () => decision(json({ facts: aCase() }), { "content-type": "application/json" }), "unauthenticated"],
  [
    "no key on a management route",
    () => ({ method: "GET", path: "/api/v1/rule-sets", headers: {} }),
    "unauthenticated",
  ],
  [
    "a key without the scope",
    () => ({ method: "GET", path: "/api/v1/rule-sets/shipping-fee", headers: withKey({}, readOnlyKey) }),
    "forbidden",
  ],
  ["an unknown rule set", () => ({ method: "GET", path: "/api/v1/rule-sets/no-such-rules" }), "not_found"],
  [
    "a decision of an unknown rule set",
    () => ({ ...decision(json({ facts: aCase() })), path: "/api/v1/decisions/no-such-rules" }),
    "not_found",
  ],
  ["an unknown endpoint", () => ({ method: "GET", path: "/api/v1/nowhere" }), "not_found"],
  [
    "a stale revision",
    () => ({
      method: "PUT",
      path: "/api/v1/rule-sets/shipping-fee/draft",
      body: json({ revision: 999_999, rules: [] }),
    }),
    "conflict",
  ],
  ["a body too big", () => decision(json({ facts: aCase(), pad: "x".repeat(70 * 1024) })), "payload_too_large"],
  [
    "a body too big to a management route",
    () => ({
      method: "PUT",
      path: "/api/v1/rule-sets/shipping-fee/draft",
      body: json({ revision: 1, rules: [], pad: "x".repeat(600 * 1024) }),
    }),
    "payload_too_large",
  ],
  [
    "text/plain",
    () => decision(json({ facts: aCase() }), withKey({ "content-type": "text/plain" })),
    "unsupported_media_type",
  ],
  ["a bad case", () => decision(json({ facts: aCase({ order: { paidFen: -1 } }) })), "invalid"],
  [
    "publishing without review",
    () => ({
      method: "POST",
      path: "/api/v1/rule-sets/shipping-fee/publish",
      headers: withKey({}, publisherKey),
      body: json({}),
    }),
    "review_required",
  ],
];

describe.each([
  ["over a socket", overSocket],
  ["in process", inProcess],
])("every problem carries its code %s", (_how, send) => {
  it.each(requests)("%s", async (_what, request, code) => {
    await problemOf(await send(app, request()), code);
  });

  it("a bad case: invalid with field codes and their params", async () => {
    const problem = await problemOf(
      await send(app, decision(json({ facts: aCase({ order: { paidFen: -1 } }) }))),
      "invalid",
    );
    expect(problem.errors).toContainEqual({
      path: "order.paidFen",
      code: "too_small",
      params: { minimum: 0, origin: "number", inclusive: true },
      message: expect.any(String),
    });
    for (const error of problem.errors!) FieldProblem.parse(error);
  });

  it("a refund of an item the order lacks: unknown_item with its id", async () => {
    const facts = aCase({ refund: { items: [{ id: "nope", quantity: 1 }] } });
    const problem = await problemOf(await send(app, decision(json({ facts }))), "invalid");
    expect(problem.errors).toContainEqual({
      path: "refund.items.0.id",
      code: "unknown_item",
      params: { id: "nope" },
      message: 'no order item has id "nope"',
    });
  });

  it("a draft with an unknown fact: unknown_fact with the fact", async () => {
    const draft = (await app.call("GET", "/api/v1/rule-sets/refund-eligibility")).body.draft;
    const rule = {
      name: "parcel-lost",
      conditions: { all: [{ fact: "parcel", path: "lost", operator: "equal", value: true }] },
      event: { type: "parcel-lost", params: {} },
    };
    const res = await send(app, {
      method: "PUT",
      path: "/api/v1/rule-sets/refund-eligibility/draft",
      body: json({ revision: draft.revision, rules: [rule, ...draft.rules] }),
    });
    const problem = await problemOf(res, "invalid");
    expect(problem.errors).toContainEqual({
      path: "rules.0.conditions.all.0.fact",
      code: "unknown_fact",
      params: { fact: "parcel", facts: expect.any(Array) },
      message: expect.stringContaining('unknown fact "parcel"'),
    });
  });

  it("over the rate limit: rate_limited with Retry-After", async () => {
    const limited = await createTestApp({ rateLimitPerKey: 1 });
    try {
      const sent = decision(json({ facts: aCase() }));
      expect((await send(limited, sent)).status).toBe(200);
      const refused = await send(limited, sent);
      expect(refused.headers.get("retry-after")).toBe("1");
      await problemOf(refused, "rate_limited");
    } finally {
      await limited.close();
    }
  });
});
