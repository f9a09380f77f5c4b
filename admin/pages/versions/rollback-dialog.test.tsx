import { cleanup, render, screen, waitFor } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RuleSetDetail, VersionSummary } from "../../../shared/api.ts";
import { AuthProvider } from "../../auth.tsx";
import { I18nProvider } from "../../i18n/index.tsx";
import { ToastProvider } from "../../ui/toast.tsx";
import { RuleSetProvider } from "../rule-set/rule-set-context.tsx";
import { RollbackDialog } from "./rollback-dialog.tsx";
import type { Definition } from "./version-diff.ts";

const v1: Definition = { defaults: { returnShippingPayer: "buyer" }, conditions: {}, rules: [] };

/** A stand-in server: shipping-fee at v2 with four-eyes `fourEyes`, and the calls the dialog makes. */
function fakeServer(fourEyes: boolean, draftDiffers = false) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  const detail = {
    key: "shipping-fee",
    fourEyes,
    draftDiffers,
    draftRevision: 7,
    active: { version: 2, defaults: { returnShippingPayer: "seller" }, conditions: {}, rules: [] },
    draft: {
      revision: 7,
      defaults: { returnShippingPayer: "seller" },
      conditions: {},
      rules: [],
      updatedAt: "2026-11-01T00:00:00.000Z",
      updatedBy: "user:li",
    },
  } as unknown as RuleSetDetail;
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    if (method !== "GET") calls.push({ method, path: url.pathname, body: JSON.parse(String(init?.body ?? "null")) });
    if (url.pathname === "/api/v1/session") return json({ user: { username: "pat", role: "publisher" } });
    if (url.pathname === "/api/v1/rule-sets/shipping-fee" && method === "GET") return json(detail);
    if (url.pathname === "/api/v1/rule-sets/shipping-fee/draft")
      return json({ ...detail, draft: { ...detail.draft, ...v1, revision: 8 } });
    if (url.pathname === "/api/v1/rule-sets/shipping-fee/submit") return json({ id: "r1", status: "pending" });
    if (url.pathname === "/api/v1/rule-sets/shipping-fee/rollback") return json({ version: 3, unchanged: false });
    if (url.pathname === "/api/v1/rule-sets/shipping-fee/draft/reset")
      return json({ ...detail, draftDiffers: false, draft: { ...detail.draft, ...v1, revision: 8 } });
    return json({ type: "not-found", title: "Not found", status: 404, detail: `no ${method} ${url.pathname}` }, 404);
  });
  return { fetch, calls };
}

function renderDialog(onDone = vi.fn()) {
  const target = { version: 1 } as VersionSummary;
  render(() => (
    <I18nProvider>
      <ToastProvider>
        <AuthProvider>
          <RuleSetProvider ruleSetKey="shipping-fee">
            <RollbackDialog target={target} load={async () => v1} onClose={() => undefined} onDone={onDone} />
          </RuleSetProvider>
        </AuthProvider>
      </ToastProvider>
    </I18nProvider>
  ));
  return onDone;
}

describe("the rollback dialog", () => {
  beforeEach(() => {
    localStorage.setItem("asr.lang", "zh");
  });
  afterEach(() => {
    cleanup();
    localStorage.clear();
    vi.unstubAllGlobals();
  });

  it("with four-eyes on, puts the old version's rules in the draft and submits them for review instead of rolling back", async () => {
    const server = fakeServer(true);
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup();
    const onDone = renderDialog();
    expect(await screen.findByText(/回滚与发布一样须由另一位发布人审核/)).toBeTruthy();
    await user.type(screen.getByRole("textbox"), "运费判错");
    const confirm = await screen.findByRole("button", { name: "写入草稿并提交审核" });
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    await waitFor(() =>
      expect(server.calls.map((c) => c.path)).toEqual([
        "/api/v1/rule-sets/shipping-fee/draft/reset",
        "/api/v1/rule-sets/shipping-fee/submit",
      ]),
    );
    expect(server.calls[0]!.body).toEqual({ version: 1, revision: 7 });
    expect(server.calls[1]!.body).toEqual({ note: "回滚到 v1。运费判错" });
    expect(onDone).not.toHaveBeenCalled();
  });

  it("with four-eyes off, rolls back at once", async () => {
    const server = fakeServer(false);
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup();
    const onDone = renderDialog();
    const confirm = await screen.findByRole("button", { name: "确认回滚" });
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(3));
    expect(server.calls.map((c) => c.path)).toEqual(["/api/v1/rule-sets/shipping-fee/rollback"]);
  });

  it("after a rollback that left the draft as it was, offers to reset the draft to the version rolled back to", async () => {
    const server = fakeServer(false, true);
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup();
    const onDone = renderDialog();
    const confirm = await screen.findByRole("button", { name: "确认回滚" });
    await waitFor(() => expect((confirm as HTMLButtonElement).disabled).toBe(false));
    await user.click(confirm);
    const offer = await screen.findByRole("dialog", { name: "已回滚到 v1" });
    expect(offer.textContent).toContain("现在生效的是 v3（与 v1 的规则相同）");
    expect(offer.textContent).toContain("仍带着被回滚的修改");
    expect(onDone).toHaveBeenCalledWith(3);
    await user.click(screen.getByRole("button", { name: "把草稿重置为版本 1" }));
    await waitFor(() =>
      expect(server.calls.map((c) => [c.path, c.body])).toEqual([
        ["/api/v1/rule-sets/shipping-fee/rollback", { version: 1 }],
        ["/api/v1/rule-sets/shipping-fee/draft/reset", { version: 1, revision: 7 }],
      ]),
    );
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "已回滚到 v1" })).toBeNull());
  });
});
