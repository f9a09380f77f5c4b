import { z } from "zod";
import { ApiKey, ApiKeyInput, CreatedApiKey } from "../../shared/access.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, noContent, pathParams } from "../http/openapi.ts";
import * as service from "./service.ts";

// A principal limited to some rule sets manages only keys limited to those (service.ts).
const access = { auth: "key-or-session", scope: "keys:manage" } as const;

const listApiKeys = apiRoute({
  operationId: "listApiKeys",
  method: "get",
  path: "/",
  tags: ["API keys"],
  summary: "List API keys (never the key itself)",
  access,
  responses: {
    200: json(z.object({ apiKeys: z.array(ApiKey) }), "The keys the caller may manage, revoked ones included"),
  },
});

const createApiKey = apiRoute({
  operationId: "createApiKey",
  method: "post",
  path: "/",
  tags: ["API keys"],
  summary: "Create an API key (the key is shown once, in this answer)",
  access,
  request: { body: jsonBody(ApiKeyInput) },
  responses: { 201: json(CreatedApiKey, "The key, with its secret `key`: store it now, it is never shown again") },
});

const revokeApiKey = apiRoute({
  operationId: "revokeApiKey",
  method: "delete",
  path: "/{id}",
  tags: ["API keys"],
  summary: "Revoke an API key",
  access,
  refusals: ["not_found"],
  request: { params: pathParams({ id: z.string().meta({ example: "01JF2Q8ZQ3N6V1K5X7Y9B0C2D4" }) }) },
  responses: { 204: noContent("The key no longer authenticates") },
});

/** `/api/v1/api-keys`: list, create (the secret shown once), revoke. */
export function apiKeyRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(listApiKeys, async (c) => c.json({ apiKeys: await service.listApiKeys(ctx, c.get("principal")) }, 200))
    .openapi(createApiKey, async (c) => {
      const created = await service.createApiKey(ctx, c.req.valid("json"), c.get("principal"));
      c.header("cache-control", "no-store");
      return c.json(created, 201);
    })
    .openapi(revokeApiKey, async (c) => {
      await service.revokeApiKey(ctx, c.req.valid("param").id, c.get("principal"));
      return c.body(null, 204);
    });
}
