import { pino, type DestinationStream, type Level, type Logger } from "pino";

export type { Logger };

/** `LOG_LEVEL`'s values: pino's levels, and `silent` for none. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const satisfies readonly (
  | Level
  | "silent"
)[];
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields never written to a log, wherever an object carries them: credentials a request or a caller's object may hold.
 * pino's `*` stands for one level of nesting (`err.headers.authorization` needs its own path).
 */
export const REDACTED_PATHS = [
  "authorization",
  "cookie",
  "password",
  "apiKey",
  "token",
  "*.authorization",
  "*.cookie",
  '*["set-cookie"]',
  "*.password",
  "*.newPassword",
  "*.currentPassword",
  "*.apiKey",
  "*.token",
  "*.headers.authorization",
  "*.headers.cookie",
];

/**
 * JSON escapes every control character, so a `%0A` in a logged path cannot start a forged line; it leaves the Unicode
 * line and paragraph separators and NEL as they are, and some log viewers break lines at them, so they are escaped too.
 */
const LINE_BREAKS_JSON_KEEPS = /[\u0085\u2028\u2029]/g;
const escapeLineBreaks = (line: string) =>
  line.replace(LINE_BREAKS_JSON_KEEPS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * The service's logger: one JSON object per line (pino) on stdout, or on `destination` (a test's capture), with an ISO
 * time and the credentials of `REDACTED_PATHS` replaced. Read it in development with `npm start | npx pino-pretty`.
 */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: "aftersales-rules" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      hooks: { streamWrite: escapeLineBreaks },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
