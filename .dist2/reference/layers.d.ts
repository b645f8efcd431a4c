import type { AffineLayer, ConcatLayer, ConvLayer, EltwiseLayer, Layer, LrnLayer, PointwiseOp, PoolLayer, Shape, ShuffleLayer, SliceLayer, SoftmaxLayer } from '../ir/network.js';
/** A feature map at batch 1, channels x height x width, row-major (CHW). */
export interface Tensor {
    shape: Shape;
    data: Float32Array;
}
type Shaped<L> = L & {
    shape: Shape;
};
/** Applies a layer's folded point-wise operators, in order, in place. */
export declare function applyPost(data: Float32Array, post: readonly PointwiseOp[]): void;
export declare function conv(layer: Shaped<ConvLayer>, x: Tensor): Tensor;
export declare function pool(layer: Shaped<PoolLayer>, x: Tensor): Tensor;
export declare function eltwise(layer: Shaped<EltwiseLayer>, xs: Tensor[]): Tensor;
export declare function affine(layer: Shaped<AffineLayer>, x: Tensor): Tensor;
export declare function concat(layer: Shaped<ConcatLayer>, xs: Tensor[]): Tensor;
export declare function slice(layer: Shaped<SliceLayer>, x: Tensor): Tensor;
export declare function lrn(layer: Shaped<LrnLayer>, x: Tensor): Tensor;
export declare function softmax(layer: Shaped<SoftmaxLayer>, x: Tensor): Tensor;
export declare function shuffle(layer: Shaped<ShuffleLayer>, x: Tensor): Tensor;
/** Runs one layer on its input tensors (in the order of `layer.inputs`). */
export declare function runLayer(layer: Layer, xs: Tensor[]): Tensor;
export {};
