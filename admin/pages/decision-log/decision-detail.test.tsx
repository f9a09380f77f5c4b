import { MemoryRouter, Route } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { ToastProvider } from "../../ui/toast.tsx";
import { DecisionDetail } from "./decision-detail.tsx";

const anEntry = (overrides: Partial<DecisionLogEntry>): DecisionLogEntry => ({
  decisionId: "01KDEC00000000000000000001",
  at: "2026-11-20T02:00:00.000Z",
  ruleSet: "refund-eligibility",
  version: 1,
  keyName: "订单系统",
  outcome: "eligible:refund_only",
  orderId: "E20261111001",
  facts: { order: { status: "paid" } },
  decision: { eligible: true },
  firedRules: [],
  ...overrides,
});

function show(entry: DecisionLogEntry) {
  render(() => (
    <I18nProvider>
      <ToastProvider>
        <MemoryRouter>
          <Route path="*" component={() => <DecisionDetail entry={entry} onClose={() => {}} />} />
        </MemoryRouter>
      </ToastProvider>
    </I18nProvider>
  ));
}

beforeEach(() => {
  localStorage.setItem("asr.lang", "zh");
  // the fired rules' descriptions are a help: their version is not served here
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(null, { status: 503 })),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("a logged decision's detail", () => {
  it("shows the case as decided", () => {
    show(anEntry({}));
    expect(screen.getByText("案例数据（判定所用的案例）")).toBeTruthy();
    expect(document.querySelector(".decision-facts-json")!.textContent).toContain('"status": "paid"');
    expect(document.querySelector(".decision-unreadable")).toBeNull();
  });

  it("says in Chinese that a case over the per-record limit was not kept, instead of showing the marker", () => {
    show(anEntry({ facts: { $omitted: "the facts were larger than the decision log keeps for one decision" } }));
    expect(document.querySelector("[data-omitted]")!.textContent).toContain("超过了决策日志单条记录的保存上限");
    expect(document.querySelector(".decision-facts-json")).toBeNull();
  });

  it("shows columns it could not read as stored, with a warning naming them", () => {
    show(anEntry({ facts: {}, firedRules: [], unreadable: { facts: '{"order":', firedRules: "not json" } }));
    const notice = screen.getByRole("alert");
    expect(notice.textContent).toContain("案例数据、触发的规则");
    expect([...notice.querySelectorAll("pre")].map((pre) => pre.textContent)).toEqual(['{"order":', "not json"]);
  });
});
