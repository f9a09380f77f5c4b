import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

// Every answer below is checked against the response the document declares for its operation, status and media
// type: the document is generated from the route declarations, and this shows the handlers keep to them.

let app: TestApp;
let document: any;
// formats are left to the service's own schemas: this checks the shapes the document declares
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const checked = new Set<string>();

beforeAll(async () => {
  app = await createTestApp();
  document = await (await fetch(`${app.url}/openapi.json`)).json();
  // the document's own `#/components/...` references, resolved within it
  ajv.addSchema({ $id: "openapi", components: document.components });
});
afterAll(() => app.close());

/** The operation whose path template matches `path`. */
function operationOf(method: string, path: string): { template: string; operation: any } {
  const bare = path.split("?")[0]!;
  for (const [template, operations] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`);
    if (pattern.test(bare) && operations[method.toLowerCase()])
      return { template, operation: operations[method.toLowerCase()] };
  }
  throw new Error(`${method} ${bare} is not in the document`);
}

/** Calls the real server and checks the answer against the document; answers the parsed body. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(app.url + path, {
    method,
    headers: {
      authorization: `Bearer ${TEST_API_KEY}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const { template, operation } = operationOf(method, path);
  const declared = operation.responses[String(response.status)];
  expect(
    declared,
    `${method} ${template} answered ${response.status}, which the document does not declare`,
  ).toBeDefined();
  for (const header of Object.keys(declared.headers ?? {})) {
    expect(response.headers.get(header), `${method} ${template} ${response.status} sends ${header}`).toBeTruthy();
  }
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]!;
  const text = await response.text();
  if (declared.content === undefined) {
    expect(text, `${method} ${template} ${response.status} has no body`).toBe("");
    checked.add(`${method} ${template} ${response.status}`);
    return { status: response.status, body: undefined };
  }
  const content = declared.content[mediaType];
  expect(content, `${method} ${template} ${response.status} answered ${mediaType}, not declared`).toBeDefined();
  const body = mediaType.endsWith("json") ? JSON.parse(text) : text;
  const schema = JSON.parse(JSON.stringify(content.schema).replaceAll('"#/components/', '"openapi#/components/'));
  const valid = ajv.validate(schema, body);
  expect(valid, `${method} ${template} ${response.status}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
  checked.add(`${method} ${template} ${response.status}`);
  return { status: response.status, body };
}

const seed = JSON.parse(readFileSync("rules/refund-eligibility.json", "utf8"));
const facts = seed.testCases[0].facts;

describe("answers as the OpenAPI document declares them", () => {
  it("probes, decisions and the batch", async () => {
    expect((await call("GET", "/livez")).status).toBe(200);
    expect((await call("GET", "/readyz")).status).toBe(200);
    expect((await call("GET", "/healthz")).status).toBe(200);
    expect((await call("GET", "/metrics")).status).toBe(200);
    expect((await call("GET", "/api/v1/settings")).body.businessTimeZone).toBe("Asia/Shanghai");
    expect((await call("POST", "/api/v1/decisions/refund-eligibility", { body: { facts, trace: true } })).status).toBe(
      200,
    );
    expect(
      (
        await call("POST", "/api/v1/decisions/refund-eligibility", {
          body: { facts },
          headers: { authorization: "Bearer nope" },
        })
      ).status,
    ).toBe(401);
    expect((await call("POST", "/api/v1/decisions/refund-eligibility", { body: { facts: { order: 1 } } })).status).toBe(
      422,
    );
    expect((await call("POST", "/api/v1/decisions/refund-eligibility", { body: { facts, version: 99 } })).status).toBe(
      404,
    );
    const batch = await call("POST", "/api/v1/decisions", {
      body: {
        requests: [
          { ruleSet: "refund-eligibility", facts },
          { ruleSet: "nope", facts },
        ],
      },
    });
    expect(batch.body.results[1].error.code).toBe("not_found");
  });

  it("the management API", async () => {
    for (const key of ["refund-eligibility", "shipping-fee", "timeouts", "service-playbook"]) {
      const detail = await call("GET", `/api/v1/rule-sets/${key}`);
      expect(detail.status).toBe(200);
      await call("GET", `/api/v1/rule-sets/${key}/versions`);
      await call("GET", `/api/v1/rule-sets/${key}/versions/1`);
      await call("GET", `/api/v1/rule-sets/${key}/test-cases`);
      await call("GET", `/api/v1/rule-sets/${key}/schedules`);
      await call("POST", `/api/v1/rule-sets/${key}/test-cases/run`);
      await call("POST", `/api/v1/rule-sets/${key}/test-cases/run?version=1`);
    }
    await call("GET", "/api/v1/rule-sets");
    expect((await call("GET", "/api/v1/rule-sets/nope")).status).toBe(404);
    expect((await call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", { body: { facts } })).status).toBe(200);
    // the static analysis: of the saved draft, a version, and refused for a draft a save would refuse
    expect((await call("POST", "/api/v1/rule-sets/timeouts/analysis", { body: {} })).status).toBe(200);
    expect((await call("POST", "/api/v1/rule-sets/timeouts/analysis", { body: { version: 1 } })).status).toBe(200);
    expect((await call("POST", "/api/v1/rule-sets/timeouts/analysis", { body: { version: 99 } })).status).toBe(404);
    expect(
      (await call("POST", "/api/v1/rule-sets/timeouts/analysis", { body: { draft: { rules: [{ name: "Bad" }] } } }))
        .status,
    ).toBe(422);
    // an unsaved edit decided in place of the draft, and refused when a save would be
    const edited = (await call("GET", "/api/v1/rule-sets/refund-eligibility")).body.draft;
    const unsaved = { rules: edited.rules.slice(1) };
    expect(
      (await call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", { body: { facts, draft: unsaved } })).status,
    ).toBe(200);
    const twice = { rules: [edited.rules[0], edited.rules[0]] };
    expect(
      (await call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", { body: { facts, draft: twice } })).status,
    ).toBe(422);
    const detail = await call("GET", "/api/v1/rule-sets/shipping-fee");
    const { draft } = detail.body;
    const saved = await call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      body: { revision: draft.revision, rules: draft.rules.slice(0, -1) },
    });
    expect(saved.status).toBe(200);
    // a stale save changing the rule removed meanwhile: a conflict; changing another rule: merged
    const lastChanged = draft.rules.map((rule: any, i: number) =>
      i === draft.rules.length - 1 ? { ...rule, description: "changed" } : rule,
    );
    const conflicting = await call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      body: { revision: draft.revision, rules: lastChanged },
    });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.conflicts).toHaveLength(1);
    const firstChanged = draft.rules.map((rule: any, i: number) =>
      i === 0 ? { ...rule, description: "changed" } : rule,
    );
    const merged = await call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      body: { revision: draft.revision, rules: firstChanged },
    });
    expect(merged.body.merged).toBe(true);
    expect(
      (
        await call("POST", "/api/v1/rule-sets/shipping-fee/draft/reset", {
          body: { version: 1, revision: merged.body.draft.revision },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call("POST", "/api/v1/rule-sets/shipping-fee/draft/reset", { body: { version: 1, revision: 0 } })).status,
    ).toBe(409);
    expect((await call("POST", "/api/v1/rule-sets/shipping-fee/draft/presence", { body: {} })).body.others).toEqual([]);
    const tests = await call("GET", "/api/v1/rule-sets/shipping-fee/test-cases");
    expect(
      (await call("PUT", "/api/v1/rule-sets/shipping-fee/test-cases", { body: { testCases: tests.body.testCases } }))
        .status,
    ).toBe(200);
    await call("PUT", "/api/v1/rule-sets/shipping-fee/draft", {
      body: { revision: (await call("GET", "/api/v1/rule-sets/shipping-fee")).body.draftRevision, rules: draft.rules },
    });
    await call("PUT", "/api/v1/rule-sets/timeouts/settings", { body: { fourEyes: false } });
    const timeouts = (await call("GET", "/api/v1/rule-sets/timeouts")).body;
    await call("PUT", "/api/v1/rule-sets/timeouts/draft", {
      body: { revision: timeouts.draftRevision, rules: timeouts.draft.rules.slice(0, -1) },
    });
    await call("POST", "/api/v1/rule-sets/timeouts/submit", { body: { note: "drop one" } });
    const scheduled = await call("POST", "/api/v1/rule-sets/timeouts/publish", {
      body: { activateAt: "2027-01-01T00:00:00+08:00" },
    });
    expect(scheduled.status).toBe(200);
    expect((await call("DELETE", `/api/v1/rule-sets/timeouts/schedules/${scheduled.body.scheduled.id}`)).status).toBe(
      200,
    );
    expect((await call("POST", "/api/v1/rule-sets/timeouts/publish", { body: {} })).status).toBe(200);
    expect((await call("POST", "/api/v1/rule-sets/timeouts/rollback", { body: { version: 1 } })).status).toBe(200);
    expect(
      (await call("PUT", "/api/v1/rule-sets/refund-eligibility/settings", { body: { fourEyes: true } })).status,
    ).toBe(200);
    const refund = (await call("GET", "/api/v1/rule-sets/refund-eligibility")).body;
    const reworded = refund.draft.rules.map((rule: any, i: number) =>
      i === 0 ? { ...rule, description: `${rule.description}。` } : rule,
    );
    await call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", {
      body: { revision: refund.draftRevision, rules: reworded },
    });
    // the test key may publish unreviewed: a publisher's key may not
    const publisher = await call("POST", "/api/v1/api-keys", {
      body: { name: "publisher", scopes: ["rules:read", "rules:publish", "rules:review"] },
    });
    const asPublisher = { authorization: `Bearer ${publisher.body.key}` };
    expect(
      (await call("POST", "/api/v1/rule-sets/refund-eligibility/publish", { body: {}, headers: asPublisher })).status,
    ).toBe(409);
    expect(
      (
        await call("POST", "/api/v1/rule-sets/refund-eligibility/review", {
          body: { approve: true },
          headers: asPublisher,
        })
      ).status,
    ).toBe(409);
    expect(
      (await call("POST", "/api/v1/rule-sets/refund-eligibility/submit", { body: { note: "wording" } })).status,
    ).toBe(200);
    expect(
      (
        await call("POST", "/api/v1/rule-sets/refund-eligibility/review", {
          body: { approve: false, comment: "no" },
          headers: asPublisher,
        })
      ).status,
    ).toBe(200);
    expect((await call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", { body: "not an object" })).status).toBe(
      422,
    );
    expect(
      (
        await call("PUT", "/api/v1/rule-sets/refund-eligibility/draft", {
          body: {},
          headers: { "content-type": "text/plain" },
        })
      ).status,
    ).toBe(415);
  });

  it("the impact replay", async () => {
    const path = "/api/v1/rule-sets/shipping-fee/impact";
    const started = await call("POST", path, { body: { limit: 1000 } });
    expect(started.status).toBe(202);
    // one replay per rule set at a time: the running one's Location
    expect((await call("POST", path, { body: {} })).status).toBe(409);
    let job = started.body;
    while (job.status === "running") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await call("GET", `${path}/${started.body.id}`)).body;
    }
    expect(job.status).toBe("done");
    expect((await call("POST", path, { body: { limit: 0 } })).status).toBe(422);
    expect((await call("GET", `${path}/01NOSUCHREPLAY`)).status).toBe(404);
  });

  it("a draft's invariants", async () => {
    const read = await call("GET", "/api/v1/rule-sets/shipping-fee/invariants");
    expect(read.status).toBe(200);
    const saved = await call("PUT", "/api/v1/rule-sets/shipping-fee/invariants", {
      body: { revision: read.body.revision, invariants: read.body.invariants },
    });
    expect(saved.status).toBe(200);
    const wrongField = [{ ...read.body.invariants[0], expect: { nobody: "seller" } }];
    expect(
      (
        await call("PUT", "/api/v1/rule-sets/shipping-fee/invariants", {
          body: { revision: saved.body.revision, invariants: wrongField },
        })
      ).status,
    ).toBe(422);
    expect(
      (await call("PUT", "/api/v1/rule-sets/shipping-fee/invariants", { body: { revision: 999, invariants: [] } }))
        .status,
    ).toBe(409);
  });

  it("users, keys, the session and the logs", async () => {
    await call("GET", "/api/v1/users");
    expect(
      (
        await call("POST", "/api/v1/users", {
          body: { username: "lihua", password: "password-of-lihua", role: "editor" },
        })
      ).status,
    ).toBe(201);
    expect((await call("PATCH", "/api/v1/users/lihua", { body: { role: "viewer" } })).status).toBe(200);
    expect((await call("PATCH", "/api/v1/users/lihua", { body: { displayName: "李华" } })).body.displayName).toBe(
      "李华",
    );
    expect((await call("GET", "/api/v1/actors")).body.actors["user:lihua"]).toBe("李华");
    expect(
      (await call("POST", "/api/v1/users/lihua/password", { body: { password: "a-new-password-for-lihua" } })).status,
    ).toBe(204);
    await call("GET", "/api/v1/api-keys");
    const key = await call("POST", "/api/v1/api-keys", { body: { name: "checkout", scopes: ["decisions:evaluate"] } });
    expect(key.status).toBe(201);
    expect((await call("DELETE", `/api/v1/api-keys/${key.body.id}`)).status).toBe(204);
    const limited = await call("POST", "/api/v1/api-keys", { body: { name: "reader", scopes: ["rules:read"] } });
    expect(
      (await call("GET", "/api/v1/users", { headers: { authorization: `Bearer ${limited.body.key}` } })).status,
    ).toBe(403);
    await call("GET", "/api/v1/audit");
    await call("GET", "/api/v1/audit?format=csv");
    expect((await call("GET", "/api/v1/audit?limit=0")).status).toBe(422);
    await call("GET", "/api/v1/decision-log");
    await call("GET", "/api/v1/decision-log?ruleSet=refund-eligibility&limit=5");
    expect((await call("GET", "/api/v1/rule-sets/refund-eligibility/stats?bucket=hour")).status).toBe(200);
    expect((await call("GET", "/api/v1/rule-sets/refund-eligibility/stats?bucket=week")).status).toBe(422);

    await aUser(app, "wangfang", "publisher");
    const session = await signIn(app, "wangfang");
    const headers = withSession(app, session.cookie);
    expect((await call("GET", "/api/v1/session", { headers })).status).toBe(200);
    expect(
      (
        await call("POST", "/api/v1/session/password", {
          headers,
          body: { currentPassword: "password-of-wangfang", newPassword: "another-password-here" },
        })
      ).status,
    ).toBe(204);
    expect((await call("GET", "/api/v1/session", { headers: { authorization: "" } })).status).toBe(401);
    expect(
      (
        await call("POST", "/api/v1/session", {
          headers: { authorization: "", origin: app.url },
          body: { username: "wangfang", password: "wrong-password-x" },
        })
      ).status,
    ).toBe(401);
    expect((await call("DELETE", "/api/v1/session", { headers: { authorization: "", origin: app.url } })).status).toBe(
      204,
    );
  });

  it("reply templates and the render", async () => {
    expect((await call("GET", "/api/v1/reply-templates")).status).toBe(200);
    const late = await call("GET", "/api/v1/reply-templates/late_delivery");
    expect(late.status).toBe(200);
    expect((await call("GET", "/api/v1/reply-templates/nope")).status).toBe(404);
    const { title, zh, en, revision } = late.body.draft;
    const saved = await call("PUT", "/api/v1/reply-templates/late_delivery/draft", {
      body: { revision, title, zh: `${zh} `, en },
    });
    expect(saved.status).toBe(200);
    expect(
      (await call("PUT", "/api/v1/reply-templates/late_delivery/draft", { body: { revision, title, zh, en } })).status,
    ).toBe(409);
    expect(
      (
        await call("PUT", "/api/v1/reply-templates/late_delivery/draft", {
          body: { revision: saved.body.draft.revision, title, zh: "{nope}", en },
        })
      ).status,
    ).toBe(422);
    expect(
      (
        await call("POST", "/api/v1/reply-templates/late_delivery/publish", {
          body: { revision: saved.body.draft.revision },
        })
      ).status,
    ).toBe(200);
    expect((await call("GET", "/api/v1/reply-templates/late_delivery/versions")).status).toBe(200);
    expect(
      (
        await call("POST", "/api/v1/reply-templates/late_delivery/restore", {
          body: { version: 1, revision: saved.body.draft.revision },
        })
      ).status,
    ).toBe(200);
    const render = { template: "late_delivery", language: "zh", variables: { item: "裙子" } };
    const missing = await call("POST", "/api/v1/replies/render", { body: render });
    expect(missing.status).toBe(422);
    render.variables = { item: "裙子", fromCity: "杭州", toCity: "成都", days: 3 } as typeof render.variables;
    expect((await call("POST", "/api/v1/replies/render", { body: render })).status).toBe(200);
    expect((await call("POST", "/api/v1/replies/render", { body: { template: "nope", language: "zh" } })).status).toBe(
      404,
    );
  });

  it("the working-day calendar", async () => {
    expect((await call("GET", "/api/v1/calendar")).status).toBe(200);
    expect((await call("GET", "/api/v1/calendar/2026")).status).toBe(200);
    expect((await call("GET", "/api/v1/calendar/2099")).status).toBe(404);
    const days = { holidays: [{ date: "2027-01-01", name: "元旦" }], workdays: [] };
    expect((await call("PUT", "/api/v1/calendar/2027", { body: { ...days, note: "first" } })).status).toBe(200);
    expect((await call("PUT", "/api/v1/calendar/2027", { body: { ...days, version: 0 } })).status).toBe(409);
    const weekday = { holidays: [], workdays: [{ date: "2027-01-04", name: "x" }], version: 1 };
    expect((await call("PUT", "/api/v1/calendar/2027", { body: weekday })).status).toBe(422);
    expect((await call("PUT", "/api/v1/calendar/2027", { body: { ...days, version: 1 } })).status).toBe(200);
    expect((await call("GET", "/api/v1/calendar/2027/versions")).body.versions).toHaveLength(2);
    expect((await call("GET", "/api/v1/calendar/2027/versions/1")).status).toBe(200);
    expect((await call("POST", "/api/v1/calendar/2027/restore", { body: { version: 1 } })).status).toBe(200);
    expect((await call("POST", "/api/v1/calendar/2027/restore", { body: { version: 9 } })).status).toBe(404);
  });

  it("covered every operation of the document", () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const answered = new Set([...checked].map((entry) => entry.split(" ").slice(0, 2).join(" ")));
    expect(operations.filter((operation) => !answered.has(operation) && operation !== "GET /openapi.json")).toEqual([]);
  });
});
