/**
 * Where the simulator looks for a case handed over from elsewhere (the decision log, an analysis finding's example, an
 * impact sample): read once by the simulator, then forgotten. Not in the URL: a case can hold customer data.
 */
export const simulatorFactsKey = "asr.simulator.facts";

/** Hands a case (and the version to compare the draft with, if any) to the simulator the next page opens. */
export function handToSimulator(facts: unknown, version?: number): void {
  try {
    sessionStorage.setItem(simulatorFactsKey, JSON.stringify({ facts, version }));
  } catch {
    // storage refused (private mode, quota): the simulator opens with its own example case
  }
}
