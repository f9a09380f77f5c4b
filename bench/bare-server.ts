import { serve } from "@hono/node-server";
import { Hono } from "hono";

/**
 * The floor the decision endpoint is compared with: the same HTTP stack (@hono/node-server +
 * Hono), the same route shape, the same JSON body parsed with c.req.json(), a small JSON reply —
 * and nothing else (no auth, no validation, no decision, no log, no metrics).
 */
const app = new Hono()
  .get("/healthz", (c) => c.json({ status: "ok" }))
  .post("/api/v1/decisions/:ruleSet", async (c) => {
    const body = await c.req.json<{ facts?: unknown }>();
    return c.json({ ruleSet: c.req.param("ruleSet"), received: typeof body.facts === "object" && body.facts !== null });
  });

const port = Number(process.env.PORT ?? 8081);
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? "127.0.0.1" }, (info) => {
  console.log(`bare hono listening on ${info.port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
