import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { spreadsheetSafe } from "../../shared/csv.ts";
import { AuditEntry, AuditQuery } from "../../shared/logs.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { readAudit } from "./service.ts";

const readAuditLog = apiRoute({
  operationId: "readAuditLog",
  method: "get",
  path: "/",
  tags: ["Logs"],
  summary: "Read the audit log",
  description:
    "Filtered, as JSON or as CSV (`format=csv`, every cell safe from formula injection), as much of it as the caller may read.",
  access: { auth: "key-or-session", scope: "audit:read" },
  request: { query: AuditQuery },
  responses: {
    200: {
      description: "A page of entries, newest first; `next` is the `before` of the next page",
      content: {
        "application/json": { schema: z.object({ entries: z.array(AuditEntry), next: z.string().nullable() }) },
        "text/csv": { schema: z.string() },
      },
    },
  },
});

/** `/api/v1/audit`. */
export function auditRoutes(ctx: AppContext) {
  return apiRouter().openapi(readAuditLog, async (c) => {
    const query = c.req.valid("query");
    const entries = await readAudit(ctx, query, c.get("principal"));
    if (query.format === "json")
      return c.json({ entries, next: entries.length === query.limit ? entries[0]!.id : null }, 200);
    const csv = stringify(
      entries.map((e) =>
        [e.id, e.at, e.actor, e.action, e.entity, e.entityKey, JSON.stringify(e.detail)].map(spreadsheetSafe),
      ),
      { header: true, columns: ["id", "at", "actor", "action", "entity", "entity_key", "detail"] },
    );
    c.header("content-disposition", `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    // a byte-order mark so that spreadsheet programs read the Chinese text as UTF-8
    return c.body(`\uFEFF${csv}`, 200, { "content-type": "text/csv; charset=utf-8" });
  });
}
