// Verification by measurement of the paper's networks: explore each (1-byte elements, the default search),
// then generate, build and run Pareto points as C and hold outputs and counts against the reference and
// the model. Every point of the traffic-sign detector; a sample of the others, whose runs take minutes
// each: points spread over the front's on-chip bytes among those computing at most twice the network's
// fewest MACs (the front's far end recomputes fused layers hundreds of times over: VDSR's last point
// needs 11 TMACs, hours of run time). The estimate for all points is recorded. Standalone, after
// `npm run build`: `node dist/bench/verify.js [network[:all|N]...]` (default traffic:all vdsr:5
// vgg16:5 mobilenet_v2:5), which updates those networks' entries in bench/results/verify.json.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnableNetwork } from '../codegen/c.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../codegen/verify.js';
import { explore } from '../dse/explore.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import { spreadPoints } from '../report/front.js';

export interface VerifiedPoint {
  point: number;
  ok: boolean;
  /** Predicted by the model (and measured equal when ok). */
  bytes: number;
  accesses: number;
  macs: number;
  segments: number;
  fusedSegments: number;
  maxRelError: number;
  buildSeconds: number;
  runSeconds: number;
  mismatches: string[];
}

export interface VerifyBench {
  network: string;
  elementBytes: 1;
  frontPoints: number;
  /** 'all', or how many points were sampled (spread over the front by on-chip bytes). */
  chosen: 'all' | number;
  /** Points a sample is drawn from: those with at most `sampleMacsFactor` x the fewest MACs of the front. */
  sampledFrom: number;
  sampleMacsFactor: number | null;
  exploreSeconds: number;
  /** Reference inference of the input plus writing weights and input (once per network). */
  referenceSeconds: number;
  verified: number;
  failed: number;
  maxRelError: number;
  buildSeconds: { total: number; max: number };
  runSeconds: { total: number; max: number; mean: number };
  /** Build time per point plus run time per MAC (means of the verified points), over all points of the front. */
  estimatedSecondsForAll: number;
  points: VerifiedPoint[];
}

/** Samples are drawn among the points with at most this many times the fewest MACs. */
export const sampleMacsFactor = 2;

export const defaultPlan: [string, 'all' | number][] = [
  ['traffic', 'all'],
  ['vdsr', 5],
  ['vgg16', 5],
  ['mobilenet_v2', 5],
];

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function verifyNetwork(
  name: string,
  chosen: 'all' | number,
  log: (line: string) => void = () => {},
): Promise<VerifyBench> {
  const net = runnableNetwork(zooNetwork(name));
  let t0 = process.hrtime.bigint();
  const front = (await explore(net, { space: 'full', elementBytes: 1, threads: availableParallelism() }))
    .front;
  const exploreSeconds = seconds(t0);
  const fewest = Math.min(...front.map((p) => p.macs));
  const pool = front
    .map((p, i) => ({ p, i }))
    .filter(({ p }) => chosen === 'all' || p.macs <= sampleMacsFactor * fewest);
  const indices =
    chosen === 'all'
      ? pool.map(({ i }) => i)
      : spreadPoints(
          pool.map(({ p }) => p),
          chosen,
        ).map((k) => pool[k]!.i);
  t0 = process.hrtime.bigint();
  const session = openSession(net, defaultInputs(net));
  const referenceSeconds = seconds(t0);
  log(
    `verify ${name}: ${front.length} points, ${indices.length} chosen; explored in ${exploreSeconds.toFixed(1)} s, reference in ${referenceSeconds.toFixed(1)} s`,
  );
  const points: VerifiedPoint[] = [];
  try {
    for (const i of indices) {
      const p = front[i]!;
      const v = verifySchedule(session, p.schedule, i);
      points.push({
        point: i,
        ok: v.ok,
        bytes: p.bytes,
        accesses: p.accesses,
        macs: p.macs,
        segments: p.schedule.segments.length,
        fusedSegments: p.schedule.segments.filter((s) => s.layers.length > 1).length,
        maxRelError: v.output.maxRelError,
        buildSeconds: v.buildSeconds,
        runSeconds: v.runSeconds,
        mismatches: v.mismatches,
      });
      log(
        `  point ${i}: ${v.ok ? 'ok' : `FAILED (${v.mismatches[0]})`}, ${p.bytes} B on chip, ${(p.macs / 1e9).toFixed(2)} GMACs, build ${v.buildSeconds.toFixed(1)} s, run ${v.runSeconds.toFixed(1)} s`,
      );
    }
  } finally {
    closeSession(session);
  }
  const sum = (f: (p: VerifiedPoint) => number) => points.reduce((n, p) => n + f(p), 0);
  const max = (f: (p: VerifiedPoint) => number) => points.reduce((n, p) => Math.max(n, f(p)), 0);
  const buildPerPoint = points.length > 0 ? sum((p) => p.buildSeconds) / points.length : 0;
  const runPerMac =
    sum((p) => p.runSeconds) /
    Math.max(
      1,
      sum((p) => p.macs),
    );
  return {
    network: name,
    elementBytes: 1,
    frontPoints: front.length,
    chosen,
    sampledFrom: pool.length,
    sampleMacsFactor: chosen === 'all' ? null : sampleMacsFactor,
    exploreSeconds,
    referenceSeconds,
    verified: points.length,
    failed: points.filter((p) => !p.ok).length,
    maxRelError: points.some((p) => Number.isNaN(p.maxRelError)) ? Number.NaN : max((p) => p.maxRelError),
    buildSeconds: { total: sum((p) => p.buildSeconds), max: max((p) => p.buildSeconds) },
    runSeconds: {
      total: sum((p) => p.runSeconds),
      max: max((p) => p.runSeconds),
      mean: points.length > 0 ? sum((p) => p.runSeconds) / points.length : 0,
    },
    estimatedSecondsForAll: front.reduce((n, p) => n + buildPerPoint + runPerMac * p.macs, 0),
    points,
  };
}

export async function verifyBench(
  plan: [string, 'all' | number][] = defaultPlan,
  log: (line: string) => void = () => {},
): Promise<VerifyBench[]> {
  const out: VerifyBench[] = [];
  for (const [name, chosen] of plan) out.push(await verifyNetwork(name, chosen, log));
  return out;
}

export function summaryLine(r: VerifyBench): string {
  const how =
    r.chosen === 'all'
      ? 'all'
      : `spread over the ${r.sampledFrom} with at most ${r.sampleMacsFactor}x the fewest MACs`;
  return `verify ${r.network}: ${r.verified} of ${r.frontPoints} points run as C (${how}), ${r.failed} failed, max relative output error ${r.maxRelError.toExponential(1)}; build ${r.buildSeconds.total.toFixed(0)} s, run ${r.runSeconds.total.toFixed(0)} s (mean ${r.runSeconds.mean.toFixed(1)} s; all points would take ~${(r.estimatedSecondsForAll / 3600).toFixed(1)} h)`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const plan: [string, 'all' | number][] =
    args.length === 0
      ? defaultPlan
      : args.map((a) => {
          const [name, n] = a.split(':');
          return [name!, n === undefined || n === 'all' ? 'all' : Number(n)];
        });
  const file = 'bench/results/verify.json';
  const machine = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model };
  mkdirSync('bench/results', { recursive: true });
  for (const [name, chosen] of plan) {
    const r = await verifyNetwork(name, chosen, (l) => console.error(l));
    // keep the other networks' entries: networks can be run one at a time
    const old = existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { verify?: VerifyBench[] })
      : {};
    const entries = (old.verify ?? []).filter((e) => e.network !== name);
    writeFileSync(file, `${JSON.stringify({ ...machine, verify: [...entries, r] }, null, 2)}\n`);
    console.log(summaryLine(r));
  }
}
