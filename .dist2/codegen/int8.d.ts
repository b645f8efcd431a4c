import type { CheckedSchedule } from '../model/evaluate.js';
import type { Int8Network, LayerInt8 } from '../reference/int8.js';
/**
 * Per segment whose last layer moves partial sums through DRAM (its reduction loop around its output's
 * store level), a line saying so: the int8 build moves them as int32 (4 bytes each; the model counts
 * elements).
 */
export declare function int8DramPartials({ segments, predicted }: CheckedSchedule): string[];
/** Per layer, its requantisation: table declarations before the layers, and its fields. */
export declare function int8LayerC(q: LayerInt8, i: number): {
    decls: string[];
    fields: string[];
};
/** The scales of the program's tensors, in its order (inputs quantised, outputs dequantised with them). */
export declare function tensorScalesC(q: Int8Network, tensors: readonly string[]): string;
/**
 * The int8 weights file: per convolution (and affine layer) in network order its int8 weights
 * [out][in/groups][kh][kw], then, where it has biases, its int32 biases little-endian.
 */
export declare function int8WeightsFile(q: Int8Network): Uint8Array;
/** main()'s reading of the weights in the int8 build (loadLines' first part). */
export declare const int8WeightLines: string[];
