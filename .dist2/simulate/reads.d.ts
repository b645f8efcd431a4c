import type { Layer, Shape } from '../ir/network.js';
/** Source index of weight reads; activation reads use the index into `layer.inputs`. */
export declare const weightsSource = -1;
/** Input channels (within the group) that one computation reduces over, [lo, hi). */
export interface Reduction {
    lo: number;
    hi: number;
}
/**
 * Receives one box of elements read from a source, bounds half-open per dimension: activations
 * [c, y, x, 0], weights [o, i, ky, kx] with i the channel within the group, -1 for the bias.
 */
export type ReadBox = (source: number, c0: number, c1: number, y0: number, y1: number, x0: number, x1: number, k0: number, k1: number) => void;
/**
 * Along which of y and x windows are not clipped below 0: the dimension of a warm-up loop, whose
 * coordinates below 0 are virtual (in intermediates: a DRAM input, which has none, clips them itself).
 */
export interface Unclipped {
    y: boolean;
    x: boolean;
}
/**
 * Calls `read` for the elements that computing output element [c, y, x] reads (empty boxes are left
 * out). `reduction` limits a convolution to a slice of its per-group input channels (the last layer's
 * zi tile); without it the whole reduction runs here, so the bias is read too. A virtual output element
 * (a coordinate below 0) reads its data windows but no weights.
 */
export declare function forEachRead(layer: Layer, inputs: Shape[], c: number, y: number, x: number, reduction: Reduction | undefined, unclipped: Unclipped, read: ReadBox, 
/** Whether the element is real (weights are read for real elements only); in a strip, its caller knows. */
real?: boolean): void;
/** MACs of one output element: a convolution's reduced channels times its kernel; 0 for other layers. */
export declare function macsPerElement(layer: Layer, inputs: Shape[], reduction: Reduction | undefined): number;
