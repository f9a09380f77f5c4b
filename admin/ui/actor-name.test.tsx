import { cleanup, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { VersionSummary } from "../../shared/api.ts";
import type { AuditEntry } from "../../shared/logs.ts";
import { I18nProvider, useI18n } from "../i18n/index.tsx";
import { AuditTable } from "../pages/audit/audit-table.tsx";
import { VersionHistory } from "../pages/versions/version-history.tsx";
import { actorName, loadActorNames, setActorNames } from "./actor-name.ts";

// Wherever the admin names who did something, a person reads the display name (王芳), not `user:wangfang`, and the
// scheduler reads as 系统 / System.

function Names(props: { actors: string[] }) {
  const { t } = useI18n();
  return (
    <ul>
      {props.actors.map((actor) => (
        <li data-actor={actor}>{actorName(actor, t)}</li>
      ))}
    </ul>
  );
}

const shown = (actor: string) => document.querySelector(`[data-actor="${actor}"]`)!.textContent;

beforeEach(() => {
  localStorage.setItem("asr.lang", "zh");
  setActorNames({ "user:wangfang": "王芳" });
});
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe("an actor's name", () => {
  it("is the user's display name, else the username; 系统 for system; API 密钥 for a key", () => {
    render(() => (
      <I18nProvider>
        <Names actors={["user:wangfang", "user:lilei", "system", "api-key:订单系统"]} />
      </I18nProvider>
    ));
    expect(shown("user:wangfang")).toBe("王芳");
    expect(shown("user:lilei")).toBe("lilei");
    expect(shown("system")).toBe("系统");
    expect(shown("api-key:订单系统")).toBe("API 密钥 订单系统");
  });

  it("reads System in English", () => {
    localStorage.setItem("asr.lang", "en");
    render(() => (
      <I18nProvider>
        <Names actors={["system", "user:wangfang"]} />
      </I18nProvider>
    ));
    expect(shown("system")).toBe("System");
    expect(shown("user:wangfang")).toBe("王芳");
  });

  it("comes from GET /api/v1/actors, and a name loaded later replaces the username on screen", async () => {
    setActorNames({});
    const fetch = vi.fn(
      async () =>
        new Response(JSON.stringify({ actors: { "user:lilei": "李雷" } }), {
          headers: { "content-type": "application/json" },
        }),
    );
    vi.stubGlobal("fetch", fetch);
    render(() => (
      <I18nProvider>
        <Names actors={["user:lilei"]} />
      </I18nProvider>
    ));
    expect(shown("user:lilei")).toBe("lilei");
    await loadActorNames();
    await waitFor(() => expect(shown("user:lilei")).toBe("李雷"));
    expect(String((fetch.mock.calls[0] as unknown[])[0])).toContain("/api/v1/actors");
  });

  it("is the display name in the version history, the raw actor kept as a tooltip", () => {
    const version = (n: number, publishedBy: string) =>
      ({
        version: n,
        publishedAt: "2026-11-20T02:00:00.000Z",
        publishedBy,
        note: "",
        active: n === 2,
        rolledBackFrom: null,
      }) as unknown as VersionSummary;
    render(() => (
      <I18nProvider>
        <VersionHistory
          versions={[version(2, "user:wangfang"), version(1, "system")]}
          onShowChanges={() => undefined}
          onRollback={() => undefined}
        />
      </I18nProvider>
    ));
    const publishers = [...document.querySelectorAll(".version-publisher")];
    expect(publishers.map((cell) => cell.textContent)).toEqual(["王芳", "系统"]);
    expect(publishers[0]!.getAttribute("title")).toBe("user:wangfang");
    expect(screen.queryByText("user:wangfang")).toBeNull();
  });

  it("is the display name in the audit log, for who acted and for the user acted on", () => {
    const entry = (id: string, actor: string, action: string, entity: string, entityKey: string): AuditEntry => ({
      id,
      at: "2026-11-20T02:00:00.000Z",
      actor,
      action,
      entity,
      entityKey,
      detail: action === "user.update" ? { displayName: { from: null, to: "王芳" } } : { version: 2 },
    });
    render(() => (
      <I18nProvider>
        <AuditTable
          entries={[
            entry("2", "user:wangfang", "publish", "rule-set", "timeouts"),
            entry("1", "system", "schedule.start", "rule-set", "timeouts"),
            entry("0", "user:admin", "user.update", "user", "wangfang"),
          ]}
        />
      </I18nProvider>
    ));
    const actors = [...document.querySelectorAll(".audit-actor")].map((cell) => cell.textContent);
    expect(actors).toEqual(["王芳", "系统", "admin"]);
    const renamed = document.querySelector('[data-id="0"]')!;
    expect(renamed.querySelector(".audit-target")!.textContent).toBe("用户 王芳");
    expect(renamed.querySelector(".audit-sentence")!.textContent).toBe("修改了用户：显示名称 （无） → 王芳");
  });
});
