// Small networks and schedules for the model and simulator tests.

import { buildNetwork } from '../../src/ir/build.js';
import type { ConvLayer, LayerSpec, Network, Shape } from '../../src/ir/network.js';
import { noPads } from '../../src/ir/network.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule, TileSizes } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { add, conv as plainConv } from '../layers.js';

/** A k x k convolution with 'same' padding (k/2 on every side). */
export function conv(
  name: string,
  input: string,
  out: number,
  k: number,
  extra: Partial<ConvLayer> = {},
): ConvLayer {
  const p = Math.floor(k / 2);
  return plainConv(name, input, out, k, { pads: { top: p, left: p, bottom: p, right: p }, ...extra });
}

export function net(input: Shape, layers: LayerSpec[]): Network {
  return buildNetwork('test', [{ name: 'in', shape: input }], layers);
}

/** A schedule for a segment with every buffer at the given levels unless overridden. */
export function schedule(
  seg: Segment,
  tile: Partial<TileSizes>,
  order: LoopName[],
  levels: Record<string, [Level, Level]> = {},
  fallback: [Level, Level] = ['root', 'root'],
): SegmentSchedule {
  const buffers: Record<string, BufferLevels> = {};
  for (const b of seg.buffers) {
    const [store, fill] = levels[b.id] ?? fallback;
    buffers[b.id] = { store, fill };
  }
  return {
    layers: seg.layers.map((l) => l.name),
    tile: {
      x: tile.x ?? seg.dims.x,
      y: tile.y ?? seg.dims.y,
      zo: tile.zo ?? seg.dims.zo,
      zi: tile.zi ?? seg.dims.zi,
    },
    order: order as SegmentSchedule['order'],
    buffers,
  };
}

/**
 * Two residual blocks (2x8x8): s1 = a2(a1(in)) + in, s2 = b2(b1(s1)) + s1; the first block's output s1
 * is read by the second block's first convolution and by its add.
 */
export function residualBlocks(name = 'test'): Network {
  return buildNetwork(
    name,
    [{ name: 'in', shape: { c: 2, h: 8, w: 8 } }],
    [
      conv('a1', 'in', 2, 3, { post: [{ op: 'relu' }] }),
      conv('a2', 'a1', 2, 3),
      add('s1', 'a2', 'in'),
      conv('b1', 's1', 2, 3, { post: [{ op: 'relu' }] }),
      conv('b2', 'b1', 2, 3),
      add('s2', 'b2', 's1'),
    ],
  );
}

export function segmentOf(n: Network, names?: string[]): Segment {
  return analyzeSegment(n, names ?? n.layers.map((l) => l.name));
}

export { noPads };

/**
 * in 1x2x3 -> p (1x1) -> q (1x3 kernel, no pad: 1x2x1) -> sum = q + b, with b a 1x1x1 DRAM input
 * broadcast to the add, whose output is one column wide; and its schedule with b and sum stored and
 * filled per x iteration (y tiles of 2), with an optional warm-up.
 */
export function broadcastAdd(): {
  net: Network;
  seg: Segment;
  schedule: (warmup?: SegmentSchedule['warmup']) => SegmentSchedule;
} {
  const n = buildNetwork(
    'test',
    [
      { name: 'in', shape: { c: 1, h: 2, w: 3 } },
      { name: 'b', shape: { c: 1, h: 1, w: 1 } },
    ],
    [
      plainConv('p', 'in', 1, 1),
      { ...plainConv('q', 'p', 1, 1), kernel: [1, 3] },
      { kind: 'eltwise', name: 'sum', inputs: ['q', 'b'], post: [], op: 'add' },
    ],
  );
  const seg = segmentOf(n);
  const base = schedule(seg, { y: 2 }, ['x', 'y', 'zo', 'zi'], { 'b@sum': ['x', 'x'], sum: ['x', 'x'] });
  return { net: n, seg, schedule: (warmup) => (warmup ? { ...base, warmup } : base) };
}
