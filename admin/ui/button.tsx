import { splitProps, type JSX } from "solid-js";

type Props = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "danger" | "ghost";
  busy?: boolean;
};

/** The one button: a variant for emphasis, `busy` disables it while its action runs. */
export function Button(props: Props) {
  const [own, rest] = splitProps(props, ["variant", "busy", "class", "disabled", "type"]);
  return (
    <button
      type={own.type ?? "button"}
      class={`btn btn-${own.variant ?? "secondary"} ${own.class ?? ""}`}
      disabled={own.disabled || own.busy}
      aria-busy={own.busy ? "true" : undefined}
      {...rest}
    />
  );
}
