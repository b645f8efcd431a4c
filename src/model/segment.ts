// A segment: layers executed together, and the on-chip buffers that executing them needs.

import { InputError } from '../ir/errors.js';
import type { Layer, Network, Shape } from '../ir/network.js';
import { consumersOf, tensorShapes } from '../ir/stats.js';
import { dramViews } from '../ir/views.js';
import type { SegmentResult } from './result.js';
import type { TileSizes } from './schedule.js';

export type BufferRole = 'input' | 'weights' | 'intermediate' | 'output';

export interface SegmentBuffer {
  /** The key used in schedule files: `t@layer` (DRAM input t read by layer), `layer:weights`, or `layer`. */
  id: string;
  role: BufferRole;
  /** The tensor held: an activation tensor name, or for weights the owning layer's name. */
  tensor: string;
  /** input: its first reader in the segment; weights: the owner; intermediate/output: the producer. */
  layer: string;
  /**
   * The layers of the segment reading it, in topological order: a DRAM input read by several layers is
   * one buffer (named after the first); weights: the owner; an intermediate: its consumers; output: none.
   */
  readers: string[];
}

export interface Segment {
  /** Topological order; the last one's output leaves the segment. */
  layers: Layer[];
  last: Layer;
  /** Extents of the tile loops: the last layer's output width, height, channels and reduction. */
  dims: TileSizes;
  /** Producers before consumers: DRAM inputs and weights first, then intermediates, the output last. */
  buffers: SegmentBuffer[];
  /** Shapes of every tensor the segment reads or writes. */
  shapes: Map<string, Shape>;
  /**
   * A slice or concat alone that is a view of tensors in DRAM (src/ir/views.ts): it moves, holds and
   * computes nothing, whatever its schedule.
   */
  view: boolean;
}

/** Whether some intermediate is read by several layers of the segment (a join inside it: a DAG segment). */
export function hasJoins(seg: Segment): boolean {
  return seg.buffers.some((b) => b.role === 'intermediate' && b.readers.length > 1);
}

/** Whether every DRAM input and intermediate of the segment is read by one of its layers only. */
export function isChain(seg: Segment): boolean {
  return seg.buffers.every((b) => (b.role !== 'intermediate' && b.role !== 'input') || b.readers.length <= 1);
}

/** A DRAM input's buffer is named after the first layer of the segment reading it. */
export function inputBufferId(tensor: string, firstReader: string): string {
  return `${tensor}@${firstReader}`;
}

/** The buffer of DRAM input `tensor` in a segment (one per tensor, whatever its readers). */
export function inputBufferOf(seg: Segment, tensor: string): SegmentBuffer {
  return seg.buffers.find((b) => b.role === 'input' && b.tensor === tensor)!;
}

export function weightsBufferId(layer: string): string {
  return `${layer}:weights`;
}

/** Channels the last layer reduces over per output element (1 for layers without reduction). */
export function reductionSize(layer: Layer, inputChannels: number): number {
  return layer.kind === 'conv' ? inputChannels / layer.groups : 1;
}

/**
 * Checks that the named layers form a segment (every layer but the last is read inside the segment
 * only, by one layer or several) and lists its buffers. Errors name the field `where` (e.g. `segments[2]`).
 */
export function analyzeSegment(net: Network, names: readonly string[], where = 'segment'): Segment {
  const index = new Map(net.layers.map((l, i) => [l.name, i]));
  if (names.length === 0) throw new InputError(`${where}.layers: the segment has no layers`);
  const seen = new Set<string>();
  for (const n of names) {
    if (!index.has(n)) throw new InputError(`${where}.layers: unknown layer '${n}'`);
    if (seen.has(n)) throw new InputError(`${where}.layers: layer '${n}' is listed twice`);
    seen.add(n);
  }
  const layers = [...names]
    .sort((a, b) => index.get(a)! - index.get(b)!)
    .map((n) => net.layers[index.get(n)!]!);
  const consumers = consumersOf(net);
  const outputs = new Set(net.outputs);
  const last = layers.at(-1)!;
  for (const l of layers.slice(0, -1)) {
    const users = consumers.get(l.name) ?? [];
    const inside = users.filter((u) => seen.has(u.name));
    if (outputs.has(l.name) || users.length !== inside.length)
      throw new InputError(
        `${where}.layers: the output of '${l.name}' is used outside the segment; only the last layer '${last.name}' may leave it`,
      );
    if (inside.length === 0)
      throw new InputError(
        `${where}.layers: nothing reads the output of '${l.name}'; only the last layer '${last.name}' may leave the segment`,
      );
  }
  const shapes = tensorShapes(net);
  const buffers: SegmentBuffer[] = [];
  const inputs = new Map<string, SegmentBuffer>();
  const readersOf = (t: string) => layers.filter((l) => l.inputs.includes(t)).map((l) => l.name);
  for (const l of layers) {
    for (const t of new Set(l.inputs))
      if (!seen.has(t) && !inputs.has(t)) {
        const b: SegmentBuffer = {
          id: inputBufferId(t, l.name),
          role: 'input',
          tensor: t,
          layer: l.name,
          readers: readersOf(t),
        };
        inputs.set(t, b);
        buffers.push(b);
      }
    if (l.kind === 'conv' || l.kind === 'affine')
      buffers.push({
        id: weightsBufferId(l.name),
        role: 'weights',
        tensor: l.name,
        layer: l.name,
        readers: [l.name],
      });
  }
  for (const l of layers)
    buffers.push({
      id: l.name,
      role: l === last ? 'output' : 'intermediate',
      tensor: l.name,
      layer: l.name,
      readers: l === last ? [] : readersOf(l.name),
    });
  const segShapes = new Map<string, Shape>();
  for (const l of layers) {
    segShapes.set(l.name, l.shape);
    for (const t of l.inputs) segShapes.set(t, shapes.get(t)!);
  }
  const lastIn = shapes.get(last.inputs[0]!)!;
  return {
    layers,
    last,
    dims: { x: last.shape.w, y: last.shape.h, zo: last.shape.c, zi: reductionSize(last, lastIn.c) },
    buffers,
    shapes: segShapes,
    view: layers.length === 1 && dramViews(net).views.has(last.name),
  };
}

/** What a view segment (Segment.view) costs, whatever its schedule: nothing moved, held or computed. */
export function viewResult(seg: Segment): SegmentResult {
  return {
    buffers: seg.buffers.map((b) => ({
      id: b.id,
      role: b.role,
      tensor: b.tensor,
      extents: [0, 0, 0],
      bytes: 0,
      filled: 0,
      dramReads: 0,
      dramWrites: 0,
    })),
    dramReads: 0,
    dramWrites: 0,
    onChipBytes: 0,
    layerMacs: { [seg.last.name]: 0 },
    macs: 0,
    view: true,
  };
}
