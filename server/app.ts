import { sql } from "kysely";
import { z } from "zod";
import { HTTPException } from "hono/http-exception";
import { ruleSetKindNames } from "../shared/kinds/index.ts";
import type { AppContext } from "./context.ts";
import { decisionRoutes } from "./decisions/routes.ts";
import { DomainError, httpProblem, internal, notFound, problemResponse } from "./errors.ts";
import { limitBodySize } from "./http/body-limit.ts";
import { adminRoutes } from "./admin-ui.ts";
import { apiDocsRoutes } from "./http/api-docs.ts";
import { sessionRoutes } from "./auth/routes.ts";
import { settingsRoutes } from "./settings/routes.ts";
import { requireMetricsToken } from "./http/auth.ts";
import { apiRoute, apiRouter } from "./http/api-route.ts";
import { json } from "./http/openapi.ts";
import { serveOpenApiDocument } from "./http/openapi-document.ts";
import { requestIds } from "./http/request-id.ts";
import { ruleSetRoutes } from "./rule-sets/routes.ts";
import { invariantRoutes } from "./invariants/routes.ts";
import { analysisRoutes } from "./analysis/routes.ts";
import { apiKeyRoutes } from "./api-keys/routes.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { actorRoutes, userRoutes } from "./users/routes.ts";
import { auditRoutes } from "./audit/routes.ts";
import { decisionLogRoutes } from "./decision-log/routes.ts";
import { ruleStatsRoutes } from "./rule-stats/routes.ts";
import { impactRoutes } from "./impact/routes.ts";
import { recordOrigin } from "./http/origin.ts";

const probes = ["Probes"];
const livez = apiRoute({
  operationId: "livez",
  method: "get",
  path: "/livez",
  tags: probes,
  summary: "Liveness: the process answers",
  access: { auth: "public" },
  responses: { 200: json(z.object({ status: z.literal("ok") }), "Alive") },
});
const readyz = apiRoute({
  operationId: "readyz",
  method: "get",
  path: "/readyz",
  tags: probes,
  summary: "Readiness: the database answers and every rule set is loaded",
  description:
    "503 until then, and again from the moment shutdown begins, so that a load balancer stops sending requests.",
  access: { auth: "public" },
  refusals: ["unavailable"],
  responses: { 200: json(z.object({ status: z.literal("ready") }), "Ready to decide") },
});
const healthz = apiRoute({
  operationId: "healthz",
  method: "get",
  path: "/healthz",
  tags: probes,
  summary: "Every rule set has an active version (kept for existing monitors; prefer /readyz)",
  access: { auth: "public" },
  responses: {
    200: json(z.object({ status: z.literal("ok") }), "Every rule set decides"),
    503: json(z.object({ status: z.literal("starting") }), "Some rule set is not loaded yet"),
  },
});
const metrics = apiRoute({
  operationId: "metrics",
  method: "get",
  path: "/metrics",
  tags: probes,
  summary: "Prometheus metrics",
  description: "With `METRICS_TOKEN` set, only for `Authorization: Bearer <token>` (401 otherwise).",
  access: { auth: "public" },
  refusals: ["unauthenticated"],
  responses: {
    200: { description: "The metrics in Prometheus' text format", content: { "text/plain": { schema: z.string() } } },
  },
});

/** The whole HTTP surface: API under /api/v1, health, and the admin under /admin. No logic here. */
export function createApp(ctx: AppContext) {
  const api = apiRouter();
  api.use("*", limitBodySize(ctx.bodyLimitBytes));
  api.use("*", async (c, next) => {
    c.set("ctx", ctx);
    await next();
  });
  // the audit log's "from where", for every route that changes something (not decisions: they change nothing)
  for (const path of ["/session/*", "/rule-sets/*", "/users/*", "/api-keys/*"])
    api.use(path, recordOrigin(ctx.trustProxy));
  const apiRoutes = api
    .route("/session", sessionRoutes(ctx))
    .route("/settings", settingsRoutes(ctx))
    .route("/", decisionRoutes(ctx))
    .route("/rule-sets", ruleSetRoutes(ctx))
    .route("/rule-sets", invariantRoutes(ctx))
    .route("/rule-sets", analysisRoutes(ctx))
    .route("/rule-sets", ruleStatsRoutes(ctx))
    .route("/rule-sets", impactRoutes(ctx))
    .route("/users", userRoutes(ctx))
    .route("/actors", actorRoutes(ctx))
    .route("/api-keys", apiKeyRoutes(ctx))
    .route("/audit", auditRoutes(ctx))
    .route("/decision-log", decisionLogRoutes(ctx));

  const app = apiRouter();
  app.use("*", requestIds({ trustProxy: ctx.trustProxy, logger: ctx.logger }));
  app.use("*", securityHeaders({ trustProxy: ctx.trustProxy }));
  if (ctx.metricsToken !== undefined) app.use("/metrics", requireMetricsToken(ctx.metricsToken));
  const routes = app
    .openapi(livez, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(readyz, async (c) => {
      await whyNotReady(ctx);
      return c.json({ status: "ready" as const }, 200);
    })
    .openapi(healthz, (c) => {
      const ready = ruleSetKindNames.every((key) => ctx.registry.active(key));
      return ready ? c.json({ status: "ok" as const }, 200) : c.json({ status: "starting" as const }, 503);
    })
    .openapi(metrics, async (c) =>
      c.text(await ctx.metrics.registry.metrics(), 200, { "content-type": ctx.metrics.registry.contentType }),
    )
    .route("/api/v1", apiRoutes);
  serveOpenApiDocument(app);
  app.route("/", adminRoutes());
  app.route("/", apiDocsRoutes());

  app.notFound((c) => problemResponse(notFound("no such endpoint"), c.get("requestId")));
  app.onError((error, c) => {
    if (error instanceof DomainError) return problemResponse(error, c.get("requestId"));
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(httpProblem(error), c.get("requestId"));
    }
    // the error and where it happened, never the request's headers or body (keys, passwords, cases)
    ctx.logger.error(
      { err: error, requestId: c.get("requestId"), method: c.req.method, path: c.req.path },
      "unexpected error",
    );
    return problemResponse(internal(), c.get("requestId"));
  });
  return routes;
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
