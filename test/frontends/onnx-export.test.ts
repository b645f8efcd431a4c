// ONNX export: every network loads back with the same layers, shapes and counts, and onnxruntime's
// outputs on the exported file equal memsched's reference inference.

import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { exportOnnx } from '../../src/frontends/onnx/export.js';
import { loadOnnx, loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { zoo, zooNetwork } from '../../src/frontends/zoo/index.js';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { Layer, LayerSpec, Network, Pads, PointwiseOp, Shape } from '../../src/ir/network.js';
import { elements } from '../../src/ir/network.js';
import { networkStats } from '../../src/ir/stats.js';
import { difference, readRaw, runNetwork } from '../../src/reference/index.js';
import { rng } from '../../src/util/random.js';
import { randomDagNetwork, randomSegmentNetwork } from '../model/random-network.js';
import { values } from './onnx-exporter-models.js';
import { attr, encode, floats, node, type Obj, range } from './onnx-model.js';

const fixtures = path.resolve(import.meta.dirname, '../../../shared/networks/onnx');

/** A layer as the loader gives it back: parameters as float32 numbers, sharing as a flag. */
function comparable(l: Layer): Record<string, unknown> {
  const { weights, bias, sharedWeights, sharedBias, scale, shift, ...rest } = l as Layer &
    Record<string, unknown>;
  const f32 = (v: unknown) => (typeof v === 'number' ? Math.fround(v) : v);
  const out: Record<string, unknown> = {
    ...rest,
    post: l.post.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, f32(v)]))),
    shared: [sharedWeights !== undefined, sharedBias !== undefined],
  };
  if (l.kind === 'lrn') for (const k of ['alpha', 'beta', 'k'] as const) out[k] = f32(l[k]);
  // Options without effect have no ONNX attribute to carry them: a maximum's divisor, a global pool's
  // padding and rounding.
  if (l.kind === 'pool' && (l.mode === 'max' || l.global)) out['countIncludePad'] = false;
  if (l.kind === 'pool' && l.global) out['ceilMode'] = false;
  return out;
}

/** Exports, loads back, and checks the round trip; the reloaded network. */
function roundTrip(net: Network): { bytes: Uint8Array; back: Network } {
  const bytes = exportOnnx(net);
  const back = loadOnnx(bytes, `${net.name}.onnx`);
  expect(back.inputs).toEqual(net.inputs);
  expect(back.outputs).toEqual(net.outputs);
  expect(back.layers.map(comparable)).toEqual(net.layers.map(comparable));
  // Byte for byte: deep equality on millions of elements would take minutes.
  const same = (a: Float32Array | undefined, b: Float32Array | undefined) =>
    a === undefined || b === undefined
      ? a === b
      : Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
          Buffer.from(b.buffer, b.byteOffset, b.byteLength),
        );
  net.layers.forEach((l, i) => {
    const b = back.layers[i]!;
    if (l.kind === 'conv' && b.kind === 'conv')
      expect([same(b.weights, l.weights), same(b.bias, l.bias)], l.name).toEqual([true, true]);
    if (l.kind === 'affine' && b.kind === 'affine')
      expect([same(b.scale, l.scale), same(b.shift, l.shift)], l.name).toEqual([true, true]);
  });
  expect(networkStats(back)).toEqual(networkStats(net));
  return { bytes, back };
}

/** The largest relative difference between onnxruntime on the file and the reference inference, over all outputs. */
async function crossCheck(
  bytes: Uint8Array,
  net: Network,
  given?: Float32Array,
  collapseGuard = true,
): Promise<number> {
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const feeds: Record<string, ort.Tensor> = {};
  const inputs: Record<string, { shape: Shape; data: Float32Array }> = {};
  net.inputs.forEach((input, k) => {
    const { c, h, w } = input.shape;
    const data = given ?? Float32Array.from(values(c * h * w, 12345 + k));
    feeds[input.name] = new ort.Tensor('float32', data, [1, c, h, w]);
    inputs[input.name] = { shape: input.shape, data };
  });
  const theirs = await session.run(feeds);
  const ours = await runNetwork(net, inputs);
  let worst = 0;
  for (const o of net.outputs) {
    const mine = ours[o]!;
    const t = theirs[o]!;
    expect(t.dims.slice(1)).toEqual([mine.shape.c, mine.shape.h, mine.shape.w]);
    const d = difference({ shape: mine.shape, data: t.data as Float32Array }, mine);
    // A collapsed output (all zeros, or one value) would agree with too much. (Randomly initialised
    // MobileNetV2 gives logits of 1e-9, which float32 still resolves to 1e-16.)
    if (collapseGuard) {
      expect(d.maxRef).toBeGreaterThan(0);
      expect(new Set(mine.data).size).toBeGreaterThan(1);
    }
    worst = Math.max(worst, d.relative);
  }
  return worst;
}

// --- small networks covering every layer kind, option and point-wise operator ---------------------

const pads = (top: number, left: number, bottom: number, right: number): Pads => ({
  top,
  left,
  bottom,
  right,
});
const none = pads(0, 0, 0, 0);

function conv(
  name: string,
  input: string,
  outChannels: number,
  kernel: [number, number],
  o: Partial<{
    stride: [number, number];
    dilation: [number, number];
    pads: Pads;
    groups: number;
    bias: boolean;
    post: PointwiseOp[];
    fc: boolean;
  }> = {},
): LayerSpec {
  return {
    kind: 'conv',
    name,
    inputs: [input],
    post: o.post ?? [],
    outChannels,
    kernel,
    stride: o.stride ?? [1, 1],
    dilation: o.dilation ?? [1, 1],
    pads: o.pads ?? none,
    groups: o.groups ?? 1,
    hasBias: o.bias ?? true,
    fullyConnected: o.fc ?? false,
  };
}

function pool(
  name: string,
  input: string,
  mode: 'max' | 'avg',
  kernel: [number, number],
  stride: [number, number],
  o: Partial<{ pads: Pads; ceil: boolean; includePad: boolean; global: boolean; post: PointwiseOp[] }> = {},
): LayerSpec {
  return {
    kind: 'pool',
    name,
    inputs: [input],
    post: o.post ?? [],
    mode,
    kernel,
    stride,
    pads: o.pads ?? none,
    ceilMode: o.ceil ?? false,
    countIncludePad: o.includePad ?? false,
    global: o.global ?? false,
  };
}

const relu: PointwiseOp = { op: 'relu' };

/** Convolutions and pooling in all their options; Caffe's ceil rounding with and without clipped windows. */
function windows(): Network {
  return buildNetwork(
    'windows',
    [{ name: 'image', shape: { c: 4, h: 13, w: 11 } }],
    [
      conv('grouped', 'image', 8, [3, 3], { groups: 2, pads: pads(1, 2, 0, 1), post: [relu] }),
      conv('dilated', 'grouped', 8, [3, 2], { dilation: [2, 3], stride: [1, 2], pads: pads(2, 1, 2, 3) }),
      conv('depthwise', 'dilated', 8, [3, 3], { groups: 8, bias: false, pads: pads(1, 1, 1, 1) }),
      pool('max_ceil', 'depthwise', 'max', [3, 3], [2, 2], { ceil: true }),
      pool('avg_ceil', 'depthwise', 'avg', [3, 3], [2, 2], {
        ceil: true,
        pads: pads(1, 1, 1, 1),
        includePad: true,
      }),
      pool('avg_exclude', 'depthwise', 'avg', [2, 3], [1, 2], { pads: pads(1, 1, 0, 1) }),
      pool('avg_include', 'depthwise', 'avg', [3, 2], [2, 1], { pads: pads(1, 0, 1, 1), includePad: true }),
      pool('max_padded', 'depthwise', 'max', [3, 3], [1, 1], { pads: pads(1, 1, 1, 1), post: [relu] }),
      pool('global_avg', 'max_padded', 'avg', [1, 1], [1, 1], { global: true }),
      pool('global_max', 'avg_include', 'max', [1, 1], [1, 1], { global: true }),
    ],
    ['max_ceil', 'avg_ceil', 'avg_exclude', 'global_avg', 'global_max'],
  );
}

/** Every other layer kind, and every point-wise operator (also in chains). */
function kinds(): Network {
  const post = (...ops: PointwiseOp[]) => ops;
  return buildNetwork(
    'kinds',
    [{ name: 'x', shape: { c: 6, h: 8, w: 8 } }],
    [
      conv('c1', 'x', 12, [3, 3], { pads: pads(1, 1, 1, 1), post: post({ op: 'silu' }) }),
      conv('c2', 'c1', 12, [1, 1], { post: post({ op: 'hardswish' }) }),
      conv('c3', 'c1', 12, [1, 1], { post: post({ op: 'clip', min: -0.5, max: 0.75 }) }),
      { kind: 'eltwise', name: 'sum3', inputs: ['c1', 'c2', 'c3'], post: post(relu), op: 'add' },
      { kind: 'eltwise', name: 'biggest', inputs: ['c2', 'c3'], post: [], op: 'max' },
      { kind: 'eltwise', name: 'product3', inputs: ['c1', 'c3'], post: [], op: 'mul' },
      { kind: 'concat', name: 'joined', inputs: ['sum3', 'biggest', 'product3'], post: [] },
      { kind: 'affine', name: 'bn', inputs: ['joined'], post: post(relu, { op: 'clip', min: 0, max: 6 }) },
      { kind: 'slice', name: 'part', inputs: ['bn'], post: [], start: 4, end: 28 },
      { kind: 'shuffle', name: 'shuffled', inputs: ['part'], post: [], groups: 3 },
      {
        kind: 'lrn',
        name: 'lrn_odd',
        inputs: ['shuffled'],
        post: [],
        size: 5,
        alpha: 1e-3,
        beta: 0.75,
        k: 2,
      },
      { kind: 'lrn', name: 'lrn_3', inputs: ['lrn_odd'], post: [], size: 3, alpha: 0.3, beta: 0.5, k: 1 },
      // squeeze-and-excitation: a pooled vector through fully connected layers scales every channel
      pool('squeeze', 'lrn_3', 'avg', [1, 1], [1, 1], { global: true }),
      conv('fc1', 'squeeze', 6, [1, 1], { fc: true, post: post(relu) }),
      conv('fc2', 'fc1', 24, [1, 1], { fc: true, post: post({ op: 'hardsigmoid', alpha: 0.2, beta: 0.5 }) }),
      {
        kind: 'eltwise',
        name: 'excited',
        inputs: ['lrn_3', 'fc2'],
        post: post({ op: 'sigmoid' }),
        op: 'mul',
      },
      { kind: 'softmax', name: 'spatial_softmax', inputs: ['excited'], post: [] },
      conv('classifier', 'excited', 10, [1, 1], { fc: true }),
      { kind: 'softmax', name: 'probabilities', inputs: ['classifier'], post: [] },
    ],
    ['spatial_softmax', 'probabilities'],
  );
}

/** An affine layer on the network input, and weights two layers share. */
function sharing(): Network {
  const shared = (name: string): LayerSpec =>
    ({
      ...(conv(name, name === 'left' ? 'scaled' : 'left', 5, [3, 3], { pads: pads(1, 1, 1, 1) }) as object),
      sharedWeights: 'w',
      sharedBias: 'b',
    }) as LayerSpec;
  const net = buildNetwork(
    'sharing',
    [{ name: 'x', shape: { c: 5, h: 6, w: 7 } }],
    [{ kind: 'affine', name: 'scaled', inputs: ['x'], post: [] }, shared('left'), shared('right')],
    ['right'],
  );
  return runnableNetwork(net);
}

describe('small networks covering every layer kind', () => {
  for (const make of [windows, kinds, sharing])
    it(`${make.name}: loads back the same and matches onnxruntime`, async () => {
      const net = runnableNetwork(make());
      const { bytes } = roundTrip(net);
      expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    });

  it('a product of three maps runs as a chain of two Mul nodes, which loads back as two layers', async () => {
    const net = runnableNetwork(
      buildNetwork(
        'product',
        [{ name: 'x', shape: { c: 3, h: 5, w: 5 } }],
        [
          conv('a', 'x', 4, [1, 1]),
          conv('b', 'x', 4, [1, 1]),
          pool('v', 'x', 'avg', [1, 1], [1, 1], { global: true }),
          conv('c', 'v', 4, [1, 1], { fc: true }),
          { kind: 'eltwise', name: 'abc', inputs: ['a', 'b', 'c'], post: [relu], op: 'mul' },
        ],
      ),
    );
    const bytes = exportOnnx(net);
    const back = loadOnnx(bytes, 'product.onnx');
    expect(back.layers.filter((l) => l.kind === 'eltwise').map((l) => [l.name, l.inputs, l.post])).toEqual([
      ['abc/Mul1', ['a', 'b'], []],
      ['abc', ['abc/Mul1', 'c'], [relu]],
    ]);
    expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    expect(await crossCheck(bytes, back)).toBeLessThan(1e-4);
  });

  it('an LRN of even size is written as ONNX defines it and loads back, though onnxruntime runs odd sizes only', async () => {
    const net = buildNetwork(
      'even',
      [{ name: 'x', shape: { c: 6, h: 3, w: 3 } }],
      [{ kind: 'lrn', name: 'lrn', inputs: ['x'], post: [], size: 4, alpha: 0.3, beta: 0.5, k: 1 }],
    );
    roundTrip(net);
    await expect(ort.InferenceSession.create(exportOnnx(net), { logSeverityLevel: 4 })).rejects.toThrow(
      /size_ % 2 == 1/,
    );
  });

  it('an affine layer right after a convolution (no other reader) loads back folded into it, with the same outputs', async () => {
    const net = runnableNetwork(
      buildNetwork(
        'folded',
        [{ name: 'x', shape: { c: 3, h: 6, w: 6 } }],
        [conv('c', 'x', 4, [3, 3]), { kind: 'affine', name: 'bn', inputs: ['c'], post: [relu] }],
      ),
    );
    const bytes = exportOnnx(net);
    const back = loadOnnx(bytes, 'folded.onnx');
    expect(back.layers.map((l) => [l.kind, l.name, l.post])).toEqual([['conv', 'c', [relu]]]);
    expect(back.outputs).toEqual(['c']);
    expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    const x = { shape: net.inputs[0]!.shape, data: Float32Array.from(values(108, 7)) };
    const ours = (await runNetwork(net, { x }))['bn']!;
    const theirs = (await runNetwork(back, { x }))['c']!;
    expect(difference(theirs, ours).relative).toBeLessThan(1e-6);
  });

  it('shared weights stay one initializer, counted once', () => {
    const net = sharing();
    const left = net.layers[1]!;
    const right = net.layers[2]!;
    expect(left.kind === 'conv' && right.kind === 'conv' && left.weights === right.weights).toBe(true);
    const { back } = roundTrip(net);
    expect(networkStats(back).parameters).toBe(5 + 5 + 5 * 5 * 9 + 5);
  });

  it('a network without weights is refused, naming the first layer without them', () => {
    const net = kinds();
    expect(() => exportOnnx(net)).toThrow(InputError);
    expect(() => exportOnnx(net)).toThrow(
      /^has no weights: a shape-only network cannot be exported \(seed weights first\)$/,
    );
    try {
      exportOnnx(net);
    } catch (e) {
      expect((e as InputError).node).toBe('c1');
    }
  });
});

/** The network's layers on a smaller input (fully convolutional up to a global pooling or a classifier). */
function resized(net: Network, size: number | undefined): Network {
  if (size === undefined) return net;
  const input = net.inputs[0]!;
  const shape = { ...input.shape, h: size, w: size };
  return buildNetwork(net.name, [{ name: input.name, shape }], net.layers, net.outputs);
}

describe('zoo networks with seeded weights', () => {
  // Full size where the reference inference takes a second or two; the deep ones on smaller inputs
  // (VGG's classifier then reads 512 x 1 x 1). VGG-16 and VDSR at full size are timed in the bench.
  const sizes: [string, number | undefined][] = [
    ['traffic', undefined],
    ['squeezenet1_1', undefined],
    ['mobilenet_v1', undefined],
    ['mobilenet_v2', undefined],
    ['resnet18', undefined],
    ['alexnet', undefined],
    ['resnet50', 64],
    ['resnet101', 64],
    ['resnet152', 64],
    ['vgg16', 32],
    ['vgg19', 32],
    ['vdsr', 32],
  ];
  it('every zoo network is listed here', () => {
    expect(sizes.map(([name]) => name).sort()).toEqual(zoo.map((e) => e.name).sort());
  });
  for (const [name, size] of sizes)
    it(`${name}${size === undefined ? '' : ` at ${size}x${size}`} loads back the same and matches onnxruntime`, async () => {
      const net = runnableNetwork(resized(zooNetwork(name), size));
      const { bytes } = roundTrip(net);
      expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    }, 60_000);
});

describe('ONNX fixtures with their weights', () => {
  for (const name of ['squeezenet1_1', 'mobilenet_v2', 'resnet18', 'vdsr'])
    it(`${name}.onnx loads back the same and matches onnxruntime`, async () => {
      const file = loadOnnxFile(path.join(fixtures, `${name}.onnx`));
      // VDSR at 256x256 is 43.6 GMACs: the same layers and weights on a 32x32 input here; the others
      // on the image their fixture ships (PyTorch's trained weights give tiny outputs on noise).
      const vdsr = name === 'vdsr';
      const net = resized(file, vdsr ? 32 : undefined);
      const image = vdsr
        ? undefined
        : readRaw(path.join(fixtures, `${name}.input.bin`), net.inputs[0]!.shape).data;
      const { bytes } = roundTrip(net);
      expect(await crossCheck(bytes, net, image)).toBeLessThan(1e-4);
    }, 60_000);
});

/**
 * How a network loads back when not as the same layers: 'view' when a slice of all channels (a view of
 * its input for the loader, which may leave nothing to load), 'changed' for the forms that load back
 * as other layers with the same outputs (a product of three maps, an affine layer folded into the layer
 * before it, a grouped fully connected layer as a convolution).
 */
function reloadChange(net: Network): 'view' | 'changed' | undefined {
  const readers = new Map<string, number>();
  for (const l of net.layers) for (const t of l.inputs) readers.set(t, (readers.get(t) ?? 0) + 1);
  for (const o of net.outputs) readers.set(o, (readers.get(o) ?? 0) + 1);
  const shapes = new Map([...net.inputs, ...net.layers].map((t) => [t.name, t.shape]));
  if (net.layers.some((l) => l.kind === 'slice' && l.start === 0 && l.end === shapes.get(l.inputs[0]!)!.c))
    return 'view';
  const changed = net.layers.some((l) => {
    if (l.kind === 'eltwise') return l.op === 'mul' && l.inputs.length > 2;
    if (l.kind === 'conv') return l.fullyConnected && l.groups > 1;
    if (l.kind !== 'affine') return false;
    const producer = net.layers.find((p) => p.name === l.inputs[0]);
    return (
      (producer?.kind === 'conv' || producer?.kind === 'affine') &&
      producer.post.length === 0 &&
      readers.get(producer.name) === 1
    );
  });
  return changed ? 'changed' : undefined;
}

describe('random networks (every layer kind, odd sizes, pads, strides, dilation, groups, joins)', () => {
  it('load back the same (or, in the forms that change, compute the same) and match onnxruntime', async () => {
    const r = rng(2026);
    let compared = 0;
    let ran = 0;
    for (let i = 0; i < 300; i++) {
      const net = runnableNetwork(i % 2 === 0 ? randomSegmentNetwork(r, 6, true) : randomDagNetwork(r, 8));
      const bytes = exportOnnx(net);
      const change = reloadChange(net);
      if (change === 'changed') {
        const back = loadOnnx(bytes, 'random.onnx');
        const x = Object.fromEntries(
          net.inputs.map((t, k) => [
            t.name,
            { shape: t.shape, data: Float32Array.from(values(elements(t.shape), 100 * i + k)) },
          ]),
        );
        const ours = await runNetwork(net, x);
        const theirs = await runNetwork(back, x);
        net.outputs.forEach((o, k) => {
          expect(difference(theirs[back.outputs[k]!]!, ours[o]!).relative).toBeLessThan(1e-5);
        });
      } else if (change === undefined) {
        roundTrip(net);
        compared++;
      }
      // onnxruntime's LRN takes odd sizes only
      if (net.layers.some((l) => l.kind === 'lrn' && l.size % 2 === 0)) continue;
      expect(await crossCheck(bytes, net, undefined, false)).toBeLessThan(1e-4);
      ran++;
    }
    // the draws are fixed by the seed: most networks round-trip exactly and run in onnxruntime
    expect([compared, ran]).toEqual([258, 271]);
  }, 60_000);
});

describe('the loader reads what the export writes, in the forms other exporters use too', () => {
  const lrnModel = (attributes: Obj[]) =>
    encode({
      nodes: [node('Conv', ['x', 'w'], ['c']), node('LRN', ['c'], ['y'], attributes, 'norm')],
      inits: [floats('w', [4, 3, 1, 1], range(12, 0.1))],
      outputs: ['y'],
    });

  it("LRN: ONNX's defaults for alpha, beta and bias; size is required", () => {
    const net = loadOnnx(lrnModel([attr.int('size', 3)]), 'lrn.onnx');
    const lrn = net.layers[1]!;
    expect(lrn.kind === 'lrn' && [lrn.size, lrn.alpha, lrn.beta, lrn.k]).toEqual([3, 1e-4, 0.75, 1]);
    expect(() => loadOnnx(lrnModel([]), 'lrn.onnx')).toThrow(/^LRN has no size$/);
    expect(() => loadOnnx(lrnModel([attr.int('size', 0)]), 'lrn.onnx')).toThrow(
      /^LRN size must be a positive integer, got 0$/,
    );
  });

  it('Max of feature maps is an eltwise max; of a constant, an error naming it', () => {
    const model = (b: string, inits: Obj[]) =>
      encode({
        nodes: [node('Conv', ['x', 'w'], ['c']), node('Max', ['c', b], ['y'], [], 'biggest')],
        inits: [floats('w', [3, 3, 1, 1], range(9, 0.1)), ...inits],
        outputs: ['y'],
      });
    const net = loadOnnx(model('x', []), 'max.onnx');
    expect(net.layers[1]).toMatchObject({ kind: 'eltwise', op: 'max', inputs: ['Conv_0', 'x'] });
    expect(() => loadOnnx(model('k', [floats('k', [1], [0])]), 'max.onnx')).toThrow(
      /^input 'k' is a constant, not a feature map$/,
    );
  });
});
