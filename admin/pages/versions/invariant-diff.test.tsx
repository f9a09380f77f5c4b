import { Router } from "@solidjs/router";
import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InvariantBrokenMembers } from "../../../shared/invariants.ts";
import type { AuditEntry } from "../../../shared/logs.ts";
import type { Invariant } from "../../../shared/rules.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { AuditTable } from "../audit/audit-table.tsx";
import { simulatorFactsKey } from "../simulator/hand-over.ts";
import { InvariantRefusal } from "../rule-set/invariant-refusal.tsx";
import { diffInvariants } from "./invariant-diff.ts";
import { diffDefinitions } from "./version-diff.ts";
import { VersionDiffView } from "./version-diff-view.tsx";

const s12: Invariant = {
  name: "seller-fault-seller-pays-both-legs",
  title: "S12：卖家责任时来回运费由卖家承担",
  conditions: { all: [{ fact: "refund", path: "reason", operator: "equal", value: "quality_issue" }] },
  expect: { returnShippingPayer: "seller" },
};
const refused: Invariant = {
  name: "refused-delivery-buyer-pays",
  title: "拒签时买家承担退货运费",
  conditions: { all: [{ fact: "shipping", path: "deliveryRefused", operator: "equal", value: true }] },
  expect: { returnShippingPayer: "buyer" },
};
const definition = (invariants: Invariant[]) => ({ defaults: {}, conditions: {}, rules: [], invariants });

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(cleanup);

describe("invariants in the version diff", () => {
  it("lists each invariant added, removed or changed, by name", () => {
    const retitled = { ...s12, expect: { returnShippingPayer: "seller", outboundShippingPayer: "seller" } };
    expect(diffInvariants([s12, refused], [retitled]).map((d) => [d.status, d.name])).toEqual([
      ["changed", s12.name],
      ["removed", refused.name],
    ]);
    expect(diffInvariants(undefined, [s12])).toEqual([{ status: "added", name: s12.name, after: s12 }]);
    expect(diffDefinitions(definition([s12]), definition([s12])).identical).toBe(true);
    expect(diffDefinitions(definition([]), definition([s12])).identical).toBe(false);
  });

  it("shows them by title, in words, a change as before → after", () => {
    const changed = { ...s12, expect: { returnShippingPayer: "buyer" } };
    render(() => (
      <I18nProvider>
        <VersionDiffView diff={diffDefinitions(definition([s12]), definition([changed, refused]))} />
      </I18nProvider>
    ));
    const section = screen.getByRole("heading", { name: "不变式" }).closest("section")!;
    const item = section.querySelector(`[data-invariant="${s12.name}"]`) as HTMLElement;
    expect(within(item).getByText("S12：卖家责任时来回运费由卖家承担")).toBeTruthy();
    expect(item.querySelector("del")?.textContent).toBe("退款原因 = 质量问题 → 退货运费 必须为 卖家承担");
    expect(item.querySelector("ins")?.textContent).toBe("退款原因 = 质量问题 → 退货运费 必须为 买家承担");
    expect(section.querySelector(`[data-invariant="${refused.name}"]`)?.textContent).toContain(
      "拒签时买家承担退货运费",
    );
  });
});

describe("invariants in the audit log", () => {
  it("says which invariants a draft change added, removed and changed", () => {
    const entry: AuditEntry = {
      id: "01KINVARIANTS0000000000000",
      at: "2026-11-20T02:00:00.000Z",
      actor: "user:li",
      entity: "rule-set",
      entityKey: "shipping-fee",
      action: "draft.replace",
      detail: {
        added: [],
        removed: [],
        changed: [],
        invariantsAdded: [refused.name],
        invariantsChanged: [s12.name],
        decidedByRulesChanged: true,
      },
    };
    render(() => (
      <I18nProvider>
        <AuditTable entries={[entry]} />
      </I18nProvider>
    ));
    const sentence = document.querySelector(`tr[data-id="${entry.id}"] .audit-sentence`)!.textContent;
    expect(sentence).toBe(`修改了草稿：新增不变式 ${refused.name}，修改不变式 ${s12.name}，修改了必须由规则决定的字段`);
  });
});

describe("a publish refused for an invariant", () => {
  const example = {
    now: "2026-11-20T10:00:00+08:00",
    order: { status: "delivered", paidFen: 5_000_100, items: [{ id: "A", priceFen: 5_000_100, quantity: 1 }] },
    refund: { reason: "quality_issue" },
  };
  const refusal: InvariantBrokenMembers = {
    invariant: s12,
    field: "returnShippingPayer",
    example,
    broken: [{ invariant: s12, field: "returnShippingPayer", example }],
  };

  it("names the invariant in Chinese, shows the case and opens it in the simulator", async () => {
    const user = userEvent.setup();
    render(() => (
      <I18nProvider>
        <Router root={(props) => props.children}>
          {[{ path: "*", component: () => <InvariantRefusal ruleSet="shipping-fee" refusal={refusal} /> }]}
        </Router>
      </I18nProvider>
    ));
    const alert = screen.getByRole("alert");
    expect(within(alert).getByText("不能发布：不变式「S12：卖家责任时来回运费由卖家承担」会被违反")).toBeTruthy();
    expect(within(alert).getByText("退货运费 必须为 卖家承担")).toBeTruthy();
    const link = within(alert).getByRole("link", { name: "在模拟器中打开此案件" });
    expect(link.getAttribute("href")).toBe("/rule-sets/shipping-fee/simulator");
    await user.click(link);
    expect(JSON.parse(sessionStorage.getItem(simulatorFactsKey)!)).toEqual({ facts: example });
  });
});
