import { z } from "zod";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json } from "../http/openapi.ts";

const Settings = z
  .object({
    businessTimeZone: z.string().meta({
      description: "`BUSINESS_TIME_ZONE`: the IANA time zone whose wall clock the admin shows and takes every time in",
      example: "Asia/Shanghai",
    }),
    now: z.iso.datetime().meta({
      description: "The service's clock, which decisions without `now` and rules' validity windows are read against",
      example: "2026-11-20T02:00:00.000Z",
    }),
  })
  .meta({ id: "Settings" });

const getSettings = apiRoute({
  operationId: "getSettings",
  method: "get",
  path: "/",
  tags: ["Session"],
  summary: "The service's business time zone and clock, which the admin loads at start",
  description: "Public: the admin reads it before anyone signs in. It holds no secret.",
  access: { auth: "public" },
  responses: { 200: json(Settings, "The business time zone and the service's current time") },
});

/** `/api/v1/settings`: what the admin must know of the service's configuration before it shows any time. */
export function settingsRoutes(ctx: AppContext) {
  return apiRouter().openapi(getSettings, (c) =>
    c.json({ businessTimeZone: ctx.businessTimeZone, now: ctx.now().toISOString() }, 200),
  );
}
