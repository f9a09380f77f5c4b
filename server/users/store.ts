import type { User } from "../../shared/access.ts";
import type { Role } from "../../shared/scopes.ts";
import type { Db } from "../db/database.ts";

/** A user as the services see it: never the password hash. */
export type UserRecord = {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  displayName: string | null;
};

type UserRow = {
  id: string;
  username: string;
  role: string;
  disabled: number;
  created_at: string;
  last_sign_in_at: string | null;
  display_name: string | null;
};

const columns = ["id", "username", "role", "disabled", "created_at", "last_sign_in_at", "display_name"] as const;

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
    displayName: row.display_name,
  };
}

/** The user as the API shows it. */
export function toUser(record: UserRecord): User {
  return {
    username: record.username,
    displayName: record.displayName,
    role: record.role as Role,
    createdAt: record.createdAt,
    disabled: record.disabled,
    lastSignInAt: record.lastSignInAt,
  };
}

export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await db.selectFrom("users").select(columns).orderBy("username", "asc").execute();
  return rows.map(toRecord);
}

export async function findUser(db: Db, username: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom("users").select(columns).where("username", "=", username).executeTakeFirst();
  return row && toRecord(row);
}

export async function insertUser(
  db: Db,
  user: {
    id: string;
    username: string;
    passwordHash: string;
    role: Role;
    createdAt: string;
    displayName: string | null;
  },
): Promise<void> {
  await db
    .insertInto("users")
    .values({
      id: user.id,
      username: user.username,
      password_hash: user.passwordHash,
      role: user.role,
      created_at: user.createdAt,
      disabled: 0,
      last_sign_in_at: null,
      display_name: user.displayName,
    })
    .execute();
}

export async function updateUser(
  db: Db,
  id: string,
  change: { role?: Role; disabled?: boolean; displayName?: string | null },
): Promise<void> {
  await db
    .updateTable("users")
    .set({
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled ? 1 : 0 }),
      ...(change.displayName === undefined ? {} : { display_name: change.displayName }),
    })
    .where("id", "=", id)
    .execute();
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", id).execute();
}

/** Every user's display name by actor (`user:wangfang` → 王芳), disabled users included; users without one are left out. */
export async function displayNames(db: Db): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom("users")
    .select(["username", "display_name"])
    .where("display_name", "is not", null)
    .orderBy("username", "asc")
    .execute();
  return Object.fromEntries(rows.map((row) => [`user:${row.username}`, row.display_name!]));
}

/** Admins who can still sign in. */
export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number | string>().as("count"))
    .where("role", "=", "admin")
    .where("disabled", "=", 0)
    .executeTakeFirstOrThrow();
  // PostgreSQL answers count(*) as a bigint string, SQLite as a number
  return Number(row.count);
}
