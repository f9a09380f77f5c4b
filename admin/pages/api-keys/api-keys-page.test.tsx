import { cleanup, render, screen, waitFor } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ApiKey } from "../../../shared/access.ts";
import { AuthProvider } from "../../auth.tsx";
import { I18nProvider } from "../../i18n/index.tsx";
import { ToastProvider } from "../../ui/toast.tsx";
import { ApiKeysPage } from "./api-keys-page.tsx";

const secret = "asr_live_3f9c2b7e1d8a4c6b9e0f";

/** A stand-in server: the routes the page calls, with the keys it holds. */
function fakeServer() {
  const keys: ApiKey[] = [];
  const posted: unknown[] = [];
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? "GET").toUpperCase();
    if (url.pathname === "/api/v1/session") return json({ user: { username: "admin", role: "admin" } });
    if (url.pathname === "/api/v1/rule-sets")
      return json({ ruleSets: [{ key: "shipping-fee", name: "shipping-fee" }] });
    if (url.pathname === "/api/v1/api-keys" && method === "GET") return json({ apiKeys: keys });
    if (url.pathname === "/api/v1/api-keys" && method === "POST") {
      const input = JSON.parse(String(init?.body)) as {
        name: string;
        scopes: string[];
        ruleSets: string[] | null;
        expiresAt: string | null;
      };
      posted.push(input);
      const key: ApiKey = {
        id: "k1",
        ...input,
        createdAt: "2026-11-01T00:00:00.000Z",
        createdBy: "user:admin",
        lastUsedAt: null,
        revokedAt: null,
      };
      keys.push(key);
      return json({ ...key, key: secret }, 201);
    }
    return json({ type: "not-found", title: "Not found", status: 404, detail: `no ${method} ${url.pathname}` }, 404);
  });
  return { fetch, posted };
}

describe("creating an API key", () => {
  beforeEach(() => {
    localStorage.setItem("asr.lang", "zh");
  });
  afterEach(() => {
    cleanup();
    localStorage.clear();
    vi.unstubAllGlobals();
  });

  it("shows the new key once, with a warning, and never again after closing", async () => {
    const server = fakeServer();
    vi.stubGlobal("fetch", server.fetch);
    const user = userEvent.setup();
    render(() => (
      <I18nProvider>
        <ToastProvider>
          <AuthProvider>
            <ApiKeysPage />
          </AuthProvider>
        </ToastProvider>
      </I18nProvider>
    ));
    await screen.findByText("还没有 API 密钥。");

    await user.click(screen.getByRole("button", { name: "创建密钥" }));
    await user.type(screen.getByRole("textbox", { name: "名称" }), "订单系统-生产");
    // an admin may grant what a backend service needs: asking for decisions
    await waitFor(() => expect(screen.getByRole("checkbox", { name: /请求决策/ })).toHaveProperty("disabled", false));
    await user.click(screen.getByRole("checkbox", { name: /请求决策/ }));
    await user.click(screen.getByRole("checkbox", { name: /查看规则/ }));
    await user.click(screen.getByRole("button", { name: "确认创建" }));

    const shown = (await screen.findByTestId("new-api-key")) as HTMLInputElement;
    expect(shown.value).toBe(secret);
    expect(screen.getByRole("alert").textContent).toContain("这是唯一一次显示此密钥");
    expect(server.posted).toEqual([
      { name: "订单系统-生产", scopes: ["decisions:evaluate", "rules:read"], ruleSets: null, expiresAt: null },
    ]);

    await user.click(screen.getByRole("button", { name: "我已保存，关闭" }));
    await screen.findByRole("row", { name: /订单系统-生产/ });
    expect(screen.queryByTestId("new-api-key")).toBeNull();
    expect(document.body.textContent).not.toContain(secret);
    expect([...document.querySelectorAll("input")].some((input) => input.value === secret)).toBe(false);
    expect(screen.getByRole("row", { name: /订单系统-生产/ }).textContent).toContain("查看规则");
  });
});
