import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { createSignal } from "solid-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RuleInput } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { AddRuleDialog } from "./add-rule.tsx";
import { evaluationOrder } from "./rule-order.ts";
import { planPlacement, type PlacementPlan } from "./rule-placement.ts";

beforeEach(() => localStorage.clear());
afterEach(cleanup);

const rule = (name: string, priority: number, title?: string): RuleInput => ({
  name,
  priority,
  ...(title ? { title } : {}),
  conditions: { all: [] },
  event: { type: name, params: {} },
});

describe("where a new rule is evaluated", () => {
  const rules = [rule("seller-fault", 300, "卖家责任"), rule("seven-day", 100), rule("fallback", 50)];
  const insert = (plan: PlacementPlan) => {
    const list = rules.map((r) => ({ ...r }));
    const byName = new Map(list.map((r) => [r.name, r]));
    for (const change of plan.renumber) byName.get(change.rule.name)!.priority = change.to;
    list.splice(plan.index, 0, rule("new", plan.priority));
    return evaluationOrder(list).map((r) => r.name);
  };

  it.each([
    ["below", "seller-fault", 200, ["seller-fault", "new", "seven-day", "fallback"]],
    ["above", "seller-fault", 310, ["new", "seller-fault", "seven-day", "fallback"]],
    ["above", "fallback", 75, ["seller-fault", "seven-day", "new", "fallback"]],
    ["below", "fallback", 40, ["seller-fault", "seven-day", "fallback", "new"]],
  ] as const)("%s %s: priority %i, between its neighbours", (where, name, priority, order) => {
    const plan = planPlacement(rules, { where, anchor: rules.find((r) => r.name === name)! });
    expect(plan.priority).toBe(priority);
    expect(plan.renumber).toEqual([]);
    expect(insert(plan)).toEqual(order);
  });

  it("first and last, and alone", () => {
    expect(insert(planPlacement(rules, { where: "top" }))[0]).toBe("new");
    expect(insert(planPlacement(rules, { where: "bottom" })).at(-1)).toBe("new");
    expect(planPlacement([], { where: "bottom" })).toMatchObject({ priority: 100, renumber: [], index: 0 });
  });

  it("renumbers the following rules when there is no integer room, and only those that must change", () => {
    const tight = [rule("a", 300), rule("b", 299), rule("c", 298), rule("d", 100)];
    const plan = planPlacement(tight, { where: "below", anchor: tight[0]! });
    expect(plan.priority).toBe(299);
    expect(plan.renumber.map((c) => [c.rule.name, c.from, c.to])).toEqual([
      ["b", 299, 298],
      ["c", 298, 297],
    ]);
  });

  it("spaces every rule anew when the bottom is full", () => {
    const low = [rule("a", 2), rule("b", 1)];
    const plan = planPlacement(low, { where: "below", anchor: low[0]! });
    expect(plan.priority).toBe(11);
    expect(plan.renumber.map((c) => [c.rule.name, c.from, c.to])).toEqual([["a", 2, 21]]);
  });
});

describe("the add-rule dialog", () => {
  function open(rules: RuleInput[], anchor?: RuleInput) {
    const added: PlacementPlan[] = [];
    const [shown] = createSignal(true);
    render(() => (
      <I18nProvider>
        <AddRuleDialog open={shown()} rules={rules} anchor={anchor} onClose={() => {}} onAdd={(p) => added.push(p)} />
      </I18nProvider>
    ));
    return { added, dialog: screen.getByRole("dialog") };
  }

  it("asks above or below a chosen rule and shows the priority it will get", async () => {
    const rules = [rule("seller-fault", 300, "卖家责任退货"), rule("seven-day", 100)];
    const { added, dialog } = open(rules, rules[0]);
    const d = within(dialog);
    expect(d.getByRole<HTMLInputElement>("radio", { name: "在所选规则之下" }).checked).toBe(true);
    const select = d.getByRole<HTMLSelectElement>("combobox", { name: "所选规则" });
    expect(select.selectedOptions[0]!.textContent).toBe("第 1 条「卖家责任退货」（优先级 300）");
    expect(d.getByTestId("place-priority").textContent).toBe("新规则将是第 2 条，优先级 200（前一条 300，后一条 100）");
    await userEvent.click(d.getByRole("radio", { name: "在所选规则之上" }));
    expect(d.getByTestId("place-priority").textContent).toBe("新规则将是第 1 条，优先级 310（前一条 —，后一条 300）");
    await userEvent.selectOptions(d.getByRole("combobox", { name: "所选规则" }), "第 2 条「seven-day」（优先级 100）");
    expect(d.getByTestId("place-priority").textContent).toBe("新规则将是第 2 条，优先级 200（前一条 300，后一条 100）");
    await userEvent.click(d.getByRole("button", { name: "添加" }));
    expect(added).toMatchObject([{ priority: 200, renumber: [], position: 1 }]);
  });

  it("shows every priority it would renumber, and says so on the button", async () => {
    const rules = [rule("a", 300, "卖家责任"), rule("b", 299, "七天无理由")];
    const { added, dialog } = open(rules, rules[0]);
    const d = within(dialog);
    expect(d.getByRole("alert").textContent).toContain("没有空位");
    expect(d.getByTestId("place-renumber").textContent).toBe("第 2 条「七天无理由」：299 → 298");
    expect(d.queryByRole("button", { name: "添加" })).toBeNull();
    await userEvent.click(d.getByRole("button", { name: "重新编号并添加" }));
    expect(added[0]).toMatchObject({ priority: 299, renumber: [{ from: 299, to: 298 }] });
  });
});
