// The elements a buffer can hold, numbered row-major over the four dimensions so that sets of them are
// typed arrays indexed by element.
// Every space has four dimensions: activations [c, y, x, 0], weights [o, i, ky, kx] with the bias of
// output channel o at [o, -1, 0, 0].

import type { Shape, WeightsShape } from '../ir/network.js';

export interface Space {
  sizes: [number, number, number, number];
  /** Coordinate 1 ranges over [-offset, sizes[1] - offset): 1 for weights (the bias row), else 0. */
  offset: number;
  /** Weights: the bias slot exists at ky = kx = 0 only and does not count for the extents. */
  weights: boolean;
  /** Dimensions reported as the buffer's extents (weights: output and input channels). */
  extentDims: number;
  elements: number;
}

export function activationSpace(shape: Shape): Space {
  return {
    sizes: [shape.c, shape.h, shape.w, 1],
    offset: 0,
    weights: false,
    extentDims: 3,
    elements: shape.c * shape.h * shape.w,
  };
}

export function weightSpace(w: WeightsShape): Space {
  const [kh, kw] = w.kernel;
  const sizes: Space['sizes'] = [w.outChannels, w.perGroupIn + 1, kh, kw];
  return { sizes, offset: 1, weights: true, extentDims: 2, elements: sizes[0] * sizes[1] * kh * kw };
}
