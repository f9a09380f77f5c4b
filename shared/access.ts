import { z } from "zod";
import { roles, scopes } from "./scopes.ts";

// Who may use the service: the admin's users and the API keys. Request and response bodies of
// /api/v1/users, /api/v1/api-keys and /api/v1/session/password.

/** The password policy: at least 12 characters (NIST 800-63B favours length over composition rules). */
export const Password = z.string().min(12, "a password must be at least 12 characters").max(1000);
export const Username = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "letters, digits and . _ @ - only, starting with a letter or digit");
export const Role = z.enum(roles);

/** A person's name as the admin shows it, in any language (王芳): 1–50 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[^\p{Cc}]*$/u, "no control characters")
  .meta({ example: "王芳" });

export const UserInput = z.strictObject({
  username: Username,
  password: Password,
  role: Role,
  /** Absent or null: the admin names the user by their username. */
  displayName: DisplayName.nullable().optional(),
});
export type UserInput = z.infer<typeof UserInput>;

/** At least one of `role`, `disabled` and `displayName` (null takes the display name away). */
export const UserUpdate = z
  .strictObject({
    role: Role.optional(),
    disabled: z.boolean().optional(),
    displayName: DisplayName.nullable().optional(),
  })
  .refine((update) => update.role !== undefined || update.disabled !== undefined || update.displayName !== undefined, {
    params: { code: "one_required", fields: ["role", "disabled", "displayName"] },
    message: "send role, disabled, displayName or several",
  });
export type UserUpdate = z.infer<typeof UserUpdate>;

export const PasswordReset = z.strictObject({ password: Password });
export const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(1000), newPassword: Password });

export const User = z.object({
  username: z.string(),
  /** The name the admin shows; null: the username. */
  displayName: z.string().nullable(),
  role: Role,
  createdAt: z.string(),
  disabled: z.boolean(),
  lastSignInAt: z.string().nullable(),
});
export type User = z.infer<typeof User>;

/**
 * The display names of the actors the audit log, versions and reviews name (`user:wangfang` → 王芳), for everyone who
 * may read rules: a viewer sees who published without listing the users. Users without a display name are left out.
 */
export const Actors = z
  .object({
    actors: z.record(z.string(), z.string()).meta({ example: { "user:wangfang": "王芳" } }),
  })
  .meta({ id: "Actors" });
export type Actors = z.infer<typeof Actors>;

const RuleSetKey = z.string().min(1).max(100);

export const ApiKeyInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(scopes)).min(1).max(scopes.length),
  /** Absent or null: every rule set. */
  ruleSets: z.array(RuleSetKey).min(1).max(100).nullable().optional(),
  /** Absent or null: never expires. */
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

/** An API key as listed: never the key itself nor its hash. */
export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  ruleSets: z.array(z.string()).nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** The answer to creating a key: the only time the key is shown. */
export const CreatedApiKey = ApiKey.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** What a failed sign-in's typed name reads as in the audit log for everyone but an admin (it is often a password). */
export const hiddenSignInName = "(hidden)";
