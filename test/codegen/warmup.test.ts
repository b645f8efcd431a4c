// Warm-up loops (docs/execution-model.md, "Warm-up loops") run as C: a chain of 3x3 convolutions
// streaming rows keeps 3 rows per line buffer instead of the first row's cone, measured by the program
// (the spans it keeps on chip, in a scratchpad of the model's size); and random chains with random
// warm-ups, whose outputs equal the reference and whose every count equals the model's.

import { describe, expect, it } from 'vitest';
import { warmupNeeded } from '../../src/model/cost.js';
import type { ElementBytes, LoopName, SegmentSchedule } from '../../src/model/schedule.js';
import { levelDepth, warmupLoops } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { broadcastAdd, conv, net, schedule, segmentOf } from '../model/fixtures.js';
import { randomSegmentNetwork, randomSharedInputNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { expectExact, randomCase, verifyCases, wideChain } from './harness.js';

// Eight 3x3 'same' convolutions, 2 channels, on 12x10.
const names = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8'];
const chain = net(
  { c: 2, h: 12, w: 10 },
  names.map((n, i) => conv(n, i === 0 ? 'in' : names[i - 1]!, 2, 3)),
);
const seg = segmentOf(chain);
const intermediates = names.slice(0, -1);

/**
 * Line buffers along `loop` (tile 1): the input and every intermediate stored at `store` and filled
 * per iteration, weights at root, the output per tile; `warm`: the warm-up needed.
 */
function streaming(loop: 'x' | 'y', store: 'root' | LoopName, warm: boolean): SegmentSchedule {
  const order: LoopName[] = loop === 'y' ? ['y', 'x', 'zo', 'zi'] : ['x', 'y', 'zo', 'zi'];
  const levels = Object.fromEntries(
    ['in@l1', ...intermediates].map((id) => [id, [store, loop] as ['root' | LoopName, LoopName]]),
  );
  const s = schedule(seg, { [loop]: 1 }, order, { ...levels, l8: ['zi', 'zi'] });
  return warm ? { ...s, warmup: { [loop]: warmupNeeded(seg, s, loop) } } : s;
}

/** Column strips of 4 sliding down through 3-row line buffers (stored per strip, filled per row). */
function strips(warm: boolean): SegmentSchedule {
  const s = streaming('y', 'x', false);
  const stripped = {
    ...s,
    tile: { ...s.tile, x: 4 },
    order: ['x', 'y', 'zo', 'zi'] as SegmentSchedule['order'],
  };
  return warm ? { ...stripped, warmup: { y: warmupNeeded(seg, stripped, 'y') } } : stripped;
}

describe('a per-channel input broadcast to an add one column wide, run as C', () => {
  // in 1x2x3 -> p (1x1) -> q (1x3 kernel, 1x2x1) -> sum = q + b: the warm-up's virtual column reads
  // b's one element (a broadcast), so b, filled per x iteration, is loaded 1 + W times
  it('loads b at the warm-up iterations as the model counts', async () => {
    const { net: n, schedule: scheduleOf } = broadcastAdd();
    const v = await verifyCases(
      [undefined, { x: 1 }, { x: 2 }].map((w) => ({ net: n, schedule: scheduleOf(w) })),
      4,
    );
    expectExact(v);
    expect(
      [0, 1, 2].map((c) => v.tensors.find((t) => t.buffer === `c${c}_b@c${c}_sum`)!.measuredReads),
    ).toEqual([1, 2, 3]);
  });
});

describe('eight 3x3 convolutions streaming (2x12x10), run as C', () => {
  it('keep the first tile cone without warm-up, 3 rows or columns per line buffer with it; the same MACs and traffic', async () => {
    expect(warmupNeeded(seg, streaming('y', 'root', false), 'y')).toBe(7);
    expect(warmupNeeded(seg, streaming('x', 'root', false), 'x')).toBe(7);
    const schedules = [
      streaming('y', 'root', false),
      streaming('y', 'root', true),
      streaming('x', 'root', false),
      streaming('x', 'root', true),
      strips(false),
      strips(true),
    ];
    const v = await verifyCases(
      schedules.map((schedule) => ({ net: chain, schedule })),
      2,
    );
    expectExact(v);
    // measured spans: rows for the y streams and strips, columns for the x stream
    const spans = (c: number, k: number) =>
      ['in@l1', ...intermediates].map(
        (id) => v.tensors.find((t) => t.buffer === `c${c}_${id.replace('@', `@c${c}_`)}`)!.measuredExtents[k],
      );
    // without: the input 9 rows, l1 8, l2 7, ... (the cone of the first output row), at least 3
    const cone = [9, 8, 7, 6, 5, 4, 3, 3];
    expect(spans(0, 1)).toEqual(cone);
    expect(spans(1, 1)).toEqual(cone.map(() => 3));
    expect(spans(2, 2)).toEqual(cone);
    expect(spans(3, 2)).toEqual(cone.map(() => 3));
    expect(spans(4, 1)).toEqual(cone);
    expect(spans(5, 1)).toEqual(cone.map(() => 3));
    const total = (c: number, f: (t: (typeof v.tensors)[number]) => number) =>
      v.tensors.filter((t) => t.buffer.startsWith(`c${c}_`)).reduce((n, t) => n + f(t), 0);
    for (const [cold, warm] of [
      [0, 1],
      [2, 3],
      [4, 5],
    ] as const) {
      expect(total(warm, (t) => t.measuredReads)).toBe(total(cold, (t) => t.measuredReads));
      expect(total(warm, (t) => t.measuredWrites)).toBe(total(cold, (t) => t.measuredWrites));
      expect(total(warm, (t) => t.measuredBytes)).toBeLessThan(total(cold, (t) => t.measuredBytes));
    }
    // rows and columns each computed once: every layer's 240 elements x 18 MACs (strips recompute)
    expect(total(0, (t) => (t.role === 'intermediate' ? t.measuredFilled : 0))).toBe(7 * 240);
    expect(total(1, (t) => (t.role === 'intermediate' ? t.measuredFilled : 0))).toBe(7 * 240);
    expect(v.macs.measured).toBe(v.macs.predicted);
  });
});

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261205);
const programs = 5;
const perProgram = 8;

/** A random case whose schedule has a warm-up: chains up to 10 layers, shared-input and wide chains. */
function warmCase(r: () => number, i: number): Case {
  for (;;) {
    const options = { warmup: true, sharedIntermediates: i % 3 === 0 };
    const c =
      i % 4 === 0
        ? randomCase(r, 10, true, randomSegmentNetwork, options)
        : i % 4 === 1
          ? randomCase(r, 5, false, randomSegmentNetwork, options)
          : i % 4 === 2
            ? randomCase(r, 6, false, (rr, layers) => randomSharedInputNetwork(rr, layers), options)
            : randomCase(r, 3, false, (rr) => wideChain(rr), options);
    if (c.schedule.warmup !== undefined) return c;
  }
}

describe(`generated C with warm-up loops on ${programs * perProgram} random chains (seed ${seed})`, () => {
  const r = rng(seed);
  const all: Case[][] = [];
  for (let p = 0; p < programs; p++)
    all.push(Array.from({ length: perProgram }, (_, i) => warmCase(r, p * perProgram + i)));

  it('covers warm-ups along both loops, the needed one and fewer, and line buffers sliding along them', () => {
    let atNeeded = 0;
    let fewer = 0;
    let sliding = 0;
    const along = { x: 0, y: 0 };
    for (const c of all.flat()) {
      const seg = analyzeSegment(
        c.net,
        c.net.layers.map((l) => l.name),
      );
      const s = c.schedule;
      for (const l of warmupLoops) {
        const w = s.warmup?.[l];
        if (w === undefined) continue;
        along[l]++;
        if (w === warmupNeeded(seg, s, l)) atNeeded++;
        else fewer++;
        // an intermediate kept across the loop's iterations: stored outside it, filled inside
        const depth = levelDepth(s.order, l);
        if (
          seg.buffers.some(
            (b) =>
              b.role === 'intermediate' &&
              levelDepth(s.order, s.buffers[b.id]!.store) < depth &&
              depth <= levelDepth(s.order, s.buffers[b.id]!.fill),
          )
        )
          sliding++;
      }
    }
    expect(along.x).toBeGreaterThan(10);
    expect(along.y).toBeGreaterThan(10);
    expect(atNeeded).toBeGreaterThan(20);
    expect(fewer).toBeGreaterThan(3);
    expect(sliding).toBeGreaterThan(5);
    expect(all.flat().filter((c) => c.net.layers.length >= 5).length).toBeGreaterThan(5);
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      const v = await verifyCases(cases, width);
      expectExact(v);
      expect(v.macs.measured).toBeGreaterThan(0);
    });
  });
});
