// The Halide backend's speed next to ONNX Runtime's (issue #20): per network the point explored with
// 4-byte elements and no recomputation (--max-recompute 1) with the fewest accesses within 256 KiB,
// and the one within 4 MiB; each built without tracing (vectorized, docs/halide.md), run on one thread
// (HL_NUM_THREADS=1, no parallel loops): one warm-up run, then the median of `runs` timed runs (one for a
// point whose run takes over 10 s), each timed inside the runner (the pipelines alone, no file I/O);
// outputs held against the reference inference within 1e-4. Each point runs as it is and retiled within
// its budget (src/dse/retile.ts).
// ONNX Runtime's median comes from bench/results/ort.json (npm run bench -- ort).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawTensors } from '../codegen/build.js';
import { runnableNetwork } from '../codegen/c.js';
import type { HalideProgram } from '../codegen/halide.js';
import { generateHalide, halideInexactText } from '../codegen/halide.js';
import { buildHalide, runHalide } from '../codegen/halide-build.js';
import type { FrontPoint } from '../dse/explore.js';
import { explore } from '../dse/explore.js';
import { retileSchedule, scheduleSteps } from '../dse/retile.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import { defaultTolerance, difference } from '../reference/compare.js';
import { inputsByName, runNetwork } from '../reference/run.js';
import { defaultInputs } from '../verify/verify.js';
import type { OrtResult } from './ort.js';
import { ortModels } from './ort.js';

export const halideBudgets = { '256KiB': 256 * 1024, '4MiB': 4 * 1024 * 1024 } as const;

export interface HalideBenchPoint {
  budget: keyof typeof halideBudgets;
  /** Index in the explored front; the model's prediction of the schedule run (bytes, accesses in elements, MACs). */
  point: number;
  /** The front point's schedule, or the point retiled within the budget (larger tiles, no more traffic). */
  schedule: 'point' | 'retiled';
  /** Innermost loop steps of the schedule run. */
  steps: number;
  bytes: number;
  accesses: number;
  macs: number;
  segments: number;
  /** Better points within the budget that the backend refuses (their reasons): none when it took the best. */
  refusedBetter: string[];
  /** Store levels the backend moved (see generateHalide's notes). */
  notes: number;
  /** Segments with a feature whose counts may differ from the model (halideInexact). */
  inexactSegments: number;
  buildSeconds: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** max |Halide - reference| / max |reference|; within 1e-4 or the point is marked failed. */
  relativeDifference: number;
  ok: boolean;
  ortMedianMs: number | null;
  /** medianMs / ortMedianMs: below 1 is faster than ONNX Runtime. */
  ratio: number | null;
}

export interface HalideBenchResult {
  network: string;
  model: string;
  weights: 'own' | 'seeded';
  frontPoints: number;
  exploreSeconds: number;
  points: HalideBenchPoint[];
}

function ortMedians(): Map<string, number> {
  const file = 'bench/results/ort.json';
  if (!existsSync(file)) return new Map();
  const json = JSON.parse(readFileSync(file, 'utf8')) as { ort: OrtResult[] };
  return new Map(json.ort.map((r) => [r.model, r.medianMs]));
}

export async function halideBench(models = ortModels, runs = 5): Promise<HalideBenchResult[]> {
  const ort = ortMedians();
  const results: HalideBenchResult[] = [];
  for (const model of models) {
    const loaded = loadNetwork(model);
    const net = runnableNetwork(loaded);
    const t0 = process.hrtime.bigint();
    const explored = await explore(net, { space: 'full', elementBytes: 4, maxRecompute: 1 });
    const exploreSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const inputs = defaultInputs(net);
    const reference = await runNetwork(net, inputsByName(net, inputs));
    const dir = mkdtempSync(join(tmpdir(), 'memsched-bench-halide-'));
    const weights = join(dir, 'weights.bin');
    const input = join(dir, 'input.bin');
    writeFileSync(input, rawTensors(inputs));
    const points: HalideBenchPoint[] = [];
    try {
      for (const [budget, bytes] of Object.entries(halideBudgets) as [keyof typeof halideBudgets, number][]) {
        // the best within the budget, or the best the backend accepts (the others' refusals recorded)
        const within = explored.front.filter((p) => p.bytes <= bytes).sort((a, b) => a.accesses - b.accesses);
        if (within.length === 0) continue;
        const refusedBetter: string[] = [];
        let chosen: { p: FrontPoint; program: HalideProgram; inexact: string[] } | undefined;
        for (const p of within) {
          try {
            const checked = checkAndEvaluate(net, p.schedule);
            const program = generateHalide(net, p.schedule, checked);
            chosen = { p, program, inexact: halideInexactText(checked, p.schedule) };
            break;
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            refusedBetter.push(e.message);
          }
        }
        if (chosen === undefined) continue;
        const { p } = chosen;
        // the point as it is, and retiled within the budget (src/dse/retile.ts: larger tiles, no more traffic)
        const retiled = retileSchedule(net, p.schedule, bytes);
        const checkedRetiled = checkAndEvaluate(net, retiled);
        const variants = [
          { schedule: 'point' as const, program: chosen.program, inexact: chosen.inexact, sched: p.schedule },
          {
            schedule: 'retiled' as const,
            program: generateHalide(net, retiled, checkedRetiled),
            inexact: halideInexactText(checkedRetiled, retiled),
            sched: retiled,
          },
        ];
        for (const v of variants) {
          const program = v.program;
          const predicted = program.predicted;
          writeFileSync(weights, program.weights!);
          const pointDir = mkdtempSync(join(dir, `${budget}-`));
          const build = buildHalide(pointDir, program, false);
          // a point whose one run takes over 10 s is timed once more after a warm-up, not `runs` times
          const probe = runHalide(pointDir, program, weights, input, 1);
          const timed = probe.seconds[0]! > 10 ? 1 : runs;
          const run = runHalide(pointDir, program, weights, input, timed + 1);
          const times = run.seconds.slice(1).map((s) => s * 1e3);
          const sorted = [...times].sort((a, b) => a - b);
          let relative = 0;
          run.outputs.forEach((t, i) => {
            relative = Math.max(relative, difference(t, reference[net.outputs[i]!]!).relative);
          });
          const medianMs = sorted[Math.floor(sorted.length / 2)]!;
          const ortMs = ort.get(model) ?? null;
          points.push({
            budget,
            point: explored.front.indexOf(p),
            schedule: v.schedule,
            steps: scheduleSteps(net, v.sched),
            bytes: predicted.onChipBytes,
            accesses: predicted.dramAccesses,
            macs: predicted.macs,
            segments: p.segments,
            refusedBetter,
            notes: program.notes.length,
            inexactSegments: new Set(v.inexact.map((l) => l.split(' ')[1])).size,
            buildSeconds: build.seconds,
            runs: timed,
            medianMs,
            minMs: sorted[0]!,
            maxMs: sorted.at(-1)!,
            relativeDifference: relative,
            ok: relative <= defaultTolerance,
            ortMedianMs: ortMs,
            ratio: ortMs === null ? null : medianMs / ortMs,
          });
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    results.push({
      network: net.name,
      model,
      weights: net === loaded ? 'own' : 'seeded',
      frontPoints: explored.front.length,
      exploreSeconds,
      points,
    });
  }
  return results;
}

export function halideSummaryLines(r: HalideBenchResult): string[] {
  return r.points.map(
    (p) =>
      `halide ${r.network} ${p.budget}${p.schedule === 'retiled' ? ' retiled' : ''} (point ${p.point}, ${p.steps.toLocaleString('en-US')} steps, ${p.segments} segments${p.refusedBetter.length > 0 ? `, ${p.refusedBetter.length} better points refused` : ''}): median ${p.medianMs.toFixed(1)} ms of ${p.runs}${p.ratio === null ? '' : `, ${p.ratio.toFixed(2)}x ONNX Runtime's ${p.ortMedianMs!.toFixed(1)} ms`}; output ${p.ok ? 'within' : 'NOT within'} 1e-4 (${p.relativeDifference.toExponential(1)}); build ${p.buildSeconds.toFixed(0)} s`,
  );
}
