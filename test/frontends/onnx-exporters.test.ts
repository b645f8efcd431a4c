// Small but faithful copies of what torch.onnx.export writes for EfficientNet, ShuffleNetV2 and
// MobileNetV3-style networks (SiLU as Sigmoid + Mul, Shape arithmetic for reshape targets and chunk
// bounds, hard-swish written out as operators). Each loads with the layer census, parameters and MACs
// of the PyTorch module, and memsched's reference inference matches onnxruntime on the same file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnx } from '../../src/frontends/onnx/load.js';
import { type Network, networkStats } from '../../src/ir/index.js';
import { difference, runNetwork } from '../../src/reference/index.js';
import { memsched } from '../cli/helpers.js';
import { type Chunk, Exporter, mbconv, shuffleNet, values, writtenOut } from './onnx-exporter-models.js';

function census(net: Network): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const l of net.layers) kinds[l.kind] = (kinds[l.kind] ?? 0) + 1;
  return kinds;
}

const posts = (net: Network) =>
  net.layers.filter((l) => l.post.length > 0).map((l) => l.post.map((p) => p.op).join('+'));

/** The largest relative difference between memsched's reference inference and onnxruntime. */
async function crossCheck(bytes: Uint8Array, net: Network): Promise<number> {
  const input = net.inputs[0]!;
  const { c, h, w } = input.shape;
  const data = Float32Array.from(values(c * h * w, 12345));
  const session = await ort.InferenceSession.create(bytes);
  const expected = await session.run({ input: new ort.Tensor('float32', data, [1, c, h, w]) });
  const result = await runNetwork(net, { input: { shape: input.shape, data } });
  const out = net.outputs[0]!;
  const ours = result[out]!;
  const theirs = expected[session.outputNames[0]!]!;
  expect(theirs.data.length).toBe(ours.data.length);
  const d = difference(ours, { shape: ours.shape, data: theirs.data as Float32Array });
  // A collapsed output (all zeros) would agree with anything.
  expect(d.maxRef).toBeGreaterThan(0.01);
  return d.relative;
}

describe('EfficientNet MBConv with squeeze-and-excitation and SiLU', () => {
  for (const opset of [13, 17, 18])
    it(`opset ${opset}: SiLU folds into its producer, the SE Mul broadcasts, outputs match onnxruntime`, async () => {
      const bytes = mbconv(opset);
      const net = loadOnnx(bytes, 'mbconv.onnx');
      expect(census(net)).toEqual({ conv: 7, pool: 2, eltwise: 2 });
      expect(posts(net)).toEqual(['silu', 'silu', 'silu', 'sigmoid', 'silu']);
      const se = net.layers.find((l) => l.kind === 'eltwise' && l.op === 'mul')!;
      expect(se.inputs.map((t) => net.layers.find((l) => l.name === t)!.shape)).toEqual([
        { c: 48, h: 1, w: 1 },
        { c: 48, h: 10, w: 10 },
      ]);
      // PyTorch's count: conv weights + biases (the batch-norm folds into the expand conv's bias).
      // expand 8*48+48, depthwise 48*9+48, SE 48*2+2 and 2*48+48, project 48*8+8, head 8*16+16, fc 16*10+10.
      const stats = networkStats(net);
      expect(stats.parameters).toBe(432 + 480 + 98 + 144 + 392 + 144 + 170);
      // 10x10 maps: expand 48*100*8, depthwise 48*100*9, SE 96 + 96, project 8*100*48, head 16*100*8, fc 160.
      expect(stats.macs).toBe(38400 + 43200 + 96 + 96 + 38400 + 12800 + 160);
      expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    });

  it('a third reader of x leaves Sigmoid unfolded, and says so', () => {
    const e = new Exporter(13);
    const h = e.conv('input', 3, 4);
    const y = e.one('Add', [e.silu(h), h]);
    const err = (() => {
      try {
        loadOnnx(e.encode([1, 3, 4, 4], y), 'third.onnx');
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected an error');
    })();
    expect(err.message).toMatch(
      /^cannot fold Sigmoid into '.*Conv_1': its output '.*' has 2 other consumers/,
    );
  });
});

describe('ShuffleNetV2 units with exporter shape arithmetic', () => {
  const variants: [number, Chunk][] = [
    [11, 'split-attribute'],
    [13, 'split-input'],
    [13, 'slice'],
    [18, 'slice'],
  ];
  for (const [opset, form] of variants)
    it(`opset ${opset}, chunk as ${form}: shape subgraphs fold, shuffles and splits load, outputs match onnxruntime`, async () => {
      const bytes = shuffleNet(opset, form);
      const net = loadOnnx(bytes, 'shufflenet.onnx');
      expect(census(net)).toEqual({ conv: 11, pool: 2, concat: 2, shuffle: 2, slice: 2 });
      expect(
        net.layers.filter((l) => l.kind === 'slice').map((l) => l.kind === 'slice' && [l.start, l.end]),
      ).toEqual([
        [0, 16],
        [16, 32],
      ]);
      const stats = networkStats(net);
      // stem 16*27+16; stride-2 unit: dw 16*9+16, 1x1 16*16+16 (branch1), 1x1, dw, 1x1 (branch2);
      // stride-1 unit: 1x1, dw, 1x1 on 16 channels; conv5 32*24+24; fc 24*10+10.
      expect(stats.parameters).toBe(448 + (160 + 272) + (272 + 160 + 272) + (272 + 160 + 272) + 792 + 250);
      // stem 16*8*8*27; stride 2: dw 16*2*2*9, 1x1 16*2*2*16, 1x1 16*4*4*16, dw 16*2*2*9, 1x1 16*2*2*16;
      // stride 1 on 2x2: 1x1, dw, 1x1; conv5 24*2*2*32; fc 240.
      expect(stats.macs).toBe(27648 + (576 + 1024) + (4096 + 576 + 1024) + (1024 + 576 + 1024) + 3072 + 240);
      expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
    });
});

describe('MobileNetV3 hard-swish and hard-sigmoid written out as operators', () => {
  it('every form folds into its producer and matches onnxruntime', async () => {
    const bytes = writtenOut();
    const net = loadOnnx(bytes, 'hswish.onnx');
    expect(census(net)).toEqual({ conv: 7, pool: 2, eltwise: 1 });
    expect(posts(net)).toEqual(['hardswish', 'hardswish', 'relu', 'hardsigmoid', 'hardswish', 'hardswish']);
    const stats = networkStats(net);
    // stem 8*27+8, dw 8*9+8, SE 8*4+4 and 4*8+8, 1x1 8*16+16, 1x1 16*16+16, fc 16*10+10.
    expect(stats.parameters).toBe(224 + 80 + 36 + 40 + 144 + 272 + 170);
    // 6x6 maps: stem 8*36*27, dw 8*36*9, SE 32 + 32, 16*36*8, 16*36*16, fc 160.
    expect(stats.macs).toBe(7776 + 2592 + 32 + 32 + 4608 + 9216 + 160);
    expect(await crossCheck(bytes, net)).toBeLessThan(1e-4);
  });
});

describe('SiLU in generated C', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-silu-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the MBConv block runs as C with outputs and every count as the reference and the model', () => {
    const file = join(dir, 'mbconv.onnx');
    writeFileSync(file, mbconv(13));
    const front = join(dir, 'front.json');
    expect(memsched('explore', file, '--max-fuse', '1', '--threads', '1', '-o', front).code).toBe(0);
    const r = memsched('verify', file, '--front', front, '--points', '0');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('all 1 verified');
  });
});

describe('operators outside the list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-onnx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the CLI prints one line naming the file, the node and the operator, exit code 2, for any command', () => {
    const e = new Exporter(13);
    const y = e.one('Erf', [e.silu(e.conv('input', 3, 4))]);
    const file = join(dir, 'erf.onnx');
    writeFileSync(file, e.encode([1, 3, 4, 4], y));
    for (const command of ['inspect', 'explore']) {
      const r = memsched(command, file);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`memsched: error: ${file}: node '/Erf_4': unsupported operator 'Erf'\n`);
    }
  });
});
