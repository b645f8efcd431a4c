// Small but faithful copies of what torch.onnx.export writes for EfficientNet, ShuffleNetV2 and
// MobileNetV3-style networks, with seeded weights.

import { DataType } from '../../src/frontends/onnx/schema.js';
import { attr, encode, floats, node, type Obj, valueInfo } from './onnx-model.js';

/** Deterministic values in [-1, 1) (a 32-bit LCG). */
export function values(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * scale;
  });
}

const INT64_MAX = { low: -1, high: 0x7fffffff, unsigned: false };

/** Writes nodes the way torch.onnx.export names and orders them; weights are seeded. */
export class Exporter {
  readonly nodes: Obj[] = [];
  readonly inits: Obj[] = [];
  private count = 0;

  constructor(readonly opset: number) {}

  private fresh(op: string): string {
    this.count += 1;
    return `/${op}_${this.count}`;
  }

  op(op: string, inputs: string[], attributes: Obj[] = [], outputs = 1): string[] {
    const name = this.fresh(op);
    const outs = Array.from({ length: outputs }, (_, i) => `${name}_output_${i}`);
    this.nodes.push(node(op, inputs, outs, attributes, name));
    return outs;
  }

  one(op: string, inputs: string[], attributes: Obj[] = []): string {
    return this.op(op, inputs, attributes)[0]!;
  }

  /** A Constant node, as the exporter writes for literals (int64 unless `float`). */
  constant(v: number | number[], float = false): string {
    const list = typeof v === 'number' ? [v] : v;
    const dims = typeof v === 'number' ? [] : [list.length];
    const t: Obj = float
      ? { dims, data_type: DataType.FLOAT, float_data: list }
      : { dims, data_type: DataType.INT64, int64_data: list };
    return this.one('Constant', [], [attr.tensor('value', t)]);
  }

  int64Max(): string {
    return this.one(
      'Constant',
      [],
      [attr.tensor('value', { dims: [1], data_type: DataType.INT64, int64_data: [INT64_MAX] })],
    );
  }

  conv(x: string, cin: number, cout: number, k = 1, stride = 1, group = 1): string {
    const w = `w${this.count}`;
    const b = `b${this.count}`;
    const fan = (cin / group) * k * k;
    this.inits.push(
      floats(w, [cout, cin / group, k, k], values(cout * fan, this.count + 7, 1.5 / Math.sqrt(fan))),
    );
    this.inits.push(floats(b, [cout], values(cout, this.count + 99, 0.2)));
    const p = (k - 1) / 2;
    return this.one(
      'Conv',
      [x, w, b],
      [
        attr.ints('kernel_shape', [k, k]),
        attr.ints('strides', [stride, stride]),
        attr.ints('pads', [p, p, p, p]),
        attr.int('group', group),
        attr.ints('dilations', [1, 1]),
      ],
    );
  }

  gemm(x: string, cin: number, cout: number): string {
    this.inits.push(floats(`fc.w`, [cout, cin], values(cout * cin, 5, 1 / Math.sqrt(cin))));
    this.inits.push(floats(`fc.b`, [cout], values(cout, 6, 0.1)));
    return this.one(
      'Gemm',
      [x, 'fc.w', 'fc.b'],
      [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)],
    );
  }

  /** Unsqueeze of a scalar to [1]: axes as an attribute before opset 13, as an input from 13. */
  unsqueeze0(x: string): string {
    return this.opset >= 13
      ? this.one('Unsqueeze', [x, this.constant([0])])
      : this.one('Unsqueeze', [x], [attr.ints('axes', [0])]);
  }

  /** torch's nn.SiLU below opset 24. */
  silu(x: string): string {
    return this.one('Mul', [x, this.one('Sigmoid', [x])]);
  }

  encode(input: number[], output: string): Uint8Array {
    return encode({
      nodes: this.nodes,
      inits: this.inits,
      inputs: [valueInfo('input', input)],
      outputs: [output],
      opset: this.opset,
    });
  }
}

/** EfficientNet's MBConv (expand 6, k3, SE, residual), then its head: conv, SiLU, pool, classifier. */
export function mbconv(opset: number): Uint8Array {
  const e = new Exporter(opset);
  const x = 'input';
  let h = e.conv(x, 8, 48);
  // One batch-norm left unfolded, as an exporter without constant folding leaves it.
  for (const [i, v] of ['scale', 'bias', 'mean', 'var'].entries())
    e.inits.push(
      floats(
        `bn.${v}`,
        [48],
        values(48, 40 + i, 0.3).map((u) => (i === 0 || i === 3 ? 1 + u : u)),
      ),
    );
  h = e.one(
    'BatchNormalization',
    [h, 'bn.scale', 'bn.bias', 'bn.mean', 'bn.var'],
    [attr.float('epsilon', 1e-3)],
  );
  h = e.silu(h);
  h = e.silu(e.conv(h, 48, 48, 3, 1, 48));
  const squeezed = e.one('GlobalAveragePool', [h]);
  const gate = e.one('Sigmoid', [e.conv(e.silu(e.conv(squeezed, 48, 2)), 2, 48)]);
  h = e.one('Mul', [gate, h]);
  h = e.one('Add', [e.conv(h, 48, 8), x]);
  h = e.silu(e.conv(h, 8, 16));
  let v: string;
  if (opset < 17) v = e.one('Flatten', [e.one('GlobalAveragePool', [h])], [attr.int('axis', 1)]);
  else if (opset < 18) v = e.one('ReduceMean', [h], [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)]);
  else v = e.one('ReduceMean', [h, e.constant([-2, -1])], [attr.int('keepdims', 0)]);
  return e.encode([1, 8, 10, 10], e.gemm(v, 16, 10));
}

/** torchvision's channel_shuffle(x, 2) as exported: the view targets come from x.size(). */
function channelShuffle(e: Exporter, x: string): string {
  const size = e.one('Shape', [x]);
  const [b, c, h, w] = [0, 1, 2, 3].map((i) => e.one('Gather', [size, e.constant(i)], [attr.int('axis', 0)]));
  const perGroup = e.one('Cast', [e.one('Div', [c!, e.constant(2)])], [attr.int('to', DataType.INT64)]);
  const grouped = e.one(
    'Concat',
    [e.unsqueeze0(b!), e.constant([2]), e.unsqueeze0(perGroup), e.unsqueeze0(h!), e.unsqueeze0(w!)],
    [attr.int('axis', 0)],
  );
  const t = e.one('Transpose', [e.one('Reshape', [x, grouped])], [attr.ints('perm', [0, 2, 1, 3, 4])]);
  const flat = e.one(
    'Concat',
    [e.unsqueeze0(b!), e.constant([-1]), e.unsqueeze0(h!), e.unsqueeze0(w!)],
    [attr.int('axis', 0)],
  );
  return e.one('Reshape', [t, flat]);
}

export type Chunk = 'split-attribute' | 'split-input' | 'slice';

/** x.chunk(2, dim=1) as the exporter writes it: Split (attribute or input form) or computed Slices. */
function chunk(e: Exporter, x: string, channels: number, form: Chunk): [string, string] {
  if (form === 'split-attribute') {
    const [a, b] = e.op(
      'Split',
      [x],
      [attr.int('axis', 1), attr.ints('split', [channels / 2, channels / 2])],
      2,
    );
    return [a!, b!];
  }
  if (form === 'split-input') {
    const [a, b] = e.op('Split', [x, e.constant([channels / 2, channels / 2])], [attr.int('axis', 1)], 2);
    return [a!, b!];
  }
  const c = e.one('Gather', [e.one('Shape', [x]), e.constant(1)], [attr.int('axis', 0)]);
  const half = e.unsqueeze0(e.one('Div', [e.one('Add', [c, e.constant(1)]), e.constant(2)]));
  const axes = e.constant([1]);
  return [
    e.one('Slice', [x, e.constant([0]), half, axes]),
    e.one('Slice', [x, half, e.int64Max(), axes, e.constant([1])]),
  ];
}

/** ShuffleNetV2: stem, max pool, a stride-2 and a stride-1 unit, conv5, mean, classifier. */
export function shuffleNet(opset: number, form: Chunk): Uint8Array {
  const e = new Exporter(opset);
  const relu = (t: string) => e.one('Relu', [t]);
  let h = relu(e.conv('input', 3, 16, 3, 2));
  h = e.one(
    'MaxPool',
    [h],
    [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])],
  );
  const branch1 = relu(e.conv(e.conv(h, 16, 16, 3, 2, 16), 16, 16));
  const branch2 = relu(e.conv(e.conv(relu(e.conv(h, 16, 16)), 16, 16, 3, 2, 16), 16, 16));
  h = channelShuffle(e, e.one('Concat', [branch1, branch2], [attr.int('axis', 1)]));
  const [x1, x2] = chunk(e, h, 32, form);
  const b2 = relu(e.conv(e.conv(relu(e.conv(x2, 16, 16)), 16, 16, 3, 1, 16), 16, 16));
  h = channelShuffle(e, e.one('Concat', [x1, b2], [attr.int('axis', 1)]));
  h = relu(e.conv(h, 32, 24));
  const mean =
    opset < 18
      ? e.one('ReduceMean', [h], [attr.ints('axes', [2, 3]), attr.int('keepdims', 0)])
      : e.one('ReduceMean', [h, e.constant([2, 3])], [attr.int('keepdims', 0)]);
  return e.encode([1, 3, 16, 16], e.gemm(mean, 24, 10));
}

/** MobileNetV3-style blocks from model code that writes hard-swish and hard-sigmoid out. */
export function writtenOut(): Uint8Array {
  const e = new Exporter(14);
  const three = () => e.constant(3, true);
  const relu6 = (t: string) => e.one('Clip', [t, e.constant(0, true), e.constant(6, true)]);
  // x * F.relu6(x + 3) / 6
  let x = e.conv('input', 3, 8, 3, 2);
  let h = e.one('Div', [e.one('Mul', [x, relu6(e.one('Add', [x, three()]))]), e.constant(6, true)]);
  // (F.relu6(3 + x) / 6) * x
  x = e.conv(h, 8, 8, 3, 1, 8);
  h = e.one('Mul', [e.one('Div', [relu6(e.one('Add', [three(), x])), e.constant(6, true)]), x]);
  // squeeze-and-excitation gated by relu6(x + 3) * (1/6)
  const s = e.conv(e.one('Relu', [e.conv(e.one('GlobalAveragePool', [h]), 8, 4)]), 4, 8);
  h = e.one('Mul', [h, e.one('Mul', [relu6(e.one('Add', [s, three()])), e.constant(1 / 6, true)])]);
  // torch's nn.Hardswish below opset 14, then the HardSwish operator
  x = e.conv(h, 8, 16);
  h = e.one('Mul', [x, e.one('HardSigmoid', [x], [attr.float('alpha', 1 / 6), attr.float('beta', 0.5)])]);
  h = e.one('HardSwish', [e.conv(h, 16, 16)]);
  const v = e.one('Flatten', [e.one('GlobalAveragePool', [h])], [attr.int('axis', 1)]);
  return e.encode([1, 3, 12, 12], e.gemm(v, 16, 10));
}
