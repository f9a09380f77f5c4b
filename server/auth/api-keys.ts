import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import { scopes as allScopes, type Scope } from "../../shared/scopes.ts";
import { appendAudit } from "../audit/store.ts";
import type { Db } from "../db/database.ts";
import { forbidden, unauthorized } from "../errors.ts";
import { announceChange } from "../cluster/change-feed.ts";

/** Who is calling: an API key's name, its scopes and the rule sets it may use (null: all). */
export type Principal = {
  keyId: string;
  name: string;
  /** Who did it, as the audit log names them: `api-key:<name>` or `user:<name>`. */
  actor: string;
  scopes: ReadonlySet<Scope>;
  ruleSets: ReadonlySet<string> | null;
};

type CachedKey = Principal & { digest: Buffer; expiresAtMs: number | null };

type ApiKeyRow = {
  id: string;
  name: string;
  secret_hash: string;
  scopes: string;
  rule_sets: string | null;
  expires_at: string | null;
};

/** SHA-256 of the key, with the one-shot `hash` (Node 20.12+): it runs on every decision, and costs less than a Hash object. */
const digestOf = (key: string): Buffer => hash("sha256", key, "buffer");
/** Keys are looked up by the first 16 hex digits of their SHA-256; the whole digest is then compared in constant time. */
const lookupIdOf = (digest: Buffer) => digest.subarray(0, 8).toString("hex");

/** Distinct `Authorization` headers remembered at most (ApiKeyCache's #byHeader): far more than a service has callers. */
const MAX_REMEMBERED_HEADERS = 1_000;

/** A new random key: 256 bits, URL-safe, with a prefix that secret scanners can recognise. */
export function generateApiKey(): string {
  return `asr_${randomBytes(32).toString("base64url")}`;
}

/**
 * The live API keys in memory, so that authenticating a decision never reads the database. Keys
 * are stored as SHA-256 digests only: they are long random strings, so a fast hash is enough.
 *
 * When each key was last used is noted in memory too and written by `trackUsage`'s timer at most
 * once a minute (and at `close`): a decision never waits for a database write.
 */
export class ApiKeyCache {
  readonly #byLookupId = new Map<string, CachedKey>();
  /**
   * `Authorization` headers already checked → their key. The digest of a key (a SHA-256 and its hex) was most of what
   * authenticating a decision cost; a header seen before is one map lookup. Emptied whenever the keys
   * change, and when it reaches MAX_REMEMBERED_HEADERS, so that senders of endless different keys cannot grow it. It
   * holds the keys themselves, as every request in flight does: nothing is written anywhere.
   */
  readonly #byHeader = new Map<string, CachedKey>();
  /** Key id → when it last authenticated (epoch ms), not yet written. */
  readonly #lastUsed = new Map<string, number>();
  /** Counts the changes made here (`remember`, `forget`), so that a reload never undoes one it did not see. */
  #changes = 0;
  #usage: { db: Db; timer: NodeJS.Timeout; onError: (error: unknown) => void } | undefined;
  #flushing: Promise<void> = Promise.resolve();

  /**
   * Reads the live keys from the database and replaces those in memory with them (at start, and when another instance
   * changed a key). Read again when a key was created or revoked here meanwhile: the rows read before might lack it.
   */
  async load(db: Db): Promise<void> {
    let rows: ApiKeyRow[];
    let changes: number;
    do {
      changes = this.#changes;
      rows = await db.selectFrom("api_keys").selectAll().where("revoked_at", "is", null).execute();
    } while (changes !== this.#changes);
    this.#byLookupId.clear();
    this.#byHeader.clear();
    for (const row of rows) this.remember(row);
  }

  /** Adds one live key, as stored (a key just created). */
  remember(row: ApiKeyRow): void {
    this.#changes++;
    this.#byHeader.clear();
    this.#byLookupId.set(row.id, {
      keyId: row.id,
      name: row.name,
      actor: `api-key:${row.name}`,
      digest: Buffer.from(row.secret_hash, "hex"),
      scopes: new Set(JSON.parse(row.scopes) as Scope[]),
      ruleSets: row.rule_sets === null ? null : new Set(JSON.parse(row.rule_sets) as string[]),
      expiresAtMs: row.expires_at === null ? null : Date.parse(row.expires_at),
    });
  }

  /** The key's principal; 401 when the header is missing or the key unknown, revoked or expired at `nowMs`. */
  authenticate(authorization: string | undefined, nowMs: number): Principal {
    const cached =
      (authorization !== undefined ? this.#byHeader.get(authorization) : undefined) ?? this.#lookUp(authorization);
    if (cached.expiresAtMs !== null && nowMs >= cached.expiresAtMs) throw unauthorized("the API key has expired");
    this.#lastUsed.set(cached.keyId, nowMs);
    return cached;
  }

  /** The live key that `authorization` names, by its digest; remembered by header. 401 when there is none. */
  #lookUp(authorization: string | undefined): CachedKey {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw unauthorized("send an API key as 'Authorization: Bearer <key>'");
    const digest = digestOf(match[1]!);
    const cached = this.#byLookupId.get(lookupIdOf(digest));
    if (!cached || !timingSafeEqual(cached.digest, digest)) throw unauthorized("the API key is unknown or revoked");
    if (this.#byHeader.size >= MAX_REMEMBERED_HEADERS) this.#byHeader.clear();
    this.#byHeader.set(authorization!, cached);
    return cached;
  }

  /** Revoked: refused from the next request on. */
  forget(keyId: string): void {
    this.#changes++;
    this.#byLookupId.delete(keyId);
    this.#byHeader.clear();
  }

  /** When the key was last used, if that is not written yet. */
  pendingLastUse(keyId: string): number | undefined {
    return this.#lastUsed.get(keyId);
  }

  /** Writes last-use times to `db` every `everyMs` (default a minute) in the background. */
  trackUsage(db: Db, options: { everyMs?: number; onError: (error: unknown) => void }): void {
    if (this.#usage) clearInterval(this.#usage.timer);
    const timer = setInterval(() => void this.flushUsage(), options.everyMs ?? 60_000);
    timer.unref();
    this.#usage = { db, timer, onError: options.onError };
  }

  /** Writes the pending last-use times now; one write at a time. */
  flushUsage(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#writeUsage());
    return this.#flushing;
  }

  async #writeUsage(): Promise<void> {
    const usage = this.#usage;
    if (!usage || this.#lastUsed.size === 0) return;
    const pending = [...this.#lastUsed];
    this.#lastUsed.clear();
    try {
      await usage.db.transaction().execute(async (tx) => {
        for (const [id, at] of pending) {
          await tx
            .updateTable("api_keys")
            .set({ last_used_at: new Date(at).toISOString() })
            .where("id", "=", id)
            .execute();
        }
      });
    } catch (error) {
      // keep what was not written for the next round, unless the key was used again since
      for (const [id, at] of pending) if (!this.#lastUsed.has(id)) this.#lastUsed.set(id, at);
      usage.onError(error);
    }
  }

  /** Stops the timer and writes what is pending (at shutdown, before the database closes). */
  async close(): Promise<void> {
    if (this.#usage) clearInterval(this.#usage.timer);
    await this.flushUsage();
    this.#usage = undefined;
  }
}

/** 403 unless the principal holds the scope (and, when a rule set is named, may use it). */
export function requireScope(principal: Principal, scope: Scope, ruleSet?: string): void {
  if (!principal.scopes.has(scope)) throw forbidden(`${describe(principal)} lacks the scope ${scope}`);
  if (ruleSet !== undefined && principal.ruleSets !== null && !principal.ruleSets.has(ruleSet)) {
    throw forbidden(`${describe(principal)} may not use the rule set "${ruleSet}"`);
  }
}

const describe = (principal: Principal) =>
  principal.actor.startsWith("user:") ? `the user "${principal.name}"` : `the API key "${principal.name}"`;

/** Stores a key (its digest only) with its audit row; returns its id. Call inside a transaction. */
export async function insertApiKey(
  db: Db,
  key: {
    secret: string;
    name: string;
    scopes?: readonly Scope[];
    ruleSets?: readonly string[] | null;
    expiresAt?: string | null;
    actor: string;
  },
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
      expires_at: key.expiresAt ?? null,
      last_used_at: null,
    })
    .execute();
  await appendAudit(
    db,
    {
      actor: key.actor,
      action: "api-key.create",
      entity: "api-key",
      entityKey: id,
      detail: {
        name: key.name,
        scopes: key.scopes ?? allScopes,
        ruleSets: key.ruleSets ?? null,
        expiresAt: key.expiresAt ?? null,
      },
    },
    at,
  );
  await announceChange(db, { topic: "api-keys" });
  return id;
}
