import { ulid } from "ulid";
import { inTransaction } from "../db/database.ts";
import type { User, UserInput, UserUpdate } from "../../shared/access.ts";
import { isRole, type Role } from "../../shared/scopes.ts";
import { appendAudit } from "../audit/store.ts";
import type { Principal } from "../auth/api-keys.ts";
import { assertMayActAsRole } from "../auth/grants.ts";
import { hashPassword } from "../auth/passwords.ts";
import { endSessions } from "../auth/sessions.ts";
import type { AppContext } from "../context.ts";
import { conflict, forbidden, notFound } from "../errors.ts";
import * as store from "./store.ts";

export async function listUsers(ctx: AppContext): Promise<User[]> {
  return (await store.listUsers(ctx.db)).map(store.toUser);
}

/** Who the actors are by name, for the admin's history and audit: `user:wangfang` → 王芳. */
export async function actorNames(ctx: AppContext): Promise<Record<string, string>> {
  return store.displayNames(ctx.db);
}

async function requireUser(ctx: AppContext, username: string): Promise<store.UserRecord> {
  const user = await store.findUser(ctx.db, username);
  if (!user) throw notFound(`no user "${username}"`);
  return user;
}

/** A stored role this build does not know is treated as the most trusted: only an admin may touch that user. */
const roleOf = (user: store.UserRecord): Role => (isRole(user.role) ? user.role : "admin");

/**
 * Creates a user; 403 unless `principal` holds every scope of the role it gives, 409 when the name
 * is taken. The password is hashed before the transaction (it is slow).
 */
export async function createUser(ctx: AppContext, input: UserInput, principal: Principal): Promise<User> {
  assertMayActAsRole(principal, input.role, "create");
  const actor = principal.actor;
  if (await store.findUser(ctx.db, input.username)) throw conflict(`the user "${input.username}" exists already`);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    // checked again inside the transaction: another request may have taken the name while we hashed
    if (await store.findUser(tx, input.username)) throw conflict(`the user "${input.username}" exists already`);
    await store.insertUser(tx, {
      id: ulid(now.getTime()),
      username: input.username,
      passwordHash,
      role: input.role,
      createdAt: now.toISOString(),
      displayName: input.displayName ?? null,
    });
    const detail = input.displayName ? { role: input.role, displayName: input.displayName } : { role: input.role };
    await appendAudit(tx, { actor, action: "user.create", entity: "user", entityKey: input.username, detail }, now);
  });
  return store.toUser((await store.findUser(ctx.db, input.username))!);
}

/**
 * Changes a user's role or display name, or disables (or re-enables) them. An admin may not demote or disable
 * themselves (they would lock themselves out mid-change), and the last active admin may not be
 * demoted or disabled by anyone (nobody could manage users any more). Disabling ends the user's sessions.
 * `principal` must hold every scope of both the user's role and the new one (403).
 */
export async function updateUser(
  ctx: AppContext,
  username: string,
  update: UserUpdate,
  principal: Principal,
): Promise<User> {
  const now = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const user = await store.findUser(tx, username);
    if (!user) throw notFound(`no user "${username}"`);
    assertMayActAsRole(principal, roleOf(user), "change");
    if (update.role !== undefined) assertMayActAsRole(principal, update.role, "promote a user to");
    const role = update.role ?? user.role;
    const disabled = update.disabled ?? user.disabled;
    const isSelf = principal.actor === `user:${user.username}`;
    if (isSelf && disabled && !user.disabled) throw forbidden("you cannot disable yourself");
    if (isSelf && user.role === "admin" && role !== "admin")
      throw forbidden("you cannot take away your own admin role");
    const losesAnAdmin = user.role === "admin" && !user.disabled && (role !== "admin" || disabled);
    // counted inside the transaction, so two demotions at once cannot both see a second admin
    if (losesAnAdmin && (await store.countActiveAdmins(tx)) <= 1) {
      throw conflict(`"${user.username}" is the last active admin: make another user admin first`);
    }
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (role !== user.role) changes.role = { from: user.role, to: role };
    if (disabled !== user.disabled) changes.disabled = { from: user.disabled, to: disabled };
    const displayName = update.displayName === undefined ? user.displayName : update.displayName;
    if (displayName !== user.displayName) changes.displayName = { from: user.displayName, to: displayName };
    if (Object.keys(changes).length === 0) return;
    await store.updateUser(tx, user.id, {
      role: update.role,
      disabled: update.disabled,
      displayName: update.displayName,
    });
    if (disabled) await endSessions(tx, user.id);
    await appendAudit(
      tx,
      { actor: principal.actor, action: "user.update", entity: "user", entityKey: user.username, detail: changes },
      now,
    );
  });
  return store.toUser(await requireUser(ctx, username));
}

/**
 * Sets a user's password (a forgotten one); every session of that user ends. 403 unless `principal`
 * holds every scope of the user's role: a reset is a way to sign in as them.
 */
export async function resetPassword(
  ctx: AppContext,
  username: string,
  password: string,
  principal: Principal,
): Promise<void> {
  const user = await requireUser(ctx, username);
  assertMayActAsRole(principal, roleOf(user), "reset the password of");
  const actor = principal.actor;
  const passwordHash = await hashPassword(password);
  const now = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    await store.setPasswordHash(tx, user.id, passwordHash);
    await endSessions(tx, user.id);
    await appendAudit(tx, { actor, action: "user.password-reset", entity: "user", entityKey: user.username }, now);
  });
}
