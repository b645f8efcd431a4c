import type { Layer, Network, Shape } from '../ir/network.js';
import type { CheckedSchedule, NetworkResult } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { SegmentBuffer } from '../model/segment.js';
import type { Int8Network } from '../reference/int8.js';
export interface ProgramTensor {
    name: string;
    shape: Shape;
}
export interface ProgramSegment {
    layers: string[];
    /** In the order of the program's counters. */
    buffers: SegmentBuffer[];
}
export interface CProgram {
    /** File stem: the network name reduced to [A-Za-z0-9_-]. */
    name: string;
    source: string;
    /**
     * The weights file (unless generated without): little-endian float32, per convolution in network
     * order its weights [out][in/groups][kh][kw], then its bias; per affine layer its scale, then its shift.
     */
    weights?: Uint8Array;
    /** The input file holds these tensors in this order (CHW float32 each); the output file likewise. */
    inputs: ProgramTensor[];
    outputs: ProgramTensor[];
    segments: ProgramSegment[];
    layers: Map<string, Layer>;
    /** The model's prediction for the schedule, which sized the scratchpad and its buffers. */
    predicted: NetworkResult;
    /** The most bias slots the weights buffers of one segment hold (the int8 build keeps them as int32 beside the scratchpad). */
    biasSlots: number;
    /** The most slots of an output buffer holding partial sums (the int8 build keeps them as int32 beside the scratchpad). */
    partialSlots: number;
}
/** Seed of the weights given to networks that come without them. */
export declare const weightsSeed = 1;
/**
 * The network with weights: its own when every convolution and affine layer has them, else seeded
 * ones (deterministicWeights).
 */
export declare function runnableNetwork(net: Network): Network;
/** The program's file names (name.c, name): the network's name made safe. */
export declare function programName(name: string): string;
/** The weights file: every convolution's weights then bias, every affine layer's scale then shift, in network order. */
export declare function weightsFile(net: Network): Uint8Array;
/**
 * The part of main() reading the weights, allocating the tensors in DRAM and reading the inputs (both
 * builds): the tables weighted, net_inputs and dram_owned have the given lengths; `placements` point the
 * views' tensors into their storage; `readInput` reads net_inputs[i] from f.
 */
export declare function loadLines(weighted: number, inputs: number, owned: number, placements: string[], readInput?: string, readWeights?: string[]): string[];
/** The part of main() writing the network's outputs (both builds). */
export declare function writeLines(outputs: number): string[];
/**
 * Generates the C program for a schedule of `net`, checked and predicted by the model (checkAndEvaluate):
 * the program carves the predicted buffers and holds its counters against the prediction. Every
 * convolution of `net` must carry weights (use runnableNetwork). `release`: the release build of the
 * same loop nests instead (release.ts, docs/release-c.md).
 */
export declare function generateC(net: Network, sched: NetworkSchedule, { segments, predicted }: CheckedSchedule, options?: {
    weights?: boolean;
    release?: boolean;
    int8?: Int8Network;
}): CProgram;
