import { hiddenSignInName } from "../../../shared/access.ts";
import { ruleSetLabels } from "../../../shared/labels.ts";
import type { AuditEntry } from "../../../shared/logs.ts";
import type { I18n, MessageKey } from "../../i18n/index.tsx";
import { actorNamed, displayNameOf } from "../../ui/actor-name.ts";
import { testCaseChangeParts } from "./test-case-wording.ts";

/**
 * The audit log in plain words: each action the server records (grep `appendAudit` in server/)
 * as a sentence a policy manager reads — "发布了新版本 v3", "修改了草稿：新增规则 …". An action
 * this list does not know yet is shown by its code, never hidden.
 */
export const actionGroups = {
  rules: ["import", "draft.replace", "draft.reset", "test-cases.replace"],
  release: [
    "review.submit",
    "review.approve",
    "review.reject",
    "review.withdrawn",
    "publish",
    "rollback",
    "schedule",
    "schedule.start",
    "schedule.end",
    "schedule.cancel",
    "settings.four-eyes",
  ],
  accounts: [
    "user.create",
    "user.update",
    "user.password-reset",
    "user.password-change",
    "password-change.failed",
    "api-key.create",
    "api-key.revoke",
  ],
  sessions: ["sign-in", "sign-in.failed", "sign-in.refused", "sign-out"],
  templates: [
    "reply-template.import",
    "reply-template.create",
    "reply-template.save",
    "reply-template.publish",
    "reply-template.restore",
  ],
  calendar: ["calendar.import", "calendar.save", "calendar.restore"],
} as const;
export type KnownAction = (typeof actionGroups)[keyof typeof actionGroups][number];

const knownActions: readonly string[] = Object.values(actionGroups).flat();
const isKnown = (action: string): action is KnownAction => knownActions.includes(action);

/** The action's name, as the filter's dropdown lists it ("发布", "登录失败"). */
export function actionName(action: string, i18n: Pick<I18n, "t">): string {
  return isKnown(action) ? i18n.t(`audit.action.${action}`) : action;
}

export const entityKinds = ["rule-set", "user", "api-key", "reply-template", "calendar"] as const;

type Detail = Record<string, unknown>;
const detailOf = (entry: AuditEntry): Detail =>
  entry.detail !== null && typeof entry.detail === "object" ? (entry.detail as Detail) : {};
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;
const names = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/** Up to five names joined ("a、b、c 等 8 项"): a sentence stays one line's worth. */
function nameList(list: string[], i18n: Pick<I18n, "t">): string {
  const shown = list.slice(0, 5).join(i18n.t("audit.said.listSep"));
  return list.length > 5 ? `${shown} ${i18n.t("audit.said.more", { count: list.length - 5 })}` : shown;
}

/** "修改了草稿：" followed by each part, or the bare sentence when nothing is listed. */
function withParts(i18n: Pick<I18n, "t">, withList: MessageKey, bare: MessageKey, parts: (string | false)[]): string {
  const listed = parts.filter((p): p is string => p !== false);
  return listed.length === 0 ? i18n.t(bare) : i18n.t(withList, { parts: listed.join(i18n.t("audit.said.partSep")) });
}

const roleName = (role: unknown, i18n: Pick<I18n, "t">) =>
  role === "viewer" || role === "editor" || role === "publisher" || role === "admin"
    ? i18n.t(`audit.role.${role}`)
    : String(role);

/** What happened, as one sentence in the current language. */
export function actionSentence(
  entry: AuditEntry,
  i18n: Pick<I18n, "t" | "formatDateTime" | "lang" | "field" | "value" | "timer" | "label">,
): string {
  const { t } = i18n;
  const d = detailOf(entry);
  const note = (key: "note" | "comment") =>
    text(d[key]) ? t(key === "note" ? "audit.said.note" : "audit.said.comment", { [key]: text(d[key])! }) : "";
  const action = entry.action;
  switch (action) {
    case "import":
      return t("audit.said.import", { version: String(d.version ?? 1), rules: String(d.rules ?? "?") });
    case "draft.replace": {
      // a save on an older revision, merged with the saves made since
      const others = names(d.mergedWith).map((actor) => actorName(actor, i18n));
      const merged = d.merged === true ? t("audit.said.draft.merged", { who: nameList(others, i18n) }) : "";
      return withParts(i18n, "audit.said.draft.replace", "audit.said.draft.same", draftParts(d, i18n)) + merged;
    }
    case "draft.reset": {
      // after a rollback: the draft made a published version's rules again
      const version = String(d.version ?? "?");
      const listed = draftParts(d, i18n).filter((p): p is string => p !== false);
      return listed.length === 0
        ? t("audit.said.draft.resetSame", { version })
        : t("audit.said.draft.reset", { version, parts: listed.join(t("audit.said.partSep")) });
    }
    case "test-cases.replace":
      // which test changed and how: an expectation rewritten reads before → after
      return withParts(
        i18n,
        "audit.said.test-cases.replace",
        "audit.said.test-cases.edited",
        testCaseChangeParts(d, i18n),
      );
    case "review.submit":
      return t("audit.said.review.submit") + note("note");
    case "review.approve":
      return t("audit.said.review.approve") + note("comment");
    case "review.reject":
      return t("audit.said.review.reject") + note("comment");
    case "publish":
      return t("audit.said.publish", { version: String(d.version ?? "?") }) + reviewedBy(d, i18n) + note("note");
    case "rollback":
      return (
        t(d.emergency === true ? "audit.said.rollback.emergency" : "audit.said.rollback", {
          from: String(d.rolledBackFrom ?? "?"),
          version: String(d.version ?? "?"),
        }) + (d.emergency === true ? "" : reviewedBy(d, i18n))
      );
    case "schedule": {
      const ends = text(d.endsAt) ? t("audit.said.until", { at: i18n.formatDateTime(text(d.endsAt)!) }) : "";
      const starts = text(d.startsAt) ? i18n.formatDateTime(text(d.startsAt)!) : "?";
      return t("audit.said.schedule", { version: String(d.version ?? "?"), at: starts }) + ends + note("note");
    }
    case "schedule.end":
      return typeof d.handedBackTo === "number"
        ? t("audit.said.schedule.endHandBack", { version: String(d.version ?? "?"), back: String(d.handedBackTo) })
        : t("audit.said.schedule.end", { version: String(d.version ?? "?") });
    case "schedule.start":
    case "schedule.cancel":
      return t(`audit.said.${action}`, { version: String(d.version ?? "?") });
    case "settings.four-eyes":
      return t(d.fourEyes === true ? "audit.said.fourEyesOn" : "audit.said.fourEyesOff");
    case "user.create":
      return text(d.displayName)
        ? t("audit.said.user.createNamed", { role: roleName(d.role, i18n), name: text(d.displayName)! })
        : t("audit.said.user.create", { role: roleName(d.role, i18n) });
    case "user.update": {
      const role = d.role as { from?: unknown; to?: unknown } | undefined;
      const disabled = d.disabled as { to?: unknown } | undefined;
      const displayName = d.displayName as { from?: unknown; to?: unknown } | undefined;
      const nameOrNone = (value: unknown) => text(value) ?? t("audit.said.noName");
      return withParts(i18n, "audit.said.user.update", "audit.said.user.updateBare", [
        role !== undefined && t("audit.said.role", { from: roleName(role.from, i18n), to: roleName(role.to, i18n) }),
        disabled !== undefined && t(disabled.to === true ? "audit.said.disabled" : "audit.said.enabled"),
        displayName !== undefined &&
          t("audit.said.displayName", { from: nameOrNone(displayName.from), to: nameOrNone(displayName.to) }),
      ]);
    }
    case "api-key.create":
    case "api-key.revoke":
      return t(`audit.said.${action}`, { name: text(d.name) ?? entry.entityKey });
    case "review.withdrawn":
    case "user.password-reset":
    case "user.password-change":
    case "password-change.failed":
    case "sign-in.failed":
      // the server shows the typed name (often a password) to admins only
      return t(entry.actor === hiddenSignInName ? "audit.said.sign-in.failed" : "audit.said.sign-in.failed.adminOnly");
    case "calendar.import":
    case "calendar.save":
    case "calendar.restore":
      // a year of the working-day calendar: the version made and its days counted
      return (
        t(`audit.said.${action}`, {
          version: String(d.version ?? "?"),
          from: String(d.restoredFrom ?? "?"),
          holidays: String(d.holidays ?? "?"),
          workdays: String(d.workdays ?? "?"),
        }) + note("note")
      );
    case "sign-in":
    case "sign-in.refused":
    case "sign-out":
      return t(`audit.said.${action}`);
    case "reply-template.import":
    case "reply-template.publish":
      return t(`audit.said.${action}`, { version: String(d.version ?? "?") });
    case "reply-template.restore":
      return t("audit.said.reply-template.restore", { version: String(d.version ?? "?") });
    case "reply-template.create":
    case "reply-template.save":
      return t(`audit.said.${action}`);
    default:
      return action;
  }
}

/** What a draft change added, removed and changed, as the parts of a sentence. */
function draftParts(d: Detail, i18n: Pick<I18n, "t">): (string | false)[] {
  const { t } = i18n;
  return [
    names(d.added).length > 0 && t("audit.said.rulesAdded", { names: nameList(names(d.added), i18n) }),
    names(d.removed).length > 0 && t("audit.said.rulesRemoved", { names: nameList(names(d.removed), i18n) }),
    names(d.changed).length > 0 && t("audit.said.rulesChanged", { names: nameList(names(d.changed), i18n) }),
    d.defaultsChanged === true && t("audit.said.defaultsChanged"),
    d.conditionsChanged === true && t("audit.said.conditionsChanged"),
    names(d.invariantsAdded).length > 0 &&
      t("invariants.auditAdded", { names: nameList(names(d.invariantsAdded), i18n) }),
    names(d.invariantsRemoved).length > 0 &&
      t("invariants.auditRemoved", { names: nameList(names(d.invariantsRemoved), i18n) }),
    names(d.invariantsChanged).length > 0 &&
      t("invariants.auditChanged", { names: nameList(names(d.invariantsChanged), i18n) }),
    d.decidedByRulesChanged === true && t("invariants.auditDecided"),
  ];
}

/** "，审核人 li" or "，未经应用内审核" after a publish or a rollback, from its `review` detail. */
function reviewedBy(d: Detail, i18n: Pick<I18n, "t">): string {
  const review = d.review;
  if (typeof review === "object" && review !== null && text((review as Detail).approvedBy)) {
    return i18n.t("audit.said.approvedBy", { name: actorName(String((review as Detail).approvedBy), i18n) });
  }
  return review === "unreviewed-in-app" ? i18n.t("audit.said.unreviewed") : "";
}

/**
 * Who acted: "王芳" for user:wangfang (the display name, else "wangfang"), "API 密钥 ci" for api-key:ci, "系统" for
 * the scheduler and start-up.
 */
export function actorName(actor: string, i18n: Pick<I18n, "t">): string {
  if (actor === "system") return i18n.t("audit.actor.system");
  if (actor === hiddenSignInName) return i18n.t("audit.actor.hidden");
  if (actor.startsWith("api-key:")) return i18n.t("audit.actor.apiKey", { name: actor.slice("api-key:".length) });
  // a failed sign-in records the name as typed, with no prefix: no one was signed in
  if (!actor.startsWith("user:")) return actor;
  return displayNameOf(actor) ?? actor.slice("user:".length);
}

/** What was acted on: the rule set's name, "用户 li", "API 密钥 ci". */
export function targetName(entry: AuditEntry, i18n: Pick<I18n, "t" | "ruleSetName">): string {
  switch (entry.entity) {
    case "rule-set":
      return i18n.ruleSetName(entry.entityKey, entry.entityKey);
    case "user":
      return i18n.t("audit.target.user", {
        name:
          entry.entityKey === hiddenSignInName
            ? i18n.t("audit.actor.hidden")
            : (displayNameOf(`user:${entry.entityKey}`) ?? entry.entityKey),
      });
    case "api-key":
      return i18n.t("audit.target.apiKey", { name: text(detailOf(entry).name) ?? entry.entityKey });
    default:
      return `${entry.entity} ${entry.entityKey}`;
  }
}

/** The client address the change came from, when one was recorded (not for scheduled changes). */
export const originOf = (entry: AuditEntry): string | undefined => text(detailOf(entry).from);

/**
 * The actor filter as typed to the exact actor the server stores: a display name means its user ("王芳" →
 * "user:wangfang"), a bare name a user ("li" → "user:li"); "api-key:…", "user:…" and "system" are kept.
 */
export function actorQuery(typed: string): string | undefined {
  const trimmed = typed.trim();
  if (trimmed === "") return undefined;
  if (trimmed === "system" || /^(user|api-key):/.test(trimmed)) return trimmed;
  return actorNamed(trimmed) ?? `user:${trimmed}`;
}

/** What the object field's text names: a rule set's key, the text itself (a user name, a key id), or several rule sets. */
export type ObjectQuery = { entityKey: string | undefined; ruleSet?: string } | { ambiguous: string[] };

const fold = (text: string) => text.trim().toLowerCase();

/**
 * The object filter as typed to the key the server stores: a rule set is found by its key or its name in either
 * language, whole or in part ("超时" and "超时规则" → timeouts, "Timeouts" too); text naming no rule set is kept as it is
 * (a user name, an API key's id), and text naming several is `ambiguous` with their keys. Only rule sets are looked
 * for when the object type is one (or any).
 */
export function objectQuery(typed: string, entity: string | undefined): ObjectQuery {
  const wanted = fold(typed);
  if (wanted === "") return { entityKey: undefined };
  if (entity !== undefined && entity !== "rule-set") return { entityKey: typed.trim() };
  const names = Object.entries(ruleSetLabels).map(([key, labels]) => ({
    key,
    texts: [key, labels.name.zh, labels.name.en].map(fold),
  }));
  const exact = names.find((candidate) => candidate.texts.includes(wanted));
  if (exact) return { entityKey: exact.key, ruleSet: exact.key };
  const partial = names.filter((candidate) => candidate.texts.some((text) => text.includes(wanted)));
  if (partial.length === 1) return { entityKey: partial[0]!.key, ruleSet: partial[0]!.key };
  if (partial.length > 1) return { ambiguous: partial.map((candidate) => candidate.key) };
  return { entityKey: typed.trim() };
}
