// The replay thread's entry point, plain JavaScript for the reason log-writer.mjs gives: a worker gets no TypeScript
// loader from the main thread, so tsx's namespaced import loads impact-worker.ts and what it imports.
import { tsImport } from "tsx/esm/api";

await tsImport("./impact-worker.ts", import.meta.url);
