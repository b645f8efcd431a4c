// Factor tables for single-layer segments: with the tile sizes fixed, every buffer's cost under any
// loop order and levels is a product of per-dimension numbers (docs/search-design.md). Computing those
// numbers once per tile choice turns each schedule's evaluation into a few multiplications; the
// results equal the cost model's (test/dse/factors.test.ts).

import type { ConvLayer } from '../ir/network.js';
import type { Dim } from '../model/cost.js';
import { lastLayerComputation, readDims, weightDims } from '../model/cost.js';
import type { BufferResult, SegmentResult } from '../model/result.js';
import { storageElements } from '../model/result.js';
import type { ElementBytes, LoopName, SegmentSchedule, TileSizes } from '../model/schedule.js';
import { levelDepth, loopNames } from '../model/schedule.js';
import type { Segment, SegmentBuffer } from '../model/segment.js';
import { inputBufferId, weightsBufferId } from '../model/segment.js';
import type { Count } from '../model/sequence.js';
import { countOf, lengthCount } from '../model/sequence.js';
import { span } from '../model/windows.js';

/** One dimension of a buffer's demand, summarised for every role its loop can play. */
export interface DimFactors {
  loop: LoopName | null;
  /** Elements over all iterations of the loop (loop at or above store). */
  sumAll: number;
  /** Elements new at each iteration, summed (loop between store and fill). */
  sumFresh: number;
  /** Elements of the hull (loop inside fill, or no loop). */
  hullCount: number;
  /** Storage extents: the largest demand, or the whole hull. */
  maxSpan: number;
  hullSpan: number;
  /** Whether consecutive demands overlap, so a sweep along the loop brings data back. */
  overlaps: boolean;
  empty: boolean;
}

export interface BufferFactors {
  buffer: SegmentBuffer;
  dims: DimFactors[];
  /** The dimension following each loop (indexed like loopNames), if any. */
  byLoop: (DimFactors | undefined)[];
  kernelArea: number;
  hasBias: boolean;
}

export interface SegmentFactors {
  tile: TileSizes;
  trips: Record<LoopName, number>;
  tripsByIndex: number[];
  buffers: BufferFactors[];
  layerMacs: Record<string, number>;
}

function summarise(d: Dim, count: Count, realOnly: boolean): DimFactors {
  const h = d.seq.hull();
  const real = (lo: number) => (realOnly ? Math.max(0, lo) : lo);
  return {
    loop: d.loop,
    sumAll: d.seq.sum(count),
    sumFresh: d.loop === null ? countOf(count, h) : d.seq.fresh('factor table').sum(count),
    hullCount: countOf(count, h),
    maxSpan: d.seq.maxSpan(realOnly),
    hullSpan: span({ lo: real(h.lo), hi: h.hi }),
    overlaps: d.seq.overlaps(),
    empty: d.seq.allEmpty(),
  };
}

/** The factor tables of a single-layer segment for one choice of tile sizes. */
export function segmentFactors(seg: Segment, tile: TileSizes): SegmentFactors {
  if (seg.layers.length !== 1) throw new Error('internal: factor tables cover single-layer segments');
  const layer = seg.last;
  const comp = lastLayerComputation(seg, tile);
  const buffers: BufferFactors[] = [];
  const byId = new Map(seg.buffers.map((b) => [b.id, b]));
  for (const tensor of new Set(layer.inputs)) {
    const dims = readDims(seg, layer, comp, tensor);
    buffers.push({
      buffer: byId.get(inputBufferId(tensor, layer.name))!,
      byLoop: [],
      dims: dims.map((d) => summarise(d, lengthCount, false)),
      kernelArea: 1,
      hasBias: false,
    });
  }
  if (layer.kind === 'conv') {
    const w = weightDims(layer as ConvLayer, comp);
    buffers.push({
      buffer: byId.get(weightsBufferId(layer.name))!,
      byLoop: [],
      dims: w.dims.map((d, k) => summarise(d, w.counts[k]!, k === 1)),
      kernelArea: w.kernelArea,
      hasBias: layer.hasBias,
    });
  }
  buffers.push({
    buffer: byId.get(layer.name)!,
    byLoop: [],
    dims: [comp.c, comp.y, comp.x].map((d) => summarise(d, lengthCount, false)),
    kernelArea: 1,
    hasBias: false,
  });
  for (const b of buffers) b.byLoop = loopNames.map((l) => b.dims.find((d) => d.loop === l));
  const trips = { x: 0, y: 0, zo: 0, zi: 0 };
  for (const l of loopNames) trips[l] = Math.ceil(seg.dims[l] / tile[l]);
  const macs =
    layer.kind === 'conv'
      ? layer.shape.c * layer.shape.h * layer.shape.w * seg.dims.zi * layer.kernel[0] * layer.kernel[1]
      : 0;
  return {
    tile,
    trips,
    tripsByIndex: loopNames.map((l) => trips[l]),
    buffers,
    layerMacs: { [layer.name]: macs },
  };
}

/** Where a loop stands for a buffer: at or above its store level, between store and fill, below fill. */
export type Role = 'above' | 'reuse' | 'below';

/** What a loop multiplies a buffer's filled count by (d: its dimension following the loop, if any). */
export function countFactor(d: DimFactors | undefined, role: Role, trips: number): number {
  if (role === 'above') return d ? d.sumAll : trips;
  if (role === 'reuse') return d ? d.sumFresh : 1;
  return d ? d.hullCount : 1;
}

/**
 * What a loop multiplies a buffer's DRAM accesses by: its count factor, except that the output's
 * reduction loop above the store level also reads back the partial sums of all but the first tile.
 */
export function accessFactor(
  d: DimFactors | undefined,
  role: Role,
  trips: number,
  partialSums: boolean,
): number {
  return role === 'above' && partialSums ? 2 * trips - 1 : countFactor(d, role, trips);
}

/** A dimension's storage extent; `band`: an earlier reuse loop brings data back, so the band is kept whole. */
export function extentOf(d: DimFactors, role: Role, band: boolean): number {
  return role === 'below' || (role === 'reuse' && band) ? d.hullSpan : d.maxSpan;
}

/** Whether a reuse loop brings data back on its next iteration (then bands below it are kept whole). */
export function bringsBack(d: DimFactors | undefined, trips: number): boolean {
  return trips > 1 && (d === undefined || d.overlaps);
}

/**
 * One buffer under an order (loop indices into loopNames, outermost first) and its store and fill
 * depths: elements filled, DRAM accesses, storage extents.
 */
export function bufferNumbers(
  f: SegmentFactors,
  b: BufferFactors,
  order: readonly number[],
  store: number,
  fill: number,
): { filled: number; accesses: number; extents: number[] } {
  const extents = b.dims.map((d) => (d.loop === null ? d.hullSpan : 0));
  if (b.dims.some((d) => d.empty)) return { filled: 0, accesses: 0, extents: b.dims.map(() => 0) };
  let filled = 1;
  for (const d of b.dims) if (d.loop === null) filled *= d.hullCount;
  let accesses = filled;
  let band = false;
  for (let k = 1; k <= 4; k++) {
    const li = order[k - 1]!;
    const d = b.byLoop[li];
    const trips = f.tripsByIndex[li]!;
    const role: Role = k <= store ? 'above' : k <= fill ? 'reuse' : 'below';
    filled *= countFactor(d, role, trips);
    accesses *= accessFactor(d, role, trips, b.buffer.role === 'output' && li === 3);
    if (d !== undefined) extents[b.dims.indexOf(d)] = extentOf(d, role, band);
    if (role === 'reuse' && bringsBack(d, trips)) band = true;
  }
  return { filled, accesses, extents };
}

/** The cost of a whole single-layer segment schedule from its factor tables. */
export function costFromFactors(
  f: SegmentFactors,
  s: SegmentSchedule,
  elementBytes: ElementBytes,
): SegmentResult {
  const buffers = f.buffers.map((b): BufferResult => {
    const lv = s.buffers[b.buffer.id]!;
    const order = s.order.map((l) => loopNames.indexOf(l));
    const n = bufferNumbers(f, b, order, levelDepth(s.order, lv.store), levelDepth(s.order, lv.fill));
    const bytes = storageElements(b.buffer.role, n.extents, b.kernelArea, b.hasBias) * elementBytes;
    const common = {
      id: b.buffer.id,
      role: b.buffer.role,
      tensor: b.buffer.tensor,
      extents: n.extents,
      bytes,
      filled: n.filled,
    };
    // the output writes each element once per residency and reads back partial sums
    if (b.buffer.role === 'output')
      return { ...common, dramReads: n.accesses - n.filled, dramWrites: n.filled };
    return { ...common, dramReads: n.filled, dramWrites: 0 };
  });
  let dramReads = 0;
  let dramWrites = 0;
  let onChipBytes = 0;
  for (const b of buffers) {
    dramReads += b.dramReads;
    dramWrites += b.dramWrites;
    onChipBytes += b.bytes;
  }
  const macs = Object.values(f.layerMacs).reduce((a, b) => a + b, 0);
  return { buffers, dramReads, dramWrites, onChipBytes, layerMacs: f.layerMacs, macs };
}

/** On-chip bytes and DRAM accesses of one buffer: the search's and the benchmark's inner loop. */
export function bufferTotals(
  f: SegmentFactors,
  b: BufferFactors,
  order: readonly number[],
  store: number,
  fill: number,
  elementBytes: number,
): { bytes: number; accesses: number } {
  const n = bufferNumbers(f, b, order, store, fill);
  return {
    bytes: storageElements(b.buffer.role, n.extents, b.kernelArea, b.hasBias) * elementBytes,
    accesses: n.accesses,
  };
}
