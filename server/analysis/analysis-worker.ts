import { Worker } from "node:worker_threads";
import type { Analysis } from "../../shared/analysis.ts";
import type { RuleSetKind } from "../../shared/kinds/index.ts";
import type { RuleSetDefinition } from "../../shared/rules.ts";
import { DomainError, tooManyRequests } from "../errors.ts";
import type { AnalyseOptions } from "./analyse.ts";

export type AnalysisJob = { id: number; kind: RuleSetKind; definition: RuleSetDefinition; options: AnalyseOptions };
export type AnalysisReply = { id: number; analysis: Analysis } | { id: number; error: string };

/** Analyses waiting for the thread at most: each may take its whole time budget, so a longer queue only waits. */
export const MAX_QUEUED_ANALYSES = 4;

/**
 * The thread's heap at most: the largest draft the API takes (20 000 rules, 200 invariants) analysed in ≈ 335 MB, and a
 * thread over its limit is ended alone, where one without a limit would take the whole service down with it.
 */
export const ANALYSIS_HEAP_MB = 768;

type Pending = { job: AnalysisJob; resolve: (analysis: Analysis) => void; reject: (error: Error) => void };

/**
 * One thread that analyses drafts one at a time, off the thread that answers decisions: an analysis may search for
 * seconds (its budget), and this machine's other core is the decisions'. Started at the first analysis, unref'd so it
 * never keeps the process alive, started again should it die. Beyond MAX_QUEUED_ANALYSES waiting, a request is refused
 * (429) rather than queued.
 */
export class AnalysisWorker {
  constructor(readonly heapMb = ANALYSIS_HEAP_MB) {}

  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #queue: Pending[] = [];
  #busy: Pending | undefined;

  analyse(kind: RuleSetKind, definition: RuleSetDefinition, options: AnalyseOptions): Promise<Analysis> {
    if (this.#queue.length >= MAX_QUEUED_ANALYSES)
      throw tooManyRequests(`${MAX_QUEUED_ANALYSES} analyses are already waiting; try again shortly`, 1_000);
    return new Promise((resolve, reject) => {
      this.#queue.push({ job: { id: this.#next++, kind, definition, options }, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the thread; analyses under way or waiting fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const pending of [...this.#queue, ...(this.#busy ? [this.#busy] : [])])
      pending.reject(new Error("the analysis thread stopped"));
    this.#queue.length = 0;
    this.#busy = undefined;
    await worker?.terminate();
  }

  #pump(): void {
    if (this.#busy || this.#queue.length === 0) return;
    const pending = this.#queue.shift()!;
    this.#busy = pending;
    this.#pending.set(pending.job.id, pending);
    this.#thread().postMessage(pending.job);
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./analysis-thread.mjs", import.meta.url), {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb },
    });
    worker.unref();
    worker.on("message", (message: AnalysisReply | { ready: true }) => {
      if ("ready" in message) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      this.#busy = undefined;
      if ("analysis" in message) pending.resolve(message.analysis);
      else pending.reject(new Error(message.error));
      this.#pump();
    });
    const died = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      const busy = this.#busy;
      this.#busy = undefined;
      if (busy) {
        this.#pending.delete(busy.job.id);
        // the thread ran out of memory or stopped: the service is fine, this analysis could not be done now
        busy.reject(
          new DomainError({
            code: "unavailable",
            detail: `the analysis could not finish (${error.message}); try again, with a smaller draft or budget`,
          }),
        );
      }
      this.#pump();
    };
    worker.on("error", died);
    worker.on("exit", (code) => died(new Error(`the analysis thread exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}
