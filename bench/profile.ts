/**
 * `npx tsx bench/profile.ts`: where the decision service spends its CPU under load. Starts the
 * real service with --cpu-prof, drives the decision endpoint with autocannon as (b) does, stops
 * it, and prints the top self-time functions and the self time per module.
 *
 * PROFILE_SECONDS (10), PROFILE_TOP (30), DECISION_LOG (on).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { refundEligibilityBody } from "./cases.ts";
import { closedLoop } from "./closed-loop.ts";
import { BENCH_API_KEY, ROOT, startRealService } from "./servers.ts";

type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] };

const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const top = Number(process.env.PROFILE_TOP ?? 30);
const dir = mkdtempSync(join(tmpdir(), "aftersales-profile-"));

const spawned = performance.now();
const server = await startRealService({
  decisionLog: process.env.DECISION_LOG === "off" ? "off" : "on",
  nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=250"],
});
const http = {
  path: "/api/v1/decisions/refund-eligibility",
  body: refundEligibilityBody,
  headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_API_KEY}` },
  connections: 10,
};
// until the JIT has settled, as npm run bench does: a profile of a cold server shows the compiler
for (let i = 0; i < 4; i++) await closedLoop("warm-up", server, { ...http, seconds: 3 });
const runStart = performance.now() - spawned;
const run = await closedLoop("profiled", server, { ...http, seconds });
const runEnd = performance.now() - spawned;
console.log(
  `profiled run: ${Math.round(run.reqPerSec)} req/s, server CPU ${run.serverCpuMicrosPerRequest.toFixed(0)} µs/req, other CPU ${run.otherCpuPercent.toFixed(0)} %`,
);
await server.stop();

const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error(`no .cpuprofile in ${dir}`);
const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
console.log(`profile: ${join(dir, file)}`);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
// only the profiled run: sample times count from the profile's start, which is close to the spawn
const selfMicros = new Map<number, number>();
let at = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  at += delta;
  if (at < runStart * 1000 || at > runEnd * 1000) return;
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
});
const total = [...selfMicros.values()].reduce((sum, v) => sum + v, 0);

const where = (url: string) => {
  if (!url) return "(native)";
  const path = url.startsWith("file://") ? relative(ROOT, new URL(url).pathname) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  return pkg ? `${pkg} (${path.slice(path.lastIndexOf("/") + 1)})` : path;
};
const module = (url: string) => {
  if (!url) return "(native / GC / idle)";
  if (url.startsWith("node:")) return "node internals";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  return pkg ?? relative(ROOT, new URL(url).pathname);
};

const functions = new Map<string, number>();
const modules = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || "(anonymous)"}  ${where(url)}${url ? `:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + micros);
  const m = module(url);
  modules.set(m, (modules.get(m) ?? 0) + micros);
}
const show = (title: string, entries: Map<string, number>, count: number) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`  ${((micros / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
  }
};
show(`top ${top} functions by self time (of ${(total / 1e6).toFixed(1)} s sampled)`, functions, top);
show("self time by module", modules, 20);
