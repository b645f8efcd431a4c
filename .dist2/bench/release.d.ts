import type { Network } from '../ir/network.js';
export interface ReleaseBench {
    network: string;
    model: string;
    /** The point: the fewest predicted accesses within `budget` bytes (fp32 schedules). */
    budget: string;
    /**
     * The front point's own schedule, or the point retiled within the budget (src/dse/retile.ts: the same
     * order and levels, larger tiles, no more accesses or MACs); bytes, accesses and MACs are then its own.
     */
    schedule: 'point' | 'retiled';
    /** Innermost loop steps of the schedule run. */
    steps: number;
    maxRecompute: number;
    pointBytes: number;
    predictedAccesses: number;
    macs: number;
    leastMacs: number;
    segments: number;
    runs: number;
    medianMs: number;
    minMs: number;
    maxMs: number;
    /** max |output - reference| / max |reference| of the timed runs' output. */
    relativeError: number;
    /** The counting build's reads and writes (and filled, MACs) equal the model's. */
    countsEqual: boolean;
    /** ONNX Runtime's median on the same network and input (bench/results/ort.json), and ours over it. */
    ortMs: number | null;
    ratio: number | null;
}
export declare const releaseCases: {
    budget: string;
    bytes: number;
    maxRecompute: number;
}[];
/** The bench's point of a case: the fewest accesses within its budget (fp32 schedules), and that point retiled. */
export declare function releasePoint(net: Network, c: (typeof releaseCases)[number]): Promise<{
    front: import("../dse/explore.js").ExploreResult;
    point: import("../dse/explore.js").FrontPoint;
    retiled: import("../index.js").NetworkSchedule;
}>;
export declare function releaseBench(models?: string[], runs?: number, onResult?: (r: ReleaseBench) => void): Promise<ReleaseBench[]>;
export declare function releaseSummaryLine(r: ReleaseBench): string;
