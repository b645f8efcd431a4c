// Verification of a schedule by running it: generate the C program, build it, run it on an input, and
// hold its outputs against the reference inference and its counters against the model's prediction.
// The result format (`memsched.verify`) is documented in docs/verify-format.md.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../codegen/build.js';
import { compileProgram, InterruptedError, rawTensors, runProgram } from '../codegen/build.js';
import type { CProgram } from '../codegen/c.js';
import { generateC, weightsFile } from '../codegen/c.js';
import { int8WeightsFile } from '../codegen/int8.js';
import type { FailedPoint, MeasuredPoint, VerifyPoint, VerifyTensor } from '../formats/verify.js';
import type { Network } from '../ir/network.js';
import { elements, weightsShape } from '../ir/network.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import type { BufferResult } from '../model/result.js';
import { storageElements } from '../model/result.js';
import type { ElementBytes, NetworkSchedule } from '../model/schedule.js';
import { defaultTolerance, difference, withinTolerance } from '../reference/compare.js';
import type { Int8Network } from '../reference/int8.js';
import { quantizeNetwork, runInt8 } from '../reference/int8.js';
import type { Tensor } from '../reference/layers.js';
import { inputsByName, runNetwork } from '../reference/run.js';
import { rng } from '../util/random.js';

/** Seeded inputs in [0, 1) for networks verified without a given input. */
/** What a backend measured of one buffer: elements read from and written to DRAM, and made present. */
export interface MeasuredCounts {
  reads: number;
  writes: number;
  filled: number;
}

/**
 * A buffer's predicted and measured counts as the verify formats record them, and a mismatch line per
 * count that differs (prefixed with `where`; `delta`: with the signed difference).
 */
export function comparedCounts(
  b: BufferResult,
  segment: number,
  m: MeasuredCounts,
  mismatches: string[],
  where = '',
  delta = false,
): Pick<
  VerifyTensor,
  | 'buffer'
  | 'tensor'
  | 'role'
  | 'segment'
  | 'predictedReads'
  | 'measuredReads'
  | 'predictedWrites'
  | 'measuredWrites'
  | 'predictedFilled'
  | 'measuredFilled'
> {
  const same = (what: string, measured: number, predicted: number) => {
    if (measured !== predicted)
      mismatches.push(
        `${where}${b.id} ${what}: measured ${measured}, predicted ${predicted}${delta ? ` (${measured > predicted ? '+' : ''}${measured - predicted})` : ''}`,
      );
  };
  same('DRAM reads', m.reads, b.dramReads);
  same('DRAM writes', m.writes, b.dramWrites);
  same(b.role === 'intermediate' ? 'computed' : 'filled', m.filled, b.filled);
  return {
    buffer: b.id,
    tensor: b.tensor,
    role: b.role,
    segment,
    predictedReads: b.dramReads,
    measuredReads: m.reads,
    predictedWrites: b.dramWrites,
    measuredWrites: m.writes,
    predictedFilled: b.filled,
    measuredFilled: m.filled,
  };
}

export function defaultInputs(net: Network): Tensor[] {
  return net.inputs.map((t, i) => {
    const r = rng(1 + i);
    const data = new Float32Array(elements(t.shape));
    for (let k = 0; k < data.length; k++) data[k] = r();
    return { shape: t.shape, data };
  });
}

/** What every point of one network shares: its weights and input files and the expected outputs. */
export interface VerifySession {
  net: Network;
  dir: string;
  weightsFile: string;
  inputFile: string;
  expected: Tensor[];
  /** Whether `dir` was made here (and is removed by closeSession). */
  ownDir: boolean;
  /**
   * The int8 release build's session (int8Session): weightsFile holds the int8 weights, expected the
   * int8 reference's outputs (dequantised), which the program must equal exactly; float: the float
   * reference's, to say what quantisation costs.
   */
  int8?: { network: Int8Network; float: Tensor[] };
}

/**
 * The session for the int8 release build: the network quantised on `calibration` (docs/int8.md), its
 * int8 weights beside the float ones, and the int8 reference's outputs on the session's input.
 */
export async function int8Session(
  session: VerifySession,
  inputs: Tensor[],
  calibration: Tensor[],
): Promise<VerifySession> {
  const { net } = session;
  const network = await quantizeNetwork(net, inputsByName(net, calibration));
  const { dequantised } = await runInt8(network, inputsByName(net, inputs));
  const weights = join(session.dir, 'weights-int8.bin');
  writeFileSync(weights, int8WeightsFile(network));
  return {
    ...session,
    weightsFile: weights,
    expected: net.outputs.map((o) => dequantised[o]!),
    int8: { network, float: session.expected },
  };
}

export interface SessionOptions {
  /** Where the shared files go (kept by closeSession); a new temporary folder otherwise. */
  dir?: string;
  /** Progress of the reference inference: layers done and their number. */
  onLayer?: (done: number, total: number) => void;
}

/**
 * `net` must carry weights (runnableNetwork); `inputs` one tensor per network input. The reference
 * inference runs before any file is written, so a run interrupted during it leaves nothing behind.
 */
export async function openSession(
  net: Network,
  inputs: Tensor[],
  options: SessionOptions = {},
): Promise<VerifySession> {
  const ref = await runNetwork(net, inputsByName(net, inputs), { onLayer: options.onLayer });
  const ownDir = options.dir === undefined;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'memsched-verify-'));
  if (!ownDir) mkdirSync(root, { recursive: true });
  const weights = join(root, 'weights.bin');
  const input = join(root, 'input.bin');
  writeFileSync(weights, weightsFile(net));
  writeFileSync(input, rawTensors(inputs));
  return {
    net,
    dir: root,
    weightsFile: weights,
    inputFile: input,
    expected: net.outputs.map((o) => ref[o]!),
    ownDir,
  };
}

export function closeSession(s: VerifySession): void {
  if (s.ownDir) rmSync(s.dir, { recursive: true, force: true });
}

export interface VerifyOptions {
  /** Build with AddressSanitizer and UBSan. */
  sanitize?: boolean;
  /** More compiler arguments (e.g. -DMEMSCHED_NO_VECTORS). */
  extraFlags?: string[];
  /** Keep the program's folder (source, executable, output) instead of removing it. */
  keep?: boolean;
  /** Called with the program's outputs (network outputs in order). */
  onOutputs?: (outputs: Tensor[]) => void;
}

function compare(p: CProgram, counters: RunResult['counters'], w: ElementBytes) {
  const tensors: VerifyTensor[] = [];
  const mismatches: string[] = [];
  let predictedMacs = 0;
  let measuredMacs = 0;
  let measuredPeak = 0;
  const shapeOf = (t: string) => p.layers.get(t)?.shape ?? p.inputs.find((i) => i.name === t)!.shape;
  p.predicted.segments.forEach((seg, si) => {
    const m = counters.segments[si]!;
    const layers = p.segments[si]!.layers;
    let measuredBytes = 0;
    seg.buffers.forEach((b, bi) => {
      const got = m.buffers[bi]!;
      const sb = p.segments[si]!.buffers[bi]!;
      const owner = p.layers.get(sb.layer)!;
      const ws = b.role === 'weights' ? weightsShape(owner, shapeOf(owner.inputs[0]!).c) : undefined;
      // a raster line buffer holds per channel its measured run
      const bytes =
        storageElements(b.role, got.extents, ws?.kernelArea ?? 1, ws?.bias ?? false, got.raster) * w;
      measuredBytes += bytes;
      tensors.push({
        ...comparedCounts(b, si, got, mismatches),
        predictedExtents: b.extents,
        measuredExtents: got.extents,
        predictedBytes: b.bytes,
        measuredBytes: bytes,
      });
      if (JSON.stringify(got.extents) !== JSON.stringify(b.extents))
        mismatches.push(
          `${b.id} extents: measured ${JSON.stringify(got.extents)}, predicted ${JSON.stringify(b.extents)}`,
        );
      if (got.raster !== b.raster)
        mismatches.push(
          `${b.id} raster run: measured ${got.raster ?? 'none'}, predicted ${b.raster ?? 'none'}`,
        );
    });
    layers.forEach((l, li) => {
      const pm = seg.layerMacs[l]!;
      const mm = m.macs[li]!;
      predictedMacs += pm;
      measuredMacs += mm;
      if (pm !== mm) mismatches.push(`${l} MACs: measured ${mm}, predicted ${pm}`);
    });
    measuredPeak = Math.max(measuredPeak, measuredBytes);
  });
  if (measuredPeak !== p.predicted.onChipBytes)
    mismatches.push(`scratchpad bytes: measured ${measuredPeak}, predicted ${p.predicted.onChipBytes}`);
  if (counters.conflicts !== 0)
    mismatches.push(`${counters.conflicts} reads found another element in their slot`);
  return {
    tensors,
    mismatches,
    macs: { predicted: predictedMacs, measured: measuredMacs },
    scratchpadBytes: { predicted: p.predicted.onChipBytes, measured: measuredPeak },
  };
}

/** A point that could not be built or run. */
export function failedPoint(
  predicted: { macs: number; onChipBytes: number },
  point: number | null,
  error: string,
  buildSeconds = 0,
  runSeconds = 0,
): FailedPoint {
  return {
    point,
    ok: false,
    output: { maxAbsError: null, maxRelError: null },
    tensors: [],
    macs: { predicted: predicted.macs, measured: null },
    scratchpadBytes: { predicted: predicted.onChipBytes, measured: null },
    buildSeconds,
    runSeconds,
    conflicts: null,
    mismatches: [error.split('\n')[0]!],
    error,
  };
}

/**
 * A program's outputs against the reference inference: the largest absolute and relative errors (null
 * when not a number), and one line per output beyond the tolerance.
 */
export function compareOutputs(
  outputs: Tensor[],
  expected: Tensor[],
  names: string[],
  /** Every element equal (the int8 build against the int8 reference), not within the tolerance. */
  exact = false,
): { maxAbsError: number | null; maxRelError: number | null; mismatches: string[] } {
  let maxAbs = 0;
  let maxRel = 0;
  const mismatches: string[] = [];
  outputs.forEach((t, i) => {
    const d = difference(t, expected[i]!);
    maxAbs = Number.isNaN(d.maxAbs) || Number.isNaN(maxAbs) ? Number.NaN : Math.max(maxAbs, d.maxAbs);
    maxRel = Number.isNaN(d.relative) || Number.isNaN(maxRel) ? Number.NaN : Math.max(maxRel, d.relative);
    if (exact && d.maxAbs !== 0)
      mismatches.push(
        `output ${names[i]}: differs from the int8 reference (max |error| ${d.maxAbs}; every element must be equal)`,
      );
    else if (!exact && !withinTolerance(d))
      mismatches.push(
        `output ${names[i]}: max |error| ${d.maxAbs} is above ${defaultTolerance} x max |reference| ${d.maxRef}`,
      );
  });
  return {
    maxAbsError: Number.isNaN(maxAbs) ? null : maxAbs,
    maxRelError: Number.isNaN(maxRel) ? null : maxRel,
    mismatches,
  };
}

/** Outputs against the reference, counters against the model. */
function judge(
  session: VerifySession,
  p: CProgram,
  sched: NetworkSchedule,
  point: number | null,
  run: RunResult,
  buildSeconds: number,
  options: VerifyOptions,
): MeasuredPoint {
  options.onOutputs?.(run.outputs);
  const c = compare(p, run.counters, sched.elementBytes);
  const { mismatches: wrong, ...output } = compareOutputs(
    run.outputs,
    session.expected,
    p.outputs.map((t) => t.name),
  );
  c.mismatches.push(...wrong);
  return {
    point,
    ok: c.mismatches.length === 0,
    output,
    tensors: c.tensors,
    macs: c.macs,
    scratchpadBytes: c.scratchpadBytes,
    buildSeconds,
    runSeconds: run.seconds,
    conflicts: run.counters.conflicts,
    mismatches: c.mismatches,
  };
}

/**
 * Generates, builds and runs one schedule, without blocking, so that several points build and run at
 * once. It never rejects for a failing build or run (see `error`); aborting `signal` kills the compiler
 * or the program and rejects (nothing is judged), as does a compiler or program stopped by SIGINT or
 * SIGTERM (InterruptedError).
 */
export async function verifySchedule(
  session: VerifySession,
  sched: NetworkSchedule,
  point: number | null,
  options: VerifyOptions & { signal?: AbortSignal } = {},
): Promise<VerifyPoint> {
  const p = generateC(session.net, sched, checkAndEvaluate(session.net, sched), { weights: false });
  const dir = mkdtempSync(join(session.dir, `point-${point ?? 'schedule'}-`));
  const stopped = (e: unknown) => options.signal?.aborted === true || e instanceof InterruptedError;
  try {
    const source = join(dir, `${p.name}.c`);
    writeFileSync(source, p.source);
    let build: { seconds: number };
    try {
      build = await compileProgram(source, join(dir, p.name), {
        sanitize: options.sanitize ?? false,
        extraFlags: options.extraFlags ?? [],
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (e) {
      if (stopped(e)) throw e;
      return failedPoint(p.predicted, point, (e as Error).message);
    }
    let run: RunResult;
    try {
      run = await runProgram(
        join(dir, p.name),
        session.weightsFile,
        session.inputFile,
        join(dir, 'output.bin'),
        p,
        options.signal,
      );
    } catch (e) {
      if (stopped(e)) throw e;
      return failedPoint(p.predicted, point, (e as Error).message, build.seconds);
    }
    return judge(session, p, sched, point, run, build.seconds, options);
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
