/**
 * Which database errors mean "the database is not there right now" rather than "this statement is wrong": the ones
 * after which the same work may succeed later, unchanged. The decision log keeps its records and tries again; a request
 * answers 503 `unavailable` instead of 500.
 */

/** Socket errors on the way to PostgreSQL: refused, reset, timed out, no route, the name not resolved. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * PostgreSQL SQLSTATEs outside class 08 (connection exception) that say the server cannot serve now: an administrator's
 * shutdown or a crash of a backend, "the database system is starting up / shutting down", too many connections.
 */
const POSTGRES_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * SQLite's primary result codes (better-sqlite3 gives the extended one, `SQLITE_BUSY_SNAPSHOT`, whose prefix is the
 * primary) that a later try may not meet: another connection held the lock past `busy_timeout`, the disk failed a read
 * or a write, the disk is full, the file could not be opened. A statement's own fault (a constraint, a type mismatch, a
 * string too big) is not among them.
 */
const SQLITE_CODES = [
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_IOERR",
  "SQLITE_FULL",
  "SQLITE_CANTOPEN",
  "SQLITE_PROTOCOL",
];

/**
 * What `pg` says, without a code, when the connection went away under a query or could not be had in time (the pool's
 * `connectionTimeoutMillis`). Not kysely's "driver has already been destroyed": a closed pool never comes back.
 */
const MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** Whether `error` (a driver's, kysely's, or one wrapping it as `cause` or in an AggregateError) means the database cannot be reached now. */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code) || POSTGRES_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (SQLITE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))) return true;
  }
  if (typeof message === "string" && MESSAGES.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnreachable(inner, depth + 1))) return true;
  return isDatabaseUnreachable(cause, depth + 1);
}

/**
 * Whether `error` is a statement refused for the data it carries — PostgreSQL's class 22 (a NUL character, a value out
 * of range) and 23 (a constraint), SQLite's constraint, type mismatch, too big, out of range — so that the rows written
 * with it can be written without it.
 */
export function isRefusedForItsData(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string") return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  return ["SQLITE_CONSTRAINT", "SQLITE_MISMATCH", "SQLITE_TOOBIG", "SQLITE_RANGE"].some(
    (prefix) => code === prefix || code.startsWith(`${prefix}_`),
  );
}
