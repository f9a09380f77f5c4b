import type { FieldProblem } from "../../shared/api.ts";
import { displayYuan } from "../../shared/money.ts";
import type { ProblemCode } from "../../shared/problems.ts";
import { ApiError } from "../api.ts";
import type { I18n, MessageKey } from "../i18n/index.tsx";

/** A problem shown at a field: the server's, with its code and params, or one the admin found itself, already in words. */
export type ShownProblem = Pick<FieldProblem, "path" | "message"> & Partial<Pick<FieldProblem, "code" | "params">>;

/** Field problems listed after a 422's own sentence; the forms show the rest at their fields. */
const LISTED_FIELD_PROBLEMS = 3;

/**
 * What to tell the user about a failed call: the problem's code in the user's language (with the first field problems
 * of a 422), the server's English detail only for a code the admin does not know, or that the server could not be reached.
 */
export function problemText(error: unknown, t: I18n["t"]): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  if (error.status === 0) return t("error.network");
  const text = known(t, `problem.${String(error.problem.code)}`);
  if (text === undefined) return error.problem.detail;
  const fields = (error.problem.errors ?? [])
    .slice(0, LISTED_FIELD_PROBLEMS)
    .map((p) => `${p.path}：${fieldProblemText(p, t)}`);
  return fields.length > 0 ? `${text}${fields.join("；")}` : text;
}

/** Whether a failed call is the given HTTP status (and, if named, problem code). */
export function isProblem(error: unknown, status: number, code?: ProblemCode): error is ApiError {
  return error instanceof ApiError && error.status === status && (code === undefined || error.problem.code === code);
}

/**
 * A field problem in the user's language from its code and params; its English `message` only for a code the admin
 * does not know (and for the admin's own problems, which come in words).
 */
export function fieldProblemText(problem: ShownProblem, t: I18n["t"]): string {
  if (problem.code === undefined) return problem.message;
  const params = problem.params ?? {};
  const vars = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, paramText(name, value, t)]));
  for (const key of variants(problem.code, params)) {
    const text = known(t, `fieldProblem.${key}`, vars);
    if (text !== undefined) return text;
  }
  return problem.message;
}

/** The keys to try for a code, most particular first: a bound's origin, and whether a number's bound is exclusive. */
function variants(code: string, params: Record<string, unknown>): string[] {
  const origin = typeof params.origin === "string" ? params.origin : undefined;
  if (origin === undefined) return [code];
  return [...(params.inclusive === false ? [`${code}.${origin}.exclusive`] : []), `${code}.${origin}`, code];
}

function paramText(name: string, value: unknown, t: I18n["t"]): string {
  // an invariant's expectation names a decision field where a condition names a fact
  if ((name === "fact" || name === "other") && typeof value === "string")
    return known(t, `factName.${value}`) ?? known(t, `fieldName.${value}`) ?? value;
  if (name === "expected" && typeof value === "string") return known(t, `valueType.${value}`) ?? value;
  if (name === "mismatches" && Array.isArray(value)) {
    return list(
      value.map((m: { field?: unknown; expected?: unknown; actual?: unknown }) => {
        const field = String(m.field);
        return t("fieldProblem.mismatch", {
          field: known(t, `fieldName.${field}`) ?? field,
          expected: outputValueText(field, m.expected, t),
          actual: outputValueText(field, m.actual, t),
        });
      }),
      t,
    );
  }
  if (name === "cycle" && Array.isArray(value)) return value.join(" → ");
  if (Array.isArray(value))
    return list(
      value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
      t,
    );
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A decision's value in words: 是 / 否, money in yuan, an enum value by its label. */
function outputValueText(field: string, value: unknown, t: I18n["t"]): string {
  if (typeof value === "boolean") return t(value ? "decision.yes" : "decision.no");
  if (typeof value === "number" && field.endsWith("Fen")) return displayYuan(value);
  if (typeof value === "string") return known(t, `valueName.${value}`) ?? value;
  return JSON.stringify(value) ?? "—";
}

function list(items: string[], t: I18n["t"]): string {
  return items.join(t("fieldProblem.listSeparator"));
}

/** The message under a key built from a code, or undefined when the dictionary has no such key. */
function known(t: I18n["t"], key: string, vars: Record<string, string> = {}): string | undefined {
  const text = t(key as MessageKey, vars);
  return text === key ? undefined : text;
}
