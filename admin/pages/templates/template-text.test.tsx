import { describe, expect, it } from "vitest";
import { previewParts, textDiff } from "./template-text.ts";

describe("the preview", () => {
  it("fills known placeholders with their samples and keeps unknown ones to underline", () => {
    expect(previewParts("您的{item}从{fromCity}发出{name}", { item: "连衣裙", fromCity: "" })).toEqual([
      { kind: "text", text: "您的" },
      { kind: "filled", name: "item", text: "连衣裙" },
      { kind: "text", text: "从" },
      { kind: "filled", name: "fromCity", text: "{fromCity}" },
      { kind: "text", text: "发出" },
      { kind: "unknown", text: "{name}" },
    ]);
  });

  it("shows {{ and }} as the one brace the reply will have", () => {
    expect(previewParts("【{{活动}}】{item}", { item: "连衣裙" })).toEqual([
      { kind: "text", text: "【{活动}】" },
      { kind: "filled", name: "item", text: "连衣裙" },
    ]);
  });
});

describe("comparing a version with the draft", () => {
  const rebuild = (parts: ReturnType<typeof textDiff>, side: "before" | "after") =>
    parts
      .filter((p) => p.kind === "same" || p.kind === (side === "before" ? "removed" : "added"))
      .map((p) => p.text)
      .join("");

  it.each([
    ["亲，您先别着急！", "亲，您先不要着急！"],
    ["abc", "xyz"],
    ["", "新的文字"],
    ["同样的文字", "同样的文字"],
    ["预计{days}天内送达", "预计在{days}天之内就能送达，请放心"],
  ])("keeps both texts: %s → %s", (before, after) => {
    const parts = textDiff(before, after);
    expect(rebuild(parts, "before")).toBe(before);
    expect(rebuild(parts, "after")).toBe(after);
  });

  it("marks only what changed", () => {
    expect(textDiff("亲，您先别着急！", "亲，您先不要着急！")).toEqual([
      { kind: "same", text: "亲，您先" },
      { kind: "added", text: "不要" },
      { kind: "removed", text: "别" },
      { kind: "same", text: "着急！" },
    ]);
  });
});
