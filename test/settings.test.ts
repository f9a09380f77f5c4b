import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/test-app.ts";

let shanghai: TestApp;
let newYork: TestApp;
beforeAll(async () => {
  shanghai = await createTestApp({ now: new Date("2026-11-01T00:00:00Z") });
  newYork = await createTestApp({ businessTimeZone: "America/New_York" });
});
afterAll(async () => {
  await shanghai.close();
  await newYork.close();
});

describe("GET /api/v1/settings", () => {
  it("tells the admin, before anyone signs in, the business time zone and the service's clock", async () => {
    const response = await fetch(`${shanghai.url}/api/v1/settings`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ businessTimeZone: "Asia/Shanghai", now: "2026-11-01T00:00:00.000Z" });
  });

  it("answers the configured zone", async () => {
    const response = await fetch(`${newYork.url}/api/v1/settings`);
    expect((await response.json()).businessTimeZone).toBe("America/New_York");
  });
});
