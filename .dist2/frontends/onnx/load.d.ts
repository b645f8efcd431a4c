import type { Network } from '../../ir/network.js';
/** Reads and converts an ONNX file; external tensor data is looked up next to it. */
export declare function loadOnnxFile(path: string): Network;
/**
 * Converts ONNX bytes. `file` names the model in errors (and the network); `baseDir` is where
 * external data files are resolved (without it, a model with external data is an error).
 */
export declare function loadOnnx(bytes: Uint8Array, file: string, baseDir?: string): Network;
