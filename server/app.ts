import { z } from "zod";
import { HTTPException } from "hono/http-exception";
import { Readiness } from "../shared/api.ts";
import { ruleSetKindNames } from "../shared/kinds/index.ts";
import type { AppContext } from "./context.ts";
import { decisionRoutes } from "./decisions/routes.ts";
import { asProblem, badRequest, DomainError, httpProblem, internal, notFound, problemResponse } from "./errors.ts";
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
import { replyTemplateRoutes } from "./reply-templates/routes.ts";
import { calendarRoutes } from "./calendar/routes.ts";
import { nextYearMissing } from "./calendar/service.ts";

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
  summary: "Readiness: every rule set is loaded; whether the database answers",
  description:
    "503 until every rule set is loaded, and again from the moment shutdown begins, so that a load balancer stops " +
    'sending requests. While the database does not answer it stays 200 with `database: "unreachable"`: the instance ' +
    "decides with what it has loaded and queues the decision log. From 1 December (business time zone) while the " +
    "working-day calendar holds nothing for next year, `warnings` says so (`calendar_next_year_missing`): still 200.",
  access: { auth: "public" },
  refusals: ["unavailable"],
  responses: { 200: json(Readiness, "Ready to decide") },
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
  for (const path of ["/session/*", "/rule-sets/*", "/users/*", "/api-keys/*", "/reply-templates/*", "/calendar/*"])
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
    .route("/decision-log", decisionLogRoutes(ctx))
    .route("/", replyTemplateRoutes(ctx))
    .route("/calendar", calendarRoutes(ctx));

  const app = apiRouter();
  app.use("*", requestIds({ trustProxy: ctx.trustProxy, logger: ctx.logger }));
  app.use("*", securityHeaders({ trustProxy: ctx.trustProxy }));
  // U+0000 reaches an address only percent-encoded; PostgreSQL's text cannot hold it, so no route gets it on either database
  app.use("*", async (c, next) => {
    if (/%00/i.test(c.req.url)) throw badRequest("the address holds the character U+0000 (%00)");
    await next();
  });
  if (ctx.metricsToken !== undefined) app.use("/metrics", requireMetricsToken(ctx.metricsToken));
  const routes = app
    .openapi(livez, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(readyz, async (c) => c.json(await readiness(ctx), 200))
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
    const problem = asProblem(error);
    if (problem) return problemResponse(problem, c.get("requestId"));
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
 * `/readyz`'s answer: the 503 until the service can decide (every rule set loaded with its active version compiled) and
 * from the moment shutdown begins (a load balancer then stops sending new requests); otherwise ready, with whether the
 * database answers a query now and how the decision log's queue stands.
 */
async function readiness(ctx: AppContext): Promise<Readiness> {
  if (ctx.lifecycle.stopping) throw unavailable("the service is shutting down");
  for (const key of ruleSetKindNames) {
    if (ctx.registry.active(key) === undefined) throw unavailable(`rule set "${key}" is not loaded yet`);
  }
  const { queued, dropped, failed } = ctx.decisionLog;
  // periods ending next year would be counted with weekends only: a warning, since decisions still go on
  const missing = nextYearMissing(ctx.calendar.current, ctx.now(), ctx.businessTimeZone);
  return {
    status: "ready",
    database: (await ctx.database.ping()) ? "ok" : "unreachable",
    decisionLog: { queued, dropped, failed },
    ...(missing === undefined
      ? {}
      : {
          warnings: [
            {
              code: "calendar_next_year_missing" as const,
              year: missing,
              message: `the working-day calendar holds nothing for ${missing}: periods ending then count weekends only`,
            },
          ],
        }),
  };
}

const unavailable = (detail: string) => new DomainError({ code: "unavailable", detail });

export type AppType = ReturnType<typeof createApp>;
