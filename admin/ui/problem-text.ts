import { ApiError } from "../api.ts";
import type { I18n } from "../i18n/index.tsx";

/** What to tell the user about a failed call: the server's own detail, or that it could not be reached. */
export function problemText(error: unknown, t: I18n["t"]): string {
  if (error instanceof ApiError) return error.status === 0 ? t("error.network") : error.problem.detail;
  return error instanceof Error ? error.message : String(error);
}

/** Whether a failed call is the given HTTP status (and, if named, problem type ending). */
export function isProblem(error: unknown, status: number, typeEnding?: string): error is ApiError {
  return error instanceof ApiError && error.status === status && (typeEnding === undefined || error.problem.type.endsWith(typeEnding));
}
