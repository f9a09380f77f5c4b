import { parentPort } from "node:worker_threads";
import { type AnalyseOptions, analyseDefinition } from "./analyse.ts";
import type { AnalysisJob, AnalysisReply } from "./analysis-worker.ts";

/** Analyses one definition at a time, as the main thread sends them (analysis-worker.ts). */
parentPort!.on("message", (job: AnalysisJob) => {
  let reply: AnalysisReply;
  try {
    reply = { id: job.id, analysis: analyseDefinition(job.kind, job.definition, job.options as AnalyseOptions) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage({ ready: true });
