import type { Shape } from '../ir/network.js';
import type { Tensor } from './layers.js';
/**
 * Reads a PNG (greyscale or colour, any bit depth; alpha ignored) as a tensor of the given shape with
 * values in [0, 1]. One channel from a colour image is its luma, `Y = 16 + 0.257 R + 0.504 G + 0.098 B`
 * on the 0..255 scale, divided by 255 (the traffic-sign detector's convention); three channels from a
 * greyscale image repeat the grey value. (pngjs turns pixels of a tRNS transparent colour black.)
 */
export declare function readImage(path: string, shape: Shape): Tensor;
/** Reads a raw little-endian float32 file (CHW) of exactly the given shape. */
export declare function readRaw(path: string, shape: Shape): Tensor;
/**
 * `count` little-endian float32 values from byte `at` on. NaN and infinities are refused: outputs
 * computed from them cannot be compared with the reference's.
 */
export declare function float32Values(bytes: Uint8Array, at: number, count: number, file: string): Float32Array;
