import { createRoute, OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { Problem } from "../../shared/api.ts";
import { problemCodes, problemType, type ProblemCode } from "../../shared/problems.ts";
import type { Scope } from "../../shared/scopes.ts";
import { requireScope } from "../auth/api-keys.ts";
import { assertMayManageUsers } from "../auth/grants.ts";
import { invalid } from "../errors.ts";
import { authenticateApiKey, authenticateKeyOrSession, type AppEnv } from "./auth.ts";
import { fieldProblems, guardJsonBody } from "./validation.ts";

/**
 * Who may call a route. `api-key` and `key-or-session` authenticate (401) and then check `scope` (403), for the rule set
 * named in the path's `{key}` or the query's `ruleSet` when `ruleSet` says so; `everyRuleSet` also refuses a principal
 * limited to some rule sets. `session` routes read the admin's cookie themselves; `public` ones need nothing.
 */
export type Access =
  | { auth: "public" }
  | { auth: "session" }
  | {
      auth: "api-key" | "key-or-session";
      scope: Scope;
      /** Where the rule set is named; `{ key }` for routes that belong to one rule set (reply templates: the playbook's). */
      ruleSet?: "path" | "query" | { key: string };
      everyRuleSet?: true;
      /** The scope a signed-in user needs instead of `scope` (rendering a reply: keys that decide, every user). */
      sessionScope?: Scope;
    };

/** A route as this service declares it: @hono/zod-openapi's route, who may call it, and the refusals its own code can answer. */
export type ApiRouteConfig = RouteConfig & { access: Access; refusals?: readonly ProblemCode[] };

/**
 * A route declared once: method, path, schemas, access and refusals. The declaration checks access (one middleware),
 * guards a JSON body before its schema sees it, and documents every problem the route can answer, by status, with the
 * codes behind each. Problem responses stay out of the handler's types: services throw them (errors.ts).
 */
export function apiRoute<const R extends RouteConfig>(
  config: R & { access: Access; refusals?: readonly ProblemCode[] },
): R {
  const { access, refusals = [], ...route } = config;
  const body = route.request?.body !== undefined;
  const middleware: MiddlewareHandler<AppEnv>[] = [checkAccess(access)];
  if (body) middleware.push(guardJsonBody);
  const codes = new Set<ProblemCode>([...accessRefusals(access), ...refusals, "internal"]);
  if (body)
    for (const code of ["invalid_json", "payload_too_large", "unsupported_media_type", "invalid"] as const)
      codes.add(code);
  if (route.request?.query !== undefined || route.request?.params !== undefined) codes.add("invalid");
  return createRoute({
    ...route,
    ...(access.auth === "public" ? {} : { security: securityOf(access) }),
    middleware,
    responses: withRequestId({ ...route.responses, ...problemResponses([...codes]) }),
  }) as unknown as R;
}

/** The API's routers: one validation hook for every query, path and body schema, answering 422 with every field named. */
export function apiRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: refuseInvalid });
}

const targets: Record<string, string> = {
  json: "body",
  query: "query",
  param: "path",
  header: "headers",
  cookie: "cookies",
};

/** `value` checked with `schema` as the validation hook checks a body, for a route that documents its body apart. */
export function validBody<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  refuseInvalid(result.success ? { success: true } : { success: false, target: "json", error: result.error });
  return result.data as z.output<T>;
}

function refuseInvalid(result: { success: true } | { success: false; target: string; error: z.ZodError }): void {
  if (!result.success)
    throw invalid(
      `the ${targets[result.target] ?? result.target} breaks the request schema`,
      fieldProblems(result.error.issues),
    );
}

function checkAccess(access: Access): MiddlewareHandler<AppEnv> {
  if (access.auth === "public" || access.auth === "session") return (_c, next) => next();
  return async (c, next) => {
    const ctx = c.get("ctx");
    if (access.auth === "api-key") authenticateApiKey(c, ctx);
    else await authenticateKeyOrSession(c, ctx);
    const principal = c.get("principal");
    const ruleSet =
      access.ruleSet === "path"
        ? c.req.param("key")
        : access.ruleSet === "query"
          ? c.req.query("ruleSet")
          : access.ruleSet?.key;
    const scope = access.sessionScope !== undefined && c.get("user") !== undefined ? access.sessionScope : access.scope;
    requireScope(principal, scope, ruleSet);
    if (access.everyRuleSet) assertMayManageUsers(principal);
    await next();
  };
}

function accessRefusals(access: Access): ProblemCode[] {
  switch (access.auth) {
    case "public":
      return [];
    case "session":
      return ["unauthenticated", "forbidden"];
    case "api-key":
      return ["unauthenticated", "forbidden", "rate_limited"];
    case "key-or-session":
      return ["unauthenticated", "forbidden"];
  }
}

/** The security schemes registered in the OpenAPI document (openapi.ts). */
export const securitySchemes = {
  apiKey: { type: "http", scheme: "bearer", description: "An API key: `Authorization: Bearer <key>`." },
  session: {
    type: "apiKey",
    in: "cookie",
    name: "asr_session",
    description: "The admin's session cookie, set by `POST /api/v1/session`.",
  },
} as const;

function securityOf(access: Exclude<Access, { auth: "public" }>): Record<string, string[]>[] {
  if (access.auth === "session") return [{ session: [] }];
  const scopes = [access.scope];
  return access.auth === "api-key"
    ? [{ apiKey: scopes }]
    : [{ apiKey: scopes }, { session: [access.sessionScope ?? access.scope] }];
}

const requestIdHeader = {
  description: "This request's id, as every problem's `requestId` and the service's log lines carry it",
  schema: { type: "string" },
} as const;
const retryAfterHeader = {
  description: "Seconds until the key may ask again",
  schema: { type: "integer", minimum: 1 },
} as const;

/** Every response names its request (`X-Request-Id`); a 429 says when to ask again. */
function withRequestId(responses: RouteConfig["responses"]): RouteConfig["responses"] {
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      {
        ...response,
        // a route's own headers (a 202's Location) stay documented beside these
        headers: {
          ...("headers" in response ? response.headers : {}),
          "X-Request-Id": requestIdHeader,
          ...(status === "429" ? { "Retry-After": retryAfterHeader } : {}),
        },
      },
    ]),
  );
}

/** Problem responses by status, each naming its codes, with an example of each code. */
export function problemResponses(codes: readonly ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) {
    const status = problemCodes[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<
    number,
    {
      description: string;
      content: { "application/problem+json": { schema: typeof Problem; examples: Record<string, { value: unknown }> } };
    }
  > = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[status] = {
      description: list.map((code) => `\`${code}\`: ${problemCodes[code].title}`).join("; "),
      content: {
        "application/problem+json": {
          schema: Problem,
          examples: Object.fromEntries(list.map((code) => [code, { value: problemExample(code) }])),
        },
      },
    };
  }
  return responses;
}

function problemExample(code: ProblemCode) {
  const { status, title } = problemCodes[code];
  return { type: problemType(code), code, title, status, detail: title, requestId: "01JEXAMPLE0000000000000000" };
}
