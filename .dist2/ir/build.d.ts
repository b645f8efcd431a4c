import type { Layer, LayerSpec, Network, Shape, TensorInput } from './network.js';
/** Output extent of a sliding window: floor (or ceil) of the padded extent over the stride, plus one. */
export declare function windowOutput(input: number, kernel: number, stride: number, dilation: number, padBefore: number, padAfter: number, ceilMode: boolean): number;
/**
 * Size limits (also in the README). Real networks stay far below them: the traffic detector's 720 x 1280
 * input, VGG's 25088 x 4096 classifier, VDSR's 2^35 MACs at 256 x 256 (2^40 on a 1920 x 1080 image).
 * Beyond them the search would run for hours and counts could pass 2^53, where doubles stop being
 * exact; the MAC limit leaves the cost model 2^11 of room for recomputation below 2^53.
 */
export declare const limits: {
    /** Height and width of every tensor, kernel, stride, dilation and padding. */
    readonly extent: number;
    readonly channels: number;
    /** Elements of one tensor (channels x height x width). */
    readonly elements: number;
    /** Multiply-accumulates of the whole network. */
    readonly macs: number;
};
/** Checks one layer against its input shapes and returns it with its output shape (used by frontends). */
export declare function inferShape(spec: LayerSpec, ins: Shape[]): Layer;
/**
 * Validates and shapes a network. `outputs` defaults to the layers nobody consumes.
 * Throws InputError naming the node on any inconsistency.
 */
export declare function buildNetwork(name: string, inputs: TensorInput[], specs: LayerSpec[], outputs?: string[]): Network;
