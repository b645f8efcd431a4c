// Strips of columns and raster line buffers (docs/execution-model.md, "Strips" and "Raster line
// buffers") run by the verification C build and by the release build: a chain of three 3x3 convolutions
// streaming rows through raster line buffers in strips, with warm-ups along y and x, random schedules
// with strips and raster line buffers, and VDSR's streaming point through `memsched verify` (and
// `verify --release`); outputs equal the reference and every count (and each raster run, measured by
// the verification build) equals the model's. Halide refuses them with one line.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateC, runnableNetwork } from '../../src/codegen/c.js';
import { generateHalide } from '../../src/codegen/halide.js';
import { releaseFlags } from '../../src/codegen/release.js';
import { streamingSchedule } from '../../src/dse/streaming.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { InputError } from '../../src/ir/errors.js';
import { warmupNeeded } from '../../src/model/cost.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import type { ReleasePoint } from '../../src/verify/release.js';
import { memsched, shared } from '../cli/helpers.js';
import { conv, net, segmentOf } from '../model/fixtures.js';
import { randomDagNetwork, randomSegmentNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import {
  expectExact,
  expectReleaseExact,
  mergeCases,
  randomCase,
  releaseCases,
  verifyCases,
  wideChain,
} from './harness.js';

// in (2x7x10) -> l1 -> l2 (2 channels each) -> l3 (4 channels): 3x3 convolutions, padding 1.
const chain = net({ c: 2, h: 7, w: 10 }, [
  conv('l1', 'in', 2, 3),
  conv('l2', 'l1', 2, 3),
  conv('l3', 'l2', 4, 3),
]);
const seg = segmentOf(chain);

/**
 * One output element at a time, rows then columns (y directly above x), in strips of `strips` columns
 * (none: undefined) with the warm-ups needed along y and x; the input and the intermediates stored at
 * root and filled per element, raster line buffers if `raster`; weights at root; the output too, as a
 * raster line buffer with `raster`, or per tile. `zi`: the last layer's reduction tile (1 takes the
 * kernel updating 4 output channels at once, 2 the one reducing channels).
 */
function streaming(strips: number | undefined, raster: boolean, zi: 1 | 2): SegmentSchedule {
  const line = { store: 'root' as const, fill: 'x' as const, ...(raster ? { raster: true as const } : {}) };
  const s: SegmentSchedule = {
    layers: ['l1', 'l2', 'l3'],
    tile: { x: 1, y: 1, zo: 4, zi },
    order: ['y', 'x', 'zo', 'zi'],
    buffers: {
      'in@l1': line,
      'l1:weights': { store: 'root', fill: 'root' },
      'l2:weights': { store: 'root', fill: 'root' },
      'l3:weights': { store: 'root', fill: 'root' },
      l1: line,
      l2: line,
      l3: raster ? line : { store: 'zi', fill: 'zi' },
    },
    ...(strips === undefined ? {} : { strips: { x: strips } }),
  };
  return { ...s, warmup: { y: warmupNeeded(seg, s, 'y'), x: warmupNeeded(seg, s, 'x') } };
}

/** The chain's schedule of one segment, 2-byte elements. */
function scheduleOf(s: SegmentSchedule): NetworkSchedule {
  return {
    format: scheduleFormat,
    version: scheduleVersion,
    network: chain.name,
    elementBytes: 2,
    segments: [s],
  };
}

function program(s: SegmentSchedule, release = false) {
  const sched = scheduleOf(s);
  const n = runnableNetwork(chain);
  return () => generateC(n, sched, checkAndEvaluate(n, sched), { weights: false, release });
}

describe('three 3x3 convolutions streaming through raster line buffers in strips, run as C', () => {
  it('measure each raster run as predicted: 2 rows of the band and 3 elements per channel', async () => {
    const schedules = [
      streaming(4, true, 1),
      streaming(4, true, 2),
      streaming(3, false, 1),
      streaming(undefined, true, 2),
    ];
    const v = await verifyCases(
      schedules.map((schedule) => ({ net: chain, schedule })),
      2,
    );
    expectExact(v);
    const t = (c: number, id: string) =>
      v.tensors.find((x) => x.buffer === `c${c}_${id.replace('@', `@c${c}_`)}`)!;
    // strips of 4 and x warm-up: what strip 1 (columns 4..7) needs of l2 is 3..8, of l1 2..9 (the widest
    // bands: 6 and 8 columns); a 3x3 window streaming one element at a time keeps 2 rows of its band
    // and 3 elements: 2 x 6 + 3 = 15 of l2, 2 x 8 + 3 = 19 of l1; the box keeps 3 rows
    expect(t(0, 'l2').measuredExtents).toEqual([2, 3, 6]);
    expect(t(0, 'l2').measuredBytes).toBe(2 * 15 * 2);
    expect(t(0, 'l1').measuredExtents).toEqual([2, 3, 8]);
    expect(t(0, 'l1').measuredBytes).toBe(2 * 19 * 2);
    expect(t(2, 'l2').measuredBytes).toBe(2 * 3 * t(2, 'l2').measuredExtents[2]! * 2);
    // without strips the band is the whole width: 2 x 10 + 3
    expect(t(3, 'l2').measuredBytes).toBe(2 * 23 * 2);
    // the halos of the strips recomputed: l2 computes more than its 2 x 7 x 10 elements
    expect(t(0, 'l2').measuredFilled).toBeGreaterThan(140);
    expect(t(3, 'l2').measuredFilled).toBe(140);
  });
});

describe('the release build and Halide', () => {
  it('the release build runs them: outputs, every transfer and every element computed as predicted', async () => {
    const schedules = [
      streaming(4, true, 1),
      streaming(4, true, 2),
      streaming(3, false, 1),
      streaming(undefined, true, 2),
      streaming(7, true, 1),
    ];
    expect(program(streaming(4, true, 1), true)).not.toThrow();
    const v = await releaseCases(
      schedules.map((schedule) => ({ net: chain, schedule })),
      2,
    );
    expectReleaseExact(v);
    const t = (c: number, id: string) =>
      v.tensors.find((x) => x.buffer === `c${c}_${id.replace('@', `@c${c}_`)}`)!;
    // the halos of the strips recomputed (l2: 2 x 7 x 10 elements without strips), the input read again
    expect(t(0, 'l2').measuredFilled).toBeGreaterThan(140);
    expect(t(3, 'l2').measuredFilled).toBe(140);
    expect(t(0, 'in@l1').measuredReads).toBeGreaterThan(140);
    expect(t(3, 'in@l1').measuredReads).toBe(140);
    // the output, a raster line buffer but in case 2, written once: 4 x 7 x 10; in case 2 stored at the
    // reduction tile of one channel, its partial sums go through DRAM once
    for (const c of [0, 1, 3, 4])
      expect([t(c, 'l3').measuredWrites, t(c, 'l3').measuredReads]).toEqual([280, 0]);
    expect([t(2, 'l3').measuredWrites, t(2, 'l3').measuredReads]).toEqual([560, 280]);
  });

  it('builds without a warning at the release flags, -O2, without vector types and counting', async () => {
    const { net: n, schedule } = mergeCases(
      [streaming(4, true, 1), streaming(3, false, 2), streaming(undefined, true, 2)].map((s) => ({
        net: chain,
        schedule: s,
      })),
      2,
    );
    const r = runnableNetwork(n);
    const p = generateC(r, schedule, checkAndEvaluate(r, schedule), { weights: false, release: true });
    const dir = mkdtempSync(join(tmpdir(), 'memsched-strips-release-'));
    try {
      const file = join(dir, 'merged.c');
      writeFileSync(file, p.source);
      for (const flags of [
        releaseFlags,
        [...releaseFlags, '-DMEMSCHED_NO_VECTORS'],
        [...releaseFlags, '-DMEMSCHED_COUNT'],
        ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror'],
      ]) {
        const cc = spawnSync(process.env['CC'] ?? 'cc', [...flags, '-c', '-o', '/dev/null', file], {
          encoding: 'utf8',
        });
        expect(cc.stderr).toBe('');
        expect(cc.status).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Halide refuses them with one line naming the build', () => {
    const sched = scheduleOf(streaming(4, true, 1));
    const n = runnableNetwork(chain);
    expect(() => generateHalide(n, sched, checkAndEvaluate(n, sched), { weights: false })).toThrow(
      InputError,
    );
    expect(() => generateHalide(n, sched, checkAndEvaluate(n, sched), { weights: false })).toThrow(
      /^segments\[0\]: strips \(strips.x 4\) are not generated for Halide: the C builds run them/,
    );
    const raster = scheduleOf(streaming(undefined, true, 1));
    expect(() => generateHalide(n, raster, checkAndEvaluate(n, raster), { weights: false })).toThrow(
      /^segments\[0\]: buffer 'in@l1' is a raster line buffer, not generated for Halide/,
    );
  });
});

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261205);
const programs = 4;
const perProgram = 8;

/**
 * A random case with strips or a raster line buffer: chains, DAG segments, wide chains; warm-ups often,
 * most of every third one in strips with a warm-up along x.
 */
function stripCase(r: () => number, i: number): Case {
  for (;;) {
    const options = { warmup: i % 4 !== 3, stripsAndRaster: true };
    const c =
      i % 4 === 0
        ? randomCase(r, 6, true, randomSegmentNetwork, options)
        : i % 4 === 1
          ? randomCase(r, 4, false, randomSegmentNetwork, options)
          : i % 4 === 2
            ? randomCase(r, 5, false, (rr, layers) => randomDagNetwork(rr, layers), options)
            : randomCase(r, 3, false, (rr) => wideChain(rr), options);
    const raster = Object.values(c.schedule.buffers).some((b) => b.raster);
    const xWarm = c.schedule.strips !== undefined && (c.schedule.warmup?.x ?? 0) > 0;
    if (i % 3 === 0 && options.warmup ? xWarm : c.schedule.strips !== undefined || raster) return c;
  }
}

describe(`generated C with strips and raster line buffers on ${programs * perProgram} random schedules (seed ${seed})`, () => {
  const r = rng(seed);
  const all: Case[][] = [];
  for (let p = 0; p < programs; p++)
    all.push(Array.from({ length: perProgram }, (_, i) => stripCase(r, p * perProgram + i)));

  it('covers strips, raster line buffers, both together, and warm-ups along x in strips', () => {
    const cases = all.flat().map((c) => c.schedule);
    const raster = (s: SegmentSchedule) => Object.values(s.buffers).some((b) => b.raster);
    expect(cases.filter((s) => s.strips !== undefined).length).toBeGreaterThan(8);
    expect(cases.filter(raster).length).toBeGreaterThan(8);
    expect(cases.filter((s) => s.strips !== undefined && raster(s)).length).toBeGreaterThan(2);
    expect(cases.filter((s) => s.strips !== undefined && (s.warmup?.x ?? 0) > 0).length).toBeGreaterThan(2);
    const segs = all.flat().map((c) =>
      analyzeSegment(
        c.net,
        c.net.layers.map((l) => l.name),
      ),
    );
    expect(segs.filter((s) => s.layers.length > 2).length).toBeGreaterThan(8);
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      const v = await verifyCases(cases, width);
      expectExact(v);
      expect(v.macs.measured).toBeGreaterThan(0);
    });
    it(`program ${p}, the release build: outputs and every transfer equal`, async () => {
      const v = await releaseCases(cases, width);
      expectReleaseExact(v);
      expect(v.macs.measured).toBeGreaterThan(0);
    });
  });
});

describe('memsched verify on VDSR streaming in strips (its trained weights, on a 24x24 input)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-strips-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // the Caffe fixture with its input 24x24 (the weights beside it do not depend on the input's size)
  const caffe = join(shared, 'networks/caffe/vdsr');
  const model = join(dir, 'vdsr24.prototxt');
  const file = join(dir, 'schedule.json');
  let s: SegmentSchedule;
  beforeAll(() => {
    writeFileSync(
      model,
      readFileSync(join(caffe, 'VDSR_net_deploy.prototxt'), 'utf8').replaceAll(
        'input_dim: 256',
        'input_dim: 24',
      ),
    );
    symlinkSync(join(caffe, 'VDSR_net_deploy.caffemodel'), join(dir, 'vdsr24.caffemodel'));
    const vdsr = loadNetwork(model);
    const seg = analyzeSegment(
      vdsr,
      vdsr.layers.map((l) => l.name),
      'segment',
    );
    s = streamingSchedule(seg, 12, 4)!.schedule;
    writeFileSync(
      file,
      JSON.stringify({
        format: scheduleFormat,
        version: scheduleVersion,
        network: vdsr.name,
        elementBytes: 4,
        segments: [s],
      }),
    );
  });

  it('runs the streaming point of 2 strips exactly: conv1..conv20 raster line buffers', () => {
    expect(s.strips).toEqual({ x: 12 });
    expect(s.warmup?.y).toBe(19);
    expect(Object.values(s.buffers).filter((b) => b.raster).length).toBe(20);
    const r = memsched('verify', model, '--schedule', file, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as { points: { ok: boolean; mismatches: string[]; conflicts: number }[] };
    expect(v.points[0]!.mismatches).toEqual([]);
    expect(v.points[0]!.conflicts).toBe(0);
    expect(v.points[0]!.ok).toBe(true);
  });

  it('runs it as the release build with every transfer as predicted (verify --release)', () => {
    const r = memsched('verify', model, '--schedule', file, '--release', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as { points: ReleasePoint[] };
    expectReleaseExact(v.points[0]!);
    expect(v.points[0]!.ok).toBe(true);
    // the folder codegen writes builds without a warning at -O3 -march=native, and counting
    const out = join(dir, 'release');
    const gen = memsched('codegen', model, '--schedule', file, '--release', '-o', out);
    expect(gen.code).toBe(0);
    for (const target of [[], ['count']]) {
      const make = spawnSync('make', ['-C', out, ...target], { encoding: 'utf8' });
      expect(make.stderr).toBe('');
      expect(make.status).toBe(0);
    }
  });

  it('is refused by Halide: one line naming the file, exit 2, nothing written', () => {
    const out = join(dir, 'out-halide');
    const r = memsched('codegen', model, '--schedule', file, '--target', 'halide', '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `memsched: error: ${file}: segments[0]: strips (strips.x 12) are not generated for Halide: the C builds run them (memsched codegen --target c, with or without --release; memsched verify); Halide does not yet\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
