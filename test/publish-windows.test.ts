import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueSchedules } from "../server/rule-sets/schedules.ts";
import { PublishResult } from "../shared/api.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

/**
 * A publish at once while a version window is waiting or running says what it means for the window, in its answer
 * and in the audit: nothing is re-published silently at the window's start or end.
 */

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: new Date("2026-10-01T10:00:00+08:00") });
  expect((await app.call("PUT", "/api/v1/rule-sets/timeouts/settings", { fourEyes: false })).status).toBe(200);
});
afterAll(() => app.close());

const key = "timeouts";

/** Saves the draft with its first rule's description changed, so that there is something to publish. */
async function reword(text: string) {
  const { draft } = (await app.call("GET", `/api/v1/rule-sets/${key}`)).body;
  const rules = draft.rules.map((rule: { description?: string }, i: number) =>
    i === 0 ? { ...rule, description: text } : rule,
  );
  expect((await app.call("PUT", `/api/v1/rule-sets/${key}/draft`, { revision: draft.revision, rules })).status).toBe(
    200,
  );
}

async function publish(body: Record<string, unknown>) {
  const res = await app.call("POST", `/api/v1/rule-sets/${key}/publish`, body);
  expect(res.status).toBe(200);
  return PublishResult.parse(res.body);
}

async function activeVersion(): Promise<number> {
  return (await app.call("GET", `/api/v1/rule-sets/${key}`)).body.activeVersion;
}

async function lastPublishAudit() {
  const res = await app.call("GET", `/api/v1/audit?entity=rule-set&entityKey=${key}&action=publish&limit=1`);
  expect(res.status).toBe(200);
  return res.body.entries[0];
}

describe("a publish at once while a version window is scheduled or running", () => {
  it("says a window not started yet will hand back to the new version, and it does", async () => {
    const before = await activeVersion();
    await reword("双十一窗口");
    const window = await publish({
      note: "Double 11",
      activateAt: "2026-11-11T00:00:00+08:00",
      until: "2026-11-21T00:00:00+08:00",
    });
    expect(await activeVersion()).toBe(before);

    await reword("措辞修订");
    const fix = await publish({ note: "wording" });
    expect(fix.windows).toEqual([
      {
        id: window.scheduled!.id,
        version: window.version,
        startsAt: "2026-11-10T16:00:00.000Z",
        endsAt: "2026-11-20T16:00:00.000Z",
        effect: "handsBackToThis",
      },
    ]);
    expect((await lastPublishAudit()).detail).toMatchObject({
      version: fix.version,
      windows: [{ id: window.scheduled!.id, version: window.version, effect: "handsBackToThis" }],
    });

    app.setNow(new Date("2026-11-11T00:00:00+08:00"));
    await runDueSchedules(app.ctx);
    expect(await activeVersion()).toBe(window.version);
    app.setNow(new Date("2026-11-21T00:00:00+08:00"));
    await runDueSchedules(app.ctx);
    expect(await activeVersion()).toBe(fix.version);
  });

  it("says a running window is replaced and its end re-publishes nothing, and it does not", async () => {
    app.setNow(new Date("2026-12-01T10:00:00+08:00"));
    await reword("双十二窗口");
    const window = await publish({ note: "Double 12", until: "2026-12-13T00:00:00+08:00" });
    expect(window.scheduled).toMatchObject({ endsAt: "2026-12-12T16:00:00.000Z" });
    expect(window.windows).toBeUndefined();

    await reword("双十二期间的措辞修订");
    const fix = await publish({ note: "wording" });
    expect(fix.windows).toEqual([
      {
        id: window.scheduled!.id,
        version: window.version,
        startsAt: window.scheduled!.startsAt,
        endsAt: "2026-12-12T16:00:00.000Z",
        effect: "endsWithoutHandBack",
      },
    ]);
    expect((await lastPublishAudit()).detail).toMatchObject({
      windows: [{ id: window.scheduled!.id, effect: "endsWithoutHandBack" }],
    });

    app.setNow(new Date("2026-12-13T00:00:00+08:00"));
    await runDueSchedules(app.ctx);
    expect(await activeVersion()).toBe(fix.version);
  });

  it("answers no windows when none is waiting or running", async () => {
    await reword("平常的修订");
    expect((await publish({})).windows).toBeUndefined();
  });
});
