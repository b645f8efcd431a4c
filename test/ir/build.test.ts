import { describe, expect, it } from 'vitest';
import { buildNetwork, windowOutput } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import {
  batchNormAffine,
  composeAffine,
  foldAffine,
  foldAffineIntoConv,
  takesAffine,
} from '../../src/ir/fold.js';
import type { AffineLayer, LayerSpec, PoolLayer } from '../../src/ir/network.js';
import { networkStats } from '../../src/ir/stats.js';
import { conv, pool as maxPool } from '../layers.js';

/** The 3 x 3 stride-2 pooling these tests use. */
function pool(name: string, input: string, extra: Partial<PoolLayer> = {}): PoolLayer {
  return maxPool(name, input, { kernel: [3, 3], ...extra });
}

const image = [{ name: 'x', shape: { c: 3, h: 224, w: 224 } }];

describe('windowOutput', () => {
  it('matches the textbook formula', () => {
    expect(windowOutput(224, 7, 2, 1, 3, 3, false)).toBe(112);
    expect(windowOutput(112, 3, 2, 1, 1, 1, false)).toBe(56);
    expect(windowOutput(10, 3, 1, 2, 0, 0, false)).toBe(6); // dilated kernel spans 5
    expect(windowOutput(720, 6, 2, 1, 0, 0, false)).toBe(358);
  });
  it('rounds up in ceil mode but never starts a window in the trailing padding', () => {
    expect(windowOutput(111, 3, 2, 1, 0, 0, true)).toBe(55); // squeezenet 1.1 first pool
    expect(windowOutput(112, 3, 2, 1, 0, 0, true)).toBe(56);
    expect(windowOutput(112, 3, 2, 1, 0, 0, false)).toBe(55);
    // (out-1)*stride >= input + padBefore would start in the padding: dropped
    expect(windowOutput(5, 2, 2, 1, 1, 1, true)).toBe(3);
  });
});

describe('buildNetwork', () => {
  it('infers shapes through conv, pool, concat, slice and eltwise', () => {
    const net = buildNetwork('t', image, [
      conv('c1', 'x', 64, 7, { stride: [2, 2], pads: { top: 3, left: 3, bottom: 3, right: 3 } }),
      pool('p1', 'c1', { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
      conv('a', 'p1', 16, 1),
      conv('b', 'p1', 32, 3, { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
      { kind: 'concat', name: 'cat', inputs: ['a', 'b'], post: [] },
      { kind: 'slice', name: 's', inputs: ['cat'], post: [], start: 8, end: 40 },
      { kind: 'eltwise', name: 'add', inputs: ['s', 'a2'], post: [{ op: 'relu' }], op: 'add' },
      conv('a2', 'p1', 32, 1),
    ]);
    const shape = (n: string) => net.layers.find((l) => l.name === n)!.shape;
    expect(shape('c1')).toEqual({ c: 64, h: 112, w: 112 });
    expect(shape('p1')).toEqual({ c: 64, h: 56, w: 56 });
    expect(shape('cat')).toEqual({ c: 48, h: 56, w: 56 });
    expect(shape('s')).toEqual({ c: 32, h: 56, w: 56 });
    expect(shape('add')).toEqual({ c: 32, h: 56, w: 56 });
    // topological order: a2 moves before the add that reads it
    expect(net.layers.map((l) => l.name)).toEqual(['c1', 'p1', 'a', 'b', 'cat', 's', 'a2', 'add']);
    expect(net.outputs).toEqual(['add']);
  });

  it('gives fully connected layers and global pools a kernel covering their input', () => {
    const net = buildNetwork(
      't',
      [{ name: 'x', shape: { c: 512, h: 7, w: 7 } }],
      [
        pool('gap', 'x', { global: true, mode: 'avg', kernel: [1, 1] }),
        conv('fc', 'x', 1000, 1, { fullyConnected: true }),
      ],
    );
    const [gap, fc] = net.layers;
    expect(gap!.kind === 'pool' && gap!.kernel).toEqual([7, 7]);
    expect(gap!.shape).toEqual({ c: 512, h: 1, w: 1 });
    expect(fc!.kind === 'conv' && fc!.kernel).toEqual([7, 7]);
    expect(fc!.shape).toEqual({ c: 1000, h: 1, w: 1 });
    expect(networkStats(net).macs).toBe(1000 * 512 * 49);
    expect(networkStats(net).parameters).toBe(1000 * 512 * 49 + 1000);
  });

  it('broadcasts a c x 1 x 1 operand per channel (squeeze-and-excitation)', () => {
    const net = buildNetwork(
      'se',
      [{ name: 'x', shape: { c: 16, h: 28, w: 28 } }],
      [
        pool('gap', 'x', { global: true, mode: 'avg' }),
        conv('fc1', 'gap', 8, 1),
        conv('fc2', 'fc1', 16, 1, { post: [{ op: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 }] }),
        { kind: 'eltwise', name: 'scale', inputs: ['x', 'fc2'], post: [], op: 'mul' },
      ],
    );
    expect(net.layers.at(-1)!.shape).toEqual({ c: 16, h: 28, w: 28 });
  });

  it('counts depthwise MACs and parameters', () => {
    const net = buildNetwork(
      'dw',
      [{ name: 'x', shape: { c: 32, h: 112, w: 112 } }],
      [
        conv('dw', 'x', 32, 3, {
          groups: 32,
          pads: { top: 1, left: 1, bottom: 1, right: 1 },
          hasBias: false,
        }),
      ],
    );
    const s = networkStats(net);
    expect(s.macs).toBe(32 * 112 * 112 * 9);
    expect(s.parameters).toBe(32 * 9);
    expect(s.layers[0]!.kind).toBe('conv-dw');
  });

  const bad: [string, LayerSpec[], RegExp][] = [
    ['a cycle', [conv('a', 'b', 4, 1), conv('b', 'a', 4, 1)], /cycle through a, b/],
    ['an unknown input', [conv('a', 'nope', 4, 1)], /'nope' is produced by no layer/],
    ['a duplicate name', [conv('a', 'x', 4, 1), conv('a', 'x', 4, 1)], /used twice/],
    [
      'groups that do not divide',
      [conv('a', 'x', 4, 1, { groups: 2 })],
      /groups 2 must divide input channels 3/,
    ],
    ['a kernel larger than the input', [conv('a', 'x', 4, 300)], /kernel does not fit input 3x224x224/],
    ['wrong weight count', [conv('a', 'x', 4, 1, { weights: new Float32Array(5) })], /expected 12/],
    [
      'a slice past the end',
      [{ kind: 'slice', name: 's', inputs: ['x'], post: [], start: 1, end: 4 }],
      /exceeds 3/,
    ],
    [
      'mismatched element-wise shapes',
      [
        conv('a', 'x', 4, 1),
        conv('b', 'x', 4, 3),
        { kind: 'eltwise', name: 'e', inputs: ['a', 'b'], post: [], op: 'add' },
      ],
      /neither equal nor per-channel/,
    ],
  ];
  for (const [what, specs, message] of bad)
    it(`rejects ${what} with an InputError`, () => {
      expect(() => buildNetwork('bad', image, specs)).toThrow(InputError);
      expect(() => buildNetwork('bad', image, specs)).toThrow(message);
    });
});

describe('folding batch-norm into a convolution', () => {
  it('scales weights and shifts the bias per output channel', () => {
    const c = conv('c', 'x', 2, 1, {
      weights: new Float32Array([1, 2, 3, 4, 5, 6]),
      bias: new Float32Array([1, -1]),
    });
    const bn = batchNormAffine(
      new Float32Array([2, 1]),
      new Float32Array([0.5, 0]),
      new Float32Array([1, 2]),
      new Float32Array([3, 0]),
      1,
    );
    foldAffineIntoConv(c, bn);
    // channel 0: scale 2/sqrt(4) = 1, shift 0.5 - 1 = -0.5; channel 1: scale 1, shift -2
    expect(Array.from(c.weights!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(c.bias!)).toEqual([0.5, -3]);
    const d = conv('d', 'x', 1, 1, { weights: new Float32Array([1, 1, 1]), hasBias: false });
    foldAffineIntoConv(d, { scale: new Float32Array([4]) });
    expect(Array.from(d.weights!)).toEqual([4, 4, 4]);
    expect(Array.from(d.bias!)).toEqual([0]);
    expect(d.hasBias).toBe(true);
  });
  it('refuses to fold through a point-wise operator', () => {
    const c = conv('c', 'x', 1, 1, { post: [{ op: 'relu' }] });
    expect(() => foldAffineIntoConv(c, 'shapeOnly')).toThrow(/after the point-wise relu/);
  });
});

describe('affine layers (batch-norm that cannot be folded)', () => {
  it('keep their input shape, count two parameters per channel and no MACs', () => {
    const net = buildNetwork(
      'a',
      [{ name: 'x', shape: { c: 3, h: 4, w: 5 } }],
      [
        { kind: 'concat', name: 'cat', inputs: ['x', 'x'], post: [] },
        { kind: 'affine', name: 'bn', inputs: ['cat'], post: [{ op: 'relu' }] },
      ],
    );
    expect(net.layers[1]!.shape).toEqual({ c: 6, h: 4, w: 5 });
    const stats = networkStats(net);
    expect(stats.parameters).toBe(12);
    expect(stats.macs).toBe(0);
    expect(stats.layers[1]).toMatchObject({ kind: 'affine', weightElements: 6, biasElements: 6, macs: 0 });
  });
  it('reject a scale or shift of the wrong length, or only one of them', () => {
    const build = (scale?: number[], shift?: number[]) =>
      buildNetwork(
        'a',
        [{ name: 'x', shape: { c: 2, h: 1, w: 1 } }],
        [
          {
            kind: 'affine',
            name: 'bn',
            inputs: ['x'],
            post: [],
            ...(scale ? { scale: Float32Array.from(scale) } : {}),
            ...(shift ? { shift: Float32Array.from(shift) } : {}),
          },
        ],
      );
    expect(() => build([1, 2], [0, 0])).not.toThrow();
    expect(() => build([1, 2, 3], [0, 0])).toThrow(/scale has 3 elements, expected 2/);
    expect(() => build([1, 2])).toThrow(/scale and shift must both be given/);
  });
  it('compose a following batch-norm into their scale and shift', () => {
    const layer: AffineLayer = {
      kind: 'affine',
      name: 'bn',
      inputs: ['x'],
      post: [],
      scale: Float32Array.from([2, 1]),
      shift: Float32Array.from([1, -1]),
    };
    composeAffine(layer, { scale: Float32Array.from([3, -1]), shift: Float32Array.from([0, 2]) });
    expect(Array.from(layer.scale!)).toEqual([6, -1]);
    expect(Array.from(layer.shift!)).toEqual([3, 3]);
    expect(() => composeAffine(layer, 'shapeOnly')).toThrow(/no data but the layer they follow has/);
  });
});

describe('the folding both frontends share', () => {
  const affine = (extra: Partial<AffineLayer> = {}): AffineLayer => ({
    kind: 'affine',
    name: 'a',
    inputs: ['x'],
    post: [],
    ...extra,
  });
  it('takes a scale and shift only into a convolution or affine layer with no point-wise operator', () => {
    expect(takesAffine(conv('c', 'x', 2, 1))).toBe(true);
    expect(takesAffine(affine())).toBe(true);
    expect(takesAffine(conv('c', 'x', 2, 1, { post: [{ op: 'relu' }] }))).toBe(false);
    expect(takesAffine(affine({ post: [{ op: 'sigmoid' }] }))).toBe(false);
    expect(takesAffine(pool('p', 'x'))).toBe(false);
    expect(takesAffine(undefined)).toBe(false);
  });
  it('folds into the weights and bias of a convolution, or composes into an affine layer', () => {
    const c = conv('c', 'x', 2, 1, { weights: Float32Array.from([1, 2, 3, 4, 5, 6]), hasBias: false });
    foldAffine(c, { scale: Float32Array.from([2, -1]), shift: Float32Array.from([1, 0]) });
    expect(Array.from(c.weights!)).toEqual([2, 4, 6, -4, -5, -6]);
    expect(Array.from(c.bias!)).toEqual([1, 0]);
    const a = affine({ scale: Float32Array.from([2, 1]), shift: Float32Array.from([1, -1]) });
    foldAffine(a, { shift: Float32Array.from([1, 1]) });
    expect(Array.from(a.scale!)).toEqual([2, 1]);
    expect(Array.from(a.shift!)).toEqual([2, 0]);
  });
});
