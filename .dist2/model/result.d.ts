import type { BufferRole } from './segment.js';
export interface BufferResult {
    id: string;
    role: BufferRole;
    tensor: string;
    /**
     * Storage extents per dimension: activations [channels, height, width]; weights [output channels,
     * input channels per group] (each input channel holds kernel-height x kernel-width elements, and each
     * output channel one bias element when the layer has a bias).
     */
    extents: number[];
    /**
     * A raster line buffer's run per channel ((rows - 1) x band + columns): its storage is channels
     * (extents[0]) times this, not the box.
     */
    raster?: number;
    /** On-chip bytes of the buffer: elements of its storage box (or raster runs) times the element width. */
    bytes: number;
    /** Elements made present over the whole run: loaded (input, weights), computed (intermediate), or brought in (output). */
    filled: number;
    /** Elements read from DRAM (inputs, weights, output partial sums read back). */
    dramReads: number;
    /** Elements written to DRAM (the output, including partial sums that leave the chip). */
    dramWrites: number;
}
export interface SegmentResult {
    buffers: BufferResult[];
    dramReads: number;
    dramWrites: number;
    /** Sum of all buffers of the segment (they are allocated together). */
    onChipBytes: number;
    /** Multiply-accumulates including recomputation, per layer and in total. */
    layerMacs: Record<string, number>;
    macs: number;
    /** A view (Segment.view): nothing moved, held or computed. */
    view?: true;
}
/** Elements of a buffer's storage: its box (see BufferResult.extents), or channels times its raster run. */
export declare function storageElements(role: BufferRole, extents: number[], kernelArea: number, hasBias: boolean, raster?: number): number;
