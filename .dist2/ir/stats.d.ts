import type { Layer, Network, Shape } from './network.js';
/**
 * A count, refused once past 2^53, where doubles stop being exact: a printed count is never rounded.
 * buildNetwork's size limits keep real networks far below it.
 */
export declare function exactCount(n: number, what: string, node?: string): number;
/** The exact product of counts (each partial product is at most the result). */
export declare function exactProduct(factors: number[], what: string, node?: string): number;
/** The exact sum of counts. */
export declare function exactSum(terms: number[], what: string, node?: string): number;
export interface LayerStats {
    name: string;
    kind: string;
    inputShapes: Shape[];
    outputShape: Shape;
    /**
     * Multiply-accumulates of convolutions and fully connected layers (pooling, affine etc. count 0, as
     * the published MAC counts of the fixtures do).
     */
    macs: number;
    weightElements: number;
    biasElements: number;
    outputElements: number;
}
export interface NetworkStats {
    layers: LayerStats[];
    macs: number;
    /** Weights plus biases; a tensor shared by several layers (sharedWeights/sharedBias) counts once. */
    parameters: number;
    /** Elements of all layer outputs. */
    activations: number;
    inputElements: number;
}
/** The shape of every tensor, by name. */
export declare function tensorShapes(net: Network): Map<string, Shape>;
/** For every tensor, the layers that read it (in network order). */
export declare function consumersOf(net: Network): Map<string, Layer[]>;
/** Per layer (by index in the network's order), the layers whose outputs it reads. */
export declare function layerProducers(net: Network): number[][];
/** Display name of a layer's type; `inChannels` tells depthwise from grouped convolutions. */
export declare function layerType(l: Layer, inChannels: number): string;
export declare function layerStats(l: Layer, shapes: Map<string, Shape>): LayerStats;
export declare function networkStats(net: Network): NetworkStats;
