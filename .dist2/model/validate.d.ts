import type { Network } from '../ir/network.js';
import type { NetworkSchedule, SegmentSchedule } from './schedule.js';
import type { Segment } from './segment.js';
/** The depth at which a layer of the segment computes: its output buffer's fill level (the last: 4). */
export declare function computeDepth(seg: Segment, s: SegmentSchedule, layer: string): number;
/** Checks one segment's schedule against the segment: also that the model can count it exactly. */
export declare function checkSegmentSchedule(seg: Segment, s: SegmentSchedule, path: string): void;
/** Checks a whole network schedule: every layer in one segment, segments in an executable order. */
export declare function checkSchedule(net: Network, sched: NetworkSchedule): Segment[];
