/** Filled in by the simulator work: see admin/pages/simulator/. */
export function SimulatorPage() {
  return null;
}
