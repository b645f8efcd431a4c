import type { NetworkSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/** The code generators that do not run strips, raster line buffers and several outputs yet. */
export type CodegenTarget = 'Halide';
/**
 * Refuses (one line naming the segment) a schedule with a segment `target` cannot run yet; `segments`:
 * the schedule's segments as checked (checkSchedule).
 */
export declare function refuseCodegenGaps(sched: NetworkSchedule, segments: readonly Segment[], target: CodegenTarget): void;
