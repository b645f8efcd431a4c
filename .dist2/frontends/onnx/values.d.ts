import type { Pads, Shape } from '../../ir/network.js';
import type { TensorData } from './decode.js';
import type { Tensor } from './schema.js';
/** Rank of the ONNX view of an IR tensor: [1,C,H,W], or [1,C*H*W] after Flatten/Reshape. */
export type Rank = 2 | 4;
export interface Constant {
    name: string;
    dims: number[];
    proto?: Tensor;
    /** Decoded data: undefined until read, null when the tensor carries no data (shape-only model). */
    data?: TensorData | null;
}
export type Value = {
    kind: 'tensor';
    tensor: string;
    rank: Rank;
} | {
    kind: 'const';
    constant: Constant;
}
/** Zero padding waiting for the Conv/AveragePool that absorbs it. */
 | {
    kind: 'padded';
    tensor: string;
    pads: Pads;
}
/** First two steps of a channel shuffle: Reshape to [1,g,C/g,H,W], then Transpose. */
 | {
    kind: 'grouped';
    tensor: string;
    groups: number;
} | {
    kind: 'transposed';
    tensor: string;
    groups: number;
};
export interface TensorRef {
    tensor: string;
    rank: Rank;
    shape: Shape;
}
/** What a value is, in the words of an error message. */
export declare function describe(v: Value | undefined): string;
