import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Actors, User } from "../shared/access.ts";
import { listAudit } from "../server/audit/store.ts";
import * as addUserDisplayName from "../server/db/migrations/2026_11_28_0500_add_user_display_name.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, passwordOf, signIn, withSession } from "./helpers/users.ts";

// Users have a display name in any language (王芳) that the admin shows wherever the history, reviews and the audit log
// name them; GET /actors gives those names to everyone who may read rules.

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
}, 120_000);
afterAll(() => app.close());

/** The users table's columns, as the database describes them (kysely's introspection: SQLite and PostgreSQL alike). */
const columnsOfUsers = async (db: Kysely<any>): Promise<string[]> =>
  ((await db.introspection.getTables()).find((table) => table.name === "users")?.columns ?? []).map(
    (column) => column.name,
  );

describe("a user's display name", () => {
  it("is set when the user is created, listed, and recorded in the audit", async () => {
    const created = await app.call("POST", "/api/v1/users", {
      username: "wangfang",
      password: passwordOf("wangfang"),
      role: "publisher",
      displayName: "  王芳 ",
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(User.parse(created.body)).toMatchObject({ username: "wangfang", displayName: "王芳", role: "publisher" });
    const listed = (await app.call("GET", "/api/v1/users")).body.users as User[];
    expect(listed.find((user) => user.username === "wangfang")?.displayName).toBe("王芳");
    const audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "wangfang", action: "user.create" });
    expect(audit[0]?.detail).toMatchObject({ role: "publisher", displayName: "王芳" });
  });

  it("is null for a user created without one", async () => {
    await aUser(app, "lilei", "viewer");
    const listed = (await app.call("GET", "/api/v1/users")).body.users as User[];
    expect(listed.find((user) => user.username === "lilei")?.displayName).toBeNull();
    expect(listed.find((user) => user.username === "admin")?.displayName).toBeNull();
  });

  it("takes any language, 1 to 50 characters, and refuses blank, longer and control characters at displayName", async () => {
    for (const displayName of ["", "   ", "王".repeat(51), "王\u0007芳"]) {
      const res = await app.call("PATCH", "/api/v1/users/lilei", { displayName });
      expect(res.status, displayName).toBe(422);
      expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(["displayName"]);
    }
    for (const displayName of ["王".repeat(50), "Li Lei", "Ли Лэй", "李雷 (客服)"]) {
      const res = await app.call("PATCH", "/api/v1/users/lilei", { displayName });
      expect(res.status, displayName).toBe(200);
      expect(res.body.displayName).toBe(displayName);
    }
  });

  it("is changed and taken away with PATCH, each change audited from → to", async () => {
    const renamed = await app.call("PATCH", "/api/v1/users/lilei", { displayName: "李雷" });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ username: "lilei", displayName: "李雷", role: "viewer", disabled: false });
    let audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "lilei", action: "user.update" });
    expect(audit.at(-1)?.detail).toMatchObject({ displayName: { from: "李雷 (客服)", to: "李雷" } });

    const same = await app.call("PATCH", "/api/v1/users/lilei", { displayName: "李雷" });
    expect(same.status).toBe(200);
    expect(await listAudit(app.ctx.db, { entityKey: "lilei", action: "user.update" })).toHaveLength(audit.length);

    const cleared = await app.call("PATCH", "/api/v1/users/lilei", { displayName: null });
    expect(cleared.body.displayName).toBeNull();
    audit = await listAudit(app.ctx.db, { entity: "user", entityKey: "lilei", action: "user.update" });
    expect(audit.at(-1)?.detail).toMatchObject({ displayName: { from: "李雷", to: null } });

    const both = await app.call("PATCH", "/api/v1/users/lilei", { displayName: "李雷", role: "editor" });
    expect(both.body).toMatchObject({ displayName: "李雷", role: "editor" });

    const nothing = await app.call("PATCH", "/api/v1/users/lilei", {});
    expect(nothing.status).toBe(422);
    expect(nothing.body.errors[0].params).toEqual({ fields: ["role", "disabled", "displayName"] });
  });
});

describe("GET /api/v1/actors", () => {
  it("names the users who have a display name, by actor, for anyone who may read rules", async () => {
    const all = await app.call("GET", "/api/v1/actors");
    expect(all.status).toBe(200);
    const { actors } = Actors.parse(all.body);
    expect(actors["user:wangfang"]).toBe("王芳");
    expect(actors["user:lilei"]).toBe("李雷");
    // no display name: the admin shows the username; system and keys are named by the admin itself
    expect(Object.keys(actors).every((actor) => actor.startsWith("user:"))).toBe(true);
    expect(actors["user:admin"]).toBeUndefined();

    // lilei is an editor now, who may not list users but reads who published
    const session = await signIn(app, "lilei");
    const asEditor = await app.call("GET", "/api/v1/actors", undefined, withSession(app, session.cookie));
    expect(asEditor.status).toBe(200);
    expect(asEditor.body.actors["user:wangfang"]).toBe("王芳");
    expect((await app.call("GET", "/api/v1/users", undefined, withSession(app, session.cookie))).status).toBe(403);
  });

  it("is refused without a key or session, and to a key that may not read rules", async () => {
    expect((await app.call("GET", "/api/v1/actors", undefined, { authorization: "" })).status).toBe(401);
    const key = await app.call("POST", "/api/v1/api-keys", { name: "checkout", scopes: ["decisions:evaluate"] });
    const refused = await app.call("GET", "/api/v1/actors", undefined, { authorization: `Bearer ${key.body.key}` });
    expect(refused.status).toBe(403);
  });

  it("still names a disabled user: the history keeps what they did", async () => {
    await app.call("PATCH", "/api/v1/users/lilei", { disabled: true });
    expect((await app.call("GET", "/api/v1/actors")).body.actors["user:lilei"]).toBe("李雷");
  });

  it("names the publisher of a version: publishedBy stays the actor, the name comes from the map", async () => {
    const session = await signIn(app, "wangfang");
    const as = withSession(app, session.cookie);
    await app.call("PUT", "/api/v1/rule-sets/timeouts/settings", { fourEyes: false });
    const detail = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body;
    const saved = await app.call(
      "PUT",
      "/api/v1/rule-sets/timeouts/draft",
      { revision: detail.draftRevision, rules: detail.draft.rules.slice(0, -1) },
      as,
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await app.call("POST", "/api/v1/rule-sets/timeouts/publish", {}, as);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const versions = (await app.call("GET", "/api/v1/rule-sets/timeouts/versions")).body.versions;
    const publishedBy = versions.find((v: { version: number }) => v.version === 2).publishedBy;
    expect(publishedBy).toBe("user:wangfang");
    expect((await app.call("GET", "/api/v1/actors")).body.actors[publishedBy]).toBe("王芳");
  });
});

describe("the display name migration", () => {
  it("adds a nullable column that keeps existing users, and its down removes it", async () => {
    expect(await columnsOfUsers(app.ctx.db)).toContain("display_name");
    const kept = await createTestApp({ keep: true });
    try {
      const db = kept.ctx.db as unknown as Kysely<any>;
      await addUserDisplayName.down(db);
      expect(await columnsOfUsers(db)).not.toContain("display_name");
      // a user made before the column existed
      await db
        .insertInto("users")
        .values({
          id: "01KOLDUSER0000000000000000",
          username: "old-hand",
          password_hash: "x",
          role: "viewer",
          created_at: "2026-01-01T00:00:00.000Z",
        })
        .execute();
      await addUserDisplayName.up(db);
      const users = (await kept.call("GET", "/api/v1/users")).body.users as User[];
      expect(users.find((user) => user.username === "old-hand")).toMatchObject({ displayName: null, role: "viewer" });
      expect((await kept.call("PATCH", "/api/v1/users/old-hand", { displayName: "老张" })).body.displayName).toBe(
        "老张",
      );
    } finally {
      await kept.close();
    }
    // reopened as after a restart: the name is still there and no migration runs twice
    const reopened = await createTestApp({ dir: kept.dir });
    try {
      const users = (await reopened.call("GET", "/api/v1/users")).body.users as User[];
      expect(users.find((user) => user.username === "old-hand")?.displayName).toBe("老张");
    } finally {
      await reopened.close();
    }
  });
});
