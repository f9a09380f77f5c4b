import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../server/app.ts";
import { listAudit } from "../server/audit/store.ts";
import { hashingLoad, hashPassword } from "../server/auth/passwords.ts";
import type { Db } from "../server/db/database.ts";
import { Problem } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { capturedLogger, createTestApp, TEST_API_KEY, type TestApp } from "./helpers/test-app.ts";
import { aUser, passwordOf, signIn, withSession } from "./helpers/users.ts";
import { onPostgres } from "./helpers/test-database.ts";

const run = promisify(execFile);

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
}

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("sign-in throttling (behind a trusted proxy, so that each test has its own client IP)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ trustProxy: true });
    await Promise.all([aUser(app, "thea-throttled", "viewer"), aUser(app, "sam-success", "viewer")]);
  }, 120_000);
  afterAll(() => app.close());

  const from = (ip: string) => ({ "x-forwarded-for": `${ip}, 10.0.0.1` });

  it("refuses the 6th attempt on an account from the same IP with 429 and Retry-After, even with the right password, but not from another IP", async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn(app, "thea-throttled", "a-wrong-password", from("198.51.100.1"))).status).toBe(401);
    const sixth = await signIn(app, "thea-throttled", passwordOf("thea-throttled"), from("198.51.100.1"));
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("content-type")).toContain("application/problem+json");
    expect(sixth.cookie).toBe("");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // failures from elsewhere never lock the real user out (issue 10, M1)
    expect((await signIn(app, "thea-throttled", passwordOf("thea-throttled"), from("198.51.100.2"))).status).toBe(200);
    // the IP itself is not blocked for other accounts: it has 5 failures of its 20
    expect((await signIn(app, "sam-success", passwordOf("sam-success"), from("198.51.100.1"))).status).toBe(200);
  }, 180_000);

  it("forgets an account's failures at its next successful sign-in", async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++)
        expect((await signIn(app, "sam-success", "a-wrong-password", from("198.51.100.3"))).status).toBe(401);
      expect((await signIn(app, "sam-success", passwordOf("sam-success"), from("198.51.100.3"))).status).toBe(200);
    }
  }, 180_000);

  it("refuses any sign-in from an IP after 20 failures there, whichever the accounts", async () => {
    const failures = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(app, `guess-${i}`, "a-wrong-password", from("203.0.113.7"))),
    );
    expect(failures.map((f) => f.status)).toEqual(Array(20).fill(401));
    const blocked = await signIn(app, "admin", "test-admin-password", from("203.0.113.7"));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await signIn(app, "admin", "test-admin-password", from("203.0.113.8"))).status).toBe(200);
  }, 300_000);

  it("takes the client IP from X-Forwarded-For and TLS from X-Forwarded-Proto only from a trusted proxy", async () => {
    const behindTls = await signIn(app, "admin", "test-admin-password", {
      ...from("198.51.100.9"),
      "x-forwarded-proto": "https",
    });
    expect(behindTls.headers.get("set-cookie")).toMatch(/; Secure/);
    expect(behindTls.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    const audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "admin" });
    expect(audit.at(-1)).toMatchObject({ action: "sign-in", detail: { from: "198.51.100.9" } });
  }, 60_000);
});

describe("without a trusted proxy", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it("ignores X-Forwarded-For and X-Forwarded-Proto, which any caller could forge", async () => {
    const res = await signIn(app, "admin", "test-admin-password", {
      "x-forwarded-for": "198.51.100.77",
      "x-forwarded-proto": "https",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/);
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "admin" });
    expect(audit.at(-1)).toMatchObject({ action: "sign-in", detail: { from: "127.0.0.1" } });
  }, 60_000);

  it("sends the security headers on the admin, the API, problems and unknown paths", async () => {
    const responses = {
      admin: await fetch(`${app.url}/admin/`),
      decision: await fetch(`${app.url}/api/v1/decisions/shipping-fee`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_API_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ facts: aCase() }),
      }),
      unauthorized: await fetch(`${app.url}/api/v1/rule-sets`),
      unknown: await fetch(`${app.url}/api/v1/nope`),
      health: await fetch(`${app.url}/healthz`),
    };
    expect(responses.decision.status).toBe(200);
    expect(responses.unauthorized.status).toBe(401);
    expect(responses.unknown.status).toBe(404);
    for (const [name, res] of Object.entries(responses)) {
      const h = res.headers;
      expect(h.get("x-content-type-options"), name).toBe("nosniff");
      expect(h.get("x-frame-options"), name).toBe("DENY");
      expect(h.get("referrer-policy"), name).toBe("no-referrer");
      expect(h.get("strict-transport-security"), name).toBeNull(); // plain HTTP
      const csp = directives(h.get("content-security-policy"));
      expect(csp.get("default-src"), name).toEqual(["'self'"]);
      expect(csp.get("script-src"), name).toEqual(["'self'"]);
      expect(csp.get("style-src"), name).toEqual(["'self'", "'unsafe-inline'"]);
      expect(csp.get("img-src"), name).toEqual(["'self'", "data:"]);
      expect(csp.get("connect-src"), name).toEqual(["'self'"]);
      expect(csp.get("frame-ancestors"), name).toEqual(["'none'"]);
      expect(csp.get("base-uri"), name).toEqual(["'none'"]);
      expect(csp.get("form-action"), name).toEqual(["'self'"]);
      expect(h.get("x-powered-by"), name).toBeNull();
    }
  });

  it("still refuses cookie-authenticated writes from another site on the new endpoints", async () => {
    const session = (await signIn(app, "admin", "test-admin-password")).cookie;
    const user = { username: "csrf-target", password: passwordOf("csrf-target"), role: "admin" };
    const key = { name: "csrf-key", scopes: ["rules:read"] };
    const crossSite = { authorization: "", cookie: session, "sec-fetch-site": "cross-site" };
    const noOrigin = { authorization: "", cookie: session };
    expectProblem(await app.call("POST", "/api/v1/users", user, crossSite), 403);
    expectProblem(await app.call("POST", "/api/v1/users", user, noOrigin), 403);
    expectProblem(await app.call("PATCH", "/api/v1/users/admin", { role: "viewer" }, crossSite), 403);
    expectProblem(
      await app.call("POST", "/api/v1/users/admin/password", { password: passwordOf("x") }, crossSite),
      403,
    );
    expectProblem(await app.call("POST", "/api/v1/api-keys", key, crossSite), 403);
    expectProblem(await app.call("DELETE", "/api/v1/api-keys/0000000000000000", undefined, noOrigin), 403);
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/session/password",
        { currentPassword: "test-admin-password", newPassword: passwordOf("x") },
        crossSite,
      ),
      403,
    );
    expect((await app.call("GET", "/api/v1/users")).body.users.map((u: { username: string }) => u.username)).toEqual([
      "admin",
    ]);
    expect((await app.call("POST", "/api/v1/api-keys", key, withSession(app, session))).status).toBe(201);
  }, 60_000);

  it("answers an unexpected failure with a plain 500 problem: no message, no stack", async () => {
    const failing = new Proxy(app.ctx.db, {
      get: (target, property, receiver) => {
        if (property === "selectFrom")
          return () => {
            throw new Error("boom: SQLITE_CORRUPT at /secret/path/test.db");
          };
        return Reflect.get(target, property, receiver);
      },
    }) as Db;
    const log = capturedLogger();
    const broken = createApp({ ...app.ctx, db: failing, logger: log.logger });
    const res = await broken.request("/api/v1/users", {
      headers: { authorization: `Bearer ${TEST_API_KEY}`, cookie: "asr_session=never-logged" },
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      detail: "the service failed to answer; the error has been logged",
    });
    expect(text).not.toMatch(/boom|secret|\bat\s/);
    // logged server-side with where it happened, but never the request's key or cookie
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({
      level: 50,
      method: "GET",
      path: "/api/v1/users",
      requestId: res.headers.get("x-request-id"),
      err: { message: expect.stringMatching(/boom/) },
    });
    expect(log.text.join("")).not.toMatch(new RegExp(`${TEST_API_KEY}|never-logged`));
  });
});

describe("password hashing", () => {
  it("computes at most two scrypt hashes at once; the rest wait", async () => {
    const hashes = Array.from({ length: 3 }, () => hashPassword(passwordOf("concurrent")));
    await new Promise((resolve) => setImmediate(resolve));
    expect(hashingLoad()).toEqual({ active: 2, pending: 1 });
    const stored = await Promise.all(hashes);
    expect(new Set(stored).size).toBe(3);
    expect(stored[0]).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(hashingLoad()).toEqual({ active: 0, pending: 0 });
  }, 120_000);
});

describe("backup", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  // SQLite's online backup of the file; a PostgreSQL database is backed up with PostgreSQL's own tools
  it.runIf(!onPostgres)(
    "copies the live database with `npm run backup`, checked and complete",
    async () => {
      // a change that still sits in the WAL when the copy is taken
      const draft = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body.draft;
      const saved = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", {
        revision: draft.revision,
        rules: draft.rules,
      });
      expect(saved.status).toBe(200);
      expect(existsSync(join(app.dir, "test.db-wal"))).toBe(true);

      const target = join(app.dir, "backup.db");
      const env = { ...process.env, DATABASE_URL: join(app.dir, "test.db") };
      const { stdout } = await run("npm", ["run", "-s", "backup", "--", target], { env });
      expect(stdout).toMatch(/4 rule sets, integrity check ok/);

      const copy = new SQLite(target, { readonly: true });
      try {
        expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
        const rows = copy.prepare("select key, draft_revision from rule_sets order by key").all();
        expect(rows).toEqual([
          { key: "refund-eligibility", draft_revision: 1 },
          { key: "service-playbook", draft_revision: 1 },
          { key: "shipping-fee", draft_revision: 1 },
          { key: "timeouts", draft_revision: saved.body.draft.revision },
        ]);
      } finally {
        copy.close();
      }
      // the service went on answering meanwhile
      expect((await app.decide("timeouts", aCase())).status).toBe(200);
      // and an existing file is never overwritten
      await expect(run("npm", ["run", "-s", "backup", "--", target], { env })).rejects.toThrow(/exists already/);
    },
    120_000,
  );

  it.runIf(onPostgres)(
    "refuses a PostgreSQL database, naming the tool that backs it up",
    async () => {
      const env = { ...process.env, DATABASE_URL: app.databaseUrl };
      await expect(run("npm", ["run", "-s", "backup", "--", join(app.dir, "backup.db")], { env })).rejects.toThrow(
        /PostgreSQL: back it up with pg_dump/,
      );
    },
    120_000,
  );
});
