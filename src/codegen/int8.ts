// The int8 release build's parts that differ from float (docs/int8.md): the quantised weights file, the
// requantisation tables of each layer, the tensors' scales, and what it does not run. The arithmetic is
// src/reference/int8.ts's; runtime/int8.c computes it.

import type { Layer } from '../ir/network.js';
import type { Int8Network, LayerInt8, Multiplier } from '../reference/int8.js';
import type { CProgram } from './c.js';

/** A C double that reads back as exactly this number. */
function exactDouble(v: number): string {
  const t = v.toPrecision(17);
  return /[.e]/.test(t) ? t : `${t}.0`;
}

const mulC = (k: Multiplier) => `{${k.m}, ${k.n}}`;

/**
 * Per segment whose last layer moves partial sums through DRAM (its reduction loop around its output's
 * store level), a line saying so: the int8 build moves them as int32 (4 bytes each; the model counts
 * elements).
 */
export function int8DramPartials(p: CProgram): string[] {
  return p.predicted.segments.flatMap((r, i) => {
    const out = r.buffers.find((b) => b.role === 'output')!;
    return out.dramReads > 0
      ? [
          `segments[${i}]: '${p.segments[i]!.layers.at(-1)}' reads ${out.dramReads} partial sums back from DRAM (and writes them): int32 there, 4 bytes each`,
        ]
      : [];
  });
}

/** Per layer, its requantisation: table declarations before the layers, and its fields. */
export function int8LayerC(q: LayerInt8, i: number): { decls: string[]; fields: string[] } {
  const decls: string[] = [];
  const fields: string[] = [];
  if (q.outMultipliers) {
    decls.push(`static const Mul mul_${i}[] = {${q.outMultipliers.map(mulC).join(', ')}};`);
    fields.push(`.mul = mul_${i}`);
  }
  if (q.inputFactors) {
    decls.push(`static const i64 factor_${i}[] = {${q.inputFactors.join(', ')}};`);
    fields.push(`.factor = factor_${i}`);
  }
  const rescale = q.productMultiplier ?? q.rescale;
  if (rescale) fields.push(`.rescale = ${mulC(rescale)}`);
  if (q.post.kind === 'table') {
    decls.push(`static const signed char table_${i}[256] = {${Array.from(q.post.table).join(', ')}};`);
    fields.push(`.table = table_${i}`);
  } else fields.push(`.lo = ${q.post.lo}, .hi = ${q.post.hi}`);
  return { decls, fields };
}

/** The scales of the program's tensors, in its order (inputs quantised, outputs dequantised with them). */
export function tensorScalesC(q: Int8Network, tensors: readonly string[]): string {
  return `static const double tensor_scales[${tensors.length}] = {${tensors.map((t) => exactDouble(q.scales.get(t)!)).join(', ')}};`;
}

/**
 * The int8 weights file: per convolution (and affine layer) in network order its int8 weights
 * [out][in/groups][kh][kw], then, where it has biases, its int32 biases little-endian.
 */
export function int8WeightsFile(q: Int8Network): Uint8Array {
  const parts: { weights: Int8Array; bias?: Int32Array }[] = [];
  for (const l of q.net.layers) {
    if (l.kind !== 'conv' && l.kind !== 'affine') continue;
    const lq = q.layers.get(l.name)!;
    parts.push({ weights: lq.weights!, ...(hasBias(l) ? { bias: lq.bias! } : {}) });
  }
  const total = parts.reduce((n, p) => n + p.weights.length + 4 * (p.bias?.length ?? 0), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.weights.buffer, p.weights.byteOffset, p.weights.length), at);
    at += p.weights.length;
    for (const b of p.bias ?? []) {
      view.setInt32(at, b, true);
      at += 4;
    }
  }
  return out;
}

function hasBias(l: Layer): boolean {
  return l.kind === 'affine' || (l.kind === 'conv' && l.hasBias);
}

/** main()'s reading of the weights in the int8 build (loadLines' first part). */
export const int8WeightLines = [
  '    L->w = (elem *)xcalloc(L->nweights, sizeof(elem));',
  '    read_int8s(f, argv[1], L->w, L->nweights);',
  '    if (L->has_bias) {',
  '      L->bias = (int *)xcalloc(tensors[L->out].c, sizeof(int));',
  '      read_int32s(f, argv[1], L->bias, tensors[L->out].c);',
  '    }',
];
