import { parse } from "tinyduration";
import type { Lang } from "./labels.ts";

/**
 * ISO 8601 durations as rules store them (`P7D`, `PT48H`): as elapsed milliseconds for the engine,
 * as a number and a unit for the editor's inputs, and in Chinese or English words for people.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const cache = new Map<string, number | null>();

/**
 * Milliseconds of elapsed time in an ISO 8601 duration (`P7D`, `PT48H`, `P1W2D`), or null when
 * it is not one or names years or months, which have no fixed length. A day is 24 hours: windows
 * are elapsed time, never calendar days (docs/domain.md).
 */
export function durationMs(text: string): number | null {
  const known = cache.get(text);
  if (known !== undefined) return known;
  let ms: number | null = null;
  try {
    const d = parse(text);
    if (!d.negative && !d.years && !d.months) {
      const hours = ((d.weeks ?? 0) * 7 + (d.days ?? 0)) * 24 + (d.hours ?? 0);
      ms = hours * HOUR_MS + (d.minutes ?? 0) * 60_000 + (d.seconds ?? 0) * 1000;
      if (!Number.isFinite(ms)) ms = null;
    }
  } catch {
    ms = null;
  }
  if (cache.size < 10_000) cache.set(text, ms);
  return ms;
}

/** Whether the text is a duration of elapsed time (see durationMs). */
export function isElapsedDuration(text: string): boolean {
  return durationMs(text) !== null;
}

/** The weeks, days, hours, minutes and seconds of an ISO duration, each as written (`1.5`), or undefined when absent. */
const FIELDS =
  /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export const durationUnits = ["days", "hours", "minutes"] as const;
export type DurationUnit = (typeof durationUnits)[number];
export type DurationParts = { amount: number; unit: DurationUnit };

const MINUTES: Record<DurationUnit, number> = { days: 1440, hours: 60, minutes: 1 };

/**
 * An ISO duration as one number in the smallest unit it is written in, so that it reads as the
 * policy says it: P7D → 7 days, PT48H → 48 hours, P1DT12H → 36 hours, P1W → 7 days. Undefined
 * when the inputs cannot show it (seconds, fractions, years, months): it then stays as text.
 */
export function parseDuration(iso: string): DurationParts | undefined {
  const match = FIELDS.exec(iso);
  if (!match || iso === "P" || iso.endsWith("T")) return undefined;
  const fields = match.slice(1);
  if (fields.some((n) => n?.includes(".")) || fields[4] !== undefined) return undefined;
  const [weeks, days, hours, minutes] = fields.map((n) => (n === undefined ? 0 : Number(n))) as [
    number,
    number,
    number,
    number,
  ];
  const total = ((weeks * 7 + days) * 24 + hours) * 60 + minutes;
  const unit: DurationUnit = match[4] !== undefined ? "minutes" : match[3] !== undefined ? "hours" : "days";
  return { amount: total / MINUTES[unit], unit };
}

/** 7 days → P7D, 48 hours → PT48H, 30 minutes → PT30M. */
export function formatDuration(parts: DurationParts): string {
  switch (parts.unit) {
    case "days":
      return `P${parts.amount}D`;
    case "hours":
      return `PT${parts.amount}H`;
    case "minutes":
      return `PT${parts.amount}M`;
  }
}

const unitWords: Record<Lang, readonly string[]> = {
  zh: ["周", "天", "小时", "分钟", "秒"],
  en: ["week", "day", "hour", "minute", "second"],
};

/** An ISO duration in words, each field as written: P7D → "7 天" / "7 days", PT48H → "48 小时" / "48 hours"; other text as it is. */
export function durationWords(duration: string, lang: Lang): string {
  const match = FIELDS.exec(duration);
  if (!match) return duration;
  const zh = lang === "zh";
  const units = unitWords[lang];
  const parts = match
    .slice(1)
    .map((n, i) => (n === undefined ? "" : zh ? `${n} ${units[i]}` : `${n} ${units[i]}${n === "1" ? "" : "s"}`))
    .filter(Boolean);
  return parts.length === 0 ? (zh ? "0 天" : "0 days") : parts.join(" ");
}

/** Elapsed milliseconds (what `elapsed.*` facts hold) in words, to the minute: "1 天 1 小时"; under a minute in seconds; negative with "−". */
export function elapsedWords(ms: number, lang: Lang): string {
  if (ms < 0) return `−${elapsedWords(-ms, lang)}`;
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / 60_000);
  if (days === 0 && hours === 0 && minutes === 0) return durationWords(`PT${Math.floor(ms / 1000)}S`, lang);
  const time = (hours ? `${hours}H` : "") + (minutes ? `${minutes}M` : "");
  return durationWords(`P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`, lang);
}
