import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

async function signIn(password = "test-admin-password") {
  const res = await fetch(`${app.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url },
    body: JSON.stringify({ username: "admin", password }),
  });
  const cookie = res.headers.get("set-cookie") ?? "";
  return { status: res.status, cookie, session: cookie.split(";")[0]!, body: await res.json() };
}

describe("admin sessions", () => {
  it("refuses a wrong password without saying which part was wrong", async () => {
    const res = await signIn("wrong-password");
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe("the user name or password is wrong");
  });

  it("signs in with an HttpOnly, SameSite=Strict cookie that authorizes the management API", async () => {
    const { status, cookie, session, body } = await signIn();
    expect(status).toBe(200);
    expect(body.user).toEqual({ username: "admin", role: "admin" });
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = await app.call("GET", "/api/v1/session", undefined, { authorization: "", cookie: session });
    expect(me.body.user.username).toBe("admin");
    const list = await app.call("GET", "/api/v1/rule-sets", undefined, { authorization: "", cookie: session });
    expect(list.status).toBe(200);
  });

  it("refuses a cookie-authenticated write from another origin, and accepts it from its own", async () => {
    const { session } = await signIn();
    const draft = (await app.call("GET", "/api/v1/rule-sets/timeouts")).body.draft;
    const body = { revision: draft.revision, rules: draft.rules };
    const crossSite = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", body, {
      authorization: "",
      cookie: session,
      "sec-fetch-site": "cross-site",
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", body, {
      authorization: "",
      cookie: session,
    });
    expect(noOrigin.status).toBe(403);
    const sameOrigin = await app.call("PUT", "/api/v1/rule-sets/timeouts/draft", body, {
      authorization: "",
      cookie: session,
      origin: app.url,
    });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.body.draft.updatedBy).toBe("user:admin");
  });

  it("does not let the cookie ask for decisions: those take an API key", async () => {
    const { session } = await signIn();
    const res = await app.call(
      "POST",
      "/api/v1/decisions/shipping-fee",
      { facts: aCase() },
      { authorization: "", cookie: session, origin: app.url },
    );
    expect(res.status).toBe(401);
  });

  it("ends the session at sign-out and after 30 idle minutes", async () => {
    const first = await signIn();
    const out = await app.call("DELETE", "/api/v1/session", undefined, {
      authorization: "",
      cookie: first.session,
      origin: app.url,
    });
    expect(out.status).toBe(204);
    expect(
      (await app.call("GET", "/api/v1/rule-sets", undefined, { authorization: "", cookie: first.session })).status,
    ).toBe(401);

    const second = await signIn();
    app.setNow(new Date(Date.parse("2026-11-20T02:00:00Z") + 31 * 60_000));
    expect(
      (await app.call("GET", "/api/v1/rule-sets", undefined, { authorization: "", cookie: second.session })).status,
    ).toBe(401);
    app.setNow(new Date("2026-11-20T02:00:00Z"));
  });

  it("simulates a case with the draft and the active version side by side", async () => {
    const res = await app.call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", {
      facts: aCase({ order: { status: "paid" } }),
    });
    expect(res.status).toBe(200);
    expect(res.body.draft.decision.channel).toBe("refund_only");
    expect(res.body.active.version).toBe(1);
    expect(res.body.active.trace.length).toBeGreaterThan(5);
    const bad = await app.call("POST", "/api/v1/rule-sets/refund-eligibility/simulate", { facts: { order: {} } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe("order.status");
  });
});
