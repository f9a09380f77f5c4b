import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { problemCodes } from "../../shared/problems.ts";
import { apiRoute, securitySchemes } from "./api-route.ts";
import type { AppEnv } from "./auth.ts";

const description = `Decisions on an online shop's after-sales policy (refund eligibility and amount, who pays the postage,
which timers run), from rules a policy manager edits in the admin.

Backend services call the decision endpoints with an API key. The management endpoints take an API key or the admin's
session cookie. Every error is \`application/problem+json\` (RFC 9457) with a \`code\` from the closed list below and
the response's \`X-Request-Id\` as \`requestId\`; field errors carry \`{ path, code, params, message }\`.

| code | status | title |
|---|---|---|
${Object.entries(problemCodes)
  .map(([code, { status, title }]) => `| \`${code}\` | ${status} | ${title} |`)
  .join("\n")}
`;

const openApiRoute = apiRoute({
  operationId: "openApiDocument",
  method: "get",
  path: "/openapi.json",
  tags: ["Reference"],
  summary: "This document (OpenAPI 3.1)",
  access: { auth: "public" },
  responses: {
    200: {
      description: "The OpenAPI document",
      content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

/**
 * Serves `GET /openapi.json`, generated from the routes' own declarations, once, on the first request (every route is
 * declared by then). The closed list of problem codes is in the document's description and in the `Problem` schema.
 */
export function serveOpenApiDocument(app: OpenAPIHono<AppEnv>): void {
  let document: unknown;
  for (const [name, scheme] of Object.entries(securitySchemes))
    app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
  app.openapi(openApiRoute, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: { title: "aftersales-rules", version: "1", description },
      tags: [
        { name: "Decisions", description: "What backend services call: decide a case, or a batch of cases." },
        {
          name: "Rule sets",
          description: "Drafts, publishing, four-eyes reviews, schedules, versions, test cases and the simulator.",
        },
        { name: "Users" },
        { name: "API keys" },
        { name: "Session", description: "The admin's sign-in." },
        { name: "Logs", description: "The decision log and the audit log." },
        { name: "Probes", description: "Liveness, readiness and metrics." },
        { name: "Reference" },
      ],
    });
    return c.json(document as Record<string, unknown>, 200);
  });
}
