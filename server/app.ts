import { Hono } from "hono";
import { sql } from "kysely";
import { HTTPException } from "hono/http-exception";
import { ruleSetKindNames } from "../shared/kinds/index.ts";
import type { AppContext } from "./context.ts";
import { decisionRoutes } from "./decisions/routes.ts";
import { DomainError, httpProblem, internal, notFound, problemResponse } from "./errors.ts";
import { limitBodySize } from "./http/body-limit.ts";
import { adminRoutes } from "./admin-ui.ts";
import { apiDocsRoutes } from "./http/api-docs.ts";
import { sessionRoutes } from "./auth/routes.ts";
import { requireMetricsToken, type AppEnv } from "./http/auth.ts";
import { requestIds } from "./http/request-id.ts";
import { ruleSetRoutes } from "./rule-sets/routes.ts";
import { apiKeyRoutes } from "./api-keys/routes.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { userRoutes } from "./users/routes.ts";
import { auditRoutes } from "./audit/routes.ts";
import { decisionLogRoutes } from "./decision-log/routes.ts";
import { recordOrigin } from "./http/origin.ts";

/** The whole HTTP surface: API under /api/v1, health, and the admin under /admin. No logic here. */
export function createApp(ctx: AppContext) {
  const api = new Hono<AppEnv>()
    .use("*", limitBodySize(ctx.bodyLimitBytes))
    // the audit log's "from where", for every route that changes something (not decisions: they change nothing)
    .use("/session/*", recordOrigin(ctx.trustProxy))
    .use("/rule-sets/*", recordOrigin(ctx.trustProxy))
    .use("/users/*", recordOrigin(ctx.trustProxy))
    .use("/api-keys/*", recordOrigin(ctx.trustProxy))
    .route("/session", sessionRoutes(ctx))
    .route("/", decisionRoutes(ctx))
    .route("/rule-sets", ruleSetRoutes(ctx))
    .route("/users", userRoutes(ctx))
    .route("/api-keys", apiKeyRoutes(ctx))
    .route("/audit", auditRoutes(ctx))
    .route("/decision-log", decisionLogRoutes(ctx));

  const app = new Hono()
    .use("*", requestIds({ trustProxy: ctx.trustProxy, logger: ctx.logger }))
    .use("*", securityHeaders({ trustProxy: ctx.trustProxy }))
    .get("/livez", (c) => c.json({ status: "ok" }))
    .get("/readyz", async () => {
      await whyNotReady(ctx);
      return Response.json({ status: "ready" });
    })
    .get("/healthz", (c) => {
      const ready = ruleSetKindNames.every((key) => ctx.registry.active(key));
      return c.json({ status: ready ? "ok" : "starting" }, ready ? 200 : 503);
    })
    .use("/metrics", ctx.metricsToken === undefined ? (_c, next) => next() : requireMetricsToken(ctx.metricsToken))
    .get("/metrics", async (c) => c.text(await ctx.metrics.registry.metrics(), 200, { "content-type": ctx.metrics.registry.contentType }))
    .route("/api/v1", api)
    .route("/", adminRoutes())
    .route("/", apiDocsRoutes());

  app.notFound((c) => problemResponse(notFound("no such endpoint"), c.get("requestId")));
  app.onError((error, c) => {
    if (error instanceof DomainError) return problemResponse(error, c.get("requestId"));
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(httpProblem(error), c.get("requestId"));
    }
    // the error and where it happened, never the request's headers or body (keys, passwords, cases)
    ctx.logger.error({ err: error, requestId: c.get("requestId"), method: c.req.method, path: c.req.path }, "unexpected error");
    return problemResponse(internal(), c.get("requestId"));
  });
  return app;
}

/**
 * Throws the 503 `/readyz` answers until the service can decide: the database answers a query, every rule set is loaded
 * with its active version compiled, and shutdown has not begun (a load balancer then stops sending new requests).
 */
async function whyNotReady(ctx: AppContext): Promise<void> {
  if (ctx.lifecycle.stopping) throw unavailable("the service is shutting down");
  for (const key of ruleSetKindNames) {
    if (ctx.registry.active(key) === undefined) throw unavailable(`rule set "${key}" is not loaded yet`);
  }
  try {
    await sql`select 1`.execute(ctx.db);
  } catch (error) {
    ctx.logger.warn({ err: error }, "readiness check: the database does not answer");
    throw unavailable("the database does not answer");
  }
}

const unavailable = (detail: string) => new DomainError({ code: "unavailable", detail });

export type AppType = ReturnType<typeof createApp>;
