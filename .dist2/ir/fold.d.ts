import type { AffineLayer, ConvLayer, LayerSpec } from './network.js';
/** Per-channel scale and shift: y = scale * x + shift. Either may be absent (1 and 0). */
export interface ChannelAffine {
    scale?: Float32Array;
    shift?: Float32Array;
}
/** Batch-norm as an affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
export declare function batchNormAffine(gamma: Float32Array | undefined, beta: Float32Array | undefined, mean: Float32Array, variance: Float32Array, epsilon: number): Required<ChannelAffine>;
/**
 * Folds y = scale * conv(x) + shift into the convolution's weights and bias (in place).
 * `shapeOnly` says the parameters are unknown (a shape-only model): then only the bias flag changes.
 */
export declare function foldAffineIntoConv(conv: ConvLayer, affine: ChannelAffine | 'shapeOnly'): void;
/**
 * Whether a per-channel scale and shift can fold into the layer: a convolution or an affine layer with
 * no point-wise operator after it. (Whether another reader of its output forbids the fold is the
 * frontend's question: each tracks readers its own way.)
 */
export declare function takesAffine(layer: LayerSpec | undefined): layer is ConvLayer | AffineLayer;
/** Folds y = scale * layer(x) + shift into a convolution's weights and bias, or an affine layer's own. */
export declare function foldAffine(layer: ConvLayer | AffineLayer, affine: ChannelAffine | 'shapeOnly'): void;
/** The full scale and shift of an affine layer with `channels` channels (an absent part is 1 or 0). */
export declare function affineParameters(affine: ChannelAffine | 'shapeOnly', channels: number): Required<ChannelAffine> | Record<string, never>;
/** Composes y = scale * layer(x) + shift into the affine layer's own scale and shift (in place). */
export declare function composeAffine(layer: AffineLayer, affine: ChannelAffine | 'shapeOnly'): void;
