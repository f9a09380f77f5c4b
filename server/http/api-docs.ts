import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

/** Scalar's browser bundle, from the installed package (its `exports` name this file). */
const SCALAR_BUNDLE = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");

/**
 * Scalar's options: everything that would reach another host turned off, so that the page makes no request outside
 * this service. No fonts from fonts.scalar.com, no agent (it uploads the document to Scalar), no developer tools (their
 * "share" uploads it too), no link to Scalar's hosted client, no request proxy: "Test Request" goes straight to this
 * service. The document download is made in the page, from the document it already has.
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

/**
 * The page's own Content-Security-Policy, stricter than the admin's where Scalar allows it: nothing from anywhere by
 * default, our own scripts only (no inline script, no eval: Scalar's zod only probes for `new Function`, is refused
 * and parses without it), inline styles (Scalar injects its CSS as <style> elements and style attributes), requests to
 * this service only (the document and "Test Request"), the empty `data:` favicon, no fonts (system ones).
 */
export const API_DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const escapeAttribute = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");

/**
 * Scalar reads its configuration from the `#api-reference` element's data attributes when its bundle loads, so the
 * page needs no inline script. Both URLs are relative, so that behind a proxy's path prefix they stay under it; the
 * bundle's carries Scalar's version, so that a year's cache never outlives an upgrade.
 */
function page(scalarVersion: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>aftersales-rules API</title>
<link rel="icon" href="data:,">
</head>
<body>
<script id="api-reference" data-url="openapi.json" data-configuration="${escapeAttribute(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
<script src="docs/scalar.js?v=${encodeURIComponent(scalarVersion)}"></script>
</body>
</html>
`;
}

/**
 * `/docs`, the interactive API reference (Scalar) of the document at `/openapi.json`, and `/docs/scalar.js`, Scalar's
 * bundle served from node_modules: the page loads nothing from another host.
 */
export function apiDocsRoutes() {
  let html: string | undefined;
  let bundle: Promise<Uint8Array<ArrayBuffer>> | undefined;
  return new Hono()
    .get("/docs", (c) => {
      html ??= page(
        (
          JSON.parse(readFileSync(join(dirname(SCALAR_BUNDLE), "..", "..", "package.json"), "utf8")) as {
            version: string;
          }
        ).version,
      );
      c.header("cache-control", "no-cache");
      c.header("content-security-policy", API_DOCS_CONTENT_SECURITY_POLICY);
      return c.html(html);
    })
    .get("/docs/scalar.js", async (c) => {
      // read at the first request, then kept: 3.5 MB that a service nobody reads the reference of never needs
      bundle ??= readFile(SCALAR_BUNDLE).then(
        (content) => new Uint8Array(content),
        (error: unknown) => {
          bundle = undefined;
          throw error;
        },
      );
      c.header("content-type", "text/javascript; charset=utf-8");
      c.header("cache-control", "public, max-age=31536000, immutable");
      return c.body(await bundle);
    });
}
