// Small networks and schedules for the model and simulator tests.

import { buildNetwork } from '../../src/ir/build.js';
import type { ConvLayer, LayerSpec, Network, Shape } from '../../src/ir/network.js';
import { noPads } from '../../src/ir/network.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule, TileSizes } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { conv as plainConv } from '../layers.js';

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

export function segmentOf(n: Network, names?: string[]): Segment {
  return analyzeSegment(n, names ?? n.layers.map((l) => l.name));
}

export { noPads };
