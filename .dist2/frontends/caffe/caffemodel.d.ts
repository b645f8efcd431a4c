/** A parameter blob: its values and the shape it declares (which real files do not always get right). */
export interface CaffeBlob {
    dims: number[];
    data: Float32Array;
}
/** The dims a blob declares: its `shape`, else the legacy num/channels/height/width. */
export declare function blobDims(b: {
    shape?: {
        dim?: number[];
    } | undefined;
    num?: number | undefined;
    channels?: number | undefined;
    height?: number | undefined;
    width?: number | undefined;
}): number[];
export interface Caffemodel {
    name: string | undefined;
    /** Blobs by layer name (the first layer of a name wins); layers without blobs are left out. */
    blobs: Map<string, CaffeBlob[]>;
}
/** Decodes a .caffemodel (new `layer` or old `layers` entries). Throws InputError naming the file. */
export declare function decodeCaffemodel(bytes: Uint8Array, file?: string): Caffemodel;
