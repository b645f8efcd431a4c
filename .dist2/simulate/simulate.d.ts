import type { Network } from '../ir/network.js';
import type { SegmentResult } from '../model/result.js';
import type { ElementBytes, SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
export interface SimulateOptions {
    /** Called now and then with the element reads executed so far. */
    onProgress?: (reads: number) => void;
}
/**
 * The simulator's memory for a segment schedule: bounded by the sizes of its buffers' tensors (with
 * their virtual margins), not by tile steps.
 */
export declare function simulationBytes(seg: Segment, s: SegmentSchedule): number;
/**
 * Executes one segment schedule element by element and measures DRAM traffic, buffer sizes and MACs.
 * Throws InputError for an invalid schedule, and Error if a computation would read an element that
 * is not on chip (a bug in the semantics, never in the input).
 */
export declare function simulateSegment(net: Network, seg: Segment, s: SegmentSchedule, elementBytes: ElementBytes, options?: SimulateOptions): SegmentResult;
