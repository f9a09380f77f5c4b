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

/** Deeper JSON than any valid body needs; refusing it early keeps recursive code safe from stack overflows. */
export const MAX_JSON_DEPTH = 64;

/** The path to the first value nested deeper than `max`, found without recursion; undefined when none is. */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: "" }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return path || "(body)";
    for (const [key, child] of Object.entries(current)) stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
  }
  return undefined;
}

/**
 * Validates the JSON body with a shared schema; a failure is a 422 problem naming every field.
 * Malformed JSON is rejected before this by Hono's validator (400, turned into a problem in onError),
 * and JSON nested deeper than `MAX_JSON_DEPTH` before the schema sees it.
 */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return zValidator(
    "json",
    schema,
    (result) => {
      if (!result.success) throw invalid("the body breaks the request schema", fieldProblems(result.error.issues));
    },
    {
      validationFunction: async (s, value) => {
        const path = tooDeep(value);
        if (path !== undefined) throw invalid(`the body nests deeper than ${MAX_JSON_DEPTH} levels`, [{ path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]);
        // the library types the result per zod major version; this is zod 4's own safeParse result
        return (await s.safeParseAsync(value)) as never;
      },
    },
  );
}
