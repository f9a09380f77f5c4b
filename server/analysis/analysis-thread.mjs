// The analysis thread's entry point, plain JavaScript for the reason server/decision-log/log-writer.mjs gives: a worker
// gets none of vitest's transforms nor the main thread's `--import tsx`; tsx's namespaced import loads the TypeScript.
import { tsImport } from "tsx/esm/api";

await tsImport("./analysis-thread.ts", import.meta.url);
