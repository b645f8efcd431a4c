// The simulator: executes a segment schedule element by element, literally as the operational definition
// of docs/execution-model.md states it, and counts. It is the judge of the closed-form cost model, so it
// shares nothing with it but the data types: every window comes from forEachRead, box by box, and the
// storage sizes come from the spans it observes.
//
// It streams. The last layer's computations are generated in time order and pushed to the buffers they
// read. A buffer groups the computations by the prefix of their event at its fill level; when a group
// ends, the hull of its reads is the demand of that fill, and what of it is not present is loaded,
// brought in, or (an intermediate) computed by its producer: that computation is pushed in turn to the
// producer's buffers. Each buffer sees its fills in time order, so its presence state evolves exactly as
// in the loop nest. Memory is a few typed arrays per buffer, indexed by element (see
// `simulationBytes`), whatever the number of tile steps.

import type { Layer, Network, Shape } from '../ir/network.js';
import type { BufferResult, SegmentResult } from '../model/result.js';
import type { ElementBytes, Level, LoopName, SegmentSchedule } from '../model/schedule.js';
import type { Segment, SegmentBuffer } from '../model/segment.js';
import { checkSegmentSchedule } from '../model/validate.js';
import type { ReadBox, Reduction } from './reads.js';
import { forEachRead, macsPerElement, weightsSource } from './reads.js';
import type { Space } from './space.js';
import { activationSpace, weightSpace } from './space.js';

/** Bytes of simulator state per element of a buffer: first-present index, read mark, mark list. */
const bytesPerElement = 8 + 1 + 4;
/** Extra per element: an intermediate's list of new elements, the output's accumulated flags. */
const extraBytes = { input: 0, weights: 0, intermediate: 4, output: 1 } as const;

const emptyLo = 2 ** 31 - 1;
const emptyHi = -(2 ** 31);

/** Elements of the block-maximum index over a dimension's last-demanded fills. */
const block = 32;

export interface SimulateOptions {
  /** Called now and then with the element reads executed so far. */
  onProgress?: (reads: number) => void;
}

function bufferSpace(seg: Segment, b: SegmentBuffer): Space {
  const layer = seg.layers.find((l) => l.name === b.layer)!;
  if (b.role === 'weights' && layer.kind === 'conv')
    return weightSpace(layer, seg.shapes.get(layer.inputs[0]!)!.c);
  return activationSpace(seg.shapes.get(b.tensor)!);
}

/** The simulator's memory for a segment: bounded by the sizes of its buffers' tensors, not by tile steps. */
export function simulationBytes(seg: Segment): number {
  let n = 0;
  for (const b of seg.buffers) {
    const space = bufferSpace(seg, b);
    n += space.elements * (bytesPerElement + extraBytes[b.role]);
    for (const size of space.sizes) n += size * 3 * 8 + Math.ceil(size / block) * 8;
  }
  return n;
}

function depthOf(order: readonly LoopName[], level: Level): number {
  return level === 'root' ? 0 : order.indexOf(level) + 1;
}

/** Output elements of one computation: a box (the last layer's tile) or a list of element keys. */
interface Computation {
  layer: Layer;
  event: ArrayLike<number>;
  reduction: Reduction | undefined;
  box?: { c0: number; c1: number; y0: number; y1: number; x0: number; x1: number };
  keys?: { space: Space; list: Int32Array; length: number };
}

class BufferSim {
  readonly space: Space;
  /** Fill index at which each element became present in its store instance; -1 never. */
  private readonly first: Float64Array;
  private readonly marks: Uint8Array;
  private readonly marked: Int32Array;
  private nMarked = 0;
  private readonly accumulated: Uint8Array | undefined;
  readonly fresh: Int32Array | undefined;
  private open = false;
  private groupKey = -1;
  readonly groupEvent: Int32Array;
  /** Hull of the open group's reads, bounds half-open; empty while lo > hi. */
  private readonly lo = new Int32Array(4).fill(emptyLo);
  private readonly hi = new Int32Array(4).fill(emptyHi);
  private fills = 0;
  private storeKey = -1;
  private instanceStart = 0;
  /** Per dimension and coordinate: the last fill that demanded an element there (counted elements). */
  private readonly lastSeen: Float64Array[];
  private readonly lastSeenBlocks: Float64Array[];
  /** Per dimension and coordinate: scratch for the earliest first-present index within one fill. */
  private readonly earliest: Float64Array[];
  readonly spans = [0, 0, 0, 0];
  holdsBias = false;
  filled = 0;
  dramReads = 0;
  dramWrites = 0;

  constructor(
    readonly buffer: SegmentBuffer,
    space: Space,
    readonly store: number,
    readonly fill: number,
    private readonly keyOf: (event: ArrayLike<number>, depth: number) => number,
    /** Called with each fill's new elements of an intermediate: its producer computes them. */
    private readonly produce: (sim: BufferSim, count: number) => void,
  ) {
    this.space = space;
    this.first = new Float64Array(space.elements).fill(-1);
    this.marks = new Uint8Array(space.elements);
    this.marked = new Int32Array(space.elements);
    this.accumulated = buffer.role === 'output' ? new Uint8Array(space.elements) : undefined;
    this.fresh = buffer.role === 'intermediate' ? new Int32Array(space.elements) : undefined;
    this.groupEvent = new Int32Array(fill);
    this.lastSeen = space.sizes.map((n) => new Float64Array(n).fill(-1));
    this.lastSeenBlocks = space.sizes.map((n) => new Float64Array(Math.ceil(n / block)).fill(-1));
    this.earliest = space.sizes.map((n) => new Float64Array(n).fill(Infinity));
  }

  /** A consumer computation at `event` is about to read: ends the previous fill's group if it is over. */
  enter(event: ArrayLike<number>): void {
    const key = this.keyOf(event, this.fill);
    if (this.open && key === this.groupKey) return;
    this.close();
    this.open = true;
    this.groupKey = key;
    for (let d = 0; d < this.fill; d++) this.groupEvent[d] = event[d]!;
  }

  /** Elements [c0, c1) x [y0, y1) x [x0, x1) x [k0, k1) are read (or, for the output, written). */
  read(
    c0: number,
    c1: number,
    y0: number,
    y1: number,
    x0: number,
    x1: number,
    k0: number,
    k1: number,
  ): number {
    const { lo, hi, marks, marked } = this;
    if (c0 < lo[0]!) lo[0] = c0;
    if (y0 < lo[1]!) lo[1] = y0;
    if (x0 < lo[2]!) lo[2] = x0;
    if (k0 < lo[3]!) lo[3] = k0;
    if (c1 > hi[0]!) hi[0] = c1;
    if (y1 > hi[1]!) hi[1] = y1;
    if (x1 > hi[2]!) hi[2] = x1;
    if (k1 > hi[3]!) hi[3] = k1;
    const [, s1, s2, s3] = this.space.sizes;
    this.nMarked = mark(
      marks,
      marked,
      this.nMarked,
      s1,
      s2,
      s3,
      this.space.offset,
      c0,
      c1,
      y0,
      y1,
      x0,
      x1,
      k0,
      k1,
    );
    return (c1 - c0) * (y1 - y0) * (x1 - x0) * (k1 - k0);
  }

  /** The fill of the open group: demand = hull of its reads; the part not present becomes present. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    if (this.lo[0]! > this.hi[0]!) return; // nothing demanded: no fill
    const j = this.fills++;
    const storeKey = this.keyOf(this.groupEvent, this.store);
    if (j === 0 || storeKey !== this.storeKey) {
      this.storeKey = storeKey;
      this.instanceStart = j;
    }
    const { space, first, lo, hi, accumulated, fresh } = this;
    const [e0, e1, e2, e3] = this.earliest as [Float64Array, Float64Array, Float64Array, Float64Array];
    const [, s1, s2, s3] = space.sizes;
    const { offset, weights } = space;
    const start = this.instanceStart;
    let count = 0;
    let readBack = 0;
    for (let c = lo[0]!; c < hi[0]!; c++)
      for (let y = lo[1]!; y < hi[1]!; y++) {
        const bias = weights && y === -1;
        const row = (c * s1 + y + offset) * s2;
        // Earliest first-present index over the row's counted elements.
        let rowEarliest = Infinity;
        for (let x = lo[2]!; x < hi[2]!; x++)
          for (let k = lo[3]!; k < hi[3]!; k++) {
            if (bias && (x !== 0 || k !== 0)) continue; // no such element
            const key = (row + x) * s3 + k;
            let f = first[key]!;
            if (f < start) {
              f = j;
              first[key] = j;
              if (fresh) fresh[count] = key;
              count++;
              if (accumulated !== undefined && accumulated[key] === 1) readBack++;
            }
            if (bias) continue;
            if (f < rowEarliest) rowEarliest = f;
            if (f < e2[x]!) e2[x] = f;
            if (f < e3[k]!) e3[k] = f;
          }
        if (bias) this.holdsBias = true;
        if (rowEarliest < e0[c]!) e0[c] = rowEarliest;
        if (rowEarliest < e1[y + offset]!) e1[y + offset] = rowEarliest;
      }
    this.measureSpans(j);

    for (let m = 0; m < this.nMarked; m++) {
      const key = this.marked[m]!;
      if (first[key]! < this.instanceStart)
        throw new Error(
          `simulate: ${this.buffer.id} element ${key} is read at [${[...this.groupEvent].join(', ')}] but not present`,
        );
      this.marks[key] = 0;
      if (accumulated) accumulated[key] = 1;
    }
    this.nMarked = 0;

    this.filled += count;
    const role = this.buffer.role;
    if (role === 'input' || role === 'weights') this.dramReads += count;
    if (role === 'output') {
      this.dramWrites += count;
      this.dramReads += readBack;
    }
    lo.fill(emptyLo);
    hi.fill(emptyHi);
    if (fresh && count > 0) this.produce(this, count);
  }

  /**
   * Storage spans. An element is live from the fill that makes it present to the last fill of its store
   * instance that demands it; the span of a dimension is the largest distance between two elements live
   * at a common fill. Two elements' live intervals meet iff, when the later-ending one is demanded for
   * the last time, the other was demanded at or after the first fill of the later-ending one: so at each
   * fill, an element of the demand made present at fill f pairs with every coordinate demanded at or
   * after f (this fill included).
   */
  private measureSpans(j: number): void {
    const { space, lo, hi } = this;
    if (space.weights && hi[1]! <= 0) return; // only biases: nothing that counts
    for (let d = 0; d < 4; d++) {
      // Coordinates of counted elements (the bias row is not).
      const a = d === 1 ? Math.max(lo[1]!, 0) + space.offset : lo[d]!;
      const b = d === 1 ? hi[1]! + space.offset : hi[d]!;
      if (a >= b) continue;
      const seen = this.lastSeen[d]!;
      const blocks = this.lastSeenBlocks[d]!;
      const earliest = this.earliest[d]!;
      seen.fill(j, a, b);
      blocks.fill(j, Math.floor(a / block), Math.floor((b - 1) / block) + 1);
      for (let u = a; u < b; u++) {
        const t = earliest[u]!;
        earliest[u] = Infinity;
        const top = lastAtLeast(seen, blocks, t, -1);
        const bottom = lastAtLeast(seen, blocks, t, 1);
        this.spans[d] = Math.max(this.spans[d]!, top - u + 1, u - bottom + 1);
      }
    }
  }
}

/**
 * Marks the elements of a box (keys row-major over sizes [_, s1, s2, s3], coordinate 1 shifted by
 * `offset`) and lists the newly marked ones after the first n; returns the new length of the list. A
 * function of its own so that its loops are optimised apart from the buffer's bookkeeping.
 */
function mark(
  marks: Uint8Array,
  marked: Int32Array,
  n: number,
  s1: number,
  s2: number,
  s3: number,
  offset: number,
  c0: number,
  c1: number,
  y0: number,
  y1: number,
  x0: number,
  x1: number,
  k0: number,
  k1: number,
): number {
  for (let c = c0; c < c1; c++)
    for (let y = y0; y < y1; y++) {
      const row = (c * s1 + y + offset) * s2;
      for (let x = x0; x < x1; x++) {
        const base = (row + x) * s3;
        for (let key = base + k0; key < base + k1; key++)
          if (marks[key] === 0) {
            marks[key] = 1;
            marked[n++] = key;
          }
      }
    }
  return n;
}

/** The highest (step -1) or lowest (step 1) coordinate whose last demand is at fill `t` or later. */
function lastAtLeast(seen: Float64Array, blocks: Float64Array, t: number, step: 1 | -1): number {
  const nb = blocks.length;
  for (let i = step === 1 ? 0 : nb - 1; i >= 0 && i < nb; i += step) {
    if (blocks[i]! < t) continue;
    const start = step === 1 ? i * block : Math.min(seen.length, (i + 1) * block) - 1;
    for (let v = start; ; v += step) if (seen[v]! >= t) return v;
  }
  throw new Error('simulate: a demanded coordinate is missing from the span index');
}

/**
 * Executes one segment schedule element by element and measures DRAM traffic, buffer sizes and MACs.
 * Throws InputError for an invalid schedule, and Error if a computation would read an element that
 * is not on chip (a bug in the semantics, never in the input).
 */
export function simulateSegment(
  net: Network,
  seg: Segment,
  s: SegmentSchedule,
  elementBytes: ElementBytes,
  options: SimulateOptions = {},
): SegmentResult {
  checkSegmentSchedule(seg, s, 'segment');
  const inside = new Set(seg.layers.map((l) => l.name));
  for (const l of seg.layers)
    if (!net.layers.includes(l))
      throw new Error(`simulate: layer '${l.name}' is not part of network '${net.name}'`);
  const shape = (t: string): Shape => seg.shapes.get(t)!;
  const inputShapes = new Map(seg.layers.map((l) => [l.name, l.inputs.map(shape)]));

  const counts = s.order.map((l) => Math.ceil(seg.dims[l] / s.tile[l]));
  const keyOf = (event: ArrayLike<number>, depth: number): number => {
    let key = 0;
    for (let d = 0; d < depth; d++) key = key * counts[d]! + event[d]!;
    return key;
  };

  const layerMacs: Record<string, number> = {};
  for (const l of seg.layers) layerMacs[l.name] = 0;
  let reads = 0;
  let reported = 0;
  const progressStep = 1 << 22;

  const sims = new Map<string, BufferSim>();
  const produce = (sim: BufferSim, count: number): void => {
    const producer = seg.layers.find((l) => l.name === sim.buffer.layer)!;
    compute({
      layer: producer,
      event: sim.groupEvent,
      reduction: undefined,
      keys: { space: sim.space, list: sim.fresh!, length: count },
    });
  };
  for (const b of seg.buffers) {
    const levels = s.buffers[b.id]!;
    sims.set(
      b.id,
      new BufferSim(
        b,
        bufferSpace(seg, b),
        depthOf(s.order, levels.store),
        depthOf(s.order, levels.fill),
        keyOf,
        produce,
      ),
    );
  }

  // Per layer, the buffer each read source lands in (index source + 1; 0 the weights).
  const sourceSims = new Map<string, BufferSim[]>();
  for (const l of seg.layers) {
    const list: BufferSim[] = [];
    const weights = seg.buffers.find((b) => b.role === 'weights' && b.layer === l.name);
    if (weights) list[0] = sims.get(weights.id)!;
    l.inputs.forEach((t, k) => {
      const b = inside.has(t)
        ? seg.buffers.find((x) => x.role === 'intermediate' && x.tensor === t)
        : seg.buffers.find((x) => x.role === 'input' && x.tensor === t && x.layer === l.name);
      list[k + 1] = sims.get(b!.id)!;
    });
    sourceSims.set(l.name, list);
  }
  const readers = new Map<string, ReadBox>();
  for (const l of seg.layers) {
    const list = sourceSims.get(l.name)!;
    readers.set(l.name, (source, c0, c1, y0, y1, x0, x1, k0, k1) => {
      reads += list[source - weightsSource]!.read(c0, c1, y0, y1, x0, x1, k0, k1);
    });
  }
  const output = sims.get(seg.buffers.find((b) => b.role === 'output')!.id)!;

  function compute(comp: Computation): void {
    const { layer, event, reduction } = comp;
    const targets = sourceSims.get(layer.name)!;
    for (const sim of new Set(targets)) if (sim) sim.enter(event);
    const ins = inputShapes.get(layer.name)!;
    const read = readers.get(layer.name)!;
    let elements = 0;
    if (comp.box) {
      const { c0, c1, y0, y1, x0, x1 } = comp.box;
      for (let c = c0; c < c1; c++)
        for (let y = y0; y < y1; y++)
          for (let x = x0; x < x1; x++) forEachRead(layer, ins, c, y, x, reduction, read);
      elements = (c1 - c0) * (y1 - y0) * (x1 - x0);
    } else if (comp.keys) {
      const { space, list, length } = comp.keys;
      const [, h, w] = space.sizes;
      for (let m = 0; m < length; m++) {
        const key = list[m]!;
        forEachRead(layer, ins, Math.floor(key / (h * w)), Math.floor(key / w) % h, key % w, reduction, read);
      }
      elements = length;
    }
    layerMacs[layer.name]! += elements * macsPerElement(layer, ins, reduction);
  }

  // The loop nest, innermost events in execution (lexicographic) order.
  const last = seg.last;
  const event = new Int32Array(4);
  const range = (loop: LoopName): [number, number] => {
    const i = event[s.order.indexOf(loop)]!;
    const t = s.tile[loop];
    return [i * t, Math.min((i + 1) * t, seg.dims[loop])];
  };
  const total = counts.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (let d = 3; d >= 0; d--) {
      event[d] = rest % counts[d]!;
      rest = Math.floor(rest / counts[d]!);
    }
    const [x0, x1] = range('x');
    const [y0, y1] = range('y');
    const [c0, c1] = range('zo');
    const [lo, hi] = range('zi');
    output.enter(event);
    output.read(c0, c1, y0, y1, x0, x1, 0, 1);
    compute({ layer: last, event, reduction: { lo, hi }, box: { c0, c1, y0, y1, x0, x1 } });
    if (options.onProgress && reads - reported >= progressStep) {
      reported = reads;
      options.onProgress(reads);
    }
  }
  // The groups still open end with the loop nest, consumers before producers.
  output.close();
  for (const l of [...seg.layers].reverse()) for (const sim of sourceSims.get(l.name)!) sim?.close();
  options.onProgress?.(reads);

  const buffers: BufferResult[] = seg.buffers.map((b) => {
    const sim = sims.get(b.id)!;
    const [e0, e1, e2, e3] = sim.spans as [number, number, number, number];
    // A weights box holds per output channel its input channels' taps and, if it ever held one, a bias.
    const elements = sim.space.weights ? e0 * (e1 * e2 * e3 + (sim.holdsBias ? 1 : 0)) : e0 * e1 * e2 * e3;
    return {
      id: b.id,
      role: b.role,
      tensor: b.tensor,
      extents: sim.spans.slice(0, sim.space.extentDims),
      bytes: elements * elementBytes,
      filled: sim.filled,
      dramReads: sim.dramReads,
      dramWrites: sim.dramWrites,
    };
  });
  return {
    buffers,
    dramReads: buffers.reduce((n, b) => n + b.dramReads, 0),
    dramWrites: buffers.reduce((n, b) => n + b.dramWrites, 0),
    onChipBytes: buffers.reduce((n, b) => n + b.bytes, 0),
    layerMacs,
    macs: Object.values(layerMacs).reduce((n, m) => n + m, 0),
  };
}
