import { type ServiceProcess, startServiceProcess } from "./helpers/service-process.ts";
import { Agent, request } from "node:http";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { aCase } from "./helpers/fixtures.ts";
import { freePort } from "./helpers/free-port.ts";
import { startPrivatePostgres, type PrivatePostgres } from "./helpers/private-postgres.ts";
import { onPostgres } from "./helpers/test-database.ts";

/**
 * PostgreSQL stopped for ~3 s and started again while the real service (`server/main.ts` in its own process, on a
 * cluster of this test's own) answers 200 decisions a second: every decision answers 200, `/readyz` stays 200 and says
 * the database is unreachable, then ok, `aftersales_database_up` goes 0 then 1, what needs the database answers 503
 * `unavailable`, once it is back the decision log holds exactly the decisions answered, and the outage took one line to
 * start and one to end in the log of each part that noticed it.
 */

const KEY = "asr_outage_test_key_00000000000000000";
const DECISIONS_PER_SECOND = 200;
const OUTAGE_MS = 3_000;

let cluster: PrivatePostgres;
beforeAll(async () => {
  if (onPostgres) cluster = await startPrivatePostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.destroy();
});

function startService(port: number): Promise<ServiceProcess> {
  return startServiceProcess(port, {
    DATABASE_URL: cluster.url,
    BOOTSTRAP_API_KEY: KEY,
    BOOTSTRAP_ADMIN_PASSWORD: "outage-test-password",
    LOG_LEVEL: "info",
    // one version besides the active ones in memory: a pinned older one must be read from the database
    COMPILED_VERSIONS_CACHE: "1",
    // all from 127.0.0.1, and more at once whenever a busy machine makes the service wait
    HTTP_MAX_CONNECTIONS_PER_ADDRESS: "1000",
    // the client reuses its idle connections: a server closing one as it is reused would fail a request, not a decision
    HTTP_KEEP_ALIVE_TIMEOUT_MS: "120000",
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Consecutive repeats left out: [1, 1, 0, 0, 1] is [1, 0, 1]. */
const changes = <T>(values: T[]) => values.filter((value, i) => i === 0 || value !== values[i - 1]);

describe.runIf(onPostgres)("PostgreSQL stopped and started again while decisions flow", () => {
  it("answers every decision, reports the outage without failing readiness, and logs every decision once it is back", async () => {
    const port = await freePort();
    const { child, output } = await startService(port);
    // a few connections, kept: on a busy machine the decisions queue here rather than open hundreds of sockets; the
    // probes and the test's own calls have theirs, so that they do not wait behind the decisions
    const decisions = new Agent({ keepAlive: true, maxSockets: 32 });
    const calls = new Agent({ keepAlive: true, maxSockets: 4 });
    const call = (method: string, path: string, body?: unknown, agent = calls) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
        const req = request(
          {
            host: "127.0.0.1",
            port,
            method,
            path,
            agent,
            headers: {
              authorization: `Bearer ${KEY}`,
              ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () =>
              resolve({ status: res.statusCode!, body: path === "/metrics" ? text : JSON.parse(text) }),
            );
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(payload);
      });
    try {
      // two rollbacks make versions 2 and 3: with a cache of one, version 1 is no longer in memory
      for (const expected of [2, 3]) {
        const rolled = await call("POST", "/api/v1/rule-sets/shipping-fee/rollback", { version: 1 });
        expect(rolled.body, JSON.stringify(rolled.body)).toMatchObject({ version: expected });
      }

      const answers: Promise<{ status: number; decisionId: string | undefined }>[] = [];
      let sending = true;
      const sender = (async () => {
        const started = performance.now();
        while (sending) {
          const due = Math.floor(((performance.now() - started) / 1000) * DECISIONS_PER_SECOND);
          while (answers.length < due) {
            answers.push(
              call("POST", "/api/v1/decisions/refund-eligibility", { facts: aCase() }, decisions).then(
                ({ status, body }) => ({ status, decisionId: body.decisionId }),
                () => ({ status: 0, decisionId: undefined }),
              ),
            );
          }
          await sleep(5);
        }
      })();
      const seen = { database: [] as string[], up: [] as number[] };
      let probing = true;
      const prober = (async () => {
        while (probing) {
          const ready = await call("GET", "/readyz");
          expect(ready.status).toBe(200);
          seen.database.push(ready.body.database);
          const metrics = (await call("GET", "/metrics")).body as string;
          seen.up.push(Number(/^aftersales_database_up (\d)$/m.exec(metrics)?.[1]));
          await sleep(100);
        }
      })();

      await sleep(1_500);
      await cluster.stop();
      const stoppedAt = performance.now();
      await vi.waitFor(async () => expect((await call("GET", "/readyz")).body.database).toBe("unreachable"), {
        timeout: 2_500,
        interval: 50,
      });
      // what needs the database is refused as unavailable, never a 500
      const pinned = await call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase(), version: 1 });
      expect(pinned.status).toBe(503);
      expect(pinned.body).toMatchObject({
        code: "unavailable",
        detail: expect.stringContaining('version 1 of rule set "shipping-fee" is not in memory'),
      });
      const listed = await call("GET", "/api/v1/rule-sets");
      expect(listed.status).toBe(503);
      expect(listed.body).toMatchObject({ code: "unavailable" });
      expect((await call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase() })).status).toBe(200);
      const during = (await call("GET", "/readyz")).body;
      expect(during.decisionLog.queued).toBeGreaterThan(0);

      await sleep(OUTAGE_MS - (performance.now() - stoppedAt));
      await cluster.start();
      await vi.waitFor(async () => expect((await call("GET", "/readyz")).body.database).toBe("ok"), {
        timeout: 5_000,
        interval: 50,
      });
      await sleep(1_500);
      sending = false;
      await sender;
      const answered = await Promise.all(answers);
      probing = false;
      await prober;

      expect(answered.length).toBeGreaterThan(DECISIONS_PER_SECOND * 5);
      expect(answered.filter((answer) => answer.status !== 200)).toEqual([]);
      expect(changes(seen.database)).toEqual(["ok", "unreachable", "ok"]);
      expect(changes(seen.up)).toEqual([1, 0, 1]);
      expect((await call("POST", "/api/v1/decisions/shipping-fee", { facts: aCase(), version: 1 })).status).toBe(200);

      // the queue is written within a few seconds (the writer's next try is 5 s away at most), and nothing was lost
      const ids = answered.map((answer) => answer.decisionId!);
      await vi.waitFor(async () => expect((await call("GET", "/readyz")).body.decisionLog.queued).toBe(0), {
        timeout: 10_000,
        interval: 100,
      });
      expect((await call("GET", "/readyz")).body.decisionLog).toEqual({ queued: 0, dropped: 0, failed: 0 });
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        const logged = (
          await client.query<{ decision_id: string }>(
            "select decision_id from decision_log where rule_set = 'refund-eligibility'",
          )
        ).rows.map((row) => row.decision_id);
        expect(logged.length).toBe(ids.length);
        expect(new Set(logged)).toEqual(new Set(ids));
      } finally {
        await client.end();
      }
      const lines = output()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { msg: string; err?: { message?: string } });
      expect(lines.map((line) => line.msg)).toEqual(
        expect.arrayContaining([
          "the database does not answer: deciding on the rule sets loaded",
          "the database answers again",
        ]),
      );
      // one line as the outage starts and one as it ends, from each part that noticed: not one every try (the change
      // listener's next try may be up to 5 s away when the database comes back)
      const count = (msg: string) =>
        output()
          .trim()
          .split("\n")
          .filter((line) => (JSON.parse(line) as { msg: string }).msg === msg).length;
      await vi.waitFor(() => expect(count("cluster sync: listening for changes again")).toBe(1), {
        timeout: 10_000,
        interval: 100,
      });
      expect(count("cluster sync: listening for changes failed; connecting again until it answers")).toBe(1);
      expect(count("scheduled activations failed; trying again until they run")).toBe(1);
      expect(count("scheduled activations run again")).toBe(1);
    } catch (error) {
      // the service's own account says why, when it is the service that failed
      throw new Error(`${String(error)}\n--- the service's output ---\n${output().slice(-6_000)}`, { cause: error });
    } finally {
      decisions.destroy();
      calls.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
    }
  }, 120_000);
});
