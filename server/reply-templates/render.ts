import type { z } from "zod";
import { fieldProblem } from "../../shared/problems.ts";
import {
  compensationText,
  fillTemplate,
  placeholdersOf,
  type PlaceholderName,
  type RenderInput,
  type RenderResult,
} from "../../shared/reply-templates.ts";
import type { AppContext } from "../context.ts";
import { DomainError, notFound } from "../errors.ts";
import * as store from "./store.ts";

/** The render body after validation (defaults applied). */
type Render = z.output<typeof RenderInput>;

/** The template a render names: `template`, or the playbook decision's `template` (bare or in a decision response). */
function templateOf(input: Render): { key: string; compensationFen: number | undefined } {
  if (input.template !== undefined) return { key: input.template, compensationFen: undefined };
  const decision = input.decision!;
  const inner = "template" in decision ? decision : decision.decision;
  return { key: inner.template as string, compensationFen: inner.compensationFen as number | undefined };
}

/**
 * The published version's text in `language` with its placeholders filled: from `variables`, and `{compensation}` from
 * a decision's `compensationFen` unless given. 404 for an unknown template or version, 422 `missing_variables` naming
 * each placeholder the text uses that has no value.
 */
export async function renderReply(ctx: AppContext, input: Render): Promise<RenderResult> {
  const { key, compensationFen } = templateOf(input);
  const row = await store.findTemplateRow(ctx.db, key);
  if (row === undefined) throw notFound(`no reply template "${key}"`);
  const number = input.version ?? row.publishedVersion;
  if (number === null) throw notFound(`reply template "${key}" has no published version yet`);
  const version = await store.findVersion(ctx.db, key, number);
  if (version === undefined) throw notFound(`reply template "${key}" has no version ${number}`);
  const text = version[input.language];
  const values: Partial<Record<PlaceholderName, string | number>> = {
    ...(compensationFen === undefined ? {} : { compensation: compensationText(compensationFen, input.language) }),
    ...input.variables,
  };
  const missing = placeholdersOf(text).filter((name) => values[name] === undefined);
  if (missing.length > 0)
    throw new DomainError({
      code: "missing_variables",
      detail: `the template "${key}" needs ${missing.join(", ")}`,
      errors: missing.map((name) =>
        fieldProblem(`variables.${name}`, "missing_variable", { name }, `the variable ${name} is missing`),
      ),
    });
  return { text: fillTemplate(text, values), template: key, version: version.version, language: input.language };
}
