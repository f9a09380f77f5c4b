import { cleanup, render, screen, waitFor } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n/index.tsx";
import { setActorNames } from "../../ui/actor-name.ts";
import type { AuditFilter } from "./audit-export.ts";
import { AuditFilters } from "./audit-filters.tsx";

// The audit log's object filter finds a rule set by the name a manager reads (超时规则, or part of it), and searches
// by the key the server stores (timeouts); the actor filter takes a display name (王芳).

function show(applied: AuditFilter = {}) {
  const onApply = vi.fn<(filter: AuditFilter) => void>();
  render(() => (
    <I18nProvider>
      <AuditFilters applied={applied} onApply={onApply} />
    </I18nProvider>
  ));
  return onApply;
}

const objectField = () => screen.getByLabelText("对象") as HTMLInputElement;

beforeEach(() => {
  localStorage.setItem("asr.lang", "zh");
  setActorNames({ "user:wangfang": "王芳" });
});
afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("the audit object filter", () => {
  it("finds the timeouts rule set by its Chinese name, whole or in part", async () => {
    const user = userEvent.setup();
    for (const typed of ["超时规则", "超时"]) {
      const onApply = show();
      await user.type(objectField(), typed);
      expect(document.querySelector(".audit-object-found")!.textContent).toBe(
        typed === "超时规则" ? "" : "查询规则集：超时规则",
      );
      await user.click(screen.getByRole("button", { name: "查询" }));
      expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ entityKey: "timeouts" }));
      cleanup();
    }
  });

  it("finds a rule set by its English name or key too, and offers the names as suggestions", async () => {
    const user = userEvent.setup();
    const onApply = show();
    await user.type(objectField(), "who pays the postage");
    await user.click(screen.getByRole("button", { name: "查询" }));
    expect(onApply).toHaveBeenLastCalledWith(expect.objectContaining({ entityKey: "shipping-fee" }));
    const suggestions = [...document.querySelectorAll("#audit-entity-keys option")].map((o) => o.getAttribute("value"));
    expect(suggestions).toEqual(expect.arrayContaining(["超时规则", "运费承担", "退款资格与最大可退金额"]));
  });

  it("shows an applied rule set by its name", () => {
    show({ entity: "rule-set", entityKey: "timeouts" });
    expect(objectField().value).toBe("超时规则");
  });

  it("does not search text that names several rule sets, and says which", async () => {
    const user = userEvent.setup();
    const onApply = show();
    await user.type(objectField(), "-");
    await waitFor(() =>
      expect(document.querySelector(".audit-object-found")!.textContent).toContain(
        "「-」对应多个规则集：退款资格与最大可退金额、运费承担",
      ),
    );
    expect(objectField().getAttribute("aria-invalid")).toBe("true");
    await user.click(screen.getByRole("button", { name: "查询" }));
    expect(onApply).not.toHaveBeenCalled();
  });

  it("keeps text that names no rule set as typed: a user name or a key's id", async () => {
    const user = userEvent.setup();
    const onApply = show();
    await user.type(objectField(), "wangfang");
    await user.click(screen.getByRole("button", { name: "查询" }));
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ entityKey: "wangfang" }));
  });

  it("takes a display name in the actor filter", async () => {
    const user = userEvent.setup();
    const onApply = show();
    await user.type(screen.getByLabelText("操作人"), "王芳");
    await user.click(screen.getByRole("button", { name: "查询" }));
    expect(onApply).toHaveBeenCalledWith(expect.objectContaining({ actor: "user:wangfang" }));
  });
});
