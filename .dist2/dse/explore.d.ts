import type { Network } from '../ir/network.js';
import type { ElementBytes, NetworkSchedule } from '../model/schedule.js';
import type { SearchStats } from './segment-search.js';
import type { SegmentSets, SpaceName } from './space.js';
export interface ExploreOptions {
    space: SpaceName;
    elementBytes: ElementBytes;
    /** Longest run of layers fused into one segment (1: layer by layer; default: no limit). */
    maxFuse?: number;
    /**
     * Longest segment in which a tensor is read by several of its layers (a residual, inverted-residual
     * or concat block fused with what surrounds it); default defaultMaxFuseJoins, never above maxFuse.
     */
    maxFuseJoins?: number;
    /**
     * Longest segment with several outputs (an intermediate also read after the segment, or a network
     * output, written to DRAM as computed); default 0: none. Never above maxFuse.
     */
    maxFuseOutputs?: number;
    /**
     * Only segment schedules computing at most this many times their least MACs (1: no recomputation);
     * undefined: no limit. The CLI searches with defaultMaxRecompute unless told otherwise.
     */
    maxRecompute?: number;
    /**
     * Segments up to this many layers are searched with each intermediate at its own store and fill levels
     * (default defaultOwnLevels; beyond pairs also with shared levels, whose space has warm-up loops, the
     * fronts merged); longer ones share one. Each more layer costs the search about three times more.
     */
    ownLevelsUpTo?: number;
    /**
     * Streaming schedules (rows through raster line buffers, in up to this many vertical strips) added to
     * every fused segment's front; 0: none. Default defaultMaxStrips.
     */
    maxStrips?: number;
    /**
     * Longest chain (every tensor read by one of its layers) whose tiled schedules are searched, when
     * streaming schedules are (the full space, maxStrips not 0); a longer one gets its streaming schedules
     * only. Other segments are searched tiled up to maxFuse (with joins: maxFuseJoins). Default
     * defaultMaxTiledFuse, or ownLevelsUpTo if larger.
     */
    maxTiledFuse?: number;
    /**
     * Which sets of layers may form a segment (default 'dag': any convex part of the graph, see SegmentSets;
     * 'runs' on a graph with more than maxDownSets down-sets, whose front is taken over the layer order).
     */
    segmentSets?: SegmentSets;
    /** Processes for the per-segment searches (1: search in this thread). Results do not depend on it. */
    threads?: number;
    /** Called after each segment's front is known (for progress). */
    progress?: (done: number, total: number) => void;
}
export interface FrontPoint {
    /** On-chip bytes (the largest segment's), DRAM accesses in elements, MACs. Predictions of the model. */
    bytes: number;
    accesses: number;
    macs: number;
    segments: number;
    schedule: NetworkSchedule;
}
export interface ExploreResult {
    network: string;
    space: SpaceName;
    elementBytes: ElementBytes;
    /** The points, fewest bytes first. */
    front: FrontPoint[];
    /**
     * The layer-by-layer whole-feature-map schedule every result is compared with. Its MACs compute every
     * element once: the least a schedule can compute (absent in older front files).
     */
    baseline: {
        bytes: number;
        accesses: number;
        macs?: number;
    };
    /** No schedule moves fewer elements: inputs read once, every weight once, outputs written once. */
    lowerBound: {
        accesses: number;
    };
    /** Longest fused segment searched (absent in front files of versions that did not fuse). */
    maxFuse?: number;
    /** Longest segment with joins searched (absent in front files of versions without them). */
    maxFuseJoins?: number;
    /** Longest segment with several outputs searched (absent: none, as in front files before them). */
    maxFuseOutputs?: number;
    /** Longest segment whose intermediates had their own levels (absent in older front files: 2). */
    ownLevelsUpTo?: number;
    /**
     * Longest chain (every tensor read by one of its layers) searched over tiled schedules, longer ones
     * over streaming schedules only (absent: every segment searched tiled, as in older front files and without streaming).
     */
    maxTiledFuse?: number;
    /** The recomputation limit searched with (see ExploreOptions); 'none', or absent in older front files: no limit. */
    maxRecompute?: number | 'none';
    /** The sets of layers searched as segments (absent in front files before DAG fronts: 'runs'). */
    segmentSets?: SegmentSets;
    /** Distinct segments searched (segments equal but for names are searched once). */
    segmentsSearched: number;
    /** Work done by the segment searches (absent in older front files). */
    searchStats?: SearchStats;
}
/**
 * By default, segments up to this many layers give each intermediate its own store and fill levels; in
 * longer ones all intermediates share one (store, fill), which keeps the search about linear in depth
 * (docs/search-design.md says what that leaves out; ExploreOptions.ownLevelsUpTo sets another depth).
 */
export declare const eachLevelsUpTo = 2;
/**
 * The segments searched with per-intermediate levels unless told otherwise: up to 4 layers on networks
 * of at most 8 layers (a few such segments, seconds more; the traffic-sign detector reaches its floor
 * so), up to eachLevelsUpTo on larger ones, where each more layer costs about three times the search.
 */
export declare function defaultOwnLevels(net: Network): number;
/**
 * The recomputation limit the commands search with unless told otherwise: a fused segment computes at
 * most this many times its least MACs. The front is over bytes and accesses only, so without a limit
 * the point for a budget may buy a fraction of a percent fewer accesses with many times the MACs.
 */
export declare const defaultMaxRecompute = 1.1;
/**
 * How many layers a segment with joins fuses by default. Such segments are the many runs of a
 * network with skips or branches (every run of a residual network is one), and searching them all takes
 * minutes; 12 layers (three bottleneck blocks) bring ResNet-152 within 1.5x its floor at 4 MiB, longer
 * runs a percent more (docs/search-design.md).
 */
export declare const defaultMaxFuseJoins = 12;
/**
 * How many layers a chain (every tensor read by one of its layers) is searched over tiled schedules by
 * default; longer ones get their streaming schedules only. On the paper's plain chains (VGG, VDSR) the
 * longer tiled searches took three quarters of the time and moved no point of the front by more than
 * 0.33 % (docs/search-design.md).
 */
export declare const defaultMaxTiledFuse = 4;
export declare function explore(net: Network, options: ExploreOptions): Promise<ExploreResult>;
