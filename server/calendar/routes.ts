import { z } from "zod";
import {
  CalendarOverview,
  CalendarRestoreInput,
  CalendarVersionSummary,
  CalendarYearInput,
  CalendarYearVersion,
} from "../../shared/calendar.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { apiRoute, apiRouter, type Access } from "../http/api-route.ts";
import { json, jsonBody, pathParams } from "../http/openapi.ts";
import * as service from "./service.ts";

/** A year or version number from the URL; anything else names nothing held. */
function numberParam(text: string, what: string, min: number, max: number): number {
  const value = /^[0-9]{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw notFound(`no ${what} "${text}"`);
  return value;
}
const yearOf = (text: string) => numberParam(text, "year", 1970, 9999);
const versionOf = (text: string) => numberParam(text, "version", 1, 1_000_000_000);

const year = z.string().meta({ description: "The year, e.g. 2027", example: "2027" });
const yearParams = pathParams({ year });
const versionParams = pathParams({ year, version: z.string().meta({ description: "The version", example: "1" }) });
const tags = ["Calendar"];
// reading is what reading rules is: the calendar decides how their periods are counted
const read: Access = { auth: "key-or-session", scope: "rules:read" };
// every rule set counts with it, so only a principal for every rule set may change it
const write: Access = { auth: "key-or-session", scope: "calendar:write", everyRuleSet: true };

const getOverview = apiRoute({
  operationId: "getCalendar",
  method: "get",
  path: "/",
  tags,
  summary: "The working-day calendar: each year held, and whether next year is missing",
  description:
    "Each year's current version with its days counted. `nextYearMissing` is true from 1 December (business time zone) while the calendar holds nothing for next year; a year without data is counted with weekends only.",
  access: read,
  responses: { 200: json(CalendarOverview, "Every year held") },
});

const getYear = apiRoute({
  operationId: "getCalendarYear",
  method: "get",
  path: "/{year}",
  tags,
  summary: "A year's holidays and adjusted working days, as its current version",
  access: read,
  refusals: ["not_found"],
  request: { params: yearParams },
  responses: { 200: json(CalendarYearVersion, "The year's current version") },
});

const saveYear = apiRoute({
  operationId: "saveCalendarYear",
  method: "put",
  path: "/{year}",
  tags,
  summary: "Save a year's arrangement as its next version",
  description: [
    "The body is the year's whole arrangement: public holidays (rest days, any day of the week) and adjusted working",
    "days (调休: a Saturday or Sunday worked). `version` is the year's current version as read (0 or absent for a year",
    "not held yet): 409 `conflict` with `currentVersion` when someone saved in between. 422 names each day at fault:",
    "`not_a_date`, `date_outside_year`, `duplicate_date`, `holiday_and_workday`, `workday_not_weekend`. Every instance",
    "counts with the new version within a second.",
  ].join(" "),
  access: write,
  refusals: ["not_found", "conflict"],
  request: { params: yearParams, body: jsonBody(CalendarYearInput) },
  responses: { 200: json(CalendarYearVersion, "The version saved") },
});

const listVersions = apiRoute({
  operationId: "listCalendarVersions",
  method: "get",
  path: "/{year}/versions",
  tags,
  summary: "A year's versions, newest first",
  access: read,
  refusals: ["not_found"],
  request: { params: yearParams },
  responses: { 200: json(z.object({ versions: z.array(CalendarVersionSummary) }), "The year's versions") },
});

const getVersion = apiRoute({
  operationId: "getCalendarVersion",
  method: "get",
  path: "/{year}/versions/{version}",
  tags,
  summary: "One version of a year, with its days",
  access: read,
  refusals: ["not_found"],
  request: { params: versionParams },
  responses: { 200: json(CalendarYearVersion, "The version") },
});

const restore = apiRoute({
  operationId: "restoreCalendarVersion",
  method: "post",
  path: "/{year}/restore",
  tags,
  summary: "Make an older version of a year current again, as a new version",
  access: write,
  refusals: ["not_found", "conflict"],
  request: { params: yearParams, body: jsonBody(CalendarRestoreInput) },
  responses: { 200: json(CalendarYearVersion, "The new version") },
});

/** `/api/v1/calendar`: the working-day calendar, a year at a time, versioned and audited. */
export function calendarRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(getOverview, async (c) => c.json(await service.calendarOverview(ctx), 200))
    .openapi(getYear, async (c) => c.json(await service.getCalendarYear(ctx, yearOf(c.req.valid("param").year)), 200))
    .openapi(saveYear, async (c) => {
      const saved = await service.saveCalendarYear(
        ctx,
        yearOf(c.req.valid("param").year),
        c.req.valid("json"),
        c.get("principal").actor,
      );
      return c.json(saved, 200);
    })
    .openapi(listVersions, async (c) =>
      c.json({ versions: await service.listYearVersions(ctx, yearOf(c.req.valid("param").year)) }, 200),
    )
    .openapi(getVersion, async (c) => {
      const { year, version } = c.req.valid("param");
      return c.json(await service.getCalendarYear(ctx, yearOf(year), versionOf(version)), 200);
    })
    .openapi(restore, async (c) => {
      const restored = await service.restoreCalendarVersion(
        ctx,
        yearOf(c.req.valid("param").year),
        c.req.valid("json"),
        c.get("principal").actor,
      );
      return c.json(restored, 200);
    });
}
