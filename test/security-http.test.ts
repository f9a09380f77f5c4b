import { connect, type Socket } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { capturedLogger, createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";
import { signIn } from "./helpers/users.ts";

/** Issue 10, M5 and the low findings of the HTTP server: each attack as the issue writes it, against the real server. */

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
}

/** A raw TCP connection to the test server, with everything it receives and when it closed. */
type RawClient = { socket: Socket; received: () => string; closed: Promise<number> };

async function rawClient(app: TestApp): Promise<RawClient> {
  const { hostname, port } = new URL(app.url);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.on("data", (chunk) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(performance.now())));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("close", () => reject(new Error("closed before connecting")));
  });
  return { socket, received: () => text, closed };
}

/** One request on its own connection (`Connection: close`): the whole answer, or "" when the server closed it unanswered. */
async function rawRequest(app: TestApp, path: string): Promise<string> {
  const { hostname, port } = new URL(app.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    socket.on("connect", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(text));
  });
}

/** Retries `attempt` until it holds or `ms` have passed: the server notices a closed socket a moment after the client. */
async function eventually(attempt: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (await attempt()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** A raw answer node:http's parser refused with: problem+json whose requestId is the X-Request-Id header. */
function expectRawProblem(raw: string, code: string) {
  const [head, body] = raw.split("\r\n\r\n", 2) as [string, string];
  expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
  const id = /\r\nx-request-id: (\S+)/i.exec(head)?.[1];
  expect(id).toBeTruthy();
  expect(JSON.parse(body)).toMatchObject({ code, requestId: id });
}

const decisionHead = (app: TestApp, length: number) =>
  `POST /api/v1/decisions/refund-eligibility HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\nAuthorization: Bearer ${TEST_API_KEY}\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe("M5: slow clients are cut off within the limit while others are served", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ httpLimits: { headersTimeoutMs: 1000, requestTimeoutMs: 1000 } });
  });
  afterAll(() => app.close());

  it("closes a connection that announces 64 KiB and sends one byte, after the request timeout, with 408", async () => {
    const slow = await rawClient(app);
    const started = performance.now();
    slow.socket.write(`${decisionHead(app, 65536)}{`);
    // a normal client meanwhile
    const normal = await app.decide("refund-eligibility", aCase());
    expect(normal.status).toBe(200);
    const closedAt = await slow.closed;
    // node checks its timeouts every quarter of the headers timeout
    expect(closedAt - started).toBeGreaterThan(900);
    expect(closedAt - started).toBeLessThan(2500);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expectRawProblem(slow.received(), "request_timeout");
    expect((await app.decide("refund-eligibility", aCase())).status).toBe(200);
  });

  it("answers a request that is not HTTP/1.1 with a 400 problem carrying its request id", async () => {
    const garbled = await rawClient(app);
    garbled.socket.write("POST /api/v1/decisions/refund-eligibility HTTP/1.1\r\nContent-Length: x\r\n\r\n");
    await garbled.closed;
    expect(garbled.received()).toMatch(/^HTTP\/1\.1 400 /);
    expectRawProblem(garbled.received(), "bad_request");
  });

  it("closes a connection whose headers trickle in, after the headers timeout", async () => {
    const slow = await rawClient(app);
    const started = performance.now();
    slow.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    const trickle = setInterval(() => slow.socket.writable && slow.socket.write("X-Slow: 1\r\n"), 200);
    try {
      const closedAt = await slow.closed;
      expect(closedAt - started).toBeLessThan(2500);
    } finally {
      clearInterval(trickle);
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

describe("M5: connections per address and in total", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ httpLimits: { maxConnectionsPerAddress: 4 } });
  });
  afterAll(() => app.close());

  it("refuses connections from one address beyond its cap, and serves it again once it has closed some", async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => rawClient(app)));
    // the fifth is closed unanswered, at once
    expect(await rawRequest(app, "/healthz")).toBe("");
    held[0]!.socket.destroy();
    await held[0]!.closed;
    expect(await eventually(async () => (await rawRequest(app, "/healthz")).startsWith("HTTP/1.1 200 "))).toBe(true);
    for (const client of held) client.socket.destroy();
  });

  it("behind a trusted proxy counts no address (all clients come through the proxy's) but still caps the total", async () => {
    const proxied = await createTestApp({
      trustProxy: true,
      httpLimits: { maxConnectionsPerAddress: 2, maxConnections: 4 },
    });
    try {
      const held = await Promise.all(Array.from({ length: 3 }, () => rawClient(proxied)));
      expect(await rawRequest(proxied, "/healthz")).toMatch(/^HTTP\/1\.1 200 /);
      held.push(await rawClient(proxied));
      expect(await rawRequest(proxied, "/healthz")).toBe("");
      for (const client of held) client.socket.destroy();
      await Promise.all(held.map((client) => client.closed));
      expect(await eventually(async () => (await rawRequest(proxied, "/healthz")).startsWith("HTTP/1.1 200 "))).toBe(
        true,
      );
    } finally {
      await proxied.close();
    }
  });
});

describe("low findings", () => {
  let app: TestApp;
  const log = capturedLogger();
  beforeAll(async () => {
    app = await createTestApp({
      metricsToken: "a-metrics-token-of-the-operator",
      compiledVersions: 3,
      logger: log.logger,
    });
  });
  afterAll(() => app.close());

  it.each(["null", "::bad", "http://", "not a url"])(
    "answers a session write with `Origin: %s` 403, logging nothing",
    async (origin) => {
      const signedIn = await signIn(app, "admin", "test-admin-password");
      expect(signedIn.status).toBe(200);
      log.lines.length = 0;
      const res = await app.call(
        "POST",
        "/api/v1/users",
        { username: "via-bad-origin", password: "password-of-via-bad-origin", role: "viewer" },
        {
          authorization: "",
          cookie: signedIn.cookie,
          origin,
        },
      );
      expect(expectProblem(res, 403).detail).toMatch(/admin's origin/);
      expect(log.lines).toEqual([]);
    },
  );

  it.each([
    ["GET", "/api/v1/audit?entityKey=a%00b"],
    ["GET", "/api/v1/audit?actor=a%00"],
    ["GET", "/api/v1/reply-templates/a%00b"],
    ["DELETE", "/api/v1/api-keys/a%00b"],
  ])("answers %s %s 400 bad_request, logging nothing (PostgreSQL's text cannot hold U+0000)", async (method, path) => {
    log.lines.length = 0;
    const res = await app.call(method, path);
    expect(expectProblem(res, 400)).toMatchObject({ code: "bad_request", detail: expect.stringContaining("U+0000") });
    expect(log.lines).toEqual([]);
  });

  it("logs an unexpected error on a path with %0A as one line, the path escaped", async () => {
    const brokenLog = capturedLogger();
    const broken = await createTestApp({ logger: brokenLog.logger, clusterSyncMs: 3_600_000 });
    // a real failure: the table the route reads is gone
    await sql`ALTER TABLE api_keys RENAME TO api_keys_gone`.execute(broken.ctx.db);
    try {
      const res = await broken.call(
        "DELETE",
        "/api/v1/api-keys/x%0A2026-11-20T00:00:00Z%20INFO%20admin%20signed%20in%E2%80%A8forged",
      );
      expect(res.status).toBe(500);
      // every write is one line; on PostgreSQL the cluster sync's first check (when its LISTEN connects) may read the
      // renamed table too and log a line of its own, so the request's line is found by its message
      for (const text of brokenLog.text) expect(text.replace(/\n$/, "")).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
      const requestLines = brokenLog.text.filter((_, i) => brokenLog.lines[i]!.msg === "unexpected error");
      expect(requestLines).toHaveLength(1);
      const line = requestLines[0]!;
      expect(line).toContain("x\\n2026-11-20T00:00:00Z INFO admin signed in\\u2028forged");
      // in either database's words (the line escapes PostgreSQL's quotes around the name)
      expect(line).toMatch(/no such table: api_keys|relation \\"api_keys\\" does not exist/);
      expect(brokenLog.lines.find((l) => l.msg === "unexpected error")!.path).toBe(
        "/api/v1/api-keys/x\n2026-11-20T00:00:00Z INFO admin signed in\u2028forged",
      );
    } finally {
      await sql`ALTER TABLE api_keys_gone RENAME TO api_keys`.execute(broken.ctx.db);
      await broken.close();
    }
  });

  it("keeps at most COMPILED_VERSIONS_CACHE old versions compiled, reading the others from the database when pinned", async () => {
    const versions = [1];
    // version n goes active at n o'clock (UTC), so that `asOf` can name each
    for (let i = 0; i < 6; i++) {
      app.setNow(new Date(Date.UTC(2026, 10, 20, i + 2)));
      const detail = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body;
      const rules = detail.draft.rules.map((rule: any, index: number) =>
        index === 0 ? { ...rule, description: `${rule.description} (${i})` } : rule,
      );
      expect(
        (await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", { revision: detail.draft.revision, rules })).status,
      ).toBe(200);
      const published = await app.call("POST", "/api/v1/rule-sets/timeouts/publish", { note: `version ${i + 2}` });
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      versions.push(published.body.version);
    }
    app.setNow(new Date("2026-11-20T02:00:00Z"));
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7]);
    for (const round of [0, 1]) {
      for (const version of versions) {
        const pinned = await app.decide("timeouts", aCase(), { version });
        expect(pinned.status, `round ${round}, version ${version}`).toBe(200);
        expect(pinned.body.version).toBe(version);
        expect(app.ctx.registry.compiledVersions).toBeLessThanOrEqual(3);
      }
    }
    // pinned at once on versions not compiled: one read each, all answered
    const together = await Promise.all(versions.map((version) => app.decide("timeouts", aCase(), { version })));
    expect(together.map((res) => res.body.version)).toEqual(versions);
    expect(app.ctx.registry.compiledVersions).toBeLessThanOrEqual(3);
    // a version never published is refused without a read
    expectProblem(await app.decide("timeouts", aCase(), { version: 99 }), 404);
  });

  it("loads no old version at start: they are read when first asked for", async () => {
    const restarted = await createTestApp({ dir: app.dir, keep: true, compiledVersions: 3 });
    try {
      expect(restarted.ctx.registry.compiledVersions).toBe(0);
      expect((await restarted.decide("timeouts", aCase(), { version: 2 })).body.version).toBe(2);
      expect(restarted.ctx.registry.compiledVersions).toBe(1);
      expect((await restarted.decide("timeouts", aCase(), { asOf: "2026-11-20T04:30:00Z" })).body.version).toBe(4);
      expect(restarted.ctx.registry.compiledVersions).toBe(2);
    } finally {
      await restarted.close();
    }
  });

  it("answers /metrics only with the metrics token when METRICS_TOKEN is set", async () => {
    const without = await fetch(`${app.url}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get("content-type")).toContain("application/problem+json");
    expect(without.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TEST_API_KEY}` } })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${app.url}/metrics`, { headers: { authorization: "Bearer a-metrics-token-of-the-operatoR" } }))
        .status,
    ).toBe(401);
    const allowed = await fetch(`${app.url}/metrics`, {
      headers: { authorization: "Bearer a-metrics-token-of-the-operator" },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("aftersales_decisions_total");
  });

  describe("a moment later than now beyond the clock skew", () => {
    it.each([
      ["order.deliveredAt", { order: { deliveredAt: "2026-11-20T10:05:01+08:00" } }],
      ["order.shippedAt", { order: { shippedAt: "2026-11-21T10:00:00+08:00" } }],
      ["order.completedAt", { order: { status: "completed", completedAt: "2027-01-01T00:00:00Z" } }],
      ["refund.appliedAt", { refund: { appliedAt: "2026-11-20T02:06:00Z" } }],
      ["refund.stateSince", { refund: { state: "waiting_seller", stateSince: "2099-01-01T00:00:00Z" } }],
    ] as const)("%s is a 422 naming it (the case's now)", async (path, parts) => {
      const problem = expectProblem(await app.decide("refund-eligibility", aCase(parts as any)), 422);
      expect(problem.errors).toEqual([expect.objectContaining({ path })]);
    });

    it("is read against the server's clock when the case has no now", async () => {
      const { now: _now, ...facts } = aCase({ order: { deliveredAt: "2026-11-20T10:10:00+08:00" } });
      const problem = expectProblem(await app.decide("refund-eligibility", facts), 422);
      expect(problem.errors).toEqual([expect.objectContaining({ path: "order.deliveredAt" })]);
    });

    it("is decided within the skew (5 minutes), and so is a case without now at the server's clock", async () => {
      expect(
        (await app.decide("refund-eligibility", aCase({ order: { deliveredAt: "2026-11-20T10:05:00+08:00" } }))).status,
      ).toBe(200);
      const { now: _now, ...facts } = aCase({ order: { deliveredAt: "2026-11-20T10:04:00+08:00" } });
      expect((await app.decide("refund-eligibility", facts)).status).toBe(200);
    });
  });

  it.each([
    ["now", { now: "1800-01-01T00:00:00Z" }],
    ["now", { now: "10000-01-01T00:00:00Z" }],
    ["now", { now: "0000-01-01T00:00:00Z" }],
    ["order.deliveredAt", { order: { deliveredAt: "1999-12-31T23:59:59Z" } }],
    ["order.deliveredAt", { order: { deliveredAt: "+010000-01-01T00:00:00Z" } }],
    ["refund.appliedAt", { now: "2999-12-31T00:00:00Z", refund: { appliedAt: "3000-01-01T00:00:00+08:00" } }],
  ] as const)("a date outside 2000-2999 is a 422 naming %s", async (path, parts) => {
    const problem = expectProblem(await app.decide("refund-eligibility", aCase(parts as any)), 422);
    expect(problem.errors?.map((error) => error.path)).toContain(path);
  });
});
