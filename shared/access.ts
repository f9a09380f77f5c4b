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

export const UserInput = z.strictObject({ username: Username, password: Password, role: Role });
export type UserInput = z.infer<typeof UserInput>;

/** At least one of `role` and `disabled`. */
export const UserUpdate = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional() })
  .refine((update) => update.role !== undefined || update.disabled !== undefined, {
    params: { code: "one_required", fields: ["role", "disabled"] },
    message: "send role, disabled or both",
  });
export type UserUpdate = z.infer<typeof UserUpdate>;

export const PasswordReset = z.strictObject({ password: Password });
export const PasswordChange = z.strictObject({ currentPassword: z.string().min(1).max(1000), newPassword: Password });

export const User = z.object({
  username: z.string(),
  role: Role,
  createdAt: z.string(),
  disabled: z.boolean(),
  lastSignInAt: z.string().nullable(),
});
export type User = z.infer<typeof User>;

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
