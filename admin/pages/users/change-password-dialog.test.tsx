import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthProvider } from "../../auth.tsx";
import { I18nProvider } from "../../i18n/index.tsx";
import { ToastProvider } from "../../ui/toast.tsx";
import { ChangePasswordButton } from "./change-password-dialog.tsx";

const json = (body: unknown, status = 200) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });

function renderButton(answerChange: () => Response) {
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname === "/api/v1/session") return json({ user: { username: "li.lei", role: "editor" } });
    if (url.pathname === "/api/v1/session/password" && init?.method === "POST") return answerChange();
    return json({ type: "not-found", title: "Not found", status: 404, detail: "no" }, 404);
  });
  vi.stubGlobal("fetch", fetch);
  render(() => (
    <I18nProvider>
      <ToastProvider>
        <AuthProvider>
          <ChangePasswordButton />
        </AuthProvider>
      </ToastProvider>
    </I18nProvider>
  ));
  return fetch;
}

async function fillAndSave(current: string, next: string, again = next) {
  const user = userEvent.setup();
  await user.click(await screen.findByRole("button", { name: "修改我的密码" }));
  await user.type(screen.getByLabelText("当前密码"), current);
  await user.type(screen.getByLabelText("新密码"), next);
  await user.type(screen.getByLabelText("再次输入新密码"), again);
  await user.click(screen.getByRole("button", { name: "确认修改" }));
}

describe("changing my own password", () => {
  beforeEach(() => {
    localStorage.setItem("asr.lang", "zh");
  });
  afterEach(() => {
    cleanup();
    localStorage.clear();
    vi.unstubAllGlobals();
  });

  it("checks the policy and the repeat before asking the server", async () => {
    const fetch = renderButton(() => json(null, 204));
    await fillAndSave("old-password-1", "short", "shorter");
    expect(screen.getByText("密码至少需要 12 个字符")).toBeTruthy();
    expect(screen.getByText("两次输入的新密码不一致")).toBeTruthy();
    expect(fetch.mock.calls.some(([url]) => String(url).endsWith("/session/password"))).toBe(false);
  });

  it("says a wrong current password is wrong, and keeps the user signed in", async () => {
    renderButton(() =>
      json(
        {
          type: "https://aftersales-rules.dev/problems/unauthorized",
          title: "Unauthorized",
          status: 401,
          detail: "the current password is wrong",
        },
        401,
      ),
    );
    await fillAndSave("not-my-password", "a-long-new-password");
    expect(await screen.findByText("当前密码不正确")).toBeTruthy();
    expect(screen.getByRole("button", { name: "修改我的密码" })).toBeTruthy();
  });

  it("closes with a message once the password is changed", async () => {
    renderButton(() => json(null, 204));
    await fillAndSave("old-password-1", "a-long-new-password");
    expect(await screen.findByText("密码已修改，其他设备上的登录已退出")).toBeTruthy();
    expect(screen.queryByLabelText("当前密码")).toBeNull();
  });
});
