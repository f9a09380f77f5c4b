import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Rule, RuleInput } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import type { MergeConflict } from "./draft-saver.ts";
import { applyChoices } from "./merge-choices.ts";
import { MergeDialog } from "./merge-dialog.tsx";

const rule = (name: string, payer: string, description = ""): Rule => ({
  name,
  description,
  priority: 500,
  enabled: true,
  conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "no_reason_7d" }] },
  event: { type: name, params: { returnShippingPayer: payer } },
});

const a = rule("a", "buyer");
const theirsB = rule("b", "seller", "王芳：卖家承担");
const mineB = rule("b", "buyer", "李雷：买家承担");
const mineC = rule("c", "seller");
const m = rule("m", "buyer");

/** Wang changed b and removed c; Li changed b and c, and added m after a. */
const conflict: MergeConflict = {
  currentRevision: 8,
  baseRevision: 6,
  mergedWith: ["user:wangfang"],
  conflicts: [
    { rule: "b", theirs: theirsB, mine: mineB },
    { rule: "c", theirs: null, mine: mineC },
    { default: "returnShippingPayer", theirs: "seller", mine: "buyer" },
  ],
  mergedKeepingTheirs: { defaults: { returnShippingPayer: "seller" }, conditions: {}, rules: [a, m, theirsB] },
  mineRules: [a, m, mineB, mineC] as RuleInput[],
};

describe("applying the choices", () => {
  it("keeps the server's merge where theirs is chosen and puts mine back where mine is", () => {
    expect(applyChoices(conflict, conflict.mineRules, ["theirs", "theirs", "theirs"])).toEqual({
      rules: [a, m, theirsB],
      defaults: { returnShippingPayer: "seller" },
      conditions: {},
    });
    // my c goes back after the rule before it in my list (b)
    expect(applyChoices(conflict, conflict.mineRules, ["mine", "mine", "mine"])).toEqual({
      rules: [a, m, mineB, mineC],
      defaults: { returnShippingPayer: "buyer" },
      conditions: {},
    });
  });

  it("removes a rule the person chose to keep removed", () => {
    const removedByMe: MergeConflict = {
      ...conflict,
      conflicts: [{ rule: "b", theirs: theirsB, mine: null }],
    };
    expect(applyChoices(removedByMe, [a, m] as RuleInput[], ["mine"]).rules).toEqual([a, m]);
  });
});

describe("the merge dialog", () => {
  beforeEach(() => localStorage.setItem("asr.lang", "zh"));
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  function renderDialog() {
    const onResolve = vi.fn(async () => true);
    render(() => (
      <I18nProvider>
        <MergeDialog conflict={conflict} names={() => "王芳"} onResolve={onResolve} onClose={() => undefined} />
      </I18nProvider>
    ));
    return onResolve;
  }

  it("shows both versions of each conflict side by side in plain Chinese", () => {
    renderDialog();
    const dialog = screen.getByRole("dialog", { name: "与王芳的修改有冲突" });
    expect(dialog.textContent).toContain("不冲突的修改已自动合并");
    const b = within(dialog).getByRole("group", { name: "规则「b」" });
    const [theirs, mine] = b.querySelectorAll(".merge-side");
    expect(theirs!.textContent).toContain("王芳保存的");
    expect(theirs!.textContent).toContain("王芳：卖家承担");
    expect(theirs!.textContent).toContain("退款原因 = 七天无理由 → 退货运费: 卖家承担");
    expect(mine!.textContent).toContain("我的修改");
    expect(mine!.textContent).toContain("退货运费: 买家承担");
    // the lines that differ are marked, the ones alike are not
    expect([...mine!.querySelectorAll("li.merge-differs")].map((li) => li.textContent)).toHaveLength(2);
    const c = within(dialog).getByRole("group", { name: "规则「c」" });
    expect(c.querySelector("[data-side=theirs]")!.textContent).toContain("删除了这条规则");
    const defaults = within(dialog).getByRole("group", { name: "默认结果：退货运费" });
    expect(defaults.textContent).toContain("退货运费: 卖家承担");
  });

  it("saves only once every conflict has a choice, and passes the choices", async () => {
    const onResolve = renderDialog();
    const user = userEvent.setup();
    const save = screen.getByRole("button", { name: "按所选保存" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(screen.getByText("还有 3 处没有选择。")).toBeTruthy();
    await user.click(within(screen.getByRole("group", { name: "规则「b」" })).getByRole("radio", { name: "保留我的" }));
    await user.click(
      within(screen.getByRole("group", { name: "规则「c」" })).getByRole("radio", { name: "采用对方的" }),
    );
    expect(save.disabled).toBe(true);
    await user.click(
      within(screen.getByRole("group", { name: "默认结果：退货运费" })).getByRole("radio", { name: "保留我的" }),
    );
    expect(save.disabled).toBe(false);
    await user.click(save);
    expect(onResolve).toHaveBeenCalledWith(["mine", "theirs", "mine"]);
  });
});
