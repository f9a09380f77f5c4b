import { type ServiceProcess, startServiceProcess } from "./helpers/service-process.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../server/db/database.ts";
import { aCase } from "./helpers/fixtures.ts";
import { capturedLogger, createTestApp } from "./helpers/test-app.ts";
import { freePort } from "./helpers/free-port.ts";
import { dropTestDatabase, onPostgres, testDatabaseUrl } from "./helpers/test-database.ts";

/**
 * The real service (`server/main.ts` in its own process) stopped with SIGTERM while 50 decisions are in flight: each
 * is answered, `/readyz` says 503 at once, the process exits 0 within 10 s, and every decision answered is in the
 * decision log on disk.
 */

const KEY = "asr_shutdown_test_key_0000000000000";
const dir = mkdtempSync(join(tmpdir(), "aftersales-shutdown-"));
let databaseUrl: string;
beforeAll(async () => {
  databaseUrl = await testDatabaseUrl(dir, "shutdown");
});
afterAll(async () => {
  await dropTestDatabase(databaseUrl);
  rmSync(dir, { recursive: true, force: true });
});

function start(port: number): Promise<ServiceProcess> {
  return startServiceProcess(port, {
    DATABASE_URL: databaseUrl,
    BOOTSTRAP_API_KEY: KEY,
    BOOTSTRAP_ADMIN_PASSWORD: "shutdown-test-password",
    LOG_LEVEL: "info",
  });
}

/**
 * A decision whose body arrives in two halves: the first now, the second when `rest` is called, so that the request is
 * surely in flight (on the node:http fast path: it has a Content-Length) when the signal comes.
 */
function halfSentDecision(
  port: number,
  agent: Agent,
): { rest: () => void; answer: Promise<{ status: number; body: any }> } {
  const body = Buffer.from(JSON.stringify({ facts: aCase() }));
  const half = body.length >> 1;
  let sendRest = () => {};
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/decisions/refund-eligibility",
        agent,
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "content-length": body.length },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.write(body.subarray(0, half));
    sendRest = () => req.end(body.subarray(half));
  });
  return { rest: () => sendRest(), answer };
}

/** Starts a GET whose header block is left open, to be finished (and answered) after the signal on the same connection. */
function halfSentGet(port: number, path: string): { rest: () => void; answer: Promise<string> } {
  const socket = connect(port, "127.0.0.1");
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  let text = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (text += chunk));
  const answer = new Promise<string>((resolve, reject) => {
    socket.on("end", () => resolve(text));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
  });
  return { rest: () => socket.write("Connection: close\r\n\r\n"), answer };
}

describe("SIGTERM", () => {
  it("answers the 50 decisions in flight, writes each to the decision log, and exits 0 within 10 s", async () => {
    const port = await freePort();
    const { child, output } = await start(port);
    const exited = new Promise<{ code: number | null; atMs: number }>((resolve) =>
      child.once("exit", (code) => resolve({ code, atMs: performance.now() })),
    );
    // stdout may still hold the last lines when the process has exited: "close" comes once it is read to the end
    const closed = new Promise((resolve) => child.once("close", resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    try {
      const decisions = Array.from({ length: 50 }, () => halfSentDecision(port, agent));
      const readiness = halfSentGet(port, "/readyz");
      // every connection open and its request begun before the signal
      await new Promise((resolve) => setTimeout(resolve, 500));
      const signalledAt = performance.now();
      child.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      readiness.rest();
      for (const decision of decisions) decision.rest();

      const answers = await Promise.all(decisions.map((decision) => decision.answer));
      expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
      // a load balancer asking now is told to send no more
      expect(await readiness.answer).toMatch(/^HTTP\/1\.1 503 [\s\S]*"code":"unavailable"/);

      const { code, atMs } = await exited;
      expect(code, output()).toBe(0);
      expect(atMs - signalledAt).toBeLessThan(10_000);

      const db = connectDatabase(databaseUrl, "reader");
      try {
        const logged = new Set(
          (await db.selectFrom("decision_log").select("decision_id").execute()).map((row) => row.decision_id),
        );
        const ids = answers.map((answer) => answer.body.decisionId as string);
        expect(new Set(ids).size).toBe(50);
        expect(ids.filter((id) => !logged.has(id))).toEqual([]);
      } finally {
        await db.destroy();
      }
      // the service's own account, as JSON lines
      await closed;
      const lines = output()
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { msg: string });
      expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(["listening", "shutting down", "stopped"]));
    } finally {
      agent.destroy();
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 60_000);
});

describe("/livez and /readyz", () => {
  it("are 200 while the service runs and can decide; /readyz is a 503 problem once shutdown has begun", async () => {
    const app = await createTestApp();
    try {
      expect((await app.call("GET", "/livez")).body).toEqual({ status: "ok" });
      expect((await app.call("GET", "/readyz")).body).toEqual({
        status: "ready",
        database: "ok",
        decisionLog: { queued: 0, dropped: 0, failed: 0 },
      });
      app.ctx.lifecycle.stopping = true;
      const stopping = await app.call("GET", "/readyz");
      expect(stopping.status).toBe(503);
      expect(stopping.headers.get("content-type")).toBe("application/problem+json");
      expect(stopping.body).toMatchObject({
        code: "unavailable",
        status: 503,
        detail: "the service is shutting down",
        requestId: stopping.headers.get("x-request-id"),
      });
      expect((await app.call("GET", "/livez")).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("/readyz stays 200 when the database does not answer, says so in its body, and logs it once", async () => {
    const log = capturedLogger();
    const app = await createTestApp({ logger: log.logger });
    try {
      await app.ctx.db.destroy();
      for (let i = 0; i < 2; i++) {
        const res = await app.call("GET", "/readyz");
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ status: "ready", database: "unreachable" });
      }
      // said once, however often it is asked; on PostgreSQL the change listener may say once that its check failed too
      const said = log.lines.map((line) => line.msg);
      expect(
        said.filter((msg) => msg === "the database does not answer: deciding on the rule sets loaded"),
      ).toHaveLength(1);
      expect(said.filter((msg) => !msg.startsWith("the database does not answer"))).toEqual(
        onPostgres && said.length > 1 ? ["cluster sync: reading changes failed; deciding on what is loaded"] : [],
      );
      expect((await app.call("GET", "/livez")).status).toBe(200);
    } finally {
      // the database is gone already: whatever close() then fails to write, the folder goes
      await app.close().catch(() => {});
      rmSync(app.dir, { recursive: true, force: true });
    }
  });
});
