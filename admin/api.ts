import { hc, type ClientResponse } from "hono/client";
import type { Problem } from "../shared/api.ts";
import type { AppType } from "../server/app.ts";

/** The typed client: every call is checked against the server's routes; no URL is built by hand. */
export const client = hc<AppType>(location.origin, { init: { credentials: "same-origin" } });
export const api = client.api.v1;

/** A problem+json answer, kept whole so screens can show `errors` at their fields; no `code` when the server was not reached. */
export class ApiError extends Error {
  constructor(readonly problem: Omit<Problem, "code"> & { code?: string } & Record<string, unknown>) {
    super(problem.detail);
  }
  get status(): number {
    return this.problem.status;
  }
}

let onSessionEnded: () => void = () => {};
/** Called when a call answers 401: the app sends the user to sign in. */
export function whenSessionEnds(handler: () => void): void {
  onSessionEnded = handler;
}

/** Awaits a client call; answers its JSON body, or throws `ApiError` with the problem. */
export async function call<T>(request: Promise<ClientResponse<T>>): Promise<T> {
  let response: ClientResponse<T>;
  try {
    response = await request;
  } catch (error) {
    throw new ApiError({
      type: "network",
      title: "Network error",
      status: 0,
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
  const problem = (await response.json().catch(() => ({
    type: "about:blank",
    title: response.statusText,
    status: response.status,
    detail: response.statusText,
  }))) as ApiError["problem"];
  if (response.status === 401) onSessionEnded();
  throw new ApiError(problem);
}
