import type { Network } from '../ir/network.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/** Estimated element reads of a segment simulated by default: well under a minute at the usual rates. */
export declare const defaultMaxReads = 1000000000;
/** Simulator memory per segment allowed by default. */
export declare const defaultMaxBytes: number;
export interface SegmentCheck {
    segment: number;
    /** 'agree', 'differ', or 'skipped' when the estimated work or memory is above the limit. */
    status: 'agree' | 'differ' | 'skipped';
    /** Numbers compared (agree) or the differing fields, `buffer.field: predicted vs simulated`. */
    compared: number;
    differences: string[];
    /** Element reads the simulation is estimated to execute (an upper bound: clipping at borders lowers it). */
    estimatedReads: number;
    /** Simulator memory for the segment (bounded by its tensor sizes). */
    memoryBytes: number;
    /** Element reads executed (0 when skipped). */
    reads: number;
    seconds: number;
    note?: string;
}
export interface CheckLimits {
    /** Largest estimated element reads of a segment that is simulated. */
    maxReads?: number;
    /** Largest simulator memory of a segment that is simulated. */
    maxBytes?: number;
}
export interface CheckOptions extends CheckLimits {
    /** Called now and then with the element reads executed so far over all segments, and the estimate. */
    onProgress?: (reads: number, estimatedReads: number) => void;
}
export interface CheckPlan {
    segments: Segment[];
    estimatedReads: number[];
    memoryBytes: number[];
    simulate: boolean[];
    /** Estimated element reads of the simulated segments. */
    totalReads: number;
    maxReads: number;
    maxBytes: number;
}
/**
 * Element reads the simulator will execute on a segment, from the model's prediction of what each layer
 * computes (recomputation included, strips' halos too): a convolution reads per MAC one weight and per
 * kernel tap its input box (dilation gaps included) unclipped, other layers their window per output
 * element; twice that with a raster line buffer.
 */
export declare function estimateReads(seg: Segment, predicted: SegmentResult): number;
/** Estimates every segment's work and memory and decides which are simulated. */
export declare function planCheck(net: Network, sched: NetworkSchedule, limits?: CheckLimits): CheckPlan;
export declare function compareResults(predicted: SegmentResult, simulated: SegmentResult): {
    compared: number;
    differences: string[];
};
/** Runs the simulator on every segment within the limits and compares it with the model. */
export declare function checkWithSimulator(net: Network, sched: NetworkSchedule, options?: CheckOptions, plan?: CheckPlan): SegmentCheck[];
