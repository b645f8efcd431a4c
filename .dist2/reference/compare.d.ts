import type { Tensor } from './layers.js';
export interface Difference {
    /** max |actual - expected| */
    maxAbs: number;
    /** max |expected|, the scale the error is judged against */
    maxRef: number;
    /** maxAbs / maxRef (0 when both are 0) */
    relative: number;
}
/** Default tolerance: float32 results of a different summation order agree to about 1e-4 of the scale. */
export declare const defaultTolerance = 0.0001;
export declare function difference(actual: Tensor, expected: Tensor): Difference;
/** True when max |actual - expected| <= tolerance * max |expected|. */
export declare function withinTolerance(d: Difference, tolerance?: number): boolean;
