import { cleanup, render } from "@solidjs/testing-library";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../shared/logs.ts";
import { I18nProvider } from "../../i18n/index.tsx";
import { AuditTable } from "./audit-table.tsx";

/** The reply templates' audit rows read as sentences, in both languages. */
const entries: AuditEntry[] = [
  ["reply-template.import", { version: 1 }],
  ["reply-template.save", { revision: 2 }],
  ["reply-template.publish", { version: 2, revision: 2 }],
  ["reply-template.restore", { version: 1, revision: 3 }],
].map(([action, detail], i) => ({
  id: `01KREPLYTEMPLATE00000000${i}`,
  at: "2026-11-20T02:00:00.000Z",
  actor: "user:li",
  action: action as string,
  entity: "reply-template",
  entityKey: "late_delivery",
  detail,
}));

function sentences(lang: "zh" | "en"): string[] {
  localStorage.setItem("asr.lang", lang);
  render(() => (
    <I18nProvider>
      <AuditTable entries={entries} />
    </I18nProvider>
  ));
  return entries.map((entry) => document.querySelector(`tr[data-id="${entry.id}"] .audit-sentence`)?.textContent ?? "");
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe("reply templates in the audit log", () => {
  it("reads in Chinese", () => {
    expect(sentences("zh")).toEqual([
      "导入了初始话术，作为第 1 版",
      "修改了回复模板的草稿",
      "发布了回复模板第 2 版",
      "把第 1 版恢复为回复模板的草稿",
    ]);
  });

  it("reads in English", () => {
    expect(sentences("en")).toEqual([
      "imported the starting script as version 1",
      "changed the reply template's draft",
      "published version 2 of the reply template",
      "made version 1 the reply template's draft again",
    ]);
  });
});
