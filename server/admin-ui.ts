import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

/**
 * The built admin (dist/admin, from `npm run build`) under /admin: hashed assets cached for a
 * year, every other path answered with index.html so the admin's router can take it.
 */
export function adminRoutes(distDir = "dist/admin") {
  const indexFile = join(distDir, "index.html");
  const app = new Hono();
  app.use(
    "/admin/assets/*",
    serveStatic({
      root: distDir,
      rewriteRequestPath: (path) => path.replace(/^\/admin/, ""),
      onFound: (_path, c) => {
        c.header("cache-control", "public, max-age=31536000, immutable");
      },
    }),
  );
  app.get("/admin/*", (c) => {
    if (!existsSync(indexFile)) {
      return c.html(
        "<!doctype html><meta charset=utf-8><title>aftersales-rules</title><p>The admin has not been built: run <code>npm run build</code> (npm start does it for you).</p>",
        503,
      );
    }
    c.header("cache-control", "no-cache");
    return c.html(readFileSync(indexFile, "utf8"));
  });
  app.get("/admin", (c) => c.redirect("/admin/", 301));
  app.get("/", (c) => c.redirect("/admin/", 302));
  return app;
}
