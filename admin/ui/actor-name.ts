import type { I18n } from "../i18n/index.tsx";

/** Who did something, for people: "user:li.lei" → "li.lei", "api-key:ci" → "API 密钥 ci", "system" → "系统". */
export function actorName(actor: string | null | undefined, t: I18n["t"]): string {
  if (!actor) return "";
  if (actor === "system") return t("who.system");
  if (actor.startsWith("api-key:")) return t("who.apiKey", { name: actor.slice("api-key:".length) });
  return actor.startsWith("user:") ? actor.slice("user:".length) : actor;
}
