// The cost of a segment schedule: DRAM reads and writes per buffer, buffer sizes, MACs. Closed form:
// every tensor dimension follows at most one tile loop, so each count is a product over loops of
// per-dimension sums over that loop's tiles (docs/execution-model.md gives the semantics; the simulator
// in src/simulate/ executes them element by element and must agree exactly).

import type { ConvLayer, Layer, Shape } from '../ir/network.js';
import type { BufferResult, SegmentResult } from './result.js';
import { storageElements } from './result.js';
import type { ElementBytes, LoopName, SegmentSchedule } from './schedule.js';
import { levelDepth, loopNames } from './schedule.js';
import type { Segment, SegmentBuffer } from './segment.js';
import { inputBufferId, weightsBufferId } from './segment.js';
import type { Interval } from './windows.js';
import { channelWindow, empty, hull, isEmpty, span, spatialWindow } from './windows.js';

/** One dimension of a region: an interval per iteration of `loop`, or a single interval (loop null). */
interface Dim {
  loop: LoopName | null;
  seq: Interval[];
}

/**
 * A box per event: empty unless every loop in `gate` is at its first iteration. The first `coords`
 * dims are the tensor's coordinates; any further dims are presence flags ([0, 1) or empty) that carry
 * where the computation behind the region is empty along loops the coordinates do not follow.
 */
interface Region {
  gate: Set<LoopName>;
  dims: Dim[];
  coords: number;
}

/** What a layer computes at its events: output channels, rows, columns, and the reduction slice. */
interface Computation {
  depth: number;
  gate: Set<LoopName>;
  c: Dim;
  y: Dim;
  x: Dim;
  red: Dim;
  presence: Dim[];
}

/** Elements counted for an interval of one dimension (weights' input channels carry kernel taps and bias). */
type Count = (i: Interval) => number;

const length: Count = span;

function weightInputCount(kernelArea: number, hasBias: boolean): Count {
  return (i) =>
    span({ lo: Math.max(0, i.lo), hi: i.hi }) * kernelArea + (hasBias && i.lo < 0 && i.hi > -1 ? 1 : 0);
}

function constant(i: Interval): Dim {
  return { loop: null, seq: [i] };
}

function mapDim(d: Dim, f: (i: Interval) => Interval): Dim {
  return { loop: d.loop, seq: d.seq.map((i) => (isEmpty(i) ? empty : f(i))) };
}

/** Combines two dims following the same loop (or none) element-wise. */
function zipDims(a: Dim, b: Dim, f: (x: Interval, y: Interval) => Interval): Dim {
  if (a.loop !== null && b.loop !== null && a.loop !== b.loop)
    throw new Error(`internal: a dimension would follow two loops (${a.loop}, ${b.loop})`);
  const loop = a.loop ?? b.loop;
  const n = Math.max(a.seq.length, b.seq.length);
  const seq: Interval[] = [];
  for (let v = 0; v < n; v++) seq.push(f(a.seq[a.loop === null ? 0 : v]!, b.seq[b.loop === null ? 0 : v]!));
  return { loop, seq };
}

function seqHull(seq: Interval[]): Interval {
  return seq.reduce(hull, empty);
}

/** What a computation reads (`coords`, derived from it), emptied wherever the computation is empty. */
function readRegion(coords: Dim[], comp: Computation): Region {
  const dims = [...coords];
  const presence: Dim[] = [];
  for (const d of [comp.c, comp.y, comp.x, comp.red, ...comp.presence]) {
    if (!d.seq.some(isEmpty)) continue;
    const k = d.loop === null ? -1 : dims.findIndex((r) => r.loop === d.loop);
    if (k >= 0) dims[k] = zipDims(dims[k]!, d, (r, g) => (isEmpty(g) ? empty : r));
    else presence.push(mapDim(d, () => ({ lo: 0, hi: 1 })));
  }
  return { gate: comp.gate, dims: [...dims, ...presence], coords: coords.length };
}

export class SegmentModel {
  private readonly depth: Record<LoopName, number>;
  private readonly trips: Record<LoopName, number>;
  private readonly results = new Map<string, BufferResult>();
  private readonly layerMacs: Record<string, number> = {};
  private readonly byName: Map<string, Layer>;

  constructor(
    private readonly seg: Segment,
    private readonly s: SegmentSchedule,
    private readonly elementBytes: ElementBytes,
  ) {
    this.depth = { x: 0, y: 0, zo: 0, zi: 0 };
    this.trips = { x: 0, y: 0, zo: 0, zi: 0 };
    for (const l of loopNames) {
      this.depth[l] = levelDepth(s.order, l);
      this.trips[l] = Math.ceil(seg.dims[l] / s.tile[l]);
    }
    this.byName = new Map(seg.layers.map((l) => [l.name, l]));
  }

  run(): SegmentResult {
    const last = this.seg.last;
    const tiles = (l: LoopName): Dim => {
      const t = this.s.tile[l];
      const d = this.seg.dims[l];
      // A loop of one iteration changes nothing: its dimensions are constant.
      if (this.trips[l] === 1) return constant({ lo: 0, hi: d });
      return {
        loop: l,
        seq: Array.from({ length: this.trips[l] }, (_, v) => ({ lo: v * t, hi: Math.min((v + 1) * t, d) })),
      };
    };
    const comp: Computation = {
      depth: 4,
      gate: new Set(),
      c: tiles('zo'),
      y: tiles('y'),
      x: tiles('x'),
      red: tiles('zi'),
      presence: [],
    };
    const out = this.evalBuffer(this.bufferOf(last.name), readRegion([comp.c, comp.y, comp.x], comp), [
      length,
      length,
      length,
    ]).result;
    // Partial sums come back only when the reduction loop runs outside the store level.
    const zi = this.trips.zi;
    const levels = this.s.buffers[last.name]!;
    const outReads =
      this.depth.zi <= levelDepth(this.s.order, levels.store) ? (out.filled / zi) * (zi - 1) : 0;
    this.results.set(last.name, { ...out, dramReads: outReads, dramWrites: out.filled });
    this.computeLayer(last, comp);
    const buffers = this.seg.buffers.map((b) => this.results.get(b.id)!);
    const sum = (f: (b: BufferResult) => number) => buffers.reduce((n, b) => n + f(b), 0);
    return {
      buffers,
      dramReads: sum((b) => b.dramReads),
      dramWrites: sum((b) => b.dramWrites),
      onChipBytes: sum((b) => b.bytes),
      layerMacs: Object.fromEntries(this.seg.layers.map((l) => [l.name, this.layerMacs[l.name]!])),
      macs: Object.values(this.layerMacs).reduce((a, b) => a + b, 0),
    };
  }

  private bufferOf(id: string): SegmentBuffer {
    return this.seg.buffers.find((b) => b.id === id)!;
  }

  private inputShapes(layer: Layer): Shape[] {
    return layer.inputs.map((t) => this.seg.shapes.get(t)!);
  }

  /** Accounts for `layer` computing `comp`: its MACs, then the buffers it reads, producers recursively. */
  private computeLayer(layer: Layer, comp: Computation): void {
    const ins = this.inputShapes(layer);
    const computed = this.countRegion(
      { gate: comp.gate, dims: [comp.c, comp.y, comp.x, comp.red, ...comp.presence], coords: 4 },
      comp.depth,
    );
    this.layerMacs[layer.name] = layer.kind === 'conv' ? computed * layer.kernel[0] * layer.kernel[1] : 0;
    for (const tensor of new Set(layer.inputs)) {
      // A tensor read through several operands (add(x, x)) is one buffer holding the hull of both.
      let read: Dim[] | undefined;
      layer.inputs.forEach((t, slot) => {
        if (t !== tensor) return;
        const dims = [
          this.channelDim(layer, slot, comp, ins),
          mapDim(comp.y, (i) => spatialWindow(layer, slot, 'y', i, ins[slot]!)),
          mapDim(comp.x, (i) => spatialWindow(layer, slot, 'x', i, ins[slot]!)),
        ];
        read = read === undefined ? dims : read.map((d, k) => zipDims(d, dims[k]!, hull));
      });
      const reads = readRegion(read!, comp);
      const producer = this.byName.get(tensor);
      if (producer === undefined) {
        const id = inputBufferId(tensor, layer.name);
        const { result } = this.evalBuffer(this.bufferOf(id), reads, [length, length, length]);
        this.results.set(id, { ...result, dramReads: result.filled, dramWrites: 0 });
        continue;
      }
      const r = this.evalBuffer(this.bufferOf(tensor), reads, [length, length, length]);
      this.results.set(tensor, { ...r.result, dramReads: 0, dramWrites: 0 });
      const cin = this.inputShapes(producer)[0]!.c;
      const perGroup = producer.kind === 'conv' ? cin / producer.groups : 1;
      const [c, y, x, ...presence] = r.fresh.dims as [Dim, Dim, Dim, ...Dim[]];
      this.computeLayer(producer, {
        depth: r.depth,
        gate: r.fresh.gate,
        c,
        y,
        x,
        red: constant({ lo: 0, hi: perGroup }),
        presence,
      });
    }
    if (layer.kind === 'conv') this.weights(layer, comp);
  }

  private channelDim(layer: Layer, slot: number, comp: Computation, ins: Shape[]): Dim {
    const all = { lo: 0, hi: 1 };
    // Without groups every output channel reads the same inputs: only the reduction slice matters.
    if (layer.kind === 'conv' && layer.groups === 1)
      return mapDim(comp.red, (r) => channelWindow(layer, slot, all, r, ins));
    if (layer.kind !== 'conv') return mapDim(comp.c, (c) => channelWindow(layer, slot, c, all, ins));
    // Grouped: the output channels pick the groups; the reduction is whole (checked), so constant.
    return zipDims(comp.c, comp.red, (c, r) => channelWindow(layer, slot, c, r, ins));
  }

  private weights(layer: ConvLayer, comp: Computation): void {
    const id = weightsBufferId(layer.name);
    const withBias = (r: Interval) => (layer.hasBias && r.lo === 0 && !isEmpty(r) ? { lo: -1, hi: r.hi } : r);
    const region = readRegion([comp.c, mapDim(comp.red, withBias)], comp);
    const area = layer.kernel[0] * layer.kernel[1];
    const { result } = this.evalBuffer(
      this.bufferOf(id),
      region,
      [length, weightInputCount(area, layer.hasBias)],
      area,
      layer.hasBias,
    );
    this.results.set(id, { ...result, dramReads: result.filled, dramWrites: 0 });
  }

  /** Sum over the events at `depth` of the region's element count (loops past depth are unioned). */
  private countRegion(region: Region, depth: number, coordCounts: Count[] = []): number {
    const counts = region.dims.map((_, k) => coordCounts[k] ?? length);
    let total = 1;
    const byLoop = new Map<LoopName, number[]>();
    region.dims.forEach((d, k) => {
      if (d.loop === null) total *= counts[k]!(d.seq[0]!);
      else byLoop.set(d.loop, [...(byLoop.get(d.loop) ?? []), k]);
    });
    for (const l of loopNames) {
      if (this.depth[l] > depth) continue;
      const ks = byLoop.get(l) ?? [];
      const at = (v: number) => ks.reduce((p, k) => p * counts[k]!(region.dims[k]!.seq[v]!), 1);
      if (region.gate.has(l)) total *= at(0);
      else if (ks.length === 0) total *= this.trips[l];
      else {
        let sum = 0;
        for (let v = 0; v < this.trips[l]; v++) sum += at(v);
        total *= sum;
      }
    }
    return total;
  }

  /**
   * A buffer filled with `reads` (its consumer's reads, at the consumer's events): its demand at the
   * fill level, what is new at each fill (given reuse since the store level), the count, the storage.
   */
  private evalBuffer(
    b: SegmentBuffer,
    reads: Region,
    counts: Count[],
    kernelArea = 1,
    hasBias = false,
  ): { result: Omit<BufferResult, 'dramReads' | 'dramWrites'>; fresh: Region; depth: number } {
    const lv = this.s.buffers[b.id]!;
    const fill = levelDepth(this.s.order, lv.fill);
    const store = levelDepth(this.s.order, lv.store);
    // Demand at the fill level: loops inside it are covered by one fill, so their intervals merge.
    const gate = new Set([...reads.gate].filter((l) => this.depth[l] <= fill));
    const dims: Dim[] = reads.dims.map((d) =>
      d.loop !== null && this.depth[d.loop] > fill ? constant(seqHull(d.seq)) : d,
    );
    const reuse = (l: LoopName) => this.depth[l] > store && this.depth[l] <= fill;
    // New at each fill: along a reuse loop, what earlier iterations of it did not already bring.
    const freshDims = dims.map((d) => {
      if (d.loop === null || !reuse(d.loop)) return d;
      let seen = Number.NEGATIVE_INFINITY;
      let seenLo = Number.NEGATIVE_INFINITY;
      return {
        loop: d.loop,
        seq: d.seq.map((i) => {
          if (isEmpty(i)) return empty;
          if (i.lo < seenLo) throw new Error(`internal: non-monotone demand in buffer '${b.id}'`);
          const n = { lo: Math.max(i.lo, seen), hi: i.hi };
          seen = Math.max(seen, i.hi);
          seenLo = i.lo;
          return isEmpty(n) ? empty : n;
        }),
      };
    });
    const dependent = new Set(dims.map((d) => d.loop).filter((l): l is LoopName => l !== null));
    const freshGate = new Set(gate);
    for (const l of loopNames) if (reuse(l) && !dependent.has(l)) freshGate.add(l);
    const fresh: Region = { gate: freshGate, dims: freshDims, coords: reads.coords };
    const filled = this.countRegion(fresh, fill, counts);
    // Storage: the largest demand per dimension, but the whole band along reuse loops below the
    // outermost reuse loop that brings something back (it repeats its body, or its consecutive windows
    // overlap): those bands are needed again on its next iteration.
    const overlaps = (d: Dim) => {
      let prevHi = Number.NEGATIVE_INFINITY;
      for (const i of d.seq) {
        if (isEmpty(i)) continue;
        if (i.lo < prevHi) return true;
        prevHi = i.hi;
      }
      return false;
    };
    const outermostReuse = loopNames
      .filter((l) => reuse(l) && !gate.has(l) && this.trips[l] > 1)
      .sort((a, b2) => this.depth[a] - this.depth[b2])
      .find((l) => {
        const along = dims.filter((d) => d.loop === l);
        return along.length === 0 || along.some(overlaps);
      });
    const realSpan = (k: number, i: Interval) =>
      b.role === 'weights' && k === 1 ? span({ lo: Math.max(0, i.lo), hi: i.hi }) : span(i);
    const anyEmpty = dims.some((d) => d.seq.every(isEmpty));
    const extents = dims.slice(0, reads.coords).map((d, k) => {
      if (anyEmpty) return 0;
      const below =
        outermostReuse !== undefined && d.loop !== null && this.depth[d.loop] > this.depth[outermostReuse];
      if (d.loop !== null && reuse(d.loop) && below) return realSpan(k, seqHull(d.seq));
      return Math.max(0, ...d.seq.map((i) => realSpan(k, i)));
    });
    const bytes = storageElements(b.role, extents, kernelArea, hasBias) * this.elementBytes;
    const result = { id: b.id, role: b.role, tensor: b.tensor, extents, bytes, filled };
    return { result, fresh, depth: fill };
  }
}

/** Predicted DRAM traffic, on-chip bytes and MACs of one segment schedule (assumed checked). */
export function segmentCost(seg: Segment, s: SegmentSchedule, elementBytes: ElementBytes): SegmentResult {
  return new SegmentModel(seg, s, elementBytes).run();
}
