import type { SegmentSets, SpaceName } from '../dse/space.js';
import type { ElementBytes } from '../model/schedule.js';
export declare const paperNetworks: string[];
export interface ExploreBench {
    network: string;
    elementBytes: ElementBytes;
    /** Wall time of the exploration (the median of `secondsRuns`). */
    seconds: number;
    secondsRuns: number[];
    /** Largest resident set size seen while exploring (sampled; this process and its search processes), in MiB. */
    peakRssMiB: number;
    /** Where it came from: zoo:NAME or an ONNX file. */
    source: string;
    /** Longest fused run searched (1: layer by layer; the network's layer count: no limit). */
    maxFuse: number;
    /** Longest run with joins (a tensor several of its layers read) searched. */
    maxFuseJoins: number;
    /** Longest segment with several outputs searched (absent: none, as in results before them). */
    maxFuseOutputs?: number;
    /** Longest segment whose intermediates had their own store and fill levels. */
    ownLevelsUpTo: number;
    /** Longest chain searched over tiled schedules (longer ones: streaming schedules only); null: no limit. */
    maxTiledFuse: number | null;
    /** The recomputation limit searched with (the commands' default), or null for none. */
    maxRecompute: number | null;
    /** The space searched: every tile size, order and level, or the paper tool's (`seed`). */
    space: SpaceName;
    /** The sets of layers searched as segments (absent in results before DAG fronts: runs). */
    segmentSets?: SegmentSets;
    distinctSegmentsSearched: number;
    /** Partial tilings the searches extended and complete tilings they costed (each with every buffer placement). */
    prefixesVisited: number;
    tilingsCosted: number;
    frontPoints: number;
    /** Fewest predicted DRAM accesses (elements) within each budget. */
    accessesWithin: Record<string, number | null>;
    /** The MACs of the point within each budget (predicted; the least is leastMacs). */
    macsWithin: Record<string, number | null>;
    /** The layers of the deepest segment of the point within each budget. */
    deepestWithin: Record<string, number | null>;
    leastMacs: number;
    baselineAccesses: number;
    lowerBoundAccesses: number;
}
/** What identifies an entry of the results: the network and the configuration explored. */
export declare function exploreEntryKey(r: ExploreBench): string;
/**
 * Runs the configurations on their networks; `only` (bench names: `traffic`, `vdsr (ONNX)`...) keeps
 * the networks named, for refreshing their entries alone.
 */
export declare function exploreBench(log?: (r: ExploreBench) => void, only?: readonly string[]): Promise<ExploreBench[]>;
