// Int8 reference inference: symmetric quantisation (zero point 0) calibrated on one float run, then
// integer arithmetic only. The generated int8 C reproduces it bit for bit, so every rounding here is the
// int8 spec's: rnd (half away from zero) for values computed in double, rshift (half up) for requantising
// exact integers, rdiv (half away from zero) for average pooling.

import { InputError } from '../ir/errors.js';
import type { Layer, Network, PointwiseOp, PoolLayer, Shape } from '../ir/network.js';
import { elements, noPads, shapeText } from '../ir/network.js';
import {
  type ConvGeometry,
  concat,
  convolutionSums,
  poolWindows,
  runLayer,
  shuffle,
  slice,
  type Tensor,
} from './layers.js';
import { runNetwork } from './run.js';

/** M = m * 2^-n, m an integer in [2^30, 2^31): a real multiplier applied in integers. */
export interface Multiplier {
  m: number;
  n: number;
}

/** Round half away from zero, written as the spec (and the C) computes it. */
export function rnd(x: number): number {
  // 0 - floor, not -floor: no -0 for small negatives (0.5 - x is the spec's -x + 0.5 exactly)
  return x < 0 ? 0 - Math.floor(0.5 - x) : Math.floor(x + 0.5);
}

function clamp8(v: number): number {
  return Math.min(127, Math.max(-128, v));
}

/** x = f * 2^e with f in [0.5, 1); halving and doubling are exact, so f is too. */
function frexp(x: number): { f: number; e: number } {
  let f = x;
  let e = 0;
  while (f >= 1) {
    f /= 2;
    e++;
  }
  while (f < 0.5) {
    f *= 2;
    e--;
  }
  return { f, e };
}

/** The multiplier for a positive real, or an InputError whose message starts with `who`. */
function toMultiplier(real: number, who: string): Multiplier {
  if (!(real > 0 && real < 2 ** 30)) throw new InputError(`${who}: multiplier ${real} is not in (0, 2^30)`);
  const { f, e } = frexp(real);
  let m = rnd(f * 2 ** 31);
  let n = 31 - e;
  if (m === 2 ** 31) {
    m = 2 ** 30;
    n -= 1;
  }
  // just below 2^30, rounding reaches it: n = 0, which rshift does not define
  if (n < 1) throw new InputError(`${who}: multiplier ${real} rounds to 2^30`);
  return { m, n };
}

/** The spec's (m, n) for a real multiplier; an InputError outside (0, 2^30). */
export function multiplier(real: number): Multiplier {
  return toMultiplier(real, 'int8');
}

/** 2^-n for n in [0, 63), by halving: exact. */
const inversePowers = Array.from({ length: 63 }, (_, n) => 0.5 ** n);

/**
 * rshift(p, n) = floor((p + 2^(n-1)) / 2^n) for an integer |p| < 2^53 and 1 <= n < 63. Adding 2^(n-1) in
 * double could round, so the fraction of p / 2^n (exact: a power of two times p) is compared instead.
 */
function rshiftExact(p: number, n: number): number {
  const x = p * inversePowers[n]!;
  if (x >= 0) {
    const k = Math.floor(x);
    return x - k >= 0.5 ? k + 1 : k;
  }
  // floor(x + 1/2) = -ceil(y - 1/2) for y = -x: up only past the half, a tie goes towards +infinity
  const y = -x;
  const k = Math.floor(y);
  return y - k > 0.5 ? -k - 1 : 0 - k;
}

/** rshift(v * m, n) with the product exact: in double below 2^53, in BigInt above. */
export function mulshift(v: number, k: Multiplier): number {
  if (k.n >= 63) return 0;
  const p = v * k.m;
  if (Math.abs(p) < 2 ** 53) return rshiftExact(p, k.n);
  return Number((BigInt(v) * BigInt(k.m) + (1n << BigInt(k.n - 1))) >> BigInt(k.n));
}

/** An integer quotient rounded half away from zero (exact: both below 2^53). */
function rdiv(sum: number, n: number): number {
  return sum >= 0 ? Math.floor((2 * sum + n) / (2 * n)) : 0 - Math.floor((-2 * sum + n) / (2 * n));
}

/** Per layer, what its int8 computation needs. */
export interface LayerInt8 {
  /** scale of the layer's output tensor */
  scale: number;
  /** clamps: requantise to `scale`, clamp to [lo, hi]; table: requantise to preScale, then table[q + 128] */
  post: { kind: 'clamps'; lo: number; hi: number } | { kind: 'table'; preScale: number; table: Int8Array };
  /** convolution and affine layers: [out][in/groups][kh][kw] like ConvLayer.weights; bias always present (zeros if the layer has none) */
  weights?: Int8Array;
  bias?: Int32Array;
  weightScales?: Float64Array;
  /** per output channel: the multiplier from the accumulator to the target scale (scale for clamps, preScale for table) */
  outMultipliers?: Multiplier[];
  /** eltwise add/max: per input, r_k of the spec (integers < 2^30) ; eltwise mul: productMultiplier */
  inputFactors?: number[];
  productMultiplier?: Multiplier;
  /** pooling and copy layers with a table post-op: from the input scale to preScale */
  rescale?: Multiplier;
}

export interface Int8Network {
  net: Network;
  /** every tensor's scale: network inputs and every layer's output, by tensor name */
  scales: Map<string, number>;
  layers: Map<string, LayerInt8>;
}

export interface Int8Tensor {
  shape: Shape;
  data: Int8Array;
}

function maxAbs(data: ArrayLike<number>, from = 0, to = data.length): number {
  let m = 0;
  for (let i = from; i < to; i++) m = Math.max(m, Math.abs(data[i]!));
  return m;
}

/** The scale that maps the largest magnitude to 127 (1 for an all-zero tensor). */
function scaleOf(maxabs: number): number {
  return maxabs === 0 ? 1 : maxabs / 127;
}

const isClamp = (p: PointwiseOp) => p.op === 'relu' || p.op === 'clip';

/**
 * The tensors that share one scale with the layer's output: a pooling's or copy's input (its output is
 * then the input's own int8 values), unless a table post-op changes the range (the output has its own
 * scale then, the values rescaled into the table). A concat's inputs share one scale either way.
 */
function tiedTensors(layer: Layer): string[] {
  const copy = layer.kind === 'concat' || layer.kind === 'slice' || layer.kind === 'shuffle';
  if (!copy && layer.kind !== 'pool') return [];
  if (layer.post.every(isClamp)) return [layer.name, ...layer.inputs];
  return layer.kind === 'concat' ? layer.inputs : [];
}

/** The point-wise chain on one real value, in double. */
function pointwise(v: number, post: readonly PointwiseOp[]): number {
  for (const p of post)
    switch (p.op) {
      case 'relu':
        v = Math.max(v, 0);
        break;
      case 'clip':
        v = Math.min(Math.max(v, p.min), p.max);
        break;
      case 'sigmoid':
        v = 1 / (1 + Math.exp(-v));
        break;
      case 'hardsigmoid':
        v = Math.max(0, Math.min(1, p.alpha * v + p.beta));
        break;
      case 'hardswish':
        v = (v * Math.max(0, Math.min(6, v + 3))) / 6;
        break;
      case 'silu':
        v = v / (1 + Math.exp(-v));
        break;
    }
  return v;
}

/** Refuses (one line naming the layer) a network int8 cannot run, before a calibration spends time on it. */
export function refuseInt8Network(net: Network): void {
  for (const layer of net.layers) refuseUnsupported(layer);
}

function refuseUnsupported(layer: Layer): void {
  const who = `int8: layer ${layer.name} (${layer.kind})`;
  if (layer.kind === 'lrn' || layer.kind === 'softmax') throw new InputError(`${who} is not supported`);
  if (layer.kind === 'eltwise' && layer.op === 'mul' && layer.inputs.length > 2)
    throw new InputError(`${who}: a product of ${layer.inputs.length} inputs is not supported (at most 2)`);
  const missing =
    (layer.kind === 'conv' && layer.weights === undefined) ||
    (layer.kind === 'affine' && (layer.scale === undefined || layer.shift === undefined));
  if (missing)
    throw new InputError(
      `${who} has no weights (a shape-only model cannot be run; see deterministicWeights)`,
    );
}

/**
 * Calibrates on the given float inputs (one per network input, as runNetwork takes them: a Record by
 * input name) and quantises. Throws InputError (one line, naming the layer) for LRN, softmax, a mul of
 * more than two inputs, an input factor >= 64, a multiplier >= 2^30, a layer without weights.
 */
export async function quantizeNetwork(
  net: Network,
  calibration: Record<string, Tensor>,
): Promise<Int8Network> {
  refuseInt8Network(net);
  const floats = new Map<string, Tensor>(Object.entries(calibration));
  for (const [name, t] of Object.entries(await runNetwork(net, calibration, { keepAll: true })))
    floats.set(name, t);

  // Tied tensors: union-find, each root holding its group's largest magnitude.
  const parent = new Map<string, string>();
  const root = (t: string): string => {
    const p = parent.get(t) ?? t;
    if (p === t) return t;
    const r = root(p);
    parent.set(t, r);
    return r;
  };
  for (const layer of net.layers) {
    const [first, ...rest] = tiedTensors(layer);
    for (const t of rest) parent.set(root(t), root(first!));
  }
  const groupMax = new Map<string, number>();
  for (const [name, t] of floats) {
    const r = root(name);
    groupMax.set(r, Math.max(groupMax.get(r) ?? 0, maxAbs(t.data)));
  }
  // A group's scale is its largest magnitude's: an all-zero member does not force scale 1 on the rest.
  const scales = new Map<string, number>();
  for (const name of floats.keys()) scales.set(name, scaleOf(groupMax.get(root(name))!));

  const layers = new Map<string, LayerInt8>();
  for (const layer of net.layers) {
    const preActivation = () =>
      runLayer(
        { ...layer, post: [] },
        layer.inputs.map((t) => floats.get(t)!),
      );
    layers.set(layer.name, quantizeLayer(layer, scales, preActivation));
  }
  return { net, scales, layers };
}

function quantizeLayer(layer: Layer, scales: Map<string, number>, preActivation: () => Tensor): LayerInt8 {
  const who = `int8: layer ${layer.name} (${layer.kind})`;
  const scale = scales.get(layer.name)!;
  const sIns = layer.inputs.map((t) => scales.get(t)!);
  const sIn = sIns[0]!;
  const post = quantizePost(layer.post, scale, preActivation);
  // the scale the computed value is requantised to, before the clamps or the table
  const target = post.kind === 'clamps' ? scale : post.preScale;
  const q: LayerInt8 = { scale, post };
  switch (layer.kind) {
    case 'conv':
    case 'affine': {
      // an affine layer is a depthwise 1x1 convolution: its scale the weight, its shift the bias
      const w = layer.kind === 'conv' ? layer.weights! : layer.scale!;
      const b = layer.kind === 'conv' ? layer.bias : layer.shift!;
      const outC = layer.shape.c;
      const taps = w.length / outC;
      q.weights = new Int8Array(w.length);
      q.bias = new Int32Array(outC);
      q.weightScales = new Float64Array(outC);
      q.outMultipliers = [];
      for (let o = 0; o < outC; o++) {
        const sw = scaleOf(maxAbs(w, o * taps, (o + 1) * taps));
        q.weightScales[o] = sw;
        for (let t = o * taps; t < (o + 1) * taps; t++)
          q.weights[t] = Math.min(127, Math.max(-127, rnd(w[t]! / sw)));
        q.bias[o] = Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), rnd((b?.[o] ?? 0) / (sIn * sw))));
        q.outMultipliers.push(toMultiplier((sIn * sw) / target, who));
      }
      break;
    }
    case 'eltwise':
      if (layer.op === 'mul') q.productMultiplier = toMultiplier(sIns.reduce((a, s) => a * s) / target, who);
      else
        q.inputFactors = sIns.map((s, k) => {
          if (s / target >= 64)
            throw new InputError(
              `${who}: input ${layer.inputs[k]} has ${s / target} times the target scale (at most 64)`,
            );
          return rnd((s / target) * 2 ** 24);
        });
      break;
    case 'pool':
    case 'concat':
    case 'slice':
    case 'shuffle':
      if (post.kind === 'table') q.rescale = toMultiplier(sIn / target, who);
      break;
    case 'lrn':
    case 'softmax':
      throw new InputError(`${who} is not supported`);
  }
  return q;
}

/** Relu and clip alone are int8 bounds at the output scale; any other chain is a table over the int8 range. */
function quantizePost(
  post: readonly PointwiseOp[],
  scale: number,
  preActivation: () => Tensor,
): LayerInt8['post'] {
  if (post.every(isClamp)) {
    let lo = -128;
    let hi = 127;
    for (const p of post)
      if (p.op === 'relu') lo = Math.max(lo, 0);
      else if (p.op === 'clip') {
        lo = Math.max(lo, clamp8(rnd(p.min / scale)));
        hi = Math.min(hi, clamp8(rnd(p.max / scale)));
      }
    return { kind: 'clamps', lo, hi };
  }
  const preScale = scaleOf(maxAbs(preActivation().data));
  const table = new Int8Array(256);
  for (let q = -128; q <= 127; q++) table[q + 128] = clamp8(rnd(pointwise(q * preScale, post) / scale));
  return { kind: 'table', preScale, table };
}

/** Quantises a float input tensor with a tensor's scale (spec: clamp8(rnd(x / s))). */
export function quantizeTensor(t: Tensor, scale: number): Int8Array {
  const q = new Int8Array(t.data.length);
  for (let i = 0; i < q.length; i++) q[i] = clamp8(rnd(t.data[i]! / scale));
  return q;
}

/** The post-op on a value already requantised to its target scale. */
function finish(post: LayerInt8['post'], v: number): number {
  return post.kind === 'clamps' ? Math.min(post.hi, Math.max(post.lo, v)) : post.table[clamp8(v) + 128]!;
}

/** Runs the int8 network; returns the network's outputs by name, int8 and dequantised (Math.fround(q * s)). */
export async function runInt8(
  q: Int8Network,
  inputs: Record<string, Tensor>,
): Promise<{ outputs: Record<string, Int8Tensor>; dequantised: Record<string, Tensor> }> {
  const { net } = q;
  const values = new Map<string, Int8Tensor>();
  for (const input of net.inputs) {
    const t = inputs[input.name];
    if (t === undefined) throw new InputError(`no tensor given for input '${input.name}'`);
    const s = t.shape;
    if (
      s.c !== input.shape.c ||
      s.h !== input.shape.h ||
      s.w !== input.shape.w ||
      t.data.length !== elements(s)
    )
      throw new InputError(
        `input '${input.name}' is ${shapeText(s)} with ${t.data.length} values, the network expects ${shapeText(input.shape)}`,
      );
    values.set(input.name, { shape: s, data: quantizeTensor(t, q.scales.get(input.name)!) });
  }
  // Drop each tensor after its last consumer, as runNetwork does.
  const lastUse = new Map<string, number>();
  net.layers.forEach((layer, i) => {
    for (const t of layer.inputs) lastUse.set(t, i);
  });
  const keep = new Set(net.outputs);
  for (const [i, layer] of net.layers.entries()) {
    const xs = layer.inputs.map((t) => values.get(t)!);
    values.set(layer.name, { shape: layer.shape, data: runLayerInt8(layer, q.layers.get(layer.name)!, xs) });
    for (const t of layer.inputs) if (lastUse.get(t) === i && !keep.has(t)) values.delete(t);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const outputs: Record<string, Int8Tensor> = {};
  const dequantised: Record<string, Tensor> = {};
  for (const name of net.outputs) {
    const y = values.get(name)!;
    const s = q.scales.get(name)!;
    outputs[name] = y;
    // a Float32Array store is Math.fround
    dequantised[name] = { shape: y.shape, data: Float32Array.from(y.data, (v) => v * s) };
  }
  return { outputs, dequantised };
}

function runLayerInt8(layer: Layer, q: LayerInt8, xs: Int8Tensor[]): Int8Array {
  switch (layer.kind) {
    case 'conv':
      return convolve(layer, layer.shape, xs[0]!, q);
    case 'affine':
      return convolve(
        { kernel: [1, 1], stride: [1, 1], dilation: [1, 1], pads: noPads, groups: layer.shape.c },
        layer.shape,
        xs[0]!,
        q,
      );
    case 'pool':
      return pool(layer, xs[0]!, q);
    case 'eltwise':
      return eltwise(layer.op, layer.shape, xs, q);
    case 'concat':
      return copy(q, concat(layer, xs.map(toFloat)));
    case 'slice':
      return copy(q, slice(layer, toFloat(xs[0]!)));
    case 'shuffle':
      return copy(q, shuffle(layer, toFloat(xs[0]!)));
    case 'lrn':
    case 'softmax':
      throw new InputError(`int8: layer ${layer.name} (${layer.kind}) is not supported`);
  }
}

// Copies run through the float kernels (every int8 value is a float32, moved unchanged), so their
// channel mapping is the float reference's by construction.
function toFloat(x: Int8Tensor): Tensor {
  return { shape: x.shape, data: Float32Array.from(x.data) };
}

function copy(q: LayerInt8, y: Tensor): Int8Array {
  const out = new Int8Array(y.data.length);
  for (let i = 0; i < out.length; i++)
    out[i] = finish(q.post, q.rescale ? mulshift(y.data[i]!, q.rescale) : y.data[i]!);
  return out;
}

/** A convolution (or affine layer) of the int8 values: the exact sums requantised per output channel. */
function convolve(g: ConvGeometry, shape: Shape, x: Int8Tensor, q: LayerInt8): Int8Array {
  const sums = convolutionSums(g, shape, x, q.weights!, q.bias);
  const plane = shape.h * shape.w;
  const out = new Int8Array(sums.length);
  for (let oc = 0; oc < shape.c; oc++) {
    const k = q.outMultipliers![oc]!;
    for (let p = oc * plane; p < (oc + 1) * plane; p++) out[p] = finish(q.post, mulshift(sums[p]!, k));
  }
  return out;
}

/** The float reference's windows and divisors (poolWindows); an average rounded half away from zero. */
function pool(layer: PoolLayer & { shape: Shape }, x: Int8Tensor, q: LayerInt8): Int8Array {
  const { values, counts } = poolWindows(layer, x);
  const out = new Int8Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const r = layer.mode === 'max' ? values[i]! : rdiv(values[i]!, counts[i]!);
    out[i] = finish(q.post, q.rescale ? mulshift(r, q.rescale) : r);
  }
  return out;
}

function eltwise(op: 'add' | 'mul' | 'max', shape: Shape, xs: Int8Tensor[], q: LayerInt8): Int8Array {
  const { c, h, w } = shape;
  const plane = h * w;
  // exact: sums of at most 2^37 per input, products of two int8
  const acc = new Float64Array(c * plane);
  xs.forEach((x, k) => {
    const factor = op === 'mul' ? 1 : q.inputFactors![k]!;
    // A c x 1 x 1 operand repeats its one value over each channel's plane.
    const perChannel = x.shape.h * x.shape.w === 1 && plane !== 1;
    for (let ch = 0; ch < c; ch++) {
      const base = ch * plane;
      for (let i = 0; i < plane; i++) {
        const v = x.data[perChannel ? ch : base + i]! * factor;
        const o = base + i;
        if (k === 0) acc[o] = v;
        else if (op === 'add') acc[o] = acc[o]! + v;
        else if (op === 'mul') acc[o] = acc[o]! * v;
        else if (v > acc[o]!) acc[o] = v;
      }
    }
  });
  const out = new Int8Array(c * plane);
  for (let i = 0; i < out.length; i++)
    out[i] = finish(
      q.post,
      op === 'mul' ? mulshift(acc[i]!, q.productMultiplier!) : rshiftExact(acc[i]!, 24),
    );
  return out;
}
