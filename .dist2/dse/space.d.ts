import type { Network } from '../ir/network.js';
import type { BufferLevels, LoopName, SegmentSchedule, TileSizes } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
/**
 * `full`: every tile size from 1 to the extent; `ceil`: only the distinct values of ceil(d/n), one per
 * tile count (smaller, but it can miss front points: see tileCandidates); `seed`: the paper tool's
 * space as far as it maps onto ours: powers of two plus the whole extent, every buffer stored where it
 * is filled (no reuse between iterations), layers not fused.
 */
export type SpaceName = 'full' | 'ceil' | 'seed';
/**
 * Tile sizes tried for an extent. `ceil` keeps one size per tile count, the smallest; that is not
 * exact under edge-exact counting: a larger tile with the same count makes the edge tile smaller, and
 * when the edge tile's window is clipped by the border it can move fewer elements, so sizes between
 * the ceil(d/n) values can be on the front (test/dse/space.test.ts finds such cases).
 */
export declare function tileCandidates(d: number, space: SpaceName): number[];
/** All 24 loop orders, outermost first, in a fixed order. */
export declare function loopOrders(): SegmentSchedule['order'][];
/**
 * Whether swapping x and y maps the segment onto itself: square tensors, and every window (kernel,
 * stride, dilation, padding) the same along both. Then a schedule and its mirror (x and y swapped in
 * the tiles, the order and the levels) cost exactly the same.
 */
export declare function mirrorSymmetric(seg: Segment): boolean;
/**
 * Loops of one iteration whatever the tile: an extent of 1 (a fully connected layer's x and y, the
 * reduction of a layer without one), or the reduction of a grouped convolution (always whole).
 */
export declare function singleIterationLoops(seg: Segment): LoopName[];
/**
 * The tile-loop orders a search walks: the paper tool's (one loop innermost, the others in the order
 * x, y, zo, zi) in the seed space; else all 24, or for a mirror-symmetric segment the 12 with x outside
 * y (each of the others is the mirror of one of them, at the same cost). A loop of one iteration changes
 * nothing wherever it sits (its levels and the next outer one's are the same): only the orders with such
 * loops innermost, in a fixed order, are walked.
 */
export declare function searchOrders(seg: Segment, space: SpaceName): SegmentSchedule['order'][];
export declare function tileCombinations(seg: Segment, space: SpaceName): TileSizes[];
/**
 * Every legal assignment of levels to the segment's buffers for an order (producers' fills at or above
 * their readers' compute levels), as a generator: consumers are assigned before their producers.
 */
export declare function levelAssignments(seg: Segment, order: SegmentSchedule['order']): Generator<Record<string, BufferLevels>>;
/**
 * Which sets of layers are segments: every convex part of the layer graph with one output (`dag`), or
 * only the runs of the network's layer order among them (`runs`: the space before DAG fronts, searched
 * faster on networks with wide branching, where it finds fewer points).
 */
export type SegmentSets = 'dag' | 'runs';
/**
 * The segments the network can run as: sets of at most maxFuse layers in which every layer but the last
 * is read only inside the set (so no path leaves the set and comes back: it is convex), those in which
 * some tensor is read by several layers (joins) of at most maxFuseJoins. Every run of the network's
 * order that is a segment is one; where the network branches, so are sets that no one order runs
 * consecutively (a branch fused with the layer joining it while a parallel branch runs apart). Layers
 * are indices into the network's order, ascending; sorted by first layer, then last, then the rest.
 * With `sets` 'runs', the runs only. Sets of at most maxFuseOutputs layers may also have several
 * outputs: an intermediate read after the set too, written to DRAM as computed (analyzeSegment says
 * which sets qualify).
 */
export declare function candidateSegments(net: Network, maxFuse: number, maxFuseJoins?: number, sets?: SegmentSets, maxFuseOutputs?: number): {
    layers: number[];
    segment: Segment;
}[];
/** Whether layers (indices in the network's order, ascending) are consecutive: a run of that order. */
export declare function isRun(layers: readonly number[]): boolean;
