import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKey, CreatedApiKey } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import { listAudit } from "../server/audit/store.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
}

async function aKey(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CreatedApiKey> {
  const res = await app.call("POST", "/api/v1/api-keys", body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return CreatedApiKey.parse(res.body);
}

describe("creating and listing keys", () => {
  it("shows a new key once, in the answer to its creation, and it works at once", async () => {
    const res = await app.call("POST", "/api/v1/api-keys", {
      name: "shipping-reader",
      scopes: ["rules:read", "decisions:evaluate"],
      ruleSets: ["shipping-fee"],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = CreatedApiKey.parse(res.body);
    expect(created.key).toMatch(/^asr_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: "shipping-reader",
      scopes: ["rules:read", "decisions:evaluate"],
      ruleSets: ["shipping-fee"],
      expiresAt: null,
      createdBy: "api-key:bootstrap",
      lastUsedAt: null,
      revokedAt: null,
    });

    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee", undefined, bearer(created.key))).status).toBe(200);
    expect((await app.call("GET", "/api/v1/rule-sets/timeouts", undefined, bearer(created.key))).status).toBe(403);
    expect(
      (await app.call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() }, bearer(created.key))).status,
    ).toBe(200);
  });

  it("lists every key without its secret or hash", async () => {
    const created = await aKey({ name: "listed", scopes: ["rules:read"] });
    const res = await app.call("GET", "/api/v1/api-keys");
    expect(res.status).toBe(200);
    const keys = res.body.apiKeys.map((k: unknown) => ApiKey.parse(k));
    expect(keys.map((k: ApiKey) => k.name)).toEqual(expect.arrayContaining(["bootstrap", "listed"]));
    for (const key of res.body.apiKeys) expect(Object.keys(key).sort()).toEqual(Object.keys(ApiKey.shape).sort());
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(created.key);
    expect(text).not.toContain(createHash("sha256").update(created.key).digest("hex"));
    expect(text).not.toMatch(/"key"|secret/i);
  });

  it.each([
    ["an unknown scope", { name: "x", scopes: ["rules:everything"] }, "scopes.0"],
    ["no scope", { name: "x", scopes: [] }, "scopes"],
    ["no name", { name: " ", scopes: ["rules:read"] }, "name"],
    ["an unknown rule set", { name: "x", scopes: ["rules:read"], ruleSets: ["shipping-fee", "nope"] }, "ruleSets.1"],
    ["an expiry in the past", { name: "x", scopes: ["rules:read"], expiresAt: "2026-11-20T01:59:59Z" }, "expiresAt"],
    ["an expiry that is no date", { name: "x", scopes: ["rules:read"], expiresAt: "tomorrow" }, "expiresAt"],
  ])("refuses %s with 422 naming the field", async (_what, body, path) => {
    const problem = expectProblem(await app.call("POST", "/api/v1/api-keys", body), 422);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
  });

  it("refuses a second live key with the same name (logs tell keys apart by name)", async () => {
    await aKey({ name: "twin", scopes: ["rules:read"] });
    expectProblem(await app.call("POST", "/api/v1/api-keys", { name: "twin", scopes: ["rules:read"] }), 409);
  });

  it("grants no scope or rule set its creator lacks, except that an admin may allow publishing unreviewed", async () => {
    const manager = await aKey({ name: "key-manager", scopes: ["keys:manage", "rules:read"], ruleSets: ["timeouts"] });
    const as = bearer(manager.key);
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/api-keys",
        { name: "wider", scopes: ["rules:write"], ruleSets: ["timeouts"] },
        as,
      ),
      403,
    );
    expectProblem(await app.call("POST", "/api/v1/api-keys", { name: "wider", scopes: ["rules:read"] }, as), 403);
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/api-keys",
        { name: "wider", scopes: ["rules:read"], ruleSets: ["shipping-fee"] },
        as,
      ),
      403,
    );
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/api-keys",
        { name: "wider", scopes: ["rules:publish-unreviewed"], ruleSets: ["timeouts"] },
        as,
      ),
      403,
    );
    expect(
      (
        await app.call(
          "POST",
          "/api/v1/api-keys",
          { name: "narrower", scopes: ["rules:read"], ruleSets: ["timeouts"] },
          as,
        )
      ).status,
    ).toBe(201);

    await aUser(app, "kim-key-admin", "admin");
    const session = (await signIn(app, "kim-key-admin")).cookie;
    const pipeline = await aKey(
      { name: "git-pipeline", scopes: ["rules:read", "rules:write", "rules:publish", "rules:publish-unreviewed"] },
      withSession(app, session),
    );
    expect(pipeline.createdBy).toBe("user:kim-key-admin");
  });
});

describe("revoking and expiring keys", () => {
  it("refuses a revoked key from the very next request, and audits the revocation", async () => {
    const created = await aKey({ name: "to-revoke", scopes: ["decisions:evaluate"] });
    expect((await app.call("POST", "/api/v1/decisions/timeouts", { facts: aCase() }, bearer(created.key))).status).toBe(
      200,
    );
    expect((await app.call("DELETE", `/api/v1/api-keys/${created.id}`)).status).toBe(204);
    const refused = expectProblem(
      await app.call("POST", "/api/v1/decisions/timeouts", { facts: aCase() }, bearer(created.key)),
      401,
    );
    expect(refused.detail).toBe("the API key is unknown or revoked");
    expect((await app.call("DELETE", `/api/v1/api-keys/${created.id}`)).status).toBe(204);
    expectProblem(await app.call("DELETE", "/api/v1/api-keys/0000000000000000"), 404);

    const listed = (await app.call("GET", "/api/v1/api-keys")).body.apiKeys.find((k: ApiKey) => k.id === created.id);
    expect(listed.revokedAt).toBe("2026-11-20T02:00:00.000Z");
    const audit = await listAudit(app.ctx.db, { entity: "api-key", entityKey: created.id });
    expect(audit.map((r) => r.action)).toEqual(["api-key.create", "api-key.revoke"]);
    // a reload from the database (a restart) keeps it refused
    await app.ctx.apiKeys.load(app.ctx.db);
    expectProblem(await app.call("POST", "/api/v1/decisions/timeouts", { facts: aCase() }, bearer(created.key)), 401);
  });

  it("refuses a key once the clock passes its expiry", async () => {
    const created = await aKey({
      name: "short-lived",
      scopes: ["decisions:evaluate", "rules:read"],
      expiresAt: "2026-11-20T11:00:00+08:00",
    });
    expect(created.expiresAt).toBe("2026-11-20T03:00:00.000Z");
    try {
      app.setNow(new Date("2026-11-20T02:59:59Z"));
      expect(
        (await app.call("POST", "/api/v1/decisions/timeouts", { facts: aCase() }, bearer(created.key))).status,
      ).toBe(200);
      app.setNow(new Date("2026-11-20T03:00:00Z"));
      const expired = expectProblem(
        await app.call("POST", "/api/v1/decisions/timeouts", { facts: aCase() }, bearer(created.key)),
        401,
      );
      expect(expired.detail).toBe("the API key has expired");
      expectProblem(await app.call("GET", "/api/v1/rule-sets", undefined, bearer(created.key)), 401);
    } finally {
      app.setNow(new Date("2026-11-20T02:00:00Z"));
    }
  });
});

describe("last use", () => {
  it("notes use in memory and writes it in the background, not on the decision path", async () => {
    const created = await aKey({ name: "used", scopes: ["decisions:evaluate"] });
    app.setNow(new Date("2026-11-20T02:05:00Z"));
    try {
      expect(
        (await app.call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() }, bearer(created.key))).status,
      ).toBe(200);
    } finally {
      app.setNow(new Date("2026-11-20T02:00:00Z"));
    }
    const stored = () =>
      app.ctx.db.selectFrom("api_keys").select("last_used_at").where("id", "=", created.id).executeTakeFirstOrThrow();
    expect((await stored()).last_used_at).toBeNull();
    const listed = (await app.call("GET", "/api/v1/api-keys")).body.apiKeys.find((k: ApiKey) => k.id === created.id);
    expect(listed.lastUsedAt).toBe("2026-11-20T02:05:00.000Z");

    await app.ctx.apiKeys.flushUsage();
    expect((await stored()).last_used_at).toBe("2026-11-20T02:05:00.000Z");
  });
});

describe("rate limit per key", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await createTestApp({ rateLimitPerKey: 3 });
  });
  afterAll(() => limited.close());

  it("answers 429 with Retry-After past the configured rate, per key", async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 30 }, () => limited.decide("shipping-fee", aCase())));
    const windows = Math.ceil((Date.now() - started) / 1000) + 1; // one-second windows the burst may have touched
    const statuses = answers.map((a) => a.status);
    expect(new Set(statuses)).toEqual(new Set([200, 429]));
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3 * windows);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Problem.parse(refused.body).type).toMatch(/too-many-requests$/);

    // another key has its own allowance; management calls are not limited
    const other = await limited.call("POST", "/api/v1/api-keys", {
      name: "other-caller",
      scopes: ["decisions:evaluate"],
    });
    expect(
      (await limited.call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() }, bearer(other.body.key))).status,
    ).toBe(200);
    expect((await limited.call("GET", "/api/v1/rule-sets")).status).toBe(200);
  });
});
