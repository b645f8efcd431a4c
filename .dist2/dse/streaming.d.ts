import type { SegmentResult } from '../model/result.js';
import type { ElementBytes, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { Point } from './pareto.js';
import type { SearchStats, SegmentFrontOptions } from './segment-search.js';
/** Most strips a streaming schedule is cut into by default. */
export declare const defaultMaxStrips = 16;
export interface StreamingOptions {
    elementBytes: ElementBytes;
    /** Only schedules computing at most this many times the segment's least MACs (undefined: no limit). */
    maxRecompute?: number;
    maxStrips?: number;
}
/**
 * The streaming schedule of a segment in strips of `width` columns (the whole width: no strips), with
 * its cost; undefined if some buffer has no exact closed form even filled at the strip.
 */
export declare function streamingSchedule(seg: Segment, width: number, elementBytes: ElementBytes): {
    schedule: SegmentSchedule;
    result: SegmentResult;
} | undefined;
/** The Pareto front of a segment's streaming schedules, one per strip count. */
export declare function streamingFront(seg: Segment, options: StreamingOptions): Point<SegmentSchedule>[];
/**
 * A segment's searched front (segmentFront), and with `streaming` its streaming schedules merged in: one
 * job of explore's search pool. The streaming schedules are costed first: what they achieve also bounds
 * the search (a tiled schedule one of them dominates strictly would leave the merged front anyway).
 * Without `tiled` options only the streaming schedules are costed (a chain longer than explore's
 * maxTiledFuse).
 */
export declare function searchSegment(segment: Segment, tiled: SegmentFrontOptions | undefined, streaming: StreamingOptions | undefined): {
    front: Point<SegmentSchedule>[];
    stats: SearchStats;
};
