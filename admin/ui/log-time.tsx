import { useI18n } from "../i18n/index.tsx";

/**
 * A logged moment to the second, in the browser's time zone; the exact timestamp is in `title`
 * and `datetime`. Logs need the seconds that `formatDateTime` leaves out: two saves a minute apart
 * must not look simultaneous.
 */
export function LogTime(props: { at: string }) {
  const { lang } = useI18n();
  const text = () => {
    const date = new Date(props.at);
    if (Number.isNaN(date.getTime())) return props.at;
    return new Intl.DateTimeFormat(lang() === "zh" ? "zh-CN" : "en-GB", {
      dateStyle: "medium",
      timeStyle: "medium",
    }).format(date);
  };
  return (
    <time class="log-time" datetime={props.at} title={props.at}>
      {text()}
    </time>
  );
}
