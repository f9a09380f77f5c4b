// The writer thread's entry point, plain JavaScript: Node 20 cannot load TypeScript by itself, a
// worker gets none of vitest's transforms, and `--import tsx` inherited from the main thread does
// not reach it either (ERR_UNKNOWN_FILE_EXTENSION). tsx's namespaced import loads log-writer.ts and
// what it imports, under `tsx server/main.ts`, `node --import tsx` and vitest alike.
import { tsImport } from "tsx/esm/api";

await tsImport("./log-writer.ts", import.meta.url);
