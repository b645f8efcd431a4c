// The release C build timed against ONNX Runtime (issue #20): per network the point chosen for 256 KiB
// with no recompute (fp32, --max-recompute 1) and the point chosen for 4 MiB (default recompute limit),
// each as it is and retiled within its budget (src/dse/retile.ts: larger tiles, no more traffic), each
// generated as the release build, compiled -O3 -march=native, run on one thread: a warm-up run, then
// `runs` runs timed inside the program (clock_gettime around the network, no file I/O), the median kept.
// The output of the timed runs is held against the reference inference (1e-4), and a counting build of
// the same point (-DMEMSCHED_COUNT) against the model's reads and writes. ONNX Runtime's time is the one
// in bench/results/ort.json (`npm run bench -- ort`), on the same network and input.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProgram, readOutputs, runChild } from '../codegen/build.js';
import type { CProgram } from '../codegen/c.js';
import { generateC, runnableNetwork } from '../codegen/c.js';
import { releaseFlags } from '../codegen/release.js';
import { defaultMaxRecompute, explore } from '../dse/explore.js';
import { retileSchedule, scheduleSteps } from '../dse/retile.js';
import { loadNetwork } from '../frontends/index.js';
import type { Network } from '../ir/network.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
import { difference } from '../reference/compare.js';
import { verifyRelease } from '../verify/release.js';
import type { VerifySession } from '../verify/verify.js';
import { closeSession, defaultInputs, openSession } from '../verify/verify.js';
import { ortModels } from './ort.js';

export interface ReleaseBench {
  network: string;
  model: string;
  /** The point: the fewest predicted accesses within `budget` bytes (fp32 schedules). */
  budget: string;
  /**
   * The front point's own schedule, or the point retiled within the budget (src/dse/retile.ts: the same
   * order and levels, larger tiles, no more accesses or MACs); bytes, accesses and MACs are then its own.
   */
  schedule: 'point' | 'retiled';
  /** Innermost loop steps of the schedule run. */
  steps: number;
  maxRecompute: number;
  pointBytes: number;
  predictedAccesses: number;
  macs: number;
  leastMacs: number;
  segments: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** max |output - reference| / max |reference| of the timed runs' output. */
  relativeError: number;
  /** The counting build's reads and writes (and filled, MACs) equal the model's. */
  countsEqual: boolean;
  /** ONNX Runtime's median on the same network and input (bench/results/ort.json), and ours over it. */
  ortMs: number | null;
  ratio: number | null;
}

export const releaseCases = [
  { budget: '256KiB', bytes: 256 * 1024, maxRecompute: 1 },
  { budget: '4MiB', bytes: 4 * 1024 * 1024, maxRecompute: defaultMaxRecompute },
];

/** The bench's point of a case: the fewest accesses within its budget (fp32 schedules), and that point retiled. */
export async function releasePoint(net: Network, c: (typeof releaseCases)[number]) {
  const front = await explore(net, { space: 'full', elementBytes: 4, maxRecompute: c.maxRecompute });
  const point = front.front.filter((p) => p.bytes <= c.bytes).at(-1);
  if (point === undefined) throw new Error(`bench release: ${net.name} has no point within ${c.budget}`);
  return { front, point, retiled: retileSchedule(net, point.schedule, c.bytes) };
}

function ortTimes(): Map<string, number> {
  const file = 'bench/results/ort.json';
  if (!existsSync(file)) return new Map();
  const json = JSON.parse(readFileSync(file, 'utf8')) as { ort: { model: string; medianMs: number }[] };
  return new Map(json.ort.map((r) => [r.model, r.medianMs]));
}

/**
 * The release build of a schedule (in int8 for an int8 session) built -O3 -march=native in `dir` as
 * `tag`; `run(n)` runs it n + 1 times and gives the times of the n after the first (a warm-up).
 */
export async function builtProgram(session: VerifySession, sched: NetworkSchedule, dir: string, tag: string) {
  const p: CProgram = generateC(session.net, sched, checkAndEvaluate(session.net, sched), {
    weights: false,
    release: true,
    ...(session.int8 ? { int8: session.int8.network } : {}),
  });
  const source = join(dir, `${tag}.c`);
  const exe = join(dir, tag);
  writeFileSync(source, p.source);
  await compileProgram(source, exe, { extraFlags: releaseFlags });
  const output = join(dir, `${tag}.bin`);
  return {
    p,
    output,
    async run(runs: number): Promise<number[]> {
      const r = await runChild(exe, [session.weightsFile, session.inputFile, output, String(runs + 1)]);
      if (r.status !== 0) throw new Error(`bench: ${exe} failed (exit ${r.status}): ${r.stderr}`);
      return (JSON.parse(r.stdout) as { ms: number[] }).ms.slice(1);
    },
  };
}

export async function releaseBench(
  models = ortModels,
  runs = 5,
  onResult: (r: ReleaseBench) => void = () => {},
): Promise<ReleaseBench[]> {
  const ort = ortTimes();
  const results: ReleaseBench[] = [];
  for (const model of models) {
    const net = runnableNetwork(loadNetwork(model));
    const session = await openSession(net, defaultInputs(net));
    try {
      for (const c of releaseCases) {
        const { front, point, retiled } = await releasePoint(net, c);
        const variants = [
          { name: 'point' as const, schedule: point.schedule },
          { name: 'retiled' as const, schedule: retiled },
        ];
        for (const v of variants) {
          const counted = await verifyRelease(session, v.schedule, null, { extraFlags: releaseFlags });
          if (counted.error !== undefined) throw new Error(`bench release: ${net.name}: ${counted.error}`);
          const dir = mkdtempSync(join(tmpdir(), 'memsched-release-'));
          try {
            const built = await builtProgram(session, v.schedule, dir, 'release');
            const predicted = built.p.predicted;
            const sorted = [...(await built.run(runs))].sort((a, b) => a - b);
            const outputs = readOutputs(built.output, built.p);
            const relativeError = Math.max(
              ...outputs.map((t, i) => difference(t, session.expected[i]!).relative),
            );
            const medianMs = sorted[Math.floor(sorted.length / 2)]!;
            const ortMs = ort.get(model) ?? null;
            const result: ReleaseBench = {
              network: net.name,
              model,
              budget: c.budget,
              schedule: v.name,
              steps: scheduleSteps(net, v.schedule),
              maxRecompute: c.maxRecompute,
              pointBytes: predicted.onChipBytes,
              predictedAccesses: predicted.dramAccesses,
              macs: predicted.macs,
              leastMacs: front.baseline.macs ?? point.macs,
              segments: point.segments,
              runs,
              medianMs,
              minMs: sorted[0]!,
              maxMs: sorted.at(-1)!,
              relativeError,
              countsEqual: counted.ok || counted.mismatches.every((m) => m.startsWith('output')),
              ortMs,
              ratio: ortMs === null ? null : medianMs / ortMs,
            };
            results.push(result);
            onResult(result);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    } finally {
      closeSession(session);
    }
  }
  return results;
}

export function releaseSummaryLine(r: ReleaseBench): string {
  const gmacs = r.macs / 1e9;
  return `release C ${r.network} at ${r.budget}${r.schedule === 'retiled' ? ' retiled' : ''} (recompute <= ${r.maxRecompute}; ${r.segments} segments, ${(r.pointBytes / 1024).toFixed(1)} KiB, ${r.steps.toLocaleString('en-US')} steps): median ${r.medianMs.toFixed(1)} ms of ${r.runs} (${(gmacs / (r.medianMs / 1e3)).toFixed(2)} GMAC/s), ONNX Runtime ${r.ortMs?.toFixed(1) ?? '-'} ms, ratio ${r.ratio?.toFixed(1) ?? '-'}x; output error ${r.relativeError.toExponential(1)}, counts ${r.countsEqual ? 'equal the model' : 'DIFFER'}`;
}
