import type { TemplateSummary } from "../shared/reply-templates.ts";
import { api, call } from "./api.ts";

/** Asked at most once in this long: the many places that name a template share one answer. */
const ASK_AGAIN_AFTER_MS = 5_000;
let asked: { atMs: number; templates: Promise<TemplateSummary[]> } | undefined;

/** The reply templates a rule may name: those with a published version. */
export function publishedTemplates(): Promise<TemplateSummary[]> {
  if (asked === undefined || Date.now() - asked.atMs > ASK_AGAIN_AFTER_MS) {
    const templates = call(api["reply-templates"].$get()).then(
      (body) => (body.templates as TemplateSummary[]).filter((template) => template.publishedVersion !== null),
      // offline or not allowed: keys show as they are, and a select keeps the value it has
      () => [],
    );
    asked = { atMs: Date.now(), templates };
  }
  return asked.templates;
}
