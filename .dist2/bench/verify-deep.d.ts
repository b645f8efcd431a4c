import type { FrontPoint } from '../dse/explore.js';
import type { Network } from '../ir/network.js';
import type { ElementBytes } from '../model/schedule.js';
export interface DeepPlan {
    network: string;
    /** Where the network comes from (default zoo:NETWORK). */
    source?: string;
    elementBytes: ElementBytes;
    /** The point chosen for each budget (bytes), as `explore --budget` chooses it. */
    budgets: number[];
    /** Points spread over the on-chip bytes of those whose deepest segment has >= minDepth layers. */
    sample: number;
    minDepth: number;
    /** Sample only points with a segment in which some tensor is read by several layers (a join). */
    joins?: boolean;
    /** Sample only points with a segment that is not a run of the network's layer order (the DAG front). */
    notRuns?: boolean;
    /** Search segments with several outputs up to this many layers (explore --max-fuse-outputs). */
    maxFuseOutputs?: number;
    /** Sample only points with a segment with several outputs (an intermediate written as computed). */
    exports?: boolean;
}
export declare const deepPlan: DeepPlan[];
export interface DeepPoint {
    point: number;
    /** Why it was run: `budget 4 MiB` and/or `sample`. */
    chosenFor: string[];
    ok: boolean;
    bytes: number;
    /** The model's prediction (the front's), and the sum of the program's counted DRAM reads and writes. */
    predictedAccesses: number;
    measuredAccesses: number | null;
    predictedMacs: number;
    measuredMacs: number | null;
    segments: number;
    /** The deepest fused segment (the first of that depth): its index, layer count, first and last layer. */
    deepest: {
        segment: number;
        layers: number;
        first: string;
        last: string;
    };
    /** Null when the program failed or an output is not a number. */
    maxAbsError: number | null;
    maxRelError: number | null;
    buildSeconds: number;
    runSeconds: number;
    /** Every number that differs (empty when ok). */
    mismatches: string[];
}
export interface DeepNetwork {
    network: string;
    elementBytes: ElementBytes;
    maxRecompute: number;
    frontPoints: number;
    /** Points whose deepest segment has at least minDepth layers (the sample is drawn from them). */
    deepPoints: number;
    minDepth: number;
    exploreSeconds: number;
    referenceSeconds: number;
    build: string;
    verified: number;
    failed: number;
    /** Null when some point has none. */
    maxRelError: number | null;
    seconds: number;
    points: DeepPoint[];
}
/** The points to run: index -> what each was chosen for. */
export declare function choosePoints(front: FrontPoint[], plan: DeepPlan, net: Network): Map<number, string[]>;
/** `zoo`: the network the plan names (its zoo entry unless given); weights are seeded if it has none. */
export declare function verifyDeep(plan: DeepPlan, log?: (line: string) => void, threads?: number, zoo?: Network): Promise<DeepNetwork>;
export declare function deepSummaryLine(r: DeepNetwork): string;
export declare const deepResultsFile = "bench/results/verify-deep.json";
/** Replaces the network's entry in the results file (networks can be run one at a time). */
export declare function saveDeep(r: DeepNetwork, file?: string): void;
/** `[--threads N] [network...]`: the plan's entries of the networks named (all by default). */
export declare function parseDeepArgs(args: string[]): {
    plan: DeepPlan[];
    threads: number;
};
