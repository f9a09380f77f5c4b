import { MemoryRouter, Route } from "@solidjs/router";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
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
  it("shows the case as decided, as the simulator's read-only form, the JSON a tab away", async () => {
    show(anEntry({}));
    expect(screen.getByText("案例数据（判定所用的案例）")).toBeTruthy();
    const form = document.querySelector(".decision-facts-form fieldset.case-view") as HTMLFieldSetElement;
    expect(form.disabled).toBe(true);
    const status = screen.getByLabelText("订单状态") as HTMLSelectElement;
    expect(status.selectedOptions[0]!.textContent).toBe("已付款未发货");
    expect(form.querySelectorAll("fieldset.case-group legend").length).toBeGreaterThan(1);
    // read-only: nothing in it may be clicked to change the case
    expect([...form.querySelectorAll("button")].every((button) => button.closest("fieldset:disabled"))).toBe(true);
    expect(document.querySelector(".decision-facts-json")).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: "JSON" }));
    expect(document.querySelector(".decision-facts-json")!.textContent).toContain('"status": "paid"');
    expect(document.querySelector(".decision-unreadable")).toBeNull();
  });

  it("shows each reason of the decision with its code and its message", () => {
    show(
      anEntry({
        decision: {
          eligible: false,
          reasons: [
            { code: "ORDER_CLOSED", message: "订单已关闭，不能申请退款" },
            { code: "NO_MESSAGE", message: "" },
          ],
        },
      }),
    );
    const reasons = [...document.querySelectorAll(".decision-reason")];
    expect(reasons.map((reason) => reason.querySelector(".reason-code")!.textContent)).toEqual([
      "ORDER_CLOSED",
      "NO_MESSAGE",
    ]);
    expect(reasons.map((reason) => reason.querySelector(".reason-message")!.textContent)).toEqual([
      "订单已关闭，不能申请退款",
      "（没有说明）",
    ]);
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
