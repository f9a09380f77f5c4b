import type { ApiKey } from "../../shared/access.ts";
import type { Db } from "../db/database.ts";

/** Every column but the secret's hash, which never leaves the authentication cache. */
const columns = [
  "id",
  "name",
  "scopes",
  "rule_sets",
  "expires_at",
  "created_at",
  "created_by",
  "last_used_at",
  "revoked_at",
] as const;

type ApiKeyRow = {
  id: string;
  name: string;
  scopes: string;
  rule_sets: string | null;
  expires_at: string | null;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    ruleSets: row.rule_sets === null ? null : (JSON.parse(row.rule_sets) as string[]),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom("api_keys")
    .select(columns)
    .orderBy("created_at", "asc")
    .orderBy("id", "asc")
    .execute();
  return rows.map(toApiKey);
}

export async function findApiKey(db: Db, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom("api_keys").select(columns).where("id", "=", id).executeTakeFirst();
  return row && toApiKey(row);
}

/** The stored row with its hash, for the authentication cache only. */
export async function findApiKeyForCache(db: Db, id: string) {
  return db
    .selectFrom("api_keys")
    .select(["id", "name", "secret_hash", "scopes", "rule_sets", "expires_at"])
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Whether a key that is not revoked goes by this name (names are how logs tell keys apart). */
export async function activeNameTaken(db: Db, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("api_keys")
    .select("id")
    .where("name", "=", name)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeApiKey(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable("api_keys")
    .set({ revoked_at: at })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
}
