import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { scopes as allScopes, type Scope } from "../../shared/scopes.ts";
import { appendAudit } from "../audit/store.ts";
import type { Db } from "../db/database.ts";
import { forbidden, unauthorized } from "../errors.ts";

/** Who is calling: an API key's name, its scopes and the rule sets it may use (null: all). */
export type Principal = {
  keyId: string;
  name: string;
  /** Who did it, as the audit log names them: `api-key:<name>` or `user:<name>`. */
  actor: string;
  scopes: ReadonlySet<Scope>;
  ruleSets: ReadonlySet<string> | null;
};

type CachedKey = Principal & { digest: Buffer };

const digestOf = (key: string) => createHash("sha256").update(key, "utf8").digest();
/** Keys are looked up by the first 16 hex digits of their SHA-256; the whole digest is then compared in constant time. */
const lookupIdOf = (digest: Buffer) => digest.subarray(0, 8).toString("hex");

/** A new random key: 256 bits, URL-safe, with a prefix that secret scanners can recognise. */
export function generateApiKey(): string {
  return `asr_${randomBytes(32).toString("base64url")}`;
}

/**
 * The live API keys in memory, so that authenticating a decision never reads the database. Keys
 * are stored as SHA-256 digests only: they are long random strings, so a fast hash is enough.
 */
export class ApiKeyCache {
  readonly #byLookupId = new Map<string, CachedKey>();

  async load(db: Db): Promise<void> {
    const rows = await db.selectFrom("api_keys").selectAll().where("revoked_at", "is", null).execute();
    this.#byLookupId.clear();
    for (const row of rows) {
      this.#byLookupId.set(row.id, {
        keyId: row.id,
        name: row.name,
        actor: `api-key:${row.name}`,
        digest: Buffer.from(row.secret_hash, "hex"),
        scopes: new Set(JSON.parse(row.scopes) as Scope[]),
        ruleSets: row.rule_sets === null ? null : new Set(JSON.parse(row.rule_sets) as string[]),
      });
    }
  }

  /** The key's principal; 401 when the header is missing or the key unknown or revoked. */
  authenticate(authorization: string | undefined): Principal {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw unauthorized("send an API key as 'Authorization: Bearer <key>'");
    const digest = digestOf(match[1]!);
    const cached = this.#byLookupId.get(lookupIdOf(digest));
    if (!cached || !timingSafeEqual(cached.digest, digest)) throw unauthorized("the API key is unknown or revoked");
    return cached;
  }

  forget(keyId: string): void {
    this.#byLookupId.delete(keyId);
  }
}

/** 403 unless the principal holds the scope (and, when a rule set is named, may use it). */
export function requireScope(principal: Principal, scope: Scope, ruleSet?: string): void {
  if (!principal.scopes.has(scope)) throw forbidden(`the API key "${principal.name}" lacks the scope ${scope}`);
  if (ruleSet !== undefined && principal.ruleSets !== null && !principal.ruleSets.has(ruleSet)) {
    throw forbidden(`the API key "${principal.name}" may not use the rule set "${ruleSet}"`);
  }
}

/** Stores a key (its digest only) with its audit row; returns its id. Call inside a transaction. */
export async function insertApiKey(
  db: Db,
  key: { secret: string; name: string; scopes?: readonly Scope[]; ruleSets?: readonly string[] | null; actor: string },
  at: Date,
): Promise<string> {
  const digest = digestOf(key.secret);
  const id = lookupIdOf(digest);
  await db
    .insertInto("api_keys")
    .values({
      id,
      name: key.name,
      secret_hash: digest.toString("hex"),
      scopes: JSON.stringify(key.scopes ?? allScopes),
      rule_sets: key.ruleSets ? JSON.stringify(key.ruleSets) : null,
      created_at: at.toISOString(),
      created_by: key.actor,
      revoked_at: null,
    })
    .execute();
  await appendAudit(db, { actor: key.actor, action: "api-key.create", entity: "api-key", entityKey: id, detail: { name: key.name, scopes: key.scopes ?? allScopes, ruleSets: key.ruleSets ?? null } }, at);
  return id;
}
