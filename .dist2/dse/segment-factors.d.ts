import type { ElementBytes, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { SpaceName } from './space.js';
export declare const ABOVE = 0;
export declare const REUSE = 1;
export declare const BELOW = 2;
export type Role = typeof ABOVE | typeof REUSE | typeof BELOW;
/** A buffer's numbers along one loop for one tile size, in one context and role. */
export interface LoopEntry {
    /** Factor of the elements filled (computed, for an intermediate). */
    filled: number;
    /** Factor of the DRAM accesses (0 for intermediates; the output's reduction loop adds read-backs). */
    accesses: number;
    /** Extent of the dimension following the loop: the largest demand, and the whole hull. */
    maxSpan: number;
    hullSpan: number;
    /** As a reuse loop, whether it brings data back on its next iteration. */
    back: boolean;
    /** The buffer is empty (nothing of it is ever read). */
    empty: boolean;
    /**
     * A DRAM input or intermediate read by several layers (the loop at or above its fill): some reader reads only on
     * some iterations of the loop; some reader's reads along it stick out of another's. A schedule with
     * `absent` at one such position and `widens` at another has no exact closed form (the model refuses
     * it; costFromTables gives undefined).
     */
    absent: boolean;
    widens: boolean;
}
export interface BufferInfo {
    id: string;
    role: 'input' | 'weights' | 'intermediate' | 'output';
    /** An intermediate also written to DRAM as computed (a second output: its accesses are its filled). */
    exported: boolean;
    /** Indices (into buffers) of the intermediates between this buffer and the last layer, nearest first. */
    downstream: number[];
    /**
     * For inputs, weights and intermediates, per layer reading it: the intermediate whose fill level is
     * that reader's compute level (its fill must be at or above each); -1 for the last layer.
     */
    readers: number[];
    /** Index of the dimension following each loop (per loopNames), -1 for none. */
    dimOf: number[];
    /** Filled count and extents of the dimensions following no loop. */
    fixedFilled: number;
    fixedExtents: number;
    /** The same without the weights' input channels (each output channel's bias is stored once). */
    fixedExtentsOut: number;
    /** Bytes per element of the extents' product: weights hold kernel-area elements per input channel, plus a bias. */
    kernelArea: number;
    bias: boolean;
    /** MACs per computed element of the producing layer (intermediates). */
    macsPerElement: number;
}
/** An intermediate that stays on chip: it moves no DRAM data (an exported one writes what it computes). */
export declare function movesNothing(b: BufferInfo): boolean;
export interface Candidate {
    t: number;
    /** Iterations of the loop (its warm-up left out). */
    trips: number;
    /** Warm-up iterations (0: none); a spatial loop's size comes with and without the warm-up it needs. */
    warmup: number;
    /** entries[buffer][context * 3 + role]; the context encodes the roles of the buffer's downstream intermediates. */
    entries: (LoopEntry | undefined)[][];
}
/**
 * How the intermediates' levels are searched: `each` gives every intermediate its own store and fill
 * (3^k role contexts for a buffer with k intermediates downstream); `shared` gives all intermediates of
 * the segment one (store, fill), so a buffer's context is the one role they all play at a loop (3).
 */
export type IntermediateLevels = 'each' | 'shared';
export interface SegmentTables {
    intermediates: IntermediateLevels;
    buffers: BufferInfo[];
    /** Per loop (loopNames order), the candidate tile sizes. */
    candidates: Candidate[][];
    /** MACs of the last layer (never recomputed). */
    lastMacs: number;
    /** MACs of the segment with every element computed once (the least any schedule needs). */
    leastMacs: number;
}
/** Number of role contexts of a buffer (see IntermediateLevels). */
export declare function contextCount(mode: IntermediateLevels, info: BufferInfo): number;
/** The context index of a buffer from the roles of all intermediates (indexed like buffers). */
export declare function contextOf(mode: IntermediateLevels, info: BufferInfo, roles: readonly number[]): number;
/**
 * Whether every layer maps channels one to one (convolutions with one group or depthwise, pooling,
 * element-wise): then a channel tile reads and writes exactly its channels, no more at the edge, so
 * along zo and zi the factors depend on the tile count only and, of the sizes with one count, the
 * smallest, ceil(D/n), is no worse in anything (test/dse/segment-factors.test.ts checks it on the model).
 */
export declare function plainChannels(seg: Segment): boolean;
/**
 * `everySize`: a table for every tile size, for costFromTables on any schedule; the search needs only the
 * sizes that can be best (along plain channel loops, see plainChannels).
 */
export declare function segmentTables(seg: Segment, space: SpaceName, everySize?: boolean, intermediates?: IntermediateLevels): SegmentTables;
/**
 * Segments searched with shared intermediate levels that end at one layer, each a suffix of the first
 * (the longest): their tables come from one set of model runs (suffixTables). The segment searched is
 * segments[index]; `id` names the group within the process (explore numbers them).
 */
export interface SuffixGroup {
    id: number;
    segments: Segment[];
    index: number;
}
/** Forgets a group's tables (every member has been searched, here or elsewhere). */
export declare function dropGroup(id: number): void;
/**
 * A member's tables with shared intermediate levels, computed with its group's on the first member's
 * search in this process and kept for the others.
 */
export declare function groupTables(group: SuffixGroup, space: SpaceName): SegmentTables;
/**
 * Whether `part` (another segment ending at the same layer) takes its tables from `long`'s model runs
 * (suffixTables): its layers are among long's, two or more. Long's layers are computed last first, and
 * part's DRAM inputs evaluated once its first layer is; what long computes before that outside part must
 * not be refused there (a demand that moves back has no closed form, SegmentModel): so every such layer,
 * and every layer on its paths to the last, has its output read by one layer at most. A suffix of long
 * in the network's order always qualifies. (Part exports an intermediate only where long does: a layer of
 * long reading it outside part would be on a path leaving part and coming back to the last.)
 */
export declare function sharesTables(long: Segment, part: Segment): boolean;
/**
 * The tables of segments that end at the same layer, each one whose tables the first's (the largest's)
 * model runs give (sharesTables), from those runs: demand flows from the last layer back, so a part's
 * layers compute in the larger segment exactly what they compute alone, and its DRAM inputs are
 * evaluated once its first layer is (SegmentModel.addCut). With per-intermediate levels
 * (`each`) the role combinations differ by segment: one segment only.
 */
export declare function suffixTables(segs: Segment[], space: SpaceName, everySize?: boolean, intermediates?: IntermediateLevels): SegmentTables[];
/**
 * A schedule's cost from the tables: filled, accesses and bytes per buffer. The search's arithmetic,
 * written out once for the tests to hold against the model. Undefined when the model refuses the
 * schedule (a tensor read by several layers without a closed form): an entry missing, or one loop
 * at or above such a buffer's fill where a reader is absent and another where reads stick out.
 */
export declare function costFromTables(tables: SegmentTables, s: SegmentSchedule, elementBytes: ElementBytes): {
    bytes: number;
    accesses: number;
    macs: number;
    buffers: {
        filled: number;
        accesses: number;
        bytes: number;
    }[];
} | undefined;
