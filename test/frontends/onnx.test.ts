import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnx, loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { DataLocation, DataType, TensorProto } from '../../src/frontends/onnx/schema.js';
import {
  type ConvLayer,
  InputError,
  type Layer,
  type Network,
  networkStats,
  type PoolLayer,
  shapeText,
} from '../../src/ir/index.js';
import { runNetwork } from '../../src/reference/run.js';
import {
  attr,
  encode,
  floats,
  type Int64,
  int64s,
  node,
  type Obj,
  range,
  type Spec,
  valueInfo,
} from './onnx-model.js';

const fixtures = path.resolve(process.cwd(), '../shared/networks/onnx');
const fixture = (name: string) => path.join(fixtures, name);

const load = (spec: Spec) => loadOnnx(encode(spec), 'test.onnx');

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e;
  }
  throw new Error('expected an InputError');
}

/** The error of loading a spec; it always names the file and is one line. */
function loadError(spec: Spec): InputError {
  const e = inputError(() => load(spec));
  expect(e.file).toBe('test.onnx');
  expect(e.describe()).not.toContain('\n');
  return e;
}

function layer(net: Network, name: string): Layer {
  const l = net.layers.find((x) => x.name === name);
  if (l === undefined) throw new Error(`no layer ${name} in ${net.layers.map((x) => x.name).join(', ')}`);
  return l;
}

function conv(net: Network, name: string): ConvLayer & { shape: Layer['shape'] } {
  const l = layer(net, name);
  if (l.kind !== 'conv') throw new Error(`${name} is ${l.kind}`);
  return l;
}

function pool(net: Network, name: string): PoolLayer & { shape: Layer['shape'] } {
  const l = layer(net, name);
  if (l.kind !== 'pool') throw new Error(`${name} is ${l.kind}`);
  return l;
}

const shapeOf = (net: Network, name: string) => shapeText(layer(net, name).shape);
const posts = (net: Network, op: string) =>
  net.layers.reduce((n, l) => n + l.post.filter((p) => p.op === op).length, 0);

/** A 3x3 conv (3 -> 4 channels) named `name` reading `input`, weights without data. */
function conv3x3(name: string, input: string, output: string, attrs: Obj[] = [], cin = 3, cout = 4): Spec {
  return {
    nodes: [node('Conv', [input, `${name}.w`], [output], attrs, name)],
    inits: [floats(`${name}.w`, [cout, cin, 3, 3])],
    outputs: [output],
  };
}

// ---- fixtures -------------------------------------------------------------------------------

// From ../shared/networks/onnx/README.md; layer counts follow from its census (Gemm -> conv,
// Global/Max/AveragePool -> pool, Add/Mul of two tensors -> eltwise; the rest folds away).
const models: {
  name: string;
  parameters: number;
  macs: number;
  output: string;
  layers: Record<string, number>;
  full?: boolean;
}[] = [
  {
    name: 'squeezenet1_1',
    parameters: 1233288,
    macs: 349151936,
    output: '1000x1x1',
    layers: { conv: 26, pool: 4, concat: 8 },
    full: true,
  },
  {
    name: 'mobilenet_v2',
    parameters: 3475008,
    macs: 300774272,
    output: '1000x1x1',
    layers: { conv: 53, pool: 1, eltwise: 10 },
    full: true,
  },
  {
    name: 'resnet18',
    parameters: 11680872,
    macs: 1814073344,
    output: '1000x1x1',
    layers: { conv: 21, pool: 2, eltwise: 8 },
  },
  {
    name: 'vdsr',
    parameters: 665921,
    macs: 43562041344,
    output: '1x256x256',
    layers: { conv: 20, eltwise: 1 },
    full: true,
  },
  {
    name: 'vgg16',
    parameters: 138350184,
    macs: 15470264320,
    output: '1000x1x1',
    layers: { conv: 16, pool: 6 },
  },
  {
    name: 'resnet50',
    parameters: 25507944,
    macs: 4089184256,
    output: '1000x1x1',
    layers: { conv: 54, pool: 2, eltwise: 16 },
  },
  {
    name: 'resnet101',
    parameters: 44447848,
    macs: 7801405440,
    output: '1000x1x1',
    layers: { conv: 105, pool: 2, eltwise: 33 },
  },
  {
    name: 'resnet152',
    parameters: 60045416,
    macs: 11513626624,
    output: '1000x1x1',
    layers: { conv: 156, pool: 2, eltwise: 50 },
  },
  {
    name: 'googlenet',
    parameters: 6613040,
    macs: 1498376192,
    output: '1000x1x1',
    layers: { conv: 58, pool: 14, concat: 9 },
  },
  {
    name: 'mobilenet_v3_small',
    parameters: 2529712,
    macs: 56510400,
    output: '1000x1x1',
    layers: { conv: 54, pool: 10, eltwise: 15 },
  },
];

const layerShapes = (net: Network) => net.layers.map((l) => `${l.name}:${l.kind}:${shapeText(l.shape)}`);

describe('ONNX fixtures', () => {
  for (const m of models) {
    it(`${m.name}.shape.onnx: README totals, output shape and layer census`, () => {
      const net = loadOnnxFile(fixture(`${m.name}.shape.onnx`));
      const stats = networkStats(net);
      expect(stats.parameters).toBe(m.parameters);
      expect(stats.macs).toBe(m.macs);
      expect(net.outputs).toHaveLength(1);
      expect(shapeOf(net, net.outputs[0]!)).toBe(m.output);
      expect(net.inputs.map((i) => i.name)).toEqual(['input']);
      const kinds: Record<string, number> = {};
      for (const l of net.layers) kinds[l.kind] = (kinds[l.kind] ?? 0) + 1;
      expect(kinds).toEqual(m.layers);
      for (const l of net.layers) if (l.kind === 'conv') expect(l.weights).toBeUndefined();
    });
    if (m.full)
      it(`${m.name}.onnx: same totals and layer shapes as the shape-only file, with weights`, () => {
        const full = loadOnnxFile(fixture(`${m.name}.onnx`));
        const shapeOnly = loadOnnxFile(fixture(`${m.name}.shape.onnx`));
        expect(networkStats(full).parameters).toBe(m.parameters);
        expect(networkStats(full).macs).toBe(m.macs);
        expect(layerShapes(full)).toEqual(layerShapes(shapeOnly));
        for (const l of full.layers)
          if (l.kind === 'conv') {
            expect(l.weights).toBeInstanceOf(Float32Array);
            expect(l.bias?.length).toBe(l.outChannels);
          }
      });
  }

  it('resnet18.onnx (46 MB): totals, shapes and weights as in the shape-only file', () => {
    const full = loadOnnxFile(fixture('resnet18.onnx'));
    const shapeOnly = loadOnnxFile(fixture('resnet18.shape.onnx'));
    expect(networkStats(full).parameters).toBe(11680872);
    expect(networkStats(full).macs).toBe(1814073344);
    expect(layerShapes(full)).toEqual(layerShapes(shapeOnly));
    const conv1 = conv(full, '/conv1/Conv');
    expect(conv1.shape).toEqual({ c: 64, h: 112, w: 112 });
    expect(conv1.weights).toHaveLength(64 * 3 * 7 * 7);
    expect(conv1.post).toEqual([{ op: 'relu' }]);
    const fc = conv(full, '/fc/Gemm');
    expect(fc.fullyConnected).toBe(true);
    expect(fc.weights).toHaveLength(1000 * 512);
  });

  it('folds the exporters idioms: Clip(0, 6) from Constant nodes, hard-swish as Mul(x, HardSigmoid(x))', () => {
    const v2 = loadOnnxFile(fixture('mobilenet_v2.shape.onnx'));
    expect(posts(v2, 'clip')).toBe(35);
    expect(v2.layers.flatMap((l) => l.post).find((p) => p.op === 'clip')).toEqual({
      op: 'clip',
      min: 0,
      max: 6,
    });
    const v3 = loadOnnxFile(fixture('mobilenet_v3_small.shape.onnx'));
    // 28 HardSigmoid: 19 are halves of hard-swish, 9 gate the squeeze-and-excitation Mul.
    expect(posts(v3, 'hardswish')).toBe(19);
    expect(posts(v3, 'hardsigmoid')).toBe(9);
    expect(posts(v3, 'relu')).toBe(14);
    const first = conv(v3, '/features/features.0/features.0.0/Conv');
    expect(first.post).toEqual([{ op: 'hardswish' }]);
    const se = layer(v3, '/features/features.1/block/block.1/Mul');
    expect(se.kind).toBe('eltwise');
    expect(se.inputs.map((t) => shapeOf(v3, t))).toEqual(['16x1x1', '16x56x56']);
  });

  it('the output follows Identity/Flatten aliases to the producing layer; shared biases count once', () => {
    const net = loadOnnxFile(fixture('squeezenet1_1.shape.onnx'));
    // The graph output is Flatten(GlobalAveragePool(...)).
    expect(net.outputs).toEqual(['/classifier/classifier.3/GlobalAveragePool']);
    const shared = net.layers.filter((l) => l.kind === 'conv' && l.sharedBias === 'features.0.bias');
    expect(shared.length).toBeGreaterThan(1);
    const perLayer = networkStats(net).layers.reduce((n, s) => n + s.weightElements + s.biasElements, 0);
    expect(perLayer).toBe(1235496); // each conv with its own bias, as torchvision counts
  });
});

// ---- operators ------------------------------------------------------------------------------

describe('Conv', () => {
  it('reads raw_data and float_data weights, bias, strides and symmetric pads', () => {
    const w = range(4 * 3 * 3 * 3, 0.5, -10);
    for (const raw of [true, false]) {
      const net = load({
        nodes: [
          node(
            'Conv',
            ['x', 'w', 'b'],
            ['y'],
            [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
            'c1',
          ),
        ],
        inits: [floats('w', [4, 3, 3, 3], w, raw), floats('b', [4], [1, 2, 3, 4], raw)],
        outputs: ['y'],
      });
      const c = conv(net, 'c1');
      expect(c.shape).toEqual({ c: 4, h: 4, w: 4 });
      expect(Array.from(c.weights!)).toEqual(w);
      expect(Array.from(c.bias!)).toEqual([1, 2, 3, 4]);
      expect(c.hasBias).toBe(true);
      expect(c.stride).toEqual([2, 2]);
      expect(net.outputs).toEqual(['c1']);
      expect(networkStats(net).parameters).toBe(108 + 4);
    }
  });

  it('asymmetric pads are [top, left, bottom, right]', () => {
    const net = load(conv3x3('c', 'x', 'y', [attr.ints('pads', [0, 1, 2, 3])]));
    expect(conv(net, 'c').pads).toEqual({ top: 0, left: 1, bottom: 2, right: 3 });
    // h: 8 + 0 + 2 - 3 + 1 = 8; w: 8 + 1 + 3 - 3 + 1 = 10
    expect(shapeOf(net, 'c')).toBe('4x8x10');
  });

  it('auto_pad SAME_UPPER, SAME_LOWER and VALID', () => {
    const stride2 = attr.ints('strides', [2, 2]);
    const upper = conv(load(conv3x3('c', 'x', 'y', [attr.str('auto_pad', 'SAME_UPPER'), stride2])), 'c');
    // out = ceil(8/2) = 4; total padding = 3*2 + 3 - 8 = 1, the odd one after (UPPER) or before (LOWER)
    expect(upper.pads).toEqual({ top: 0, left: 0, bottom: 1, right: 1 });
    expect(upper.shape).toEqual({ c: 4, h: 4, w: 4 });
    const lower = conv(load(conv3x3('c', 'x', 'y', [attr.str('auto_pad', 'SAME_LOWER'), stride2])), 'c');
    expect(lower.pads).toEqual({ top: 1, left: 1, bottom: 0, right: 0 });
    expect(lower.shape).toEqual({ c: 4, h: 4, w: 4 });
    const same1 = conv(load(conv3x3('c', 'x', 'y', [attr.str('auto_pad', 'SAME_UPPER')])), 'c');
    expect(same1.pads).toEqual({ top: 1, left: 1, bottom: 1, right: 1 });
    expect(same1.shape).toEqual({ c: 4, h: 8, w: 8 });
    const valid = conv(load(conv3x3('c', 'x', 'y', [attr.str('auto_pad', 'VALID'), stride2])), 'c');
    expect(valid.pads).toEqual({ top: 0, left: 0, bottom: 0, right: 0 });
    expect(valid.shape).toEqual({ c: 4, h: 3, w: 3 });
    expect(loadError(conv3x3('c', 'x', 'y', [attr.str('auto_pad', 'SAME')])).message).toContain(
      "auto_pad 'SAME'",
    );
  });

  it('dilations, kernel_shape and groups (grouped and depthwise)', () => {
    const dilated = conv(load(conv3x3('c', 'x', 'y', [attr.ints('dilations', [2, 2])])), 'c');
    expect(dilated.dilation).toEqual([2, 2]);
    expect(dilated.shape).toEqual({ c: 4, h: 4, w: 4 }); // extent 5 on 8
    const inputs = [valueInfo('x', [1, 4, 8, 8])];
    const grouped = load({ ...conv3x3('g', 'x', 'y', [attr.int('group', 2)], 2, 6), inputs });
    expect(conv(grouped, 'g').groups).toBe(2);
    expect(networkStats(grouped).macs).toBe(6 * 6 * 6 * 2 * 9);
    const dw = load({
      ...conv3x3('dw', 'x', 'y', [attr.int('group', 4), attr.ints('kernel_shape', [3, 3])], 1, 4),
      inputs,
    });
    expect(conv(dw, 'dw').groups).toBe(4);
    expect(networkStats(dw).layers[0]!.kind).toBe('conv-dw');
    const wrong = loadError({ ...conv3x3('g', 'x', 'y', [attr.int('group', 3)], 2, 6), inputs });
    expect(wrong.node).toBe('g');
    expect(wrong.message).toContain('expect 6 input channels, the input has 4');
    expect(loadError(conv3x3('c', 'x', 'y', [attr.ints('kernel_shape', [5, 5])])).message).toContain(
      'does not match the weights',
    );
  });

  it('1-D convolution is rejected', () => {
    const e = loadError({
      nodes: [node('Conv', ['x', 'w'], ['y'], [], 'c1d')],
      inits: [floats('w', [4, 3, 3])],
      outputs: ['y'],
    });
    expect(e.message).toContain('only 2-D convolution');
    expect(e.node).toBe('c1d');
  });
});

describe('Gemm and MatMul', () => {
  const flatIn = [valueInfo('x', [1, 2, 2, 2])];

  it('Flatten + Gemm (transB=1) is a fully connected conv over the unflattened input', () => {
    const w = range(3 * 8, 1);
    const net = load({
      inputs: flatIn,
      nodes: [
        node('Flatten', ['x'], ['f'], [attr.int('axis', 1)], 'flat'),
        node('Gemm', ['f', 'w', 'b'], ['y'], [attr.int('transB', 1)], 'fc'),
      ],
      inits: [floats('w', [3, 8], w), floats('b', [3], [0.5, 1, 1.5])],
      outputs: ['y'],
    });
    const fc = conv(net, 'fc');
    expect(fc.inputs).toEqual(['x']);
    expect(fc.fullyConnected).toBe(true);
    expect(fc.kernel).toEqual([2, 2]);
    expect(fc.shape).toEqual({ c: 3, h: 1, w: 1 });
    // [out][C*H*W] is the conv layout [out][C][H][W] as it is.
    expect(Array.from(fc.weights!)).toEqual(w);
    expect(Array.from(fc.bias!)).toEqual([0.5, 1, 1.5]);
    expect(net.layers).toHaveLength(1);
    expect(networkStats(net).macs).toBe(24);
  });

  it('Gemm transB=0 transposes; alpha and beta are folded into weights and bias', () => {
    const net = load({
      inputs: [valueInfo('x', [1, 2])],
      nodes: [node('Gemm', ['x', 'w', 'b'], ['y'], [attr.float('alpha', 2), attr.float('beta', 0.5)], 'fc')],
      // B is [K=2][N=3]
      inits: [floats('w', [2, 3], [1, 2, 3, 4, 5, 6]), floats('b', [3], [2, 4, 6])],
      outputs: ['y'],
    });
    const fc = conv(net, 'fc');
    expect(Array.from(fc.weights!)).toEqual([2, 8, 4, 10, 6, 12]);
    expect(Array.from(fc.bias!)).toEqual([1, 2, 3]);
    expect(net.inputs[0]!.shape).toEqual({ c: 2, h: 1, w: 1 });
  });

  it('Gemm errors: transA, size mismatch, a 4-D input, computed weights', () => {
    const base = (attrs: Obj[], wDims = [3, 8]): Spec => ({
      inputs: flatIn,
      nodes: [node('Flatten', ['x'], ['f']), node('Gemm', ['f', 'w'], ['y'], attrs, 'fc')],
      inits: [floats('w', wDims)],
      outputs: ['y'],
    });
    expect(loadError(base([attr.int('transA', 1), attr.int('transB', 1)])).message).toContain('transA');
    expect(loadError(base([attr.int('transB', 1)], [3, 9])).message).toContain(
      'expect 9 inputs, the input has 8',
    );
    const direct = loadError({
      inputs: flatIn,
      nodes: [node('Gemm', ['x', 'w'], ['y'], [attr.int('transB', 1)], 'fc')],
      inits: [floats('w', [3, 8])],
      outputs: ['y'],
    });
    expect(direct.message).toContain('flatten it first');
    const computed = loadError({
      inputs: [valueInfo('x', [1, 8]), valueInfo('z', [1, 8])],
      nodes: [node('Gemm', ['x', 'z'], ['y'], [], 'fc')],
      outputs: ['y'],
    });
    expect(computed.message).toContain('must be a constant');
  });

  it('MatMul on a flattened input, with the bias Add folded in', () => {
    const net = load({
      inputs: [valueInfo('x', [1, 4, 1, 1])],
      nodes: [
        node('Reshape', ['x', 'shape'], ['f'], [], 'flat'),
        node('MatMul', ['f', 'w'], ['m'], [], 'mm'),
        node('Add', ['m', 'b'], ['y'], [], 'bias'),
      ],
      inits: [
        int64s('shape', [1, -1]),
        floats('w', [4, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
        floats('b', [2], [10, 20]),
      ],
      outputs: ['y'],
    });
    const mm = conv(net, 'mm');
    expect(mm.fullyConnected).toBe(true);
    expect(Array.from(mm.weights!)).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
    expect(mm.hasBias).toBe(true);
    expect(Array.from(mm.bias!)).toEqual([10, 20]);
    expect(net.layers).toHaveLength(1);
    expect(net.outputs).toEqual(['mm']);
  });
});

describe('pooling', () => {
  it('MaxPool ceil_mode and AveragePool count_include_pad', () => {
    const inputs = [valueInfo('x', [1, 2, 6, 6])];
    const maxPool = (ceil: number) =>
      pool(
        load({
          inputs,
          nodes: [
            node(
              'MaxPool',
              ['x'],
              ['y'],
              [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.int('ceil_mode', ceil)],
              'mp',
            ),
          ],
          outputs: ['y'],
        }),
        'mp',
      );
    expect(maxPool(0).shape).toEqual({ c: 2, h: 2, w: 2 });
    expect(maxPool(1).shape).toEqual({ c: 2, h: 3, w: 3 });
    expect(maxPool(1).ceilMode).toBe(true);
    const avg = pool(
      load({
        inputs,
        nodes: [
          node(
            'AveragePool',
            ['x'],
            ['y'],
            [
              attr.ints('kernel_shape', [2, 2]),
              attr.ints('pads', [1, 0, 1, 0]),
              attr.int('count_include_pad', 1),
            ],
            'ap',
          ),
        ],
        outputs: ['y'],
      }),
      'ap',
    );
    expect(avg.mode).toBe('avg');
    expect(avg.countIncludePad).toBe(true);
    expect(avg.pads).toEqual({ top: 1, left: 0, bottom: 1, right: 0 });
    expect(avg.shape).toEqual({ c: 2, h: 7, w: 5 });
  });

  it('GlobalAveragePool, GlobalMaxPool and ReduceMean over H and W are global pools', () => {
    const g = load({
      nodes: [
        node('GlobalAveragePool', ['x'], ['a'], [], 'gap'),
        node('GlobalMaxPool', ['x'], ['m'], [], 'gmp'),
        node('ReduceMean', ['x'], ['r'], [attr.ints('axes', [2, 3])], 'mean'),
      ],
      outputs: ['a', 'm', 'r'],
    });
    for (const [name, mode] of [
      ['gap', 'avg'],
      ['gmp', 'max'],
      ['mean', 'avg'],
    ] as const) {
      expect(pool(g, name).global).toBe(true);
      expect(pool(g, name).mode).toBe(mode);
      expect(shapeOf(g, name)).toBe('3x1x1');
    }
    expect(g.outputs).toEqual(['gap', 'gmp', 'mean']);
    // Opset 18: axes as an input; keepdims=0 gives a [1,C] vector a Gemm can read.
    const v18 = load({
      opset: 18,
      nodes: [
        node('ReduceMean', ['x', 'axes'], ['r'], [attr.int('keepdims', 0)], 'mean'),
        node('Gemm', ['r', 'w'], ['y'], [attr.int('transB', 1)], 'fc'),
      ],
      inits: [int64s('axes', [-1, -2]), floats('w', [5, 3])],
      outputs: ['y'],
    });
    expect(shapeOf(v18, 'fc')).toBe('5x1x1');
    const channels = loadError({
      nodes: [node('ReduceMean', ['x'], ['r'], [attr.ints('axes', [1])], 'rm')],
      outputs: ['r'],
    });
    expect(channels.message).toContain('height and width only');
    expect(channels.node).toBe('rm');
  });
});

describe('element-wise, concat, split, slice', () => {
  it('Add of two feature maps and a squeeze-and-excitation Mul with a C x 1 x 1 gate', () => {
    const net = load({
      nodes: [
        node('Conv', ['x', 'w'], ['f'], [attr.ints('pads', [1, 1, 1, 1])], 'feat'),
        node('GlobalAveragePool', ['f'], ['p'], [], 'squeeze'),
        node('Conv', ['p', 'w1'], ['s'], [], 'excite'),
        node('Sigmoid', ['s'], ['g'], [], 'gate'),
        node('Mul', ['f', 'g'], ['m'], [], 'scale'),
        node('Add', ['m', 'f'], ['y'], [], 'residual'),
        node('Sum', ['y', 'f', 'm'], ['z'], [], 'sum3'),
      ],
      inits: [floats('w', [4, 3, 3, 3]), floats('w1', [4, 4, 1, 1])],
      outputs: ['z'],
    });
    expect(conv(net, 'excite').post).toEqual([{ op: 'sigmoid' }]);
    const scale = layer(net, 'scale');
    expect(scale).toMatchObject({ kind: 'eltwise', op: 'mul', inputs: ['feat', 'excite'] });
    expect(scale.shape).toEqual({ c: 4, h: 8, w: 8 });
    expect(layer(net, 'residual')).toMatchObject({ kind: 'eltwise', op: 'add', inputs: ['scale', 'feat'] });
    expect(layer(net, 'sum3').inputs).toEqual(['residual', 'feat', 'scale']);
  });

  it('a per-channel constant Mul is folded into the conv; other constants are rejected', () => {
    const net = load({
      inputs: [valueInfo('x', [1, 1, 4, 4])],
      nodes: [node('Conv', ['x', 'w', 'b'], ['c'], [], 'c'), node('Mul', ['k', 'c'], ['y'], [], 'scale')],
      inits: [floats('w', [2, 1, 1, 1], [1, 2]), floats('b', [2], [3, 4]), floats('k', [2, 1, 1], [10, 100])],
      outputs: ['y'],
    });
    expect(Array.from(conv(net, 'c').weights!)).toEqual([10, 200]);
    expect(Array.from(conv(net, 'c').bias!)).toEqual([30, 400]);
    // A [C] constant against [1,C,H,W] broadcasts over W, not channels.
    const e = loadError({
      inputs: [valueInfo('x', [1, 1, 4, 4])],
      nodes: [node('Conv', ['x', 'w'], ['c'], [], 'c'), node('Add', ['c', 'k'], ['y'], [], 'add')],
      inits: [floats('w', [2, 1, 1, 1]), floats('k', [2])],
      outputs: ['y'],
    });
    expect(e.message).toContain('neither a scalar nor per-channel');
    expect(e.node).toBe('add');
  });

  it('Concat along channels only', () => {
    const net = load({
      nodes: [node('Concat', ['x', 'x'], ['y'], [attr.int('axis', 1)], 'cat')],
      outputs: ['y'],
    });
    expect(shapeOf(net, 'cat')).toBe('6x8x8');
    const e = loadError({
      nodes: [node('Concat', ['x', 'x'], ['y'], [attr.int('axis', 2)], 'cat')],
      outputs: ['y'],
    });
    expect(e.message).toContain('along channels only');
  });

  const split8 = [valueInfo('x', [1, 8, 4, 4])];
  const slices = (net: Network) =>
    net.layers.map((l) => (l.kind === 'slice' ? `${l.name}[${l.start},${l.end})` : l.name));

  it('Split: sizes from the attribute, from an input, equal, and num_outputs (opset 18)', () => {
    const attrSplit = load({
      opset: 11,
      inputs: split8,
      nodes: [node('Split', ['x'], ['a', 'b'], [attr.int('axis', 1), attr.ints('split', [3, 5])], 'sp')],
      outputs: ['a', 'b'],
    });
    expect(slices(attrSplit)).toEqual(['sp_0[0,3)', 'sp_1[3,8)']);
    expect(shapeOf(attrSplit, 'sp_1')).toBe('5x4x4');
    const inputSplit = load({
      inputs: split8,
      nodes: [node('Split', ['x', 's'], ['a', 'b', 'c'], [attr.int('axis', -3)], 'sp')],
      inits: [int64s('s', [2, 2, 4])],
      outputs: ['a', 'b', 'c'],
    });
    expect(slices(inputSplit)).toEqual(['sp_0[0,2)', 'sp_1[2,4)', 'sp_2[4,8)']);
    const equal = load({
      inputs: split8,
      nodes: [node('Split', ['x'], ['a', 'b'], [attr.int('axis', 1)], 'sp')],
      outputs: ['a', 'b'],
    });
    expect(slices(equal)).toEqual(['sp_0[0,4)', 'sp_1[4,8)']);
    const uneven = load({
      opset: 18,
      inputs: [valueInfo('x', [1, 5, 4, 4])],
      nodes: [node('Split', ['x'], ['a', 'b'], [attr.int('axis', 1), attr.int('num_outputs', 2)], 'sp')],
      outputs: ['a', 'b'],
    });
    expect(slices(uneven)).toEqual(['sp_0[0,3)', 'sp_1[3,5)']);
    // An unused output makes no layer.
    const unused = load({
      inputs: split8,
      nodes: [node('Split', ['x'], ['a', 'b'], [attr.int('axis', 1)], 'sp')],
      outputs: ['b'],
    });
    expect(slices(unused)).toEqual(['sp_1[4,8)']);
    expect(
      loadError({ inputs: split8, nodes: [node('Split', ['x'], ['a', 'b'], [], 'sp')], outputs: ['a'] })
        .message,
    ).toContain('along channels only');
  });

  it('Slice on channels with clamped and negative bounds', () => {
    // INT64_MAX as protobufjs' Long bits: "to the end".
    const INT64_MAX = { low: -1, high: 0x7fffffff, unsigned: false };
    const slice = (starts: Int64[], ends: Int64[], axes = [1], steps?: number[]) =>
      load({
        inputs: split8,
        nodes: [node('Slice', ['x', 'st', 'en', 'ax', ...(steps ? ['sp'] : [])], ['y'], [], 'sl')],
        inits: [
          int64s('st', starts),
          int64s('en', ends),
          int64s('ax', axes),
          ...(steps ? [int64s('sp', steps)] : []),
        ],
        outputs: ['y'],
      });
    expect(layer(slice([2], [INT64_MAX]), 'sl')).toMatchObject({ kind: 'slice', start: 2, end: 8 });
    expect(layer(slice([-3], [-1]), 'sl')).toMatchObject({ start: 5, end: 7 });
    expect(shapeOf(slice([-3], [-1]), 'sl')).toBe('2x4x4');
    // A full range along another axis is harmless.
    expect(layer(slice([1, 0], [3, 4], [1, 2]), 'sl')).toMatchObject({ start: 1, end: 3 });
    expect(inputError(() => slice([0], [2], [2])).message).toContain('only channels');
    expect(inputError(() => slice([0], [8], [1], [2])).message).toContain('only step 1');
    // Opset 1-9: starts/ends/axes as attributes.
    const old = load({
      opset: 9,
      inputs: split8,
      nodes: [
        node(
          'Slice',
          ['x'],
          ['y'],
          [attr.ints('starts', [4]), attr.ints('ends', [6]), attr.ints('axes', [1])],
          's',
        ),
      ],
      outputs: ['y'],
    });
    expect(layer(old, 's')).toMatchObject({ start: 4, end: 6 });
  });
});

describe('point-wise operators', () => {
  const chain = (op: string, inputs: string[], attrs: Obj[] = [], extra: Partial<Spec> = {}): Network =>
    load({
      nodes: [
        ...conv3x3('c', 'x', 'h').nodes,
        ...(extra.nodes ?? []),
        node(op, ['h', ...inputs], ['y'], attrs, 'act'),
      ],
      inits: [...conv3x3('c', 'x', 'h').inits!, ...(extra.inits ?? [])],
      outputs: ['y'],
      ...(extra.opset ? { opset: extra.opset } : {}),
    });

  it('Relu, Sigmoid, HardSigmoid (defaults 0.2/0.5), HardSwish fold into the producer', () => {
    expect(conv(chain('Relu', []), 'c').post).toEqual([{ op: 'relu' }]);
    expect(conv(chain('Sigmoid', []), 'c').post).toEqual([{ op: 'sigmoid' }]);
    expect(conv(chain('HardSigmoid', []), 'c').post).toEqual([{ op: 'hardsigmoid', alpha: 0.2, beta: 0.5 }]);
    expect(conv(chain('HardSwish', [], [], { opset: 14 }), 'c').post).toEqual([{ op: 'hardswish' }]);
    const net = chain('Relu', []);
    expect(net.layers).toHaveLength(1);
    expect(net.outputs).toEqual(['c']);
  });

  it('Swish (opset 24) with alpha 1 is SiLU; Sub and Div by constants fold into the conv', () => {
    expect(conv(chain('Swish', [], [], { opset: 24 }), 'c').post).toEqual([{ op: 'silu' }]);
    const alpha = inputError(() => chain('Swish', [], [attr.float('alpha', 2)], { opset: 24 }));
    expect(alpha.describe()).toBe(
      "test.onnx: node 'act': Swish with alpha 2 is not supported (only 1: x * sigmoid(x))",
    );
    const affine = (op: string, k: number[]) =>
      load({
        inputs: [valueInfo('x', [1, 1, 2, 2])],
        nodes: [node('Conv', ['x', 'w', 'b'], ['c'], [], 'c'), node(op, ['c', 'k'], ['y'], [], op)],
        inits: [floats('w', [2, 1, 1, 1], [2, 3]), floats('b', [2], [1, -1]), floats('k', [2, 1, 1], k)],
        outputs: ['y'],
      });
    const sub = conv(affine('Sub', [0.5, 2]), 'c');
    expect(Array.from(sub.weights!)).toEqual([2, 3]);
    expect(Array.from(sub.bias!)).toEqual([0.5, -3]);
    const div = conv(affine('Div', [2, 4]), 'c');
    expect(Array.from(div.weights!)).toEqual([1, 0.75]);
    expect(Array.from(div.bias!)).toEqual([0.5, -0.25]);
    const first = inputError(() =>
      load({
        nodes: [...conv3x3('c', 'x', 'h').nodes, node('Div', ['k', 'h'], ['y'], [], 'div')],
        inits: [...conv3x3('c', 'x', 'h').inits!, floats('k', [], [1])],
        outputs: ['y'],
      }),
    );
    expect(first.message).toBe(
      'Div with a constant first operand is not supported (only feature map / constant)',
    );
    const two = inputError(() =>
      load({
        nodes: [
          ...conv3x3('c', 'x', 'h').nodes,
          ...conv3x3('d', 'x', 'g').nodes,
          node('Sub', ['h', 'g'], ['y'], [], 'sub'),
        ],
        inits: [...conv3x3('c', 'x', 'h').inits!, ...conv3x3('d', 'x', 'g').inits!],
        outputs: ['y'],
      }),
    );
    expect(two.message).toBe('Sub of two feature maps is not supported');
  });

  it('hard-swish written out with Clip attributes (opset 9); a third reader of x leaves the Add to the conv', () => {
    const written = (extra: Obj[], outputs: string[]) =>
      load({
        opset: 9,
        nodes: [
          ...conv3x3('c', 'x', 'h').nodes,
          node('Add', ['h', 'three'], ['a'], [], 'add'),
          node('Clip', ['a'], ['r'], [attr.float('min', 0), attr.float('max', 6)], 'relu6'),
          node('Mul', ['h', 'r'], ['m'], [], 'mul'),
          node('Div', ['m', 'six'], ['y'], [], 'div'),
          ...extra,
        ],
        inits: [...conv3x3('c', 'x', 'h').inits!, floats('three', [], [3]), floats('six', [], [6])],
        outputs,
      });
    const net = written([], ['y']);
    expect(net.layers.map((l) => l.name)).toEqual(['c']);
    expect(conv(net, 'c').post).toEqual([{ op: 'hardswish' }]);
    const third = inputError(() => written([node('Relu', ['h'], ['z'], [], 'other')], ['y', 'z']));
    expect(third.node).toBe('add');
    expect(third.message).toMatch(/^cannot fold Add into 'c': its output 'h' has 2 other consumers/);
  });

  it('reading the Shape of a map does not count as a use: the Relu still folds, the flatten target is computed', () => {
    const net = load({
      nodes: [
        ...conv3x3('c', 'x', 'h').nodes,
        node('Shape', ['h'], ['s']),
        node('Gather', ['s', 'zero'], ['n'], [attr.int('axis', 0)]),
        node('Unsqueeze', ['n', 'axes'], ['n1']),
        node('Concat', ['n1', 'minus1'], ['target'], [attr.int('axis', 0)]),
        node('Relu', ['h'], ['r'], [], 'act'),
        node('Reshape', ['r', 'target'], ['y'], [], 'flat'),
      ],
      inits: [
        ...conv3x3('c', 'x', 'h').inits!,
        int64s('zero', [0], []),
        int64s('axes', [0]),
        int64s('minus1', [-1]),
      ],
      outputs: ['y'],
    });
    expect(net.layers.map((l) => l.name)).toEqual(['c']);
    expect(conv(net, 'c').post).toEqual([{ op: 'relu' }]);
    const noData = loadError({
      nodes: [node('Add', ['k', 'k'], ['k2'], [], 'add'), node('Reshape', ['x', 'k2'], ['y'])],
      inits: [{ name: 'k', dims: [2], data_type: DataType.INT64 }],
      outputs: ['y'],
    });
    expect(noData.describe()).toBe(
      "test.onnx: node 'add': cannot evaluate Add: the constant 'k' has no data (a shape-only model?)",
    );
  });

  it('Clip from attributes (opset 6), Constant nodes and initializers; min-only Clip(0) is ReLU', () => {
    const attrs = chain('Clip', [], [attr.float('min', 0), attr.float('max', 6)], { opset: 6 });
    expect(conv(attrs, 'c').post).toEqual([{ op: 'clip', min: 0, max: 6 }]);
    const constants = chain('Clip', ['lo', 'hi'], [], {
      nodes: [
        node('Constant', [], ['lo'], [attr.tensor('value', floats('', [], [-1]))]),
        node('Constant', [], ['hi'], [attr.float('value_float', 2.5)]),
      ],
    });
    expect(conv(constants, 'c').post).toEqual([{ op: 'clip', min: -1, max: 2.5 }]);
    const inits = chain('Clip', ['', 'hi'], [], { inits: [floats('hi', [], [6])] });
    expect(conv(inits, 'c').post).toEqual([{ op: 'clip', min: -3.4028234663852886e38, max: 6 }]);
    expect(conv(chain('Clip', ['lo'], [], { inits: [floats('lo', [], [0])] }), 'c').post).toEqual([
      { op: 'relu' },
    ]);
    // A bound without data cannot be guessed.
    expect(inputError(() => chain('Clip', ['lo'], [], { inits: [floats('lo', [])] })).message).toContain(
      'has no data',
    );
  });

  it('hard-swish as Mul(x, HardSigmoid(x)) needs x to have no third reader', () => {
    const hsig = node('HardSigmoid', ['h'], ['g'], [attr.float('alpha', 1 / 6)], 'hsig');
    const swish = load({
      nodes: [...conv3x3('c', 'x', 'h').nodes, hsig, node('Mul', ['g', 'h'], ['y'], [], 'mul')],
      inits: conv3x3('c', 'x', 'h').inits!,
      outputs: ['y'],
    });
    expect(swish.layers.map((l) => l.name)).toEqual(['c']);
    expect(conv(swish, 'c').post).toEqual([{ op: 'hardswish' }]);
    const third = loadError({
      nodes: [
        ...conv3x3('c', 'x', 'h').nodes,
        hsig,
        node('Mul', ['h', 'g'], ['m'], [], 'mul'),
        node('Add', ['m', 'h'], ['y'], [], 'add'),
      ],
      inits: conv3x3('c', 'x', 'h').inits!,
      outputs: ['y'],
    });
    expect(third.node).toBe('hsig');
    expect(third.message).toContain('2 other consumers');
  });

  it('rejects folding into a layer whose output has another consumer, or into the network input', () => {
    const shared = loadError({
      nodes: [
        ...conv3x3('c', 'x', 'h').nodes,
        node('Relu', ['h'], ['r'], [], 'act'),
        node('Add', ['h', 'r'], ['y'], [], 'add'),
      ],
      inits: conv3x3('c', 'x', 'h').inits!,
      outputs: ['y'],
    });
    expect(shared.node).toBe('act');
    expect(shared.message).toContain("cannot fold Relu into 'c'");
    expect(shared.message).toContain('1 other consumer');
    const output = loadError({
      nodes: [...conv3x3('c', 'x', 'h').nodes, node('Relu', ['h'], ['r'], [], 'act')],
      inits: conv3x3('c', 'x', 'h').inits!,
      outputs: ['h', 'r'],
    });
    expect(output.message).toContain('network output');
    const onInput = loadError({ nodes: [node('Relu', ['x'], ['y'], [], 'act')], outputs: ['y'] });
    expect(onInput.message).toContain("network input 'x'");
  });

  it('BatchNormalization is folded into the conv (checked numerically) or marks a shape-only bias', () => {
    const bn = (data: boolean, epsilon = 0) =>
      load({
        inputs: [valueInfo('x', [1, 1, 4, 4])],
        nodes: [
          node('Conv', ['x', 'w', 'b'], ['c'], [], 'c'),
          node(
            'BatchNormalization',
            ['c', 'gamma', 'beta', 'mean', 'var'],
            ['y'],
            [attr.float('epsilon', epsilon)],
            'bn',
          ),
        ],
        inits: [
          floats('w', [2, 1, 1, 1], data ? [2, 3] : undefined),
          floats('b', [2], data ? [1, 1] : undefined),
          floats('gamma', [2], data ? [1, 2] : undefined),
          floats('beta', [2], data ? [0.5, 0] : undefined),
          floats('mean', [2], data ? [1, 0] : undefined),
          floats('var', [2], data ? [4, 0.25] : undefined),
        ],
        outputs: ['y'],
      });
    // scale = gamma / sqrt(var) = [0.5, 4]; shift = beta - mean * scale = [0, 0]
    const folded = conv(bn(true), 'c');
    expect(Array.from(folded.weights!)).toEqual([1, 12]);
    expect(Array.from(folded.bias!)).toEqual([0.5, 4]);
    const withEps = conv(bn(true, 1e-5), 'c');
    expect(withEps.weights![0]).toBeCloseTo(2 / Math.sqrt(4 + 1e-5), 6);
    const shapeOnly = conv(bn(false), 'c');
    expect(shapeOnly.weights).toBeUndefined();
    expect(shapeOnly.hasBias).toBe(true);
    expect(bn(false).layers).toHaveLength(1);
    // after a ReLU or a pooling it cannot be folded: an affine layer of its own
    const afterRelu = load({
      inputs: [valueInfo('x', [1, 1, 4, 4])],
      nodes: [
        node('Conv', ['x', 'w'], ['c'], [], 'c'),
        node('Relu', ['c'], ['r'], [], 'act'),
        node('BatchNormalization', ['r', 'g', 'b', 'm', 'v'], ['y'], [], 'bn'),
      ],
      inits: [floats('w', [2, 1, 1, 1]), ...['g', 'b', 'm', 'v'].map((n) => floats(n, [2]))],
      outputs: ['y'],
    });
    expect(afterRelu.layers.map((l) => `${l.name}:${l.kind}:${l.inputs}`)).toEqual([
      'c:conv:x',
      'bn:affine:c',
    ]);
    expect(conv(afterRelu, 'c').hasBias).toBe(false);
    const afterPool = load({
      nodes: [
        node('MaxPool', ['x'], ['p'], [attr.ints('kernel_shape', [2, 2])], 'mp'),
        node('BatchNormalization', ['p', 'g', 'b', 'm', 'v'], ['y'], [], 'bn'),
        node('Relu', ['y'], ['r'], [], 'act'),
      ],
      inits: [
        floats('g', [3], [1, 2, 3]),
        floats('b', [3], [0, 1, 0]),
        floats('m', [3], [1, 0, -1]),
        floats('v', [3], [0.25, 1, 4]),
      ],
      outputs: ['r'],
    });
    const a = layer(afterPool, 'bn');
    expect(a.kind).toBe('affine');
    expect(a.post).toEqual([{ op: 'relu' }]);
    expect(shapeOf(afterPool, 'bn')).toBe('3x7x7');
    // scale = g / sqrt(v + 1e-5), shift = b - m * scale
    if (a.kind !== 'affine') throw new Error('not affine');
    const scale = [1, 2, 3].map((g, c) => g / Math.sqrt([0.25, 1, 4][c]! + 1e-5));
    for (let c = 0; c < 3; c++) {
      expect(a.scale![c]).toBeCloseTo(scale[c]!, 6);
      expect(a.shift![c]).toBeCloseTo([0, 1, 0][c]! - [1, 0, -1][c]! * scale[c]!, 6);
    }
    expect(networkStats(afterPool).parameters).toBe(6);
    const wrongSize = loadError({
      nodes: [
        node('MaxPool', ['x'], ['p'], [attr.ints('kernel_shape', [2, 2])], 'mp'),
        node('BatchNormalization', ['p', 'g', 'b', 'm', 'v'], ['y'], [], 'bn'),
      ],
      inits: ['g', 'b', 'm', 'v'].map((n) => floats(n, [4])),
      outputs: ['y'],
    });
    expect(wrongSize.node).toBe('bn');
    expect(wrongSize.message).toContain("the scale 'g' has 4 values, the layer has 3 channels");
  });

  it('BatchNormalization after a concat or on a tensor with other readers (DenseNet) is an affine layer', async () => {
    // x -> conv f0; dense layer 1: BN(f0) (f0 is also concatenated), ReLU, conv 1x1, BN (folded), ReLU,
    // conv 3x3 -> n1; cat1 = [f0, n1]; dense layer 2 from cat1 -> n2; cat2 = [f0, n1, n2]; the
    // transition: BN(cat2), ReLU, conv 1x1, average pooling 2x2.
    const rand = (n: number, seed: number) => range(n).map((i) => Math.sin(seed * 7.31 + i * 1.97) * 0.8);
    const positive = (n: number, seed: number) => rand(n, seed).map((v) => 0.5 + Math.abs(v));
    const inits: Obj[] = [];
    const values = new Map<string, number[]>();
    const param = (name: string, dims: number[], v: number[]) => {
      inits.push(floats(name, dims, v));
      values.set(name, v);
    };
    let seed = 1;
    const convParams = (name: string, cout: number, cin: number, k: number, bias: boolean) => {
      param(`${name}.w`, [cout, cin, k, k], rand(cout * cin * k * k, seed++));
      if (bias) param(`${name}.b`, [cout], rand(cout, seed++));
    };
    const bnParams = (name: string, c: number) => {
      param(`${name}.g`, [c], positive(c, seed++));
      param(`${name}.beta`, [c], rand(c, seed++));
      param(`${name}.m`, [c], rand(c, seed++));
      param(`${name}.v`, [c], positive(c, seed++));
    };
    const pad1 = attr.ints('pads', [1, 1, 1, 1]);
    const bnNode = (name: string, x: string) =>
      node(
        'BatchNormalization',
        [x, `${name}.g`, `${name}.beta`, `${name}.m`, `${name}.v`],
        [name],
        [],
        name,
      );
    const nodes: Obj[] = [node('Conv', ['x', 'f0.w', 'f0.b'], ['f0'], [pad1], 'f0')];
    convParams('f0', 3, 2, 3, true);
    const dense = (i: number, input: string, cin: number) => {
      nodes.push(
        bnNode(`bn${i}a`, input),
        node('Relu', [`bn${i}a`], [`r${i}a`], [], `r${i}a`),
        node('Conv', [`r${i}a`, `b${i}.w`], [`b${i}`], [], `b${i}`),
        bnNode(`bn${i}b`, `b${i}`),
        node('Relu', [`bn${i}b`], [`r${i}b`], [], `r${i}b`),
        node('Conv', [`r${i}b`, `n${i}.w`], [`n${i}`], [pad1], `n${i}`),
      );
      bnParams(`bn${i}a`, cin);
      convParams(`b${i}`, 4, cin, 1, false);
      bnParams(`bn${i}b`, 4);
      convParams(`n${i}`, 2, 4, 3, false);
    };
    dense(1, 'f0', 3);
    nodes.push(node('Concat', ['f0', 'n1'], ['cat1'], [attr.int('axis', 1)], 'cat1'));
    dense(2, 'cat1', 5);
    nodes.push(
      node('Concat', ['f0', 'n1', 'n2'], ['cat2'], [attr.int('axis', 1)], 'cat2'),
      bnNode('bnt', 'cat2'),
      node('Relu', ['bnt'], ['rt'], [], 'rt'),
      node('Conv', ['rt', 't.w'], ['t'], [], 't'),
      node(
        'AveragePool',
        ['t'],
        ['y'],
        [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])],
        'pool',
      ),
    );
    bnParams('bnt', 7);
    convParams('t', 3, 7, 1, false);
    const net = load({ inputs: [valueInfo('x', [1, 2, 4, 4])], nodes, inits, outputs: ['y'] });

    expect(net.layers.map((l) => `${l.name}:${l.kind}${l.post.map((p) => `+${p.op}`).join('')}`)).toEqual([
      'f0:conv',
      'bn1a:affine+relu',
      'b1:conv+relu',
      'n1:conv',
      'cat1:concat',
      'bn2a:affine+relu',
      'b2:conv+relu',
      'n2:conv',
      'cat2:concat',
      'bnt:affine+relu',
      't:conv',
      'pool:pool',
    ]);
    expect(shapeOf(net, 'bnt')).toBe('7x4x4');
    const stats = networkStats(net);
    // convolutions: weights (+ the bias of f0, and the biases the folded batch-norms give b1, b2)
    const convParamsCount = 3 * 2 * 9 + 3 + (4 * 3 + 4) + 2 * 4 * 9 + (4 * 5 + 4) + 2 * 4 * 9 + 3 * 7;
    // affine layers: a scale and a shift per channel
    expect(stats.parameters).toBe(convParamsCount + 2 * (3 + 5 + 7));
    expect(stats.macs).toBe(16 * (3 * 2 * 9 + 4 * 3 + 2 * 4 * 9 + 4 * 5 + 2 * 4 * 9 + 3 * 7));
    expect(stats.layers.find((l) => l.name === 'bnt')!.macs).toBe(0);

    // the outputs against a hand computation of the original graph (batch-norm unfolded, float64)
    type T = { c: number; h: number; w: number; d: number[] };
    const v = (name: string) => values.get(name)!;
    const convolve = (x: T, name: string, cout: number, k: number, pad: number, bias: boolean): T => {
      const w = v(`${name}.w`);
      const d: number[] = [];
      for (let o = 0; o < cout; o++)
        for (let yy = 0; yy < x.h; yy++)
          for (let xx = 0; xx < x.w; xx++) {
            let sum = bias ? v(`${name}.b`)[o]! : 0;
            for (let i = 0; i < x.c; i++)
              for (let ky = 0; ky < k; ky++)
                for (let kx = 0; kx < k; kx++) {
                  const iy = yy + ky - pad;
                  const ix = xx + kx - pad;
                  if (iy >= 0 && iy < x.h && ix >= 0 && ix < x.w)
                    sum += w[((o * x.c + i) * k + ky) * k + kx]! * x.d[(i * x.h + iy) * x.w + ix]!;
                }
            d.push(sum);
          }
      return { c: cout, h: x.h, w: x.w, d };
    };
    const batchNorm = (x: T, name: string): T => {
      const plane = x.h * x.w;
      const d = x.d.map((val, j) => {
        const c = Math.floor(j / plane);
        return (
          ((val - v(`${name}.m`)[c]!) / Math.sqrt(v(`${name}.v`)[c]! + 1e-5)) * v(`${name}.g`)[c]! +
          v(`${name}.beta`)[c]!
        );
      });
      return { ...x, d };
    };
    const relu = (x: T): T => ({ ...x, d: x.d.map((val) => Math.max(0, val)) });
    const cat = (...xs: T[]): T => ({
      ...xs[0]!,
      c: xs.reduce((n, x) => n + x.c, 0),
      d: xs.flatMap((x) => x.d),
    });
    const input = rand(32, 99);
    const x: T = { c: 2, h: 4, w: 4, d: input };
    const f0 = convolve(x, 'f0', 3, 3, 1, true);
    const layerOf = (i: number, from: T) =>
      convolve(
        relu(batchNorm(convolve(relu(batchNorm(from, `bn${i}a`)), `b${i}`, 4, 1, 0, false), `bn${i}b`)),
        `n${i}`,
        2,
        3,
        1,
        false,
      );
    const n1 = layerOf(1, f0);
    const n2 = layerOf(2, cat(f0, n1));
    const t = convolve(relu(batchNorm(cat(f0, n1, n2), 'bnt')), 't', 3, 1, 0, false);
    const expected: number[] = [];
    for (let c = 0; c < 3; c++)
      for (let py = 0; py < 2; py++)
        for (let px = 0; px < 2; px++) {
          let sum = 0;
          for (let dy = 0; dy < 2; dy++)
            for (let dx = 0; dx < 2; dx++) sum += t.d[(c * 4 + 2 * py + dy) * 4 + 2 * px + dx]!;
          expected.push(sum / 4);
        }
    const out = await runNetwork(net, { x: { shape: { c: 2, h: 4, w: 4 }, data: Float32Array.from(input) } });
    const got = Array.from(out['pool']!.data);
    expect(got).toHaveLength(12);
    for (const [i, g] of got.entries()) expect(g).toBeCloseTo(expected[i]!, 4);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('a batch-norm after an affine layer composes with it; shape-only affine layers have no data', () => {
    const twice = (data: boolean) =>
      load({
        nodes: [
          node('MaxPool', ['x'], ['p'], [attr.ints('kernel_shape', [2, 2])], 'mp'),
          node('BatchNormalization', ['p', 'g', 'b', 'm', 'v'], ['y1'], [attr.float('epsilon', 0)], 'bn1'),
          node('BatchNormalization', ['y1', 'g', 'b', 'm', 'v'], ['y2'], [attr.float('epsilon', 0)], 'bn2'),
        ],
        inits: [
          floats('g', [3], data ? [1, 2, 3] : undefined),
          floats('b', [3], data ? [1, 0, 0] : undefined),
          floats('m', [3], data ? [0, 1, 0] : undefined),
          floats('v', [3], data ? [1, 4, 0.25] : undefined),
        ],
        outputs: ['y2'],
      });
    const net = twice(true);
    expect(net.layers.map((l) => l.kind)).toEqual(['pool', 'affine']);
    const a = layer(net, 'bn1');
    if (a.kind !== 'affine') throw new Error('not affine');
    // per batch-norm: scale [1, 1, 6], shift [1, -1, 0]; twice: scale s*s, shift s*b + b
    expect(Array.from(a.scale!)).toEqual([1, 1, 36]);
    expect(Array.from(a.shift!)).toEqual([2, -2, 0]);
    const shapeOnly = layer(twice(false), 'bn1');
    expect(
      shapeOnly.kind === 'affine' && shapeOnly.scale === undefined && shapeOnly.shift === undefined,
    ).toBe(true);
  });
});

describe('Pad, Flatten/Reshape, channel shuffle, Softmax, aliases', () => {
  it('Pad is folded into the following Conv and AveragePool (count_include_pad semantics)', () => {
    const padded = (consumer: Obj, opset = 13): Spec => ({
      opset,
      nodes: [
        opset >= 11
          ? node('Pad', ['x', 'pads'], ['p'], [], 'pad')
          : node('Pad', ['x'], ['p'], [attr.ints('pads', [0, 0, 1, 2, 0, 0, 3, 4])], 'pad'),
        consumer,
      ],
      inits: [int64s('pads', [0, 0, 1, 2, 0, 0, 3, 4]), floats('w', [4, 3, 3, 3])],
      outputs: ['y'],
    });
    const c = conv(
      load(padded(node('Conv', ['p', 'w'], ['y'], [attr.ints('pads', [1, 1, 1, 1])], 'c'))),
      'c',
    );
    expect(c.pads).toEqual({ top: 2, left: 3, bottom: 4, right: 5 });
    expect(c.shape).toEqual({ c: 4, h: 12, w: 14 });
    const old = conv(load(padded(node('Conv', ['p', 'w'], ['y'], [], 'c'), 2)), 'c');
    expect(old.pads).toEqual({ top: 1, left: 2, bottom: 3, right: 4 });
    const ap = pool(
      load(padded(node('AveragePool', ['p'], ['y'], [attr.ints('kernel_shape', [5, 5])], 'ap'))),
      'ap',
    );
    expect(ap.pads).toEqual({ top: 1, left: 2, bottom: 3, right: 4 });
    expect(ap.countIncludePad).toBe(true);
    expect(ap.shape).toEqual({ c: 3, h: 8, w: 10 });
    const mp = loadError(padded(node('MaxPool', ['p'], ['y'], [attr.ints('kernel_shape', [5, 5])], 'mp')));
    expect(mp.message).toContain('before MaxPool');
    const relu = loadError(padded(node('Relu', ['p'], ['y'], [], 'r')));
    expect(relu.node).toBe('pad');
    expect(relu.message).toContain('only supported in front of Conv or AveragePool');
    const reflect = loadError({
      nodes: [
        node('Pad', ['x', 'pads'], ['p'], [attr.str('mode', 'reflect')], 'pad'),
        node('Conv', ['p', 'w'], ['y']),
      ],
      inits: [int64s('pads', [0, 0, 1, 1, 0, 0, 1, 1]), floats('w', [4, 3, 3, 3])],
      outputs: ['y'],
    });
    expect(reflect.message).toContain("mode 'reflect'");
  });

  it('Flatten/Reshape of a C x 1 x 1 vector is an identity; Softmax over a vector', () => {
    const net = load({
      nodes: [
        node('GlobalAveragePool', ['x'], ['g'], [], 'gap'),
        node('Reshape', ['g', 'to2'], ['v'], [], 'r1'),
        node('Reshape', ['v', 'to4'], ['v4'], [], 'r2'),
        node('Flatten', ['v4'], ['f'], [], 'flat'),
        node('Softmax', ['f'], ['y'], [attr.int('axis', 1)], 'prob'),
      ],
      inits: [int64s('to2', [0, -1]), int64s('to4', [1, -1, 1, 1])],
      outputs: ['y'],
    });
    expect(net.layers.map((l) => `${l.name}:${l.kind}`)).toEqual(['gap:pool', 'prob:softmax']);
    expect(layer(net, 'prob').inputs).toEqual(['gap']);
    // Softmax over a flattened feature map is not a per-position channel softmax.
    const flat = loadError({
      nodes: [node('Flatten', ['x'], ['f']), node('Softmax', ['f'], ['y'], [], 'sm')],
      outputs: ['y'],
    });
    expect(flat.message).toContain('over channels only');
    // Opset 13: axis 1 of a 4-D tensor is exactly a per-position channel softmax.
    expect(
      shapeOf(
        load({ nodes: [node('Softmax', ['x'], ['y'], [attr.int('axis', 1)], 'sm')], outputs: ['y'] }),
        'sm',
      ),
    ).toBe('3x8x8');
    const opset11 = loadError({
      opset: 11,
      nodes: [node('Softmax', ['x'], ['y'], [], 'sm')],
      outputs: ['y'],
    });
    expect(opset11.message).toContain('over channels only');
    const bad = loadError({
      nodes: [node('Reshape', ['x', 's'], ['y'], [], 'r')],
      inits: [int64s('s', [1, 3, 64])],
      outputs: ['y'],
    });
    expect(bad.message).toContain('Reshape of [1, 3, 8, 8] to [1, 3, 64] is not supported');
  });

  it('Reshape-Transpose-Reshape is a channel shuffle layer', () => {
    const shuffle = (perm: number[]): Spec => ({
      inputs: [valueInfo('x', [1, 6, 4, 4])],
      nodes: [
        node('Reshape', ['x', 's1'], ['a'], [], 'r1'),
        node('Transpose', ['a'], ['b'], [attr.ints('perm', perm)], 't'),
        node('Constant', [], ['s2'], [attr.ints('value_ints', [0, -1, 4, 4])], 'target'),
        node('Reshape', ['b', 's2'], ['y'], [], 'shuffle'),
      ],
      inits: [int64s('s1', [1, 2, -1, 4, 4])],
      outputs: ['y'],
    });
    const net = load(shuffle([0, 2, 1, 3, 4]));
    expect(net.layers).toHaveLength(1);
    expect(layer(net, 'shuffle')).toMatchObject({ kind: 'shuffle', groups: 2, inputs: ['x'] });
    expect(shapeOf(net, 'shuffle')).toBe('6x4x4');
    const wrong = loadError(shuffle([0, 1, 2, 4, 3]));
    expect(wrong.node).toBe('t');
    expect(wrong.message).toContain('channel shuffle');
  });

  it('Identity and Dropout disappear, also in front of graph outputs', () => {
    const net = load({
      nodes: [
        node('Identity', ['w0'], ['w'], [], 'shared'),
        ...conv3x3('c', 'x', 'h').nodes.map((n) => ({ ...n, input: ['x', 'w'] })),
        node('Dropout', ['h'], ['d', 'mask'], [], 'drop'),
        node('Relu', ['d'], ['r'], [], 'act'),
        node('Identity', ['r'], ['y'], [], 'out'),
      ],
      inits: [floats('w0', [4, 3, 3, 3])],
      outputs: ['y'],
    });
    expect(net.layers.map((l) => l.name)).toEqual(['c']);
    expect(conv(net, 'c').post).toEqual([{ op: 'relu' }]);
    expect(net.outputs).toEqual(['c']);
    const mask = loadError({
      nodes: [node('Dropout', ['x'], ['d', 'mask'], [], 'drop'), node('Relu', ['mask'], ['y'])],
      outputs: ['y'],
    });
    expect(mask.message).toContain('mask output of Dropout');
  });

  it('layer names: the node name when unique, else a derived unique one', () => {
    const net = load({
      nodes: [
        node('Conv', ['x', 'w'], ['a'], []),
        node('Conv', ['a', 'w2'], ['b'], [], 'dup'),
        node('Conv', ['b', 'w2'], ['c'], [], 'dup'),
        node('Conv', ['c', 'w2'], ['d'], [], 'x'),
        node('Conv', ['d', 'w2'], ['e'], [], 'Conv_0'),
      ],
      inits: [floats('w', [4, 3, 1, 1]), floats('w2', [4, 4, 1, 1])],
      outputs: ['e'],
    });
    expect(net.layers.map((l) => l.name)).toEqual(['Conv_0_2', 'Conv_1', 'Conv_2', 'Conv_3', 'Conv_0']);
    // The shared weights are one tensor: 12 + 16 parameters, not 12 + 4 * 16.
    expect(networkStats(net).parameters).toBe(12 + 16);
    // Checks made by the IR are reported at the ONNX node, not at the derived layer name.
    const tooBig = loadError({
      nodes: [node('Conv', ['x', 'w'], ['a'], [], 'dup'), node('Conv', ['a', 'w9'], ['b'], [], 'dup')],
      inits: [floats('w', [4, 3, 1, 1]), floats('w9', [4, 4, 9, 9])],
      outputs: ['b'],
    });
    expect(tooBig.node).toBe('dup');
    expect(tooBig.message).toBe('kernel does not fit input 4x8x8');
  });
});

describe('inputs and external data', () => {
  it('batch 1 or symbolic; [1, N] inputs are N x 1 x 1', () => {
    const sym = load({ ...conv3x3('c', 'x', 'y'), inputs: [valueInfo('x', ['batch', 3, 8, 8])] });
    expect(sym.inputs).toEqual([{ name: 'x', shape: { c: 3, h: 8, w: 8 } }]);
    const vector = load({
      inputs: [valueInfo('x', [1, 16])],
      nodes: [node('Gemm', ['x', 'w'], ['y'], [attr.int('transB', 1)], 'fc')],
      inits: [floats('w', [4, 16])],
      outputs: ['y'],
    });
    expect(vector.inputs[0]!.shape).toEqual({ c: 16, h: 1, w: 1 });
    expect(
      loadError({ ...conv3x3('c', 'x', 'y'), inputs: [valueInfo('x', [2, 3, 8, 8])] }).message,
    ).toContain('batch size 2');
    expect(loadError({ ...conv3x3('c', 'x', 'y'), inputs: [valueInfo('x', [1, 3, 8])] }).message).toContain(
      'only [N,C,H,W] and [N,F]',
    );
    expect(
      loadError({ ...conv3x3('c', 'x', 'y'), inputs: [valueInfo('x', [1, 3, 'h', 8])] }).message,
    ).toContain('known positive size');
  });

  it('checks a declared output shape against the inferred one', () => {
    const e = loadError({ ...conv3x3('c', 'x', 'y'), outputs: [valueInfo('y', [1, 4, 7, 8])] });
    expect(e.message).toContain("graph output 'y' is declared [1, 4, 7, 8] but the network computes 4x6x6");
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reads tensors stored as external data relative to the model folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'memsched-onnx-'));
    dirs.push(dir);
    const w = range(4 * 3, 0.25, -1);
    const b = [7, 8, 9, 10];
    // 16 bytes of padding, the weights, then the bias.
    const blob = new Uint8Array(16 + 4 * (w.length + b.length));
    blob.set(new Uint8Array(new Float32Array(w).buffer), 16);
    blob.set(new Uint8Array(new Float32Array(b).buffer), 16 + 4 * w.length);
    writeFileSync(path.join(dir, 'weights.bin'), blob);
    const external = (
      name: string,
      dims: number[],
      offset: number,
      length: number,
      location = 'weights.bin',
    ): Obj => ({
      name,
      dims,
      data_type: DataType.FLOAT,
      data_location: DataLocation.EXTERNAL,
      external_data: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(length) },
      ],
    });
    const spec = (location?: string): Spec => ({
      nodes: [node('Conv', ['x', 'w', 'b'], ['y'], [], 'c')],
      inits: [external('w', [4, 3, 1, 1], 16, 48, location), external('b', [4], 64, 16, location)],
      outputs: ['y'],
    });
    writeFileSync(path.join(dir, 'model.onnx'), encode(spec()));
    const net = loadOnnxFile(path.join(dir, 'model.onnx'));
    expect(Array.from(conv(net, 'c').weights!)).toEqual(w);
    expect(Array.from(conv(net, 'c').bias!)).toEqual(b);

    writeFileSync(path.join(dir, 'missing.onnx'), encode(spec('nowhere.bin')));
    const missing = inputError(() => loadOnnxFile(path.join(dir, 'missing.onnx')));
    expect(missing.file).toBe(path.join(dir, 'missing.onnx'));
    expect(missing.message).toContain("cannot read external data file 'nowhere.bin': no such file");

    writeFileSync(path.join(dir, 'short.bin'), blob.subarray(0, 40));
    writeFileSync(path.join(dir, 'short.onnx'), encode(spec('short.bin')));
    expect(inputError(() => loadOnnxFile(path.join(dir, 'short.onnx'))).message).toContain('is truncated');

    const noDir = inputError(() => loadOnnx(encode(spec()), 'mem.onnx'));
    expect(noDir.file).toBe('mem.onnx');
    expect(noDir.message).toContain("the model's folder is unknown");
    expect(noDir.node).toBe('c');
  });

  it('a shape-only model (dims, no data) converts with weights undefined', () => {
    const net = load({
      nodes: [node('Conv', ['x', 'w', 'b'], ['h'], [], 'c'), node('Relu', ['h'], ['y'], [], 'r')],
      inits: [floats('w', [4, 3, 3, 3]), floats('b', [4])],
      outputs: ['y'],
    });
    const c = conv(net, 'c');
    expect(c.weights).toBeUndefined();
    expect(c.bias).toBeUndefined();
    expect(c.hasBias).toBe(true);
    expect(networkStats(net).parameters).toBe(112);
  });

  it('decodes float16 raw data and double_data', () => {
    const half = load({
      inputs: [valueInfo('x', [1, 1, 2, 2])],
      nodes: [node('Conv', ['x', 'w', 'b'], ['y'], [], 'c')],
      inits: [
        // 1, -2, 0.5 as IEEE half precision, little-endian
        {
          name: 'w',
          dims: [3, 1, 1, 1],
          data_type: DataType.FLOAT16,
          raw_data: Uint8Array.of(0, 0x3c, 0, 0xc0, 0, 0x38),
        },
        { name: 'b', dims: [3], data_type: DataType.DOUBLE, double_data: [0.25, 1e-3, -7] },
      ],
      outputs: ['y'],
    });
    expect(Array.from(conv(half, 'c').weights!)).toEqual([1, -2, 0.5]);
    expect(Array.from(conv(half, 'c').bias!)).toEqual([0.25, Math.fround(1e-3), -7]);
  });

  it('rejects data that does not match the dims', () => {
    const e = loadError({
      nodes: [node('Conv', ['x', 'w'], ['y'], [], 'c')],
      inits: [floats('w', [4, 3, 1, 1], [1, 2, 3])],
      outputs: ['y'],
    });
    expect(e.message).toContain("tensor 'w' has 12 bytes of data, its dims need 48");
    expect(e.node).toBe('c');
  });
});

// ---- errors ---------------------------------------------------------------------------------

describe('errors', () => {
  it('missing file, a directory, an empty file', () => {
    const missing = inputError(() => loadOnnxFile(fixture('nope.onnx')));
    expect(missing.file).toBe(fixture('nope.onnx'));
    expect(missing.message).toBe('cannot read the model: no such file');
    expect(inputError(() => loadOnnxFile(fixtures)).message).toContain('directory');
    const empty = inputError(() => loadOnnx(new Uint8Array(0), 'empty.onnx'));
    expect(empty.describe()).toBe('empty.onnx: not an ONNX model: the file is empty');
  });

  it('a real model cut in half is reported as truncated', () => {
    const bytes = readFileSync(fixture('squeezenet1_1.shape.onnx'));
    const e = inputError(() => loadOnnx(bytes.subarray(0, bytes.length >> 1), 'half.onnx'));
    expect(e.file).toBe('half.onnx');
    expect(e.message).toMatch(/^truncated/);
  });

  it('random bytes, text and other protobufs are not ONNX models; never a protobufjs exception', () => {
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed >> 8;
    };
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: 1 + (next() % 300) }, () => next() & 255);
      const e = inputError(() => loadOnnx(bytes, 'random.bin'));
      expect(e.file).toBe('random.bin');
      expect(e.describe()).not.toContain('\n');
    }
    const text = new TextEncoder().encode('# a README\n\nmodel: resnet, input: 1x3x224x224\n');
    expect(inputError(() => loadOnnx(text, 'notes.txt')).message).toMatch(/^(not an ONNX model|truncated)/);
    const tensor = TensorProto.encode(
      TensorProto.fromObject({ name: 't', dims: [2], float_data: [1, 2] }),
    ).finish();
    expect(inputError(() => loadOnnx(tensor, 'tensor.pb')).message).toMatch(/^not an ONNX model/);
  });

  it('damaged copies of a real model give InputErrors or load', () => {
    const bytes = readFileSync(fixture('vdsr.shape.onnx'));
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed >> 8;
    };
    for (let n = 0; n < 300; n++) {
      const copy = Uint8Array.from(bytes);
      for (let k = 0; k < 1 + (n % 4); k++) copy[next() % copy.length] = next() & 255;
      try {
        loadOnnx(copy, 'damaged.onnx');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).file).toBe('damaged.onnx');
      }
    }
  });

  it('unsupported operators name the op type and the node', () => {
    const named = loadError({
      nodes: [node('LSTM', ['x', 'w', 'r'], ['y'], [], 'lstm1')],
      inits: [floats('w', [1, 4, 3]), floats('r', [1, 4, 1])],
      outputs: ['y'],
    });
    expect(named.message).toBe("unsupported operator 'LSTM'");
    expect(named.node).toBe('lstm1');
    expect(named.describe()).toBe("test.onnx: node 'lstm1': unsupported operator 'LSTM'");
    const unnamed = loadError({
      nodes: [...conv3x3('c', 'x', 'h').nodes, node('LeakyRelu', ['h'], ['y'])],
      inits: conv3x3('c', 'x', 'h').inits!,
      outputs: ['y'],
    });
    expect(unnamed.node).toBe('LeakyRelu_1');
    const domain = loadError({
      nodes: [{ ...node('FusedConv', ['x'], ['y'], [], 'f'), domain: 'com.microsoft' }],
      outputs: ['y'],
    });
    expect(domain.message).toBe("unsupported operator 'com.microsoft.FusedConv'");
  });

  it('a foldable operator on a feature map is still unsupported; so is Shape of a pending Pad', () => {
    const gather = loadError({
      nodes: [...conv3x3('c', 'x', 'h').nodes, node('Gather', ['h', 'i'], ['y'], [], 'g')],
      inits: [...conv3x3('c', 'x', 'h').inits!, int64s('i', [0], [])],
      outputs: ['y'],
    });
    expect(gather.describe()).toBe("test.onnx: node 'g': unsupported operator 'Gather'");
    const padded = loadError({
      nodes: [
        node('Pad', ['x', 'p'], ['xp'], [], 'pad'),
        node('Shape', ['xp'], ['s'], [], 'shape'),
        ...conv3x3('c', 'xp', 'y').nodes,
      ],
      inits: [int64s('p', [0, 0, 1, 1, 0, 0, 1, 1]), ...conv3x3('c', 'xp', 'y').inits!],
      outputs: ['y'],
    });
    expect(padded.node).toBe('pad');
    expect(padded.message).toContain('only supported in front of Conv or AveragePool');
  });

  it('cycles and undefined inputs', () => {
    const cycle = loadError({
      nodes: [node('Relu', ['b'], ['a'], [], 'first'), node('Relu', ['a'], ['b'], [], 'second')],
      outputs: ['a'],
    });
    expect(cycle.message).toContain("cycle through 'first', 'second'");
    expect(cycle.node).toBe('first');
    const undefinedInput = loadError({ nodes: [node('Relu', ['ghost'], ['y'], [], 'r')], outputs: ['y'] });
    expect(undefinedInput.message).toBe(
      "input 'ghost' is not a graph input, an initializer or the output of any node",
    );
    expect(undefinedInput.node).toBe('r');
    const twice = loadError({
      nodes: [...conv3x3('c', 'x', 'y').nodes, node('Relu', ['x'], ['y'], [], 'again')],
      inits: conv3x3('c', 'x', 'y').inits!,
      outputs: ['y'],
    });
    expect(twice.message).toContain("value 'y' is produced twice");
    const noOutput = loadError({ ...conv3x3('c', 'x', 'y'), outputs: ['x'] });
    expect(noOutput.message).toContain("graph output 'x' is the network input 'x' itself");
  });
});
