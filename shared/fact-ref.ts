import type { FactReference } from "./rules.ts";

/**
 * A fact + path as conditions name it (`{ fact: "order", path: "paidFen" }`), as one key
 * (`order.paidFen`, what the catalog and the editor's fact picker go by), and as a condition's
 * value that compares with another fact rather than a constant (`value: { fact, path }`).
 */

/** `order` + `paidFen` → `order.paidFen`; a fact without a path, or with an empty one, is its own key. */
export function factKey(fact: string, path: string | undefined): string {
  return path === undefined || path === "" ? fact : `${fact}.${path}`;
}

/** Whether a condition's value is a well-formed reference to a fact: an object (not a list) whose `fact` is text. */
export function isFactReference(value: unknown): value is FactReference {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { fact?: unknown }).fact === "string"
  );
}

/**
 * Whether json-rules-engine reads a condition's value as a fact reference, which the engine must
 * follow exactly: any object with an own `fact`, whatever else it holds (Almanac.getValue).
 */
export function readsAsFactReference(value: unknown): value is FactReference {
  return typeof value === "object" && value !== null && Object.hasOwn(value, "fact");
}
