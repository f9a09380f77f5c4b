import type { CalendarVersionSummary, CalendarYearVersion } from "../../shared/calendar.ts";
import type { CalendarDay, CalendarYear } from "../../shared/working-calendar.ts";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/schema.ts";

type Row = Database["calendar_versions"];

/** A stored version as the API shows it, its days parsed. */
function toVersion(row: Row): CalendarYearVersion {
  return {
    year: Number(row.year),
    version: Number(row.version),
    savedAt: row.saved_at,
    savedBy: row.saved_by,
    note: row.note,
    restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
    holidays: JSON.parse(row.holidays) as CalendarDay[],
    workdays: JSON.parse(row.workdays) as CalendarDay[],
  };
}

/** A stored version's summary: the days counted, not listed. */
export function summaryOf(version: CalendarYearVersion): CalendarVersionSummary {
  return { ...version, holidays: version.holidays.length, workdays: version.workdays.length };
}

/** Each year's current (highest) version, years ascending. */
export async function listCurrentVersions(db: Db): Promise<CalendarYearVersion[]> {
  const rows = await db
    .selectFrom("calendar_versions as v")
    .selectAll("v")
    .where(({ eb, selectFrom }) =>
      eb(
        "v.version",
        "=",
        selectFrom("calendar_versions as w")
          .select((w) => w.fn.max("w.version").as("latest"))
          .whereRef("w.year", "=", "v.year"),
      ),
    )
    .orderBy("v.year")
    .execute();
  return rows.map(toVersion);
}

/** Every year's current arrangement, as the working calendar is built from. */
export async function loadCalendarYears(db: Db): Promise<CalendarYear[]> {
  return (await listCurrentVersions(db)).map(({ year, holidays, workdays }) => ({ year, holidays, workdays }));
}

/** A year's version `version`, or its current one when `version` is omitted; undefined when there is none. */
export async function findCalendarVersion(
  db: Db,
  year: number,
  version?: number,
): Promise<CalendarYearVersion | undefined> {
  let query = db.selectFrom("calendar_versions").selectAll().where("year", "=", year);
  query = version === undefined ? query.orderBy("version", "desc").limit(1) : query.where("version", "=", version);
  const row = await query.executeTakeFirst();
  return row ? toVersion(row) : undefined;
}

/** A year's versions, newest first, without their days. */
export async function listCalendarVersions(db: Db, year: number): Promise<CalendarVersionSummary[]> {
  const rows = await db
    .selectFrom("calendar_versions")
    .selectAll()
    .where("year", "=", year)
    .orderBy("version", "desc")
    .execute();
  return rows.map((row) => summaryOf(toVersion(row)));
}

/** Appends a version; the primary key (year, version) refuses a second writer of the same number. */
export async function insertCalendarVersion(db: Db, version: CalendarYearVersion): Promise<void> {
  await db
    .insertInto("calendar_versions")
    .values({
      year: version.year,
      version: version.version,
      holidays: JSON.stringify(version.holidays),
      workdays: JSON.stringify(version.workdays),
      note: version.note,
      saved_at: version.savedAt,
      saved_by: version.savedBy,
      restored_from: version.restoredFrom,
    })
    .execute();
}

/**
 * A fingerprint that changes whenever a version is saved: versions are only ever added, so their count grows with each
 * change (what the cluster sync compares with the one it loaded).
 */
export async function calendarFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom("calendar_versions")
    .select((eb) => eb.fn.countAll<number>().as("versions"))
    .executeTakeFirstOrThrow();
  return String(Number(row.versions));
}
