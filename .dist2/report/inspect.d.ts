import type { Network } from '../ir/network.js';
export interface LayerSummary {
    name: string;
    type: string;
    inputs: string[];
    inputShapes: string[];
    outputShape: string;
    kernel?: [number, number];
    stride?: [number, number];
    dilation?: [number, number];
    pads?: [number, number, number, number];
    groups?: number;
    post: string[];
    macs: number;
    weightElements: number;
    biasElements: number;
    outputElements: number;
}
export interface NetworkSummary {
    name: string;
    inputs: {
        name: string;
        shape: string;
    }[];
    outputs: {
        name: string;
        shape: string;
    }[];
    hasWeights: boolean;
    layers: LayerSummary[];
    totals: {
        layers: number;
        macs: number;
        parameters: number;
        activations: number;
    };
}
export declare function summarizeNetwork(net: Network): NetworkSummary;
/** The per-layer table with totals, as `memsched inspect` prints it. */
export declare function inspectText(summary: NetworkSummary): string;
