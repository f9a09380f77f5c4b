/**
 * `tsx bench/run-replay.ts`: only `npm run bench`'s (f), the impact replay, printed with its section of the report.
 * BENCH_REPLAY_RECORDS (1 000 000), BENCH_RATE (1000 req/s), BENCH_OPEN_LOOP_SECONDS (15) as in bench/run.ts.
 */
import { renderReplaySection } from "./report.ts";
import { benchReplay } from "./replay.ts";

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const result = await benchReplay({
  records: setting("BENCH_REPLAY_RECORDS", 1_000_000),
  rate: setting("BENCH_RATE", 1000),
  seconds: setting("BENCH_OPEN_LOOP_SECONDS", 15),
  log: (line) => console.log(line),
});
console.log(`\n${renderReplaySection(result)}`);
process.exit(0);
