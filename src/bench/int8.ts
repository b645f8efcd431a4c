// The int8 release build (docs/int8.md) timed in one sitting on this host against the float release build
// of the same schedules and against ONNX Runtime (fp32, one thread): per network the release bench's
// retiled points (256 KiB with no recompute, 4 MiB), both element types built -O3 -march=native and run
// alternately (a warm-up, then `rounds` rounds of `runs` timed runs each; medians of all), ONNX Runtime
// timed between them. The int8 output is held against the int8 reference inference (every element
// equal), its difference to the float reference reported, and its counting build against the model.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOutputs } from '../codegen/build.js';
import { runnableNetwork } from '../codegen/c.js';
import { releaseFlags } from '../codegen/release.js';
import { scheduleSteps } from '../dse/retile.js';
import { loadNetwork } from '../frontends/index.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import { difference } from '../reference/compare.js';
import { verifyRelease } from '../verify/release.js';
import { closeSession, defaultInputs, int8Session, openSession } from '../verify/verify.js';
import { ortModels, timeOrt } from './ort.js';
import { builtProgram, releaseCases, releasePoint } from './release.js';

export interface Int8Bench {
  network: string;
  model: string;
  budget: string;
  maxRecompute: number;
  /** The retiled point's innermost steps, on-chip bytes at 4 bytes an element (int8 holds a quarter), accesses, MACs. */
  steps: number;
  pointBytes: number;
  predictedAccesses: number;
  macs: number;
  /** Partial sums the point moves through DRAM (int32 in the int8 build). */
  dramPartials: number;
  runs: number;
  floatMs: number;
  int8Ms: number;
  ortMs: number;
  /** Medians: int8 over float, int8 over ONNX Runtime. */
  int8OverFloat: number;
  int8OverOrt: number;
  /** int8: every output element equal to the int8 reference's; the difference to the float reference. */
  exact: boolean;
  floatDifference: number;
  /** The int8 counting build's reads, writes, filled elements and MACs equal the model's. */
  countsEqual: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function int8Bench(
  models = ortModels,
  rounds = 3,
  runs = 3,
  onResult: (r: Int8Bench) => void = () => {},
): Promise<Int8Bench[]> {
  const results: Int8Bench[] = [];
  for (const model of models) {
    const net = runnableNetwork(loadNetwork(model));
    const inputs = defaultInputs(net);
    const session = await openSession(net, inputs);
    const dir = mkdtempSync(join(tmpdir(), 'memsched-int8-'));
    try {
      const quantised = await int8Session(session, inputs, inputs);
      for (const c of releaseCases) {
        const { retiled } = await releasePoint(net, c);
        const checked = checkAndEvaluate(net, retiled);
        const float = await builtProgram(session, retiled, dir, 'float');
        const int8 = await builtProgram(quantised, retiled, dir, 'int8');
        const floatTimes: number[] = [];
        const int8Times: number[] = [];
        const ortTimes: number[] = [];
        for (let k = 0; k < rounds; k++) {
          floatTimes.push(...(await float.run(runs)));
          int8Times.push(...(await int8.run(runs)));
          ortTimes.push(...(await timeOrt(net, inputs, runs)).times);
        }
        const outputs = readOutputs(int8.output, int8.p);
        const counted = await verifyRelease(quantised, retiled, null, { extraFlags: releaseFlags });
        const floatMs = median(floatTimes);
        const int8Ms = median(int8Times);
        const ortMs = median(ortTimes);
        const result: Int8Bench = {
          network: net.name,
          model,
          budget: c.budget,
          maxRecompute: c.maxRecompute,
          steps: scheduleSteps(net, retiled),
          pointBytes: checked.predicted.onChipBytes,
          predictedAccesses: checked.predicted.dramAccesses,
          macs: checked.predicted.macs,
          dramPartials: checked.predicted.segments.reduce(
            (n, r) => n + r.buffers.find((b) => b.role === 'output')!.dramReads,
            0,
          ),
          runs: rounds * runs,
          floatMs,
          int8Ms,
          ortMs,
          int8OverFloat: int8Ms / floatMs,
          int8OverOrt: int8Ms / ortMs,
          exact: outputs.every((t, i) => difference(t, quantised.expected[i]!).maxAbs === 0),
          floatDifference: Math.max(...outputs.map((t, i) => difference(t, session.expected[i]!).relative)),
          countsEqual: counted.ok,
        };
        results.push(result);
        onResult(result);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      closeSession(session);
    }
  }
  return results;
}

export function int8SummaryLine(r: Int8Bench): string {
  const gmacs = (ms: number) => (r.macs / 1e9 / (ms / 1e3)).toFixed(2);
  const head = `int8 ${r.network} at ${r.budget} retiled (${r.steps.toLocaleString('en-US')} steps): float ${r.floatMs.toFixed(1)} ms (${gmacs(r.floatMs)} GMAC/s), ONNX Runtime ${r.ortMs.toFixed(1)} ms`;
  return `${head}, int8 ${r.int8Ms.toFixed(1)} ms (${gmacs(r.int8Ms)} GMAC/s; ${r.int8OverFloat.toFixed(2)}x float, ${r.int8OverOrt.toFixed(2)}x ONNX Runtime); outputs ${r.exact ? 'equal' : 'DIFFER from'} the int8 reference (${r.floatDifference.toExponential(1)} from float), counts ${r.countsEqual ? 'equal the model' : 'DIFFER'}`;
}
