import { cleanup, render, screen, within } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../shared/logs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { AuditTable } from "./audit-table.tsx";
import { actorQuery } from "./audit-wording.ts";

/** An audit entry as the server lists it; only what a case needs is given. */
const anEntry = (entry: Partial<AuditEntry> & Pick<AuditEntry, "action">): AuditEntry => ({
  id: `01K${entry.action
    .toUpperCase()
    .replace(/[^A-Z]/g, "")
    .padEnd(23, "0")
    .slice(0, 23)}`,
  at: "2026-11-20T02:00:00.000Z",
  actor: "user:li",
  entity: "rule-set",
  entityKey: "refund-eligibility",
  detail: {},
  ...entry,
});

function renderTable(entries: AuditEntry[], lang: "zh" | "en" = "zh") {
  localStorage.setItem("asr.lang", lang);
  render(() => (
    <I18nProvider>
      <AuditTable entries={entries} />
    </I18nProvider>
  ));
  return (entry: AuditEntry) => document.querySelector<HTMLElement>(`tr[data-id="${entry.id}"]`)!;
}
const sentenceOf = (row: HTMLElement) => row.querySelector(".audit-sentence")!.textContent;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("the audit log's wording", () => {
  const published = anEntry({
    action: "publish",
    detail: { from: "10.0.0.7", version: 3, previousVersion: 2, note: "", review: "not-required" },
  });
  const draft = anEntry({
    action: "draft.replace",
    detail: {
      from: "10.0.0.7",
      added: ["double-11-longer-window"],
      removed: [],
      changed: ["seven-day-window-expired", "virtual-goods-no-return"],
      defaultsChanged: false,
      conditionsChanged: false,
    },
  });
  const approved = anEntry({ action: "review.approve", actor: "user:wang", detail: { draftRevision: 4 } });
  const rejected = anEntry({ action: "review.reject", actor: "user:wang", detail: { comment: "时限写错了" } });
  const failedSignIn = anEntry({
    action: "sign-in.failed",
    actor: "zhang",
    entity: "user",
    entityKey: "zhang",
    detail: { from: "203.0.113.9" },
  });
  const keyCreated = anEntry({
    action: "api-key.create",
    actor: "system",
    entity: "api-key",
    entityKey: "k1",
    detail: { name: "订单系统" },
  });
  const userChanged = anEntry({
    action: "user.update",
    actor: "user:admin",
    entity: "user",
    entityKey: "li",
    detail: { role: { from: "editor", to: "publisher" } },
  });
  const unknown = anEntry({ action: "something.new", actor: "api-key:ci" });

  it("says each action as a Chinese sentence, with who, on what and from where", () => {
    const row = renderTable([published, draft, approved, rejected, failedSignIn, keyCreated, userChanged, unknown]);
    expect(sentenceOf(row(published))).toBe("发布了新版本 v3");
    expect(sentenceOf(row(draft))).toBe(
      "修改了草稿：新增规则 double-11-longer-window，修改规则 seven-day-window-expired、virtual-goods-no-return",
    );
    expect(sentenceOf(row(approved))).toBe("批准了审核");
    expect(sentenceOf(row(rejected))).toBe("驳回了审核（意见：时限写错了）");
    expect(sentenceOf(row(failedSignIn))).toBe("登录失败（所填用户名仅管理员可见）");
    expect(sentenceOf(row(keyCreated))).toBe("创建了 API 密钥「订单系统」");
    expect(sentenceOf(row(userChanged))).toBe("修改了用户：角色 编辑者 → 发布者");
    expect(sentenceOf(row(unknown))).toBe("something.new");

    const cells = (entry: AuditEntry) => [...row(entry).querySelectorAll("td")].map((td) => td.textContent);
    expect(cells(published).slice(1, 5)).toEqual(["li", "发布了新版本 v3", "退款资格与最大可退金额", "10.0.0.7"]);
    expect(cells(failedSignIn).slice(1, 5)).toEqual([
      "zhang",
      "登录失败（所填用户名仅管理员可见）",
      "用户 zhang",
      "203.0.113.9",
    ]);
    expect(cells(keyCreated).slice(1, 5)).toEqual(["系统", "创建了 API 密钥「订单系统」", "API 密钥 订单系统", "—"]);
    expect(cells(unknown)[1]).toBe("API 密钥 ci");
  });

  it("says a draft save was merged with whose changes, and a draft reset to a version", () => {
    const merged = anEntry({
      action: "draft.replace",
      id: "01KDRAFTMERGED000000000000",
      detail: { added: [], removed: [], changed: ["a-rule"], merged: true, baseRevision: 4, mergedWith: ["user:wang"] },
    });
    const reset = anEntry({
      action: "draft.reset",
      detail: { version: 3, added: [], removed: [], changed: ["a-rule"], defaultsChanged: false },
    });
    const row = renderTable([merged, reset]);
    expect(sentenceOf(row(merged))).toBe("修改了草稿：修改规则 a-rule（与wang的修改合并）");
    expect(sentenceOf(row(reset))).toBe("把草稿重置为版本 v3：修改规则 a-rule");
    expect(row(reset).querySelectorAll("td")[2]!.textContent).not.toContain("draft.reset");
  });

  it("says a failed sign-in's name is hidden when the server hid it, and marks an emergency rollback", () => {
    const hidden = anEntry({
      action: "sign-in.failed",
      actor: "(hidden)",
      entity: "user",
      entityKey: "(hidden)",
      detail: { from: "203.0.113.9" },
    });
    const emergency = anEntry({
      action: "rollback",
      id: "01KROLLBACKEMERGENCY0000000",
      actor: "api-key:on-call",
      detail: { version: 5, rolledBackFrom: 2, review: "unreviewed-in-app", emergency: true },
    });
    const reviewed = anEntry({
      action: "rollback",
      id: "01KROLLBACKREVIEWED00000000",
      detail: { version: 6, rolledBackFrom: 3, review: { id: "r1", approvedBy: "user:wang" } },
    });
    const row = renderTable([hidden, emergency, reviewed]);
    const cells = (entry: AuditEntry) => [...row(entry).querySelectorAll("td")].map((td) => td.textContent);
    expect(cells(hidden).slice(1, 4)).toEqual(["（已隐藏）", "登录失败", "用户 （已隐藏）"]);
    expect(sentenceOf(row(emergency))).toBe("紧急回滚到 v2（生成新版本 v5），未经审核");
    expect(sentenceOf(row(reviewed))).toBe("回滚到 v3（生成新版本 v6），审核人 wang");
  });

  it("speaks English with the same entries", () => {
    const row = renderTable([published, draft], "en");
    expect(sentenceOf(row(published))).toBe("Published version v3");
    expect(sentenceOf(row(draft))).toBe(
      "Changed the draft: added rules double-11-longer-window; changed rules seven-day-window-expired, virtual-goods-no-return",
    );
  });

  it("unfolds an entry's raw record from the keyboard", async () => {
    const user = userEvent.setup();
    const row = renderTable([published]);
    const toggle = within(row(published)).getByRole("button", { name: "展开" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.focus();
    await user.keyboard("{Enter}");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const raw = document.getElementById(toggle.getAttribute("aria-controls")!)!;
    expect(JSON.parse(raw.textContent!)).toMatchObject({ action: "publish", detail: { version: 3 } });
    await user.click(screen.getByRole("button", { name: "收起" }));
    expect(document.getElementById(toggle.getAttribute("aria-controls")!)).toBeNull();
  });

  it("reads a bare name in the actor filter as a user", () => {
    expect(actorQuery(" li ")).toBe("user:li");
    expect(actorQuery("api-key:ci")).toBe("api-key:ci");
    expect(actorQuery("system")).toBe("system");
    expect(actorQuery("  ")).toBeUndefined();
  });
});
