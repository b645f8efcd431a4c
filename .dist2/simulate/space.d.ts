import type { Shape, WeightsShape } from '../ir/network.js';
export interface Space {
    /** Coordinates per dimension, the bias slot and virtual coordinates included. */
    sizes: [number, number, number, number];
    /**
     * The lowest coordinate per dimension: -1 along a weights' input channels (the bias row), minus the
     * margin of virtual coordinates along an activation's warm-up dimensions, else 0. Only elements with
     * every coordinate at least 0 count for the extents; virtual ones count for nothing at all.
     */
    low: [number, number, number, number];
    /** Weights: the bias slot exists at ky = kx = 0 only and does not count for the extents. */
    weights: boolean;
    /** Dimensions reported as the buffer's extents (weights: output and input channels). */
    extentDims: number;
    elements: number;
}
/** Virtual coordinates an activation needs below 0 along y and x (warm-up loops). */
export interface Margin {
    y: number;
    x: number;
}
export declare function activationSpace(shape: Shape, margin?: Margin): Space;
export declare function weightSpace(w: WeightsShape): Space;
