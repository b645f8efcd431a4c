// The layer order of a network depends on its graph, never on how the file lists its nodes.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnx } from '../../src/frontends/onnx/load.js';
import { decodeModel, encodeModel, type Node } from '../../src/frontends/onnx/schema.js';
import { zooNetwork } from '../../src/frontends/zoo/index.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { LayerSpec, Network } from '../../src/ir/network.js';
import { rng as seeded } from '../../src/util/random.js';
import { conv } from '../layers.js';

/** A random order in which every item still comes after the items it reads (`reads` gives indices). */
function randomTopological<T>(items: T[], reads: (t: T) => number[], random: () => number): T[] {
  const pending = items.map((t) => new Set(reads(t)).size);
  const readers = items.map(() => [] as number[]);
  items.forEach((t, i) => {
    for (const p of new Set(reads(t))) readers[p]!.push(i);
  });
  const ready = items.flatMap((_, i) => (pending[i] === 0 ? [i] : []));
  const out: T[] = [];
  while (ready.length > 0) {
    const i = ready.splice(Math.floor(random() * ready.length), 1)[0]!;
    out.push(items[i]!);
    for (const r of readers[i]!) if (--pending[r]! === 0) ready.push(r);
  }
  expect(out.length).toBe(items.length);
  return out;
}

/** The ONNX model with its nodes listed in another valid order. */
function shuffleOnnx(bytes: Uint8Array, seed: number): { bytes: Uint8Array; nodes: Node[] } {
  const model = decodeModel(bytes);
  const nodes = model.graph!.node;
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output) producer.set(o, i);
  });
  const order = randomTopological(
    nodes,
    (n) => n.input.flatMap((t) => (producer.has(t) ? [producer.get(t)!] : [])),
    seeded(seed),
  );
  model.graph!.node = order;
  return { bytes: encodeModel(model), nodes: order };
}

const names = (net: Network) => net.layers.map((l) => l.name);

describe('canonical layer order', () => {
  it('ResNet-18 from ONNX with its nodes shuffled into several valid orders loads to the same network', () => {
    const file = path.resolve(process.cwd(), '../shared/networks/onnx/resnet18.shape.onnx');
    const bytes = readFileSync(file);
    const original = loadOnnx(bytes, 'resnet18.onnx');
    const fileOrder = decodeModel(bytes).graph!.node.map((n) => n.output[0]);
    for (const seed of [1, 2, 3, 4, 5]) {
      const shuffled = shuffleOnnx(bytes, seed);
      // The listing really differs, or the test would prove nothing.
      expect(shuffled.nodes.map((n) => n.output[0])).not.toEqual(fileOrder);
      const net = loadOnnx(shuffled.bytes, 'resnet18.onnx');
      expect(names(net)).toEqual(names(original));
      expect(net).toEqual(original);
    }
    // The torchvision export is already in canonical order: stem, then each block's main path
    // (conv1, conv2), its downsample, the add.
    expect(names(original).slice(0, 12)).toEqual([
      '/conv1/Conv',
      '/maxpool/MaxPool',
      '/layer1/layer1.0/conv1/Conv',
      '/layer1/layer1.0/conv2/Conv',
      '/layer1/layer1.0/Add',
      '/layer1/layer1.1/conv1/Conv',
      '/layer1/layer1.1/conv2/Conv',
      '/layer1/layer1.1/Add',
      '/layer2/layer2.0/conv1/Conv',
      '/layer2/layer2.0/conv2/Conv',
      '/layer2/layer2.0/downsample/downsample.0/Conv',
      '/layer2/layer2.0/Add',
    ]);
  });

  it('buildNetwork gives the same order for any listing of the layers (zoo networks)', () => {
    for (const name of ['resnet50', 'squeezenet1_1', 'mobilenet_v2', 'traffic']) {
      const net = zooNetwork(name);
      const specs: LayerSpec[] = net.layers.map(({ shape: _, ...spec }) => spec as LayerSpec);
      for (const seed of [7, 8, 9]) {
        const random = seeded(seed);
        const listed = specs
          .map((s) => ({ s, key: random() }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.s);
        expect(names(buildNetwork(net.name, net.inputs, listed, net.outputs))).toEqual(names(net));
      }
    }
  });

  it('keeps chains consecutive: each branch is sliced then convolved', () => {
    // the traffic detector's conv3 with branches of different widths (else it is one grouped convolution)
    const net = buildNetwork(
      'branches',
      [{ name: 'in', shape: { c: 4, h: 8, w: 8 } }],
      [
        { kind: 'slice', name: 'b', inputs: ['in'], post: [], start: 2, end: 4 },
        { kind: 'slice', name: 'a', inputs: ['in'], post: [], start: 0, end: 2 },
        conv('ca', 'a', 3, 1),
        conv('cb', 'b', 2, 1),
        { kind: 'concat', name: 'cat', inputs: ['ca', 'cb'], post: [] },
      ],
    );
    expect(names(net)).toEqual(['a', 'ca', 'b', 'cb', 'cat']);
  });
});
