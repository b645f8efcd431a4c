import type { Tensor } from '../reference/layers.js';
import type { HalideProgram } from './halide.js';
/** Whether Halide 14's headers are installed (Debian: libhalide14-0-dev). */
export declare function halideInstalled(): boolean;
export interface HalideRun {
    /** Seconds of each run of the pipelines, measured by the runner (no file I/O). */
    seconds: number[];
    /** Stores per traced Func (generated with --trace), elements. */
    stores: Record<string, number>;
    /** Per traced Func the largest extent per dimension it was realized with. */
    boxes: Record<string, number[]>;
    outputs: Tensor[];
}
/**
 * Writes the program into `dir` (which must exist), builds the generator, runs it (`trace`: the copy
 * stages count their stores), links the runner. A compiler message, even a warning, is an error.
 */
export declare function buildHalide(dir: string, p: HalideProgram, trace: boolean): {
    seconds: number;
};
/** Runs a built program `runs` times on an input file (rawTensors) and reads its report and outputs. */
export declare function runHalide(dir: string, p: HalideProgram, weights: string, input: string, runs?: number): HalideRun;
