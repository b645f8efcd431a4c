// One function per layer kind: plain float32 tensors in, a fresh float32 tensor out.
// Sums run in float64 and are rounded once when stored, so the result is the exact sum up to one
// float32 rounding (PyTorch's own order of summation is unknown anyway).

import { InputError } from '../ir/errors.js';
import type {
  AffineLayer,
  ConcatLayer,
  ConvLayer,
  EltwiseLayer,
  Layer,
  LrnLayer,
  Pads,
  Pair,
  PointwiseOp,
  PoolLayer,
  Shape,
  ShuffleLayer,
  SliceLayer,
  SoftmaxLayer,
} from '../ir/network.js';

/** A feature map at batch 1, channels x height x width, row-major (CHW). */
export interface Tensor {
  shape: Shape;
  data: Float32Array;
}

type Shaped<L> = L & { shape: Shape };

/** Applies a layer's folded point-wise operators, in order, in place. */
export function applyPost(data: Float32Array, post: readonly PointwiseOp[]): void {
  for (const p of post) {
    const n = data.length;
    switch (p.op) {
      case 'relu':
        for (let i = 0; i < n; i++) if (data[i]! < 0) data[i] = 0;
        break;
      case 'clip': {
        const { min, max } = p;
        for (let i = 0; i < n; i++) data[i] = Math.min(Math.max(data[i]!, min), max);
        break;
      }
      case 'sigmoid':
        for (let i = 0; i < n; i++) data[i] = 1 / (1 + Math.exp(-data[i]!));
        break;
      case 'hardsigmoid': {
        const { alpha, beta } = p;
        for (let i = 0; i < n; i++) data[i] = Math.max(0, Math.min(1, alpha * data[i]! + beta));
        break;
      }
      case 'hardswish':
        for (let i = 0; i < n; i++) {
          const v = data[i]!;
          data[i] = (v * Math.max(0, Math.min(6, v + 3))) / 6;
        }
        break;
      case 'silu':
        for (let i = 0; i < n; i++) {
          const v = data[i]!;
          data[i] = v / (1 + Math.exp(-v));
        }
        break;
    }
  }
}

/** Values of one element type: the float reference's, or the int8 reference's. */
type Values = Float32Array | Int8Array;

/** The input with its zero padding made explicit, so every kernel tap reads inside the array. */
function padInput<T extends Values>(data: T, shape: Shape, pads: Pads): { data: T; h: number; w: number } {
  const { c, h, w } = shape;
  const { top, left, bottom, right } = pads;
  if (top + left + bottom + right === 0) return { data, h, w };
  const ph = h + top + bottom;
  const pw = w + left + right;
  const out = (data instanceof Int8Array ? new Int8Array(c * ph * pw) : new Float32Array(c * ph * pw)) as T;
  for (let ch = 0; ch < c; ch++)
    for (let y = 0; y < h; y++) {
      const from = (ch * h + y) * w;
      out.set(data.subarray(from, from + w), (ch * ph + y + top) * pw + left);
    }
  return { data: out, h: ph, w: pw };
}

/** What a convolution's sums depend on besides its values (an affine layer: a depthwise 1x1 one). */
export interface ConvGeometry {
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  pads: Pads;
  groups: number;
}

/**
 * Every output's sum, bias plus products, in float64 (exact for the int8 reference's integers), CHW:
 * the float reference rounds them to float32, the int8 one requantises them.
 */
export function convolutionSums(
  g: ConvGeometry,
  outShape: Shape,
  x: { shape: Shape; data: Values },
  weights: ArrayLike<number>,
  bias: ArrayLike<number> | undefined,
): Float64Array {
  const { c: outC, h: outH, w: outW } = outShape;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const [dh, dw] = g.dilation;
  const groupIn = x.shape.c / g.groups;
  const groupOut = outC / g.groups;
  const xp = padInput(x.data, x.shape, g.pads);
  const xd = xp.data;
  const inPlane = xp.h * xp.w;
  // Offset of every tap (input channel, kernel row, kernel column) from the window's corner, in
  // the weights' own order, so one output is a dot product of a weight row with these inputs.
  const taps = groupIn * kh * kw;
  const tapOffset = new Int32Array(taps);
  for (let ic = 0, t = 0; ic < groupIn; ic++)
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++, t++) tapOffset[t] = ic * inPlane + ky * dh * xp.w + kx * dw;
  const plane = outH * outW;
  const corner = new Int32Array(plane);
  for (let p = 0; p < plane; p++) corner[p] = Math.floor(p / outW) * sh * xp.w + (p % outW) * sw;
  const out = new Float64Array(outC * plane);
  // Two output channels by four output positions at a time: each loaded input feeds two sums and
  // each loaded weight four, which makes this several times faster than one sum at a time.
  // Blocks at the end of a group or plane repeat its last channel or position (same value twice).
  for (let gi = 0; gi < g.groups; gi++) {
    const xBase = gi * groupIn * inPlane;
    const last = (gi + 1) * groupOut - 1;
    for (let oc0 = gi * groupOut; oc0 <= last; oc0 += 2) {
      const oc1 = Math.min(oc0 + 1, last);
      const w0 = oc0 * taps;
      const w1 = oc1 * taps;
      const bias0 = bias?.[oc0] ?? 0;
      const bias1 = bias?.[oc1] ?? 0;
      for (let p0 = 0; p0 < plane; p0 += 4) {
        const p1 = Math.min(p0 + 1, plane - 1);
        const p2 = Math.min(p0 + 2, plane - 1);
        const p3 = Math.min(p0 + 3, plane - 1);
        const b0 = xBase + corner[p0]!;
        const b1 = xBase + corner[p1]!;
        const b2 = xBase + corner[p2]!;
        const b3 = xBase + corner[p3]!;
        let s00 = bias0;
        let s01 = bias0;
        let s02 = bias0;
        let s03 = bias0;
        let s10 = bias1;
        let s11 = bias1;
        let s12 = bias1;
        let s13 = bias1;
        for (let t = 0; t < taps; t++) {
          const o = tapOffset[t]!;
          const x0 = xd[b0 + o]!;
          const x1 = xd[b1 + o]!;
          const x2 = xd[b2 + o]!;
          const x3 = xd[b3 + o]!;
          const u = weights[w0 + t]!;
          const v = weights[w1 + t]!;
          s00 += u * x0;
          s01 += u * x1;
          s02 += u * x2;
          s03 += u * x3;
          s10 += v * x0;
          s11 += v * x1;
          s12 += v * x2;
          s13 += v * x3;
        }
        const r0 = oc0 * plane;
        const r1 = oc1 * plane;
        out[r0 + p0] = s00;
        out[r0 + p1] = s01;
        out[r0 + p2] = s02;
        out[r0 + p3] = s03;
        out[r1 + p0] = s10;
        out[r1 + p1] = s11;
        out[r1 + p2] = s12;
        out[r1 + p3] = s13;
      }
    }
  }
  return out;
}

export function conv(layer: Shaped<ConvLayer>, x: Tensor): Tensor {
  if (layer.weights === undefined)
    throw new InputError('has no weights (a shape-only model cannot be run; see deterministicWeights)', {
      node: layer.name,
    });
  const sums = convolutionSums(layer, layer.shape, x, layer.weights, layer.bias);
  return { shape: layer.shape, data: Float32Array.from(sums) };
}

/**
 * Every output's window of a pooling, reduced: its max, or its sum and the count an average divides it by
 * (CHW; exact for the int8 reference's integers): the float reference divides, the int8 one rounds.
 */
export function poolWindows(
  layer: Shaped<PoolLayer>,
  x: { shape: Shape; data: Values },
): { values: Float64Array; counts: Int32Array } {
  const { c, h: inH, w: inW } = x.shape;
  const { h: outH, w: outW } = layer.shape;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const { top, left, bottom, right } = layer.pads;
  const isMax = layer.mode === 'max';
  const values = new Float64Array(c * outH * outW);
  const counts = new Int32Array(c * outH * outW);
  for (let ch = 0; ch < c; ch++) {
    const xPlane = ch * inH * inW;
    for (let oy = 0; oy < outH; oy++) {
      // The window clipped to the padded extent [-top, inH + bottom) and then to the input.
      const y0 = oy * sh - top;
      const y1 = Math.min(y0 + kh, inH + bottom);
      const ya = Math.max(y0, 0);
      const yb = Math.min(y1, inH);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - left;
        const x1 = Math.min(x0 + kw, inW + right);
        const xa = Math.max(x0, 0);
        const xb = Math.min(x1, inW);
        let r = isMax ? -Infinity : 0;
        for (let y = ya; y < yb; y++) {
          const row = xPlane + y * inW;
          for (let xx = xa; xx < xb; xx++) {
            const v = x.data[row + xx]!;
            if (isMax) {
              if (v > r) r = v;
            } else r += v;
          }
        }
        const at = (ch * outH + oy) * outW + ox;
        values[at] = r;
        counts[at] = layer.countIncludePad ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
      }
    }
  }
  return { values, counts };
}

export function pool(layer: Shaped<PoolLayer>, x: Tensor): Tensor {
  const { values, counts } = poolWindows(layer, x);
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) out[i] = layer.mode === 'max' ? values[i]! : values[i]! / counts[i]!;
  return { shape: layer.shape, data: out };
}

export function eltwise(layer: Shaped<EltwiseLayer>, xs: Tensor[]): Tensor {
  const { c, h, w } = layer.shape;
  const plane = h * w;
  const out = new Float32Array(c * plane);
  const op = layer.op;
  xs.forEach((x, n) => {
    // A c x 1 x 1 operand repeats its one value over each channel's plane.
    const perChannel = x.shape.h * x.shape.w === 1 && plane !== 1;
    for (let ch = 0; ch < c; ch++) {
      const base = ch * plane;
      for (let i = 0; i < plane; i++) {
        const v = x.data[perChannel ? ch : base + i]!;
        const o = base + i;
        if (n === 0) out[o] = v;
        else if (op === 'add') out[o] = out[o]! + v;
        else if (op === 'mul') out[o] = out[o]! * v;
        else if (v > out[o]!) out[o] = v;
      }
    }
  });
  return { shape: layer.shape, data: out };
}

export function affine(layer: Shaped<AffineLayer>, x: Tensor): Tensor {
  const { scale, shift } = layer;
  if (scale === undefined || shift === undefined)
    throw new InputError(
      'has no scale and shift (a shape-only model cannot be run; see deterministicWeights)',
      {
        node: layer.name,
      },
    );
  const plane = x.shape.h * x.shape.w;
  const out = new Float32Array(x.data.length);
  for (let ch = 0; ch < x.shape.c; ch++) {
    const s = scale[ch]!;
    const b = shift[ch]!;
    // rounded after the product and after the sum, as float32 arithmetic (and the C backend) does
    for (let i = ch * plane; i < (ch + 1) * plane; i++) out[i] = Math.fround(Math.fround(s * x.data[i]!) + b);
  }
  return { shape: layer.shape, data: out };
}

export function concat(layer: Shaped<ConcatLayer>, xs: Tensor[]): Tensor {
  const out = new Float32Array(layer.shape.c * layer.shape.h * layer.shape.w);
  let offset = 0;
  for (const x of xs) {
    out.set(x.data, offset);
    offset += x.data.length;
  }
  return { shape: layer.shape, data: out };
}

export function slice(layer: Shaped<SliceLayer>, x: Tensor): Tensor {
  const plane = x.shape.h * x.shape.w;
  const out = x.data.slice(layer.start * plane, layer.end * plane);
  return { shape: layer.shape, data: out };
}

export function lrn(layer: Shaped<LrnLayer>, x: Tensor): Tensor {
  const { c, h, w } = x.shape;
  const plane = h * w;
  const { size, alpha, beta, k } = layer;
  const before = Math.floor((size - 1) / 2);
  const after = Math.ceil((size - 1) / 2);
  const out = new Float32Array(c * plane);
  for (let ch = 0; ch < c; ch++) {
    const lo = Math.max(0, ch - before);
    const hi = Math.min(c - 1, ch + after);
    for (let i = 0; i < plane; i++) {
      let squares = 0;
      for (let j = lo; j <= hi; j++) {
        const v = x.data[j * plane + i]!;
        squares += v * v;
      }
      out[ch * plane + i] = x.data[ch * plane + i]! / (k + (alpha / size) * squares) ** beta;
    }
  }
  return { shape: layer.shape, data: out };
}

export function softmax(layer: Shaped<SoftmaxLayer>, x: Tensor): Tensor {
  const { c, h, w } = x.shape;
  const plane = h * w;
  const out = new Float32Array(c * plane);
  for (let i = 0; i < plane; i++) {
    // Subtracting the maximum keeps exp from overflowing; the ratio is unchanged.
    let max = -Infinity;
    for (let ch = 0; ch < c; ch++) max = Math.max(max, x.data[ch * plane + i]!);
    let sum = 0;
    for (let ch = 0; ch < c; ch++) sum += Math.exp(x.data[ch * plane + i]! - max);
    for (let ch = 0; ch < c; ch++) out[ch * plane + i] = Math.exp(x.data[ch * plane + i]! - max) / sum;
  }
  return { shape: layer.shape, data: out };
}

export function shuffle(layer: Shaped<ShuffleLayer>, x: Tensor): Tensor {
  const { c, h, w } = x.shape;
  const plane = h * w;
  const perGroup = c / layer.groups;
  const out = new Float32Array(c * plane);
  for (let j = 0; j < c; j++) {
    const from = (j % layer.groups) * perGroup + Math.floor(j / layer.groups);
    out.set(x.data.subarray(from * plane, (from + 1) * plane), j * plane);
  }
  return { shape: layer.shape, data: out };
}

/** Runs one layer on its input tensors (in the order of `layer.inputs`). */
export function runLayer(layer: Layer, xs: Tensor[]): Tensor {
  // Past float32's range the generated C (float32 sums, in its own order) and this inference (float64
  // sums) part ways: an input that can get there is refused, not compared.
  const bound = magnitudeBound(layer, xs.map(largestMagnitude));
  if (!(bound <= maxFloat32))
    throw new InputError(
      `this input can overflow float32 in layer '${layer.name}' (its sums may reach ${bound.toExponential(1)}): nothing to compare with`,
    );
  const t = computeLayer(layer, xs);
  applyPost(t.data, layer.post);
  return t;
}

const maxFloat32 = 3.4028234663852886e38;

function largestMagnitude(x: Tensor): number {
  let m = 0;
  for (const v of x.data) m = Math.max(m, Math.abs(v));
  return m;
}

/** The largest magnitude any partial sum of the layer reaches, in any order, given its inputs' largest. */
function magnitudeBound(layer: Layer, m: number[]): number {
  const x = m[0]!;
  switch (layer.kind) {
    case 'conv': {
      const w = layer.weights;
      if (w === undefined) return 0; // refused by conv() itself
      const taps = w.length / layer.outChannels;
      let worst = 0;
      for (let oc = 0; oc < layer.outChannels; oc++) {
        let sum = Math.abs(layer.bias?.[oc] ?? 0);
        for (let t = oc * taps; t < (oc + 1) * taps; t++) sum += Math.abs(w[t]!) * x;
        worst = Math.max(worst, sum);
      }
      return worst;
    }
    case 'affine': {
      let worst = 0;
      for (let c = 0; c < (layer.scale?.length ?? 0); c++)
        worst = Math.max(worst, Math.abs(layer.scale![c]!) * x + Math.abs(layer.shift![c]!));
      return worst;
    }
    case 'pool':
      return layer.mode === 'avg' ? layer.kernel[0] * layer.kernel[1] * x : x;
    case 'eltwise':
      return layer.op === 'add'
        ? m.reduce((a, b) => a + b, 0)
        : layer.op === 'mul'
          ? m.reduce((a, b) => a * b, 1)
          : x;
    case 'lrn':
      return layer.k + layer.alpha * layer.size * x * x + x;
    default:
      return x;
  }
}

/** A layer's values before its folded point-wise operators. */
function computeLayer(layer: Layer, xs: Tensor[]): Tensor {
  const first = xs[0]!;
  switch (layer.kind) {
    case 'conv':
      return conv(layer, first);
    case 'pool':
      return pool(layer, first);
    case 'affine':
      return affine(layer, first);
    case 'eltwise':
      return eltwise(layer, xs);
    case 'concat':
      return concat(layer, xs);
    case 'slice':
      return slice(layer, first);
    case 'lrn':
      return lrn(layer, first);
    case 'softmax':
      return softmax(layer, first);
    case 'shuffle':
      return shuffle(layer, first);
  }
}
