import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { capturedLogger, createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";

/**
 * Every response names its request in `X-Request-Id`, on both transports (the node:http decision fast path and the Hono
 * app), and every problem carries the same id as `requestId`. A proxy's id is kept only from a trusted proxy, and only
 * when it is sane.
 */

const SANE = /^[A-Za-z0-9._:-]{1,128}$/;
const withKey = (headers: Record<string, string> = {}) => ({
  authorization: `Bearer ${TEST_API_KEY}`,
  "content-type": "application/json",
  ...headers,
});
const decision = JSON.stringify({ facts: aCase() });

let app: TestApp;
let trusted: TestApp;
const trustedLog = capturedLogger("debug");
beforeAll(async () => {
  [app, trusted] = await Promise.all([createTestApp(), createTestApp({ trustProxy: true, logger: trustedLog.logger })]);
});
afterAll(() => Promise.all([app.close(), trusted.close()]));

/** The response's id, checked to be one of ours (or the proxy's) and, on a problem, to be the body's `requestId`. */
async function idOf(response: Response): Promise<string> {
  const id = response.headers.get("x-request-id");
  expect(id).toMatch(SANE);
  if (response.headers.get("content-type") === "application/problem+json") {
    const problem = Problem.parse(await response.json());
    expect(problem.requestId).toBe(id);
  } else {
    await response.arrayBuffer();
  }
  return id!;
}

describe("X-Request-Id on every response", () => {
  const sent: [string, string, string, RequestInit][] = [
    ["the admin page", "GET", "/admin/", {}],
    ["an API 200", "GET", "/api/v1/rule-sets", { headers: withKey() }],
    [
      "a decision 200 (fast path)",
      "POST",
      "/api/v1/decisions/refund-eligibility",
      { headers: withKey(), body: decision },
    ],
    [
      "a decision 401 (fast path)",
      "POST",
      "/api/v1/decisions/refund-eligibility",
      { headers: { "content-type": "application/json" }, body: decision },
    ],
    ["a decision 400 (fast path)", "POST", "/api/v1/decisions/refund-eligibility", { headers: withKey(), body: "{" }],
    [
      "a decision 413 refused unread (fast path)",
      "POST",
      "/api/v1/decisions/refund-eligibility",
      { headers: withKey(), body: "x".repeat(70 * 1024) },
    ],
    [
      "a batch 422 (Hono)",
      "POST",
      "/api/v1/decisions",
      { headers: withKey(), body: JSON.stringify({ requests: "none" }) },
    ],
    ["a management 401 (Hono)", "GET", "/api/v1/users", {}],
    [
      "a management 422 (Hono)",
      "POST",
      "/api/v1/users",
      { headers: withKey(), body: JSON.stringify({ username: "x" }) },
    ],
    ["a 404", "GET", "/no/such/endpoint", {}],
    ["a 405-like miss on the API", "DELETE", "/api/v1/decisions/refund-eligibility", { headers: withKey() }],
    ["/livez", "GET", "/livez", {}],
    ["/readyz", "GET", "/readyz", {}],
    ["/healthz", "GET", "/healthz", {}],
    ["/metrics", "GET", "/metrics", {}],
  ];

  it.each(sent)("%s", async (_what, method, path, init) => {
    const ids = [
      await idOf(await fetch(app.url + path, { ...init, method })),
      await idOf(await fetch(app.url + path, { ...init, method })),
    ];
    // made here, one per request
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("is on a problem answered in process by the Hono decision route too, body and header alike", async () => {
    const response = await app.request("/api/v1/decisions/refund-eligibility", {
      method: "POST",
      headers: withKey(),
      body: "{",
    });
    expect(response.status).toBe(400);
    await idOf(response);
  });
});

describe("an X-Request-Id sent by the caller", () => {
  it.each([
    ["fast path", "POST", "/api/v1/decisions/no-such-rules", decision],
    ["Hono", "GET", "/api/v1/rule-sets/no-such-rules", undefined],
  ])(
    "is echoed from a trusted proxy when sane (%s), in the header, the problem and the log",
    async (_transport, method, path, body) => {
      trustedLog.lines.length = 0;
      const response = await fetch(trusted.url + path, {
        method,
        headers: withKey({ "x-request-id": "lb-7f3a.9:01-ab" }),
        ...(body ? { body } : {}),
      });
      expect(response.status).toBe(404);
      expect(await idOf(response)).toBe("lb-7f3a.9:01-ab");
      expect(trustedLog.lines.filter((line) => line.msg === "request").map((line) => line.requestId)).toEqual([
        "lb-7f3a.9:01-ab",
      ]);
    },
  );

  it.each([
    ["fast path", "POST", "/api/v1/decisions/refund-eligibility", decision],
    ["Hono", "GET", "/api/v1/rule-sets", undefined],
  ])("is replaced when the proxy is not trusted (%s)", async (_transport, method, path, body) => {
    const response = await fetch(app.url + path, {
      method,
      headers: withKey({ "x-request-id": "forged-by-the-caller" }),
      ...(body ? { body } : {}),
    });
    expect(response.status).toBe(200);
    expect(await idOf(response)).not.toBe("forged-by-the-caller");
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["with a space", "two words"],
    ["with a quote", 'x"y'],
    ["with a slash", "a/b"],
    ["with non-ASCII", "订单-1"],
    ["empty", ""],
  ])("is replaced from a trusted proxy when malformed: %s", async (_what, forged) => {
    for (const [method, path, body] of [
      ["POST", "/api/v1/decisions/refund-eligibility", decision],
      ["GET", "/api/v1/rule-sets", undefined],
    ] as const) {
      const headers = new Headers(withKey());
      // fetch refuses to send some of these as they are; their bytes go as Latin-1, as a proxy could send them
      headers.set("x-request-id", Buffer.from(forged, "utf8").toString("latin1"));
      const response = await fetch(trusted.url + path, { method, headers, ...(body ? { body } : {}) });
      expect(response.status).toBe(200);
      const id = await idOf(response);
      expect(id).not.toBe(forged);
      expect(id).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    }
  });
});

describe("logs", () => {
  it("name the request in the debug line of each transport, and redact credentials", async () => {
    trustedLog.lines.length = 0;
    trustedLog.text.length = 0;
    const fast = await fetch(`${trusted.url}/api/v1/decisions/refund-eligibility`, {
      method: "POST",
      headers: withKey(),
      body: decision,
    });
    const hono = await fetch(`${trusted.url}/api/v1/rule-sets`, { headers: withKey() });
    const ids = [await idOf(fast), await idOf(hono)];
    expect(
      trustedLog.lines
        .filter((line) => line.msg === "request")
        .map((line) => [line.requestId, line.method, line.status]),
    ).toEqual([
      [ids[0], "POST", 200],
      [ids[1], "GET", 200],
    ]);
    expect(trustedLog.text.join("")).not.toContain(TEST_API_KEY);

    trustedLog.logger.info(
      {
        req: { headers: { authorization: `Bearer ${TEST_API_KEY}`, cookie: "asr_session=secret-session" } },
        user: { password: "hunter2-hunter2" },
        apiKey: TEST_API_KEY,
      },
      "with secrets",
    );
    const line = trustedLog.text.at(-1)!;
    expect(line).not.toMatch(new RegExp(`${TEST_API_KEY}|secret-session|hunter2`));
    expect(JSON.parse(line)).toMatchObject({
      req: { headers: { authorization: "[redacted]", cookie: "[redacted]" } },
      user: { password: "[redacted]" },
      apiKey: "[redacted]",
    });
  });
});
