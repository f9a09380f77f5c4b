import { monotonicFactory } from "ulid";
import type { AuditEntry, AuditQuery } from "../../shared/logs.ts";
import type { Db } from "../db/database.ts";
import { currentOrigin } from "../http/origin.ts";

/** Ids sort in the order rows were written, even within one millisecond. */
const nextId = monotonicFactory();

export type AuditInput = {
  actor: string;
  action: string;
  entity: string;
  entityKey: string;
  detail?: unknown;
  from?: string;
};

/**
 * Appends one audit row. Call it with the transaction that makes the change, so that the change
 * and its record commit or roll back together. The log is append-only: nothing updates or
 * deletes its rows.
 */
export async function appendAudit(db: Db, entry: AuditInput, at: Date): Promise<void> {
  const from = entry.from ?? currentOrigin();
  const detail = from === undefined ? (entry.detail ?? {}) : { from, ...(entry.detail as object) };
  await db
    .insertInto("audit_log")
    .values({
      id: nextId(at.getTime()),
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_key: entry.entityKey,
      detail: JSON.stringify(detail),
    })
    .execute();
}

/** Who reads: only entries about these rule sets (null: every entry), and none of these actions. */
export type AuditReader = { ruleSets: ReadonlySet<string> | null; skipActions: readonly string[] };

/** Audit entries, oldest first, filtered; `before` and `limit` page backwards from the newest when asked. */
export async function listAudit(
  db: Db,
  filter: Partial<AuditQuery> = {},
  reader: AuditReader = { ruleSets: null, skipActions: [] },
): Promise<AuditEntry[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (reader.ruleSets !== null) {
    query = query
      .where("entity", "=", "rule-set")
      .where("entity_key", "in", reader.ruleSets.size === 0 ? [""] : [...reader.ruleSets]);
  }
  if (reader.skipActions.length > 0) query = query.where("action", "not in", reader.skipActions);
  if (filter.entity) query = query.where("entity", "=", filter.entity);
  if (filter.entityKey) query = query.where("entity_key", "=", filter.entityKey);
  if (filter.actor) query = query.where("actor", "=", filter.actor);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.from) query = query.where("at", ">=", new Date(filter.from).toISOString());
  if (filter.to) query = query.where("at", "<=", new Date(filter.to).toISOString());
  if (filter.before) query = query.where("id", "<", filter.before);
  const rows =
    filter.limit === undefined
      ? await query.orderBy("id", "asc").execute()
      : (await query.orderBy("id", "desc").limit(filter.limit).execute()).reverse();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityKey: row.entity_key,
    detail: JSON.parse(row.detail) as unknown,
  }));
}
