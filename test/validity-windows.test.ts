import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRuleSetFiles } from "../server/bootstrap.ts";
import { Problem } from "../shared/api.ts";
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
