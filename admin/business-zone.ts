import { createSignal } from "solid-js";
import { DEFAULT_BUSINESS_TIME_ZONE, formatInZone, offsetText, toZonedIso } from "../shared/business-time.ts";
import type { Lang } from "../shared/labels.ts";
import { api, call } from "./api.ts";

/**
 * The business time zone the service runs in (`BUSINESS_TIME_ZONE`) and its clock, loaded once at start from
 * `GET /api/v1/settings`: every time the admin shows or takes is that zone's wall clock, never the browser's.
 */
const [zone, setZone] = createSignal(DEFAULT_BUSINESS_TIME_ZONE);
// the service's clock minus the browser's, so that "now" is the service's even on a PC whose clock is off
let skewMs = 0;
const [tick, setTick] = createSignal(Date.now());
let ticking: ReturnType<typeof setInterval> | undefined;

/** The business time zone (an IANA name); Asia/Shanghai until the settings are loaded. */
export const businessZone = zone;

/** The service's current time; reactive, moving every 30 s, so that "upcoming" turns "current" on screen. */
export function businessNow(): Date {
  return new Date(tick() + skewMs);
}

/** Loads the zone and the clock; the shell shows nothing with a time until it has. */
export async function loadBusinessSettings(): Promise<string> {
  const settings = await call(api.settings.$get());
  setZone(settings.businessTimeZone);
  skewMs = Date.parse(settings.now) - Date.now();
  setTick(Date.now());
  if (ticking === undefined) ticking = setInterval(() => setTick(Date.now()), 30_000);
  return settings.businessTimeZone;
}

/** For component tests: another zone and clock, as the settings would set them. */
export function setBusinessSettings(next: { zone: string; now?: Date }): void {
  setZone(next.zone);
  skewMs = next.now ? next.now.getTime() - Date.now() : 0;
  setTick(Date.now());
}

const names: Record<string, Record<Lang, string>> = {
  "Asia/Shanghai": { zh: "北京时间", en: "Beijing time" },
  UTC: { zh: "UTC", en: "UTC" },
};

/** The zone as a person names it: 北京时间 / Beijing time, else the runtime's name for it (北美东部时间). */
export function zoneName(lang: Lang, name = zone()): string {
  const known = names[name]?.[lang];
  if (known) return known;
  const parts = new Intl.DateTimeFormat(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: name,
    timeZoneName: "longGeneric",
  }).formatToParts(Date.now());
  return parts.find((part) => part.type === "timeZoneName")?.value ?? name;
}

/** The zone's IANA name and its offset now, for a tooltip: "Asia/Shanghai, UTC+08:00". */
export function zoneDetail(name = zone()): string {
  return `${name}, UTC${offsetText(Date.now(), name)}`;
}

/** An instant as the business zone's wall clock, `2026-11-11 00:00` (seconds on request). */
export function formatBusinessTime(instant: string | Date, options: { seconds?: boolean } = {}): string {
  return formatInZone(instant, zone(), options);
}

/** An instant as ISO 8601 with the business zone's offset, to the second: `2026-11-11T00:00:00+08:00`. */
export function businessIso(instant: Date): string {
  return toZonedIso(instant, zone());
}
