import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminGrantedScopes, roles, roleScopes, type Role, type Scope } from "../shared/scopes.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { aUser, signIn, withSession } from "./helpers/users.ts";

/**
 * Every management route × every role: allowed exactly when the role holds the route's scope.
 * "Allowed" means the server did not refuse for permission (no 401/403); it may still answer
 * 404, 409 or 422 for what the request asks.
 */

type Route = { method: string; path: string; body?: unknown; scope: Scope };

const routes: Route[] = [
  { method: "GET", path: "/api/v1/rule-sets", scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee", scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/versions", scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/versions/1", scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/test-cases", scope: "rules:read" },
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/test-cases/run", scope: "rules:read" },
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/simulate", body: { facts: aCase() }, scope: "rules:read" },
  { method: "POST", path: "/api/v1/rule-sets/timeouts/analysis", body: {}, scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/schedules", scope: "rules:read" },
  // an impact replay also needs audit:read, which every role reading rules holds; a bad limit: allowed roles get 422
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/impact", body: { limit: 0 }, scope: "rules:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/impact/nope", scope: "rules:read" },
  // a stale revision: allowed roles get 409, others 403
  {
    method: "PUT",
    path: "/api/v1/rule-sets/shipping-fee/draft",
    body: { revision: 999, rules: [] },
    scope: "rules:write",
  },
  // an unknown version: allowed roles get 404
  {
    method: "POST",
    path: "/api/v1/rule-sets/shipping-fee/draft/reset",
    body: { version: 99, revision: 1 },
    scope: "rules:write",
  },
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/draft/presence", body: {}, scope: "rules:write" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/invariants", scope: "rules:read" },
  // a stale revision: allowed roles get 409, others 403
  {
    method: "PUT",
    path: "/api/v1/rule-sets/shipping-fee/invariants",
    body: { revision: 999, invariants: [] },
    scope: "rules:write",
  },
  {
    method: "PUT",
    path: "/api/v1/rule-sets/shipping-fee/test-cases",
    body: { testCases: [{ name: "x", facts: { order: { status: "lost" } }, expect: {} }] },
    scope: "rules:write",
  },
  // the draft equals the active version: allowed roles get 409
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/submit", body: { note: "" }, scope: "rules:write" },
  // nothing waits for review: allowed roles get 409
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/review", body: { approve: true }, scope: "rules:review" },
  // the draft equals the active version: allowed roles get 200 unchanged
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/publish", body: {}, scope: "rules:publish" },
  { method: "POST", path: "/api/v1/rule-sets/shipping-fee/rollback", body: { version: 99 }, scope: "rules:publish" },
  { method: "DELETE", path: "/api/v1/rule-sets/shipping-fee/schedules/nope", scope: "rules:publish" },
  { method: "PUT", path: "/api/v1/rule-sets/shipping-fee/settings", body: { fourEyes: true }, scope: "users:manage" },
  { method: "GET", path: "/api/v1/audit", scope: "audit:read" },
  { method: "GET", path: "/api/v1/decision-log", scope: "audit:read" },
  { method: "GET", path: "/api/v1/rule-sets/shipping-fee/stats", scope: "audit:read" },
  { method: "GET", path: "/api/v1/users", scope: "users:manage" },
  {
    method: "POST",
    path: "/api/v1/users",
    body: { username: "a", password: "short", role: "viewer" },
    scope: "users:manage",
  },
  { method: "PATCH", path: "/api/v1/users/target-user", body: { disabled: false }, scope: "users:manage" },
  { method: "POST", path: "/api/v1/users/target-user/password", body: { password: "short" }, scope: "users:manage" },
  { method: "GET", path: "/api/v1/api-keys", scope: "keys:manage" },
  { method: "POST", path: "/api/v1/api-keys", body: { name: "", scopes: [] }, scope: "keys:manage" },
  { method: "DELETE", path: "/api/v1/api-keys/nope", scope: "keys:manage" },
  { method: "GET", path: "/api/v1/reply-templates", scope: "rules:read" },
  { method: "GET", path: "/api/v1/reply-templates/late_delivery", scope: "rules:read" },
  { method: "GET", path: "/api/v1/reply-templates/late_delivery/versions", scope: "rules:read" },
  // a stale revision: allowed roles get 409
  {
    method: "PUT",
    path: "/api/v1/reply-templates/late_delivery/draft",
    body: { revision: 999, title: "t", zh: "x", en: "x" },
    scope: "rules:write",
  },
  {
    method: "POST",
    path: "/api/v1/reply-templates/late_delivery/restore",
    body: { version: 1, revision: 999 },
    scope: "rules:write",
  },
  {
    method: "POST",
    path: "/api/v1/reply-templates/late_delivery/publish",
    body: { revision: 999 },
    scope: "rules:publish",
  },
  // every signed-in user renders (keys need decisions:evaluate)
  {
    method: "POST",
    path: "/api/v1/replies/render",
    body: { template: "thanks_after_review", language: "zh" },
    scope: "rules:read",
  },
  { method: "GET", path: "/api/v1/calendar", scope: "rules:read" },
  { method: "GET", path: "/api/v1/calendar/2026", scope: "rules:read" },
  { method: "GET", path: "/api/v1/calendar/2026/versions", scope: "rules:read" },
  { method: "GET", path: "/api/v1/calendar/2026/versions/1", scope: "rules:read" },
  // a stale version: allowed roles get 409
  {
    method: "PUT",
    path: "/api/v1/calendar/2026",
    body: { holidays: [], workdays: [], version: 99 },
    scope: "calendar:write",
  },
  // an unknown version: allowed roles get 404
  { method: "POST", path: "/api/v1/calendar/2026/restore", body: { version: 99 }, scope: "calendar:write" },
];

let app: TestApp;
const cookies = new Map<Role, string>();
beforeAll(async () => {
  app = await createTestApp();
  await aUser(app, "target-user", "viewer");
  for (const role of roles) {
    await aUser(app, `${role}-user`, role);
    cookies.set(role, (await signIn(app, `${role}-user`)).cookie);
  }
});
afterAll(() => app.close());

describe.each(roles)("as %s", (role) => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(`%s`, async (_name, route) => {
    const res = await app.call(route.method, route.path, route.body, withSession(app, cookies.get(role)!));
    const allowed = roleScopes[role].includes(route.scope);
    if (allowed) expect([401, 403], `${role} should be allowed: ${JSON.stringify(res.body)}`).not.toContain(res.status);
    else expect(res.status, `${role} should be refused: ${JSON.stringify(res.body)}`).toBe(403);
  });
});

describe.each(adminGrantedScopes)("%s, which no role holds", (scope) => {
  it.each(roles)("is granted to a key by an admin only: as %s", async (role) => {
    expect(roleScopes[role]).not.toContain(scope);
    const res = await app.call(
      "POST",
      "/api/v1/api-keys",
      { name: `${role}-grants-${scope}`, scopes: [scope] },
      withSession(app, cookies.get(role)!),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(role === "admin" ? 201 : 403);
  });
});

describe("without a session or key", () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s answers 401", async (_name, route) => {
    const res = await app.call(route.method, route.path, route.body, { authorization: "", origin: app.url });
    expect(res.status).toBe(401);
  });
});
