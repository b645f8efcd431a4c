import type { VerifyPoint } from '../formats/verify.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Tensor } from '../reference/layers.js';
import type { VerifySession } from './verify.js';
export interface HalideVerifyOptions {
    /** Keep the program's folder instead of removing it. */
    keep?: boolean;
    /** Called with the program's outputs (network outputs in order). */
    onOutputs?: (outputs: Tensor[]) => void;
}
/**
 * Generates, builds (traced) and runs one schedule through Halide. A schedule the backend refuses
 * throws its InputError; a build or run that fails is a failed point.
 */
export declare function verifyHalideSchedule(session: VerifySession, sched: NetworkSchedule, point: number | null, options?: HalideVerifyOptions): VerifyPoint;
