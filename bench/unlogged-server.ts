/**
 * The real service with a decision log that records nothing (bench/servers.ts, `decisionLog: "off"`): what the log
 * costs a decision is the difference with the service as `npm start` runs it. For measuring only.
 */
import { loadConfig } from "../server/config.ts";
import { DecisionLog } from "../server/decision-log/decision-log.ts";
import { runService } from "../server/run-service.ts";

/** The same log, never fed: its queue, writer and counters exist, no decision reaches them. */
class UnrecordedDecisionLog extends DecisionLog {
  override record(): void {}
}

await runService(loadConfig(), { DecisionLog: UnrecordedDecisionLog });
