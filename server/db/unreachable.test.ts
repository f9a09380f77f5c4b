import { describe, expect, it } from "vitest";
import { isDatabaseUnreachable, isRefusedForItsData } from "./unreachable.ts";

/** An error as a driver throws it: a message and, for most, a code (pg's SQLSTATE, a socket's errno name, SQLite's). */
const anError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe("isDatabaseUnreachable", () => {
  it.each([
    ["connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"],
    ["read ECONNRESET", "ECONNRESET"],
    ["terminating connection due to administrator command", "57P01"],
    ["terminating connection due to crash of another server process", "57P02"],
    ["the database system is shutting down", "57P03"],
    ["sorry, too many clients already", "53300"],
    ["connection failure", "08006"],
    ["Connection terminated unexpectedly", undefined],
    ["timeout exceeded when trying to connect", undefined],
    ["database is locked", "SQLITE_BUSY"],
    ["database is locked", "SQLITE_BUSY_SNAPSHOT"],
    ["disk I/O error", "SQLITE_IOERR_WRITE"],
    ["database or disk is full", "SQLITE_FULL"],
  ])("%s (%s): the database is not there now", (message, code) => {
    expect(isDatabaseUnreachable(anError(message, code))).toBe(true);
  });

  it.each([
    ['duplicate key value violates unique constraint "decision_log_pkey"', "23505"],
    ["could not serialize access due to read/write dependencies among transactions", "40001"],
    ['relation "decision_log" does not exist', "42P01"],
    ["UNIQUE constraint failed: decision_log.decision_id", "SQLITE_CONSTRAINT_PRIMARYKEY"],
    ["driver has already been destroyed", undefined],
  ])("%s (%s): not a question of waiting", (message, code) => {
    expect(isDatabaseUnreachable(anError(message, code))).toBe(false);
  });

  it("looks inside an AggregateError (a host with several addresses) and an error's cause", () => {
    const refused = anError("connect ECONNREFUSED ::1:5432", "ECONNREFUSED");
    expect(isDatabaseUnreachable(new AggregateError([refused], "connect failed"))).toBe(true);
    expect(isDatabaseUnreachable(new Error("the query failed", { cause: refused }))).toBe(true);
    expect(isDatabaseUnreachable("ECONNREFUSED")).toBe(false);
  });
});

describe("isRefusedForItsData", () => {
  it.each([
    ['invalid byte sequence for encoding "UTF8": 0x00', "22021", true],
    ["duplicate key value violates unique constraint", "23505", true],
    ["UNIQUE constraint failed: decision_log.decision_id", "SQLITE_CONSTRAINT_PRIMARYKEY", true],
    ["string or blob too big", "SQLITE_TOOBIG", true],
    ["terminating connection due to administrator command", "57P01", false],
    ['relation "decision_log" does not exist', "42P01", false],
    ["database is locked", "SQLITE_BUSY", false],
  ])("%s (%s): %s", (message, code, expected) => {
    expect(isRefusedForItsData(anError(message, code))).toBe(expected);
  });
});
