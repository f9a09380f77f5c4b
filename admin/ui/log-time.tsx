import { formatBusinessTime } from "../business-zone.ts";

/**
 * A logged moment to the second, in the business time zone (`2026-11-20 10:00:05`), whatever the browser's zone and
 * locale; the exact timestamp is in `title` and `datetime`. Logs need the seconds that `formatDateTime` leaves out: two
 * saves a minute apart must not look simultaneous.
 */
export function LogTime(props: { at: string }) {
  return (
    <time class="log-time" datetime={props.at} title={props.at}>
      {formatBusinessTime(props.at, { seconds: true })}
    </time>
  );
}
