// Strips of columns and raster line buffers (docs/execution-model.md, "Strips" and "Raster line
// buffers"), executed by the simulator on small cases counted by hand in the comments; the model
// predicts the same numbers.

import { describe, expect, it } from 'vitest';
import { compareResults, estimateReads } from '../../src/check/simulator.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { Network, Shape } from '../../src/ir/network.js';
import { segmentCost } from '../../src/model/cost.js';
import type { SegmentResult } from '../../src/model/result.js';
import type { BufferLevels, Level, SegmentSchedule } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { simulateSegment, simulationBytes } from '../../src/simulate/simulate.js';
import { conv } from '../layers.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };
const at = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });

/** Simulates a whole-network segment and holds the model to it. */
function run(n: Network, s: SegmentSchedule, elementBytes: 1 | 2 | 4 = 1): SegmentResult {
  const seg = analyzeSegment(
    n,
    n.layers.map((l) => l.name),
  );
  const sim = simulateSegment(n, seg, s, elementBytes);
  expect(compareResults(segmentCost(seg, s, elementBytes), sim).differences).toEqual([]);
  return sim;
}

function byId(r: SegmentResult): Record<string, SegmentResult['buffers'][number]> {
  return Object.fromEntries(r.buffers.map((b) => [b.id, b]));
}

describe('two 3x3 convolutions (pad 1) on a 2x8x8 input in 2 strips of 4 columns', () => {
  // in (2x8x8) -> l1 (2 channels, bias) -> l2 (2 channels, bias): every tensor 2x8x8; one tile per strip.
  const n = buildNetwork(
    'chain',
    [{ name: 'in', shape: { c: 2, h: 8, w: 8 } }],
    [conv('l1', 'in', 2, 3, { pads: pad1 }), conv('l2', 'l1', 2, 3, { pads: pad1 })],
  );
  /** `weights`: the levels of l2's weights (l1's are stored and filled at root, where l1 computes). */
  const schedule = (weights: BufferLevels, strips?: number): SegmentSchedule => ({
    layers: ['l1', 'l2'],
    tile: { x: strips ?? 8, y: 8, zo: 2, zi: 2 },
    order: ['y', 'x', 'zo', 'zi'],
    buffers: {
      'in@l1': at('root'),
      'l1:weights': at('root'),
      'l2:weights': weights,
      l1: at('root'),
      l2: at('root'),
    },
    ...(strips === undefined ? {} : { strips: { x: strips } }),
  });

  it('recomputes and reloads the halo columns in each strip', () => {
    // Strip 0: l2 columns 0..3 read l1 columns 0..4 (-1 is padding); l1 computes those 5 columns and
    // reads input columns 0..5. Strip 1: l2 columns 4..7 read l1 3..7 (8 is padding), which read input
    // 2..7. l1 computes 2 x 8 x (5 + 5) = 160 elements (128 without strips: 2 halo columns recomputed),
    // 18 MACs each; the input is read 2 x 8 x (6 + 6) = 192 times (128 without strips).
    const sim = run(n, schedule(at('root'), 4));
    const r = byId(sim);
    expect(r['l1']!.filled).toBe(160);
    expect(r['in@l1']!.dramReads).toBe(192);
    expect(r['l2']!.dramWrites).toBe(128);
    expect(sim.layerMacs).toEqual({ l1: 160 * 18, l2: 128 * 18 });
    // storage: the widest strip's (both are 6, 5 and 4 columns wide)
    expect(r['in@l1']!.extents).toEqual([2, 8, 6]);
    expect(r['l1']!.extents).toEqual([2, 8, 5]);
    expect(r['l2']!.extents).toEqual([2, 8, 4]);

    const whole = run(n, schedule(at('root')));
    expect(whole.layerMacs).toEqual({ l1: 128 * 18, l2: 128 * 18 });
    expect(byId(whole)['in@l1']!.dramReads).toBe(128);
  });

  it('loads weights stored at root once, and weights stored at a loop once per strip', () => {
    // Each layer's weights: 2 x 2 x 9 taps + 2 biases = 38 elements.
    const once = byId(run(n, schedule(at('root'), 4)));
    expect(once['l1:weights']!.dramReads).toBe(38);
    expect(once['l2:weights']!.dramReads).toBe(38);
    // stored at 'y' (one iteration per strip): loaded again in the second strip
    const perStrip = byId(run(n, schedule(at('y'), 4)));
    expect(perStrip['l1:weights']!.dramReads).toBe(38);
    expect(perStrip['l2:weights']!.dramReads).toBe(76);
    // stored at root, filled at 'y': still once, they stay across the strips
    const filledPerStrip = byId(run(n, schedule(at('root', 'y'), 4)));
    expect(filledPerStrip['l2:weights']!.dramReads).toBe(38);
  });

  it('keeps weights stored at root whole across strips, even when one fill demands a part', () => {
    // l2's weights stored at root, filled per output channel (zo tile 1): within a strip one output
    // channel's 2 x 9 taps and bias are live at a time, but all of them stay for the next strip.
    const s: SegmentSchedule = {
      ...schedule(at('root'), 4),
      tile: { x: 4, y: 8, zo: 1, zi: 2 },
      buffers: { ...schedule(at('root'), 4).buffers, 'l2:weights': at('root', 'zo') },
    };
    const r = byId(run(n, s, 2));
    expect(r['l2:weights']!.extents).toEqual([2, 2]);
    expect(r['l2:weights']!.bytes).toBe(38 * 2);
    expect(r['l2:weights']!.dramReads).toBe(38);
    // in one strip, one output channel at a time
    const single = byId(run(n, { ...s, tile: { ...s.tile, x: 8 }, strips: { x: 8 } }, 2));
    expect(single['l2:weights']!.extents).toEqual([1, 2]);
    expect(single['l2:weights']!.bytes).toBe(19 * 2);
  });
});

describe('a strip whose windows all fall into padding', () => {
  it('computes nothing of the producer there, and loads its weights once, in the first strip that needs them', () => {
    // in (1x4x4) -> l1 (3x3, pad 1) -> l2 (1x1, left pad 1: 1x4x5), in strips of 1 column. Strip 0: l2
    // column 0 reads l1 column -1, padding: l1 computes nothing, no input is read. Strips 1..4: l1
    // computes column x - 1 (4 elements, 9 MACs each) from input columns x - 2..x clipped: 2, 3, 3, 2
    // columns of 4 rows. l1's weights (9 + bias) are loaded in strip 1 and kept.
    const n = buildNetwork(
      'padding',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [
        conv('l1', 'in', 1, 3, { pads: pad1 }),
        conv('l2', 'l1', 1, 1, { pads: { top: 0, left: 1, bottom: 0, right: 0 } }),
      ],
    );
    const r = run(n, {
      layers: ['l1', 'l2'],
      tile: { x: 1, y: 4, zo: 1, zi: 1 },
      order: ['y', 'x', 'zo', 'zi'],
      buffers: {
        'in@l1': at('root'),
        'l1:weights': at('root'),
        'l2:weights': at('root'),
        l1: at('root'),
        l2: at('root'),
      },
      strips: { x: 1 },
    });
    const b = byId(r);
    expect(b['in@l1']!.dramReads).toBe((2 + 3 + 3 + 2) * 4);
    expect(b['l1:weights']!.dramReads).toBe(10);
    expect(b['l1:weights']!.extents).toEqual([1, 1]);
    expect(r.layerMacs).toEqual({ l1: 16 * 9, l2: 20 });
  });
});

describe('raster line buffers', () => {
  /** One 3x3 convolution (pad 1, 2 channels in and out) streaming one output element at a time. */
  function streaming(input: Shape, raster: boolean, strips?: number): { n: Network; s: SegmentSchedule } {
    const n = buildNetwork('one', [{ name: 'in', shape: input }], [conv('c', 'in', 2, 3, { pads: pad1 })]);
    const s: SegmentSchedule = {
      layers: ['c'],
      tile: { x: 1, y: 1, zo: 2, zi: input.c },
      order: ['y', 'x', 'zo', 'zi'],
      buffers: {
        // stored right above 'y' (at root), filled at 'x'
        'in@c': { store: 'root', fill: 'x', ...(raster ? { raster: true as const } : {}) },
        'c:weights': at('root'),
        c: at('x'),
      },
      ...(strips === undefined ? {} : { strips: { x: strips } }),
    };
    return { n, s };
  }

  it('keeps 2 rows plus 3 elements per channel of a 3x3 convolution streaming one element at a time', () => {
    // Output (y, x) reads input rows y-1..y+1, columns x-1..x+1. Inside the image, at output (y, x) the
    // live input elements run from (y-1, x-1) (earlier ones are not read again) to (y+1, x+1): with
    // rows pitched by the width 8, 2 x 8 + 3 = 19 positions per channel, where the box keeps 3 rows.
    const plain = streaming({ c: 2, h: 6, w: 8 }, false);
    const box = byId(run(plain.n, plain.s));
    expect(box['in@c']!.extents).toEqual([2, 3, 8]);
    expect(box['in@c']!.bytes).toBe(2 * 3 * 8);
    const { n, s } = streaming({ c: 2, h: 6, w: 8 }, true);
    const r = run(n, s);
    const b = byId(r)['in@c']!;
    expect(b.raster).toBe(2 * 8 + 3);
    expect(b.extents).toEqual([2, 3, 8]);
    expect(b.bytes).toBe(2 * 19);
    // only the storage changes
    expect(b.dramReads).toBe(box['in@c']!.dramReads);
    expect(r.macs).toBe(2 * 6 * 8 * 18);
  });

  it('keeps a row whole when the next row band starts at the same row', () => {
    // A 2-row input: every output row reads both input rows (the rest is padding), so after the first
    // output row all of row 0 is still needed: at output (0, 4) input (0, 0) and (1, 4) are live, 5 + 4
    // positions apart: the run is the whole 2 x 5 channel, not 1 x 5 + 3.
    const { n, s } = streaming({ c: 1, h: 2, w: 5 }, true);
    expect(byId(run(n, s))['in@c']!.raster).toBe(10);
  });

  it('in strips, pitches the rows by the widest band', () => {
    // 2 strips of 4 of a 7-wide output: strip 0 reads input columns 0..4 (band 5), strip 1 reads
    // 3..6 (band 4); the buffer's band is 5, and the run 2 x 5 + 3 (strip 1 alone would keep 2 x 4 + 3).
    const { n, s } = streaming({ c: 1, h: 5, w: 7 }, true, 4);
    const b = byId(run(n, s))['in@c']!;
    expect(b.extents).toEqual([1, 3, 5]);
    expect(b.raster).toBe(2 * 5 + 3);
  });
});

describe("the simulator's work and memory", () => {
  // in 1x8x8 -> a (3x3, 2 channels, 6x6) -> b (3x3, 1 channel, 4x4), no padding: nothing is clipped.
  const n = buildNetwork(
    'chain',
    [{ name: 'in', shape: { c: 1, h: 8, w: 8 } }],
    [conv('a', 'in', 2, 3), conv('b', 'a', 1, 3)],
  );
  const seg = analyzeSegment(n, ['a', 'b']);
  const s: SegmentSchedule = {
    layers: ['a', 'b'],
    tile: { x: 1, y: 1, zo: 1, zi: 2 },
    order: ['y', 'x', 'zo', 'zi'],
    buffers: {
      'in@a': at('root'),
      'a:weights': at('root'),
      'b:weights': at('root'),
      a: at('root'),
      b: at('x'),
    },
    strips: { x: 2 },
  };
  const reads = (t: SegmentSchedule) => {
    let n0 = -1;
    simulateSegment(n, seg, t, 1, { onProgress: (r) => (n0 = r) });
    return n0;
  };

  it('is estimated exactly with the halos each strip recomputes, and twice with a raster line buffer', () => {
    // 2 strips of b's 4 columns: each computes a's 4 columns x 6 rows x 2 channels (2 recomputed per
    // strip): 96 elements x (9 weights + 9 inputs + 1 bias); b: 16 x 2 x (9 + 9) + 16 biases.
    const once = 96 * 19 + 16 * 2 * 18 + 16;
    expect(estimateReads(seg, segmentCost(seg, s, 1))).toBe(once);
    expect(reads(s)).toBe(once);
    // a as a raster line buffer (stored at root, right above 'y'; filled at 'x'): a second pass
    const raster: SegmentSchedule = {
      ...s,
      buffers: { ...s.buffers, a: { store: 'root', fill: 'x', raster: true } },
    };
    expect(estimateReads(seg, segmentCost(seg, raster, 1))).toBe(2 * once);
    expect(reads(raster)).toBe(2 * once);
  });

  it("needs memory for a raster line buffer's stacks: per channel two entries per fill of a store instance", () => {
    const raster: SegmentSchedule = {
      ...s,
      buffers: { ...s.buffers, a: { store: 'root', fill: 'x', raster: true } },
    };
    // 4 rows x 2 columns of b per strip: 8 fills; 2 channels; two stacks of two numbers of 8 bytes
    expect(simulationBytes(seg, raster) - simulationBytes(seg, s)).toBe(2 * (4 + 8 * 2 * 2 * 8));
  });
});
