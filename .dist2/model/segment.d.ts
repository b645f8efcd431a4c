import type { Layer, Network, Shape } from '../ir/network.js';
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
    /**
     * An intermediate also read after the segment (or a network output): written to DRAM as its producer
     * computes it, a second output of the segment.
     */
    exported?: true;
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
export declare function hasJoins(seg: Segment): boolean;
/** Whether the segment writes some intermediate to DRAM too (a segment with several outputs). */
export declare function hasExports(seg: Segment): boolean;
/** Whether every DRAM input and intermediate of the segment is read by one of its layers only. */
export declare function isChain(seg: Segment): boolean;
/** A DRAM input's buffer is named after the first layer of the segment reading it. */
export declare function inputBufferId(tensor: string, firstReader: string): string;
/** The buffer of DRAM input `tensor` in a segment (one per tensor, whatever its readers). */
export declare function inputBufferOf(seg: Segment, tensor: string): SegmentBuffer;
export declare function weightsBufferId(layer: string): string;
/** Channels the last layer reduces over per output element (1 for layers without reduction). */
export declare function reductionSize(layer: Layer, inputChannels: number): number;
/**
 * Checks that the named layers form a segment and lists its buffers: every layer but the last is read
 * inside the segment (and may be read after it too, or be a network output: then it is written to DRAM
 * as computed, `exported`), no path leaves the segment and comes back, and an exported intermediate is
 * computed whole (see readsWhole). Errors name the field `where` (e.g. `segments[2]`).
 */
export declare function analyzeSegment(net: Network, names: readonly string[], where?: string): Segment;
/** What a view segment (Segment.view) costs, whatever its schedule: nothing moved, held or computed. */
export declare function viewResult(seg: Segment): SegmentResult;
