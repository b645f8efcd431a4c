import type { ConvLayer, Layer, Shape } from '../ir/network.js';
import type { AffineMap } from './sequence.js';
export interface Interval {
    lo: number;
    hi: number;
}
export declare const empty: Interval;
export declare function isEmpty(i: Interval): boolean;
export declare function hull(a: Interval, b: Interval): Interval;
export declare function span(i: Interval): number;
/**
 * Input channels of a grouped convolution read for output channels `out` and the reduction slice `red`
 * (channels within a group): the hull over the groups the outputs belong to. The one channel window
 * that is not an affine map (see channelMap).
 */
export declare function groupedChannelWindow(layer: ConvLayer, out: Interval, red: Interval, inputChannels: number): Interval;
export declare const identityMap: AffineMap;
/** The same interval whenever the argument is non-empty. */
export declare function constantMap(i: Interval): AffineMap;
/** The real part of an interval of a dimension of this size (virtual coordinates are below 0). */
export declare function realMap(size: number): AffineMap;
/**
 * Rows ('y') or columns ('x') of an input read for output rows or columns; `virtualBelow`: not clipped
 * below 0 (the dimension of a loop with warm-up, docs/execution-model.md "Warm-up loops").
 */
export declare function spatialMap(layer: Layer, dim: 'y' | 'x', input: Shape, virtualBelow?: boolean): AffineMap;
/**
 * Input channels of input `slot` read, as an affine map of the output channels (`of: 'out'`) or of the
 * reduction slice (`of: 'red'`, convolutions without groups), or undefined when it is not affine
 * (grouped convolutions with several channels per group: groupedChannelWindow).
 */
export declare function channelMap(layer: Layer, slot: number, inputs: Shape[]): {
    of: 'out' | 'red';
    map: AffineMap;
} | undefined;
