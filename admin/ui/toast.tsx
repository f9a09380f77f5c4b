import { createContext, createSignal, For, useContext, type ParentProps } from "solid-js";

type Toast = { id: number; kind: "success" | "error" | "info"; text: string };

function makeToasts() {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  let next = 1;
  const show = (kind: Toast["kind"], text: string) => {
    const id = next++;
    setToasts((all) => [...all, { id, kind, text }]);
    setTimeout(() => setToasts((all) => all.filter((t) => t.id !== id)), kind === "error" ? 8000 : 4000);
  };
  return { toasts, show, dismiss: (id: number) => setToasts((all) => all.filter((t) => t.id !== id)) };
}

const ToastContext = createContext<ReturnType<typeof makeToasts>>();

/** Short messages after an action ("已发布版本 3"), announced to screen readers. */
export function ToastProvider(props: ParentProps) {
  const toasts = makeToasts();
  return (
    <ToastContext.Provider value={toasts}>
      {props.children}
      <div class="toasts" role="status" aria-live="polite">
        <For each={toasts.toasts()}>
          {(toast) => (
            // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a pointer shortcut only: the toast leaves by itself within seconds, and a button in the status region would be announced as one
            <div class={`toast toast-${toast.kind}`} onClick={() => toasts.dismiss(toast.id)}>
              {toast.text}
            </div>
          )}
        </For>
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error("useToast outside ToastProvider");
  return toasts.show;
}
