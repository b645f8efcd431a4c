import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { ConvLayer, Layer, Network } from '../../src/ir/network.js';
import { noPads } from '../../src/ir/network.js';
import { deterministicWeights, runNetwork } from '../../src/reference/index.js';

const onnx = path.resolve(process.cwd(), '../shared/networks/onnx');

function conv(name: string, input: string, outChannels: number, extra: Partial<ConvLayer> = {}): ConvLayer {
  return {
    kind: 'conv',
    name,
    inputs: [input],
    post: [],
    outChannels,
    kernel: [3, 3],
    stride: [1, 1],
    dilation: [1, 1],
    pads: { top: 1, left: 1, bottom: 1, right: 1 },
    groups: 1,
    hasBias: true,
    fullyConnected: false,
    ...extra,
  };
}

const convs = (net: Network) => net.layers.filter((l): l is Layer & ConvLayer => l.kind === 'conv');

describe('deterministicWeights', () => {
  const net = buildNetwork(
    'small',
    [{ name: 'x', shape: { c: 8, h: 5, w: 5 } }],
    [
      conv('a', 'x', 8, { groups: 2, sharedWeights: 'W' }),
      conv('b', 'a', 8, { groups: 2, sharedWeights: 'W', hasBias: false }),
      conv('fc', 'b', 3, { fullyConnected: true, kernel: [1, 1], pads: noPads }),
    ],
  );

  it('fills every convolution with seeded values within +-1/sqrt(fan-in)', () => {
    const w = deterministicWeights(net, 7);
    const [a, b, fc] = convs(w);
    expect(a!.weights).toHaveLength(8 * 4 * 9);
    expect(a!.bias).toHaveLength(8);
    expect(b!.bias).toBeUndefined();
    expect(fc!.weights).toHaveLength(3 * 8 * 25);
    for (const [layer, fanIn] of [
      [a!, 36],
      [fc!, 200],
    ] as const) {
      const bound = 1 / Math.sqrt(fanIn);
      const values = [...layer.weights!, ...layer.bias!];
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
      // Spread over the range, not stuck near zero.
      expect(Math.max(...values)).toBeGreaterThan(0.8 * bound);
      expect(Math.min(...values)).toBeLessThan(-0.8 * bound);
    }
    // Layers sharing a stored tensor hold the same values; the input network is untouched.
    expect(b!.weights).toEqual(a!.weights);
    expect(convs(net)[0]!.weights).toBeUndefined();
  });

  it('depends only on the seed and the tensor names', () => {
    const w7 = convs(deterministicWeights(net, 7));
    expect(convs(deterministicWeights(net, 7))[2]!.weights).toEqual(w7[2]!.weights);
    expect(convs(deterministicWeights(net, 8))[2]!.weights).not.toEqual(w7[2]!.weights);
    // Removing the other layers does not change fc's values.
    const alone = buildNetwork('alone', [{ name: 'b', shape: { c: 8, h: 5, w: 5 } }], [net.layers[2]!]);
    expect(convs(deterministicWeights(alone, 7))[0]!.weights).toEqual(w7[2]!.weights);
  });

  it('makes a shape-only model runnable, with finite outputs (MobileNetV3-Small)', async () => {
    // Exercises hard-sigmoid, hard-swish and per-channel broadcast Mul on a real graph.
    const shapeOnly = loadOnnxFile(path.join(onnx, 'mobilenet_v3_small.shape.onnx'));
    expect(convs(shapeOnly).every((l) => l.weights === undefined)).toBe(true);
    const net = deterministicWeights(shapeOnly, 1);
    const input = net.inputs[0]!;
    const x = new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i));
    const y = Object.values(await runNetwork(net, { [input.name]: { shape: input.shape, data: x } }))[0]!;
    expect(y.shape).toEqual({ c: 1000, h: 1, w: 1 });
    expect(y.data.every(Number.isFinite)).toBe(true);
    expect(Math.max(...y.data.map(Math.abs))).toBeGreaterThan(1e-3);
  });
});

describe('deterministicWeights for affine layers', () => {
  it('gives each a scale in [0.5, 1.5] and a shift in [-0.5, 0.5], the same for the same seed', () => {
    const net = buildNetwork(
      'bn',
      [{ name: 'x', shape: { c: 16, h: 2, w: 2 } }],
      [{ kind: 'affine', name: 'bn', inputs: ['x'], post: [] }],
    );
    const a = deterministicWeights(net, 1).layers[0]!;
    const b = deterministicWeights(net, 1).layers[0]!;
    const c = deterministicWeights(net, 2).layers[0]!;
    if (a.kind !== 'affine' || b.kind !== 'affine' || c.kind !== 'affine') throw new Error('not affine');
    expect(a.scale).toHaveLength(16);
    expect(a.shift).toHaveLength(16);
    for (const v of a.scale!) expect(Math.abs(v - 1)).toBeLessThanOrEqual(0.5);
    for (const v of a.shift!) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    expect(new Set(a.scale!).size).toBeGreaterThan(8);
    expect(Array.from(b.scale!)).toEqual(Array.from(a.scale!));
    expect(Array.from(c.shift!)).not.toEqual(Array.from(a.shift!));
  });
});
