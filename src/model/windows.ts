// Per-dimension geometry: which interval of an input a layer reads for an interval of its output.
// Intervals are half-open [lo, hi); windows are clipped to the tensor (padding is never read).

import type { Layer, Shape } from '../ir/network.js';
import type { AffineMap } from './sequence.js';

export interface Interval {
  lo: number;
  hi: number;
}

export const empty: Interval = { lo: 0, hi: 0 };

export function isEmpty(i: Interval): boolean {
  return i.lo >= i.hi;
}

export function hull(a: Interval, b: Interval): Interval {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

export function span(i: Interval): number {
  return Math.max(0, i.hi - i.lo);
}

/**
 * Positions read for outputs `out`: the box each kernel window spans, `o*stride - pad` to
 * `o*stride - pad + (kernel-1)*dilation`, clipped to [0, size). Monotone in `out`.
 */
export function slidingWindow(
  out: Interval,
  kernel: number,
  stride: number,
  dilation: number,
  pad: number,
  size: number,
): Interval {
  if (isEmpty(out)) return empty;
  const lo = Math.max(0, out.lo * stride - pad);
  const hi = Math.min(size, (out.hi - 1) * stride - pad + (kernel - 1) * dilation + 1);
  return lo < hi ? { lo, hi } : empty;
}

/** Rows (dim 'y') or columns ('x') of input `slot` read for output rows/columns `out`. */
export function spatialWindow(
  layer: Layer,
  slot: number,
  dim: 'y' | 'x',
  out: Interval,
  input: Shape,
): Interval {
  if (isEmpty(out)) return empty;
  const size = dim === 'y' ? input.h : input.w;
  const a = dim === 'y' ? 0 : 1;
  switch (layer.kind) {
    case 'conv':
      return slidingWindow(
        out,
        layer.kernel[a],
        layer.stride[a],
        layer.dilation[a],
        dim === 'y' ? layer.pads.top : layer.pads.left,
        size,
      );
    case 'pool':
      return slidingWindow(
        out,
        layer.kernel[a],
        layer.stride[a],
        1,
        dim === 'y' ? layer.pads.top : layer.pads.left,
        size,
      );
    case 'eltwise':
      // a c x 1 x 1 operand broadcasts over positions
      return size === 1 && (dim === 'y' ? layer.shape.h : layer.shape.w) > 1 ? { lo: 0, hi: 1 } : out;
    default:
      void slot;
      return out;
  }
}

/**
 * Input channels of `slot` read for output channels `out` and, for convolutions, the reduction slice
 * `red` (input channels within a group).
 */
export function channelWindow(
  layer: Layer,
  slot: number,
  out: Interval,
  red: Interval,
  inputs: Shape[],
): Interval {
  if (isEmpty(out)) return empty;
  const c = inputs[slot]!.c;
  switch (layer.kind) {
    case 'conv': {
      if (isEmpty(red)) return empty;
      const perGroupIn = c / layer.groups;
      const perGroupOut = layer.outChannels / layer.groups;
      const g0 = Math.floor(out.lo / perGroupOut);
      const g1 = Math.floor((out.hi - 1) / perGroupOut);
      return { lo: g0 * perGroupIn + red.lo, hi: g1 * perGroupIn + red.hi };
    }
    case 'concat': {
      let offset = 0;
      for (let i = 0; i < slot; i++) offset += inputs[i]!.c;
      const lo = Math.max(out.lo, offset);
      const hi = Math.min(out.hi, offset + c);
      return lo < hi ? { lo: lo - offset, hi: hi - offset } : empty;
    }
    case 'slice':
      return { lo: out.lo + layer.start, hi: out.hi + layer.start };
    case 'lrn': {
      const before = Math.floor((layer.size - 1) / 2);
      const after = Math.ceil((layer.size - 1) / 2);
      return { lo: Math.max(0, out.lo - before), hi: Math.min(c, out.hi + after) };
    }
    case 'softmax':
      return { lo: 0, hi: c };
    case 'shuffle':
      // a shuffled channel range is scattered over the input: all channels are read
      return { lo: 0, hi: c };
    default:
      // pooling and element-wise layers work channel by channel (a broadcast operand has the same channels)
      return out;
  }
}

/** Interval maps as affine maps with clamping (see sequence.ts), so long tile sequences stay compressed. */
export const identityMap: AffineMap = {
  la: 1,
  lb: 0,
  ha: 1,
  hb: 0,
  min: Number.NEGATIVE_INFINITY,
  max: Number.POSITIVE_INFINITY,
};

/** The same interval whenever the argument is non-empty. */
export function constantMap(i: Interval): AffineMap {
  return { la: 0, lb: i.lo, ha: 0, hb: i.hi, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
}

function slidingMap(kernel: number, stride: number, dilation: number, pad: number, size: number): AffineMap {
  return {
    la: stride,
    lb: -pad,
    ha: stride,
    hb: -stride - pad + (kernel - 1) * dilation + 1,
    min: 0,
    max: size,
  };
}

/** spatialWindow as an affine map. */
export function spatialMap(layer: Layer, dim: 'y' | 'x', input: Shape): AffineMap {
  const size = dim === 'y' ? input.h : input.w;
  const a = dim === 'y' ? 0 : 1;
  const pad =
    dim === 'y'
      ? layer.kind === 'conv' || layer.kind === 'pool'
        ? layer.pads.top
        : 0
      : layer.kind === 'conv' || layer.kind === 'pool'
        ? layer.pads.left
        : 0;
  switch (layer.kind) {
    case 'conv':
      return slidingMap(layer.kernel[a], layer.stride[a], layer.dilation[a], pad, size);
    case 'pool':
      return slidingMap(layer.kernel[a], layer.stride[a], 1, pad, size);
    case 'eltwise':
      return size === 1 && (dim === 'y' ? layer.shape.h : layer.shape.w) > 1
        ? constantMap({ lo: 0, hi: 1 })
        : identityMap;
    default:
      return identityMap;
  }
}

/**
 * channelWindow as an affine map of the output channels (`of: 'out'`) or of the reduction slice
 * (`of: 'red'`, convolutions without groups), or undefined when it is not affine (grouped convolutions
 * with several channels per group), where channelWindow is applied element by element.
 */
export function channelMap(
  layer: Layer,
  slot: number,
  inputs: Shape[],
): { of: 'out' | 'red'; map: AffineMap } | undefined {
  const c = inputs[slot]!.c;
  switch (layer.kind) {
    case 'conv': {
      if (layer.groups === 1) return { of: 'red', map: identityMap };
      const perGroupIn = c / layer.groups;
      const perGroupOut = layer.outChannels / layer.groups;
      return perGroupIn === 1 && perGroupOut === 1 ? { of: 'out', map: identityMap } : undefined;
    }
    case 'concat': {
      let offset = 0;
      for (let i = 0; i < slot; i++) offset += inputs[i]!.c;
      return { of: 'out', map: { la: 1, lb: -offset, ha: 1, hb: -offset, min: 0, max: c } };
    }
    case 'slice':
      return { of: 'out', map: { la: 1, lb: layer.start, ha: 1, hb: layer.start, min: 0, max: c } };
    case 'lrn':
      return {
        of: 'out',
        map: {
          la: 1,
          lb: -Math.floor((layer.size - 1) / 2),
          ha: 1,
          hb: Math.ceil((layer.size - 1) / 2),
          min: 0,
          max: c,
        },
      };
    case 'softmax':
    case 'shuffle':
      return { of: 'out', map: constantMap({ lo: 0, hi: c }) };
    default:
      return { of: 'out', map: identityMap };
  }
}
