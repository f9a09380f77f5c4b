import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Hono } from "hono";

/** Scalar's browser bundle, from the installed package (its `exports` name this file). */
const SCALAR_BUNDLE = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");

/**
 * Scalar's options: everything it would fetch from elsewhere turned off, so that the page makes no request outside
 * this service. No fonts from fonts.scalar.com, no agent (it uploads the document to Scalar), no developer tools (their
 * "share" uploads it too), no request proxy: "Test request" goes straight to this service, the page's own origin.
 */
export const SCALAR_CONFIGURATION = {
  title: "aftersales-rules API",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  documentDownloadType: "json",
};

const escapeAttribute = (text: string) => text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/**
 * Scalar reads its configuration from the `#api-reference` element's data attributes when its bundle loads, so the
 * page needs no inline script. Both URLs are relative: behind a proxy's path prefix they stay under it.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aftersales-rules API</title>
</head>
<body>
<script id="api-reference" data-url="openapi.json" data-configuration="${escapeAttribute(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
<script src="docs/scalar.js"></script>
</body>
</html>
`;

/**
 * `/docs`, the interactive API reference (Scalar) of the document at `/openapi.json`, and `/docs/scalar.js`, Scalar's
 * bundle served from node_modules: nothing is loaded from another host.
 */
export function apiDocsRoutes() {
  let bundle: Promise<string> | undefined;
  return new Hono()
    .get("/docs", (c) => {
      c.header("cache-control", "no-cache");
      return c.html(PAGE);
    })
    .get("/docs/scalar.js", async (c) => {
      // read once, at the first request: 3.5 MB that a service nobody browses the docs of never needs
      bundle ??= readFile(SCALAR_BUNDLE, "utf8");
      c.header("content-type", "application/javascript; charset=utf-8");
      c.header("cache-control", "public, max-age=31536000, immutable");
      return c.body(await bundle);
    });
}
