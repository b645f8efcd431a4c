// The simulator: executes a segment schedule element by element, literally as the operational definition
// of docs/execution-model.md states it, and counts. It is the judge of the closed-form cost model, so it
// shares nothing with it but the data types: every window comes from forEachRead, tap by tap.
//
// Two passes. The plan walks the buffers consumer before producer: a buffer's demand at a fill event
// depends on what its consumer computes later, and an intermediate's new elements are its producer's
// computations. The run then replays every fill and computation in time order, checks that each read
// element is present, and counts.

import type { Layer, Network, Shape } from '../ir/network.js';
import { weightsShape } from '../ir/network.js';
import type { BufferResult, SegmentResult } from '../model/result.js';
import { storageElements } from '../model/result.js';
import type { ElementBytes, LoopName, SegmentSchedule } from '../model/schedule.js';
import { levelDepth } from '../model/schedule.js';
import type { Segment, SegmentBuffer } from '../model/segment.js';
import { inputBufferId, weightsBufferId } from '../model/segment.js';
import { checkSegmentSchedule } from '../model/validate.js';
import type { Coords, Reduction } from './reads.js';
import { forEachRead, macsPerElement, weightsSource } from './reads.js';
import type { Box, Space } from './space.js';
import { activationSpace, boxElements, decode, encode, extendBox, weightSpace } from './space.js';

/** One computation of a layer: the output elements it produces at one event. */
interface Computation {
  layer: Layer;
  /** Index tuple of the event (its length is the layer's compute depth). */
  event: number[];
  /** Output elements [c, y, x]. */
  elements: Coords[];
  /** The last layer's zi slice; intermediates reduce over everything at once. */
  reduction?: Reduction;
  /** Elements read, per buffer id (computed once). */
  reads?: Map<string, Coords[]>;
}

/** One fill of a buffer: the demand box at a fill event and what of it was not present. */
interface Fill {
  event: number[];
  box: Box;
  /** Keys of the box's elements. */
  demand: number[];
  /** Keys of the elements not present before (loaded, computed or brought in). */
  fresh: number[];
  /** For an intermediate: its producer's computation of `fresh`. */
  computation?: Computation;
}

interface BufferState {
  buffer: SegmentBuffer;
  space: Space;
  store: number;
  fill: number;
  fills: Fill[];
}

/** Every index tuple of the four tile loops, in execution (lexicographic) order. */
function innermostEvents(seg: Segment, s: SegmentSchedule): number[][] {
  const counts = s.order.map((l) => Math.ceil(seg.dims[l] / s.tile[l]));
  const events: number[][] = [];
  const walk = (prefix: number[]): void => {
    if (prefix.length === counts.length) {
      events.push(prefix);
      return;
    }
    for (let i = 0; i < counts[prefix.length]!; i++) walk([...prefix, i]);
  };
  walk([]);
  return events;
}

/** The range [lo, hi) of tile loop `loop` at an innermost event. */
function tileRange(seg: Segment, s: SegmentSchedule, event: number[], loop: LoopName): [number, number] {
  const i = event[s.order.indexOf(loop)]!;
  const t = s.tile[loop];
  return [i * t, Math.min((i + 1) * t, seg.dims[loop])];
}

function lastLayerComputations(seg: Segment, s: SegmentSchedule): Computation[] {
  return innermostEvents(seg, s).map((event) => {
    const [x0, x1] = tileRange(seg, s, event, 'x');
    const [y0, y1] = tileRange(seg, s, event, 'y');
    const [c0, c1] = tileRange(seg, s, event, 'zo');
    const [lo, hi] = tileRange(seg, s, event, 'zi');
    const elements: Coords[] = [];
    for (let c = c0; c < c1; c++)
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) elements.push([c, y, x]);
    return { layer: seg.last, event, elements, reduction: { lo, hi } };
  });
}

function prefixKey(event: number[], depth: number): string {
  return event.slice(0, depth).join(',');
}

/**
 * Demand and new elements of a buffer at each of its fill events. `reads` gives the elements of the
 * buffer a consumer computation reads; computations come in time order, so fill events do too.
 */
function planFills(state: BufferState, consumers: Computation[], reads: (c: Computation) => Coords[]): void {
  const boxes = new Map<string, { event: number[]; box: Box | undefined }>();
  for (const comp of consumers) {
    const key = prefixKey(comp.event, state.fill);
    let entry = boxes.get(key);
    if (!entry) {
      entry = { event: comp.event.slice(0, state.fill), box: undefined };
      boxes.set(key, entry);
    }
    for (const coords of reads(comp)) entry.box = extendBox(entry.box, coords);
  }
  let present = new Set<number>();
  let store: string | undefined;
  for (const { event, box } of boxes.values()) {
    if (!box) continue; // nothing demanded here
    const storeKey = prefixKey(event, state.store);
    if (storeKey !== store) {
      present = new Set();
      store = storeKey;
    }
    const demand = boxElements(state.space, box);
    const fresh = demand.filter((k) => !present.has(k));
    for (const k of demand) present.add(k);
    state.fills.push({ event, box, demand, fresh });
  }
}

/**
 * Storage extents: per dimension, the largest span over the fill events of the live set (the demand
 * plus the present elements that a later fill of the same store instance demands again).
 */
function storageExtents(state: BufferState): number[] {
  const { space } = state;
  const dims = space.extentDims;
  const extents = new Array<number>(dims).fill(0);
  const instances = new Map<string, Fill[]>();
  for (const f of state.fills) {
    const key = prefixKey(f.event, state.store);
    let list = instances.get(key);
    if (!list) {
      list = [];
      instances.set(key, list);
    }
    list.push(f);
  }
  for (const fills of instances.values()) {
    const lo = fills.map(() => new Array<number>(dims).fill(Infinity));
    const hi = fills.map(() => new Array<number>(dims).fill(-Infinity));
    const include = (j: number, coords: Coords): void => {
      if (!space.counts(coords)) return;
      for (let d = 0; d < dims; d++) {
        lo[j]![d] = Math.min(lo[j]![d]!, coords[d]!);
        hi[j]![d] = Math.max(hi[j]![d]!, coords[d]!);
      }
    };
    const first = new Map<number, number>();
    const last = new Map<number, number>();
    fills.forEach((f, j) => {
      for (const k of f.demand) {
        include(j, decode(space, k));
        if (!first.has(k)) first.set(k, j);
        last.set(k, j);
      }
    });
    // Present at fill j and demanded again later: first demanded before j, last after j.
    for (const [k, j0] of first) {
      const coords = decode(space, k);
      for (let j = j0 + 1; j < last.get(k)!; j++) include(j, coords);
    }
    fills.forEach((_, j) => {
      for (let d = 0; d < dims; d++)
        if (hi[j]![d]! >= lo[j]![d]!) extents[d] = Math.max(extents[d]!, hi[j]![d]! - lo[j]![d]! + 1);
    });
  }
  return extents;
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
): SegmentResult {
  checkSegmentSchedule(seg, s, 'segment');
  const inside = new Set(seg.layers.map((l) => l.name));
  for (const l of seg.layers)
    if (!net.layers.includes(l))
      throw new Error(`simulate: layer '${l.name}' is not part of network '${net.name}'`);
  const shape = (t: string): Shape => seg.shapes.get(t)!;
  const inputShapes = (l: Layer): Shape[] => l.inputs.map(shape);

  const bufferOf = (l: Layer, source: number): string => {
    if (source === weightsSource) return weightsBufferId(l.name);
    const t = l.inputs[source]!;
    return inside.has(t) ? t : inputBufferId(t, l.name);
  };
  const readsOf = (comp: Computation): Map<string, Coords[]> => {
    if (!comp.reads) {
      const reads = new Map<string, Coords[]>();
      const ins = inputShapes(comp.layer);
      for (const out of comp.elements)
        forEachRead(comp.layer, ins, out, comp.reduction, (source, coords) => {
          const id = bufferOf(comp.layer, source);
          let list = reads.get(id);
          if (!list) {
            list = [];
            reads.set(id, list);
          }
          list.push(coords);
        });
      comp.reads = reads;
    }
    return comp.reads;
  };

  const states = new Map<string, BufferState>();
  for (const b of seg.buffers) {
    const layer = seg.layers.find((l) => l.name === b.layer)!;
    const w = b.role === 'weights' ? weightsShape(layer, shape(layer.inputs[0]!).c) : undefined;
    const space = w ? weightSpace(w) : activationSpace(shape(b.tensor));
    const levels = s.buffers[b.id]!;
    states.set(b.id, {
      buffer: b,
      space,
      store: levelDepth(s.order, levels.store),
      fill: levelDepth(s.order, levels.fill),
      fills: [],
    });
  }

  // Plan, consumer before producer.
  const computations = new Map<string, Computation[]>();
  const lastComputations = lastLayerComputations(seg, s);
  computations.set(seg.last.name, lastComputations);
  planFills(states.get(seg.last.name)!, lastComputations, (c) => c.elements);
  for (const consumer of [...seg.layers].reverse()) {
    const comps = computations.get(consumer.name)!;
    for (const state of states.values()) {
      const b = state.buffer;
      const read =
        b.role === 'intermediate'
          ? consumer.inputs.includes(b.tensor)
          : b.role !== 'output' && b.layer === consumer.name;
      if (!read) continue;
      planFills(state, comps, (c) => readsOf(c).get(b.id) ?? []);
      if (b.role !== 'intermediate') continue;
      const producer = seg.layers.find((l) => l.name === b.layer)!;
      const made: Computation[] = [];
      for (const f of state.fills) {
        if (f.fresh.length === 0) continue;
        f.computation = {
          layer: producer,
          event: f.event,
          elements: f.fresh.map((k) => decode(state.space, k)),
        };
        made.push(f.computation);
      }
      computations.set(producer.name, made);
    }
  }

  // Run: every fill and computation in time order; at one event fills come first, producers before
  // consumers (seg.buffers order), then the last layer's computation.
  interface Action {
    event: number[];
    rank: number;
    run: () => void;
  }
  const actions: Action[] = [];
  const present = new Map<string, Set<number>>();
  const storeOf = new Map<string, string>();
  const counts = new Map<string, { filled: number; dramReads: number; dramWrites: number }>();
  const layerMacs: Record<string, number> = {};
  for (const l of seg.layers) layerMacs[l.name] = 0;
  // Output elements some reduction tile has already accumulated into.
  const accumulated = new Set<number>();

  const compute = (comp: Computation): void => {
    for (const [id, list] of readsOf(comp)) {
      const state = states.get(id)!;
      const held = present.get(id);
      for (const coords of list)
        if (!held?.has(encode(state.space, coords)))
          throw new Error(
            `simulate: '${comp.layer.name}' at event [${comp.event.join(', ')}] reads ${id}[${coords.join(', ')}], which is not present`,
          );
    }
    layerMacs[comp.layer.name]! +=
      comp.elements.length * macsPerElement(comp.layer, inputShapes(comp.layer), comp.reduction);
  };

  seg.buffers.forEach((b, rank) => {
    const state = states.get(b.id)!;
    const count = { filled: 0, dramReads: 0, dramWrites: 0 };
    counts.set(b.id, count);
    for (const f of state.fills)
      actions.push({
        event: f.event,
        rank,
        run: () => {
          const storeKey = prefixKey(f.event, state.store);
          if (storeOf.get(b.id) !== storeKey) {
            present.set(b.id, new Set());
            storeOf.set(b.id, storeKey);
          }
          const held = present.get(b.id)!;
          const fresh = f.demand.filter((k) => !held.has(k));
          if (fresh.length !== f.fresh.length)
            throw new Error(
              `simulate: ${b.id} at [${f.event.join(', ')}]: plan and run disagree on new elements`,
            );
          if (f.computation) compute(f.computation);
          count.filled += fresh.length;
          if (b.role === 'input' || b.role === 'weights') count.dramReads += fresh.length;
          if (b.role === 'output') {
            count.dramWrites += fresh.length;
            count.dramReads += fresh.filter((k) => accumulated.has(k)).length;
          }
          for (const k of f.demand) held.add(k);
        },
      });
  });
  const outputState = states.get(seg.last.name)!;
  for (const comp of lastComputations)
    actions.push({
      event: comp.event,
      rank: seg.buffers.length,
      run: () => {
        compute(comp);
        const held = present.get(seg.last.name);
        for (const coords of comp.elements) {
          const k = encode(outputState.space, coords);
          if (!held?.has(k))
            throw new Error(
              `simulate: '${seg.last.name}' at event [${comp.event.join(', ')}] writes [${coords.join(', ')}], which is not present`,
            );
          accumulated.add(k);
        }
      },
    });
  // Entering a level's body (a shorter tuple) comes before the events nested in it.
  const before = (a: Action, b: Action): number => {
    for (let i = 0; i < Math.min(a.event.length, b.event.length); i++)
      if (a.event[i] !== b.event[i]) return a.event[i]! - b.event[i]!;
    return a.event.length - b.event.length || a.rank - b.rank;
  };
  for (const a of actions.sort(before)) a.run();

  const buffers: BufferResult[] = seg.buffers.map((b) => {
    const state = states.get(b.id)!;
    const extents = storageExtents(state);
    const owner = seg.layers.find((l) => l.name === b.layer)!;
    const w = b.role === 'weights' ? weightsShape(owner, shape(owner.inputs[0]!).c) : undefined;
    const elements = storageElements(b.role, extents, w?.kernelArea ?? 1, w?.bias ?? false);
    return {
      id: b.id,
      role: b.role,
      tensor: b.tensor,
      extents,
      bytes: elements * elementBytes,
      ...counts.get(b.id)!,
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
