import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../server/auth/passwords.ts";
import { bootstrapDatabase } from "../server/bootstrap.ts";
import { openDatabase, type Db } from "../server/db/database.ts";
import { dropTestDatabase, testDatabaseUrl } from "./helpers/test-database.ts";

const dirs: string[] = [];
const urls: string[] = [];
const dbs: Db[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.destroy()));
  for (const url of urls) await dropTestDatabase(url);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), "aftersales-bootstrap-"));
  dirs.push(dir);
  const url = await testDatabaseUrl(dir);
  urls.push(url);
  const db = await openDatabase(url);
  dbs.push(db);
  return db;
}

describe("first start without BOOTSTRAP_ variables (ASVS 2.5.4: no default credentials)", () => {
  it("generates a different strong admin password and API key for every installation, and only once", async () => {
    const now = new Date("2026-11-20T02:00:00Z");
    const [first, second] = await Promise.all([freshDatabase(), freshDatabase()]);
    const a = await bootstrapDatabase(first, { rulesDir: "rules", now });
    const b = await bootstrapDatabase(second, { rulesDir: "rules", now });
    expect(a.adminPassword!.length).toBeGreaterThanOrEqual(16);
    expect(a.apiKey).toMatch(/^asr_[A-Za-z0-9_-]{43}$/);
    expect(a.adminPassword).not.toBe(b.adminPassword);
    expect(a.apiKey).not.toBe(b.apiKey);
    const admin = await first
      .selectFrom("users")
      .select("password_hash")
      .where("username", "=", "admin")
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(a.adminPassword!, admin.password_hash)).toBe(true);
    // a second start prints nothing new: the credentials exist already
    expect(await bootstrapDatabase(first, { rulesDir: "rules", now })).toEqual({ imported: [], calendarYears: [] });
  });
});
