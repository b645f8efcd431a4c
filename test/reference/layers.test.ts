import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { ConvLayer, LayerSpec, PointwiseOp, PoolLayer, Shape } from '../../src/ir/network.js';
import { noPads } from '../../src/ir/network.js';
import { runNetwork, type Tensor } from '../../src/reference/index.js';
import { runLayer } from '../../src/reference/layers.js';

const tensor = (shape: Shape, values: number[]): Tensor => ({ shape, data: Float32Array.from(values) });
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** Runs one layer named 'y' on inputs named a, b, c... and returns its output values. */
function run(spec: LayerSpec, ...xs: Tensor[]): { shape: Shape; values: number[] } {
  const names = xs.map((_, i) => String.fromCharCode(97 + i));
  const net = buildNetwork(
    't',
    xs.map((x, i) => ({ name: names[i]!, shape: x.shape })),
    [{ ...spec, name: 'y', inputs: names }],
  );
  const y = runLayer(net.layers[0]!, xs);
  return { shape: y.shape, values: Array.from(y.data) };
}

type ConvFields = Omit<Partial<ConvLayer>, 'weights' | 'bias'> & {
  outChannels: number;
  weights: number[];
  bias?: number[];
};

function conv(fields: ConvFields): ConvLayer {
  const { weights, bias, ...rest } = fields;
  return {
    kind: 'conv',
    name: 'y',
    inputs: [],
    post: [],
    kernel: [1, 1],
    stride: [1, 1],
    dilation: [1, 1],
    pads: noPads,
    groups: 1,
    hasBias: bias !== undefined,
    fullyConnected: false,
    ...rest,
    weights: Float32Array.from(weights),
    ...(bias === undefined ? {} : { bias: Float32Array.from(bias) }),
  };
}

function pool(fields: Partial<PoolLayer>): PoolLayer {
  return {
    kind: 'pool',
    name: 'y',
    inputs: [],
    post: [],
    mode: 'avg',
    kernel: [1, 1],
    stride: [1, 1],
    pads: noPads,
    ceilMode: false,
    countIncludePad: false,
    global: false,
    ...fields,
  };
}

const close = (values: number[], expected: number[]) => {
  expect(values).toHaveLength(expected.length);
  values.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i]!, 5);
  });
};

describe('convolution', () => {
  it('pads top and right only (asymmetric padding)', () => {
    const x = tensor({ c: 1, h: 3, w: 3 }, range(9, 1));
    const y = run(
      conv({
        outChannels: 1,
        kernel: [2, 2],
        pads: { top: 1, left: 0, bottom: 0, right: 1 },
        weights: [1, 2, 3, 4],
      }),
      x,
    );
    expect(y.shape).toEqual({ c: 1, h: 3, w: 3 });
    // Row -1 and column 3 are zeros: e.g. (0,0) = 3*1 + 4*2, (1,0) = 1*1 + 2*2 + 3*4 + 4*5.
    expect(y.values).toEqual([11, 18, 9, 37, 47, 21, 67, 77, 33]);
  });

  it('dilates the kernel, with and without stride', () => {
    const x = tensor({ c: 1, h: 5, w: 5 }, range(25));
    const spec = {
      outChannels: 1,
      kernel: [2, 2] as const,
      dilation: [2, 2] as const,
      weights: [1, 1, 1, 1],
    };
    // x[y][x] + x[y][x+2] + x[y+2][x] + x[y+2][x+2] = 4 * (5y + x) + 24.
    expect(run(conv(spec), x).values).toEqual([24, 28, 32, 44, 48, 52, 64, 68, 72]);
    const strided = run(conv({ ...spec, stride: [2, 2] }), x);
    expect(strided.shape).toEqual({ c: 1, h: 2, w: 2 });
    expect(strided.values).toEqual([24, 32, 64, 72]);
  });

  it('strides differently in height and width and pads symmetrically', () => {
    const x = tensor({ c: 1, h: 3, w: 4 }, range(12, 1));
    const y = run(
      conv({
        outChannels: 1,
        kernel: [3, 3],
        stride: [2, 1],
        pads: { top: 1, left: 1, bottom: 1, right: 1 },
        weights: [0, 0, 0, 0, 1, 0, 0, 0, 1],
      }),
      x,
    );
    // Centre tap plus bottom-right tap: x[y][x] + x[y+1][x+1] at rows 0 and 2.
    expect(y.shape).toEqual({ c: 1, h: 2, w: 4 });
    expect(y.values).toEqual([1 + 6, 2 + 7, 3 + 8, 4, 9, 10, 11, 12]);
  });

  it('applies groups, bias and relu; odd channel counts per group', () => {
    const x = tensor({ c: 4, h: 1, w: 1 }, [1, 2, 3, 4]);
    const y = run(
      conv({
        outChannels: 4,
        groups: 2,
        weights: [1, 1, 1, -1, 2, 0, 0, 3],
        bias: [0.5, 0, 0, -1],
        post: [{ op: 'relu' }],
      }),
      x,
    );
    // Group 0 reads channels 1, 2; group 1 reads 3, 4.
    expect(y.values).toEqual([3.5, 0, 6, 11]);
    const three = run(conv({ outChannels: 6, groups: 2, weights: [1, 0, 0, 1, 1, 1, 1, 0, 0, 1, -1, 1] }), x);
    expect(three.values).toEqual([1, 2, 3, 3, 4, 1]);
  });

  it('computes depthwise convolution channel by channel', () => {
    const x = tensor({ c: 2, h: 2, w: 2 }, [1, 2, 3, 4, 5, 6, 7, 8]);
    const y = run(conv({ outChannels: 2, groups: 2, kernel: [2, 2], weights: [1, 0, 0, 1, 0, 1, 1, 0] }), x);
    expect(y.values).toEqual([5, 13]);
  });

  it('treats a fully connected layer as a kernel covering the input', () => {
    const x = tensor({ c: 2, h: 2, w: 2 }, range(8, 1));
    const weights = [...range(8).map(() => 1), ...range(8).map((i) => (i < 4 ? 1 : -1)), ...range(8, 1)];
    const y = run(conv({ outChannels: 3, fullyConnected: true, weights, bias: [0, 0, 1] }), x);
    expect(y.shape).toEqual({ c: 3, h: 1, w: 1 });
    expect(y.values).toEqual([36, 10 - 26, 1 + 204]);
  });

  it('handles planes and channel counts that do not fill the blocks evenly', () => {
    // 3 output channels over a 3x5 plane, checked against a direct sum.
    const x = tensor(
      { c: 2, h: 4, w: 6 },
      range(48).map((i) => ((i * 7) % 11) - 5),
    );
    const weights = range(3 * 2 * 2 * 2).map((i) => ((i * 5) % 7) - 3);
    const y = run(conv({ outChannels: 3, kernel: [2, 2], weights }), x);
    expect(y.shape).toEqual({ c: 3, h: 3, w: 5 });
    const expected: number[] = [];
    for (let o = 0; o < 3; o++)
      for (let r = 0; r < 3; r++)
        for (let q = 0; q < 5; q++) {
          let s = 0;
          for (let i = 0; i < 2; i++)
            for (let a = 0; a < 2; a++)
              for (let b = 0; b < 2; b++)
                s += weights[((o * 2 + i) * 2 + a) * 2 + b]! * x.data[(i * 4 + r + a) * 6 + q + b]!;
          expected.push(s);
        }
    expect(y.values).toEqual(expected);
  });

  it('applies every point-wise operator, in order', () => {
    const x = tensor({ c: 1, h: 1, w: 6 }, [-4, -1, 0, 0.5, 3, 5]);
    const identity = (post: PointwiseOp[]) => run(conv({ outChannels: 1, weights: [1], post }), x).values;
    expect(identity([{ op: 'relu' }])).toEqual([0, 0, 0, 0.5, 3, 5]);
    expect(identity([{ op: 'clip', min: -1, max: 2 }])).toEqual([-1, -1, 0, 0.5, 2, 2]);
    close(identity([{ op: 'sigmoid' }]), [0.0179862, 0.2689414, 0.5, 0.6224593, 0.9525741, 0.9933071]);
    close(identity([{ op: 'hardsigmoid', alpha: 0.2, beta: 0.5 }]), [0, 0.3, 0.5, 0.6, 1, 1]);
    close(identity([{ op: 'hardswish' }]), [0, -1 / 3, 0, 0.5 * (3.5 / 6), 3, 5]);
    // x * sigmoid(x), from the sigmoid values above.
    close(identity([{ op: 'silu' }]), [-0.0719448, -0.2689414, 0, 0.3112297, 2.8577223, 4.9665355]);
    close(identity([{ op: 'relu' }, { op: 'sigmoid' }]), [0.5, 0.5, 0.5, 0.6224593, 0.9525741, 0.9933071]);
  });
});

describe('pooling', () => {
  // 4x4 input 1..16, kernel 3, stride 2, padding 1, ceil mode: 3x3 output whose last windows cover
  // rows/columns {3} plus one padding row/column (and the padded extent ends at 5).
  const x = tensor({ c: 1, h: 4, w: 4 }, range(16, 1));
  const spec = {
    kernel: [3, 3] as const,
    stride: [2, 2] as const,
    pads: { top: 1, left: 1, bottom: 1, right: 1 },
    ceilMode: true,
  };

  it('averages over the padded window (count_include_pad)', () => {
    const y = run(pool({ ...spec, countIncludePad: true }), x);
    expect(y.shape).toEqual({ c: 1, h: 3, w: 3 });
    close(y.values, [14 / 9, 30 / 9, 12 / 6, 57 / 9, 99 / 9, 36 / 6, 27 / 6, 45 / 6, 16 / 4]);
  });

  it('averages over the real input only', () => {
    const y = run(pool({ ...spec, countIncludePad: false }), x);
    close(y.values, [14 / 4, 30 / 6, 12 / 2, 57 / 6, 11, 36 / 3, 27 / 2, 45 / 3, 16]);
  });

  it('takes the maximum ignoring padding (negative inputs)', () => {
    const negative = tensor(
      x.shape,
      range(16, 1).map((v) => -v),
    );
    const y = run(pool({ ...spec, mode: 'max' }), negative);
    expect(y.values).toEqual([-1, -2, -4, -5, -6, -8, -13, -14, -16]);
  });

  it('pools globally', () => {
    const t = tensor({ c: 2, h: 2, w: 2 }, [1, 2, 3, 6, -1, -2, -3, -4]);
    expect(run(pool({ global: true }), t).values).toEqual([3, -2.5]);
    expect(run(pool({ global: true, mode: 'max' }), t).values).toEqual([6, -1]);
  });
});

describe('other layers', () => {
  const a = tensor({ c: 2, h: 1, w: 2 }, [1, 2, 3, 4]);
  const b = tensor({ c: 2, h: 1, w: 2 }, [10, -20, 30, -40]);
  const perChannel = tensor({ c: 2, h: 1, w: 1 }, [2, -1]);
  const base = { name: 'y', inputs: [], post: [] as PointwiseOp[] };

  it('adds, multiplies and takes maxima, broadcasting c x 1 x 1 operands', () => {
    expect(run({ ...base, kind: 'eltwise', op: 'add' }, a, b).values).toEqual([11, -18, 33, -36]);
    expect(run({ ...base, kind: 'eltwise', op: 'mul' }, a, perChannel).values).toEqual([2, 4, -3, -4]);
    expect(run({ ...base, kind: 'eltwise', op: 'mul' }, perChannel, a).values).toEqual([2, 4, -3, -4]);
    expect(run({ ...base, kind: 'eltwise', op: 'max' }, a, b, perChannel).values).toEqual([10, 2, 30, 4]);
    expect(run({ ...base, kind: 'eltwise', op: 'add', post: [{ op: 'relu' }] }, a, b).values).toEqual([
      11, 0, 33, 0,
    ]);
  });

  it('concatenates and slices channels', () => {
    expect(run({ ...base, kind: 'concat' }, a, b).values).toEqual([1, 2, 3, 4, 10, -20, 30, -40]);
    const six = tensor({ c: 3, h: 1, w: 2 }, range(6));
    const y = run({ ...base, kind: 'slice', start: 1, end: 3 }, six);
    expect(y.shape).toEqual({ c: 2, h: 1, w: 2 });
    expect(y.values).toEqual([2, 3, 4, 5]);
  });

  it('normalises across channels (LRN, odd and even size)', () => {
    const x = tensor({ c: 4, h: 1, w: 1 }, [1, 2, 3, 4]);
    // alpha / size = 1; odd window c-1..c+1, even (size 2) window c..c+1.
    const odd = run({ ...base, kind: 'lrn', size: 3, alpha: 3, beta: 0.5, k: 1 }, x);
    close(odd.values, [1 / Math.sqrt(6), 2 / Math.sqrt(15), 3 / Math.sqrt(30), 4 / Math.sqrt(26)]);
    const even = run({ ...base, kind: 'lrn', size: 2, alpha: 2, beta: 1, k: 1 }, x);
    close(even.values, [1 / 6, 2 / 14, 3 / 26, 4 / 17]);
  });

  it('takes the softmax over channels at each position, stably', () => {
    const x = tensor({ c: 3, h: 1, w: 2 }, [1, 1000, 2, 1000, 3, 1000]);
    const y = run({ ...base, kind: 'softmax' }, x);
    const s = Math.E + Math.E ** 2 + Math.E ** 3;
    close(y.values, [Math.E / s, 1 / 3, Math.E ** 2 / s, 1 / 3, Math.E ** 3 / s, 1 / 3]);
  });

  it('scales and shifts each channel (affine), then applies its point-wise operators', () => {
    const x = tensor({ c: 2, h: 1, w: 2 }, [1, -2, 3, 4]);
    const affine = (post: PointwiseOp[]): LayerSpec => ({
      ...base,
      post,
      kind: 'affine',
      scale: Float32Array.from([2, -0.5]),
      shift: Float32Array.from([1, 0.25]),
    });
    expect(run(affine([]), x).values).toEqual([3, -3, -1.25, -1.75]);
    expect(run(affine([{ op: 'relu' }]), x).values).toEqual([3, 0, 0, 0]);
    const shapeOnly = { ...base, kind: 'affine' as const };
    const e = (() => {
      try {
        run(shapeOnly, x);
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).describe()).toMatch(/^node 'y': has no scale and shift/);
  });

  it('shuffles channels', () => {
    const x = tensor({ c: 6, h: 1, w: 1 }, range(6));
    expect(run({ ...base, kind: 'shuffle', groups: 2 }, x).values).toEqual([0, 3, 1, 4, 2, 5]);
    expect(run({ ...base, kind: 'shuffle', groups: 3 }, x).values).toEqual([0, 2, 4, 1, 3, 5]);
  });
});

describe('runNetwork', () => {
  const net = buildNetwork(
    'chain',
    [{ name: 'x', shape: { c: 1, h: 1, w: 2 } }],
    [
      conv({ name: 'double', inputs: ['x'], outChannels: 1, weights: [2] }),
      conv({ name: 'inc', inputs: ['double'], outChannels: 1, weights: [1], bias: [1] }),
    ],
  );
  const x = tensor({ c: 1, h: 1, w: 2 }, [1, -3]);

  it('returns the outputs, or every layer with keepAll, reporting each layer done', async () => {
    const done: string[] = [];
    const outputs = await runNetwork(net, { x }, { onLayer: (d, n) => done.push(`${d}/${n}`) });
    expect(Object.keys(outputs)).toEqual(['inc']);
    expect(done).toEqual(['1/2', '2/2']);
    const all = await runNetwork(net, { x }, { keepAll: true });
    expect(Object.keys(all)).toEqual(['double', 'inc']);
    expect(Array.from(all['double']!.data)).toEqual([2, -6]);
    expect(Array.from(all['inc']!.data)).toEqual([3, -5]);
  });

  it('lets other work run between layers (how Ctrl-C reaches a long inference)', async () => {
    let done = 0;
    let doneWhenOtherWorkRan = -1;
    setImmediate(() => {
      doneWhenOtherWorkRan = done;
    });
    await runNetwork(net, { x }, { onLayer: (d) => (done = d) });
    expect(doneWhenOtherWorkRan).toBe(1);
  });

  it('rejects missing, unknown and misshapen inputs and missing weights', async () => {
    await expect(runNetwork(net, {})).rejects.toThrow(/no tensor given for input 'x'/);
    await expect(runNetwork(net, { x, z: x })).rejects.toThrow(/'z' is not an input/);
    await expect(runNetwork(net, { x: tensor({ c: 1, h: 2, w: 1 }, [1, 2]) })).rejects.toThrow(
      /input 'x' is 1x2x1, the network expects 1x1x2/,
    );
    await expect(runNetwork(net, { x: tensor({ c: 1, h: 1, w: 2 }, [1]) })).rejects.toThrow(/has 1 values/);
    const shapeOnly = { ...net, layers: net.layers.map((l) => ({ ...l, weights: undefined })) };
    const e = await runNetwork(shapeOnly, { x }).catch((error: unknown) => error);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).describe()).toMatch(/^node 'double': has no weights/);
  });
});
