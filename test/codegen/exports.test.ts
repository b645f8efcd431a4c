// Segments with several outputs run as C: an intermediate also read after its segment (or a network
// output) is written to DRAM as its producer computes it (docs/execution-model.md, "Segments"), in the
// verification build (every element, counted) and in the release build (through the DRAM hooks).
// Hand-made networks (a branch read after the segment, a residual block's output read by a later add,
// an intermediate that is a network output, one living inside a concat that is a view) under whole,
// per-row (line buffers, warm-ups), halo-recomputing, per-channel-tile, strip and raster schedules, and
// random DAG segments with some inner layers made network outputs; both builds' outputs equal the
// reference and every count the model's. Halide refuses such segments in one line.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateC, runnableNetwork } from '../../src/codegen/c.js';
import { generateHalide } from '../../src/codegen/halide.js';
import { explore } from '../../src/dse/explore.js';
import type { MeasuredPoint } from '../../src/formats/verify.js';
import { exportOnnx } from '../../src/frontends/index.js';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { Network } from '../../src/ir/network.js';
import { warmupNeeded } from '../../src/model/cost.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { ElementBytes, Level, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment, hasExports } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import type { ReleasePoint } from '../../src/verify/release.js';
import { verifyRelease } from '../../src/verify/release.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../../src/verify/verify.js';
import { memsched } from '../cli/helpers.js';
import { conv, residualBlocks, schedule } from '../model/fixtures.js';
import { randomDagNetwork, randomExportingNetwork } from '../model/random-network.js';
import type { Case, NetworkCase } from './harness.js';
import {
  expectExact,
  expectReleaseExact,
  expectSchedulesRunExact,
  mergeNetworks,
  randomCase,
  releaseCases,
  verifyCases,
} from './harness.js';

const input = (c: number, h: number, w: number) => [{ name: 'in', shape: { c, h, w } }];

function networkSchedule(net: Network, segments: SegmentSchedule[], elementBytes: ElementBytes = 2) {
  return {
    format: scheduleFormat,
    version: scheduleVersion,
    network: net.name,
    elementBytes,
    segments,
  } satisfies NetworkSchedule;
}

/** Everything at root, one tile. */
const whole = (seg: Segment) => schedule(seg, {}, ['zo', 'y', 'x', 'zi']);

/**
 * Rows streaming: tiles of one row, the DRAM inputs and intermediates stored at root and filled per row
 * (line buffers), the output per reduction tile; with the warm-up needed along y if `warm`.
 */
function rows(seg: Segment, warm: boolean): SegmentSchedule {
  const levels = Object.fromEntries(
    seg.buffers
      .filter((b) => b.role === 'input' || b.role === 'intermediate')
      .map((b) => [b.id, ['root', 'y'] as [Level, Level]]),
  );
  const s = schedule(seg, { y: 1 }, ['y', 'x', 'zo', 'zi'], { ...levels, [seg.last.name]: ['zi', 'zi'] });
  return warm ? { ...s, warmup: { y: warmupNeeded(seg, s, 'y') } } : s;
}

/** Tiles of 3x3, the DRAM inputs and intermediates stored and filled per tile: halos computed again. */
function halos(seg: Segment): SegmentSchedule {
  const levels = Object.fromEntries(
    seg.buffers
      .filter((b) => b.role === 'input' || b.role === 'intermediate')
      .map((b) => [b.id, ['x', 'x'] as [Level, Level]]),
  );
  return schedule(seg, { x: 3, y: 3 }, ['y', 'x', 'zo', 'zi'], { ...levels, [seg.last.name]: ['zi', 'zi'] });
}

/** Output-channel tiles of one, the intermediates stored and filled per tile: computed once per tile. */
function channelTiles(seg: Segment): SegmentSchedule {
  const levels = Object.fromEntries(
    seg.buffers.filter((b) => b.role === 'intermediate').map((b) => [b.id, ['zo', 'zo'] as [Level, Level]]),
  );
  return schedule(seg, { zo: 1 }, ['zo', 'y', 'x', 'zi'], { ...levels, [seg.last.name]: ['zi', 'zi'] });
}

/**
 * One element at a time, rows then columns, in strips of `strips` columns (none: undefined) with the
 * warm-ups needed; the DRAM inputs and intermediates stored at root and filled per element, raster line
 * buffers if `raster`; the output per reduction tile.
 */
function streaming(seg: Segment, strips: number | undefined, raster: boolean): SegmentSchedule {
  const line = { store: 'root' as const, fill: 'x' as const, ...(raster ? { raster: true as const } : {}) };
  const base = schedule(seg, { x: 1, y: 1 }, ['y', 'x', 'zo', 'zi'], { [seg.last.name]: ['zi', 'zi'] });
  for (const b of seg.buffers) if (b.role === 'input' || b.role === 'intermediate') base.buffers[b.id] = line;
  const s: SegmentSchedule = { ...base, ...(strips === undefined ? {} : { strips: { x: strips } }) };
  return { ...s, warmup: { y: warmupNeeded(seg, s, 'y'), x: warmupNeeded(seg, s, 'x') } };
}

/** Both builds' points of the networks' schedules, merged into one program (mergeNetworks). */
interface Points {
  v: MeasuredPoint;
  rel: ReleasePoint;
}

/**
 * The networks' schedules as one program (names prefixed `cN_`, mergeNetworks), both builds exact:
 * outputs, every count, every transfer.
 */
async function bothBuilds(parts: NetworkCase[], width: ElementBytes = 2): Promise<Points> {
  const { net, schedule: sched } = mergeNetworks(parts, width);
  const n = runnableNetwork(net);
  const session = await openSession(n, defaultInputs(n));
  try {
    const v = await verifySchedule(session, sched, null);
    if (v.error !== undefined || v.macs.measured === null) throw new Error(v.error ?? 'not run');
    expect(v.mismatches).toEqual([]);
    expectExact(v as MeasuredPoint);
    const rel = await verifyRelease(session, sched, null);
    expect(rel.error).toBeUndefined();
    expectReleaseExact(rel);
    expect(rel.ok).toBe(true);
    return { v: v as MeasuredPoint, rel };
  } finally {
    closeSession(session);
  }
}

/** Network `part`'s exported buffer's writes: equal in both builds and to what its producer computed. */
function exportedWrites(p: Points, part: number, buffer: string): number {
  const v = p.v.tensors.find((t) => t.buffer === `c${part}_${buffer}`)!;
  const rel = p.rel.tensors.find((t) => t.buffer === `c${part}_${buffer}`)!;
  expect(v.role).toBe('intermediate');
  expect(v.measuredWrites).toBe(v.measuredFilled);
  expect(v.measuredWrites).toBe(v.predictedWrites);
  expect(rel.measuredWrites).toBe(v.measuredWrites);
  expect(rel.measuredFilled).toBe(v.measuredFilled);
  return v.measuredWrites;
}

// in (2x6x7) -> a (3x3, 3 channels) -> b (3x3, 2) -> c (1x1, 2); d (1x1, 3) reads a too; outputs c, d.
const branch = runnableNetwork(
  buildNetwork(
    'branch',
    input(2, 6, 7),
    [
      conv('a', 'in', 3, 3, { post: [{ op: 'relu' }] }),
      conv('b', 'a', 2, 3),
      conv('c', 'b', 2, 1),
      conv('d', 'a', 3, 1),
    ],
    ['c', 'd'],
  ),
);
const ab = analyzeSegment(branch, ['a', 'b']);
const elementsOfA = 3 * 6 * 7;

describe('a branch read after the segment (a, b fused; d reads a from DRAM), run as C', () => {
  it('marks a exported, allocates it in DRAM and writes it after each fill', () => {
    expect(ab.buffers.filter((b) => b.exported).map((b) => b.id)).toEqual(['a']);
    const sched = networkSchedule(branch, [
      whole(ab),
      whole(analyzeSegment(branch, ['d'])),
      whole(analyzeSegment(branch, ['c'])),
    ]);
    const p = generateC(branch, sched, checkAndEvaluate(branch, sched), { weights: false });
    expect(p.source).toContain('#define EXPORTS 1');
    expect(p.source).toContain('export_fill(&s, 3); /* a: written to DRAM as computed */');
    expect(p.source).toContain('/* a: intermediate (written to DRAM as computed), store root');
    // a (tensor 1) owns DRAM storage now, after b (2), the segment's last layer
    expect(p.source).toContain('static const int dram_owned[] = {0, 2, 1, 4, 3};');
    const rel = generateC(branch, sched, checkAndEvaluate(branch, sched), { weights: false, release: true });
    expect(rel.source).toContain('export_fill(&s, 3); /* a: written to DRAM as computed */');
    // without exports, the function is not there
    const plain = runnableNetwork(
      buildNetwork('plain', input(2, 6, 7), [conv('a', 'in', 3, 3), conv('b', 'a', 2, 3)]),
    );
    const ps = networkSchedule(plain, [whole(analyzeSegment(plain, ['a', 'b']))]);
    const q = generateC(plain, ps, checkAndEvaluate(plain, ps), { weights: false });
    expect(q.source).toContain('#define EXPORTS 0');
    expect(q.source).not.toContain('export_fill(&s');
  });

  it('whole (the segments after it in either order), rows through line buffers (with and without warm-up), tiles recomputing halos, channel tiles', async () => {
    const [d, c] = [whole(analyzeSegment(branch, ['d'])), whole(analyzeSegment(branch, ['c']))];
    const first = [whole(ab), whole(ab), rows(ab, false), rows(ab, true), halos(ab), channelTiles(ab)];
    expect(first[3]!.warmup?.y).toBeGreaterThan(0);
    const p = await bothBuilds(
      first.map((s, i) => ({ net: branch, segments: i === 1 ? [s, c, d] : [s, d, c] })),
    );
    // a written once, but for the halos computed again and per output channel of b (2): whole at each
    expect([0, 1, 2, 3].map((i) => exportedWrites(p, i, 'a'))).toEqual(Array(4).fill(elementsOfA));
    expect(exportedWrites(p, 4, 'a')).toBeGreaterThan(elementsOfA);
    expect(exportedWrites(p, 5, 'a')).toBe(2 * elementsOfA);
  });

  it('streaming one element at a time: in strips (halos again), through raster line buffers, both', async () => {
    const rest = [whole(analyzeSegment(branch, ['d'])), whole(analyzeSegment(branch, ['c']))];
    const first = (
      [
        [3, false],
        [undefined, true],
        [4, true],
      ] as const
    ).map(([strips, raster]) => streaming(ab, strips, raster));
    expect(first.map((s) => Object.values(s.buffers).some((b) => b.raster))).toEqual([false, true, true]);
    const p = await bothBuilds(
      first.map((s) => ({ net: branch, segments: [s, ...rest] })),
      1,
    );
    const counts = [0, 1, 2].map((i) => exportedWrites(p, i, 'a'));
    expect(counts[0]).toBeGreaterThan(elementsOfA);
    expect(counts[1]).toBe(elementsOfA);
    expect(counts[2]).toBeGreaterThan(elementsOfA);
  });
});

// Two residual blocks (residualBlocks). Fused up to b1 (or b2), the first block's output s1 is read
// inside by b1 and after the segment by the add s2.
const residual = runnableNetwork(residualBlocks('residual'));

describe("a residual block's output read by the next block's convolution inside and its add after, run as C", () => {
  it('whole, streaming rows with warm-ups, and tiles recomputing halos', async () => {
    const parts: NetworkCase[] = [];
    for (const [first, second] of [
      [
        ['a1', 'a2', 's1', 'b1'],
        ['b2', 's2'],
      ],
      [['a1', 'a2', 's1', 'b1', 'b2'], ['s2']],
    ]) {
      const seg = analyzeSegment(residual, first!);
      expect(seg.buffers.filter((b) => b.exported).map((b) => b.id)).toEqual(['s1']);
      const after = whole(analyzeSegment(residual, second!));
      for (const s of [whole(seg), rows(seg, true), halos(seg)])
        parts.push({ net: residual, segments: [s, after] });
    }
    const p = await bothBuilds(parts, 4);
    for (const i of [0, 3]) {
      expect(exportedWrites(p, i, 's1')).toBe(128);
      expect(exportedWrites(p, i + 1, 's1')).toBe(128);
      expect(exportedWrites(p, i + 2, 's1')).toBeGreaterThan(128);
    }
  });
});

// in (2x6x7) -> a (3x3, 3) -> b (3x3, 2): a a network output; and a, b in a concatenation that is a
// view (alone in its segment: a and b live inside its tensor in DRAM), itself an output.
describe('an intermediate that is a network output, or lives inside a concat that is a view, run as C', () => {
  it('is written as computed: the output file has it', async () => {
    const out = runnableNetwork(
      buildNetwork('out', input(2, 6, 7), [conv('a', 'in', 3, 3), conv('b', 'a', 2, 3)], ['b', 'a']),
    );
    const seg = analyzeSegment(out, ['a', 'b']);
    expect(hasExports(seg)).toBe(true);
    const viewed = runnableNetwork(
      buildNetwork(
        'viewed',
        input(2, 6, 7),
        [
          conv('a', 'in', 3, 3),
          conv('b', 'a', 2, 3),
          { kind: 'concat', name: 'cat', inputs: ['a', 'b'], post: [] },
        ],
        ['cat', 'a'],
      ),
    );
    const vs = analyzeSegment(viewed, ['a', 'b']);
    const cat = analyzeSegment(viewed, ['cat']);
    expect(cat.view).toBe(true);
    const sched = networkSchedule(viewed, [halos(vs), whole(cat)]);
    const c = generateC(viewed, sched, checkAndEvaluate(viewed, sched), { weights: false });
    expect(c.source).toContain('/* a: in cat from channel 0 */');
    const p = await bothBuilds([
      ...[whole(seg), rows(seg, true), halos(seg)].map((s) => ({ net: out, segments: [s] })),
      { net: viewed, segments: [halos(vs), whole(cat)] },
    ]);
    expect([0, 1].map((i) => exportedWrites(p, i, 'a'))).toEqual([elementsOfA, elementsOfA]);
    expect(exportedWrites(p, 2, 'a')).toBeGreaterThan(elementsOfA);
    expect(exportedWrites(p, 3, 'a')).toBeGreaterThan(elementsOfA);
  });
});

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261205);
const programs = Number(process.env['MEMSCHED_CODEGEN_PROGRAMS'] ?? 3);
const perProgram = 8;

describe(`generated C on ${programs * perProgram} random DAG segments with several outputs (seed ${seed + 7})`, () => {
  const r = rng(seed + 7);
  const all: Case[][] = Array.from({ length: programs }, (_, p) =>
    Array.from({ length: perProgram }, (_, i) =>
      randomCase(r, i % 4 === 0 ? 8 : 6, false, (rr, layers) => randomExportingNetwork(rr, layers), {
        sharedIntermediates: i % 2 === 0,
        warmup: i % 3 === 0,
        stripsAndRaster: p % 2 === 1 && i % 2 === 1,
      }),
    ),
  );
  /** Every case writes some intermediate to DRAM, as many elements as its producer computed. */
  const expectExported = (
    tensors: { role: string; predictedWrites: number; measuredWrites: number; measuredFilled: number }[],
  ) => {
    const exported = tensors.filter((t) => t.role === 'intermediate' && t.predictedWrites > 0);
    for (const t of exported) expect(t.measuredWrites).toBe(t.measuredFilled);
    expect(exported.length).toBeGreaterThanOrEqual(perProgram);
  };

  it('each writes some intermediate to DRAM as computed, some elements more than once, some in strips or through raster line buffers', () => {
    let twice = 0;
    for (const c of all.flat()) expect(hasExports(analyzeSegment(c.net, c.schedule.layers))).toBe(true);
    expect(
      all.flat().filter((c) => c.schedule.strips || Object.values(c.schedule.buffers).some((b) => b.raster))
        .length,
    ).toBeGreaterThan(0);
    for (const c of all.flat()) {
      const seg = analyzeSegment(c.net, c.schedule.layers);
      const sched = networkSchedule(c.net, [c.schedule], 1);
      const predicted = checkAndEvaluate(c.net, sched).predicted.segments[0]!;
      seg.buffers.forEach((b, bi) => {
        const p = predicted.buffers[bi]!;
        if (!b.exported) return;
        expect(p.dramWrites).toBe(p.filled);
        if (p.filled > elements(seg, b.tensor)) twice++;
      });
    }
    expect(twice).toBeGreaterThan(0);
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      const v = await verifyCases(cases, width);
      expectExact(v);
      expectExported(v.tensors);
    });
    it(`program ${p}, the release build: outputs and every transfer equal`, async () => {
      const v = await releaseCases(cases, width);
      expectReleaseExact(v);
      expectExported(v.tensors);
    });
  });
});

function elements(seg: Segment, tensor: string): number {
  const s = seg.shapes.get(tensor)!;
  return s.c * s.h * s.w;
}

describe('Halide', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const sched = networkSchedule(branch, [
    whole(ab),
    whole(analyzeSegment(branch, ['d'])),
    whole(analyzeSegment(branch, ['c'])),
  ]);
  const message =
    "segments[0]: a segment with several outputs ('a' read after it too, written to DRAM as computed, besides 'b') is not generated for Halide: the C builds run them (memsched codegen --target c, with or without --release; memsched verify); Halide does not yet";

  it('refuses a segment with several outputs in one line naming it', () => {
    expect(() => generateHalide(branch, sched, checkAndEvaluate(branch, sched), { weights: false })).toThrow(
      new InputError(message),
    );
    // the segments after it have one output each: only segment 0 is named
    const file = join(dir, 'branch.onnx');
    writeFileSync(file, exportOnnx(branch));
    const schedFile = join(dir, 'schedule.json');
    writeFileSync(schedFile, JSON.stringify(sched));
    const out = join(dir, 'out');
    const r = memsched('codegen', file, '--schedule', schedFile, '--target', 'halide', '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`memsched: error: ${schedFile}: ${message}\n`);
  });
});

// The search proposes segments with several outputs (explore maxFuseOutputs) where they pay: on random
// DAG networks their fronts are never worse than without them, some points take such segments, and
// those run as C (both builds) with exactly the predicted counts.
describe('network fronts with segments with several outputs, run as C', () => {
  const r = rng(31);
  const found: { net: Network; schedule: NetworkSchedule }[] = [];
  const exporting = (n: Network, sched: NetworkSchedule) =>
    sched.segments.some((s) => hasExports(analyzeSegment(n, s.layers)));

  it('finds such points, at least as good as every point without them', async () => {
    for (let t = 0; t < 60 && found.length < 2; t++) {
      const n = randomDagNetwork(r, 5);
      const size = Math.max(...n.layers.map((l) => l.shape.c * l.shape.h * l.shape.w));
      if (size > 150) continue;
      const options = { space: 'full', elementBytes: 1, maxFuse: 5, threads: 1 } as const;
      const got = await explore(n, { ...options, maxFuseOutputs: 5 });
      expect(got.maxFuseOutputs).toBe(5);
      const point = got.front.find((p) => exporting(n, p.schedule));
      if (point === undefined) continue;
      found.push({ net: n, schedule: point.schedule });
      const { front } = await explore(n, options);
      for (const p of front)
        expect(got.front.some((q) => q.bytes <= p.bytes && q.accesses <= p.accesses)).toBe(true);
      // strictly better somewhere: the point taking the exporting segment is on the front
      expect(front.some((p) => p.bytes <= point.bytes && p.accesses <= point.accesses)).toBe(false);
      const e = checkAndEvaluate(n, point.schedule).predicted;
      expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([point.bytes, point.accesses, point.macs]);
    }
    expect(found.length).toBe(2);
  });

  it('their schedules run with outputs and every count as predicted', async () => {
    await expectSchedulesRunExact(found);
  });
});
