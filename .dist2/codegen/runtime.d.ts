/** What a program needs beyond the runtime every program has (the text of the rest stays out of it). */
export interface RuntimeFeatures {
    /** The network has affine layers. */
    affine?: boolean;
    /**
     * Some segment has a DRAM input read by several of its layers: its planned demand also joins the
     * last layer's tiles when that is one of the readers.
     */
    shared?: boolean;
    /**
     * Some segment has a warm-up loop (docs/execution-model.md, "Warm-up loops"). Along its dimension,
     * coordinates below 0 are virtual: windows are not clipped below 0 and start at the consumer's lowest
     * virtual position; presence is tracked for virtual elements like for real ones (each activation
     * buffer's presence array starts at its lowest virtual coordinate), so that what is new at a fill is
     * exact, and a producer's reads for its new virtual elements carry demand on. Virtual elements have no
     * slots: they are never loaded, computed, written, kept in a span or counted, and weights are read for
     * real outputs only.
     */
    warmup?: boolean;
    /** Some segment has an intermediate read by several of its layers (joined like a shared input). */
    dag?: boolean;
    /**
     * Some segment runs in strips (docs/execution-model.md, "Strips"): the nest runs once per strip, the
     * x loop over the strip's columns; per strip and buffer the program finds the columns the strip needs
     * of its tensor from its readers' windows (strip_needs), the others virtual like a warm-up's
     * coordinates below 0, and DRAM inputs' windows clipped to them.
     */
    strips?: boolean;
    /**
     * Some buffer is a raster line buffer (docs/execution-model.md, "Raster line buffers"): per channel
     * one run of the predicted length L, laid out as L positions of all its channels (channels innermost,
     * as in a box): element (c, y, x) at ((y * band + x) mod L) * C + c mod C. Rows wrap around the run, so
     * a position's slot is wrapped once (wrapped(), per position for all its channels: the kernels'
     * inner loops over channels stay as they are; a row of columns is stored in two stretches at most).
     * The verification build reads and writes it element by element and measures its run as a fourth
     * span, in raster positions.
     */
    raster?: boolean;
    /**
     * The release build (release.ts): the shared parts without the verification's bookkeeping (tags,
     * per-element presence, live spans); its own parts are the release-*.c files.
     */
    release?: boolean;
    /**
     * The release build in int8 (docs/int8.md): int8 storage, integer sums and fixed-point requantisation
     * (int8.c) instead of the float kernels; biases int32 beside the scratchpad.
     */
    int8?: boolean;
}
/** The folder of the runtime files (beside this module in src/ and, copied by the build, in dist/). */
export declare const runtimeFolder: string;
/** The functions' files in program order; the convolution kernels generated per shape come between. */
export declare const runtimeFiles: {
    beforeKernels: string[];
    afterKernels: string[];
};
/**
 * A runtime file's text for a program with these features: the leading `//` note dropped, the feature
 * blocks resolved, every other line as it is. `name` names the file in errors.
 */
export declare function resolveFeatures(text: string, features: RuntimeFeatures, name: string): string;
/** A runtime file as a program with these features has it. */
export declare function runtimeFile(file: string, features: RuntimeFeatures): string;
/** Types and constants, before the generated tables. */
export declare function runtimeTypesC(features?: RuntimeFeatures): string;
/** What a convolution kernel is specialised for: kernel, stride, dilation, top and left padding. */
export interface ConvShape {
    kh: number;
    kw: number;
    sh: number;
    sw: number;
    dh: number;
    dw: number;
    pt: number;
    pl: number;
}
export declare function convShapeKey(c: ConvShape): string;
/**
 * The release build's functions (release.ts), in program order: the shared files resolved with the
 * `release` feature (which leaves out the verification's bookkeeping), and its own release-*.c.
 */
export declare const releaseFiles: {
    beforeKernels: string[];
    afterKernels: string[];
};
/**
 * The release build's functions, after the generated tables: the convolution kernels are the
 * verification's; in int8, int8.c's instead.
 */
export declare function releaseRuntimeC(shapes: ConvShape[], features?: RuntimeFeatures): string;
/**
 * The functions; they use the tables the generator emits between the two parts. `shapes`: the distinct
 * convolution shapes of the network (Layer.shape indexes them), each given its own kernels.
 */
export declare function runtimeC(shapes: ConvShape[], features?: RuntimeFeatures): string;
