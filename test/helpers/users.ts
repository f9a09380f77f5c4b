import { expect } from "vitest";
import type { Role } from "../../shared/scopes.ts";
import type { TestApp } from "./test-app.ts";

/** A password that meets the policy, different per user so that a mix-up shows. */
export const passwordOf = (username: string) => `password-of-${username}`;

/** Creates a user through the API, with the test key (which may manage users). */
export async function aUser(
  app: TestApp,
  username: string,
  role: Role,
  password = passwordOf(username),
): Promise<void> {
  const res = await app.call("POST", "/api/v1/users", { username, password, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

export type SignedIn = { status: number; body: any; headers: Headers; cookie: string };

/** Signs in from the admin's origin; `cookie` is the `name=value` pair to send back. */
export async function signIn(
  app: TestApp,
  username: string,
  password = passwordOf(username),
  headers: Record<string, string> = {},
): Promise<SignedIn> {
  const res = await fetch(`${app.url}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url, ...headers },
    body: JSON.stringify({ username, password }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return { status: res.status, body: await res.json(), headers: res.headers, cookie };
}

/** Headers for a call with a session cookie instead of the test key, from the admin's own origin. */
export const withSession = (app: TestApp, cookie: string) => ({ authorization: "", cookie, origin: app.url });
