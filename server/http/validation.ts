import { zValidator } from "@hono/zod-validator";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { FieldProblem } from "../../shared/api.ts";
import { joinPath } from "../engine/validate-definition.ts";
import { invalid, unsupportedMediaType } from "../errors.ts";

/** zod issues as the contract's `errors`: a dotted path from `root` and a message. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], root: readonly PropertyKey[] = []): FieldProblem[] {
  return issues.map((issue) => ({ path: joinPath([...root, ...issue.path]) || "(body)", message: issue.message }));
}

/** Refuses a body that is not declared as JSON, rather than reading it as an empty object. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    throw unsupportedMediaType(`send the body as JSON with 'Content-Type: application/json' (got '${type || "none"}')`);
  }
  await next();
};

/**
 * Validates the JSON body with a shared schema; a failure is a 422 problem naming every field.
 * Malformed JSON is rejected before this by Hono's validator (400, turned into a problem in onError).
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return zValidator("json", schema, (result) => {
    if (!result.success) throw invalid("the body breaks the request schema", fieldProblems(result.error.issues));
  });
}
