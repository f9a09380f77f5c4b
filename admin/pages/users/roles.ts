import { roles, type Role } from "../../../shared/scopes.ts";
import type { MessageKey } from "../../i18n/index.tsx";

/** The roles from least to most trusted, each with its name and what it may do, for people. */
export const roleTexts: readonly { role: Role; name: MessageKey; description: MessageKey }[] = roles.map((role) => ({
  role,
  name: `role.${role}` as MessageKey,
  description: `role.${role}.description` as MessageKey,
}));

export function roleName(role: string): MessageKey | undefined {
  return roleTexts.find((r) => r.role === role)?.name;
}
