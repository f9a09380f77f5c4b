import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";

describe("BUSINESS_TIME_ZONE", () => {
  it("is Beijing time unless set", () => {
    expect(loadConfig({}).BUSINESS_TIME_ZONE).toBe("Asia/Shanghai");
  });

  it("takes any IANA zone, by its canonical name", () => {
    expect(loadConfig({ BUSINESS_TIME_ZONE: "America/New_York" }).BUSINESS_TIME_ZONE).toBe("America/New_York");
    expect(loadConfig({ BUSINESS_TIME_ZONE: "asia/shanghai" }).BUSINESS_TIME_ZONE).toBe("Asia/Shanghai");
  });

  it.each(["Asia/Beijing", "+08:00", "CST-8", "Beijing"])("stops the start on %j, naming the variable", (zone) => {
    expect(() => loadConfig({ BUSINESS_TIME_ZONE: zone })).toThrow(
      `BUSINESS_TIME_ZONE: BUSINESS_TIME_ZONE must be an IANA time zone such as Asia/Shanghai or America/New_York, not "${zone}"`,
    );
  });
});
