import { createHash, randomBytes } from "node:crypto";
import { isRole, roleScopes } from "../../shared/scopes.ts";
import { appendAudit } from "../audit/store.ts";
import { type Db, inTransaction } from "../db/database.ts";
import { unauthorized } from "../errors.ts";
import type { Principal } from "./api-keys.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

export const SESSION_COOKIE = "asr_session";
/** Idle and absolute session lifetimes. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** How stale `last_seen_at` may get before a request refreshes it (one write a minute, not one a request). */
const TOUCH_EVERY_MS = 60_000;

const hashId = (id: string) => createHash("sha256").update(id, "utf8").digest("hex");

export type SessionUser = { id: string; username: string; role: string };

/** Where an attempt came from: the client's IP, for the throttle and the audit log. */
export type Attempt = { ip: string };

/**
 * Signs a user in: checks the password (scrypt, constant-time) and stores a new session, of which
 * only the SHA-256 of its 256-bit random id is kept. Returns the id for the cookie. Refused with
 * 429 while the account or the IP is throttled (see `LoginThrottle`), and with 401 for a disabled user.
 */
export async function signIn(
  db: Db,
  throttle: LoginThrottle,
  credentials: { username: string; password: string },
  now: Date,
  attempt: Attempt,
): Promise<{ sessionId: string; user: SessionUser }> {
  const { username, password } = credentials;
  await throttle.attempt(username, attempt.ip);
  const user = await db.selectFrom("users").selectAll().where("username", "=", username).executeTakeFirst();
  // verify against a dummy hash when the user is unknown, so timing does not tell which names exist
  const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
  if (!user || !ok) {
    await appendAudit(
      db,
      {
        actor: username.slice(0, 100),
        action: "sign-in.failed",
        entity: "user",
        entityKey: username.slice(0, 100),
        detail: { from: attempt.ip },
      },
      now,
    );
    throw unauthorized("the user name or password is wrong");
  }
  if (user.disabled) {
    // only someone who knows the password learns this, so saying it tells a guesser nothing
    await appendAudit(
      db,
      {
        actor: `user:${user.username}`,
        action: "sign-in.refused",
        entity: "user",
        entityKey: user.username,
        detail: { from: attempt.ip, reason: "disabled" },
      },
      now,
    );
    throw unauthorized("this user is disabled");
  }
  await throttle.succeeded(username, attempt.ip);
  const sessionId = await inTransaction(db, async (tx) => {
    const id = await createSession(tx, user.id, now);
    await tx.updateTable("users").set({ last_sign_in_at: now.toISOString() }).where("id", "=", user.id).execute();
    await appendAudit(
      tx,
      {
        actor: `user:${user.username}`,
        action: "sign-in",
        entity: "user",
        entityKey: user.username,
        detail: { from: attempt.ip },
      },
      now,
    );
    return id;
  });
  return { sessionId, user: { id: user.id, username: user.username, role: user.role } };
}

const DUMMY_HASH = "scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/** Stores a new session for the user; returns its id (only its hash is kept). Call inside a transaction. */
async function createSession(db: Db, userId: string, now: Date): Promise<string> {
  const sessionId = randomBytes(32).toString("base64url");
  await db
    .insertInto("sessions")
    .values({
      id_hash: hashId(sessionId),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
    })
    .execute();
  return sessionId;
}

/** Ends every session of the user (password reset, disabled). Call inside the change's transaction. */
export async function endSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}

/** The session's user, or 401 when the session is unknown, idle too long, past its absolute expiry, or its user disabled. */
export async function sessionUser(db: Db, sessionId: string, now: Date): Promise<SessionUser> {
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select([
      "sessions.id_hash",
      "sessions.last_seen_at",
      "sessions.expires_at",
      "users.id",
      "users.username",
      "users.role",
      "users.disabled",
    ])
    .where("sessions.id_hash", "=", hashId(sessionId))
    .executeTakeFirst();
  const nowMs = now.getTime();
  if (
    !row ||
    row.disabled ||
    Date.parse(row.expires_at) <= nowMs ||
    Date.parse(row.last_seen_at) + SESSION_IDLE_MS <= nowMs
  ) {
    if (row) await db.deleteFrom("sessions").where("id_hash", "=", row.id_hash).execute();
    throw unauthorized("the session has ended; sign in again");
  }
  if (nowMs - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: now.toISOString() })
      .where("id_hash", "=", row.id_hash)
      .execute();
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
  await inTransaction(db, async (tx) => {
    await tx.deleteFrom("sessions").where("id_hash", "=", row.id_hash).execute();
    await appendAudit(
      tx,
      { actor: `user:${row.username}`, action: "sign-out", entity: "user", entityKey: row.username },
      now,
    );
  });
}

/**
 * A signed-in user changes their own password. A wrong current password counts as a failed
 * sign-in (the throttle applies), so a stolen session cannot be used to guess it. Every session
 * of the user ends, this one included, and a new one is returned: whoever held another session (or
 * this one's old id) is out.
 */
export async function changeOwnPassword(
  db: Db,
  throttle: LoginThrottle,
  user: SessionUser,
  passwords: { currentPassword: string; newPassword: string },
  now: Date,
  attempt: Attempt,
): Promise<string> {
  await throttle.attempt(user.username, attempt.ip);
  const row = await db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(passwords.currentPassword, row.password_hash))) {
    await appendAudit(
      db,
      {
        actor: `user:${user.username}`,
        action: "password-change.failed",
        entity: "user",
        entityKey: user.username,
        detail: { from: attempt.ip },
      },
      now,
    );
    throw unauthorized("the current password is wrong");
  }
  await throttle.succeeded(user.username, attempt.ip);
  const passwordHash = await hashPassword(passwords.newPassword);
  return inTransaction(db, async (tx) => {
    await tx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", user.id).execute();
    await endSessions(tx, user.id);
    const sessionId = await createSession(tx, user.id, now);
    await appendAudit(
      tx,
      {
        actor: `user:${user.username}`,
        action: "user.password-change",
        entity: "user",
        entityKey: user.username,
        detail: { from: attempt.ip },
      },
      now,
    );
    return sessionId;
  });
}

/** What a signed-in user may do: their role's scopes (none for a role this build does not know). */
export function userPrincipal(user: SessionUser): Principal {
  const scopes = isRole(user.role) ? roleScopes[user.role] : [];
  return {
    keyId: `user:${user.id}`,
    name: user.username,
    actor: `user:${user.username}`,
    scopes: new Set(scopes),
    ruleSets: null,
  };
}
