import type { Network, Shape } from '../ir/network.js';
import { type Tensor } from './layers.js';
/** M = m * 2^-n, m an integer in [2^30, 2^31): a real multiplier applied in integers. */
export interface Multiplier {
    m: number;
    n: number;
}
/** Round half away from zero, written as the spec (and the C) computes it. */
export declare function rnd(x: number): number;
/** The spec's (m, n) for a real multiplier; an InputError outside (0, 2^30). */
export declare function multiplier(real: number): Multiplier;
/** rshift(v * m, n) with the product exact: in double below 2^53, in BigInt above. */
export declare function mulshift(v: number, k: Multiplier): number;
/** Per layer, what its int8 computation needs. */
export interface LayerInt8 {
    /** scale of the layer's output tensor */
    scale: number;
    /** clamps: requantise to `scale`, clamp to [lo, hi]; table: requantise to preScale, then table[q + 128] */
    post: {
        kind: 'clamps';
        lo: number;
        hi: number;
    } | {
        kind: 'table';
        preScale: number;
        table: Int8Array;
    };
    /** convolution and affine layers: [out][in/groups][kh][kw] like ConvLayer.weights; bias always present (zeros if the layer has none) */
    weights?: Int8Array;
    bias?: Int32Array;
    weightScales?: Float64Array;
    /** per output channel: the multiplier from the accumulator to the target scale (scale for clamps, preScale for table) */
    outMultipliers?: Multiplier[];
    /** eltwise add/max: per input, r_k of the spec (integers < 2^30) ; eltwise mul: productMultiplier */
    inputFactors?: number[];
    productMultiplier?: Multiplier;
    /** pooling and copy layers with a table post-op: from the input scale to preScale */
    rescale?: Multiplier;
}
export interface Int8Network {
    net: Network;
    /** every tensor's scale: network inputs and every layer's output, by tensor name */
    scales: Map<string, number>;
    layers: Map<string, LayerInt8>;
}
export interface Int8Tensor {
    shape: Shape;
    data: Int8Array;
}
/** Refuses (one line naming the layer) a network int8 cannot run, before a calibration spends time on it. */
export declare function refuseInt8Network(net: Network): void;
/**
 * Calibrates on the given float inputs (one per network input, as runNetwork takes them: a Record by
 * input name) and quantises. Throws InputError (one line, naming the layer) for LRN, softmax, a mul of
 * more than two inputs, an input factor >= 64, a multiplier >= 2^30, a layer without weights.
 */
export declare function quantizeNetwork(net: Network, calibration: Record<string, Tensor>): Promise<Int8Network>;
/** Quantises a float input tensor with a tensor's scale (spec: clamp8(rnd(x / s))). */
export declare function quantizeTensor(t: Tensor, scale: number): Int8Array;
/** Runs the int8 network; returns the network's outputs by name, int8 and dequantised (Math.fround(q * s)). */
export declare function runInt8(q: Int8Network, inputs: Record<string, Tensor>): Promise<{
    outputs: Record<string, Int8Tensor>;
    dequantised: Record<string, Tensor>;
}>;
