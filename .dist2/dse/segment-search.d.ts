import type { ElementBytes, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { Point } from './pareto.js';
import type { IntermediateLevels, SuffixGroup } from './segment-factors.js';
import type { SpaceName } from './space.js';
export interface SegmentFrontOptions {
    space: SpaceName;
    elementBytes: ElementBytes;
    /**
     * Points (a Pareto front, fewest bytes first) that make a schedule useless: for a fused chain, what
     * running it as smaller segments achieves (largest segment's bytes, summed accesses). A network
     * schedule using a fused point such a point dominates does no better than one using the split, so
     * the network front stays exact; the segment's own front then lacks those points.
     */
    bound?: {
        bytes: number;
        accesses: number;
    }[];
    /**
     * Only schedules computing at most this many times the segment's least MACs (every element once):
     * 1 allows no recomputation in fused segments. Unlimited when absent.
     */
    maxRecompute?: number;
    /** `shared`: all intermediates take one (store, fill), so deep chains cost about linearly in depth. */
    intermediates?: IntermediateLevels;
    /** With shared levels: the segments whose tables are computed with this one's (it is one of them). */
    group?: SuffixGroup;
}
/** How much work a search did: partial tilings extended (with every buffer's options), and complete ones costed. */
export interface SearchStats {
    prefixes: number;
    tilings: number;
}
/** The Pareto front of a segment, each point with its schedule. */
export declare function segmentFront(seg: Segment, options: SegmentFrontOptions, stats?: SearchStats): Point<SegmentSchedule>[];
