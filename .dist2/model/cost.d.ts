import type { BufferResult, SegmentResult } from './result.js';
import type { BufferLevels, ElementBytes, LoopName, SegmentSchedule, WarmupLoop } from './schedule.js';
import type { Segment, SegmentBuffer } from './segment.js';
import type { Interval } from './windows.js';
/**
 * A DRAM input or intermediate read by several layers whose schedule has no exact closed form here (see
 * docs/execution-model.md, "Shared DRAM inputs"): validate turns it into a one-line error.
 */
export declare class NotClosedForm extends Error {
    readonly bufferId: string;
    readonly reason: string;
    constructor(bufferId: string, reason: string);
}
/**
 * Per tensor of a segment run in strips, the columns one strip needs of it: the last layer's, the
 * strip; a producer's, the hull of its readers' windows over what they need (docs/execution-model.md,
 * "Strips").
 */
export declare function neededColumns(seg: Segment, strip: Interval, clip?: boolean): Map<string, Interval>;
/** What the search's factor tables need to know of a buffer beyond its result (see dse/segment-factors.ts). */
export interface BufferTrace {
    /** The loop each coordinate dimension of its demand follows (null: none, or one iteration). */
    along: (LoopName | null)[];
    /** Its reuse loops that bring data back on their next iteration (so bands below them are kept whole). */
    bringsBack: LoopName[];
    /**
     * A DRAM input or intermediate read by several layers, at or above its fill: the loops along which some reader reads
     * only on some iterations, and those along which a reader's reads stick out of another's (or, no
     * last layer among the readers, some reader is absent). A schedule with one loop of the first kind
     * and another of the second may have no closed form (see combine); empty for other buffers.
     */
    absent: LoopName[];
    widens: LoopName[];
}
/** A buffer's result and trace under other levels, the rest of the schedule unchanged. */
export interface AlternativeResult {
    result: BufferResult;
    trace: BufferTrace;
}
export declare class SegmentModel {
    private readonly seg;
    private readonly s;
    private readonly elementBytes;
    private readonly alternativeLevels;
    /** Counts hulls without a closed form instead of refusing them (for traces of which loops reads follow). */
    private readonly lenient;
    /** Weights stored at root that several strips demand: they stay whole across the strips. */
    private readonly held;
    /** Per raster line buffer, the band its rows are pitched by if not its own (the widest strip's). */
    private readonly pitches;
    /** Filled on run(), per buffer id, when asked for. */
    readonly trace?: Map<string, BufferTrace>;
    /**
     * Filled on run() when alternative levels are given: per buffer id but the intermediates', its
     * result under each of them (a DRAM input's, weights' or output's levels change only its own numbers;
     * an intermediate's would change what its producer computes). Undefined where the levels have no
     * closed form (a DRAM input read by several layers, see NotClosedForm).
     */
    readonly alternatives?: Map<string, (AlternativeResult | undefined)[]>;
    private readonly depth;
    /** Iterations of each loop, its warm-up included. */
    private readonly trips;
    private readonly warm;
    private readonly virtual;
    private readonly columns;
    /** Per buffer id, its result at the schedule's levels (filled as run() goes: consumers first). */
    readonly results: Map<string, BufferResult>;
    private readonly layerMacs;
    private readonly byName;
    /** Per tensor read in the segment, the reads of each of its readers. */
    private readonly pendingReads;
    /** In a strip: per tensor, the columns the strip needs of it (the others are virtual there). */
    private readonly needed?;
    /** Per layer, the DRAM inputs of each smaller segment whose first layer it is: see addCut. */
    private readonly cuts;
    /** Per tensor some cut reads from DRAM, each reader's reads as from DRAM (real coordinates only). */
    private readonly cutReads;
    /**
     * Filled on run() per cut (addCut, by its key) reached: per DRAM input buffer of the smaller segment,
     * its result at each of the cut's levels (undefined where those have no closed form).
     */
    readonly cutResults: Map<string, Map<string, (AlternativeResult | undefined)[]>>;
    constructor(seg: Segment, s: SegmentSchedule, elementBytes: ElementBytes, trace?: boolean, alternativeLevels?: BufferLevels[], 
    /** Counts hulls without a closed form instead of refusing them (for traces of which loops reads follow). */
    lenient?: boolean, 
    /** The last layer's output columns the x loop runs over, in a segment run in strips. */
    strip?: Interval, 
    /** Weights stored at root that several strips demand: they stay whole across the strips. */
    held?: ReadonlySet<string>, 
    /** Per raster line buffer, the band its rows are pitched by if not its own (the widest strip's). */
    pitches?: ReadonlyMap<string, number>);
    /**
     * Also evaluates the DRAM input buffers (`buffers`, read by their readers only) of a smaller segment
     * ending at the same layer whose first layer is `layer` (a suffix of this one, or a part of it that
     * sharesTables allows), at `levels`: its layers compute there exactly what they compute alone (demand
     * flows from the last layer back), so one run serves every such segment. Its other buffers' results
     * are this run's. Evaluated once `layer` is computed (layers are computed last first), before any
     * NotClosedForm of an earlier buffer.
     */
    addCut(key: string, layer: string, buffers: SegmentBuffer[], levels: BufferLevels[]): void;
    run(): SegmentResult;
    private evalCut;
    private bufferOf;
    private inputShapes;
    /**
     * The real parts of a row and a column dim of a tensor (a warm-up's virtual ones left out; in a
     * strip, the columns outside what the strip needs of the tensor).
     */
    private realYX;
    /** The real part of a computation of a layer. */
    private real;
    /** The real part of a buffer's [channel, row, column, ...] dims (weights have no virtual coordinates). */
    private realDims;
    private realTensorDims;
    /**
     * Accounts for `layer` computing `comp`: its MACs and weights, and its reads of the tensors it reads
     * (kept until all their readers' are known). Data is read for the virtual elements too (they carry
     * demand to producers); MACs and weights are for the real ones.
     */
    private computeLayer;
    private weights;
    /** Evaluates a buffer at its levels (and at the alternatives, when asked) and keeps its result. */
    private record;
    /** Sum over the events at `depth` of the region's element count (loops past depth are unioned). */
    private countRegion;
    /** A reader's reads as seen at a fill depth: loops inside it are covered by one fill, so their intervals merge. */
    private project;
    /**
     * The demand of a DRAM input or intermediate read by several layers, from their reads projected to its fill depth:
     * per event the hull over the readers that read there (docs/execution-model.md, "Shared DRAM
     * inputs"). It is one region (a product over loops, like any other buffer's) when
     * - where some reader reads is a product: some reader reads at every event, or all read at the same
     *   events, or they are absent along one loop only (the union is then a mask along it); and
     * - per coordinate, each reader absent along a loop the coordinate does not follow never widens the
     *   hull: what it reads lies within what the readers that always read read, or within what every
     *   other reader reads wherever that one reads.
     * (Absence along the coordinate's own loop is exact: the reader's interval is emptied there.)
     * Anything else is refused (NotClosedForm).
     */
    private combine;
    /** The rows a buffer's demand covers at each iteration of the y loop (its row bands). */
    private bands;
    /**
     * A buffer filled with `reads` (its readers' reads, at their events): its demand at the fill level,
     * what is new at each fill (given reuse since the store level), the count, the storage.
     */
    private evalBuffer;
}
/** Predicted DRAM traffic, on-chip bytes and MACs of one segment schedule (assumed checked). */
export declare function segmentCost(seg: Segment, s: SegmentSchedule, elementBytes: ElementBytes): SegmentResult;
/**
 * The warm-up a spatial loop needs (docs/execution-model.md, "Warm-up loops"): the number of
 * iterations before 0 at which some layer of the segment computes a real element. Per intermediate,
 * the end of its demand is affine in the iteration, a*i + c, composed from the last layer's tile end
 * through its readers' windows; it computes real elements where a*i + c passes the first real
 * coordinate: 0, or in a strip the first column the strip needs (the most over the strips).
 */
export declare function warmupNeeded(seg: Segment, s: SegmentSchedule, loop: WarmupLoop): number;
