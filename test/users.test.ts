import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User } from "../shared/access.ts";
import { Problem } from "../shared/api.ts";
import { listAudit } from "../server/audit/store.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, passwordOf, signIn, withSession } from "./helpers/users.ts";

// Every password is hashed with scrypt at full cost (about a second here), so the users are made
// once and the tests share them; each test changes only the users it names.

let app: TestApp;
const sessions: Record<string, string> = {};
beforeAll(async () => {
  app = await createTestApp();
  await Promise.all([
    aUser(app, "vera-viewer", "viewer"),
    aUser(app, "ed-editor", "editor"),
    aUser(app, "pia-publisher", "publisher"),
    aUser(app, "ada-admin", "admin"),
  ]);
  for (const [name, password] of [
    ["admin", "test-admin-password"],
    ["vera-viewer"],
    ["ed-editor"],
    ["pia-publisher"],
    ["ada-admin"],
  ] as const) {
    const res = await signIn(app, name, password);
    expect(res.status).toBe(200);
    sessions[name] = res.cookie;
  }
}, 300_000);
afterAll(() => app.close());

const as = (name: string) => withSession(app, sessions[name]!);

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
}

describe("roles", () => {
  it("answers sign-in with the user's role", async () => {
    const me = await app.call("GET", "/api/v1/session", undefined, as("ed-editor"));
    expect(me.body.user).toEqual({ username: "ed-editor", role: "editor" });
  });

  it("lets a viewer read rules, versions and test cases, and change nothing", async () => {
    for (const path of [
      "/api/v1/rule-sets",
      "/api/v1/rule-sets/timeouts",
      "/api/v1/rule-sets/timeouts/versions",
      "/api/v1/rule-sets/timeouts/test-cases",
    ]) {
      expect((await app.call("GET", path, undefined, as("vera-viewer"))).status, path).toBe(200);
    }
    const draft = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body.draft;
    const denied = expectProblem(
      await app.call(
        "PUT",
        "/api/v1/rule-sets/timeouts/draft",
        { revision: draft.revision, rules: draft.rules },
        as("vera-viewer"),
      ),
      403,
    );
    expect(denied.detail).toBe('the user "vera-viewer" lacks the scope rules:write');
    expectProblem(
      await app.call("PUT", "/api/v1/rule-sets/timeouts/test-cases", { testCases: [] }, as("vera-viewer")),
      403,
    );
  });

  it("lets an editor save drafts and test cases but not publish", async () => {
    const draft = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body.draft;
    const saved = await app.call(
      "PUT",
      "/api/v1/rule-sets/timeouts/draft",
      { revision: draft.revision, rules: draft.rules },
      as("ed-editor"),
    );
    expect(saved.status).toBe(200);
    expect(saved.body.draft.updatedBy).toBe("user:ed-editor");
    const testCases = (await app.call("GET", "/api/v1/rule-sets/timeouts/test-cases")).body.testCases;
    expect(
      (await app.call("PUT", "/api/v1/rule-sets/timeouts/test-cases", { testCases }, as("ed-editor"))).status,
    ).toBe(200);
    expectProblem(await app.call("POST", "/api/v1/rule-sets/timeouts/publish", {}, as("ed-editor")), 403);
    expectProblem(await app.call("POST", "/api/v1/rule-sets/timeouts/rollback", { version: 1 }, as("ed-editor")), 403);
  });

  it("lets a publisher past the publish scope check, but not manage users or keys", async () => {
    const publish = await app.call("POST", "/api/v1/rule-sets/timeouts/publish", {}, as("pia-publisher"));
    expect(publish.status, JSON.stringify(publish.body)).not.toBe(403);
    expectProblem(await app.call("GET", "/api/v1/users", undefined, as("pia-publisher")), 403);
    expectProblem(await app.call("GET", "/api/v1/api-keys", undefined, as("pia-publisher")), 403);
  });

  it("lets only admins manage users and keys", async () => {
    expect((await app.call("GET", "/api/v1/users", undefined, as("ada-admin"))).status).toBe(200);
    expect((await app.call("GET", "/api/v1/api-keys", undefined, as("ada-admin"))).status).toBe(200);
    for (const name of ["vera-viewer", "ed-editor"]) {
      expectProblem(await app.call("GET", "/api/v1/users", undefined, as(name)), 403);
      expectProblem(
        await app.call(
          "POST",
          "/api/v1/users",
          { username: "x-user", password: passwordOf("x"), role: "admin" },
          as(name),
        ),
        403,
      );
      expectProblem(await app.call("POST", "/api/v1/api-keys", { name: "x", scopes: ["rules:read"] }, as(name)), 403);
    }
  });

  it("applies a role change from the user's next request on", async () => {
    await aUser(app, "rob-role", "viewer");
    const rob = (await signIn(app, "rob-role")).cookie;
    const draft = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.draft;
    const body = { revision: draft.revision, rules: draft.rules };
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", body, withSession(app, rob))).status).toBe(
      403,
    );
    expect((await app.call("PATCH", "/api/v1/users/rob-role", { role: "editor" }, as("admin"))).status).toBe(200);
    expect((await app.call("PUT", "/api/v1/rule-sets/shipping-fee/draft", body, withSession(app, rob))).status).toBe(
      200,
    );
  });
});

describe("managing users", () => {
  it("lists users with role, creation, state and last sign-in, never a password", async () => {
    const res = await app.call("GET", "/api/v1/users");
    expect(res.status).toBe(200);
    const users = res.body.users.map((u: unknown) => User.parse(u));
    const vera = users.find((u: User) => u.username === "vera-viewer")!;
    expect(vera).toEqual({
      username: "vera-viewer",
      displayName: null,
      role: "viewer",
      createdAt: "2026-11-20T02:00:00.000Z",
      disabled: false,
      lastSignInAt: "2026-11-20T02:00:00.000Z",
    });
    expect(Object.keys(res.body.users[0]).sort()).toEqual([
      "createdAt",
      "disabled",
      "displayName",
      "lastSignInAt",
      "role",
      "username",
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password/);
  });

  it.each([
    ["a short password", { username: "short-pw", password: "eleven-char", role: "viewer" }, "password"],
    ["an unknown role", { username: "bad-role", password: passwordOf("x"), role: "owner" }, "role"],
    ["a name with spaces", { username: "a b", password: passwordOf("x"), role: "viewer" }, "username"],
    ["a missing password", { username: "no-pw", role: "viewer" }, "password"],
  ])("refuses %s with 422 naming the field", async (_what, body, path) => {
    const problem = expectProblem(await app.call("POST", "/api/v1/users", body), 422);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
  });

  it("refuses a name that is taken with 409", async () => {
    expectProblem(
      await app.call("POST", "/api/v1/users", { username: "vera-viewer", password: passwordOf("x"), role: "viewer" }),
      409,
    );
  });

  it("answers 404 for an unknown user", async () => {
    expectProblem(await app.call("PATCH", "/api/v1/users/nobody", { role: "viewer" }), 404);
    expectProblem(await app.call("POST", "/api/v1/users/nobody/password", { password: passwordOf("x") }), 404);
  });

  it("refuses to let an admin demote or disable themselves", async () => {
    const demote = expectProblem(
      await app.call("PATCH", "/api/v1/users/ada-admin", { role: "publisher" }, as("ada-admin")),
      403,
    );
    expect(demote.detail).toMatch(/your own admin role/);
    expectProblem(await app.call("PATCH", "/api/v1/users/ada-admin", { disabled: true }, as("ada-admin")), 403);
    const me = await app.call("GET", "/api/v1/users", undefined, as("ada-admin"));
    expect(me.body.users.find((u: User) => u.username === "ada-admin")).toMatchObject({
      role: "admin",
      disabled: false,
    });
  });

  it("never demotes or disables the last active admin", async () => {
    // two admins: one may go, with the test key (which is no user, so no self-rule applies)
    await aUser(app, "tom-temp-admin", "admin");
    expect((await app.call("PATCH", "/api/v1/users/tom-temp-admin", { role: "viewer" })).status).toBe(200);
    expect((await app.call("PATCH", "/api/v1/users/ada-admin", { disabled: true })).status).toBe(200);
    // now "admin" is the only active admin
    const demote = expectProblem(await app.call("PATCH", "/api/v1/users/admin", { role: "editor" }), 409);
    expect(demote.detail).toMatch(/last active admin/);
    expectProblem(await app.call("PATCH", "/api/v1/users/admin", { disabled: true }), 409);
    // a disabled admin does not count, and comes back when enabled
    expect((await app.call("PATCH", "/api/v1/users/ada-admin", { disabled: false })).status).toBe(200);
    expect((await app.call("PATCH", "/api/v1/users/admin", { role: "publisher" })).status).toBe(200);
    expectProblem(await app.call("PATCH", "/api/v1/users/ada-admin", { role: "publisher" }), 409);
    expect((await app.call("PATCH", "/api/v1/users/admin", { role: "admin" })).status).toBe(200);
    sessions["ada-admin"] = (await signIn(app, "ada-admin")).cookie;
  });

  it("writes an audit row for each change, without any password", async () => {
    await aUser(app, "audited-user", "viewer", "audited-secret-password");
    await app.call("PATCH", "/api/v1/users/audited-user", { role: "editor", disabled: true });
    await app.call("POST", "/api/v1/users/audited-user/password", { password: "another-secret-password" });
    const rows = await listAudit(app.ctx.db, { entity: "user", entityKey: "audited-user" });
    expect(rows.map((r) => [r.action, r.actor])).toEqual([
      ["user.create", "api-key:bootstrap"],
      ["user.update", "api-key:bootstrap"],
      ["user.password-reset", "api-key:bootstrap"],
    ]);
    // `from` is where the request came from (the audit log's "from where")
    expect(rows[1]!.detail).toEqual({
      from: "127.0.0.1",
      role: { from: "viewer", to: "editor" },
      disabled: { from: false, to: true },
    });
    const all = JSON.stringify(await listAudit(app.ctx.db));
    expect(all).not.toMatch(/secret-password|scrypt\$/);
  });
});

describe("passwords and disabled users", () => {
  it("changes one's own password: the other sessions end, this one is renewed", async () => {
    await aUser(app, "pat-password", "editor");
    const first = await signIn(app, "pat-password");
    const second = await signIn(app, "pat-password");
    expect(first.cookie).not.toBe(second.cookie);

    const wrong = await app.call(
      "POST",
      "/api/v1/session/password",
      { currentPassword: "not-my-password", newPassword: "a-brand-new-password" },
      withSession(app, first.cookie),
    );
    expectProblem(wrong, 401);
    const short = await app.call(
      "POST",
      "/api/v1/session/password",
      { currentPassword: passwordOf("pat-password"), newPassword: "too-short" },
      withSession(app, first.cookie),
    );
    expectProblem(short, 422);

    const res = await fetch(`${app.url}/api/v1/session/password`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url, cookie: first.cookie },
      body: JSON.stringify({ currentPassword: passwordOf("pat-password"), newPassword: "a-brand-new-password" }),
    });
    expect(res.status).toBe(204);
    const renewed = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(renewed).toMatch(/^asr_session=/);
    expect(renewed).not.toBe(first.cookie);

    expect((await app.call("GET", "/api/v1/session", undefined, withSession(app, second.cookie))).status).toBe(401);
    expect((await app.call("GET", "/api/v1/session", undefined, withSession(app, first.cookie))).status).toBe(401);
    expect((await app.call("GET", "/api/v1/session", undefined, withSession(app, renewed))).status).toBe(200);
    expect((await signIn(app, "pat-password")).status).toBe(401);
    expect((await signIn(app, "pat-password", "a-brand-new-password")).status).toBe(200);
    const audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "pat-password" });
    expect(audit.map((r) => r.action)).toContain("user.password-change");
  });

  it("refuses a password change without a session, or from another site", async () => {
    expectProblem(
      await app.call(
        "POST",
        "/api/v1/session/password",
        { currentPassword: "x", newPassword: "a-brand-new-password" },
        { authorization: "", origin: app.url },
      ),
      401,
    );
    const crossSite = await app.call(
      "POST",
      "/api/v1/session/password",
      { currentPassword: passwordOf("ed-editor"), newPassword: "a-brand-new-password" },
      {
        ...as("ed-editor"),
        "sec-fetch-site": "cross-site",
      },
    );
    expectProblem(crossSite, 403);
  });

  it("lets an admin reset a password, which ends that user's sessions", async () => {
    await aUser(app, "fay-forgot", "viewer");
    const session = (await signIn(app, "fay-forgot")).cookie;
    expect(
      (await app.call("POST", "/api/v1/users/fay-forgot/password", { password: "set-by-the-admin" }, as("admin")))
        .status,
    ).toBe(204);
    expect((await app.call("GET", "/api/v1/rule-sets", undefined, withSession(app, session))).status).toBe(401);
    expect((await signIn(app, "fay-forgot")).status).toBe(401);
    expect((await signIn(app, "fay-forgot", "set-by-the-admin")).status).toBe(200);
  });

  it("ends a disabled user's sessions and refuses their sign-in until enabled again", async () => {
    await aUser(app, "dan-disabled", "editor");
    const session = (await signIn(app, "dan-disabled")).cookie;
    const disabled = await app.call("PATCH", "/api/v1/users/dan-disabled", { disabled: true }, as("admin"));
    expect(disabled.body).toMatchObject({ username: "dan-disabled", disabled: true });
    expect((await app.call("GET", "/api/v1/rule-sets", undefined, withSession(app, session))).status).toBe(401);
    const refused = await signIn(app, "dan-disabled");
    expect(refused.status).toBe(401);
    expect(refused.cookie).toBe("");
    await app.call("PATCH", "/api/v1/users/dan-disabled", { disabled: false }, as("admin"));
    expect((await signIn(app, "dan-disabled")).status).toBe(200);
  });

  it("gives a new session id at every sign-in", async () => {
    const a = await signIn(app, "vera-viewer");
    const b = await signIn(app, "vera-viewer");
    expect(a.cookie).not.toBe(b.cookie);
  });
});
