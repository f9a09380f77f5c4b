import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRuleSetFiles } from "../server/bootstrap.ts";
import { runDueSchedules } from "../server/rule-sets/schedules.ts";
import { Problem, Simulation } from "../shared/api.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ now: new Date("2026-10-01T00:00:00+08:00") });
});
afterAll(() => app.close());

/** Double 11: sellers pay the return postage of seven-day returns of free-shipping goods, 11-11 to 11-20 inclusive. */
const double11 = {
  name: "double-11-seller-pays-return",
  title: "双十一：包邮商品七天无理由退货由卖家承担运费",
  description: "Double 11 campaign",
  priority: 350,
  enabled: true,
  validFrom: "2026-11-11T00:00:00+08:00",
  validUntil: "2026-11-21T00:00:00+08:00",
  conditions: {
    all: [
      { fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" },
      { fact: "order", path: "freeShipping", operator: "equal", value: true },
    ],
  },
  event: { type: "seller-pays-return", params: { returnShippingPayer: "seller" } },
};

async function draftOf(key: string) {
  const res = await app.call("GET", `/api/v1/rule-sets/${key}`);
  expect(res.status).toBe(200);
  return res.body.draft as { revision: number; rules: any[] };
}

async function saveRules(key: string, rules: unknown[]) {
  const draft = await draftOf(key);
  return app.call("PUT", `/api/v1/rule-sets/${key}/draft`, { revision: draft.revision, rules });
}

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(Problem.parse(res.body).status).toBe(status);
  return res.body as Problem & Record<string, unknown>;
}

describe("a rule's title and validity window are kept", () => {
  it("through a draft save, a publish and the version read back", async () => {
    const { rules } = await draftOf("refund-eligibility");
    const rule = { ...double11, event: { type: "campaign", params: { eligible: true } } };
    const saved = await saveRules("refund-eligibility", [rule, ...rules]);
    expect(saved.status).toBe(200);
    expect(saved.body.draft.rules[0]).toEqual(rule);
    expect((await draftOf("refund-eligibility")).rules[0]).toEqual(rule);

    const published = await app.call("POST", "/api/v1/rule-sets/refund-eligibility/publish", { note: "Double 11" });
    expect(published.status).toBe(200);
    const version = await app.call("GET", `/api/v1/rule-sets/refund-eligibility/versions/${published.body.version}`);
    expect(version.body.rules[0]).toEqual(rule);
    const detail = await app.call("GET", "/api/v1/rule-sets/refund-eligibility");
    expect(detail.body.active.rules[0]).toEqual(rule);
    expect(detail.body.draftDiffers).toBe(false);
  });

  it("when a rule set file carries them", () => {
    const dir = mkdtempSync(join(tmpdir(), "aftersales-rules-"));
    const file = JSON.parse(readFileSync("rules/shipping-fee.json", "utf8"));
    file.rules.unshift(double11);
    writeFileSync(join(dir, "shipping-fee.json"), JSON.stringify(file));
    const [read] = readRuleSetFiles(dir);
    expect(read!.rules[0]).toEqual(double11);
  });

  it("refuses a window that ends when or before it starts, at the rule's validUntil", async () => {
    const { rules } = await draftOf("timeouts");
    for (const validUntil of ["2026-11-11T00:00:00+08:00", "2026-11-10T23:00:00+08:00", "2026-11-10T16:00:00Z"]) {
      const refused = expectProblem(
        await saveRules("timeouts", [
          { ...rules[0], validFrom: "2026-11-11T00:00:00+08:00", validUntil },
          ...rules.slice(1),
        ]),
        422,
      );
      expect(refused.errors).toEqual([
        expect.objectContaining({ path: "rules.0.validUntil", code: "ends_before_start", params: {} }),
      ]);
    }
    // one millisecond is a window
    const accepted = await saveRules("timeouts", [
      { ...rules[0], validFrom: "2026-11-11T00:00:00+08:00", validUntil: "2026-11-10T16:00:00.001Z" },
      ...rules.slice(1),
    ]);
    expect(accepted.status).toBe(200);
  });

  it("refuses an instant without its offset and a title that is empty or too long", async () => {
    const { rules } = await draftOf("timeouts");
    const refused = expectProblem(
      await saveRules("timeouts", [
        { ...rules[0], validFrom: "2026-11-11T00:00:00", title: "" },
        { ...rules[1], title: "长".repeat(201) },
        ...rules.slice(2),
      ]),
      422,
    );
    expect(refused.errors!.map((e) => e.path).sort()).toEqual(["rules.0.title", "rules.0.validFrom", "rules.1.title"]);
  });
});

/** A seven-day return of free-shipping goods decided at `now` (the server's clock when absent). */
function sevenDayFreeShipping(now?: string) {
  const facts: Record<string, unknown> = aCase({
    order: { freeShipping: true, deliveredAt: "2026-11-01T10:00:00+08:00" },
    refund: { reason: "no_reason_7d", returnGoods: true },
  });
  if (now === undefined) delete facts.now;
  else facts.now = now;
  return facts;
}

/** Who pays the return at each moment, deciding with the active version or the pinned `version`. */
async function payersAt(moments: readonly string[], extra: Record<string, unknown> = {}) {
  const payers: Record<string, string> = {};
  for (const now of moments) {
    const res = await app.decide("shipping-fee", sevenDayFreeShipping(now), extra);
    expect(res.status, now).toBe(200);
    payers[now] = res.body.decision.returnShippingPayer;
  }
  return payers;
}

/** The campaign's edges and middle, written in China Standard Time and in UTC. */
const outside = [
  "2026-11-10T23:59:59.999+08:00",
  "2026-11-10T15:59:59.999Z",
  "2026-11-21T00:00:00+08:00",
  "2026-11-20T16:00:00Z",
  "2026-12-25T12:00:00+08:00",
  "2027-11-11T00:00:00+08:00",
];
const inside = [
  "2026-11-11T00:00:00+08:00",
  "2026-11-10T16:00:00Z",
  "2026-11-15T12:00:00+08:00",
  "2026-11-20T23:59:59.999+08:00",
  "2026-11-20T15:59:59.999Z",
];
const expected = Object.fromEntries([...outside.map((now) => [now, "buyer"]), ...inside.map((now) => [now, "seller"])]);
const moments = [...outside, ...inside];

describe("the Double 11 rule with its own window", () => {
  let campaignVersion: number;

  it("applies from validFrom to one millisecond before validUntil, and not a millisecond outside", async () => {
    const { rules } = await draftOf("shipping-fee");
    expect((await saveRules("shipping-fee", [double11, ...rules])).status).toBe(200);
    // the test cases decide at the server's clock, 2026-10-01: the campaign has not begun, so they still pass
    const published = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "Double 11 rule" });
    expect(published.status).toBe(200);
    campaignVersion = published.body.version;
    expect(await payersAt(moments)).toEqual(expected);
  });

  it("never applies outside its window, whatever is published later, at once or as a version window", async () => {
    // an unrelated wording fix, published at once, with the campaign rule still in the draft
    const draft = await draftOf("shipping-fee");
    const reworded = draft.rules.map((rule, index) =>
      index === 1 ? { ...rule, description: `${rule.description} (wording)` } : rule,
    );
    expect((await saveRules("shipping-fee", reworded)).status).toBe(200);
    const fix = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", { note: "wording" });
    expect(fix.status).toBe(200);
    expect(await payersAt(moments)).toEqual(expected);

    // a version window over the campaign's days, which hands back to the fix at its end
    const again = (await draftOf("shipping-fee")).rules.map((rule, index) =>
      index === 2 ? { ...rule, description: `${rule.description} (window)` } : rule,
    );
    expect((await saveRules("shipping-fee", again)).status).toBe(200);
    const window = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
      note: "campaign window",
      activateAt: "2026-11-11T00:00:00+08:00",
      until: "2026-11-21T00:00:00+08:00",
    });
    expect(window.status).toBe(200);
    expect(await payersAt(moments)).toEqual(expected);

    app.setNow(new Date("2026-11-11T00:00:00+08:00"));
    expect((await runDueSchedules(app.ctx)).started).toHaveLength(1);
    expect((await app.decide("shipping-fee", sevenDayFreeShipping())).body).toMatchObject({
      version: window.body.version,
      decision: { returnShippingPayer: "seller" },
    });
    expect(await payersAt(moments)).toEqual(expected);

    app.setNow(new Date("2026-11-21T00:00:00+08:00"));
    expect((await runDueSchedules(app.ctx)).ended).toHaveLength(1);
    expect((await app.decide("shipping-fee", sevenDayFreeShipping())).body).toMatchObject({
      version: fix.body.version,
      decision: { returnShippingPayer: "buyer" },
    });
    expect(await payersAt(moments)).toEqual(expected);

    // every version that carries the rule, pinned, decides the same at every moment
    for (const version of [campaignVersion, fix.body.version, window.body.version])
      expect(await payersAt(moments, { version }), `version ${version}`).toEqual(expected);
    // and a case without `now` is decided at the server's clock
    app.setNow(new Date("2026-11-15T12:00:00+08:00"));
    expect((await app.decide("shipping-fee", sevenDayFreeShipping())).body.decision.returnShippingPayer).toBe("seller");
    app.setNow(new Date("2026-11-21T00:00:00+08:00"));
    expect((await app.decide("shipping-fee", sevenDayFreeShipping())).body.decision.returnShippingPayer).toBe("buyer");
  });

  it("shows in the trace whether the rule is upcoming, applicable or over, with its title", async () => {
    const entryAt = async (now: string) => {
      const res = await app.decide("shipping-fee", sevenDayFreeShipping(now), { trace: true });
      expect(res.status).toBe(200);
      return { body: res.body, entry: res.body.trace.find((e: any) => e.rule === double11.name) };
    };
    const before = await entryAt("2026-11-10T23:59:59.999+08:00");
    expect(before.entry).toMatchObject({ title: double11.title, fired: false, window: "upcoming" });
    // its conditions hold: only the window keeps it out
    expect(before.entry.conditions.result).toBe(true);
    expect(before.body.firedRules).not.toContain(double11.name);
    expect(before.body.provenance.returnShippingPayer).not.toBe(double11.name);

    const during = await entryAt("2026-11-15T12:00:00+08:00");
    expect(during.entry).toMatchObject({ title: double11.title, fired: true });
    expect(during.entry).not.toHaveProperty("window");
    expect(during.body.provenance.returnShippingPayer).toBe(double11.name);

    const after = await entryAt("2026-11-21T00:00:00+08:00");
    expect(after.entry).toMatchObject({ fired: false, window: "over" });
  });
});

describe("the simulator decides at any date with any version", () => {
  it("decides a future case with the draft, the active version and a version scheduled to start later", async () => {
    app.setNow(new Date("2026-10-01T00:00:00+08:00"));
    const { rules } = await draftOf("shipping-fee");
    const withoutCampaign = rules.filter((rule) => rule.name !== double11.name);
    expect((await saveRules("shipping-fee", withoutCampaign)).status).toBe(200);
    const scheduled = await app.call("POST", "/api/v1/rule-sets/shipping-fee/publish", {
      note: "after the campaign",
      activateAt: "2027-01-01T00:00:00+08:00",
    });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.scheduled).toBeDefined();
    const active = (await app.call("GET", "/api/v1/rule-sets/shipping-fee")).body.activeVersion;
    expect(active).not.toBe(scheduled.body.version);

    // six weeks ahead of the server's clock, with a version that is not active yet
    const res = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", {
      facts: sevenDayFreeShipping("2026-11-15T12:00:00+08:00"),
      version: scheduled.body.version,
    });
    expect(res.status).toBe(200);
    const simulation = Simulation.parse(res.body);
    expect(simulation.now).toBe("2026-11-15T04:00:00.000Z");
    expect(simulation.draft.decision.returnShippingPayer).toBe("buyer");
    expect(simulation.active).toMatchObject({ version: active, decision: { returnShippingPayer: "seller" } });
    expect(simulation.active!.provenance.returnShippingPayer).toBe(double11.name);
    expect(simulation.selected).toMatchObject({
      version: scheduled.body.version,
      decision: { returnShippingPayer: "buyer" },
    });
    expect(simulation.selected!.provenance.returnShippingPayer).not.toBe(double11.name);

    // the active version on the day after the campaign
    const later = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", {
      facts: sevenDayFreeShipping("2026-11-21T00:00:00+08:00"),
      version: active,
    });
    expect(later.body.selected.decision.returnShippingPayer).toBe("buyer");
    const entry = later.body.selected.trace.find((e: any) => e.rule === double11.name);
    expect(entry).toMatchObject({ fired: false, window: "over" });
  });

  it("answers 404 for a version that does not exist, and without one leaves `selected` out", async () => {
    const facts = sevenDayFreeShipping("2026-11-15T12:00:00+08:00");
    expectProblem(await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts, version: 99 }), 404);
    const plain = await app.call("POST", "/api/v1/rule-sets/shipping-fee/simulate", { facts });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty("selected");
  });
});
