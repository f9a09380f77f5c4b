import { z } from "zod";
import type { Label } from "./fact-catalog.ts";
import type { Lang } from "./labels.ts";

// Reply templates (S19's customer-service scripts): Chinese and English text with named placeholders, versioned like
// rules. Request and response bodies of /api/v1/reply-templates and /api/v1/replies/render, and the one parser the
// service, the render endpoint and the admin's inline check and live preview share.

/**
 * The closed list of placeholders a template may use, each with its label and a sample value per language (the admin's
 * palette and preview). `compensation` is filled from a playbook decision's `compensationFen` when rendering one.
 */
export const placeholders = {
  orderNo: { label: { zh: "订单号", en: "Order number" }, sample: { zh: "20261111123456", en: "20261111123456" } },
  item: {
    label: { zh: "商品", en: "Item" },
    sample: { zh: "2026新款连衣裙 黑色L码", en: "2026 dress, black, size L" },
  },
  carrier: { label: { zh: "快递公司", en: "Carrier" }, sample: { zh: "顺丰速运", en: "SF Express" } },
  trackingNo: { label: { zh: "快递单号", en: "Tracking number" }, sample: { zh: "SF1234567890", en: "SF1234567890" } },
  fromCity: { label: { zh: "发货城市", en: "Shipped from" }, sample: { zh: "杭州", en: "Hangzhou" } },
  toCity: { label: { zh: "收货城市", en: "Delivered to" }, sample: { zh: "成都", en: "Chengdu" } },
  days: { label: { zh: "天数", en: "Days" }, sample: { zh: "3", en: "3" } },
  compensation: { label: { zh: "补偿金额", en: "Compensation" }, sample: { zh: "10元", en: "¥10" } },
} as const satisfies Record<string, { label: Label; sample: Label }>;

export type PlaceholderName = keyof typeof placeholders;
export const placeholderNames = Object.keys(placeholders) as [PlaceholderName, ...PlaceholderName[]];

export function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(placeholders, name);
}

export const templateLanguages = ["zh", "en"] as const;
export const TemplateLanguage = z.enum(templateLanguages);

/** Characters a template's text may have at most, per language. */
export const MAX_TEMPLATE_TEXT = 2000;
/** Templates a database may hold at most: a reply library, not a store of messages. */
export const MAX_TEMPLATES = 200;
/** Characters a variable's value may have at most when rendering. */
export const MAX_VARIABLE_TEXT = 200;

export const TemplateKey = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, "snake_case: lower-case letters and digits joined by _")
  .meta({ example: "late_delivery" });

/**
 * The fields of a rule set kind's decision that name a reply template: those typed `TemplateKey` (service-playbook's
 * `template`). A publish checks that each names a published template, and the editor offers the templates by title.
 */
export function templateFields(decision: z.ZodObject): string[] {
  return Object.entries(decision.shape as Record<string, z.ZodType>)
    .filter(([, declared]) => (declared instanceof z.ZodOptional ? declared.unwrap() : declared) === TemplateKey)
    .map(([name]) => name);
}

const TemplateText = z.string().max(MAX_TEMPLATE_TEXT);
const Title = z.string().trim().min(1).max(100);

/** The draft as an editor saves it: on the draft's current `revision` (0 creates a new template). */
export const TemplateDraftInput = z.strictObject({
  revision: z.number().int().min(0),
  title: Title,
  zh: TemplateText.min(1),
  en: TemplateText.min(1),
});
export type TemplateDraftInput = z.input<typeof TemplateDraftInput>;

export const TemplatePublishInput = z.strictObject({
  revision: z.number().int().min(1),
  note: z.string().max(500).optional(),
});
export const TemplateRestoreInput = z.strictObject({
  version: z.number().int().min(1),
  revision: z.number().int().min(1),
});

const TemplateContent = z.object({ title: z.string(), zh: z.string(), en: z.string() });

export const TemplateVersion = TemplateContent.extend({
  version: z.number().int(),
  note: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  /** The version whose text this one was restored from, when its draft was a restore. */
  restoredFrom: z.number().int().nullable(),
}).meta({ id: "ReplyTemplateVersion" });
export type TemplateVersion = z.infer<typeof TemplateVersion>;

export const TemplateDetail = z
  .object({
    key: z.string(),
    draft: TemplateContent.extend({ revision: z.number().int(), updatedAt: z.string(), updatedBy: z.string() }),
    /** The version renders use; null until the first publish. */
    published: TemplateVersion.nullable(),
    /** Whether the draft differs from the published version. */
    changed: z.boolean(),
  })
  .meta({ id: "ReplyTemplate" });
export type TemplateDetail = z.infer<typeof TemplateDetail>;

export const TemplateSummary = z.object({
  key: z.string(),
  title: z.string(),
  publishedVersion: z.number().int().nullable(),
  changed: z.boolean(),
  draftUpdatedAt: z.string(),
  draftUpdatedBy: z.string(),
});
export type TemplateSummary = z.infer<typeof TemplateSummary>;

/** The value of one placeholder: text or a number, inserted as plain text. */
const VariableValue = z.union([z.string().max(MAX_VARIABLE_TEXT), z.number().finite()]);

/** A service-playbook decision, or the whole decision response around one: what matters is `template`. */
const PlaybookDecision = z.looseObject({ template: TemplateKey, compensationFen: z.number().int().min(0).optional() });

export const RenderInput = z
  .strictObject({
    template: TemplateKey.optional(),
    decision: z.union([PlaybookDecision, z.looseObject({ decision: PlaybookDecision })]).optional(),
    variables: z.partialRecord(z.enum(placeholderNames), VariableValue).default({}),
    language: TemplateLanguage,
    /** A published version; absent: the latest published. */
    version: z.number().int().min(1).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.template === undefined && input.decision === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["template"],
        params: { code: "one_required", fields: ["template", "decision"] },
        message: "send template or decision",
      });
    if (input.template !== undefined && input.decision !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["decision"],
        params: { code: "not_combinable", other: "template" },
        message: "send template or decision, not both",
      });
  });
export type RenderInput = z.input<typeof RenderInput>;

export const RenderResult = z
  .object({ text: z.string(), template: z.string(), version: z.number().int(), language: TemplateLanguage })
  .meta({ id: "RenderedReply" });
export type RenderResult = z.infer<typeof RenderResult>;

/** A piece of a template: text (`{{` and `}}` read as one brace), a placeholder, or a `{name}` not in the list, as written. */
export type TemplatePart = { text: string } | { placeholder: PlaceholderName } | { unknown: string };

/** What is wrong with a template's text: a placeholder not in the list, or a brace without its pair. */
export type TemplateFlaw =
  | { kind: "unknown_placeholder"; name: string; position: number }
  | { kind: "unbalanced_braces"; position: number };

/**
 * A template's text as parts, and its flaws. `{name}` is a placeholder, and `{{` and `}}` write a brace itself; any
 * other `{` without its `}` (or `}` without its `{`) is a flaw, at the character it stands at (0-based). A text that
 * could be saved before `{{` meant a brace had none (two `{` in a row were a flaw), so no saved text changed meaning.
 */
export function parseTemplate(text: string): { parts: TemplatePart[]; flaws: TemplateFlaw[] } {
  const parts: TemplatePart[] = [];
  const flaws: TemplateFlaw[] = [];
  let plain = "";
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf("{", at);
    const stray = text.indexOf("}", at);
    const brace = open === -1 ? stray : stray === -1 ? open : Math.min(open, stray);
    if (brace !== -1 && text[brace + 1] === text[brace]) {
      plain += text.slice(at, brace + 1);
      at = brace + 2;
      continue;
    }
    if (stray !== -1 && (open === -1 || stray < open)) {
      flaws.push({ kind: "unbalanced_braces", position: stray });
      plain += text.slice(at, stray + 1);
      at = stray + 1;
      continue;
    }
    if (open === -1) break;
    const close = text.indexOf("}", open + 1);
    const nextOpen = text.indexOf("{", open + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      flaws.push({ kind: "unbalanced_braces", position: open });
      plain += text.slice(at, open + 1);
      at = open + 1;
      continue;
    }
    plain += text.slice(at, open);
    if (plain !== "") parts.push({ text: plain });
    plain = "";
    const name = text.slice(open + 1, close);
    if (isPlaceholderName(name)) parts.push({ placeholder: name });
    else {
      flaws.push({ kind: "unknown_placeholder", name: name.slice(0, 60), position: open });
      parts.push({ unknown: text.slice(open, close + 1) });
    }
    at = close + 1;
  }
  plain += text.slice(at);
  if (plain !== "") parts.push({ text: plain });
  return { parts, flaws };
}

/** The placeholders a template's text uses, each once, in the order they first appear. */
export function placeholdersOf(text: string): PlaceholderName[] {
  const names = parseTemplate(text).parts.flatMap((part) => ("placeholder" in part ? [part.placeholder] : []));
  return [...new Set(names)];
}

/**
 * The text with each placeholder replaced by its value, in one pass: a value is inserted as it is and never read as a
 * template itself. A placeholder without a value is left as written (the render endpoint refuses those first).
 */
export function fillTemplate(text: string, values: Partial<Record<PlaceholderName, string | number>>): string {
  return parseTemplate(text)
    .parts.map((part) => {
      if ("text" in part) return part.text;
      if ("unknown" in part) return part.unknown;
      const value = values[part.placeholder];
      return value === undefined ? `{${part.placeholder}}` : String(value);
    })
    .join("");
}

/** The sample values of every placeholder in `lang`, for a preview. */
export function sampleValues(lang: Lang): Record<PlaceholderName, string> {
  return Object.fromEntries(placeholderNames.map((name) => [name, placeholders[name].sample[lang]])) as Record<
    PlaceholderName,
    string
  >;
}

/** A compensation in fen as a customer reads it: "10元" in Chinese, "¥10" in English, fen shown only when there are some. */
export function compensationText(fen: number, lang: Lang): string {
  const yuan = fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2);
  return lang === "zh" ? `${yuan}元` : `¥${yuan}`;
}
