import { createSignal } from "solid-js";
import { api } from "../api.ts";
import type { I18n } from "../i18n/index.tsx";

/**
 * The people's display names by actor (`user:wangfang` → 王芳), from `GET /api/v1/actors`: everyone who may read rules
 * gets them, so a viewer's history says 王芳 without listing the users. Loaded the first time an actor is shown and
 * again when a minute old; until then, and for users without one, the username shows.
 */
const [names, setNames] = createSignal<Readonly<Record<string, string>>>({});
const FRESH_MS = 60_000;
let loadedAt = Number.NEGATIVE_INFINITY;
let loading: Promise<void> | undefined;

/** Loads the display names now (the users page calls it after a change); a failed load keeps the names known. */
export function loadActorNames(): Promise<void> {
  loading ??= (async () => {
    try {
      // not through call(): a 401 here (signed out meanwhile) must not send the user to sign in a second time
      const response = await api.actors.$get();
      if (response.ok) setNames((await response.json()).actors);
    } catch {
      // offline: the usernames show until the next load
    } finally {
      loadedAt = Date.now();
      loading = undefined;
    }
  })();
  return loading;
}

/** For component tests and right after a change: the names as the server would answer them. */
export function setActorNames(next: Readonly<Record<string, string>>): void {
  setNames(next);
  loadedAt = Date.now();
}

/** The names known now; reactive, loading them when a minute old. */
function freshNames(): Readonly<Record<string, string>> {
  if (loading === undefined && Date.now() - loadedAt > FRESH_MS) void loadActorNames();
  return names();
}

/** The display name of `actor` (`user:wangfang`), when it has one. */
export function displayNameOf(actor: string): string | undefined {
  return freshNames()[actor];
}

/**
 * Who did something, for people: "user:wangfang" → "王芳" (its display name, else "wangfang"), "api-key:ci" →
 * "API 密钥 ci", "system" → "系统".
 */
export function actorName(actor: string | null | undefined, t: I18n["t"]): string {
  if (!actor) return "";
  if (actor === "system") return t("who.system");
  if (actor.startsWith("api-key:")) return t("who.apiKey", { name: actor.slice("api-key:".length) });
  return displayNameOf(actor) ?? (actor.startsWith("user:") ? actor.slice("user:".length) : actor);
}

/** The actor whose display name is `name` (王芳 → user:wangfang), ignoring case; none when no one or several bear it. */
export function actorNamed(name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  const bearers = Object.entries(freshNames()).filter(([, shown]) => shown.trim().toLowerCase() === wanted);
  return bearers.length === 1 ? bearers[0]![0] : undefined;
}
