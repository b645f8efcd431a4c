import { type Model, type Tensor } from './schema.js';
/** The model in `bytes`, with an IR version and a graph. */
export declare function readModel(bytes: Uint8Array): Model;
/** Why a file could not be read, in words (the first line of anything unexpected). */
export declare function ioReason(e: unknown): string;
export interface TensorData {
    /** Floating-point data as float32. */
    floats?: Float32Array;
    /** Integer (and bool) data. */
    ints?: number[];
}
/** A tensor's data from raw_data, an external file or the typed field of its type; null when it has none. */
export declare function decodeTensor(t: Tensor, name: string, external: ExternalData): TensorData | null;
/** Tensor data stored outside the model, in files of the model's folder (each file checked once). */
export declare class ExternalData {
    private readonly baseDir;
    private readonly files;
    constructor(baseDir: string | undefined);
    /**
     * The bytes of a tensor stored outside the model. The location must be a relative path to a regular
     * file inside the model's folder (no absolute path, no '..', no symbolic link out of it), and the
     * range must hold exactly the tensor's bytes: a model must not make us read /dev/urandom or
     * ~/.ssh (CVE-2024-27318). Only that range is read.
     */
    bytes(t: Tensor, name: string): Uint8Array;
    /** Where an external data location leads, checked to be a regular file inside the model's folder. */
    private file;
}
