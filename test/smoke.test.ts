import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EligibilityDecision } from "../shared/outputs.ts";
import { aCase } from "./helpers/fixtures.ts";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe("the service", () => {
  it("answers a decision from the seeded rules", async () => {
    const res = await app.decide("refund-eligibility", aCase({ order: { status: "paid" } }));
    expect(res.status).toBe(200);
    expect(EligibilityDecision.parse(res.body.decision)).toMatchObject({ eligible: true, channel: "refund_only" });
    expect(res.body.version).toBe(1);
  });
});
