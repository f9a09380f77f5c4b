import createClient from "openapi-fetch";
import type { paths } from "./openapi.d.ts";

export type { components, operations, paths } from "./openapi.d.ts";

/**
 * A typed client of the service at `baseUrl` (e.g. `http://localhost:8080`), sending `apiKey` as `Authorization: Bearer`:
 * openapi-fetch over the types generated from `/openapi.json`, so paths, parameters, bodies, answers and problems are
 * checked by the compiler. Each call resolves to `{ data }` on a 2xx, `{ error }` (the Problem) otherwise, and `response`.
 * To use it elsewhere, copy this folder and install openapi-fetch.
 */
export function createDecisionClient(baseUrl: string, apiKey: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
}

export type DecisionClient = ReturnType<typeof createDecisionClient>;
