import { z } from "zod";
import { Actors, PasswordReset, User, UserInput, UserUpdate } from "../../shared/access.ts";
import type { AppContext } from "../context.ts";
import { apiRoute, apiRouter } from "../http/api-route.ts";
import { json, jsonBody, noContent, pathParams } from "../http/openapi.ts";
import * as service from "./service.ts";

// All need `users:manage` and no rule-set limit; giving or touching a role needs every scope of that role (auth/grants.ts).
const access = { auth: "key-or-session", scope: "users:manage", everyRuleSet: true } as const;
const username = pathParams({ username: z.string().meta({ example: "wangfang" }) });

const listUsers = apiRoute({
  operationId: "listUsers",
  method: "get",
  path: "/",
  tags: ["Users"],
  summary: "List the admin's users",
  access,
  responses: { 200: json(z.object({ users: z.array(User) }), "Every user, disabled ones included") },
});

const createUser = apiRoute({
  operationId: "createUser",
  method: "post",
  path: "/",
  tags: ["Users"],
  summary: "Create a user",
  access,
  refusals: ["conflict"],
  request: { body: jsonBody(UserInput) },
  responses: { 201: json(User, "The user as created") },
});

const updateUser = apiRoute({
  operationId: "updateUser",
  method: "patch",
  path: "/{username}",
  tags: ["Users"],
  summary: "Change a user's role or display name, or disable them",
  access,
  refusals: ["not_found", "conflict"],
  request: { params: username, body: jsonBody(UserUpdate) },
  responses: { 200: json(User, "The user as changed") },
});

const resetPassword = apiRoute({
  operationId: "resetPassword",
  method: "post",
  path: "/{username}/password",
  tags: ["Users"],
  summary: "Set a user's password (ends their sessions)",
  access,
  refusals: ["not_found"],
  request: { params: username, body: jsonBody(PasswordReset) },
  responses: { 204: noContent("The password is set") },
});

const listActors = apiRoute({
  operationId: "listActors",
  method: "get",
  path: "/",
  tags: ["Users"],
  summary: "The display names of the people the history and the audit log name",
  description:
    "For anyone who may read rules, so that a viewer sees 王芳 where the history says `user:wangfang` without listing the " +
    "users. Only users with a display name are listed; `system` and API keys (`api-key:<name>`) never are.",
  access: { auth: "key-or-session", scope: "rules:read" },
  responses: { 200: json(Actors, "Display names by actor") },
});

/** `/api/v1/actors`: who the actors are by name, for everyone who may read rules. */
export function actorRoutes(ctx: AppContext) {
  return apiRouter().openapi(listActors, async (c) => c.json({ actors: await service.actorNames(ctx) }, 200));
}

/** `/api/v1/users`: the admin's users. */
export function userRoutes(ctx: AppContext) {
  return apiRouter()
    .openapi(listUsers, async (c) => c.json({ users: await service.listUsers(ctx) }, 200))
    .openapi(createUser, async (c) =>
      c.json(await service.createUser(ctx, c.req.valid("json"), c.get("principal")), 201),
    )
    .openapi(updateUser, async (c) => {
      return c.json(
        await service.updateUser(ctx, c.req.valid("param").username, c.req.valid("json"), c.get("principal")),
        200,
      );
    })
    .openapi(resetPassword, async (c) => {
      await service.resetPassword(ctx, c.req.valid("param").username, c.req.valid("json").password, c.get("principal"));
      return c.body(null, 204);
    });
}
