// ONNX Runtime on the networks of issue #20, for the speed of memsched's generated code to be compared
// with: CPU, one intra-op and one inter-op thread, sequential execution, the network exported by
// exportOnnx (seeded weights where the model has none) and the input `memsched verify` uses by default.
// Each network: one warm-up run, then the median of `runs` timed runs, and the largest relative
// difference of ONNX Runtime's output to memsched's reference inference on the same input.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { runnableNetwork } from '../codegen/c.js';
import { loadNetwork } from '../frontends/index.js';
import { exportOnnx } from '../frontends/onnx/export.js';
import type { Network } from '../ir/network.js';
import { networkStats } from '../ir/stats.js';
import { difference, inputsByName, runNetwork } from '../reference/index.js';
import type { Tensor } from '../reference/layers.js';
import { defaultInputs } from '../verify/verify.js';

export interface OrtResult {
  network: string;
  model: string;
  weights: 'own' | 'seeded';
  input: string;
  macs: number;
  runs: number;
  /** Median wall time of one inference (session.run), after one warm-up run. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Process CPU time over wall time during the timed runs: about 1 when ONNX Runtime kept to one thread. */
  cpuPerWall: number;
  /** max |ONNX Runtime - reference| / max |reference| over the output. */
  relativeDifference: number;
  referenceSeconds: number;
}

export const ortModels = [
  'zoo:traffic',
  'zoo:vgg16',
  'zoo:vdsr',
  path.join('..', 'shared', 'networks', 'onnx', 'mobilenet_v2.onnx'),
];

export function ortVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('onnxruntime-node/package.json') as { version: string }).version;
}

/**
 * ONNX Runtime on the network (exported by exportOnnx) and inputs, one thread: a warm-up run, then `runs`
 * timed runs (milliseconds each), CPU time over wall time while they ran, and the last run's outputs.
 */
export async function timeOrt(
  net: Network,
  inputs: Tensor[],
  runs: number,
): Promise<{ times: number[]; cpuPerWall: number; output: ort.InferenceSession.OnnxValueMapType }> {
  const session = await ort.InferenceSession.create(exportOnnx(net), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const feeds: Record<string, ort.Tensor> = {};
  net.inputs.forEach((t, i) => {
    feeds[t.name] = new ort.Tensor('float32', inputs[i]!.data, [1, t.shape.c, t.shape.h, t.shape.w]);
  });
  let output = await session.run(feeds);
  const times: number[] = [];
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    output = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  const cpuPerWall = (used.user + used.system) / 1e3 / (Number(process.hrtime.bigint() - wall) / 1e6);
  await session.release();
  return { times, cpuPerWall, output };
}

export async function ortBench(models = ortModels, runs = 7): Promise<OrtResult[]> {
  const results: OrtResult[] = [];
  for (const model of models) {
    const loaded = loadNetwork(model);
    const net = runnableNetwork(loaded);
    const inputs = defaultInputs(net);
    const { times, cpuPerWall, output } = await timeOrt(net, inputs, runs);

    const start = process.hrtime.bigint();
    const reference = await runNetwork(net, inputsByName(net, inputs));
    const referenceSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    let relative = 0;
    for (const o of net.outputs) {
      const ours = reference[o]!;
      const theirs = { shape: ours.shape, data: output[o]!.data as Float32Array };
      relative = Math.max(relative, difference(theirs, ours).relative);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const s = net.inputs[0]!.shape;
    results.push({
      network: net.name,
      model,
      weights: net === loaded ? 'own' : 'seeded',
      input: `${s.c}x${s.h}x${s.w}`,
      macs: networkStats(net).macs,
      runs,
      medianMs: sorted[Math.floor(runs / 2)]!,
      minMs: sorted[0]!,
      maxMs: sorted[runs - 1]!,
      cpuPerWall,
      relativeDifference: relative,
      referenceSeconds,
    });
  }
  return results;
}

export function ortSummaryLine(r: OrtResult): string {
  const gmacs = r.macs / 1e9;
  return `onnxruntime ${r.network} (${r.input}, ${r.weights} weights, ${gmacs.toFixed(2)} GMAC): median ${r.medianMs.toFixed(1)} ms of ${r.runs} (${(gmacs / (r.medianMs / 1e3)).toFixed(1)} GMAC/s, CPU/wall ${r.cpuPerWall.toFixed(2)}), max relative difference to the reference ${r.relativeDifference.toExponential(1)}`;
}
