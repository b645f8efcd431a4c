import type { Layer, Network } from '../ir/network.js';
import type { LoweredSegment } from '../lower/nest.js';
import type { CheckedSchedule, NetworkResult } from '../model/evaluate.js';
import type { LoopName, NetworkSchedule } from '../model/schedule.js';
import type { Segment, SegmentBuffer } from '../model/segment.js';
import type { ProgramTensor } from './c.js';
/** What a buffer's traced Funcs count: DRAM reads (inputs, weights), elements computed, DRAM writes. */
export interface HalideBufferFuncs {
    buffer: SegmentBuffer;
    /** Funcs whose stores are counted for the buffer (a weights buffer: its weights and its bias). */
    counted: string[];
    /** The Func whose realization is the buffer's on-chip box (none for weights without a box of their own). */
    box: string;
}
export interface HalideSegment {
    layers: string[];
    buffers: HalideBufferFuncs[];
    /** False for a view (a slice or concat alone): no pipeline, nothing counted. */
    pipeline: boolean;
}
export interface HalideProgram {
    name: string;
    generator: string;
    runner: string;
    makefile: string;
    /** As the C backend's (weightsFile). */
    weights?: Uint8Array;
    inputs: ProgramTensor[];
    outputs: ProgramTensor[];
    segments: HalideSegment[];
    layers: Map<string, Layer>;
    predicted: NetworkResult;
    /** Where the program departs from the schedule (a store level Halide cannot keep), one line each. */
    notes: string[];
}
/** Where Debian's libhalide14-0-dev puts the headers. */
export declare const halideInclude = "/usr/include/halide14";
export declare const halideLibs: string[];
/** Warnings are errors in memsched's own code; Halide's headers are system headers (they warn under -Wextra). */
export declare const halideCxxFlags: string[];
/** The loops of more than one tile between a store level and a fill level (depths), outermost first. */
export declare function reuseLoops(nest: LoweredSegment, storeDepth: number, fillDepth: number): LoopName[];
export interface HalideLevels {
    /** Depths (0 root, k the body of the k-th loop) the buffer's Func is stored and computed at. */
    store: number;
    fill: number;
    /** Why they differ from the schedule's, if they do. */
    note?: string;
}
/**
 * The levels each buffer's Func gets, consumers first. Halide 14 slides a Func along one loop: a buffer
 * whose box moves along more loops between its store and fill levels, or along a channel loop, is
 * computed at its store level instead (each element still computed or loaded once per store instance,
 * as the model counts, in a larger box; on random schedules Halide computed wrong values when left to
 * slide such buffers). A producer is computed no deeper than its readers.
 */
export declare function halideLevels(seg: Segment, nest: LoweredSegment): HalideLevels[];
/**
 * Why Halide cannot run this segment's schedule as the model counts it, or undefined: the reduction
 * loop around the output's store level (partial sums through DRAM: Halide finishes a Func's reduction
 * where it computes it).
 */
export declare function halideRefusal(nest: LoweredSegment, outputStore: number): string | undefined;
/**
 * Why Halide's counts of a segment may differ from the model's, one line each (empty: the features
 * docs/halide.md lists as exact). Not a prediction that they differ: the cases where they can.
 */
export declare function halideInexact(seg: Segment, nest: LoweredSegment): string[];
/** The generator's compile command (generator.cpp to generator). */
export declare function generatorCommand(cxx: string): string[];
/** The runner's compile command, linking the segments' libraries and the Halide runtime. */
export declare function runnerCommand(cxx: string, name: string, libs: string[]): string[];
/**
 * The Halide program of a schedule of `net` (checked and predicted by checkAndEvaluate); every
 * convolution and affine layer must carry weights (runnableNetwork). Schedules Halide cannot run as the
 * model counts them are refused (halideRefusal) with an InputError naming the segment.
 */
export declare function generateHalide(net: Network, sched: NetworkSchedule, { segments, predicted }: CheckedSchedule, options?: {
    weights?: boolean;
}): HalideProgram;
/** halideInexact of every segment of a checked schedule, each line naming its segment. */
export declare function halideInexactText({ segments, predicted }: CheckedSchedule, sched: NetworkSchedule): string[];
