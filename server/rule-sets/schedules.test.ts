import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { capturedLogger, createTestApp, type TestApp } from "../../test/helpers/test-app.ts";
import { startScheduler } from "./schedules.ts";

describe("the scheduler while its database fails", () => {
  const log = capturedLogger();
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ logger: log.logger, clusterSyncMs: 3_600_000 });
  });
  afterAll(() => app.close());

  it("logs the first failure of a run of them and the recovery, not one line a tick", async () => {
    const stop = startScheduler(app.ctx, 20);
    try {
      // a real failure on every tick: the table the scheduler reads is gone
      await sql`ALTER TABLE schedules RENAME TO schedules_gone`.execute(app.ctx.db);
      // ten ticks at least
      await new Promise((resolve) => setTimeout(resolve, 300));
      const failures = log.lines.filter(
        (line) => line.msg === "scheduled activations failed; trying again until they run",
      );
      expect(failures).toHaveLength(1);
      expect(failures[0]!.err.message).toMatch(/schedules/);
      await sql`ALTER TABLE schedules_gone RENAME TO schedules`.execute(app.ctx.db);
      await vi.waitFor(() => expect(log.lines.map((line) => line.msg)).toContain("scheduled activations run again"), {
        timeout: 2_000,
        interval: 20,
      });
      expect(log.lines.filter((line) => line.msg === "scheduled activations run again")).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
