import type { BufferInfo, Candidate } from './segment-factors.js';
/**
 * Phases of a buffer at the loop being placed: its role there (segment-factors.ts), reuse split in two
 * (whether an earlier reuse loop brings data back, so bands below are kept whole).
 */
export declare const PHASE_ABOVE = 0;
export declare const PHASE_REUSE = 1;
export declare const PHASE_REUSE_BACK = 2;
export declare const PHASE_BELOW = 3;
/** The role (the tables' entry) of each phase. */
export declare const ROLE: number[];
/** The phases a buffer can take at the next loop, from each phase (they only move forward). */
export declare const MOVES: number[][];
/** A loop of one iteration is the same in every phase: phases move on at the next loop instead. */
export declare const STAY: number[][];
export declare const NONE: number[];
/** The paper tool's model fetches a buffer anew at every iteration of its level: store == fill. */
export declare const MOVES_NO_REUSE: number[][];
/** Every list of moves used, numbered (what a buffer's completions depend on is keyed by them). */
export declare const MOVE_ID: Map<number[], number>;
/** Options one buffer can carry: one per history of phases, at most one per (store, fill) pair. */
export declare const CAP = 32;
/**
 * Drops tile sizes another size beats or equals in every entry (factor, extents) of every buffer,
 * context and role, with the same phase effects and no more iterations (the first of equals stays).
 */
export declare function pruneCandidates(cands: Candidate[], buffers: BufferInfo[]): Candidate[];
/** A tile size with its entries flattened: index buffer * slots + context * 3 + role. */
export interface Flat {
    t: number;
    trips: number;
    warmup: number;
    /** DRAM accesses factor (elements computed, for an intermediate). */
    a: Float64Array;
    max: Float64Array;
    hull: Float64Array;
    back: Uint8Array;
    empty: Uint8Array;
    absent: Uint8Array;
    widens: Uint8Array;
}
export declare function flatten(c: Candidate, buffers: BufferInfo[], slots: number): Flat;
/**
 * The options of every buffer after some loops are placed: per buffer up to CAP ways (index
 * buffer * CAP + k), each with its phase, DRAM accesses (elements computed, for an intermediate),
 * product of extents, product of extents but the weights' input channels, and store and fill depths.
 */
export declare class Options {
    readonly n: Int32Array;
    readonly phase: Uint8Array;
    readonly acc: Float64Array;
    readonly ext: Float64Array;
    readonly extOut: Float64Array;
    readonly store: Uint8Array;
    readonly fill: Uint8Array;
    /** A shared DRAM input's flagged positions so far (see marked). */
    readonly mark: Uint8Array;
    constructor(buffers: number);
    copy(from: number, to: number): void;
}
export declare const REFUSED = 255;
/**
 * A shared DRAM input's mark after a position (1..4) whose entry flags a reader absent and/or reads
 * sticking out (LoopEntry.absent, widens): per flag the position seen, 5 for several; REFUSED once an
 * absent position and a different widening one meet (the model has no closed form there).
 */
export declare function marked(m: number, pos: number, absent: boolean, widens: boolean): number;
