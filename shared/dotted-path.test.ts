import { describe, expect, it } from "vitest";
import { joinPath, splitPath } from "./dotted-path.ts";

describe("joinPath", () => {
  it("joins a problem's root and its schema issue's path", () => {
    expect(joinPath(["rules.2.event.params", "timers", 0, "duration"])).toBe("rules.2.event.params.timers.0.duration");
    expect(joinPath(["order", "items", 0, "priceFen"])).toBe("order.items.0.priceFen");
  });

  it("leaves empty parts out", () => {
    expect(joinPath(["", "defaults", "", "eligible"])).toBe("defaults.eligible");
    expect(joinPath([])).toBe("");
    expect(joinPath([""])).toBe("");
  });
});

describe("splitPath", () => {
  it.each([
    ["status", ["status"]],
    ["items.0.id", ["items", "0", "id"]],
    ["", []],
    [undefined, []],
  ])("splits %j into %j", (path, keys) => expect(splitPath(path)).toEqual(keys));

  it.each(["status", "items.0.id", "rules.2.event.params.timers.0.duration"])("is undone by joinPath: %s", (path) =>
    expect(joinPath(splitPath(path))).toBe(path),
  );
});
