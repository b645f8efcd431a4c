import type { BufferInfo } from './segment-factors.js';
import type { Flat } from './walk-state.js';
/** (extent, access) factors the remaining loops can still contribute: a Pareto set, extents ascending. */
export interface Completion {
    e: Float64Array;
    a: Float64Array;
}
/**
 * Builds a completion front from runs: each run is a Pareto set (extents ascending) scaled by an
 * extent and an access factor, which keeps it sorted, so merging run by run needs no sort. A run with
 * a factor that is not a number (no entry: levels the model refuses) cannot complete and is skipped.
 */
export declare class CompletionBuilder {
    private e;
    private a;
    private e2;
    private a2;
    private n;
    reset(): void;
    add(fe: number, fa: number, rest: Completion): void;
    result(): Completion;
}
/** Per phase moved into and tile candidate (index phase * candidates + candidate), a buffer's growth factors. */
export interface Lows {
    e: Float64Array;
    eOut: Float64Array;
    a: Float64Array;
}
/** A walk's loops (positions 0..3 as indices into loopNames) and, per position and buffer, its entry slot and moves. */
export interface WalkPlan {
    orderIdx: number[];
    /** Index position * buffers + buffer: the first slot of the buffer's context in the flattened entries. */
    slotAt: Int32Array;
    /** Index ((position * buffers + buffer) * 4 + phase) * 2 + (several iterations ? 1 : 0): the phases it moves to. */
    moves: number[][];
    /** Per position and buffer, its moves numbered (a key of what its completions depend on). */
    movesCode: Float64Array;
}
/** The completions and lows of the walks of one search pass, shared where they agree. */
export declare class CompletionCache {
    private readonly buffers;
    private readonly cands;
    /** Indexed by suffix id * 4 + phase (ids are dense). */
    private readonly fronts;
    private readonly lowsMemo;
    /** Per moves code, per (next position's key, loop, slot), the id of what completions depend on. */
    private readonly suffixId;
    private suffixes;
    private readonly builder;
    private readonly nb;
    /** Buffers that move no DRAM data (intermediates not exported). */
    private readonly silent;
    constructor(buffers: BufferInfo[], cands: Flat[][]);
    /** Weights along a loop over their input channels: their bias (one per output channel) does not grow. */
    keepsOut(bi: number, li: number): boolean;
    /**
     * completions[p][buffer * 4 + phase] of a walk, and per position and buffer the key of what they
     * depend on (for lows).
     */
    completions(plan: WalkPlan): {
        completions: Completion[][];
        keyAt: Float64Array;
    };
    /**
     * lows[p * buffers + buffer]: per phase moved into and candidate at position p, the factors by which
     * a child's least extents (weights: also without input channels) and least accesses over its
     * completions grow.
     */
    lows(plan: WalkPlan, completions: Completion[][], keyAt: Float64Array): Lows[];
}
