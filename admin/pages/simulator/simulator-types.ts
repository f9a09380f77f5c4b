import type { simulate } from "../../../server/rule-sets/service.ts";

/** The simulate call's answer, as the server's service declares it (types only: nothing of the server is bundled). */
export type SimulateResult = Awaited<ReturnType<typeof simulate>>;
export type SimulatedDecision = SimulateResult["draft"];
