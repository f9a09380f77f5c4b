import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { loadConfig } from "./config.ts";
import { sqliteFile } from "./db/database.ts";

/**
 * Copies the live SQLite database at `source` to `target` with SQLite's online backup API, which
 * reads a consistent snapshot while the service keeps reading and writing (WAL mode), then checks
 * the copy with `PRAGMA integrity_check`. Refuses to overwrite an existing file.
 */
export async function backupDatabase(source: string, target: string): Promise<{ ruleSets: number; pages: number }> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already: choose a new file name`);
  const live = new SQLite(source, { fileMustExist: true });
  let pages = 0;
  try {
    live.pragma("busy_timeout = 5000");
    const result = await live.backup(target);
    pages = result.totalPages;
  } finally {
    live.close();
  }
  const copy = new SQLite(target, { fileMustExist: true });
  try {
    // one self-contained file (no -wal beside it); the service turns WAL on again when it opens it
    copy.pragma("journal_mode = DELETE");
    const check = copy.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new Error(`the copy at ${target} failed its integrity check: ${String(check)}`);
    const { count } = copy.prepare("select count(*) as count from rule_sets").get() as { count: number };
    return { ruleSets: count, pages };
  } finally {
    copy.close();
  }
}

/** `npm run backup -- <target-file>`: backs up the database named by DATABASE_URL; says what it did as plain text, a command's answer to the operator rather than a service log line. */
async function main(argv: string[]): Promise<void> {
  const [target, ...rest] = argv;
  if (!target || rest.length > 0) {
    process.stderr.write("usage: npm run backup -- <target-file>   (backs up the database named by DATABASE_URL)\n");
    process.exit(2);
  }
  const config = loadConfig();
  if (/^postgres(ql)?:\/\//.test(config.DATABASE_URL))
    throw new Error("DATABASE_URL names PostgreSQL: back it up with pg_dump");
  const source = sqliteFile(config.DATABASE_URL);
  const { ruleSets, pages } = await backupDatabase(source, resolve(target));
  process.stdout.write(
    `backed up ${source} to ${resolve(target)}: ${pages} pages, ${ruleSets} rule sets, integrity check ok\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
