import type { Interval } from './windows.js';
/** A sequence whose starts move back has no new parts in closed form (see Seq.fresh). */
export declare class DemandMovesBack extends Error {
}
/** Iteration k of the run (0 <= k < n) is [lo + k*dlo, hi + k*dhi), or empty for all k when `none`. */
export interface Run {
    n: number;
    lo: number;
    hi: number;
    dlo: number;
    dhi: number;
    none: boolean;
}
/** Elements of an interval under a dimension's counting rule. */
export type Count = {
    kind: 'length';
} | {
    kind: 'weights';
    kernelArea: number;
    bias: boolean;
};
export declare const lengthCount: Count;
export declare function countOf(c: Count, i: Interval): number;
/** An interval map `lo -> clamp(la*lo + lb)`, `hi -> clamp(ha*hi + hb)`, clamped to [min, max]. */
export interface AffineMap {
    la: number;
    lb: number;
    ha: number;
    hb: number;
    min: number;
    max: number;
}
export declare function applyMap(m: AffineMap, i: Interval): Interval;
export declare class Seq {
    readonly runs: Run[];
    readonly n: number;
    constructor(runs: Run[]);
    /** Tiles of size t over [from, d), after `before` tiles of virtual coordinates (a warm-up). */
    static tiles(d: number, t: number, before?: number, from?: number): Seq;
    static of(intervals: Interval[]): Seq;
    at(k: number): Interval;
    toArray(): Interval[];
    /** The same sequence with its first interval replaced. */
    withFirst(i: Interval): Seq;
    /** Each interval through an affine map with clamping. */
    map(m: AffineMap): Seq;
    /** Any interval function, element by element (for maps that are not affine; small sequences). */
    mapEach(f: (i: Interval) => Interval): Seq;
    /** This sequence where `mask` is non-empty, empty elsewhere. */
    maskedBy(mask: Seq): Seq;
    /** Sum of the elements counted in every interval. */
    sum(c: Count): number;
    /** The largest span (for weights: of real input channels, the bias excluded). */
    maxSpan(realOnly?: boolean): number;
    hull(): Interval;
    /** Whether all intervals are empty. */
    allEmpty(): boolean;
    hasEmpty(): boolean;
    /** Whether some interval overlaps the next non-empty one (so a sweep brings something back). */
    overlaps(): boolean;
    /**
     * The part of each interval that no earlier interval covered (a sliding window's new part).
     * Requires starts that never move backwards (and so everything below the highest end so far, from
     * the current start up, is covered), else throws DemandMovesBack: the windows of one reader's monotone
     * tiles never do, a join of several readers may. Ends may move back (the hull of several readers'
     * windows, one of them empty on some iterations).
     */
    fresh(what: string): Seq;
    private freshParts?;
    private computeFresh;
}
