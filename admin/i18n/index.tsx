import { createContext, createSignal, useContext, type ParentProps } from "solid-js";
import type { Label } from "../../shared/fact-catalog.ts";
import { formatBusinessTime } from "../business-zone.ts";
import { fieldLabels, labelOf, ruleSetLabels, timerLabels, valueLabels, type Lang } from "../../shared/labels.ts";
import * as analysis from "./analysis.ts";
import * as calendar from "./calendar.ts";
import * as common from "./common.ts";
import * as editor from "./editor.ts";
import * as tests from "./tests.ts";
import * as versions from "./versions.ts";
import * as governance from "./governance.ts";
import * as impact from "./impact.ts";
import * as invariants from "./invariants.ts";
import * as logs from "./logs.ts";
import * as merge from "./merge.ts";
import * as people from "./people.ts";
import * as problems from "./problems.ts";
import * as provenance from "./provenance.ts";
import * as stats from "./stats.ts";
import * as templates from "./templates.ts";
import * as time from "./time.ts";

/**
 * Every string of the admin, Chinese first. Each screen area keeps its own dictionary file
 * (`common.ts`, `editor.ts`, …) whose English half must have exactly the Chinese half's keys.
 */
const dictionaries = {
  zh: {
    ...common.zh,
    ...editor.zh,
    ...tests.zh,
    ...versions.zh,
    ...governance.zh,
    ...logs.zh,
    ...problems.zh,
    ...provenance.zh,
    ...time.zh,
    ...merge.zh,
    ...people.zh,
    ...analysis.zh,
    ...stats.zh,
    ...impact.zh,
    ...invariants.zh,
    ...templates.zh,
    ...calendar.zh,
  },
  en: {
    ...common.en,
    ...editor.en,
    ...tests.en,
    ...versions.en,
    ...governance.en,
    ...logs.en,
    ...problems.en,
    ...provenance.en,
    ...time.en,
    ...merge.en,
    ...people.en,
    ...analysis.en,
    ...stats.en,
    ...impact.en,
    ...invariants.en,
    ...templates.en,
    ...calendar.en,
  },
};
export type MessageKey = keyof (typeof dictionaries)["zh"];

const STORAGE_KEY = "asr.lang";

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === "zh" || saved === "en") return saved;
  } catch {
    // storage unavailable: fall back to Chinese
  }
  return "zh";
}

function makeI18n() {
  const [lang, setLangSignal] = createSignal<Lang>(initialLang());
  const setLang = (next: Lang) => {
    setLangSignal(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered, still switched
    }
    document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  };
  document.documentElement.lang = lang() === "zh" ? "zh-CN" : "en";
  /** The message in the current language, `{name}` placeholders filled from `vars`. */
  const t = (key: MessageKey, vars: Record<string, string | number> = {}) =>
    (dictionaries[lang()][key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
  const label = (l: Label | undefined, fallback = "") => (l ? l[lang()] : fallback);
  // reply templates are data: a rule naming one shows its title, once the published ones are known
  const [replyTitles, setReplyTitles] = createSignal<ReadonlyMap<string, string>>(new Map());
  const learnReplyTitles = (templates: readonly { key: string; title: string }[]) =>
    setReplyTitles(new Map(templates.map((template) => [template.key, template.title])));
  const value = (v: string) => valueLabels[v]?.[lang()] ?? replyTitles().get(v) ?? v;
  const field = (f: string) => labelOf(fieldLabels, f, lang());
  const timer = (k: string) => labelOf(timerLabels, k, lang());
  /** A shipped rule set's name and description in the current language; others as stored. */
  const ruleSetName = (key: string, stored: string) => ruleSetLabels[key]?.name[lang()] ?? stored;
  const ruleSetDescription = (key: string, stored: string) => ruleSetLabels[key]?.description[lang()] ?? stored;
  /** A moment as the business time zone's wall clock, `2026-11-11 00:00`, in every language and browser zone. */
  const formatDateTime = (iso: string) => formatBusinessTime(iso);
  return {
    lang,
    setLang,
    t,
    label,
    value,
    learnReplyTitles,
    field,
    timer,
    ruleSetName,
    ruleSetDescription,
    formatDateTime,
  };
}

export type I18n = ReturnType<typeof makeI18n>;
const I18nContext = createContext<I18n>();

export function I18nProvider(props: ParentProps) {
  return <I18nContext.Provider value={makeI18n()}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}
