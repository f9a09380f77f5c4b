import { z } from "zod";

/** A JSON response of `schema`. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** A response without a body. */
export function noContent(description: string) {
  return { description } as const;
}

/** A required JSON request body of `schema`. */
export function jsonBody<T extends z.ZodType>(
  schema: T,
  examples?: Record<string, { summary?: string; value: unknown }>,
) {
  return { required: true, content: { "application/json": { schema, ...(examples ? { examples } : {}) } } } as const;
}

/** Path parameters: each member of `shape` is a `{name}` in the route's path. */
export function pathParams<T extends Record<string, z.ZodType>>(shape: T) {
  return z.object(shape);
}
