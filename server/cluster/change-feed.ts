import pg from "pg";
import { sql } from "kysely";
import { type Db, isPostgres } from "../db/database.ts";

/** The PostgreSQL channel every instance listens on for changes made by the others. */
export const CHANGE_CHANNEL = "aftersales_rules_changes";

/** What changed: a rule set's versions, activations or schedules, the API keys, or the working-day calendar. */
export type Change = { topic: "rule-set"; key: string } | { topic: "api-keys" } | { topic: "calendar" };

/**
 * Tells the other instances that `change` is being made, from inside the transaction that makes it. On PostgreSQL that
 * is a NOTIFY, which the database delivers when the transaction commits and never when it rolls back: a listener that
 * reads the database on hearing it sees the change. On SQLite, one instance on one file, there is nobody to tell.
 */
export async function announceChange(tx: Db, change: Change): Promise<void> {
  if (!isPostgres(tx)) return;
  await sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(change)})`.execute(tx);
}

/** The change a notification's payload names; undefined for anything else (a payload from a newer version). */
export function parseChange(payload: string | undefined): Change | undefined {
  try {
    const change = JSON.parse(payload ?? "") as Partial<Record<string, unknown>>;
    if (change.topic === "api-keys") return { topic: "api-keys" };
    if (change.topic === "calendar") return { topic: "calendar" };
    if (change.topic === "rule-set" && typeof change.key === "string") return { topic: "rule-set", key: change.key };
  } catch {
    // not JSON: not ours
  }
  return undefined;
}

export type ChangeListener = { close(): Promise<void> };

/** The wait before connecting again grows from the first to the last, doubling each failed try. */
const RECONNECT_DELAYS_MS = { first: 100, last: 5_000 };

/**
 * LISTENs for changes on one dedicated connection to the PostgreSQL database at `url` (a pooled one would be handed to
 * other queries). When the connection fails or drops it connects again, waiting longer each time; `onConnect` runs each
 * time it listens, the first included, so that the caller checks everything it might have missed meanwhile.
 */
export function listenForChanges(
  url: string,
  handlers: { onChange(change: Change): void; onConnect(): void; onError(error: unknown): void },
): ChangeListener {
  let current: pg.Client | undefined;
  let closed = false;
  let delay = RECONNECT_DELAYS_MS.first;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, keepAlive: true });
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (error !== undefined && !closed) handlers.onError(error);
      if (current === client) current = undefined;
      client.end().catch(() => {});
      if (closed) return;
      retry = setTimeout(() => void connect(), delay);
      retry.unref();
      delay = Math.min(delay * 2, RECONNECT_DELAYS_MS.last);
    };
    client.on("notification", (message) => {
      const change = message.channel === CHANGE_CHANNEL ? parseChange(message.payload) : undefined;
      if (change) handlers.onChange(change);
    });
    client.on("error", drop);
    client.on("end", () => drop(new Error("the connection listening for changes closed")));
    try {
      await client.connect();
      await client.query(`listen ${CHANGE_CHANNEL}`);
    } catch (error) {
      drop(error);
      return;
    }
    if (closed || dropped) return void client.end().catch(() => {});
    current = client;
    delay = RECONNECT_DELAYS_MS.first;
    handlers.onConnect();
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => {});
    },
  };
}
