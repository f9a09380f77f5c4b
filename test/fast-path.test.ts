import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDecisionFastPath } from "../server/decisions/fast-path.ts";
import { searchDecisionLog } from "../server/decision-log/store.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";

/**
 * The decision endpoint is served twice: straight off node:http (decisions/fast-path.ts, what callers reach over the
 * network) and by the Hono route (what the fast path leaves to Hono, and `app.request`). Both must answer every
 * request alike — status, headers, body — and log alike.
 */

/** The README's 满就减 case: 300 off 100, item A (200 yuan) returned for quality. */
const README_CASE = aCase({
  order: {
    shippingFeeFen: 1000,
    items: [
      { id: "A", priceFen: 20000, quantity: 1 },
      { id: "B", priceFen: 30000, quantity: 1 },
    ],
    promotions: [{ kind: "threshold_discount", amountFen: 10000 }],
    paidFen: 41000,
  },
  refund: { items: [{ id: "A", quantity: 1 }], returnGoods: true, reason: "quality_issue", requestedFen: 16000 },
});

type Sent = { path: string; headers?: Record<string, string>; body: string };
type Seen = { status: number; headers: Record<string, string>; body: unknown };

const json = (value: unknown) => JSON.stringify(value);
const withKey = (headers: Record<string, string> = {}) => ({
  authorization: `Bearer ${TEST_API_KEY}`,
  "content-type": "application/json",
  ...headers,
});
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

let app: TestApp;
let narrowKey: string;

beforeAll(async () => {
  app = await createTestApp();
  const created = await app.call("POST", "/api/v1/api-keys", {
    name: "shipping-only",
    scopes: ["decisions:evaluate"],
    ruleSets: ["shipping-fee"],
  });
  expect(created.status).toBe(201);
  narrowKey = created.body.key;
});
afterAll(() => app.close());

/** What a caller sees, minus what differs between any two answers (the date, the decision's id, the request's id). */
async function seen(response: Response): Promise<Seen> {
  const headers = Object.fromEntries(
    [...response.headers].filter(([name]) => !["date", "connection", "keep-alive"].includes(name)),
  );
  const text = await response.text();
  const body = JSON.parse(text) as Record<string, unknown>;
  // every answer names its request; a problem carries the same id in its body
  expect(headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  if (response.status >= 400) expect(body.requestId).toBe(headers["x-request-id"]);
  headers["x-request-id"] = "(id)";
  delete body.requestId;
  if (typeof body.decisionId === "string") {
    expect(body.decisionId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    body.decisionId = "(id)";
  }
  // a body the fast path wrote keeps its own length; the Hono route's is set by the adapter: both must be the text's
  if (headers["content-length"] !== undefined) expect(Number(headers["content-length"])).toBe(Buffer.byteLength(text));
  delete headers["content-length"];
  return { status: response.status, headers, body };
}

const overHttp = async (sent: Sent) =>
  seen(await fetch(app.url + sent.path, { method: "POST", headers: sent.headers, body: sent.body }));
const inProcess = async (sent: Sent) =>
  seen(await app.request(sent.path, { method: "POST", headers: sent.headers, body: sent.body }));

const cases: [string, () => Sent, number][] = [
  [
    "the README's 满就减 case",
    () => ({ path: "/api/v1/decisions/refund-eligibility", headers: withKey(), body: json({ facts: README_CASE }) }),
    200,
  ],
  [
    "a case with a trace",
    () => ({
      path: "/api/v1/decisions/shipping-fee",
      headers: withKey(),
      body: json({ facts: README_CASE, trace: true }),
    }),
    200,
  ],
  [
    "a pinned version",
    () => ({
      path: "/api/v1/decisions/timeouts",
      headers: withKey(),
      body: json({
        facts: {
          ...README_CASE,
          refund: {
            ...README_CASE.refund,
            state: "waiting_seller",
            appliedAt: "2026-11-19T10:00:00+08:00",
            stateSince: "2026-11-19T10:00:00+08:00",
          },
        },
        version: 1,
      }),
    }),
    200,
  ],
  [
    "a query string",
    () => ({
      path: "/api/v1/decisions/refund-eligibility?debug=1",
      headers: withKey(),
      body: json({ facts: README_CASE }),
    }),
    200,
  ],
  [
    "a body with a byte order mark",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: `\uFEFF${json({ facts: README_CASE })}`,
    }),
    200,
  ],
  [
    "a charset in the media type",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey({ "content-type": "application/json; charset=utf-8" }),
      body: json({ facts: README_CASE }),
    }),
    200,
  ],
  [
    "no API key",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: { "content-type": "application/json" },
      body: json({ facts: README_CASE }),
    }),
    401,
  ],
  [
    "an unknown API key",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey({ authorization: "Bearer asr_nobody" }),
      body: json({ facts: README_CASE }),
    }),
    401,
  ],
  [
    "a key for another rule set",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey({ authorization: `Bearer ${narrowKey}` }),
      body: json({ facts: README_CASE }),
    }),
    403,
  ],
  [
    "a body sent as text",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey({ "content-type": "text/plain" }),
      body: json({ facts: README_CASE }),
    }),
    415,
  ],
  [
    "malformed JSON",
    () => ({ path: "/api/v1/decisions/refund-eligibility", headers: withKey(), body: '{"facts": {' }),
    400,
  ],
  ["an empty body", () => ({ path: "/api/v1/decisions/refund-eligibility", headers: withKey(), body: "" }), 400],
  [
    "JSON nested 100 levels deep",
    () => ({ path: "/api/v1/decisions/refund-eligibility", headers: withKey(), body: json({ facts: nested(100) }) }),
    422,
  ],
  [
    "an unknown member",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: json({ facts: README_CASE, explain: true }),
    }),
    422,
  ],
  [
    "facts that break the case schema",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: json({ facts: { ...README_CASE, order: { ...README_CASE.order, paidFen: -1 } } }),
    }),
    422,
  ],
  [
    "a version and asOf together",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: json({ facts: README_CASE, version: 1, asOf: "2026-11-20T10:00:00+08:00" }),
    }),
    422,
  ],
  [
    "an unknown rule set",
    () => ({ path: "/api/v1/decisions/no-such-rules", headers: withKey(), body: json({ facts: README_CASE }) }),
    404,
  ],
  [
    "a rule set name with escapes",
    () => ({ path: "/api/v1/decisions/refund%2Deligibility", headers: withKey(), body: json({ facts: README_CASE }) }),
    200,
  ],
  [
    "a version never published",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: json({ facts: README_CASE, version: 99 }),
    }),
    404,
  ],
  [
    "a body over the size limit",
    () => ({
      path: "/api/v1/decisions/refund-eligibility",
      headers: withKey(),
      body: json({ facts: README_CASE, pad: "x".repeat(70 * 1024) }),
    }),
    413,
  ],
];

describe("the node:http fast path and the Hono route answer alike", () => {
  it.each(cases)("%s", async (_what, request, status) => {
    const fast = await overHttp(request());
    expect(fast.status, JSON.stringify(fast.body)).toBe(status);
    expect(fast).toEqual(await inProcess(request()));
    expect(fast.headers["x-content-type-options"]).toBe("nosniff");
    expect(fast.headers["content-type"]).toBe(status === 200 ? "application/json" : "application/problem+json");
  });

  it("logs the same facts and decision either way", async () => {
    const marker = { ...README_CASE, refund: { ...README_CASE.refund, requestedFen: 12_345 } };
    const fast = await fetch(`${app.url}/api/v1/decisions/refund-eligibility`, {
      method: "POST",
      headers: withKey(),
      body: json({ facts: marker }),
    });
    const hono = await app.request("/api/v1/decisions/refund-eligibility", {
      method: "POST",
      headers: withKey(),
      body: json({ facts: marker }),
    });
    const ids = [
      ((await fast.json()) as { decisionId: string }).decisionId,
      ((await hono.json()) as { decisionId: string }).decisionId,
    ];
    await app.ctx.decisionLog.flush();
    const logged = await Promise.all(
      ids.map(async (decisionId) => (await searchDecisionLog(app.ctx.db, { decisionId }))[0]!),
    );
    // the case as parsed from the body (the defaults the check fills in follow from it)
    const decided = JSON.parse(JSON.stringify(marker));
    expect(logged.map((entry) => entry.facts)).toEqual([decided, decided]);
    expect(logged[0]!.decision).toEqual(logged[1]!.decision);
    expect(logged[0]!.firedRules).toEqual(logged[1]!.firedRules);
    expect(logged[0]!.outcome).toBe("eligible:return_and_refund");
  });

  it("sends HSTS over TLS as a trusted proxy reports it, both ways", async () => {
    const proxied = await createTestApp({ trustProxy: true });
    try {
      const sent = {
        path: "/api/v1/decisions/refund-eligibility",
        headers: withKey({ "x-forwarded-proto": "https" }),
        body: json({ facts: README_CASE }),
      };
      const fast = await seen(
        await fetch(proxied.url + sent.path, { method: "POST", headers: sent.headers, body: sent.body }),
      );
      expect(fast.headers["strict-transport-security"]).toBe("max-age=31536000");
      expect(fast).toEqual(
        await seen(await proxied.request(sent.path, { method: "POST", headers: sent.headers, body: sent.body })),
      );
    } finally {
      await proxied.close();
    }
  });

  it("refuses a key over its rate limit alike, with Retry-After", async () => {
    const limited = await createTestApp({ rateLimitPerKey: 1 });
    try {
      const sent = {
        path: "/api/v1/decisions/refund-eligibility",
        headers: withKey(),
        body: json({ facts: README_CASE }),
      };
      expect(
        (await seen(await fetch(limited.url + sent.path, { method: "POST", headers: sent.headers, body: sent.body })))
          .status,
      ).toBe(200);
      const fast = await seen(
        await fetch(limited.url + sent.path, { method: "POST", headers: sent.headers, body: sent.body }),
      );
      const hono = await seen(
        await limited.request(sent.path, { method: "POST", headers: sent.headers, body: sent.body }),
      );
      expect(fast.status).toBe(429);
      expect(fast.headers["retry-after"]).toBe("1");
      expect(fast).toEqual(hono);
    } finally {
      await limited.close();
    }
  });
});

describe("what the fast path takes on", () => {
  /** The listener with a fallback that answers 299, so that a test sees which of the two answered. */
  async function answeredBy(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<"fast path" | "fallback"> {
    const listener = withDecisionFastPath(app.ctx, { securityHeaders: {}, trustProxy: false }, (_req, res) => {
      res.writeHead(299).end();
    });
    const { createServer } = await import("node:http");
    const server = createServer((req: IncomingMessage, res: ServerResponse) => listener(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    try {
      const { port } = server.address() as { port: number };
      const { chunked, ...rest } = headers;
      const init: RequestInit & { duplex?: "half" } = { method, headers: rest };
      // a stream of unknown length goes out chunked, without a Content-Length
      if (body !== undefined) init.body = chunked ? new Blob([body]).stream() : body;
      if (chunked) init.duplex = "half";
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
      await response.arrayBuffer();
      return response.status === 299 ? "fallback" : "fast path";
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  const body = json({ facts: README_CASE });
  it.each([
    [
      "POST /api/v1/decisions/{ruleSet} with a length",
      "POST",
      "/api/v1/decisions/refund-eligibility",
      withKey(),
      body,
      "fast path",
    ],
    ["a query string", "POST", "/api/v1/decisions/refund-eligibility?x=1", withKey(), body, "fast path"],
    ["the batch endpoint", "POST", "/api/v1/decisions", withKey(), json({ requests: [] }), "fallback"],
    ["a deeper path", "POST", "/api/v1/decisions/refund-eligibility/x", withKey(), body, "fallback"],
    ["GET", "GET", "/api/v1/decisions/refund-eligibility", withKey(), undefined, "fallback"],
    ["a chunked body", "POST", "/api/v1/decisions/refund-eligibility", withKey({ chunked: "yes" }), body, "fallback"],
    ["a segment that does not decode", "POST", "/api/v1/decisions/%E0%A4%A", withKey(), body, "fallback"],
    ["the admin", "GET", "/admin/", {}, undefined, "fallback"],
  ] as const)("%s: %s", async (_what, method, path, headers, sent, expected) => {
    expect(await answeredBy(method, path, { ...headers }, sent)).toBe(expected);
  });
});
