import { type NodeInfo } from './node.js';
import { type Tensor } from './schema.js';
/** Typed access to a node's attributes. */
export declare class Attrs {
    private readonly info;
    private readonly byName;
    constructor(info: NodeInfo);
    has(name: string): boolean;
    private get;
    int(name: string, fallback: number): number;
    float(name: string, fallback: number): number;
    string(name: string, fallback: string): string;
    ints(name: string): number[] | undefined;
    floats(name: string): number[] | undefined;
    tensor(name: string): Tensor | undefined;
    /** A [height, width] pair (strides, dilations), defaulting to [1, 1]. */
    pair(name: string): [number, number];
}
