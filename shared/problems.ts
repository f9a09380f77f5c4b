import { z } from "zod";

/**
 * The closed list of problem codes: the code is the contract a caller branches on, the title its English rendering.
 * `slug` ends the problem's `type` URI, kept as it was before codes existed so callers branching on it keep working.
 */
export const problemCodes = {
  invalid_json: { status: 400, title: "Bad request", slug: "bad-request" },
  bad_request: { status: 400, title: "Bad request", slug: "bad-request" },
  unauthenticated: { status: 401, title: "Unauthorized", slug: "unauthorized" },
  forbidden: { status: 403, title: "Forbidden", slug: "forbidden" },
  not_found: { status: 404, title: "Not found", slug: "not-found" },
  method_not_allowed: { status: 405, title: "Method not allowed", slug: "method-not-allowed" },
  conflict: { status: 409, title: "Conflict", slug: "conflict" },
  review_required: { status: 409, title: "Review required", slug: "review-required" },
  payload_too_large: { status: 413, title: "Payload too large", slug: "payload-too-large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type", slug: "unsupported-media-type" },
  invalid: { status: 422, title: "Unprocessable content", slug: "invalid" },
  invariant_broken: { status: 422, title: "Invariant broken", slug: "invariant-broken" },
  rate_limited: { status: 429, title: "Too many requests", slug: "too-many-requests" },
  internal: { status: 500, title: "Internal error", slug: "internal" },
  unavailable: { status: 503, title: "Service unavailable", slug: "unavailable" },
} as const satisfies Record<string, { status: number; title: string; slug: string }>;

export type ProblemCode = keyof typeof problemCodes;
export const ProblemCode = z.enum(Object.keys(problemCodes) as [ProblemCode, ...ProblemCode[]]);

/** The `type` URI of a problem code: stable, and the same as before `code` was added. */
export function problemType(code: ProblemCode): string {
  return `https://aftersales-rules.dev/problems/${problemCodes[code].slug}`;
}

/**
 * The closed list of field problem codes, each with the params it carries: a client renders `code` + `params` in its
 * own language, and the English `message` beside them is one such rendering.
 */
export const fieldCodes = {
  // what zod reports about a value's shape
  invalid_type: ["expected"],
  too_small: ["minimum", "origin", "inclusive"],
  too_big: ["maximum", "origin", "inclusive"],
  invalid_value: ["values"],
  invalid_format: ["format"],
  not_multiple_of: ["divisor"],
  unrecognized_keys: ["keys"],
  invalid_union: [],
  invalid_key: [],
  invalid_element: [],
  custom: [],
  // the body as JSON
  nested_too_deep: ["maximum"],
  reserved_key: ["key"],
  // a rule set's content
  duplicate_name: ["name", "first"],
  unknown_condition: ["name"],
  condition_cycle: ["cycle"],
  too_deep: ["maximum", "depth"],
  too_large: ["maximum", "count"],
  unknown_fact: ["fact", "facts"],
  unknown_path: ["fact", "path", "paths"],
  operator_mismatch: ["operator", "fact", "type", "operators"],
  not_comparable: ["fact", "type", "other", "otherType"],
  empty_list: ["operator", "values"],
  not_in_enum: ["value", "values"],
  not_boolean: ["fact"],
  not_money: ["fact"],
  not_whole_number: ["fact"],
  not_duration: ["fact"],
  unknown_field: ["field", "fields"],
  test_case_fails: ["mismatches"],
  // a case
  moment_after_now: ["now", "minutes"],
  year_out_of_range: ["minimum", "maximum"],
  order_too_expensive: ["maximum"],
  duplicate_id: ["id"],
  unknown_item: ["id"],
  refund_exceeds_order: ["id", "requested", "ordered"],
  // requests
  not_combinable: ["other"],
  ends_before_start: [],
  not_in_future: [],
  unknown_rule_set: ["key"],
} as const satisfies Record<string, readonly string[]>;

export type FieldCode = keyof typeof fieldCodes;
export const FieldCode = z.enum(Object.keys(fieldCodes) as [FieldCode, ...FieldCode[]]);

export function isFieldCode(value: unknown): value is FieldCode {
  return typeof value === "string" && Object.hasOwn(fieldCodes, value);
}

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === "string" && Object.hasOwn(problemCodes, value);
}
