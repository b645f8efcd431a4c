import type { Point } from './pareto.js';
/** A candidate segment with its Pareto front. */
export interface SegmentOption<T> {
    /** Its layers: indices into the network's topological order, ascending. */
    layers: readonly number[];
    /** Sorted by bytes ascending (as paretoFront returns it). */
    front: Point<T>[];
}
export interface Partition<T> {
    /** The chosen segments in an order they can run in, each with its chosen point. */
    parts: {
        layers: readonly number[];
        point: Point<T>;
    }[];
}
/**
 * The most down-sets the front is taken over. CNNs have far fewer (GoogLeNet 496: its inception
 * blocks a few dozen each, one after another); a graph with more (15 parallel branches: 32,768) gets
 * the front over prefixes of its layer order instead (chainOf), see wideGraph.
 */
export declare const maxDownSets = 20000;
/** Whether the layer graph has more than maxDownSets down-sets (counted up to that many). */
export declare function wideGraph(producers: readonly (readonly number[])[]): boolean;
/** The layers as a chain in their order: its down-sets are the order's prefixes. */
export declare function chainOf(layers: number): number[][];
/**
 * The exact Pareto front over every way to run the layers as a sequence of the given segments, each
 * using any point of its front. `producers[i]` lists the layers whose outputs layer i reads (earlier in
 * the order). Deterministic: ties keep the schedule with fewer MACs, then the first found.
 */
export declare function networkFront<T>(producers: readonly (readonly number[])[], options: SegmentOption<T>[]): Point<Partition<T>>[];
