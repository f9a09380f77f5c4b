import { splitProps, type ComponentProps, type JSX } from "solid-js";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { useToast } from "./toast.tsx";

type Props = Omit<ComponentProps<typeof Button>, "onClick"> & { text: () => string; children: JSX.Element };

/** Copies `text()` to the clipboard and says so; where the clipboard is refused, says how to copy by hand. */
export function CopyButton(props: Props) {
  const { t } = useI18n();
  const toast = useToast();
  const [own, rest] = splitProps(props, ["text", "children"]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(own.text());
      toast("success", t("logs.copied"));
    } catch {
      toast("error", t("logs.copyFailed"));
    }
  };
  return (
    <Button {...rest} onClick={() => void copy()}>
      {own.children}
    </Button>
  );
}
