/** A feature map at batch 1. A vector (e.g. a classifier output) is c x 1 x 1. */
export interface Shape {
    c: number;
    h: number;
    w: number;
}
/** Zero padding around a spatial input, in elements. */
export interface Pads {
    top: number;
    left: number;
    bottom: number;
    right: number;
}
/** [height, width] pair, for kernels, strides and dilations. */
export type Pair = readonly [number, number];
/** Element-wise functions applied to a layer's output as it is produced (folded into the producer). */
export type PointwiseOp = {
    op: 'relu';
} | {
    op: 'clip';
    min: number;
    max: number;
} | {
    op: 'sigmoid';
} | {
    op: 'hardsigmoid';
    alpha: number;
    beta: number;
} | {
    op: 'hardswish';
}
/** x * sigmoid(x), also called Swish (EfficientNet). */
 | {
    op: 'silu';
};
interface LayerBase {
    /** Unique; also the name of the tensor the layer produces. */
    name: string;
    /** Names of the consumed tensors (network inputs or other layers). */
    inputs: string[];
    /** Point-wise operators folded into this layer, applied in order. */
    post: PointwiseOp[];
}
/** Convolution, including grouped/depthwise and fully connected (kernel covering the whole input). */
export interface ConvLayer extends LayerBase {
    kind: 'conv';
    outChannels: number;
    kernel: Pair;
    stride: Pair;
    dilation: Pair;
    pads: Pads;
    groups: number;
    hasBias: boolean;
    /** True when the layer came from InnerProduct/Gemm/MatMul: a convolution whose kernel covers its input. */
    fullyConnected: boolean;
    /** [outChannels][inChannels/groups][kh][kw], row-major; absent for shape-only models. */
    weights?: Float32Array;
    /** [outChannels]; absent for shape-only models or when hasBias is false. */
    bias?: Float32Array;
    /**
     * Key of the stored weight tensor when the model file shares it between layers (e.g. an ONNX
     * initializer used by several nodes); layers with the same key hold the same values and
     * networkStats counts them once. Absent when not shared.
     */
    sharedWeights?: string;
    /** Like sharedWeights, for the bias. */
    sharedBias?: string;
}
/** Max or average pooling; global pooling has a kernel equal to its input. */
export interface PoolLayer extends LayerBase {
    kind: 'pool';
    mode: 'max' | 'avg';
    kernel: Pair;
    stride: Pair;
    pads: Pads;
    /** Output size rounds up (Caffe always does); a window must still start inside input or left/top padding. */
    ceilMode: boolean;
    /** Average pooling divides by the window clipped to the padded input (true) or to the input itself (false). */
    countIncludePad: boolean;
    global: boolean;
}
/** Element-wise combination of inputs of equal shape; an input of shape c x 1 x 1 broadcasts per channel. */
export interface EltwiseLayer extends LayerBase {
    kind: 'eltwise';
    op: 'add' | 'mul' | 'max';
}
/** Concatenation along channels. */
export interface ConcatLayer extends LayerBase {
    kind: 'concat';
}
/** Channels [start, end) of its input. */
export interface SliceLayer extends LayerBase {
    kind: 'slice';
    start: number;
    end: number;
}
/** Local response normalisation across channels: x / (k + alpha/size * sum of squares)^beta. */
export interface LrnLayer extends LayerBase {
    kind: 'lrn';
    size: number;
    alpha: number;
    beta: number;
    k: number;
}
/** Softmax over channels at every position. */
export interface SoftmaxLayer extends LayerBase {
    kind: 'softmax';
}
/** Channel shuffle: channel g*(c/groups)+i moves to i*groups+g (ShuffleNet's reshape-transpose-reshape). */
export interface ShuffleLayer extends LayerBase {
    kind: 'shuffle';
    groups: number;
}
/**
 * Per-channel affine map y = scale[c] * x + shift[c]: a batch-norm (or Caffe Scale) that cannot be folded
 * into a convolution, e.g. after a concat in a pre-activation network. Its parameters are held like a
 * depthwise 1x1 convolution's: one weight (the scale) and one bias (the shift) per channel.
 */
export interface AffineLayer extends LayerBase {
    kind: 'affine';
    /** [channels]; both absent for shape-only models. */
    scale?: Float32Array;
    shift?: Float32Array;
}
export type LayerSpec = ConvLayer | AffineLayer | PoolLayer | EltwiseLayer | ConcatLayer | SliceLayer | LrnLayer | SoftmaxLayer | ShuffleLayer;
export type LayerKind = LayerSpec['kind'];
/** A layer with its inferred output shape. */
export type Layer = LayerSpec & {
    shape: Shape;
};
/** The parameter tensor of a layer: [outChannels][perGroupIn][kernel area] plus one bias per output channel. */
export interface WeightsShape {
    outChannels: number;
    perGroupIn: number;
    kernel: Pair;
    kernelArea: number;
    bias: boolean;
}
/**
 * The parameters a layer reads from DRAM, or undefined when it has none. An affine layer's are those
 * of a depthwise 1x1 convolution with bias: per channel its scale (one weight) and its shift (the bias).
 */
export declare function weightsShape(layer: Layer, inputChannels: number): WeightsShape | undefined;
/**
 * A layer without its parameter values (a convolution's weights and bias, an affine layer's scale and
 * shift): its kind, geometry and wiring, all a schedule search reads.
 */
export declare function withoutParameters(layer: Layer): Layer;
export interface TensorInput {
    name: string;
    shape: Shape;
}
/** A validated network: layers in the canonical topological order (buildNetwork), every shape inferred and checked. */
export interface Network {
    name: string;
    inputs: TensorInput[];
    layers: Layer[];
    outputs: string[];
}
export declare function elements(s: Shape): number;
export declare function shapeText(s: Shape): string;
export declare const noPads: Pads;
/** Padding of two paddings applied one after the other (an explicit Pad folded into a layer's own). */
export declare function addPads(a: Pads, b: Pads): Pads;
export {};
