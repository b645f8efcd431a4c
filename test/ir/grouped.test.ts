// Sliced convolution branches concatenated in order are one grouped convolution: buildNetwork merges
// them (the traffic-sign net's conv3), leaves every near miss alone, and the reference inference gives
// the same outputs either way.

import { describe, expect, it } from 'vitest';
import { buildNetwork, inferShape } from '../../src/ir/build.js';
import type { ConvLayer, Layer, LayerSpec, Network } from '../../src/ir/network.js';
import { runNetwork } from '../../src/reference/run.js';
import { rng } from '../../src/util/random.js';
import { conv } from '../model/fixtures.js';

const input = { name: 'in', shape: { c: 4, h: 6, w: 5 } };

/** in (4 channels) sliced in halves, a 3x3 convolution of 3 outputs on each, concatenated, then a 1x1. */
function branches(edit: (specs: LayerSpec[]) => LayerSpec[] = (s) => s): LayerSpec[] {
  const r = rng(5);
  const weights = (n: number) => Float32Array.from({ length: n }, () => r() - 0.5);
  const branch = (name: string, from: string): LayerSpec => ({
    ...conv(name, from, 3, 3),
    post: [{ op: 'relu' }],
    weights: weights(3 * 2 * 9),
    bias: weights(3),
  });
  return edit([
    { kind: 'slice', name: 'lo', inputs: ['in'], post: [], start: 0, end: 2 },
    { kind: 'slice', name: 'hi', inputs: ['in'], post: [], start: 2, end: 4 },
    branch('a', 'lo'),
    branch('b', 'hi'),
    { kind: 'concat', name: 'cat', inputs: ['a', 'b'], post: [] },
    { ...conv('out', 'cat', 2, 1), weights: weights(2 * 6), bias: weights(2) },
  ]);
}

const kinds = (n: Network) => n.layers.map((l) => `${l.name}:${l.kind}`);

/** The layers as written, shaped one by one without buildNetwork's rewriting. */
function literal(specs: LayerSpec[]): Network {
  const shapes = new Map([[input.name, input.shape]]);
  const layers: Layer[] = specs.map((s) => {
    const l = inferShape(
      s,
      s.inputs.map((t) => shapes.get(t)!),
    );
    shapes.set(l.name, l.shape);
    return l;
  });
  return { name: 'literal', inputs: [input], layers, outputs: ['out'] };
}

describe('sliced convolution branches', () => {
  it('become one grouped convolution named as the concat, weights and biases in branch order', () => {
    const specs = branches();
    const net = buildNetwork('t', [input], specs);
    expect(kinds(net)).toEqual(['cat:conv', 'out:conv']);
    const cat = net.layers[0] as ConvLayer;
    expect(cat).toMatchObject({
      inputs: ['in'],
      outChannels: 6,
      groups: 2,
      kernel: [3, 3],
      post: [{ op: 'relu' }],
      shape: { c: 6, h: 6, w: 5 },
    });
    const a = specs[2] as ConvLayer;
    const b = specs[3] as ConvLayer;
    expect([...cat.weights!]).toEqual([...a.weights!, ...b.weights!]);
    expect([...cat.bias!]).toEqual([...a.bias!, ...b.bias!]);
  });

  it('compute the same outputs as the branches do', async () => {
    const specs = branches();
    const x = { shape: input.shape, data: Float32Array.from({ length: 4 * 6 * 5 }, (_, i) => Math.sin(i)) };
    const merged = await runNetwork(buildNetwork('t', [input], specs), { in: x });
    const written = await runNetwork(literal(specs), { in: x });
    expect(kinds(literal(specs))).toHaveLength(6);
    expect(merged['out']!.data).toEqual(written['out']!.data);
  });

  it('stay as written when they are not exactly a grouped convolution', () => {
    const near: [string, (s: LayerSpec[]) => LayerSpec[], string[]?][] = [
      // concatenated in the other order
      ['order', (s) => s.map((l) => (l.name === 'cat' ? { ...l, inputs: ['b', 'a'] } : l))],
      // the halves overlap
      ['overlap', (s) => s.map((l) => (l.name === 'hi' ? { ...l, start: 1, end: 3 } : l))],
      // a branch's output is also read elsewhere
      ['reader', (s) => [...s, { kind: 'eltwise', name: 'also', inputs: ['a', 'a'], post: [], op: 'add' }]],
      // a slice is also a network output
      ['output', (s) => s, ['out', 'lo']],
      // the branches differ in more than their weights
      ['post', (s) => s.map((l) => (l.name === 'b' ? { ...l, post: [] } : l))],
      [
        'dilation',
        (s) =>
          s.map((l) =>
            l.name === 'b' ? { ...l, dilation: [2, 2], pads: { top: 2, left: 2, bottom: 2, right: 2 } } : l,
          ),
      ],
      // a branch's weights are stored once for several layers
      ['shared', (s) => s.map((l) => (l.name === 'b' ? { ...l, sharedWeights: 'w' } : l))],
    ];
    for (const [what, edit, outputs] of near) {
      const specs = branches(edit);
      const net = buildNetwork('t', [input], specs, outputs);
      expect({ what, layers: net.layers.length }).toEqual({ what, layers: specs.length });
    }
  });
});
