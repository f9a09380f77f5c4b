import { createHash, randomBytes } from "node:crypto";
import { scopes as allScopes } from "../../shared/scopes.ts";
import { appendAudit } from "../audit/store.ts";
import type { Db } from "../db/database.ts";
import { unauthorized } from "../errors.ts";
import type { Principal } from "./api-keys.ts";
import { verifyPassword } from "./passwords.ts";

export const SESSION_COOKIE = "asr_session";
/** Idle and absolute session lifetimes. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** How stale `last_seen_at` may get before a request refreshes it (one write a minute, not one a request). */
const TOUCH_EVERY_MS = 60_000;

const hashId = (id: string) => createHash("sha256").update(id, "utf8").digest("hex");

export type SessionUser = { id: string; username: string; role: string };

/**
 * Signs a user in: checks the password (scrypt, constant-time) and stores a new session, of which
 * only the SHA-256 of its 256-bit random id is kept. Returns the id for the cookie.
 */
export async function signIn(db: Db, username: string, password: string, now: Date, from: string): Promise<{ sessionId: string; user: SessionUser }> {
  const user = await db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  // verify against a dummy hash when the user is unknown, so timing does not tell which names exist
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    await appendAudit(db, { actor: username.slice(0, 100), action: "sign-in.failed", entity: "user", entityKey: username.slice(0, 100), detail: { from } }, now);
    throw unauthorized("the user name or password is wrong");
  }
  const sessionId = randomBytes(32).toString("base64url");
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto("sessions")
      .values({
        id_hash: hashId(sessionId),
        user_id: user.id,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
      })
      .execute();
    await appendAudit(tx, { actor: `user:${user.username}`, action: "sign-in", entity: "user", entityKey: user.username, detail: { from } }, now);
  });
  return { sessionId, user: { id: user.id, username: user.username, role: user.role } };
}

const DUMMY_HASH = "scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** The session's user, or 401 when the session is unknown, idle too long or past its absolute expiry. */
export async function sessionUser(db: Db, sessionId: string, now: Date): Promise<SessionUser> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id_hash", "sessions.last_seen_at", "sessions.expires_at", "users.id", "users.username", "users.role"])
    .where("sessions.id_hash", "=", hashId(sessionId))
    .executeTakeFirst();
  const nowMs = now.getTime();
  if (!row || Date.parse(row.expires_at) <= nowMs || Date.parse(row.last_seen_at) + SESSION_IDLE_MS <= nowMs) {
    if (row) await db.deleteFrom("sessions").where("id_hash", "=", row.id_hash).execute();
    throw unauthorized("the session has ended; sign in again");
  }
  if (nowMs - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    await db.updateTable("sessions").set({ last_seen_at: now.toISOString() }).where("id_hash", "=", row.id_hash).execute();
  }
  return { id: row.id, username: row.username, role: row.role };
}

export async function signOut(db: Db, sessionId: string, now: Date): Promise<void> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id_hash", "users.username"])
    .where("sessions.id_hash", "=", hashId(sessionId))
    .executeTakeFirst();
  if (!row) return;
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom("sessions").where("id_hash", "=", row.id_hash).execute();
    await appendAudit(tx, { actor: `user:${row.username}`, action: "sign-out", entity: "user", entityKey: row.username }, now);
  });
}

/** What a signed-in user may do. Every user is an administrator until roles arrive. */
export function userPrincipal(user: SessionUser): Principal {
  return { keyId: `user:${user.id}`, name: user.username, actor: `user:${user.username}`, scopes: new Set(allScopes), ruleSets: null };
}
