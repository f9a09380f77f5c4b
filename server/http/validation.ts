import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import type { FieldProblem } from "../../shared/api.ts";
import { issueCode } from "../../shared/problems.ts";
import { joinPath } from "../../shared/dotted-path.ts";
import { invalid, invalidJson, unsupportedMediaType } from "../errors.ts";

/** zod issues as the contract's `errors`: a dotted path from `root`, a code from the closed list with its params, and zod's message. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[], root: readonly PropertyKey[] = []): FieldProblem[] {
  return issues.map((issue) => ({
    path: joinPath([...root, ...issue.path]) || "(body)",
    ...issueCode(issue),
    message: issue.message,
  }));
}

/** Refuses a body that is not declared as JSON (415), rather than reading it as an empty object. */
export function assertJsonMediaType(contentType: string | undefined): void {
  // what nearly every caller sends, settled without splitting or a regular expression
  if (contentType === "application/json") return;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
    throw unsupportedMediaType(`send the body as JSON with 'Content-Type: application/json' (got '${type || "none"}')`);
  }
}

function nestedTooDeep(path: string) {
  return invalid(`the body nests deeper than ${MAX_JSON_DEPTH} levels`, [
    {
      path,
      code: "nested_too_deep",
      params: { maximum: MAX_JSON_DEPTH },
      message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
    },
  ]);
}

/** Deeper JSON than any valid body needs; refusing it early keeps recursive code safe from stack overflows. */
export const MAX_JSON_DEPTH = 64;

/** The path to the first value nested deeper than `max`, found without recursion; undefined when none is. */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): string | undefined {
  // almost every body is shallow: measure the depth first, and build paths only for one that is not
  if (depthWithin(value, max)) return undefined;
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: "" }];
  while (stack.length > 0) {
    const { value: current, depth, path } = stack.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return path || "(body)";
    for (const [key, child] of Object.entries(current))
      stack.push({ value: child, depth: depth + 1, path: path ? `${path}.${key}` : key });
  }
  return undefined;
}

/** Whether no object or array in `value` sits `max` or more levels deep; no recursion, no allocation per leaf. */
function depthWithin(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop()!;
    if (current === null || typeof current !== "object") continue;
    if (depth >= max) return false;
    if (Array.isArray(current)) {
      for (const child of current) {
        if (child !== null && typeof child === "object") {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        const child = (current as Record<string, unknown>)[key];
        if (child !== null && typeof child === "object") {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return true;
}

/**
 * A JSON request body as a value: 400 when it is not JSON (as Hono's validator answers), 422 naming the path when it
 * nests deeper than `MAX_JSON_DEPTH`. `text` is the body as a WHATWG reader gives it, a byte order mark already dropped.
 */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidJson("Malformed JSON in request body");
  }
  const path = tooDeep(value);
  if (path !== undefined) throw nestedTooDeep(path);
  return value;
}

/**
 * Keys no body may have: schemas drop `__proto__` from records silently, and a rule, a parameter or
 * a shared condition named like a member of Object.prototype is a trap for every reader of the JSON.
 */
const prototypeKeys = new Set(["__proto__", "constructor", "prototype"]);

/** U+0000: PostgreSQL's text cannot hold it, so no body may carry it, on either database alike. */
const NUL = "\u0000";

/** What a body may not hold: a key named like a prototype member, or U+0000 in a key or a string. */
export type BodyFlaw = { path: string; code: "reserved_key"; key: string } | { path: string; code: "nul_character" };

/** The first flaw of a body (`BodyFlaw`), with its path, found without recursion; undefined when it has none. */
export function bodyFlaw(value: unknown): BodyFlaw | undefined {
  // almost every body has none: look first, and build paths only for one that has
  if (!hasFlaw(value)) return undefined;
  const stack: { value: unknown; path: string }[] = [{ value, path: "" }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === "string" && current.includes(NUL)) return { path: path || "(body)", code: "nul_character" };
    if (current === null || typeof current !== "object") continue;
    for (const [key, child] of Object.entries(current)) {
      const at = path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && prototypeKeys.has(key)) return { path: at, code: "reserved_key", key };
      if (key.includes(NUL)) return { path: at, code: "nul_character" };
      stack.push({ value: child, path: at });
    }
  }
  return undefined;
}

function hasFlaw(value: unknown): boolean {
  const values: unknown[] = [value];
  while (values.length > 0) {
    const current = values.pop();
    if (typeof current === "string") {
      if (current.includes(NUL)) return true;
      continue;
    }
    if (current === null || typeof current !== "object") continue;
    if (Array.isArray(current)) {
      for (const child of current) values.push(child);
      continue;
    }
    for (const key of Object.keys(current)) {
      if (prototypeKeys.has(key) || key.includes(NUL)) return true;
      values.push((current as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/**
 * Guards a JSON body before its schema sees it: 415 unless it is declared as JSON, 400 when it is not JSON, 422 naming
 * the path when it nests deeper than `MAX_JSON_DEPTH`, has a key named like a prototype member (`__proto__`,
 * `constructor`, `prototype`) or holds U+0000. The parsed body stays cached on the request for the route's validator.
 */
export const guardJsonBody: MiddlewareHandler = async (c, next) => {
  assertJsonMediaType(c.req.header("content-type"));
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw invalidJson("Malformed JSON in request body");
  }
  const path = tooDeep(value);
  if (path !== undefined) throw nestedTooDeep(path);
  const flaw = bodyFlaw(value);
  if (flaw?.code === "reserved_key") {
    throw invalid("the body has a key named like a prototype member", [
      {
        path: flaw.path,
        code: "reserved_key",
        params: { key: flaw.key },
        message: "__proto__, constructor and prototype are not allowed as keys",
      },
    ]);
  }
  if (flaw?.code === "nul_character") {
    throw invalid("the body holds the character U+0000", [
      { path: flaw.path, code: "nul_character", params: {}, message: "U+0000 is not allowed in a text or a key" },
    ]);
  }
  await next();
};
