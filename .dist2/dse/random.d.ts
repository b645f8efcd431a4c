import type { SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/**
 * A uniformly random legal schedule of the segment (grouped last layers keep a whole reduction tile).
 * `sharedIntermediates`: every intermediate takes the same (store, fill), as deep chains are searched.
 * `warmup`: each spatial loop that can have one gets, half of the time, a random warm-up up to the
 * needed one (drawn after the rest, so the other draws do not change).
 * `stripsAndRaster`: half of the time strips of a random width (the x tile drawn again within one), half of the time `y` moved right above `x` in the order, and then each
 * activation buffer that may be a raster line buffer is one, half of the time. Off, none of these is
 * drawn: the same generator state gives the same schedule as without the option.
 */
export declare function randomSegmentSchedule(seg: Segment, r: () => number, sharedIntermediates?: boolean, warmup?: boolean, stripsAndRaster?: boolean): SegmentSchedule;
