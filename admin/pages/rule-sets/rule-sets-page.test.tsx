import { MemoryRouter, Route } from "@solidjs/router";
import { cleanup, render, screen, waitFor, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuleSetSummary } from "../../../shared/api.ts";
import { AuthProvider } from "../../auth.tsx";
import { I18nProvider } from "../../i18n/index.tsx";
import { setActorNames } from "../../ui/actor-name.ts";
import { ToastProvider } from "../../ui/toast.tsx";
import { RuleSetProvider } from "../rule-set/rule-set-context.tsx";
import { ReviewPage } from "./review-page.tsx";
import { RuleSetsPage } from "./rule-sets-page.tsx";
import { waitsForMe } from "./waiting-review.ts";

// A reviewer's home page lists first the drafts waiting for their review, marked 待你审核, each with a link to a
// read-only review where they approve or reject and cannot edit the rules.

const pending = {
  id: "r1",
  draftRevision: 4,
  status: "pending" as const,
  note: "双十一活动：卖家承担退货运费",
  submittedBy: "user:wangfang",
  submittedAt: "2026-11-20T01:00:00.000Z",
  reviewedBy: null,
  reviewedAt: null,
  comment: null,
  current: true,
};

const summary = (key: string, overrides: Partial<RuleSetSummary> = {}): RuleSetSummary => ({
  key,
  name: key,
  description: "",
  activeVersion: 1,
  publishedAt: "2026-11-01T00:00:00.000Z",
  publishedBy: "system",
  draftRevision: 4,
  draftDiffers: false,
  fourEyes: true,
  draftEditors: [],
  review: null,
  nextSchedule: null,
  ...overrides,
});

const ruleSets = [
  summary("refund-eligibility"),
  summary("shipping-fee", { draftDiffers: true, review: pending, draftEditors: ["user:wangfang"] }),
  summary("timeouts", { draftDiffers: true, review: pending, draftEditors: ["user:wangfang", "user:pat"] }),
];

const rule = (name: string, description: string) => ({
  name,
  description,
  priority: 100,
  conditions: { all: [{ fact: "order.status", operator: "equal", value: "delivered" }] },
  event: { type: "returnShipping", params: { returnShippingPayer: "seller" } },
});

const detail = {
  ...summary("shipping-fee", { draftDiffers: true, review: pending, draftEditors: ["user:wangfang"] }),
  active: { version: 1, defaults: { returnShippingPayer: "buyer" }, conditions: {}, rules: [] },
  draft: {
    revision: 4,
    defaults: { returnShippingPayer: "buyer" },
    conditions: {},
    rules: [rule("double-11-free-return", "双十一卖家承担退货运费")],
    updatedAt: "2026-11-20T00:30:00.000Z",
    updatedBy: "user:wangfang",
  },
};

function fakeServer(username: string, role: string) {
  const posted: { path: string; body: unknown }[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    const path = url.pathname;
    if (method === "POST" && path.endsWith("/review")) {
      posted.push({ path, body: JSON.parse(String(init?.body)) });
      return json({ ...pending, status: "approved" });
    }
    if (path === "/api/v1/session") return json({ user: { username, role } });
    if (path === "/api/v1/rule-sets") return json({ ruleSets });
    if (path === "/api/v1/rule-sets/shipping-fee") return json(detail);
    if (path === "/api/v1/rule-sets/shipping-fee/test-cases/run") return json({ passed: true, results: [] });
    if (path === "/api/v1/rule-sets/shipping-fee/test-cases") return json({ testCases: [] });
    if (path === "/api/v1/rule-sets/shipping-fee/versions/1") return json({ ...detail.active, testCases: [] });
    return json({ type: "not-found", title: "Not found", status: 404, detail: `no ${method} ${path}` }, 404);
  });
  vi.stubGlobal("fetch", fetch);
  return posted;
}

function show(component: () => unknown) {
  render(() => (
    <I18nProvider>
      <ToastProvider>
        <AuthProvider>
          <MemoryRouter root={(props) => <>{props.children}</>}>
            <Route path="*" component={component as never} />
          </MemoryRouter>
        </AuthProvider>
      </ToastProvider>
    </I18nProvider>
  ));
}

beforeEach(() => {
  localStorage.setItem("asr.lang", "zh");
  setActorNames({ "user:wangfang": "王芳" });
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe("待你审核 on the home page", () => {
  it("lists first, with a badge and a link to the read-only review, the drafts a reviewer may approve", async () => {
    fakeServer("pat", "publisher");
    show(RuleSetsPage);
    await waitFor(() => expect(screen.getByTestId("to-review-lead").textContent).toContain("1 个规则集的草稿等你审核"));
    const cards = [...document.querySelectorAll(".rule-set-card")] as HTMLElement[];
    // pat edited the timeouts draft: not theirs to review; shipping-fee waits for them and comes first
    expect(cards.map((card) => card.dataset.key)).toEqual(["shipping-fee", "refund-eligibility", "timeouts"]);
    const first = within(cards[0]!);
    expect(first.getByTestId("to-review").textContent).toBe("待你审核");
    expect(first.getByText(/王芳 于 .* 提交/)).toBeTruthy();
    expect(first.getByText("「双十一活动：卖家承担退货运费」")).toBeTruthy();
    const link = first.getByRole("link", { name: "查看并审核 运费承担" });
    expect(link.getAttribute("href")).toMatch(/\/rule-sets\/shipping-fee\/review$/);
    expect(cards[2]!.querySelector('[data-testid="to-review"]')).toBeNull();
  });

  it("shows none to the person who submitted or edited the draft, nor to an editor, who may not review", async () => {
    const user = (username: string, scopes: string[]) => ({
      username,
      can: (scope: string) => scopes.includes(scope),
    });
    const shipping = ruleSets[1]!;
    expect(waitsForMe(shipping, user("pat", ["rules:review"]))).toBe(true);
    expect(waitsForMe(shipping, user("wangfang", ["rules:review"]))).toBe(false);
    expect(waitsForMe(shipping, user("ed", ["rules:write"]))).toBe(false);
    expect(waitsForMe({ ...shipping, fourEyes: false }, user("pat", ["rules:review"]))).toBe(false);
    expect(waitsForMe({ ...shipping, review: { ...pending, current: false } }, user("pat", ["rules:review"]))).toBe(
      false,
    );
    expect(waitsForMe({ ...shipping, review: { ...pending, status: "approved" } }, user("pat", ["rules:review"]))).toBe(
      false,
    );
  });
});

describe("the read-only review", () => {
  function showReview() {
    show(() => (
      <RuleSetProvider ruleSetKey="shipping-fee">
        <ReviewPage />
      </RuleSetProvider>
    ));
  }

  it("shows who submitted, the changes and the tests, with no control that edits the rules", async () => {
    const posted = fakeServer("pat", "publisher");
    showReview();
    await waitFor(() => expect(screen.getByText(/王芳 于 .* 提交/)).toBeTruthy());
    expect(screen.getByText(/只读审核视图/)).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("review-tests").textContent).not.toContain("加载"));
    expect(document.querySelector(".review-page-diff")!.textContent).toContain("double-11-free-return");
    // the only thing to type is the review's comment; no rule editor, no save
    const page = screen.getByTestId("review-page");
    expect(within(page).getAllByRole("textbox")).toHaveLength(1);
    expect(within(page).queryByRole("button", { name: /保存/ })).toBeNull();
    const approve = within(page).getByRole("button", { name: "批准" });
    await waitFor(() => expect((approve as HTMLButtonElement).disabled).toBe(false));
    await userEvent.setup().click(approve);
    await waitFor(() =>
      expect(posted).toEqual([{ path: "/api/v1/rule-sets/shipping-fee/review", body: { approve: true, comment: "" } }]),
    );
  });

  it("tells the person who edited the draft that another publisher must review it", async () => {
    fakeServer("wangfang", "publisher");
    showReview();
    await waitFor(() => expect(screen.getByText("你编辑或提交了这份草稿，须由另一位发布人审核。")).toBeTruthy());
    expect(screen.queryByRole("button", { name: "批准" })).toBeNull();
  });
});
