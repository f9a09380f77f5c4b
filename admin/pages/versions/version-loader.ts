import { api, call } from "../../api.ts";
import type { Definition } from "./version-diff.ts";

/**
 * Loads published versions' definitions, each once: a published version never changes, so a
 * comparison or a rollback dialog opened again needs no new request.
 */
export function createVersionLoader(key: () => string): (version: number) => Promise<Definition> {
  const cache = new Map<string, Promise<Definition>>();
  return (version) => {
    const id = `${key()}@${version}`;
    let pending = cache.get(id);
    if (!pending) {
      pending = call(
        api["rule-sets"][":key"].versions[":version"].$get({ param: { key: key(), version: String(version) } }),
      ) as Promise<Definition>;
      // a failed load is not remembered: the next attempt asks again
      pending.catch(() => cache.delete(id));
      cache.set(id, pending);
    }
    return pending;
  };
}
