import { type Difference } from '../reference/index.js';
/** The fixtures with NAME.input.bin / NAME.output.bin / NAME.io.json next to NAME.onnx. */
export declare const onnxFixtures: readonly ['squeezenet1_1', 'mobilenet_v2', 'resnet18', 'vdsr'];
export interface ReferenceResult extends Difference {
    fixture: string;
    /** Inference alone, without loading the model or the data. */
    seconds: number;
    ok: boolean;
}
/** Runs one fixture and compares the output with PyTorch's. */
export declare function runOnnxFixture(fixture: string, dir: string): Promise<ReferenceResult>;
export declare function referenceBench(fixtures?: readonly string[], dir?: string): Promise<ReferenceResult[]>;
