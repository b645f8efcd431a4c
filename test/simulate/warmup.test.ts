// Warm-up loops (docs/execution-model.md, "Warm-up loops"), executed by the simulator on small chains
// whose counts are worked out by hand in the comments.

import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { LayerSpec, Network, Shape } from '../../src/ir/network.js';
import type { SegmentResult } from '../../src/model/result.js';
import type {
  BufferLevels,
  Level,
  LoopName,
  SegmentSchedule,
  TileSizes,
  Warmup,
} from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { simulateSegment, simulationBytes } from '../../src/simulate/simulate.js';
import { rng } from '../../src/util/random.js';
import { conv } from '../layers.js';
import { randomSegmentNetwork, randomSharedInputNetwork } from '../model/random-network.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };
const at = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });
type Order = [LoopName, LoopName, LoopName, LoopName];

/** A chain of 3x3 pad-1 convolutions (1 channel, with bias) named l1, l2, ... on the input `in`. */
function chain(shape: Shape, strides: number[]): Network {
  const specs: LayerSpec[] = strides.map((s, k) =>
    conv(`l${k + 1}`, k === 0 ? 'in' : `l${k}`, 1, 3, { pads: pad1, stride: [s, s] }),
  );
  return buildNetwork('chain', [{ name: 'in', shape }], specs);
}

interface Plan {
  tile: TileSizes;
  order: Order;
  /** Level of the input and of every intermediate (stored at root). */
  fill: Level;
  /** Levels of every layer's weights. */
  weights?: BufferLevels;
  warmup?: Warmup;
}

function schedule(n: Network, p: Plan): SegmentSchedule {
  const names = n.layers.map((l) => l.name);
  const last = names[names.length - 1]!;
  const buffers: Record<string, BufferLevels> = { 'in@l1': at('root', p.fill), [last]: at(p.fill) };
  for (const name of names) {
    buffers[`${name}:weights`] = p.weights ?? at('root');
    if (name !== last) buffers[name] = at('root', p.fill);
  }
  return { layers: names, tile: p.tile, order: p.order, buffers, ...(p.warmup ? { warmup: p.warmup } : {}) };
}

function run(n: Network, p: Plan): SegmentResult {
  return simulateSegment(
    n,
    analyzeSegment(
      n,
      n.layers.map((l) => l.name),
    ),
    schedule(n, p),
    1,
  );
}

/** Rows (or columns) each buffer keeps: the extent along the dimension, by buffer id. */
function extent(r: SegmentResult, d: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of r.buffers) if (b.role !== 'weights') out[b.id] = b.extents[d]!;
  return out;
}

function dram(r: SegmentResult): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const b of r.buffers) out[b.id] = [b.dramReads, b.dramWrites];
  return out;
}

const yFirst: Order = ['y', 'x', 'zo', 'zi'];
const xFirst: Order = ['x', 'y', 'zo', 'zi'];
const row = (w: number): TileSizes => ({ x: w, y: 1, zo: 1, zi: 1 });

describe('three 3x3 convolutions streaming rows of an 8x8 input through line buffers', () => {
  // in -> l1 -> l2 -> l3, all 1x8x8; l3 computed one row per y iteration; in, l1, l2 stored at root and
  // filled per row.
  const n = chain({ c: 1, h: 8, w: 8 }, [1, 1, 1]);
  const plain: Plan = { tile: row(8), order: yFirst, fill: 'y' };

  it('without warm-up keeps the cone of the first row: 4 input rows', () => {
    // Iteration 0: l3 row 0 reads l2 rows 0..1 (row -1 is padding), l2 computes them and reads l1 0..2,
    // l1 computes those and reads in 0..3: 4 input rows live at once. Iteration r > 0: l2 computes row
    // r+1 (reads l1 r..r+2), l1 row r+2 (reads in r+1..r+3): 3 rows live in each buffer.
    const r = run(n, plain);
    expect(extent(r, 1)).toEqual({ 'in@l1': 4, l1: 3, l2: 3, l3: 1 });
    expect(r.layerMacs).toEqual({ l1: 64 * 9, l2: 64 * 9, l3: 64 * 9 });
    // 64 input elements, 3 x (9 weights + bias), 64 outputs written.
    expect(r.dramReads).toBe(64 + 30);
    expect(r.dramWrites).toBe(64);
  });

  it('with the warm-up it needs (2) keeps 3 rows of each, at the same traffic and MACs', () => {
    // Iterations -2..7. At -2: l3 row -2 reads l2 -3..-1 (virtual), l2 computes them and reads l1
    // -4..0, l1 computes -4..0 (row 0 real) and reads in -5..1: rows 0..1 loaded. At -1: l2 computes
    // row 0 (reads l1 -1..1), l1 row 1 (reads in 0..2), in row 2 loaded. At r >= 0: l2 row r+1, l1 row
    // r+2, in row r+3. Live real rows never exceed 3.
    const r = run(n, { ...plain, warmup: { y: 2 } });
    expect(extent(r, 1)).toEqual({ 'in@l1': 3, l1: 3, l2: 3, l3: 1 });
    expect(extent(r, 2)).toEqual({ 'in@l1': 8, l1: 8, l2: 8, l3: 8 });
    const base = run(n, plain);
    expect(r.layerMacs).toEqual(base.layerMacs);
    expect(dram(r)).toEqual(dram(base));
    expect(r.buffers.map((b) => b.filled)).toEqual(base.buffers.map((b) => b.filled));
    // in 3 x 8, weights 3 x 10, l1 and l2 3 x 8, l3 one row of 8
    expect(r.onChipBytes).toBe(24 + 30 + 48 + 8);
    expect(base.onChipBytes).toBe(32 + 30 + 48 + 8);
  });

  it('loads weights filled per row again at the warm-up iterations where their layer computes a real row', () => {
    // Weights stored and filled per y iteration are loaded at every iteration where their layer
    // computes a real element. Without warm-up: l1 computes real rows at iterations 0..5 (rows 0..2,
    // then 3..7), l2 at 0..6 (rows 0..1, then 2..7), l3 at 0..7: (6 + 7 + 8) x 10 = 210.
    // With warm-up 2: l1 at -2..5 (rows 0, 1, ..., 7), l2 at -1..6 (rows 0, ..., 7), l3 at 0..7 (its
    // warm-up tiles are virtual, they read no weights): (8 + 8 + 8) x 10 = 240.
    const perRow = { ...plain, weights: at('y') };
    const weights = (r: SegmentResult) =>
      r.buffers.filter((b) => b.role === 'weights').map((b) => [b.id, b.dramReads]);
    expect(weights(run(n, perRow))).toEqual([
      ['l1:weights', 60],
      ['l2:weights', 70],
      ['l3:weights', 80],
    ]);
    const warm = run(n, { ...perRow, warmup: { y: 2 } });
    expect(weights(warm)).toEqual([
      ['l1:weights', 80],
      ['l2:weights', 80],
      ['l3:weights', 80],
    ]);
    expect(warm.dramReads).toBe(64 + 240);
    expect(warm.macs).toBe(3 * 64 * 9);
  });

  it('refuses more warm-up than the chain needs', () => {
    const s = schedule(n, { ...plain, warmup: { y: 3 } });
    expect(() => simulateSegment(n, analyzeSegment(n, s.layers), s, 1)).toThrow(InputError);
  });

  it('accounts the virtual rows in its memory estimate', () => {
    // l3's lowest tile starts at -2, so l2's lowest row read is -3 and l1's -4: margins of 3 and 4 rows
    // of 8 elements at 13 bytes of state per element of an intermediate, and 8 bytes per row
    // coordinate; the input and the output have no virtual rows (still one block of 32 rows).
    const seg = analyzeSegment(n, ['l1', 'l2', 'l3']);
    const plainBytes = simulationBytes(seg, schedule(n, plain));
    const warmBytes = simulationBytes(seg, schedule(n, { ...plain, warmup: { y: 2 } }));
    expect(warmBytes - plainBytes).toBe((4 + 3) * 8 * 13 + (4 + 3) * 8);
  });
});

describe('five 3x3 convolutions: the cone shrinks with each warm-up iteration', () => {
  // in -> l1 -> ... -> l5 on 1x8x8, rows streamed as above. Without warm-up, iteration 0 computes l4
  // rows 0..1, l3 0..2, l2 0..3, l1 0..4 and reads in 0..5: l1 keeps 5 rows, l2 4, in 6. Each warm-up
  // iteration moves one row of that cone ahead of iteration 0: with W, iteration -W computes l(4-W)
  // rows 0..1 and l(4-W-k) rows 0..k+1, so the largest real demand is 6 - W rows (in), 5 - W (l1), ...,
  // never below the steady 3.
  const n = chain({ c: 1, h: 8, w: 8 }, [1, 1, 1, 1, 1]);
  const plain: Plan = { tile: row(8), order: yFirst, fill: 'y' };

  it.each([
    [0, { 'in@l1': 6, l1: 5, l2: 4, l3: 3, l4: 3, l5: 1 }],
    [1, { 'in@l1': 5, l1: 4, l2: 3, l3: 3, l4: 3, l5: 1 }],
    [2, { 'in@l1': 4, l1: 3, l2: 3, l3: 3, l4: 3, l5: 1 }],
    [3, { 'in@l1': 3, l1: 3, l2: 3, l3: 3, l4: 3, l5: 1 }],
    [4, { 'in@l1': 3, l1: 3, l2: 3, l3: 3, l4: 3, l5: 1 }],
  ])('warm-up %i', (w, rows) => {
    const r = run(n, w > 0 ? { ...plain, warmup: { y: w } } : plain);
    expect(extent(r, 1)).toEqual(rows);
    expect(r.macs).toBe(5 * 64 * 9);
    expect(r.dramReads).toBe(64 + 50);
    expect(r.dramWrites).toBe(64);
  });

  it('needs 4: l1 computes its row 0 at iteration -4', () => {
    const s = schedule(n, { ...plain, warmup: { y: 5 } });
    expect(() => simulateSegment(n, analyzeSegment(n, s.layers), s, 1)).toThrow(/at most 4/);
  });
});

describe('a stride-2 convolution before a 3x3 one', () => {
  // in 1x8x8 -> l1 (stride 2) 1x4x4 -> l2 1x4x4, l2 one row per y iteration.
  const n = chain({ c: 1, h: 8, w: 8 }, [2, 1]);
  const plain: Plan = { tile: row(4), order: yFirst, fill: 'y' };

  it('without warm-up reads 4 input rows for the first two rows of l1', () => {
    // Iteration 0: l2 row 0 reads l1 0..1; l1 row 0 reads in -1..1 -> 0..1, row 1 reads 1..3: in 0..3
    // (4 rows). Iteration 1: l1 row 2 reads in 3..5; iteration 2: row 3 reads 5..7; iteration 3:
    // nothing new (l2 row 3 reads l1 2..3).
    const r = run(n, plain);
    expect(extent(r, 1)).toEqual({ 'in@l1': 4, l1: 3, l2: 1 });
    expect(r.layerMacs).toEqual({ l1: 16 * 9, l2: 16 * 9 });
    expect(dram(r)).toEqual({
      'in@l1': [64, 0],
      'l1:weights': [10, 0],
      l1: [0, 0],
      'l2:weights': [10, 0],
      l2: [0, 16],
    });
  });

  it('with one warm-up iteration reads 3', () => {
    // Iteration -1: l2 row -1 reads l1 -2..0; l1 computes rows -2, -1 (virtual) and 0, reading in
    // -5..-3, -3..-1 and -1..1: in rows 0..1 loaded. Iteration 0: l2 row 0 reads l1 -1..1, l1 row 1
    // reads in 1..3 (rows 2, 3 new). Iterations 1, 2: in 3..5, 5..7. Never more than 3 real rows.
    const r = run(n, { ...plain, warmup: { y: 1 } });
    expect(extent(r, 1)).toEqual({ 'in@l1': 3, l1: 3, l2: 1 });
    expect(dram(r)).toEqual(dram(run(n, plain)));
    expect(r.macs).toBe(2 * 16 * 9);
  });
});

describe('a warm-up along x', () => {
  // The first case turned on its side: in 1x6x8 (6 rows, 8 columns), l3 computed one column per x
  // iteration over all 6 rows.
  const n = chain({ c: 1, h: 6, w: 8 }, [1, 1, 1]);
  const plain: Plan = { tile: { x: 1, y: 6, zo: 1, zi: 1 }, order: xFirst, fill: 'x' };

  it('keeps 3 columns of each buffer instead of a 4-column cone of the input', () => {
    const base = run(n, plain);
    expect(extent(base, 2)).toEqual({ 'in@l1': 4, l1: 3, l2: 3, l3: 1 });
    const r = run(n, { ...plain, warmup: { x: 2 } });
    expect(extent(r, 2)).toEqual({ 'in@l1': 3, l1: 3, l2: 3, l3: 1 });
    expect(extent(r, 1)).toEqual({ 'in@l1': 6, l1: 6, l2: 6, l3: 6 });
    expect(dram(r)).toEqual(dram(base));
    expect(dram(r)['in@l1']).toEqual([48, 0]);
    expect(r.macs).toBe(3 * 48 * 9);
  });

  it('leaves the rows clipped at 0 when only x warms up', () => {
    // Tiles of 3 rows (y inner): the first row tile still reads input rows from 0, not -3..
    const r = run(n, { tile: { x: 1, y: 3, zo: 1, zi: 1 }, order: xFirst, fill: 'y', warmup: { x: 2 } });
    // l3 rows 0..2 read l2 0..3, which reads l1 0..4, which reads in 0..5: the input's whole height at
    // once within a column, nothing loaded twice.
    expect(dram(r)['in@l1']).toEqual([48, 0]);
    expect(r.macs).toBe(3 * 48 * 9);
  });
});

describe('random segments with every buffer stored at root', () => {
  it('load, compute and write the same real elements with or without warm-up', () => {
    // Stored at root, every real element any computation reads is loaded or computed exactly once. The
    // real elements read are the same with warm-up: an unclipped window's part below 0 is virtual, and a
    // virtual output's window lies below (or within) that of output 0. So only the spans may differ.
    const r = rng(20261205);
    let warm = 0;
    for (let i = 0; i < 400; i++) {
      const net = i % 2 ? randomSegmentNetwork(r, 5, true) : randomSharedInputNetwork(r, 5);
      const seg = analyzeSegment(
        net,
        net.layers.map((l) => l.name),
      );
      const s = randomSegmentSchedule(seg, r, false, true);
      if (!s.warmup) continue;
      for (const b of Object.values(s.buffers)) b.store = 'root';
      const { warmup, ...plain } = s;
      // undefined: refused (the warm-up may make the readers of a shared input skip events the model
      // has no closed form for)
      const simulated = (sched: SegmentSchedule): SegmentResult | undefined => {
        try {
          return simulateSegment(net, seg, sched, 2);
        } catch (e) {
          if (e instanceof InputError && e.message.includes('no exact closed form')) return undefined;
          throw e;
        }
      };
      const base = simulated(plain);
      const r1 = base && simulated(s);
      if (base === undefined || r1 === undefined) continue;
      const counts = (x: SegmentResult) => ({
        buffers: x.buffers.map((b) => [b.id, b.filled, b.dramReads, b.dramWrites]),
        layerMacs: x.layerMacs,
      });
      expect(counts(r1), `case ${i}: ${JSON.stringify(s)}`).toEqual(counts(base));
      warm++;
    }
    expect(warm).toBeGreaterThan(100);
  });
});

describe('a per-channel broadcast input under a warm-up', () => {
  // in 1x2x3 -> l1 (1x1 conv) -> l2 (1x3 conv) 1x2x1 -> l3 = l2 + b, b a 1x1x1 input broadcast over the
  // 2 x 1 positions. l3 one column per x iteration; l2 needs l1's columns 0..2 for column 0, so the
  // warm-up may be 2. b is stored and filled per x iteration.
  const n = buildNetwork(
    'broadcast',
    [
      { name: 'in', shape: { c: 1, h: 2, w: 3 } },
      { name: 'b', shape: { c: 1, h: 1, w: 1 } },
    ],
    [
      conv('l1', 'in', 1, 1),
      conv('l2', 'l1', 1, 1, { kernel: [1, 3] }),
      { kind: 'eltwise', name: 'l3', inputs: ['l2', 'b'], post: [], op: 'add' },
    ],
  );
  const s = (warmup?: Warmup): SegmentSchedule => ({
    layers: ['l1', 'l2', 'l3'],
    tile: { x: 1, y: 2, zo: 1, zi: 1 },
    order: xFirst,
    buffers: {
      'in@l1': at('root'),
      'l1:weights': at('root'),
      'l2:weights': at('root'),
      l1: at('root'),
      l2: at('root'),
      'b@l3': at('x'),
      l3: at('x'),
    },
    ...(warmup ? { warmup } : {}),
  });
  const seg = analyzeSegment(n, ['l1', 'l2', 'l3']);

  it('is read at every warm-up iteration: its one element, whatever the position', () => {
    // At x = -2 and -1, l3's tile is virtual, but its one element of b is what every element of l3
    // reads: b is loaded at x = -2, -1 and 0. l2 and l1 compute their real columns once either way.
    const plain = simulateSegment(n, seg, s(), 1);
    const warm = simulateSegment(n, seg, s({ x: 2 }), 1);
    expect(dram(plain)['b@l3']).toEqual([1, 0]);
    expect(dram(warm)['b@l3']).toEqual([3, 0]);
    expect(dram(warm)['in@l1']).toEqual([6, 0]);
    expect(warm.layerMacs).toEqual({ l1: 6, l2: 2 * 3, l3: 0 });
    expect(warm.layerMacs).toEqual(plain.layerMacs);
  });
});
