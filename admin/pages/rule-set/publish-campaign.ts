import type { RuleInput } from "../../../shared/rules.ts";
import { api, call } from "../../api.ts";
import type { Definition } from "../versions/version-diff.ts";
import type { Schedule } from "./review-status.tsx";

/** A version window that is waiting to start or running, with the rules it brings. */
export type PendingWindow = { schedule: Schedule; definition: Definition };

/** How the manager relates a publish to a pending window's rules found in the draft: no default. */
export type CampaignChoice = "remove" | "publish";

/** The schedules of this rule set that are waiting to start or are running, with their versions' definitions. */
export async function loadPendingWindows(
  key: string,
  loadVersion: (version: number) => Promise<Definition>,
): Promise<PendingWindow[]> {
  const { schedules } = (await call(api["rule-sets"][":key"].schedules.$get({ param: { key } }))) as {
    schedules: Schedule[];
  };
  const pending = schedules.filter((s) => s.status === "scheduled" || s.status === "active");
  return Promise.all(pending.map(async (schedule) => ({ schedule, definition: await loadVersion(schedule.version) })));
}

/**
 * The draft's rules that a window's version has and the active version has not, by name: the
 * campaign's rules, which publishing the draft now would put live now.
 */
export function campaignRulesInDraft(
  draft: readonly RuleInput[],
  active: Definition | null,
  windows: readonly PendingWindow[],
): RuleInput[] {
  const activeNames = new Set((active?.rules ?? []).map((rule) => rule.name));
  const campaign = new Set(
    windows.flatMap((w) => w.definition.rules.map((rule) => rule.name).filter((name) => !activeNames.has(name))),
  );
  return draft.filter((rule) => rule.name !== undefined && campaign.has(rule.name));
}
