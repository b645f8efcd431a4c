import type { Network, PointwiseOp, Shape } from '../../ir/network.js';
export declare const relu: PointwiseOp;
/** torchvision's ReLU6, exported to ONNX as Clip(0, 6). */
export declare const relu6: PointwiseOp;
export declare const sigmoid: PointwiseOp;
export interface ConvOptions {
    stride?: number;
    /** Symmetric zero padding. */
    pad?: number;
    groups?: number;
    dilation?: number;
    /** Defaults to true: batch-norm folded into a bias-free convolution still leaves a bias. */
    bias?: boolean;
    post?: PointwiseOp[];
    /** The consumed tensor; defaults to the cursor. */
    input?: string;
}
export interface PoolOptions {
    stride?: number;
    pad?: number;
    ceilMode?: boolean;
    countIncludePad?: boolean;
    input?: string;
}
export declare class NetBuilder {
    private readonly name;
    private readonly input;
    private readonly specs;
    private cursor;
    constructor(name: string, input: {
        name: string;
        shape: Shape;
    });
    /** The tensor the next layer consumes by default. */
    get last(): string;
    /** Moves the cursor, e.g. back to a block's input to build its shortcut. */
    from(tensor: string): this;
    private push;
    conv(name: string, outChannels: number, kernel: number, o?: ConvOptions): this;
    /** Fully connected (Gemm / InnerProduct): build.ts sets the kernel to the input's extent. */
    fc(name: string, outChannels: number, o?: {
        post?: PointwiseOp[];
        input?: string;
    }): this;
    private pool;
    /** Stride defaults to the kernel, as in PyTorch. */
    maxPool(name: string, kernel: number, o?: PoolOptions): this;
    avgPool(name: string, kernel: number, o?: PoolOptions): this;
    globalAvgPool(name: string, o?: {
        input?: string;
    }): this;
    add(name: string, inputs: string[], post?: PointwiseOp[]): this;
    concat(name: string, inputs: string[]): this;
    /** Channels [start, end) of the input. */
    slice(name: string, start: number, end: number, o?: {
        input?: string;
    }): this;
    softmax(name: string, o?: {
        input?: string;
    }): this;
    build(outputs?: string[]): Network;
}
