// Warm-up loops (docs/execution-model.md, "Warm-up loops"): the loop starts early so that producers
// compute ahead and line buffers hold their steady-state window instead of the first tile's cone.
// Counts worked out by hand; the simulator executes the same semantics and must agree.

import { describe, expect, it } from 'vitest';
import { segmentCost, warmupNeeded } from '../../src/model/cost.js';
import type { SegmentSchedule } from '../../src/model/schedule.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { broadcastAdd, conv, net, schedule, segmentOf } from './fixtures.js';

// Four 3x3 'same' convolutions, one channel, on 8x8: the output streams row by row (y tile 1), every
// intermediate and the input are line buffers (stored at root, filled per row).
const n = net({ c: 1, h: 8, w: 8 }, [
  conv('a', 'in', 1, 3),
  conv('b', 'a', 1, 3),
  conv('c', 'b', 1, 3),
  conv('d', 'c', 1, 3),
]);
const seg = segmentOf(n);
const streaming = (warmup?: SegmentSchedule['warmup'], weights: 'root' | 'y' = 'root') => {
  const s = schedule(
    seg,
    { y: 1 },
    ['y', 'x', 'zo', 'zi'],
    {
      'in@a': ['root', 'y'],
      a: ['root', 'y'],
      b: ['root', 'y'],
      c: ['root', 'y'],
      d: ['zi', 'zi'],
      'b:weights': [weights, weights],
    },
    ['root', 'root'],
  );
  return warmup ? { ...s, warmup } : s;
};
const byId = (s: SegmentSchedule) =>
  Object.fromEntries(segmentCost(seg, s, 1).buffers.map((b) => [b.id, [b.filled, b.dramReads, b.extents]]));

describe('four 3x3 convolutions streaming rows (1x8x8)', () => {
  it('needs three warm-up iterations: c, b and a run 1, 2 and 3 rows ahead of d', () => {
    // d's tile ends at i+1; c's demand at i+2, b's at i+3, a's at i+4: a computes real rows at i = -3..-1
    expect(warmupNeeded(seg, streaming(), 'y')).toBe(3);
    // along x the whole width is one tile: d's virtual columns [-8, 0) at i = -1 reach column 0 of c
    expect(warmupNeeded(seg, streaming(), 'x')).toBe(1);
    expect(() => checkSegmentSchedule(seg, streaming({ y: 4 }), 'segments[0]')).toThrow(
      'segments[0].warmup.y: 4 warm-up iterations, but no layer computes anything before iteration -3: at most 3',
    );
    expect(() => checkSegmentSchedule(seg, streaming({ x: 2 }), 'segments[0]')).toThrow(
      'segments[0].warmup.x: 2 warm-up iterations, but no layer computes anything before iteration -1: at most 1',
    );
    // a 1x1 convolution reads no neighbours: nothing runs ahead
    const pointwise = net({ c: 1, h: 8, w: 8 }, [conv('p', 'in', 1, 1), conv('q', 'p', 1, 1)]);
    const ps = segmentOf(pointwise);
    const s = { ...schedule(ps, { y: 1 }, ['y', 'x', 'zo', 'zi']), warmup: { y: 1 } };
    expect(warmupNeeded(ps, s, 'y')).toBe(0);
    expect(() => checkSegmentSchedule(ps, s, 'segments[0]')).toThrow(
      "segments[0].warmup.y: no layer of the segment computes anything before loop 'y' starts: it needs no warm-up",
    );
  });

  it('without warm-up, keeps the first row cone: a holds 4 rows, the input 5', () => {
    // i = 0: d row 0 reads c [0,2); c computes 0..1 and reads b [0,3); b computes 0..2, reads a [0,4);
    // a computes 0..3 and reads the input [0,5). Later rows slide by one: 3 rows of a, the input's
    // 5 rows are the most.
    expect(byId(streaming())).toEqual({
      'in@a': [64, 64, [1, 5, 8]],
      'a:weights': [10, 10, [1, 1]],
      a: [64, 0, [1, 4, 8]],
      'b:weights': [10, 10, [1, 1]],
      b: [64, 0, [1, 3, 8]],
      'c:weights': [10, 10, [1, 1]],
      c: [64, 0, [1, 3, 8]],
      'd:weights': [10, 10, [1, 1]],
      d: [64, 0, [1, 1, 8]],
    });
  });

  it('with the warm-up needed, every line buffer holds 3 rows and nothing else changes', () => {
    // i = -3: a computes row 0 (for b's virtual rows), reading input rows [0,2); i = -2: b row 0, a
    // row 1 (input [0,3)); i = -1: c row 0, b row 1, a row 2; from i = 0 on each computes one row:
    // a's demand [i+1, i+4), the input's [i+2, i+5): 3 rows each.
    const s = streaming({ y: 3 });
    const r = segmentCost(seg, s, 1);
    expect(byId(s)).toEqual({
      'in@a': [64, 64, [1, 3, 8]],
      'a:weights': [10, 10, [1, 1]],
      a: [64, 0, [1, 3, 8]],
      'b:weights': [10, 10, [1, 1]],
      b: [64, 0, [1, 3, 8]],
      'c:weights': [10, 10, [1, 1]],
      c: [64, 0, [1, 3, 8]],
      'd:weights': [10, 10, [1, 1]],
      d: [64, 0, [1, 1, 8]],
    });
    const cold = segmentCost(seg, streaming(), 1);
    expect(r.macs).toBe(cold.macs);
    expect(r.macs).toBe(4 * 64 * 9);
    expect([r.dramReads, r.dramWrites]).toEqual([cold.dramReads, cold.dramWrites]);
    expect(r.onChipBytes).toBe(24 + 10 + 24 + 10 + 24 + 10 + 24 + 10 + 8);
  });

  it('one warm-up iteration leaves the rest of the cone to iteration 0', () => {
    // i = -1: c's demand [-2, 1) (row 0 new), b's [-1, 2): rows 0..1, a's [-1, 3): rows 0..2; i = 0:
    // c row 1, b row 2, a row 3 (demand [1, 4)): a keeps 3 rows, the input [-1, 4) at i = -1: 4 rows
    expect(byId(streaming({ y: 1 }))).toMatchObject({ 'in@a': [64, 64, [1, 4, 8]], a: [64, 0, [1, 3, 8]] });
  });

  it('reloads weights filled per row at every warm-up iteration that computes', () => {
    // b computes real rows at i = 0..5 without warm-up (rows 0-2, then one per row up to 7), at
    // i = -2..5 with it: 6 and 8 loads of its 9 weights and bias
    expect(byId(streaming(undefined, 'y'))['b:weights']).toEqual([60, 60, [1, 1]]);
    expect(byId(streaming({ y: 3 }, 'y'))['b:weights']).toEqual([80, 80, [1, 1]]);
  });
});

describe('a per-channel input broadcast to an add whose output is one column wide', () => {
  // in 1x2x3 -> p (1x1) -> q (1x3 kernel, no pad: 1x2x1) -> sum = q + b, b a 1x1x1 DRAM input. Along x
  // the output is one column; a warm-up of x runs one virtual column first, where the add reads b's one
  // element as at every position (a broadcast); b stored and filled per x iteration is loaded at the
  // warm-up iteration too: 1 + W times.
  const { net: n, seg, schedule: s } = broadcastAdd();

  it('loads b once per iteration, the warm-up ones included, as the simulator does', () => {
    expect(warmupNeeded(seg, s(), 'x')).toBe(2);
    for (const [w, loads] of [
      [undefined, 1],
      [{ x: 1 }, 2],
      [{ x: 2 }, 3],
    ] as const) {
      const r = segmentCost(seg, s(w), 1);
      expect(r.buffers.find((b) => b.id === 'b@sum')!.dramReads).toBe(loads);
      expect(simulateSegment(n, seg, s(w), 1)).toEqual(r);
    }
  });
});
