import { describe, expect, it } from "vitest";
import { compensationText, fillTemplate, parseTemplate, placeholdersOf } from "./reply-templates.ts";

describe("parsing a template", () => {
  it("splits text and placeholders", () => {
    expect(parseTemplate("亲，{item}已从{fromCity}发出").parts).toEqual([
      { text: "亲，" },
      { placeholder: "item" },
      { text: "已从" },
      { placeholder: "fromCity" },
      { text: "发出" },
    ]);
  });

  it.each([
    ["{name}", [{ kind: "unknown_placeholder", name: "name", position: 0 }]],
    ["{}", [{ kind: "unknown_placeholder", name: "", position: 0 }]],
    ["{ orderNo }", [{ kind: "unknown_placeholder", name: " orderNo ", position: 0 }]],
    ["a{item", [{ kind: "unbalanced_braces", position: 1 }]],
    ["a}b", [{ kind: "unbalanced_braces", position: 1 }]],
    ["{{item}}", []],
    ["{{item}", [{ kind: "unbalanced_braces", position: 6 }]],
    ["{item}}}", []],
    ["{orderNo}{days}", []],
  ])("finds the flaws of %s", (text, flaws) => {
    expect(parseTemplate(text).flaws).toEqual(flaws);
  });

  it("lists the placeholders used, each once", () => {
    expect(placeholdersOf("{item}{days}{item}{nope}")).toEqual(["item", "days"]);
  });
});

describe("filling a template", () => {
  it("inserts each value once, as text", () => {
    expect(fillTemplate("{orderNo}: {item}", { orderNo: "{item}", item: "裙子" })).toBe("{item}: 裙子");
  });

  it.each([
    ["{{item}}", "{item}"],
    ["{{{item}}}", "{裙子}"],
    ["满 100 减 10 }}{{", "满 100 减 10 }{"],
    ["【{{活动}}】{item}", "【{活动}】裙子"],
  ])("writes {{ and }} in %s as one brace", (text, filled) => {
    expect(parseTemplate(text).flaws).toEqual([]);
    expect(fillTemplate(text, { item: "裙子" })).toBe(filled);
  });

  it("keeps a placeholder without a value as written", () => {
    expect(fillTemplate("{days} 天", {})).toBe("{days} 天");
  });

  it.each([
    [1000, "zh", "10元"],
    [1050, "zh", "10.50元"],
    [1000, "en", "¥10"],
    [5, "en", "¥0.05"],
  ] as const)("says %i fen in %s as %s", (fen, lang, text) => {
    expect(compensationText(fen, lang)).toBe(text);
  });
});
