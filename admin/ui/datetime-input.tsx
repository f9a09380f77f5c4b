import { createEffect, createSignal, on, splitProps, untrack, type JSX } from "solid-js";

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "+08:00" for the browser's time zone at that moment (a zone's offset can change over the year). */
function offsetOf(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** An ISO timestamp as a `datetime-local` value in the browser's time zone ("" when absent or unreadable). */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const seconds = date.getSeconds() === 0 ? "" : `:${pad(date.getSeconds())}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}${seconds}`;
}

/** A moment as an ISO timestamp in the browser's time zone, to the second: "2026-11-20T10:00:00+08:00". */
export function toLocalIso(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${offsetOf(date)}`;
}

/** A `datetime-local` value as an ISO timestamp with the browser's offset. */
export function localInputToIso(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? "0")) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return toLocalIso(new Date(y, mo - 1, d, h, mi, s));
}

/** The browser's current offset, for a hint beside date inputs. */
export function localOffset(): string {
  return `UTC${offsetOf(new Date())}`;
}

type Props = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "onInput"> & {
  value: string | undefined;
  onChange: (iso: string | undefined) => void;
};

/**
 * A moment picked in the browser's time zone and kept as an ISO timestamp with its offset. A value
 * set from outside is shown as is until the user changes it, so its original offset is kept.
 */
export function DateTimeInput(props: Props) {
  const [own, rest] = splitProps(props, ["value", "onChange"]);
  const [text, setText] = createSignal(isoToLocalInput(own.value));
  createEffect(
    on(
      () => own.value,
      (iso) => {
        if (untrack(() => localInputToIso(text())) !== iso) setText(isoToLocalInput(iso));
      },
      { defer: true },
    ),
  );
  return (
    <input
      {...rest}
      type="datetime-local"
      value={text()}
      onInput={(event) => {
        setText(event.currentTarget.value);
        own.onChange(localInputToIso(event.currentTarget.value));
      }}
    />
  );
}
