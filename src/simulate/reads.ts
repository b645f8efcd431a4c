// What one output element of a layer reads, tap by tap, straight from the layer definition. The
// simulator builds every demand from these reads; it never uses interval formulas.

import type { Layer, Shape } from '../ir/network.js';

/** An element: activations [c, y, x]; weights [o, i, ky, kx] with i the channel within the group, -1 for the bias. */
export type Coords = number[];

/** Source index of weight reads; activation reads use the index into `layer.inputs`. */
export const weightsSource = -1;

/** Input channels (within the group) that one computation reduces over, [lo, hi). */
export interface Reduction {
  lo: number;
  hi: number;
}

function inside(v: number, size: number): boolean {
  return v >= 0 && v < size;
}

/**
 * Calls `read(source, coords)` for every element that computing output element `out` reads.
 * `reduction` limits a convolution to a slice of its per-group input channels (the last layer's zi
 * tile); without it the whole reduction runs here, so the bias is read too.
 */
export function forEachRead(
  layer: Layer,
  inputs: Shape[],
  out: Coords,
  reduction: Reduction | undefined,
  read: (source: number, coords: Coords) => void,
): void {
  const [c, y, x] = out as [number, number, number];
  switch (layer.kind) {
    case 'conv': {
      const input = inputs[0]!;
      const perGroupIn = input.c / layer.groups;
      const group = Math.floor(c / (layer.outChannels / layer.groups));
      const lo = reduction?.lo ?? 0;
      const hi = reduction?.hi ?? perGroupIn;
      const [kh, kw] = layer.kernel;
      for (let i = lo; i < hi; i++) {
        // Weights are read for every tap, also those that fall into the padding.
        for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) read(weightsSource, [c, i, ky, kx]);
        // The input is read as the box the kernel spans (dilation gaps included), clipped to the input.
        const y0 = y * layer.stride[0] - layer.pads.top;
        const x0 = x * layer.stride[1] - layer.pads.left;
        for (let iy = y0; iy <= y0 + (kh - 1) * layer.dilation[0]; iy++)
          for (let ix = x0; ix <= x0 + (kw - 1) * layer.dilation[1]; ix++)
            if (inside(iy, input.h) && inside(ix, input.w)) read(0, [group * perGroupIn + i, iy, ix]);
      }
      if (layer.hasBias && lo === 0) read(weightsSource, [c, -1, 0, 0]);
      return;
    }
    case 'affine':
      // the scale is the channel's one weight, the shift its bias
      read(0, [c, y, x]);
      read(weightsSource, [c, 0, 0, 0]);
      read(weightsSource, [c, -1, 0, 0]);
      return;
    case 'pool': {
      const input = inputs[0]!;
      const [kh, kw] = layer.kernel;
      for (let ky = 0; ky < kh; ky++)
        for (let kx = 0; kx < kw; kx++) {
          const iy = y * layer.stride[0] - layer.pads.top + ky;
          const ix = x * layer.stride[1] - layer.pads.left + kx;
          if (inside(iy, input.h) && inside(ix, input.w)) read(0, [c, iy, ix]);
        }
      return;
    }
    case 'eltwise':
      inputs.forEach((s, k) => {
        read(k, s.h === 1 && s.w === 1 ? [c, 0, 0] : [c, y, x]);
      });
      return;
    case 'concat': {
      let offset = 0;
      for (const [k, s] of inputs.entries()) {
        if (c < offset + s.c) {
          read(k, [c - offset, y, x]);
          return;
        }
        offset += s.c;
      }
      throw new Error(`simulate: concat '${layer.name}' has no input holding channel ${c}`);
    }
    case 'slice':
      read(0, [c + layer.start, y, x]);
      return;
    case 'lrn': {
      const channels = inputs[0]!.c;
      const lo = Math.max(0, c - Math.floor((layer.size - 1) / 2));
      const hi = Math.min(channels - 1, c + Math.ceil((layer.size - 1) / 2));
      for (let k = lo; k <= hi; k++) read(0, [k, y, x]);
      return;
    }
    case 'softmax':
      for (let k = 0; k < inputs[0]!.c; k++) read(0, [k, y, x]);
      return;
    case 'shuffle':
      // A shuffled channel range is scattered over the input: the whole channel column is read.
      for (let k = 0; k < inputs[0]!.c; k++) read(0, [k, y, x]);
      return;
  }
}

/** MACs of one output element: a convolution's reduced channels times its kernel; 0 for other layers. */
export function macsPerElement(layer: Layer, inputs: Shape[], reduction: Reduction | undefined): number {
  if (layer.kind !== 'conv') return 0;
  const channels = reduction ? reduction.hi - reduction.lo : inputs[0]!.c / layer.groups;
  return channels * layer.kernel[0] * layer.kernel[1];
}
