import { type ServiceProcess, startServiceProcess } from "./helpers/service-process.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCase } from "./helpers/fixtures.ts";
import { freePort } from "./helpers/free-port.ts";
import { dropTestDatabase, onPostgres, testDatabaseUrl } from "./helpers/test-database.ts";

/**
 * Three real service processes on one PostgreSQL database, as behind a load balancer: a publish, a rollback or a
 * revoked key on one reaches the two others within a second; a scheduled activation fires once across them and all
 * three decide with it within a second of its time; one SIGKILLed under load leaves the others answering every
 * request. PostgreSQL only (skipped in the SQLite pass): SQLite is one instance on one file.
 */

const KEY = "asr_multi_instance_key_0000000000000";
const RULE_SET = "refund-eligibility";
/** Within how long a change on one instance must be seen by every other. */
const REACH_MS = 1_000;
/** How often the test asks an instance whether it sees a change yet. */
const POLL_MS = 25;

type Instance = ServiceProcess;

let dir: string;
let databaseUrl: string;
const instances: Instance[] = [];

async function start(): Promise<Instance> {
  return startServiceProcess(await freePort(), {
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_API_KEY: KEY,
    BOOTSTRAP_ADMIN_PASSWORD: "multi-instance-password",
    LOG_LEVEL: "warn",
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(
  instance: Instance,
  method: string,
  path: string,
  body?: unknown,
  key = KEY,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`http://127.0.0.1:${instance.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

const decide = (instance: Instance, key = KEY) =>
  call(instance, "POST", `/api/v1/decisions/${RULE_SET}`, { facts: aCase() }, key);

/** Asks `instance` every POLL_MS until `seen` holds of its answer to a decision; resolves with when it first did. */
async function firstSeen(instance: Instance, seen: (answer: { status: number; body: any }) => boolean, key = KEY) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const asked = Date.now();
    if (seen(await decide(instance, key))) return asked;
    await sleep(POLL_MS);
  }
  throw new Error(`instance on port ${instance.port} never saw the change`);
}

/** Saves the draft with its first rule's description changed, so that the next publish makes a new version. */
async function changeDraft(instance: Instance, description: string): Promise<void> {
  const draft = (await call(instance, "GET", `/api/v1/rule-sets/${RULE_SET}`)).body.draft;
  const rules = draft.rules.map((rule: { description: string }, i: number) =>
    i === 0 ? { ...rule, description } : rule,
  );
  const saved = await call(instance, "PUT", `/api/v1/rule-sets/${RULE_SET}/draft`, { revision: draft.revision, rules });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

/** How long after `since` each other instance answered decisions with `version`. */
async function reachOthers(since: number, version: number, others: Instance[]): Promise<number[]> {
  const seenAt = await Promise.all(others.map((other) => firstSeen(other, (a) => a.body?.version === version)));
  return seenAt.map((at) => at - since);
}

describe.runIf(onPostgres)("several instances on one PostgreSQL database", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aftersales-multi-"));
    databaseUrl = await testDatabaseUrl(dir, "multi");
    // only the first to start bootstraps the empty database: the others find it ready
    instances.push(await start());
    instances.push(...(await Promise.all([start(), start()])));
  }, 60_000);

  afterAll(async () => {
    const running = instances.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    const exited = running.map(({ child }) => new Promise((resolve) => child.once("exit", resolve)));
    for (const { child } of running) child.kill("SIGTERM");
    await Promise.all(exited);
    await dropTestDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it("a publish and a rollback on one instance reach the two others within a second", async () => {
    const [first, ...others] = instances as [Instance, Instance, Instance];
    await changeDraft(first, "reworded on instance 1");
    const published = await call(first, "POST", `/api/v1/rule-sets/${RULE_SET}/publish`, { note: "cluster" });
    const publishedAt = Date.now();
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.version).toBe(2);
    const publishDelays = await reachOthers(publishedAt, 2, others);
    expect(Math.max(...publishDelays), `publish reached the others after ${publishDelays} ms`).toBeLessThan(REACH_MS);

    const rolledBack = await call(first, "POST", `/api/v1/rule-sets/${RULE_SET}/rollback`, { version: 1 });
    const rolledBackAt = Date.now();
    expect(rolledBack.status, JSON.stringify(rolledBack.body)).toBe(200);
    expect(rolledBack.body.version).toBe(3);
    const rollbackDelays = await reachOthers(rolledBackAt, 3, others);
    expect(Math.max(...rollbackDelays), `rollback reached the others after ${rollbackDelays} ms`).toBeLessThan(
      REACH_MS,
    );
  });

  it("a key revoked on one instance is refused by the two others within a second", async () => {
    const [first, ...others] = instances as [Instance, Instance, Instance];
    const created = await call(first, "POST", "/api/v1/api-keys", { name: "till", scopes: ["decisions:evaluate"] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const till: string = created.body.key;
    // created on one, it works on the others as soon as they hear of it
    await Promise.all(others.map((other) => firstSeen(other, (a) => a.status === 200, till)));

    expect((await call(first, "DELETE", `/api/v1/api-keys/${created.body.id}`)).status).toBe(204);
    const revokedAt = Date.now();
    expect((await decide(first, till)).status).toBe(401);
    const seenAt = await Promise.all(others.map((other) => firstSeen(other, (a) => a.status === 401, till)));
    const delays = seenAt.map((at) => at - revokedAt);
    expect(Math.max(...delays), `the revocation reached the others after ${delays} ms`).toBeLessThan(REACH_MS);
  });

  it("a scheduled activation fires exactly once, and all three decide with it within a second of its time", async () => {
    const [first] = instances as [Instance, Instance, Instance];
    await changeDraft(first, "scheduled on instance 1");
    const activateAt = new Date(Date.now() + 2_000);
    const scheduled = await call(first, "POST", `/api/v1/rule-sets/${RULE_SET}/publish`, {
      note: "in two seconds",
      activateAt: activateAt.toISOString(),
    });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    const version: number = scheduled.body.version;
    expect(scheduled.body.scheduled).toBeDefined();
    for (const instance of instances) expect((await decide(instance)).body.version).toBe(version - 1);

    const seenAt = await Promise.all(instances.map((i) => firstSeen(i, (a) => a.body?.version === version)));
    const delays = seenAt.map((at) => at - activateAt.getTime());
    expect(Math.max(...delays), `the instances decided with it ${delays} ms after its time`).toBeLessThan(REACH_MS);

    // every instance's scheduler has looked again since: still exactly one activation and one audit row
    await sleep(1_500);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const activations = await client.query(
        "select count(*)::int as n from activations where rule_set_key = $1 and version = $2 and cause = 'schedule'",
        [RULE_SET, version],
      );
      const audits = await client.query(
        "select count(*)::int as n from audit_log where action = 'schedule.start' and entity_key = $1",
        [RULE_SET],
      );
      expect(activations.rows[0].n).toBe(1);
      expect(audits.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("one instance SIGKILLed under load leaves the two others answering every decision", async () => {
    const [first, second, doomed] = instances as [Instance, Instance, Instance];
    const answers = new Map<Instance, { ok: number; failed: number }>(instances.map((i) => [i, { ok: 0, failed: 0 }]));
    let sending = true;
    // four callers per instance, each sending a decision as soon as the last one is answered
    const load = instances.flatMap((instance) =>
      Array.from({ length: 4 }, async () => {
        const tally = answers.get(instance)!;
        while (sending) {
          try {
            if ((await decide(instance)).status === 200) tally.ok++;
            else tally.failed++;
          } catch {
            tally.failed++;
            // the killed one refuses connections: no need to ask it as fast as the living
            if (instance === doomed) await sleep(20);
          }
        }
      }),
    );
    await sleep(1_000);
    doomed.child.kill("SIGKILL");
    await new Promise((resolve) => doomed.child.once("exit", resolve));
    await sleep(2_000);
    sending = false;
    await Promise.all(load);

    for (const survivor of [first, second]) {
      const tally = answers.get(survivor)!;
      expect(tally.failed, `instance on port ${survivor.port}: ${JSON.stringify(tally)}`).toBe(0);
      expect(tally.ok).toBeGreaterThan(50);
    }
    expect(answers.get(doomed)!.failed).toBeGreaterThan(0);
  });
});
