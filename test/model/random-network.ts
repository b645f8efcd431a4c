// Random small networks and segments for property tests: odd sizes, strides 1-3, kernels 1-7, padding,
// dilation, groups, pooling, element-wise (with broadcast), concat, slice, LRN, softmax, shuffle, and
// on request affine layers.

import { buildNetwork, windowOutput } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { LayerSpec, Network, Shape, TensorInput } from '../../src/ir/network.js';
import { analyzeSegment, hasExports } from '../../src/model/segment.js';
import { randomInt } from '../../src/util/random.js';

type Rng = () => number;

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[randomInt(r, 0, xs.length - 1)]!;
}

interface Draft {
  inputs: TensorInput[];
  layers: LayerSpec[];
}

function pads(r: Rng, k: number) {
  const p = () => randomInt(r, 0, Math.max(0, k - 1));
  return { top: p(), left: p(), bottom: p(), right: p() };
}

/** One random layer reading `x` (shape `s`); may add DRAM inputs. Returns undefined if it does not fit. */
function randomLayer(
  r: Rng,
  d: Draft,
  name: string,
  x: string,
  s: Shape,
  affine: boolean,
): LayerSpec | undefined {
  const kinds = [
    'conv',
    'conv',
    'conv',
    'conv',
    'pool',
    'eltwise',
    'concat',
    'slice',
    'lrn',
    'softmax',
    'shuffle',
  ] as const;
  const kind = affine ? pick(r, [...kinds, 'affine'] as const) : pick(r, kinds);
  switch (kind) {
    case 'conv': {
      const k: [number, number] = [pick(r, [1, 1, 2, 3, 3, 5, 7]), pick(r, [1, 2, 3, 3, 4])];
      const stride: [number, number] = [randomInt(r, 1, 3), randomInt(r, 1, 3)];
      const dilation: [number, number] = [randomInt(r, 1, 2), randomInt(r, 1, 2)];
      const mode = r();
      let groups = 1;
      let out = randomInt(r, 1, 5);
      if (mode < 0.2) {
        groups = s.c;
        out = s.c * randomInt(r, 1, 2);
      } else if (mode < 0.35 && s.c % 2 === 0) {
        groups = 2;
        out = 2 * randomInt(r, 1, 3);
      }
      const p = {
        top: randomInt(r, 0, k[0] - 1),
        bottom: randomInt(r, 0, k[0] - 1),
        left: randomInt(r, 0, k[1] - 1),
        right: randomInt(r, 0, k[1] - 1),
      };
      const h = windowOutput(s.h, k[0], stride[0], dilation[0], p.top, p.bottom, false);
      const w = windowOutput(s.w, k[1], stride[1], dilation[1], p.left, p.right, false);
      if (h < 1 || w < 1) return undefined;
      return {
        kind: 'conv',
        name,
        inputs: [x],
        post: [],
        outChannels: out,
        kernel: k,
        stride,
        dilation,
        pads: p,
        groups,
        hasBias: r() < 0.7,
        fullyConnected: r() < 0.05,
      };
    }
    case 'pool': {
      const k: [number, number] = [randomInt(r, 1, 3), randomInt(r, 1, 3)];
      const stride: [number, number] = [randomInt(r, 1, 3), randomInt(r, 1, 3)];
      const p = pads(r, Math.min(k[0], k[1]));
      const ceilMode = r() < 0.5;
      const h = windowOutput(s.h, k[0], stride[0], 1, p.top, p.bottom, ceilMode);
      const w = windowOutput(s.w, k[1], stride[1], 1, p.left, p.right, ceilMode);
      if (h < 1 || w < 1) return undefined;
      return {
        kind: 'pool',
        name,
        inputs: [x],
        post: [],
        mode: pick(r, ['max', 'avg'] as const),
        kernel: k,
        stride,
        pads: p,
        ceilMode,
        countIncludePad: r() < 0.5,
        global: r() < 0.1,
      };
    }
    case 'eltwise': {
      const other = `${name}_in`;
      const broadcast = r() < 0.3;
      d.inputs.push({ name: other, shape: broadcast ? { c: s.c, h: 1, w: 1 } : { ...s } });
      return {
        kind: 'eltwise',
        name,
        inputs: r() < 0.5 ? [x, other] : [other, x],
        post: [],
        op: pick(r, ['add', 'mul', 'max'] as const),
      };
    }
    case 'concat': {
      const other = `${name}_in`;
      d.inputs.push({ name: other, shape: { c: randomInt(r, 1, 3), h: s.h, w: s.w } });
      return { kind: 'concat', name, inputs: r() < 0.5 ? [x, other] : [other, x], post: [] };
    }
    case 'slice': {
      const start = randomInt(r, 0, s.c - 1);
      return { kind: 'slice', name, inputs: [x], post: [], start, end: randomInt(r, start + 1, s.c) };
    }
    case 'lrn':
      return {
        kind: 'lrn',
        name,
        inputs: [x],
        post: [],
        size: pick(r, [1, 2, 3, 5]),
        alpha: 1e-4,
        beta: 0.75,
        k: 1,
      };
    case 'softmax':
      return { kind: 'softmax', name, inputs: [x], post: [] };
    case 'affine':
      return {
        kind: 'affine',
        name,
        inputs: [x],
        post: r() < 0.5 ? [{ op: 'relu' }] : [],
      };
    case 'shuffle': {
      const gs = [2, 3].filter((g) => s.c % g === 0);
      if (gs.length === 0) return undefined;
      return { kind: 'shuffle', name, inputs: [x], post: [], groups: pick(r, gs) };
    }
  }
}

/**
 * A random network whose layers form one segment: a chain of 1..maxLayers layers (each feeding the
 * next), sometimes starting with two branches from the DRAM input joined by a concat or an add.
 * `affine` adds affine layers to the kinds drawn (off: the draws of earlier tests stay as they were).
 */
export function randomSegmentNetwork(r: Rng, maxLayers = 4, affine = false): Network {
  for (;;) {
    const input = { c: randomInt(r, 1, 4), h: randomInt(r, 3, 11), w: randomInt(r, 3, 11) };
    const d: Draft = { inputs: [{ name: 'in', shape: input }], layers: [] };
    let x = 'in';
    let s = input;
    const n = randomInt(r, 1, maxLayers);
    let ok = true;
    if (n >= 3 && r() < 0.25) {
      // two branches from the DRAM input: convolutions of equal output size, then a join
      const a = randomLayer(r, d, 'branch_a', 'in', s, affine);
      if (a?.kind !== 'conv') continue;
      const b: LayerSpec = {
        ...a,
        name: 'branch_b',
        outChannels: a.groups === 1 ? randomInt(r, 1, 4) : a.outChannels,
      };
      d.layers.push(a, b);
      const join: LayerSpec =
        b.outChannels === a.outChannels && r() < 0.5
          ? { kind: 'eltwise', name: 'join', inputs: ['branch_a', 'branch_b'], post: [], op: 'add' }
          : { kind: 'concat', name: 'join', inputs: ['branch_a', 'branch_b'], post: [] };
      d.layers.push(join);
      x = 'join';
    }
    for (let i = d.layers.length; i < n; i++) {
      let layer: LayerSpec | undefined;
      for (let tries = 0; tries < 20 && layer === undefined; tries++)
        layer = randomLayer(r, d, `L${i}`, x, s, affine);
      if (layer === undefined) {
        ok = false;
        break;
      }
      d.layers.push(layer);
      try {
        const net = buildNetwork('random', d.inputs, d.layers);
        s = net.layers.find((l) => l.name === layer!.name)!.shape;
      } catch {
        ok = false;
        break;
      }
      x = layer.name;
    }
    if (!ok || d.layers.length === 0) continue;
    try {
      return buildNetwork('random', d.inputs, d.layers);
    } catch {}
  }
}

/**
 * A random chain whose DRAM input is read by several of its layers, as in a residual block: the input,
 * a few size-preserving layers (convolutions with 'same' padding of odd or even kernels, stride-1
 * pooling, affine), then an add or a concat of the input with the chain, sometimes followed by more
 * layers (so the join is an intermediate reader too), sometimes a second join with the input.
 */
export function randomSharedInputNetwork(r: Rng, maxLayers = 4): Network {
  for (;;) {
    const c = randomInt(r, 1, 4);
    const input = { c, h: randomInt(r, 3, 11), w: randomInt(r, 3, 11) };
    const layers: LayerSpec[] = [];
    let x = 'in';
    let channels = c;
    const n = randomInt(r, 1, maxLayers);
    const step = (i: number, outChannels: number): LayerSpec => {
      const name = `L${i}`;
      const kind = r();
      if (kind < 0.65) {
        const k: [number, number] = [pick(r, [1, 3, 3, 5]), pick(r, [1, 2, 3])];
        const before = [Math.floor((k[0] - 1) / 2), Math.floor((k[1] - 1) / 2)];
        return {
          kind: 'conv',
          name,
          inputs: [x],
          post: r() < 0.5 ? [{ op: 'relu' }] : [],
          outChannels,
          kernel: k,
          stride: [1, 1],
          dilation: [1, 1],
          pads: {
            top: before[0]!,
            bottom: k[0] - 1 - before[0]!,
            left: before[1]!,
            right: k[1] - 1 - before[1]!,
          },
          groups: 1,
          hasBias: r() < 0.7,
          fullyConnected: false,
        };
      }
      if (kind < 0.85 || outChannels !== channels)
        return {
          kind: 'conv',
          name,
          inputs: [x],
          post: [],
          outChannels,
          kernel: [1, 1],
          stride: [1, 1],
          dilation: [1, 1],
          pads: { top: 0, bottom: 0, left: 0, right: 0 },
          groups: 1,
          hasBias: false,
          fullyConnected: false,
        };
      if (kind < 0.93)
        return {
          kind: 'pool',
          name,
          inputs: [x],
          post: [],
          mode: pick(r, ['max', 'avg'] as const),
          kernel: [3, 3],
          stride: [1, 1],
          pads: { top: 1, left: 1, bottom: 1, right: 1 },
          ceilMode: false,
          countIncludePad: r() < 0.5,
          global: false,
        };
      return { kind: 'affine', name, inputs: [x], post: [] };
    };
    for (let i = 0; i < n; i++) {
      const out = i === n - 1 ? c : randomInt(r, 1, 4);
      layers.push(step(i, out));
      x = `L${i}`;
      channels = out;
    }
    const joins = r() < 0.2 ? 2 : 1;
    for (let j = 0; j < joins; j++) {
      const name = `join${j}`;
      const add = channels === c && r() < 0.7;
      layers.push(
        add
          ? { kind: 'eltwise', name, inputs: r() < 0.5 ? ['in', x] : [x, 'in'], post: [], op: 'add' }
          : { kind: 'concat', name, inputs: r() < 0.5 ? ['in', x] : [x, 'in'], post: [] },
      );
      x = name;
      channels = add ? c : channels + c;
      if (j + 1 < joins) {
        layers.push(step(n + j, c));
        x = `L${n + j}`;
        channels = c;
      }
    }
    if (r() < 0.3) layers.push(step(n + joins, randomInt(r, 1, 3)));
    try {
      return buildNetwork('shared', [{ name: 'in', shape: input }], layers);
    } catch {}
  }
}

/**
 * A random network whose layers form one segment that is not a chain: each layer reads the latest
 * tensor or an earlier one (branches), and joins (add, max or concat; a C x 1 x 1 operand broadcast, as
 * in squeeze-and-excitation) meet two of them, so intermediates have several readers. Whatever nothing
 * reads is joined into the end.
 */
export function randomDagNetwork(r: Rng, maxLayers = 6): Network {
  for (;;) {
    const input = { c: randomInt(r, 1, 4), h: randomInt(r, 3, 11), w: randomInt(r, 3, 11) };
    const d: Draft = { inputs: [{ name: 'in', shape: input }], layers: [] };
    const tensors: { name: string; shape: Shape }[] = [{ name: 'in', shape: input }];
    const read = new Set<string>();
    let ok = true;
    const add = (layer: LayerSpec): boolean => {
      try {
        const net = buildNetwork('dag', d.inputs, [...d.layers, layer]);
        d.layers.push(layer);
        tensors.push({ name: layer.name, shape: net.layers.at(-1)!.shape });
        for (const t of layer.inputs) read.add(t);
        return true;
      } catch {
        return false;
      }
    };
    const joinable = (a: Shape, b: Shape) =>
      (a.h === b.h && a.w === b.w) || (b.h === 1 && b.w === 1 && b.c === a.c);
    const join = (name: string, a: { name: string; shape: Shape }, b: { name: string; shape: Shape }) => {
      const same = a.shape.c === b.shape.c;
      const layer: LayerSpec =
        same && r() < 0.7
          ? {
              kind: 'eltwise',
              name,
              inputs: [a.name, b.name],
              post: [],
              op: pick(r, ['add', 'max', 'mul'] as const),
            }
          : { kind: 'concat', name, inputs: r() < 0.5 ? [a.name, b.name] : [b.name, a.name], post: [] };
      return layer.kind === 'concat' && (b.shape.h !== a.shape.h || b.shape.w !== a.shape.w)
        ? false
        : add(layer);
    };
    const n = randomInt(r, 3, maxLayers);
    for (let i = 0; i < n && ok; i++) {
      const latest = tensors.at(-1)!;
      const name = `L${i}`;
      if (i > 0 && r() < 0.35) {
        const others = tensors.slice(0, -1).filter((t) => joinable(latest.shape, t.shape));
        if (others.length > 0 && join(name, latest, pick(r, others))) continue;
      }
      const from = r() < 0.6 ? latest : pick(r, tensors);
      let done = false;
      for (let tries = 0; tries < 20 && !done; tries++) {
        const layer = randomLayer(r, d, name, from.name, from.shape, false);
        done = layer !== undefined && add(layer);
      }
      ok = done;
    }
    // join whatever nothing reads into the end
    const last = () => tensors.at(-1)!;
    for (const t of tensors.slice(1, -1)) {
      if (!ok) break;
      if (read.has(t.name)) continue;
      ok = joinable(last().shape, t.shape) && join(`J_${t.name}`, last(), t);
    }
    if (!ok || !d.layers.some((l) => l.inputs.some((x) => x !== 'in' && x !== l.inputs[0]))) continue;
    try {
      const net = buildNetwork('dag', d.inputs, d.layers);
      // a DAG: some intermediate several layers read
      const readers = new Map<string, number>();
      for (const l of net.layers)
        for (const t of new Set(l.inputs)) readers.set(t, (readers.get(t) ?? 0) + 1);
      if (net.layers.slice(0, -1).some((l) => (readers.get(l.name) ?? 0) > 1)) return net;
    } catch {}
  }
}

/** A random DAG forming one segment, some inner layers made network outputs (read after it). */
export function randomExportingNetwork(r: () => number, maxLayers = 6): Network {
  for (;;) {
    const dag = randomDagNetwork(r, maxLayers);
    const inner = dag.layers.slice(0, -1).filter(() => r() < 0.4);
    if (inner.length === 0) continue;
    const net = { ...dag, outputs: [...dag.outputs, ...inner.map((l) => l.name)] };
    try {
      if (
        hasExports(
          analyzeSegment(
            net,
            net.layers.map((l) => l.name),
          ),
        )
      )
        return net;
    } catch (e) {
      // an exported tensor its readers inside would compute only part of
      if (!(e instanceof InputError && e.message.includes('do not read all of it'))) throw e;
    }
  }
}
