import * as ort from 'onnxruntime-node';
import type { Network } from '../ir/network.js';
import type { Tensor } from '../reference/layers.js';
export interface OrtResult {
    network: string;
    model: string;
    weights: 'own' | 'seeded';
    input: string;
    macs: number;
    runs: number;
    /** Median wall time of one inference (session.run), after one warm-up run. */
    medianMs: number;
    minMs: number;
    maxMs: number;
    /** Process CPU time over wall time during the timed runs: about 1 when ONNX Runtime kept to one thread. */
    cpuPerWall: number;
    /** max |ONNX Runtime - reference| / max |reference| over the output. */
    relativeDifference: number;
    referenceSeconds: number;
}
export declare const ortModels: string[];
export declare function ortVersion(): string;
/**
 * ONNX Runtime on the network (exported by exportOnnx) and inputs, one thread: a warm-up run, then `runs`
 * timed runs (milliseconds each), CPU time over wall time while they ran, and the last run's outputs.
 */
export declare function timeOrt(net: Network, inputs: Tensor[], runs: number): Promise<{
    times: number[];
    cpuPerWall: number;
    output: ort.InferenceSession.OnnxValueMapType;
}>;
export declare function ortBench(models?: string[], runs?: number): Promise<OrtResult[]>;
export declare function ortSummaryLine(r: OrtResult): string;
