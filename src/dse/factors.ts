// Factor tables for single-layer segments: with the tile sizes fixed, every buffer's cost under any
// loop order and levels is a product of per-dimension numbers (docs/search-design.md). Computing those
// numbers once per tile choice turns each schedule's evaluation into a few multiplications; the
// results equal the cost model's (test/dse/factors.test.ts).

import type { ConvLayer } from '../ir/network.js';
import type { Dim } from '../model/cost.js';
import { lastLayerComputation, readDims, weightDims } from '../model/cost.js';
import type { BufferResult, SegmentResult } from '../model/result.js';
import { storageElements } from '../model/result.js';
import type { BufferLevels, ElementBytes, LoopName, SegmentSchedule, TileSizes } from '../model/schedule.js';
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

/** One buffer under an order and levels: its count, extents and bytes. */
export function bufferCost(
  f: SegmentFactors,
  b: BufferFactors,
  order: readonly LoopName[],
  lv: BufferLevels,
  elementBytes: ElementBytes,
): Omit<BufferResult, 'dramReads' | 'dramWrites'> {
  const fill = levelDepth(order, lv.fill);
  const store = levelDepth(order, lv.store);
  const depth = (l: LoopName) => order.indexOf(l) + 1;
  const reuse = (l: LoopName) => depth(l) > store && depth(l) <= fill;
  if (b.dims.some((d) => d.empty)) {
    return {
      id: b.buffer.id,
      role: b.buffer.role,
      tensor: b.buffer.tensor,
      extents: b.dims.map(() => 0),
      bytes: 0,
      filled: 0,
    };
  }
  let filled = 1;
  for (const d of b.dims) if (d.loop === null || depth(d.loop) > fill) filled *= d.hullCount;
  for (const l of loopNames) {
    if (depth(l) > fill) continue;
    const d = b.dims.find((x) => x.loop === l);
    if (d === undefined) filled *= reuse(l) ? 1 : f.trips[l];
    else filled *= reuse(l) ? d.sumFresh : d.sumAll;
  }
  // The outermost reuse loop that brings something back: dimensions below it keep their whole band.
  let outermost = 0;
  for (let k = store + 1; k <= fill && outermost === 0; k++) {
    const l = order[k - 1]!;
    if (f.trips[l] <= 1) continue;
    const along = b.dims.filter((d) => d.loop === l);
    if (along.length === 0 || along.some((d) => d.overlaps)) outermost = k;
  }
  const extents = b.dims.map((d) => {
    if (d.loop === null || depth(d.loop) > fill) return d.hullSpan;
    if (reuse(d.loop) && outermost > 0 && depth(d.loop) > outermost) return d.hullSpan;
    return d.maxSpan;
  });
  const bytes = storageElements(b.buffer.role, extents, b.kernelArea, b.hasBias) * elementBytes;
  return { id: b.buffer.id, role: b.buffer.role, tensor: b.buffer.tensor, extents, bytes, filled };
}

/** The cost of a whole single-layer segment schedule from its factor tables. */
export function costFromFactors(
  f: SegmentFactors,
  s: SegmentSchedule,
  elementBytes: ElementBytes,
): SegmentResult {
  const order = s.order;
  const zi = f.trips.zi;
  const buffers = f.buffers.map((b): BufferResult => {
    const lv = s.buffers[b.buffer.id]!;
    const r = bufferCost(f, b, order, lv, elementBytes);
    if (b.buffer.role !== 'output') return { ...r, dramReads: r.filled, dramWrites: 0 };
    const partial = levelDepth(order, 'zi') <= levelDepth(order, lv.store);
    return { ...r, dramReads: partial ? (r.filled / zi) * (zi - 1) : 0, dramWrites: r.filled };
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

const loopIndex: Record<LoopName, number> = { x: 0, y: 1, zo: 2, zi: 3 };

/**
 * On-chip bytes and DRAM accesses of one buffer, without building a result: the search's inner loop.
 * `order` gives loop indices (into loopNames) outermost first; store <= fill are depths 0..4.
 */
export function bufferTotals(
  f: SegmentFactors,
  b: BufferFactors,
  order: readonly number[],
  store: number,
  fill: number,
  elementBytes: number,
): { bytes: number; accesses: number } {
  let filled = 1;
  for (const d of b.dims) if (d.empty) return { bytes: 0, accesses: 0 };
  for (const d of b.dims) if (d.loop === null) filled *= d.hullCount;
  let outermost = 0;
  for (let k = 1; k <= 4; k++) {
    const li = order[k - 1]!;
    const d = b.byLoop[li];
    const trips = f.tripsByIndex[li]!;
    if (k > fill) {
      if (d !== undefined) filled *= d.hullCount;
    } else if (k > store) {
      filled *= d === undefined ? 1 : d.sumFresh;
      if (outermost === 0 && trips > 1 && (d === undefined || d.overlaps)) outermost = k;
    } else filled *= d === undefined ? trips : d.sumAll;
  }
  let elements = 1;
  let perOut = 1;
  b.dims.forEach((d, i) => {
    let e: number;
    if (d.loop === null) e = d.hullSpan;
    else {
      const k = order.indexOf(loopIndex[d.loop]) + 1;
      e = k > fill || (k > store && outermost > 0 && k > outermost) ? d.hullSpan : d.maxSpan;
    }
    if (b.buffer.role === 'weights') {
      if (i === 0) perOut = e;
      else elements = perOut * (e * b.kernelArea + (b.hasBias ? 1 : 0));
    } else elements *= e;
  });
  let accesses = filled;
  if (b.buffer.role === 'output') {
    const zi = f.tripsByIndex[3]!;
    if (order.indexOf(3) + 1 <= store) accesses += (filled / zi) * (zi - 1);
  }
  return { bytes: elements * elementBytes, accesses };
}
