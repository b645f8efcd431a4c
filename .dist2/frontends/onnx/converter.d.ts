import type { LayerSpec, Network, Pads, Shape } from '../../ir/network.js';
import { Attrs } from './attributes.js';
import { type TensorData } from './decode.js';
import { type NodeInfo } from './node.js';
import type { Model, Tensor } from './schema.js';
import { type Constant, type Rank, type TensorRef, type Value } from './values.js';
/** Converts one node; `attrs` reads its attributes. */
export type Handler = (cx: Converter, info: NodeInfo, attrs: Attrs) => void;
export declare class Converter {
    private readonly name;
    private readonly graph;
    readonly opset: number;
    readonly values: Map<string, Value>;
    /** Consumers of each ONNX value (after alias resolution); graph outputs count as consumers. */
    readonly uses: Map<string, number>;
    readonly consumers: Map<string, NodeInfo[]>;
    readonly graphOutputs: Set<string>;
    private readonly specs;
    readonly layers: Map<string, LayerSpec>;
    readonly shapes: Map<string, Shape>;
    /** ONNX values that are views of an IR tensor (its producer's output, aliases, flattenings). */
    private readonly views;
    /** Uses of an IR tensor's views by nodes that only made further views of it. */
    readonly internalUses: Map<string, number>;
    private readonly takenNames;
    private readonly nodeNameCount;
    /** Nodes of a written-out activation after its first one: views of the tensor it was folded into. */
    readonly activationNodes: Map<NodeInfo, string>;
    readonly producers: Map<string, NodeInfo>;
    private readonly external;
    private readonly aliases;
    constructor(model: Model, name: string, baseDir: string | undefined);
    convert(): Network;
    dims(t: Tensor): number[];
    private inputs;
    private resolve;
    private outputTensor;
    layerName(info: NodeInfo, suffix?: string): string;
    addLayer(info: NodeInfo, spec: LayerSpec): LayerSpec;
    /** Output `k` of the node is the new IR tensor `tensor`. */
    defineLayerOutput(info: NodeInfo, k: number, tensor: string, rank: Rank): void;
    /** Output `k` of the node is another view of an existing IR tensor (alias, flattening, folded op). */
    defineView(info: NodeInfo, k: number, tensor: string, rank: Rank): void;
    /** How many operations read an IR tensor, whichever view they use (network outputs included). */
    usesOf(tensor: string): number;
    /** The layer producing input i, which must have no other reader, to fold an operator into. */
    foldTarget(info: NodeInfo, i: number): {
        layer: LayerSpec;
        ref: TensorRef;
    };
    /** Whether a constant is read more than once (weights shared by several layers). */
    isShared(c: Constant): boolean;
    value(info: NodeInfo, i: number): Value;
    tensorIn(info: NodeInfo, i: number): TensorRef;
    /** A 4-D input, possibly with zero padding from a Pad node still to be absorbed. */
    spatialIn(info: NodeInfo, i: number): TensorRef & {
        extra: Pads;
    };
    constIn(info: NodeInfo, i: number, what: string): Constant;
    /** Whether optional input i is given. */
    hasInput(info: NodeInfo, i: number): boolean;
    data(c: Constant, info: NodeInfo): TensorData | undefined;
    /** Float data of a constant, or undefined in a shape-only model. */
    floats(c: Constant, info: NodeInfo, what: string): Float32Array | undefined;
    /** Integer data of a constant that the conversion needs (shapes, indices, bounds). */
    ints(c: Constant, info: NodeInfo, what: string): number[];
    intsIn(info: NodeInfo, i: number, what: string): number[];
    scalarIn(info: NodeInfo, i: number, what: string): number;
    /** Axes from an attribute (older opsets) or an input (newer ones). */
    axes(info: NodeInfo, attrs: Attrs, input: number): number[] | undefined;
    /** A tensor's data (the same decoding for initializers and tensor attributes). */
    decodeTensor(t: Tensor, name: string): TensorData | null;
    private convertNode;
}
