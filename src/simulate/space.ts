// The elements a buffer can hold, numbered row-major over the four dimensions so that sets of them are
// typed arrays indexed by element.
// Every space has four dimensions: activations [c, y, x, 0], weights [o, i, ky, kx] with the bias of
// output channel o at [o, -1, 0, 0].

import type { Shape, WeightsShape } from '../ir/network.js';

export interface Space {
  /** Coordinates per dimension, the bias slot and virtual coordinates included. */
  sizes: [number, number, number, number];
  /**
   * The lowest coordinate per dimension: -1 along a weights' input channels (the bias row), minus the
   * margin of virtual coordinates along an activation's warm-up dimensions, else 0. Only elements with
   * every coordinate at least 0 count for the extents; virtual ones count for nothing at all.
   */
  low: [number, number, number, number];
  /** Weights: the bias slot exists at ky = kx = 0 only and does not count for the extents. */
  weights: boolean;
  /** Dimensions reported as the buffer's extents (weights: output and input channels). */
  extentDims: number;
  elements: number;
}

/** Virtual coordinates an activation needs below 0 along y and x (warm-up loops). */
export interface Margin {
  y: number;
  x: number;
}

export function activationSpace(shape: Shape, margin: Margin = { y: 0, x: 0 }): Space {
  const sizes: Space['sizes'] = [shape.c, shape.h + margin.y, shape.w + margin.x, 1];
  return {
    sizes,
    low: [0, 0 - margin.y, 0 - margin.x, 0],
    weights: false,
    extentDims: 3,
    elements: sizes[0] * sizes[1] * sizes[2],
  };
}

export function weightSpace(w: WeightsShape): Space {
  const [kh, kw] = w.kernel;
  const sizes: Space['sizes'] = [w.outChannels, w.perGroupIn + 1, kh, kw];
  return { sizes, low: [0, -1, 0, 0], weights: true, extentDims: 2, elements: sizes[0] * sizes[1] * kh * kw };
}
