/** Filled in by the editor work: see admin/pages/editor/. */
export function EditorPage() {
  return null;
}
