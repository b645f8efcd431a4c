import type { FrontFile } from '../formats/front.js';
import type { VerifyFileRead, VerifyPointRead } from '../formats/verify.js';
import type { Network } from '../ir/network.js';
import type { SegmentResult } from '../model/result.js';
import type { BufferRole, Segment } from '../model/segment.js';
import type { NetworkSummary } from './inspect.js';
export declare const roleCodes: Record<BufferRole, string>;
/**
 * The layers of a segment, the tile loops' extents, and its buffers as [id, role code, layer index,
 * tensor, the indices of the layers of the segment reading it].
 */
export interface ReportStruct {
    layers: number[];
    dims: [number, number, number, number];
    buffers: [string, string, number, string, number[]][];
    /** 1: a view (a slice or concat alone: nothing moved, no loops). */
    view?: 1;
}
/**
 * A segment schedule and its predicted cost, without names (shared by layers of the same shape):
 * tile x, y, zo, zi; the order as loop indices ("1023" = y x zo zi), and its warm-ups after a colon
 * ("1023:y19" = 19 warm-up iterations of y); per buffer its store and fill
 * depths as two digits; the segment's on-chip bytes, DRAM reads, writes and MACs; then per buffer
 * the number of extents, the extents, bytes, elements filled, DRAM reads and DRAM writes.
 */
export type ReportBody = (number | string)[];
/**
 * A point: on-chip bytes, DRAM accesses, MACs (predicted), then either 0 and its segments as
 * [struct, body] pairs, or 1 and [position, struct, body] triples changed from the point before.
 */
export type ReportPoint = [number, number, number, 0 | 1, number[]];
export interface ReportData {
    network: NetworkSummary;
    space: string;
    elementBytes: number;
    baseline: {
        bytes: number;
        accesses: number;
    };
    lowerBound: {
        accesses: number;
    };
    /** The MACs of the network with every element computed once: a point's recompute factor is over these. */
    leastMacs: number;
    budgetBytes: number | null;
    chosen: number | null;
    /** The point shown first: the chosen one, else the one with the fewest DRAM accesses. */
    selected: number;
    layers: string[];
    structs: ReportStruct[];
    bodies: ReportBody[];
    points: ReportPoint[];
    verify: VerifyPointRead[];
}
/** A point's checked segments and the predicted cost of each. */
export interface PointDetail {
    segments: Segment[];
    results: SegmentResult[];
}
/**
 * Checks every point of a front against the network and predicts each distinct segment schedule once.
 * Points whose numbers differ from the model's are refused: the file is stale.
 */
export declare class FrontEvaluation {
    readonly layers: string[];
    readonly structs: ReportStruct[];
    readonly bodies: ReportBody[];
    readonly points: ReportPoint[];
    /** The network's MACs with every element computed once (the baseline's): recompute factors are over these. */
    readonly leastMacs: number;
    private readonly details;
    constructor(net: Network, front: FrontFile);
    /** The checked segments of point i and their predictions. */
    detail(i: number): PointDetail;
}
/** Refuses a verify file of another network, element width, or points the front does not have. */
export declare function checkVerify(net: Network, front: FrontFile, verify: VerifyFileRead): void;
export declare function reportData(net: Network, front: FrontFile, evaluation: FrontEvaluation, verify?: VerifyFileRead): ReportData;
