/**
 * Text for one log line, from anything a request can carry (a path, a header, an error's message): quoted and with
 * every control character escaped, as JSON has it, so a `%0A` in a path cannot start a forged line. JSON leaves the
 * Unicode line and paragraph separators and NEL as they are; some log viewers break lines at them, so they are escaped
 * too.
 */
export function logText(value: string): string {
  return JSON.stringify(value).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** An error for one log line: its stack (or message), escaped as `logText` does. */
export function logError(error: unknown): string {
  return logText(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
