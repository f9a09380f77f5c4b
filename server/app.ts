import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppContext } from "./context.ts";
import { decisionRoutes } from "./decisions/routes.ts";
import { DomainError, notFound, payloadTooLarge, problemResponse } from "./errors.ts";
import { adminRoutes } from "./admin-ui.ts";
import { sessionRoutes } from "./auth/routes.ts";
import type { AppEnv } from "./http/auth.ts";
import { ruleSetRoutes } from "./rule-sets/routes.ts";

/** The whole HTTP surface: API under /api/v1, health, and the admin under /admin. No logic here. */
export function createApp(ctx: AppContext) {
  const api = new Hono<AppEnv>()
    .use("*", bodyLimit({ maxSize: ctx.bodyLimitBytes, onError: () => { throw payloadTooLarge(ctx.bodyLimitBytes); } }))
    .route("/session", sessionRoutes(ctx))
    .route("/", decisionRoutes(ctx))
    .route("/rule-sets", ruleSetRoutes(ctx));

  const app = new Hono()
    .get("/healthz", (c) => {
      const ready = ["refund-eligibility", "shipping-fee", "timeouts"].every((key) => ctx.registry.active(key));
      return c.json({ status: ready ? "ok" : "starting" }, ready ? 200 : 503);
    })
    .get("/metrics", async (c) => c.text(await ctx.metrics.registry.metrics(), 200, { "content-type": ctx.metrics.registry.contentType }))
    .route("/api/v1", api)
    .route("/", adminRoutes());

  app.notFound(() => problemResponse(notFound("no such endpoint")));
  app.onError((error) => {
    if (error instanceof DomainError) return problemResponse(error);
    if (error instanceof HTTPException && error.status < 500) {
      return problemResponse(new DomainError(error.status, error.status === 400 ? "bad-request" : "http-error", error.status === 400 ? "Bad request" : "Request error", error.message || "the request was refused"));
    }
    console.error("unexpected error", error);
    return problemResponse(new DomainError(500, "internal", "Internal error", "the service failed to answer; the error has been logged"));
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;
