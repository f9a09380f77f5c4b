import { z } from "zod";
import { CaseFacts, type CaseFactsInput } from "../../../shared/case-facts.ts";
import { joinPath, splitPath } from "../../../shared/dotted-path.ts";
import type { ShownProblem } from "../../ui/problem-text.ts";
import { findFact } from "../../../shared/fact-catalog.ts";
import type { I18n, MessageKey } from "../../i18n/index.tsx";
import { businessIso, businessNow } from "../../business-zone.ts";

/**
 * The case form is drawn from the case schema itself (shared/case-facts.ts, seen through its JSON
 * Schema): which fields exist, in what order, their enums and defaults. A field added to the
 * schema appears in the form without touching it; only labels may be missing.
 */
export type JsonSchema = {
  type?: string;
  enum?: string[];
  default?: unknown;
  format?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
};

export const caseSchema = z.toJSONSchema(CaseFacts, { io: "input", unrepresentable: "any" }) as JsonSchema;

export type Path = readonly (string | number)[];
export type Widget = "enum" | "boolean" | "money" | "integer" | "datetime" | "text" | "list" | "group";

/** The input a field gets: amounts (`…Fen`) are typed in yuan, timestamps with a date picker. */
export function widgetOf(key: string, schema: JsonSchema): Widget {
  if (schema.enum) return "enum";
  if (schema.type === "boolean") return "boolean";
  if (schema.type === "integer" || schema.type === "number") return key.endsWith("Fen") ? "money" : "integer";
  if (schema.type === "string" && schema.format === "date-time") return "datetime";
  if (schema.type === "array") return "list";
  if (schema.type === "object") return "group";
  return "text";
}

/** "order.items.*.priceFen": one pattern for every row of a list. */
const patternOf = (path: Path) => joinPath(path.map((part) => (typeof part === "number" ? "*" : part)));

/** What an absent field means when the schema states it in words rather than as a default. */
const absentMeans: Record<string, unknown> = {
  // S16: an item supports seven-day returns unless flagged otherwise
  "order.items.*.sevenDayReturn": true,
};

export function defaultOf(path: Path, schema: JsonSchema): unknown {
  return schema.default ?? absentMeans[patternOf(path)];
}

const ownLabels: Record<string, MessageKey> = {
  now: "case.now",
  order: "case.order",
  refund: "case.refund",
  shipping: "case.shipping",
  claim: "case.claim",
  problem: "case.problem",
  "order.id": "case.order.id",
  "order.items": "case.order.items",
  "order.items.*": "case.item",
  "order.items.*.id": "case.item.id",
  "order.items.*.priceFen": "case.item.priceFen",
  "order.items.*.quantity": "case.item.quantity",
  "order.items.*.sevenDayReturn": "case.item.sevenDayReturn",
  "order.promotions": "case.order.promotions",
  "order.promotions.*": "case.promotion",
  "order.promotions.*.kind": "case.promotion.kind",
  "order.promotions.*.amountFen": "case.promotion.amountFen",
  "order.shippedAt": "case.order.shippedAt",
  "order.deliveredAt": "case.order.deliveredAt",
  "order.completedAt": "case.order.completedAt",
  "refund.items": "case.refund.items",
  "refund.items.*": "case.refundItem",
  "refund.items.*.id": "case.item.id",
  "refund.items.*.quantity": "case.refundItem.quantity",
  "refund.appliedAt": "case.refund.appliedAt",
  "refund.stateSince": "case.refund.stateSince",
};

/** A field's label: the fact catalog's when rules read it, the form's own otherwise, the path last. */
export function fieldLabel(path: Path, i18n: Pick<I18n, "t" | "label">): string {
  const pattern = patternOf(path);
  const own = ownLabels[pattern];
  if (own) return i18n.t(own);
  const [fact, ...rest] = path;
  const entry = rest.length === 1 ? findFact(String(fact), String(rest[0])) : undefined;
  return entry ? i18n.label(entry.label) : pattern;
}

/** A server error path in words: "order.items.0.priceFen" → "订单 › 商品 1 › 单价". */
export function pathWords(key: string, i18n: Pick<I18n, "t" | "label">): string {
  const parts = splitPath(key).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const words: string[] = [];
  parts.forEach((part, index) => {
    const prefix = parts.slice(0, index + 1);
    if (typeof part === "number") words[words.length - 1] = `${fieldLabel(prefix, i18n)} ${part + 1}`;
    else words.push(fieldLabel(prefix, i18n));
  });
  return words.join(" › ");
}

export function getAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A copy of `root` with the value at `path` replaced; `undefined` removes the field. */
export function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = root !== null && typeof root === "object" ? root : typeof head === "number" ? [] : {};
  const child = setAt((container as Record<string | number, unknown>)[head], rest, value);
  if (Array.isArray(container)) {
    const copy = [...container];
    if (child === undefined && rest.length === 0) copy.splice(Number(head), 1);
    else copy[Number(head)] = child;
    return copy;
  }
  const copy: Record<string, unknown> = { ...(container as Record<string, unknown>) };
  if (child === undefined) delete copy[head];
  else copy[head] = child;
  return copy;
}

/** Errors of the server (paths from the facts' root) for one field. */
export function errorsAt(
  errors: readonly ShownProblem[] | undefined,
  key: string,
  text: (problem: ShownProblem) => string = (e) => e.message,
): string[] {
  return (errors ?? []).filter((e) => e.path === key).map(text);
}

/** Item ids as shops write them in examples: A, B, … Z, A1, B1, … */
const itemId = (n: number) => String.fromCharCode(65 + (n % 26)) + (n >= 26 ? String(Math.floor(n / 26)) : "");

/** A new row for a list: the next free item id, one of it, supporting seven-day returns. */
export function newRow(listKey: string, rows: readonly unknown[]): unknown {
  if (listKey === "order.items") {
    const taken = new Set(rows.map((row) => (row as { id?: unknown } | null)?.id));
    let n = 0;
    while (taken.has(itemId(n))) n++;
    return { id: itemId(n), priceFen: 0, quantity: 1, sevenDayReturn: true };
  }
  if (listKey === "order.promotions") return { kind: "shop_coupon", amountFen: 0 };
  return {};
}

const HOUR = 3_600_000;

/** A delivered order of one ¥100 item, returned within seven days: a case worth starting from. */
export function defaultCase(now = businessNow()): CaseFactsInput {
  const at = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const before = (hours: number) => businessIso(new Date(at.getTime() - hours * HOUR));
  return {
    now: businessIso(at),
    order: {
      status: "delivered",
      productType: "physical",
      freeShipping: false,
      shippingFeeFen: 0,
      items: [{ id: "A", priceFen: 10000, quantity: 1, sevenDayReturn: true }],
      promotions: [],
      paidFen: 10000,
      refundedFen: 0,
      shippedAt: before(72),
      deliveredAt: before(24),
    },
    refund: {
      goodsReceived: true,
      returnGoods: true,
      reason: "no_reason_7d",
      state: "waiting_seller",
      appliedAt: before(1),
      stateSince: before(1),
    },
    shipping: {
      deliveryRefused: false,
      freightCollect: false,
      sellerConsentsFreightCollect: false,
      sellerAgreedToPayReturn: false,
    },
    claim: { used: false },
  };
}
