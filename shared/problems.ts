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
  request_timeout: { status: 408, title: "Request timeout", slug: "request-timeout" },
  conflict: { status: 409, title: "Conflict", slug: "conflict" },
  review_required: { status: 409, title: "Review required", slug: "review-required" },
  payload_too_large: { status: 413, title: "Payload too large", slug: "payload-too-large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type", slug: "unsupported-media-type" },
  invalid: { status: 422, title: "Unprocessable content", slug: "invalid" },
  invariant_broken: { status: 422, title: "Invariant broken", slug: "invariant-broken" },
  unknown_placeholder: { status: 422, title: "Unknown placeholder", slug: "unknown-placeholder" },
  missing_variables: { status: 422, title: "Missing variables", slug: "missing-variables" },
  rate_limited: { status: 429, title: "Too many requests", slug: "too-many-requests" },
  headers_too_large: { status: 431, title: "Request header fields too large", slug: "headers-too-large" },
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
 * The closed list of field problem codes, each with the names of the params it may carry: a client renders `code` + `params` in its
 * own language, and the English `message` beside them is one such rendering.
 */
export const fieldCodes = {
  // what zod reports about a value's shape
  invalid_type: ["expected"],
  too_small: ["minimum", "origin", "inclusive"],
  too_big: ["maximum", "origin", "inclusive"],
  invalid_value: ["values"],
  invalid_format: ["format", "pattern"],
  not_multiple_of: ["divisor"],
  unrecognized_keys: ["keys"],
  invalid_union: [],
  invalid_key: [],
  invalid_element: [],
  custom: [],
  // the body as JSON
  nested_too_deep: ["maximum"],
  reserved_key: ["key"],
  nul_character: [],
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
  not_whole_days: [],
  hours_reversed: [],
  hours_without_business_hours: [],
  unknown_field: ["field", "fields"],
  test_case_fails: ["mismatches"],
  empty_expectation: ["fields"],
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
  one_required: ["fields"],
  unknown_rule_set: ["key"],
  too_many_buckets: ["maximum", "count", "bucket"],
  // a reply template's text, and rendering one
  unknown_placeholder: ["name", "language", "position", "names"],
  unbalanced_braces: ["language", "position"],
  missing_variable: ["name"],
  unpublished_template: ["key"],
  // a year of the working-day calendar
  not_a_date: [],
  date_outside_year: ["year"],
  duplicate_date: ["date", "first"],
  holiday_and_workday: ["date"],
  workday_not_weekend: ["date"],
} as const satisfies Record<string, readonly string[]>;

export type FieldCode = keyof typeof fieldCodes;
export const FieldCode = z.enum(Object.keys(fieldCodes) as [FieldCode, ...FieldCode[]]);

/**
 * One problem with a field: the dotted path from the body's root, what is wrong as a code from the closed list with
 * its values (`params`), and an English rendering of both (`message`).
 */
export const FieldProblem = z.strictObject({
  path: z.string(),
  code: FieldCode,
  params: z.record(z.string(), z.unknown()),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblem>;

/** A field problem; `params` are the values a client needs to say `code` in its own language. */
export function fieldProblem(
  path: string,
  code: FieldCode,
  params: Record<string, unknown>,
  message: string,
): FieldProblem {
  return { path, code, params, message };
}

/** A zod issue's code and the values a client needs to render it; a refinement names its own code in `params.code`. */
export function issueCode(issue: z.core.$ZodIssue): { code: FieldCode; params: Record<string, unknown> } {
  switch (issue.code) {
    case "invalid_type":
      return { code: "invalid_type", params: { expected: issue.expected } };
    case "too_small":
      return { code: "too_small", params: bound("minimum", issue.minimum, issue.origin, issue.inclusive) };
    case "too_big":
      return { code: "too_big", params: bound("maximum", issue.maximum, issue.origin, issue.inclusive) };
    case "invalid_value":
      return { code: "invalid_value", params: { values: issue.values.map(jsonValue) } };
    case "invalid_format":
      return {
        code: "invalid_format",
        params: {
          format: issue.format,
          ...("pattern" in issue && issue.pattern ? { pattern: String(issue.pattern) } : {}),
        },
      };
    case "not_multiple_of":
      return { code: "not_multiple_of", params: { divisor: jsonValue(issue.divisor) } };
    case "unrecognized_keys":
      return { code: "unrecognized_keys", params: { keys: issue.keys } };
    case "invalid_union":
    case "invalid_key":
    case "invalid_element":
      return { code: issue.code, params: {} };
    case "custom": {
      const { code, ...params } = issue.params ?? {};
      return isFieldCode(code) ? { code, params } : { code: "custom", params: {} };
    }
  }
}

function bound(
  name: "minimum" | "maximum",
  value: number | bigint,
  origin: string,
  inclusive: boolean | undefined,
): Record<string, unknown> {
  return { [name]: jsonValue(value), origin, inclusive: inclusive !== false };
}

/** A value as JSON can carry it: bigints as numbers, anything else not JSON as text. */
function jsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value === undefined || typeof value === "symbol" || typeof value === "function") return String(value);
  return value;
}

export function isFieldCode(value: unknown): value is FieldCode {
  return typeof value === "string" && Object.hasOwn(fieldCodes, value);
}

export function isProblemCode(value: unknown): value is ProblemCode {
  return typeof value === "string" && Object.hasOwn(problemCodes, value);
}
