import type { FrontPoint } from '../dse/explore.js';
export interface VerifiedPoint {
    point: number;
    ok: boolean;
    /** Predicted by the model (and measured equal when ok). */
    bytes: number;
    accesses: number;
    macs: number;
    segments: number;
    fusedSegments: number;
    /** Null when the program failed or an output is not a number. */
    maxRelError: number | null;
    buildSeconds: number;
    runSeconds: number;
    /** Measured MACs per second of run time, in billions. */
    gmacPerSecond: number;
    mismatches: string[];
}
export interface VerifyBench {
    network: string;
    elementBytes: 1;
    frontPoints: number;
    /** sha256 of every front point's bytes, accesses and MACs: the front the points belong to. */
    frontFingerprint: string;
    /** 'all', or how many points were sampled (spread over the front by on-chip bytes). */
    chosen: 'all' | number;
    /** Points a sample is drawn from: those with at most `sampleMacsFactor` x the fewest MACs of the front. */
    sampledFrom: number;
    sampleMacsFactor: number | null;
    /** Exploring the front (0 when it came from the work folder). */
    exploreSeconds: number;
    /** Reference inference of the input plus writing weights and input (the last session). */
    referenceSeconds: number;
    /** Points run at once. */
    jobs: number;
    /** The compiler command of every point. */
    build: string;
    verified: number;
    failed: number;
    /** Null when some point has none. */
    maxRelError: number | null;
    buildSeconds: {
        total: number;
        max: number;
    };
    runSeconds: {
        total: number;
        max: number;
        mean: number;
    };
    /** All points' MACs over all their run seconds, in billions per second. */
    gmacPerSecond: number;
    /** Build time per point plus run time per MAC (means of the verified points), over all points of the front. */
    estimatedSecondsForAll: number;
    points: VerifiedPoint[];
}
/** Samples are drawn among the points with at most this many times the fewest MACs. */
export declare const sampleMacsFactor = 2;
export declare const defaultPlan: [string, 'all' | number][];
export declare const workDir = "bench/work";
/** What identifies a front for resuming: every point's bytes, accesses and MACs, in order. */
export declare function frontFingerprint(front: readonly Pick<FrontPoint, 'bytes' | 'accesses' | 'macs'>[]): string;
export interface VerifyNetworkOptions {
    /** Points run at once (default 2, at most the cores). */
    jobs?: number;
    /** Work folder (the front file); default bench/work. */
    dir?: string;
    /** Folder of the progress file; default bench/results (the work folder when that is given). */
    progressDir?: string;
    /** Stops starting points when aborted; points running are killed and not recorded. */
    signal?: AbortSignal;
}
export declare function verifyNetwork(name: string, chosen: 'all' | number, log?: (line: string) => void, options?: VerifyNetworkOptions): Promise<VerifyBench>;
export declare function verifyBench(plan?: [string, 'all' | number][], log?: (line: string) => void, options?: VerifyNetworkOptions): Promise<VerifyBench[]>;
export declare function summaryLine(r: VerifyBench): string;
/** `[--jobs N] network[:all|N]...` */
export declare function parseArgs(args: string[]): {
    plan: [string, 'all' | number][];
    jobs: number | undefined;
};
