import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.ts";

const run = promisify(execFile);

/** Where PostgreSQL's server programs are: `POSTGRES_BIN`, or Debian's place for PostgreSQL 15. */
const BIN = process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

/** A PostgreSQL cluster of a test's own, which it may stop and start without touching the suite's shared server. */
export type PrivatePostgres = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  url: string;
  port: number;
  /** Stops the server (`pg_ctl stop -m fast`: open connections are ended at once); resolves once it is down. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it if it runs and deletes its files. */
  destroy(): Promise<void>;
};

/**
 * Creates and starts a PostgreSQL cluster in a temporary folder (`initdb`, trust authentication, no fsync: a test's data),
 * listening on 127.0.0.1 at a free port. PostgreSQL refuses to run as root, so as root the programs run as the `postgres`
 * user (`runuser`), on a folder given to that user. Throws, saying what is missing, when the programs are not installed:
 * a test that needs the database to go away must not pass without it.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  for (const program of ["initdb", "pg_ctl"]) {
    if (!existsSync(join(BIN, program)))
      throw new Error(
        `a private PostgreSQL cluster needs ${join(BIN, program)}: install PostgreSQL's server (Debian: postgresql-15) or set POSTGRES_BIN to its bin folder`,
      );
  }
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "aftersales-pg-"));
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: group } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(dir, "data");
  const serverLog = join(dir, "server.log");
  const port = await freePort();
  const pg = (program: string, args: string[]) => {
    const path = join(BIN, program);
    return asRoot ? run("runuser", ["-u", "postgres", "--", path, ...args]) : run(path, args);
  };
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
  const withLog = async (work: Promise<unknown>, what: string) => {
    try {
      await work;
    } catch (error) {
      const log = existsSync(serverLog) ? readFileSync(serverLog, "utf8").slice(-2000) : "";
      throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}\n${log}`);
    }
  };
  let running = false;
  const start = async () => {
    await withLog(
      pg("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", serverLog, "-o", options]),
      "pg_ctl start",
    );
    running = true;
  };
  const stop = async () => {
    await withLog(pg("pg_ctl", ["stop", "-w", "-t", "60", "-m", "fast", "-D", data]), "pg_ctl stop");
    running = false;
  };
  await withLog(
    pg("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
    "initdb",
  );
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    destroy: async () => {
      try {
        if (running) await stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
