import { loadConfig } from "./config.ts";
import { runService } from "./run-service.ts";

await runService(loadConfig());
