import type { Completion, Lows, WalkPlan } from './completions.js';
import { Staircase } from './pareto.js';
import type { BufferInfo } from './segment-factors.js';
import type { Flat, Options } from './walk-state.js';
/** Pareto set of (bytes, accesses) pairs, bytes ascending; `tag` rides along. */
export declare function pairFront(bytes: number[], acc: number[], tag: number[]): {
    bytes: number[];
    acc: number[];
    tag: number[];
};
/** (bytes, accesses) points in reusable arrays. */
export declare class PointSet {
    bytes: Float64Array<ArrayBuffer>;
    acc: Float64Array<ArrayBuffer>;
    n: number;
    grow(): void;
}
/** Sorts the first n points by bytes, then accesses, and keeps the Pareto ones in front; returns their number. */
export declare function keepFront(bytes: Float64Array, acc: Float64Array, n: number): number;
export declare class Pruner {
    private readonly width;
    /** Points found and the bound: what dominates. */
    readonly fence: Staircase;
    /**
     * Whether a (bytes, accesses) pair is dominated. Where intermediates are recomputed, a schedule tying
     * a point found in bytes and accesses may compute fewer MACs (the tie-break), so only what the fence
     * dominates strictly is cut; a single layer computes the same MACs whatever its schedule.
     */
    readonly dominated: (bytes: number, accesses: number) => boolean;
    private readonly nb;
    /** Buffers that move no DRAM data (intermediates not exported). */
    private readonly silent;
    private readonly kernelArea;
    private readonly biasOut;
    private readonly optMinB;
    private readonly optMinBAcc;
    private readonly optMinA;
    private readonly optMinABytes;
    private readonly minB;
    private readonly minA;
    /** The sums of minB and minA (bufferMinima). */
    private sumB;
    private sumA;
    /** Per buffer, the points of its completions not dominated, for the exact test. */
    private readonly sets;
    private readonly sumsIn;
    private readonly sumsOut;
    private readonly bySize;
    private readonly leastE;
    private readonly leastEOut;
    private readonly leastA;
    constructor(buffers: BufferInfo[], width: number, bound: {
        bytes: number;
        accesses: number;
    }[]);
    /** Whether anything dominates yet (before that, nothing is cut). */
    get active(): boolean;
    /** On-chip bytes of a buffer with these extents (weights: per input channel a kernel, per output channel a bias). */
    bytesOf(bi: number, ext: number, extOut: number): number;
    /** Each buffer's least bytes and accesses over its options' completions (into minB, minA), their sums into sumB, sumA. */
    private bufferMinima;
    /**
     * Whether every completion of the options (`comp`: the completions of the positions still to place)
     * is dominated. Options that can only lead to dominated points are dropped on the way.
     */
    cut(opts: Options, comp: Completion[]): boolean;
    /** The exact test: per buffer its Pareto set of completions, summed across buffers. */
    private allCombinationsDominated;
    /**
     * Whether some sum of one point per buffer's set is not dominated. minB/minA hold each buffer's
     * least bytes and accesses: a partial sum that stays dominated with the rest at their least is dropped.
     */
    private someSumUndominated;
    /** Summarises the options of the prefix extended at position p, per buffer and phase, for childDominated. */
    least(src: Options, p: number): void;
    /**
     * Whether every way on from placing candidate ci (c, one of n at that loop) at position p is
     * dominated: the sum over buffers of their least bytes and least accesses is (`least` has summarised
     * the prefix).
     */
    childDominated(plan: WalkPlan, lows: Lows[], p: number, ci: number, n: number, c: Flat): boolean;
}
