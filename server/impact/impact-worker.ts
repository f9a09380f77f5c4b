/**
 * A replay's thread (started by the impact service through impact-worker.mjs): it opens a read-only connection of its
 * own, reads the period's logged decisions a page at a time, decides each again with the draft and reports progress,
 * then the result. None of that work runs on the thread that answers requests, and it runs at the lowest priority.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ImpactResult } from "../../shared/impact.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { connectDatabase } from "../db/database.ts";
import { Decider } from "../engine/decider.ts";
import { type PortablePeriods, periodsFrom } from "../../shared/portable-periods.ts";
import { yieldToRequests } from "../worker-priority.ts";
import { ImpactTally } from "./replay.ts";
import { type LoggedPeriod, loggedDecisionsPage, type PageEnd } from "./store.ts";

/** What to replay, and the draft to replay it with. */
export type ReplayData = {
  databaseUrl: string;
  period: LoggedPeriod;
  limit: number;
  kind: RuleSetKind;
  draft: RuleSetDefinition;
  /** Where durations are counted: the instance's zone and calendar when the replay began. */
  periods: PortablePeriods;
};

export type FromReplay =
  | { type: "progress"; replayed: number }
  | { type: "done"; result: ImpactResult }
  | { type: "failed"; message: string };

/** Records read a page at a time: a few MB of text, and a progress report every fraction of a second. */
const PAGE_SIZE = 2_000;

yieldToRequests();

const port = parentPort;
if (!port) throw new Error("impact-worker.ts runs in a worker thread: the impact service starts it");
const data = workerData as ReplayData;

try {
  port.postMessage({ type: "done", result: await replay(data) } satisfies FromReplay);
} catch (error) {
  port.postMessage({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
  } satisfies FromReplay);
}

async function replay({ databaseUrl, period, limit, kind, draft, periods }: ReplayData): Promise<ImpactResult> {
  // read-only on SQLite: a replay can never change the log, and it holds no lock the writer waits for
  const db = connectDatabase(databaseUrl, "reader");
  try {
    const tally = new ImpactTally(new Decider(kind, 0, draft), periodsFrom(periods));
    let end: PageEnd | null = null;
    let read = 0;
    while (read < limit) {
      const page = await loggedDecisionsPage(db, period, end, Math.min(PAGE_SIZE, limit - read));
      for (const logged of page) tally.add(logged);
      read += page.length;
      port!.postMessage({ type: "progress", replayed: read } satisfies FromReplay);
      if (page.length < PAGE_SIZE) break;
      const last = page.at(-1)!;
      end = { at: last.at, decisionId: last.decisionId };
    }
    return tally.result();
  } finally {
    await db.destroy();
  }
}
