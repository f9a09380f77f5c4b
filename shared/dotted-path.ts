/**
 * Dotted paths: how a fact's `path` names a field inside it (`items.0.id`), and how a field problem
 * names the field it concerns (`rules.2.event.params.timers.0.duration`).
 */

/** `["rules.2.event.params", "timers", 0, "duration"]` → `rules.2.event.params.timers.0.duration`; empty parts are left out. */
export function joinPath(parts: readonly PropertyKey[]): string {
  return parts
    .map(String)
    .filter((part) => part !== "")
    .join(".");
}

/** `items.0.id` → `["items", "0", "id"]`; no path, or an empty one, has no keys. */
export function splitPath(path: string | undefined): string[] {
  return path ? path.split(".") : [];
}
