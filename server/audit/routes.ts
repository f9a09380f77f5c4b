import { zValidator } from "@hono/zod-validator";
import { stringify } from "csv-stringify/sync";
import { Hono } from "hono";
import { spreadsheetSafe } from "../../shared/csv.ts";
import { AuditQuery } from "../../shared/logs.ts";
import { requireScope } from "../auth/api-keys.ts";
import type { AppContext } from "../context.ts";
import { invalid } from "../errors.ts";
import { keyOrSessionAuth, type AppEnv } from "../http/auth.ts";
import { fieldProblems } from "../http/validation.ts";
import { readAudit } from "./service.ts";

/**
 * `GET /api/v1/audit`: the audit log, filtered, as JSON or CSV (`format=csv`, for spreadsheets, every
 * cell safe from formula injection), as much of it as the caller may read (service.ts).
 */
export function auditRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .use("*", keyOrSessionAuth(ctx))
    .get(
      "/",
      zValidator("query", AuditQuery, (result) => {
        if (!result.success) throw invalid("the query breaks the audit query schema", fieldProblems(result.error.issues));
      }),
      async (c) => {
        requireScope(c.get("principal"), "audit:read");
        const query = c.req.valid("query");
        const entries = await readAudit(ctx, query, c.get("principal"));
        if (query.format === "json") return c.json({ entries, next: entries.length === query.limit ? entries[0]!.id : null });
        const csv = stringify(
          entries.map((e) => [e.id, e.at, e.actor, e.action, e.entity, e.entityKey, JSON.stringify(e.detail)].map(spreadsheetSafe)),
          { header: true, columns: ["id", "at", "actor", "action", "entity", "entity_key", "detail"] },
        );
        c.header("content-disposition", `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
        // a byte-order mark so that spreadsheet programs read the Chinese text as UTF-8
        return c.body(`\uFEFF${csv}`, 200, { "content-type": "text/csv; charset=utf-8" });
      },
    );
}
