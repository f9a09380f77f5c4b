import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_DOCS_CONTENT_SECURITY_POLICY } from "../../server/http/api-docs.ts";
import { CONTENT_SECURITY_POLICY } from "../../server/http/security-headers.ts";
import { launchBrowser, openPage, screenshot } from "../helpers/browser.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";

/** `/docs`, the API reference (Scalar), in real Chromium: it renders `/openapi.json` and asks no other host for anything. */

const BUNDLE = createRequire(import.meta.url).resolve("@scalar/api-reference/browser/standalone.js");

let app: TestApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([createTestApp(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((p) => p[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

type Violation = {
  directive: string;
  blockedURI: string;
  sourceFile: string;
  lineNumber: number;
  columnNumber: number;
};

/**
 * Scalar's zod checks whether it may compile validators with `new Function("")`, is refused (no 'unsafe-eval') and
 * validates without: the one violation the page may cause, recognised by where in the bundle it comes from.
 */
function isZodEvalProbe(violation: Violation): boolean {
  if (
    violation.directive !== "script-src" ||
    violation.blockedURI !== "eval" ||
    !new URL(violation.sourceFile).pathname.endsWith("/docs/scalar.js")
  )
    return false;
  const line = readFileSync(BUNDLE, "utf8").split("\n")[violation.lineNumber - 1] ?? "";
  return line.slice(violation.columnNumber - 1).startsWith('new Function("")');
}

describe("the API reference at /docs", () => {
  it("answers an HTML page with its own strict CSP, and Scalar's bundle with a year's cache; everything else keeps the admin's CSP", async () => {
    const page = await fetch(`${app.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toBe(API_DOCS_CONTENT_SECURITY_POLICY);
    const csp = directives(page.headers.get("content-security-policy"));
    expect(csp.get("default-src")).toEqual(["'none'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    // the other security headers are still there
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).toContain("<title>aftersales-rules API</title>");
    expect(html).not.toMatch(/https?:\/\//);

    const src = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
    expect(src).toMatch(/^docs\/scalar\.js\?v=/);
    const bundle = await fetch(new URL(src!, `${app.url}/docs`));
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(bundle.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await bundle.arrayBuffer()).equals(readFileSync(BUNDLE))).toBe(true);

    for (const path of ["/docs/scalar.js", "/openapi.json", "/admin/"]) {
      const other = directives((await fetch(`${app.url}${path}`)).headers.get("content-security-policy"));
      expect(other.get("default-src"), path).toEqual(CONTENT_SECURITY_POLICY.defaultSrc);
      expect(other.get("style-src"), path).toEqual(CONTENT_SECURITY_POLICY.styleSrc);
    }
  });

  it("renders the service's OpenAPI document in Chromium and tries a request, without a request to another host or a CSP violation", async () => {
    const served = await app.call("GET", "/openapi.json");
    expect(served.status, JSON.stringify(served.body)).toBe(200);
    const openApi = served.body;
    expect(openApi.openapi).toMatch(/^3\.1\./);
    const { context, page, consoleErrors } = await openPage(browser, { lang: "en" });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.addInitScript(() => {
      const violations: Violation[] = [];
      (window as unknown as { cspViolations: Violation[] }).cspViolations = violations;
      document.addEventListener("securitypolicyviolation", (e: SecurityPolicyViolationEvent) =>
        violations.push({
          directive: e.effectiveDirective,
          blockedURI: e.blockedURI,
          sourceFile: e.sourceFile,
          lineNumber: e.lineNumber,
          columnNumber: e.columnNumber,
        }),
      );
    });
    const bundleResponse = page.waitForResponse((response) => new URL(response.url()).pathname === "/docs/scalar.js");

    await page.goto(`${app.url}/docs`);
    await page.getByRole("heading", { name: openApi.info.title, level: 1 }).waitFor();
    await page.getByRole("heading", { name: openApi.tags[0].name }).first().waitFor();
    await screenshot(page, "16-api-reference");

    // "Test Request" calls this service itself, through no proxy
    const tryIt = page.getByRole("button", { name: "Test Request (get /livez)" });
    if (!(await tryIt.isVisible()))
      await page.getByRole("button", { name: openApi.paths["/livez"].get.tags[0] }).first().click();
    await tryIt.click();
    const answer = page.waitForResponse((response) => new URL(response.url()).pathname === "/livez");
    await page.getByRole("button", { name: /^Send get request to/ }).click();
    expect((await answer).status()).toBe(200);
    await page.getByRole("dialog").getByText("200 OK").waitFor();

    const host = new URL(app.url).host;
    expect(requests.filter((url) => new URL(url).host !== host)).toEqual([]);
    expect(requests.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining(["/docs", "/docs/scalar.js", "/openapi.json", "/livez"]),
    );
    expect((await bundleResponse).headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    const violations = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);
    expect(violations.filter((violation) => !isZodEvalProbe(violation))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
