import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImpactJob } from "../shared/impact.ts";
import { pruneDecisionLog } from "../server/decision-log/store.ts";
import { IMPACT_STALE_MS } from "../server/impact/service.ts";
import { insertImpactJob } from "../server/impact/job-store.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";
import { onPostgres } from "./helpers/test-database.ts";
import { aUser, passwordOf, signIn, withSession } from "./helpers/users.ts";

/**
 * Two instances of the service on one database, as behind a load balancer: what one of them records (who has a draft
 * open, a replay, a session's end, failed sign-ins) is what the other answers. The second app reopens the first one's
 * folder, which names the same SQLite file or PostgreSQL database (test-database.ts).
 */
const NOW = new Date("2026-11-20T02:00:00Z");
const RULE_SET = "refund-eligibility";

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await createTestApp({ now: NOW, keep: true });
  b = await createTestApp({ now: NOW, dir: a.dir });
  for (const username of ["wangfang", "lilei"]) await aUser(a, username, "editor");
});
afterAll(async () => {
  // b drops the database and the folder: a, which keeps them, closes first
  await a.close();
  await b.close();
});

describe("draft presence", () => {
  it("shows an editor with the draft open on one instance to an editor on the other, and their leaving", async () => {
    const wang = withSession(a, (await signIn(a, "wangfang")).cookie);
    const li = withSession(b, (await signIn(b, "lilei")).cookie);
    const path = "/api/v1/rule-sets/timeouts/draft/presence";
    expect((await a.call("POST", path, {}, wang)).body).toEqual({ others: [] });
    const seen = await b.call("POST", path, {}, li);
    expect(seen.body).toEqual({
      others: [{ actor: "user:wangfang", name: "wangfang", lastSeenAt: NOW.toISOString() }],
    });
    expect((await a.call("POST", path, {}, wang)).body.others.map((o: any) => o.actor)).toEqual(["user:lilei"]);
    expect((await b.call("POST", path, { leaving: true }, li)).body.others.map((o: any) => o.actor)).toEqual([
      "user:wangfang",
    ]);
    expect((await a.call("POST", path, {}, wang)).body.others).toEqual([]);
  }, 60_000);
});

describe("impact replays", () => {
  const path = `/api/v1/rule-sets/${RULE_SET}/impact`;
  const from = new Date(NOW.getTime() - 3_600_000).toISOString();

  async function untilDone(app: TestApp, location: string): Promise<ImpactJob> {
    for (let attempt = 0; attempt < 400; attempt++) {
      const polled = await app.call("GET", location);
      expect(polled.status, JSON.stringify(polled.body)).toBe(200);
      const job = ImpactJob.parse(polled.body);
      if (job.status !== "running") return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the replay did not finish in 20 s");
  }

  it("answers a replay started on one instance from the other, progress and result", async () => {
    for (let i = 0; i < 3; i++) expect((await a.decide(RULE_SET, aCase({ now: NOW.toISOString() }))).status).toBe(200);
    const started = await a.call("POST", path, { from });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const location = started.headers.get("location")!;
    const job = await untilDone(b, location);
    expect(job).toMatchObject({ id: started.body.id, status: "done", total: 3, replayed: 3 });
    expect(job.result?.replayed).toBe(3);
    expect((await a.call("GET", location)).body).toEqual(job);
  }, 120_000);

  it("holds one per rule set and two in all across instances, until a silent instance's replays count as failed", async () => {
    // replays running on a third instance, which is then killed: its heartbeat stops at NOW
    const onThirdInstance = (id: string, ruleSet: string): ImpactJob => ({
      id,
      ruleSet,
      status: "running",
      draftRevision: 1,
      from,
      to: NOW.toISOString(),
      limit: 1_000,
      total: 3,
      replayed: 1,
      startedAt: NOW.toISOString(),
      finishedAt: null,
      error: null,
      result: null,
    });
    const elsewhere = onThirdInstance("01THIRDINSTANCEJOB00000001", RULE_SET);
    await insertImpactJob(a.ctx.db, elsewhere, NOW);
    await insertImpactJob(a.ctx.db, onThirdInstance("01THIRDINSTANCEJOB00000002", "shipping-fee"), NOW);
    const same = await b.call("POST", path, { from });
    expect(same.status).toBe(409);
    expect(same.headers.get("location")).toBe(`${path}/${elsewhere.id}`);
    const third = await b.call("POST", "/api/v1/rule-sets/timeouts/impact", { from });
    expect(third.status).toBe(503);
    expect((await b.call("GET", `${path}/${elsewhere.id}`)).body.status).toBe("running");

    // no sign of life for IMPACT_STALE_MS: reported failed, and the rule set can be replayed again
    const later = new Date(NOW.getTime() + IMPACT_STALE_MS + 1_000);
    a.setNow(later);
    b.setNow(later);
    try {
      const polled = await b.call("GET", `${path}/${elsewhere.id}`);
      expect(polled.status).toBe(200);
      expect(polled.body).toMatchObject({ status: "failed", error: expect.stringContaining("instance"), replayed: 1 });
      const restarted = await a.call("POST", path, { from });
      expect(restarted.status, JSON.stringify(restarted.body)).toBe(202);
      expect((await untilDone(b, restarted.headers.get("location")!)).status).toBe("done");
      const other = await b.call("GET", "/api/v1/rule-sets/shipping-fee/impact/01THIRDINSTANCEJOB00000002");
      expect(other.body.status).toBe("failed");
    } finally {
      a.setNow(NOW);
      b.setNow(NOW);
    }
  }, 120_000);
});

describe("sessions", () => {
  it("ends on every instance when the user signs out on one", async () => {
    const session = await signIn(a, "lilei");
    expect(session.status).toBe(200);
    expect((await b.call("GET", "/api/v1/session", undefined, withSession(b, session.cookie))).status).toBe(200);
    expect((await a.call("DELETE", "/api/v1/session", undefined, withSession(a, session.cookie))).status).toBe(204);
    expect((await b.call("GET", "/api/v1/session", undefined, withSession(b, session.cookie))).status).toBe(401);
    expect((await b.call("GET", "/api/v1/rule-sets", undefined, withSession(b, session.cookie))).status).toBe(401);
  }, 60_000);

  it("ends on every instance when the user is disabled on one", async () => {
    await aUser(a, "zhaolei", "viewer");
    const session = await signIn(b, "zhaolei");
    expect((await b.call("GET", "/api/v1/rule-sets", undefined, withSession(b, session.cookie))).status).toBe(200);
    expect((await a.call("PATCH", "/api/v1/users/zhaolei", { disabled: true })).status).toBe(200);
    expect((await b.call("GET", "/api/v1/rule-sets", undefined, withSession(b, session.cookie))).status).toBe(401);
  }, 60_000);
});

describe("decision log retention", () => {
  it("prunes from both instances at once without an error, each old decision deleted once", async () => {
    for (let i = 0; i < 7; i++) expect((await a.decide(RULE_SET, aCase({ now: NOW.toISOString() }))).status).toBe(200);
    await a.ctx.decisionLog.flush();
    const count = async () =>
      Number(
        (
          await a.ctx.db
            .selectFrom("decision_log")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const old = await count();
    expect(old).toBeGreaterThanOrEqual(7);
    // every decision so far is older than the cutoff, and each instance deletes two at a time
    const cutoff = new Date(NOW.getTime() + 1);
    const pruned = await Promise.all([pruneDecisionLog(a.ctx.db, cutoff, 2), pruneDecisionLog(b.ctx.db, cutoff, 2)]);
    expect(pruned[0] + pruned[1]).toBe(old);
    expect(await count()).toBe(0);
  }, 60_000);
});

// on SQLite one instance serves the database and counts failed sign-ins in memory: nothing to share
describe.runIf(onPostgres)("sign-in throttle on PostgreSQL", () => {
  it("counts failed sign-ins on both instances together: the sixth from the same address is refused on either", async () => {
    await aUser(a, "guessed", "viewer");
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await signIn(i % 2 === 0 ? a : b, "guessed", "a-wrong-password")).status);
    expect(statuses).toEqual(Array(5).fill(401));
    // refused even with the right password, as on one instance
    for (const app of [a, b]) {
      const refused = await signIn(app, "guessed", passwordOf("guessed"));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  }, 120_000);
});
