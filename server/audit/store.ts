import { monotonicFactory } from "ulid";
import type { Db } from "../db/database.ts";

/** Ids sort in the order rows were written, even within one millisecond. */
const nextId = monotonicFactory();

export type AuditEntry = { actor: string; action: string; entity: string; entityKey: string; detail?: unknown };

/**
 * Appends one audit row. Call it with the transaction that makes the change, so that the change
 * and its record commit or roll back together.
 */
export async function appendAudit(db: Db, entry: AuditEntry, at: Date): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      id: nextId(at.getTime()),
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      entity_key: entry.entityKey,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

export async function listAudit(db: Db, filter: { entity?: string; entityKey?: string } = {}) {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "asc");
  if (filter.entity) query = query.where("entity", "=", filter.entity);
  if (filter.entityKey) query = query.where("entity_key", "=", filter.entityKey);
  const rows = await query.execute();
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
