import type { Layer, Shape } from './network.js';
/**
 * The layers with every concat of sliced convolution branches that is a grouped convolution replaced by
 * that convolution, named as the concat (its consumers read the same tensor). Only whole patterns: the
 * slices cover the tensor in order in equal parts, each slice and branch feeds only the next step and is
 * no network output, and the branches differ in nothing but their weights (nor share them with others).
 */
export declare function mergeGroupedBranches(layers: Layer[], outputs: readonly string[], inputs: Map<string, Shape>): Layer[];
