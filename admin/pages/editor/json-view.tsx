import { json, jsonParseLinter } from "@codemirror/lang-json";
import { linter, lintGutter } from "@codemirror/lint";
import { basicSetup, EditorView } from "codemirror";
import { createEffect, on, onCleanup, onMount } from "solid-js";
import { sameJson } from "./draft-json.ts";

/**
 * The draft's JSON in CodeMirror 6, linted as JSON. Loaded only when the JSON tab opens. Typing
 * hands the text to `onText`; a new `value` from outside (an edit in the visual editor, a reload)
 * replaces the text unless it already says the same.
 */
export default function JsonView(props: {
  value: string;
  onText: (text: string) => void;
  label: string;
  describedBy?: string;
  ref?: (view: EditorView) => void;
}) {
  let host!: HTMLDivElement;
  let view: EditorView | undefined;
  let replacing = false;

  onMount(() => {
    view = new EditorView({
      parent: host,
      doc: props.value,
      extensions: [
        basicSetup,
        json(),
        linter(jsonParseLinter(), { delay: 300 }),
        lintGutter(),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of(() => ({
          "aria-label": props.label,
          ...(props.describedBy ? { "aria-describedby": props.describedBy } : {}),
        })),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !replacing) props.onText(update.state.doc.toString());
        }),
      ],
    });
    props.ref?.(view);
  });

  createEffect(
    on(
      () => props.value,
      (value) => {
        if (!view) return;
        const current = view.state.doc.toString();
        if (sameJson(current, value)) return;
        replacing = true;
        view.dispatch({ changes: { from: 0, to: current.length, insert: value } });
        replacing = false;
      },
      { defer: true },
    ),
  );

  onCleanup(() => view?.destroy());
  return <div ref={host} class="json-editor" />;
}
