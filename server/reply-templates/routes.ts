import { z } from "zod";
import {
  RenderInput,
  RenderResult,
  TemplateDetail,
  TemplateDraftInput,
  TemplateKey,
  TemplatePublishInput,
  TemplateRestoreInput,
  TemplateSummary,
  TemplateVersion,
} from "../../shared/reply-templates.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import { renderReply } from "./render.ts";
import * as service from "./service.ts";

/** Reply templates belong to the after-sales playbook: a key limited to other rule sets may not use them. */
const PLAYBOOK = { key: "service-playbook" } as const;
const onTemplates = (scope: "rules:read" | "rules:write" | "rules:publish") =>
  ({ auth: "key-or-session", scope, ruleSet: PLAYBOOK }) as const;
const template = pathParams({ key: z.string().meta({ description: "The template's key", example: "late_delivery" }) });
const tags = ["Reply templates"];

const listTemplates = apiRoute({
  operationId: "listReplyTemplates",
  method: "get",
  path: "/reply-templates",
  tags,
  summary: "List reply templates",
  access: onTemplates("rules:read"),
  responses: { 200: json(z.object({ templates: z.array(TemplateSummary) }), "Every template, by key") },
});

const getTemplate = apiRoute({
  operationId: "getReplyTemplate",
  method: "get",
  path: "/reply-templates/{key}",
  tags,
  summary: "A reply template: its draft and its published version",
  access: onTemplates("rules:read"),
  refusals: ["not_found"],
  request: { params: template },
  responses: { 200: json(TemplateDetail, "The template") },
});

const saveDraft = apiRoute({
  operationId: "saveReplyTemplateDraft",
  method: "put",
  path: "/reply-templates/{key}/draft",
  tags,
  summary: "Save a template's draft (revision 0 creates the template)",
  description:
    "On the draft's current `revision` (409 `conflict` with `currentRevision` otherwise). Each text is at most 2 000 characters; a `{placeholder}` not in the closed list answers 422 `unknown_placeholder` naming each with its language and position; a brace without its pair 422 `invalid` (`unbalanced_braces`). At most 200 templates.",
  access: onTemplates("rules:write"),
  refusals: ["not_found", "conflict", "unknown_placeholder"],
  request: { params: pathParams({ key: TemplateKey }), body: jsonBody(TemplateDraftInput) },
  responses: { 200: json(TemplateDetail, "The template with the saved draft") },
});

const publish = apiRoute({
  operationId: "publishReplyTemplate",
  method: "post",
  path: "/reply-templates/{key}/publish",
  tags,
  summary: "Publish the draft as the next version",
  description:
    "`revision` is the draft's revision the publisher saw (409 otherwise). A draft equal to the published version publishes nothing.",
  access: onTemplates("rules:publish"),
  refusals: ["not_found", "conflict"],
  request: { params: template, body: jsonBody(TemplatePublishInput) },
  responses: { 200: json(TemplateDetail, "The template with its published version") },
});

const listVersions = apiRoute({
  operationId: "listReplyTemplateVersions",
  method: "get",
  path: "/reply-templates/{key}/versions",
  tags,
  summary: "Published versions with their text, newest first (the latest 100)",
  access: onTemplates("rules:read"),
  refusals: ["not_found"],
  request: { params: template },
  responses: { 200: json(z.object({ versions: z.array(TemplateVersion) }), "The versions") },
});

const restore = apiRoute({
  operationId: "restoreReplyTemplateVersion",
  method: "post",
  path: "/reply-templates/{key}/restore",
  tags,
  summary: "Make the draft an earlier version's text",
  description: "On the draft's current `revision` (409 otherwise); publish the draft to make it the one renders use.",
  access: onTemplates("rules:write"),
  refusals: ["not_found", "conflict"],
  request: { params: template, body: jsonBody(TemplateRestoreInput) },
  responses: { 200: json(TemplateDetail, "The template with the restored draft") },
});

const render = apiRoute({
  operationId: "renderReply",
  method: "post",
  path: "/replies/render",
  tags,
  summary: "A reply's text from a template's published version",
  description:
    "Names the template by `template` or by a service-playbook `decision` (the decision object or the whole decision response); `{compensation}` is then filled from its `compensationFen` unless given. Values are inserted as plain text. 422 `missing_variables` names each placeholder the text needs without a value (`errors[].path`: `variables.<name>`). For API keys with `decisions:evaluate` (counted against the key's rate limit like a decision) and every signed-in user.",
  access: {
    auth: "key-or-session",
    scope: "decisions:evaluate",
    sessionScope: "rules:read",
    ruleSet: PLAYBOOK,
  },
  refusals: ["not_found", "missing_variables", "rate_limited"],
  request: {
    body: jsonBody(RenderInput, {
      template: {
        summary: "By template key",
        value: {
          template: "late_delivery",
          language: "zh",
          variables: { item: "连衣裙", fromCity: "杭州", toCity: "成都", days: 3 },
        },
      },
      decision: {
        summary: "From a playbook decision",
        value: {
          decision: { template: "fulfilment_error", compensationFen: 1000 },
          language: "en",
          variables: { orderNo: "20261111123456", item: "dress" },
        },
      },
    }),
  },
  responses: { 200: json(RenderResult, "The reply's text") },
});

/** `/api/v1/reply-templates` (the templates, versioned like rules) and `/api/v1/replies/render`. */
export function replyTemplateRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(listTemplates, async (c) => c.json({ templates: await service.listTemplates(ctx) }, 200))
    .openapi(getTemplate, async (c) => c.json(await service.getTemplate(ctx, c.req.valid("param").key), 200))
    .openapi(saveDraft, async (c) => {
      const saved = await service.saveDraft(
        ctx,
        c.req.valid("param").key,
        c.req.valid("json"),
        c.get("principal").actor,
      );
      return c.json(saved, 200);
    })
    .openapi(publish, async (c) => {
      const published = await service.publishDraft(
        ctx,
        c.req.valid("param").key,
        c.req.valid("json"),
        c.get("principal").actor,
      );
      return c.json(published, 200);
    })
    .openapi(listVersions, async (c) =>
      c.json({ versions: await service.listVersions(ctx, c.req.valid("param").key) }, 200),
    )
    .openapi(restore, async (c) => {
      const restored = await service.restoreVersion(
        ctx,
        c.req.valid("param").key,
        c.req.valid("json"),
        c.get("principal").actor,
      );
      return c.json(restored, 200);
    })
    .openapi(render, async (c) => {
      // a backend's key renders within its decisions budget; people in the admin are not counted
      if (c.get("user") === undefined) ctx.keyRateLimit?.take(c.get("principal").keyId);
      return c.json(await renderReply(ctx, c.req.valid("json")), 200);
    });
}
