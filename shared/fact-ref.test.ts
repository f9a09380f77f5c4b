import { describe, expect, it } from "vitest";
import { factCatalog, findFact, findFactByKey } from "./fact-catalog.ts";
import { factKey, isFactReference, readsAsFactReference } from "./fact-ref.ts";

describe("factKey", () => {
  it.each([
    ["order", "paidFen", "order.paidFen"],
    ["order", "items.0.id", "order.items.0.id"],
    ["order", undefined, "order"],
    ["order", "", "order"],
  ] as const)("%s + %j is %s", (fact, path, key) => expect(factKey(fact, path)).toBe(key));

  it("finds every catalog entry, by fact + path and by its key", () => {
    for (const entry of factCatalog) {
      expect(findFact(entry.fact, entry.path)).toBe(entry);
      expect(findFactByKey(factKey(entry.fact, entry.path))).toBe(entry);
    }
  });

  it("finds no entry for a fact alone, an empty path or an unknown key", () => {
    expect(findFact("order", undefined)).toBeUndefined();
    expect(findFact("order", "")).toBeUndefined();
    expect(findFact("order.paidFen", "")).toBeUndefined();
    expect(findFactByKey("order")).toBeUndefined();
    expect(findFactByKey("order.nothing")).toBeUndefined();
  });
});

describe("fact references in a condition's value", () => {
  const listWithFact = Object.assign([], { fact: "order" });
  const inherited = Object.create({ fact: "order" }) as object;

  it.each([
    ["a fact and a path", { fact: "amount", path: "capFen" }, true, true],
    ["a fact alone", { fact: "order" }, true, true],
    ["a fact that is no text", { fact: 1 }, false, true],
    ["a list with a fact", listWithFact, false, true],
    ["an inherited fact", inherited, true, false],
    ["a constant", 1200, false, false],
    ["text", "order.paidFen", false, false],
    ["null", null, false, false],
    ["an object without a fact", { path: "paidFen" }, false, false],
  ])("%s: well-formed %s, json-rules-engine follows it %s", (_, value, wellFormed, followed) => {
    expect(isFactReference(value)).toBe(wellFormed);
    expect(readsAsFactReference(value)).toBe(followed);
  });
});
