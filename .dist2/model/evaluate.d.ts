import type { Network } from '../ir/network.js';
import type { SegmentResult } from './result.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from './schedule.js';
import type { Segment } from './segment.js';
export interface NetworkResult {
    elementBytes: ElementBytes;
    segments: SegmentResult[];
    dramReads: number;
    dramWrites: number;
    /** Reads plus writes, in elements. */
    dramAccesses: number;
    /** The largest segment's on-chip bytes. */
    onChipBytes: number;
    macs: number;
}
export declare function combineSegments(segments: SegmentResult[], elementBytes: ElementBytes): NetworkResult;
/** A checked network schedule: its segments, as checkSchedule gives them, and the model's prediction. */
export interface CheckedSchedule {
    segments: Segment[];
    predicted: NetworkResult;
}
/** Checks a network schedule and predicts its cost. */
export declare function checkAndEvaluate(net: Network, sched: NetworkSchedule): CheckedSchedule;
/** The prediction of checkAndEvaluate alone. */
export declare function evaluateSchedule(net: Network, sched: NetworkSchedule): NetworkResult;
/** One whole tile per segment with every buffer at root: each tensor moves exactly once. */
export declare function wholeTileSchedule(seg: Segment): SegmentSchedule;
/**
 * The layer-by-layer baseline every result is compared with: no fusion, each layer on whole feature
 * maps (input, weights and output on chip at once), so each tensor crosses DRAM once per layer.
 */
export declare function baselineSchedule(net: Network, elementBytes: ElementBytes): NetworkSchedule;
