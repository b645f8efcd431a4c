import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCaffemodel } from '../../src/frontends/caffe/caffemodel.js';
import { loadCaffe, loadCaffeFile } from '../../src/frontends/caffe/load.js';
import { parseTextFormat, type TextMessage, type TextValue } from '../../src/frontends/caffe/prototxt.js';
import {
  type ConvLayer,
  InputError,
  type Layer,
  type Network,
  networkStats,
  shapeText,
} from '../../src/ir/index.js';

const fixtures = path.resolve(process.cwd(), '../shared/networks/caffe');
const fixture = (p: string) => path.join(fixtures, p);

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

function layer(net: Network, name: string): Layer {
  const l = net.layers.find((x) => x.name === name);
  if (l === undefined) throw new Error(`no layer ${name}`);
  return l;
}

function conv(net: Network, name: string): ConvLayer & { shape: Layer['shape'] } {
  const l = layer(net, name);
  if (l.kind !== 'conv') throw new Error(`${name} is ${l.kind}`);
  return l;
}

const kinds = (net: Network) => net.layers.map((l) => l.kind);
const count = (net: Network, kind: string) => net.layers.filter((l) => l.kind === kind).length;
const outShape = (net: Network) => shapeText(layer(net, net.outputs[0]!).shape);

/** Field values of a parsed message, in order, messages shown as nested arrays. */
function plain(m: TextMessage): [string, unknown][] {
  const v = (x: TextValue): unknown => (x.kind === 'message' ? plain(x) : x.value);
  return m.fields.map((f) => [f.name, v(f.value)]);
}

// ---- a protobuf wire-format writer, independent of the decoder under test ----
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n % 128) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const lengthDelimited = (no: number, payload: number[]) => [
  ...varint((no << 3) | 2),
  ...varint(payload.length),
  ...payload,
];
const varintField = (no: number, n: number) => [...varint(no << 3), ...varint(n)];
const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];
const float32s = (xs: number[]) => [...new Uint8Array(Float32Array.from(xs).buffer)];
function blobBytes(values: number[], dims: number[], packed = true): number[] {
  const data = packed
    ? lengthDelimited(5, float32s(values))
    : values.flatMap((x) => [...varint((5 << 3) | 5), ...float32s([x])]);
  return [...data, ...lengthDelimited(7, lengthDelimited(1, dims.flatMap(varint)))];
}
function layerBytes(name: string, type: string, blobs: number[][]): number[] {
  return [
    ...lengthDelimited(1, utf8(name)),
    ...lengthDelimited(2, utf8(type)),
    ...blobs.flatMap((b) => lengthDelimited(7, b)),
  ];
}
function v1LayerBytes(name: string, type: number, blobs: number[][]): number[] {
  return [
    ...lengthDelimited(4, utf8(name)),
    ...varintField(5, type),
    ...blobs.flatMap((b) => lengthDelimited(6, b)),
  ];
}
const netBytes = (layers: number[][], v1 = false) =>
  Uint8Array.from(layers.flatMap((l) => lengthDelimited(v1 ? 2 : 100, l)));

const load = (text: string, model?: Uint8Array) => loadCaffe(text, 'tiny.prototxt', model, 'tiny.caffemodel');
const header = (c: number, h: number, w: number) =>
  `input: "data" input_dim: 1 input_dim: ${c} input_dim: ${h} input_dim: ${w}\n`;

describe('protobuf text format parser', () => {
  it('reads scalars, nested messages with and without colon, and repeated fields', () => {
    const m = parseTextFormat(`
      # a comment
      name: "net"   # trailing comment
      layer { name: 'a' top: "x" top: "y" }
      layer: { shape { dim: 1 dim: 2 } }
      layer < flag: true other: false >
      dims: [1, 2, 3] empty: []
      mode: MAX; count: 3,
    `);
    expect(plain(m)).toEqual([
      ['name', 'net'],
      [
        'layer',
        [
          ['name', 'a'],
          ['top', 'x'],
          ['top', 'y'],
        ],
      ],
      [
        'layer',
        [
          [
            'shape',
            [
              ['dim', 1],
              ['dim', 2],
            ],
          ],
        ],
      ],
      [
        'layer',
        [
          ['flag', 'true'],
          ['other', 'false'],
        ],
      ],
      ['dims', 1],
      ['dims', 2],
      ['dims', 3],
      ['mode', 'MAX'],
      ['count', 3],
    ]);
    expect(m.fields[2]!.value).toMatchObject({ kind: 'message', line: 5, col: 14 }); // at its '{'
    expect(m.fields[7]!.value).toEqual({ kind: 'identifier', value: 'MAX' });
  });

  it('decodes string escapes and joins adjacent strings', () => {
    const m = parseTextFormat(
      String.raw`s: "a\"b\n\t\\" t: 'it\'s' u: "\101\x42\u00e9\U0001F600" v: "ab" 'cd'`,
    );
    expect(plain(m)).toEqual([
      ['s', 'a"b\n\t\\'],
      ['t', "it's"],
      ['u', 'ABé😀'],
      ['v', 'abcd'],
    ]);
  });

  it('reads integers and floats, negative, exponent, suffixed, hex and octal', () => {
    const m = parseTextFormat(
      'a: -3 b: 1.5e-3 c: -2.5E+2 d: .5 e: -.25 f: 1.0f g: 1e5 h: 0x1F i: 017 j: -inf k: nan l: 0 m: 5f',
    );
    const values = m.fields.map((f) => f.value);
    expect(values.map((v) => (v.kind === 'message' ? undefined : v.value))).toEqual([
      -3,
      0.0015,
      -250,
      0.5,
      -0.25,
      1,
      100000,
      31,
      15,
      Number.NEGATIVE_INFINITY,
      'nan',
      0,
      5,
    ]);
    expect(values.map((v) => v.kind === 'number' && v.integer)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });

  it('accepts an empty file and keeps line and column of every field', () => {
    expect(parseTextFormat('').fields).toEqual([]);
    expect(parseTextFormat('  # only a comment\n').fields).toEqual([]);
    const m = parseTextFormat('a: 1\n  b {\n    c: 2 }');
    expect(m.fields.map((f) => [f.name, f.line, f.col])).toEqual([
      ['a', 1, 1],
      ['b', 2, 3],
    ]);
  });

  it.each([
    ['layer { name: "a"', "line 1:18: 'layer' opened at line 1:7 is never closed with '}'"],
    ['a: 1 }', "line 1:6: unexpected '}' with no open message"],
    ['a < b: 1 }', "line 1:10: expected '>'"],
    ['name: "abc', 'line 1:7: unterminated string'],
    ['a: "x\\q"', "line 1:6: unknown escape '\\q'"],
    ['num 3', "line 1:5: expected ':' or '{' after field 'num', found '3'"],
    ['a: 12abc', "line 1:4: malformed number '12abc'"],
    ['a: 1.2.3', "line 1:4: malformed number '1.2.3'"],
    ['a: 08', "line 1:4: malformed number '08'"],
    ['a: }', "line 1:4: expected a value, found '}'"],
    ['a: [1 2]', "line 1:7: expected ',' or ']' in the list of 'a'"],
    ['\n\n  a: 1 @', "line 3:8: unexpected character '@'"],
    ['a: 1\n\u0000\u0001', 'line 2:1: unexpected byte 0x00 (is this a binary file?)'],
    ['[ext.field]: 1', 'line 1:1: extension fields are not supported'],
  ])('rejects %j', (text, message) => {
    const e = inputError(() => parseTextFormat(text, 'bad.prototxt'));
    expect(e.message).toBe(message);
    expect(e.file).toBe('bad.prototxt');
  });
});

describe('Caffe fixtures', () => {
  it('simple: two 3x3 convolutions with Sobel weights from the caffemodel found beside the prototxt', () => {
    const net = loadCaffeFile(fixture('simple/simple.prototxt'));
    expect(net.name).toBe('SimpleNet');
    // The Input layer's 3 dims are C,H,W.
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 1, h: 20, w: 20 } }]);
    expect(net.layers.map((l) => `${l.name}:${shapeText(l.shape)}`)).toEqual([
      'conv1:8x18x18',
      'conv2:8x16x16',
    ]);
    expect(net.outputs).toEqual(['conv2']);
    const c1 = conv(net, 'conv1');
    const c2 = conv(net, 'conv2');
    // Read from the file's bytes with a hex dump: 8 Sobel-x kernels, then 64 Sobel-y kernels; biases 0.
    const sobelX = [1, 0, -1, 2, 0, -2, 1, 0, -1];
    const sobelY = [1, 2, 1, 0, 0, 0, -1, -2, -1];
    expect([...c1.weights!]).toEqual(Array.from({ length: 8 }, () => sobelX).flat());
    expect([...c2.weights!]).toEqual(Array.from({ length: 64 }, () => sobelY).flat());
    expect([...c1.bias!]).toEqual(new Array(8).fill(0));
    const stats = networkStats(net);
    // 18*18 * 8*1*9 + 16*16 * 8*8*9
    expect(stats.macs).toBe(324 * 72 + 256 * 576);
    expect(stats.parameters).toBe(72 + 8 + 576 + 8);
  });

  it('simple: without a caffemodel the network is shape-only', () => {
    const net = loadCaffe(readFileSync(fixture('simple/simple.prototxt'), 'utf8'), 'simple.prototxt');
    expect(conv(net, 'conv1').weights).toBeUndefined();
    expect(conv(net, 'conv1').hasBias).toBe(true);
  });

  it('traffic: 720x1280 grey input, slice into two groups, sigmoids folded', () => {
    const net = loadCaffeFile(fixture('traffic/traffic.prototxt'));
    expect(net.name).toBe('TrafficSignMPeemen');
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 1, h: 720, w: 1280 } }]);
    // conv2 sliced into two halves, each convolved (conv3a, conv3b), concatenated (conv3): one
    // convolution of 2 groups named as the concat, whose weights and biases are conv3a's then conv3b's
    expect(net.layers.map((l) => `${l.name}:${l.kind}:${shapeText(l.shape)}`)).toEqual([
      'conv1:conv:6x358x638',
      'conv2:conv:16x177x317',
      'conv3:conv:80x173x313',
      'fc4_traffic_output:conv:8x173x313',
    ]);
    expect(conv(net, 'conv3')).toMatchObject({ inputs: ['conv2'], groups: 2, outChannels: 80 });
    for (const n of ['conv1', 'conv2', 'conv3']) expect(conv(net, n).post).toEqual([{ op: 'sigmoid' }]);
    expect(conv(net, 'fc4_traffic_output').post).toEqual([]);
    expect(net.outputs).toEqual(['fc4_traffic_output']);
    const stats = networkStats(net);
    const macs =
      358 * 638 * 6 * 1 * 36 + // conv1
      177 * 317 * 16 * 6 * 36 + // conv2
      2 * 173 * 313 * 40 * 8 * 25 + // conv3 (2 groups of 40 outputs over 8 inputs)
      173 * 313 * 8 * 80; // fc4
    expect(stats.macs).toBe(macs);
    expect(stats.macs).toBe(1_144_287_328);
    // The prototxt holds 20422 `data:` lines: every parameter.
    expect(stats.parameters).toBe(20422);
    // Weight counts follow (out, in, kh, kw) although the file's shape fields swap the first two dims.
    expect(conv(net, 'conv1').weights!.length).toBe(6 * 1 * 6 * 6);
    expect(conv(net, 'conv2').weights!.length).toBe(16 * 6 * 6 * 6);
    expect(conv(net, 'fc4_traffic_output').weights!.length).toBe(8 * 80);
    // First values as written in the prototxt.
    expect([...conv(net, 'conv1').weights!.slice(0, 3)]).toEqual([1.40625, 1.98828125, 1.42578125]);
  });

  it('traffic: the inline text blobs and the caffemodel give the same weights', () => {
    const text = readFileSync(fixture('traffic/traffic.prototxt'), 'utf8');
    const inline = loadCaffe(text, 'traffic.prototxt');
    const model = loadCaffeFile(fixture('traffic/traffic.prototxt'), fixture('traffic/traffic.caffemodel'));
    const convs = inline.layers.filter((l) => l.kind === 'conv');
    expect(convs).toHaveLength(4);
    for (const c of convs) {
      const m = conv(model, c.name);
      expect(c.weights).toBeDefined();
      expect(m.weights).toEqual(c.weights);
      expect(m.bias).toEqual(c.bias);
    }
  });

  it('vdsr: 20 convolutions with ReLU and a residual sum over the input', () => {
    const net = loadCaffeFile(fixture('vdsr/VDSR_net_deploy.prototxt'));
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 1, h: 256, w: 256 } }]);
    expect(net.layers).toHaveLength(21);
    expect(count(net, 'conv')).toBe(20);
    expect(layer(net, 'sum')).toMatchObject({ kind: 'eltwise', op: 'add', inputs: ['data', 'conv20'] });
    expect(net.outputs).toEqual(['sum']);
    expect(outShape(net)).toBe('1x256x256');
    for (let i = 1; i <= 19; i++) expect(conv(net, `conv${i}`).post).toEqual([{ op: 'relu' }]);
    expect(conv(net, 'conv20').post).toEqual([]);
    const stats = networkStats(net);
    const px = 256 * 256;
    expect(stats.macs).toBe(px * 9 * (64 + 18 * 64 * 64 + 64));
    expect(stats.parameters).toBe(9 * 64 + 64 + 18 * (9 * 64 * 64 + 64) + 9 * 64 + 1);
    // Values read from the caffemodel's bytes by hand (float32 little-endian after the data tags).
    expect([...conv(net, 'conv1').weights!.slice(0, 3)]).toEqual(
      [0.3410828113555908, 0.08599916100502014, -0.3120167851448059].map(Math.fround),
    );
    expect([...conv(net, 'conv20').weights!.slice(0, 3)]).toEqual(
      [-0.04374620318412781, 0.07346030324697495, 0.19683963060379028].map(Math.fround),
    );
    expect([...conv(net, 'conv20').bias!]).toEqual([Math.fround(-0.0006194634479470551)]);
  });

  it('mobilenet v1: depthwise-separable stack, BatchNorm and Scale folded', () => {
    const net = loadCaffeFile(fixture('mobilenet_v1/mobilenet_deploy.prototxt'));
    expect(net.inputs[0]!.shape).toEqual({ c: 3, h: 224, w: 224 });
    expect(net.layers).toHaveLength(30);
    expect(count(net, 'conv')).toBe(28);
    expect(outShape(net)).toBe('1000x1x1');
    expect(net.outputs).toEqual(['prob']);
    const dw = conv(net, 'conv2_1/dw');
    expect(dw.groups).toBe(32);
    expect(dw.hasBias).toBe(true); // bias_term false, but the folded batch-norm adds one
    expect(dw.post).toEqual([{ op: 'relu' }]);
    expect(layer(net, 'pool6')).toMatchObject({ kind: 'pool', global: true, mode: 'avg' });
    // Independent count: conv1, then 13 (depthwise 3x3, pointwise) pairs, then the 1x1 classifier.
    let macs = 112 * 112 * 32 * 3 * 9;
    let params = 32 * 3 * 9 + 32;
    let [c, h] = [32, 112];
    const pairs: [number, number][] = [
      [64, 1],
      [128, 2],
      [128, 1],
      [256, 2],
      [256, 1],
      [512, 2],
      [512, 1],
      [512, 1],
      [512, 1],
      [512, 1],
      [512, 1],
      [1024, 2],
      [1024, 1],
    ];
    for (const [out, stride] of pairs) {
      h /= stride;
      macs += h * h * c * 9 + h * h * c * out;
      params += c * 9 + c + c * out + out;
      c = out;
    }
    macs += 1024 * 1000;
    params += 1024 * 1000 + 1000;
    const stats = networkStats(net);
    expect(stats.macs).toBe(macs);
    expect(stats.macs).toBe(568_740_352); // the paper's "569 million mult-adds"
    expect(stats.parameters).toBe(params);
  });

  it('mobilenet v2: inverted residuals with the strides this prototxt uses', () => {
    const net = loadCaffeFile(fixture('mobilenet_v2/mobilenet_v2_deploy.prototxt'));
    expect(net.layers).toHaveLength(66);
    expect(count(net, 'conv')).toBe(54);
    expect(count(net, 'eltwise')).toBe(10);
    expect(outShape(net)).toBe('1000x1x1');
    expect(shapeText(layer(net, 'conv6_4').shape)).toBe('1280x7x7');
    // Not in-place BatchNorm (top conv1/bn): folded into conv1 all the same.
    expect(conv(net, 'conv1')).toMatchObject({ hasBias: true, post: [{ op: 'relu' }] });
    expect(conv(net, 'conv2_1/linear').post).toEqual([]);
    expect(layer(net, 'block_3_1').inputs).toEqual(['conv2_2/linear', 'conv3_1/linear']);
    // Independent count. This file puts the stride-2 of the 64/96 stages on the first 96-channel block
    // (conv4_7/dwise), not the first 64-channel one as in the paper, and expands even when t = 1.
    let [c, h] = [32, 112];
    let macs = 112 * 112 * 32 * 27;
    let params = 32 * 27 + 32;
    let residuals = 0;
    const stages: [number, number, number, number][] = [
      [1, 16, 1, 1],
      [6, 24, 2, 2],
      [6, 32, 3, 2],
      [6, 64, 4, 1],
      [6, 96, 3, 2],
      [6, 160, 3, 2],
      [6, 320, 1, 1],
    ];
    for (const [t, out, n, s] of stages)
      for (let i = 0; i < n; i++) {
        const e = c * t;
        const stride = i === 0 ? s : 1;
        macs += h * h * c * e; // expand at the input size
        h /= stride;
        macs += h * h * e * 9 + h * h * e * out; // depthwise, linear
        params += c * e + e + e * 9 + e + e * out + out;
        if (stride === 1 && c === out) residuals++;
        c = out;
      }
    macs += 7 * 7 * 320 * 1280 + 1280 * 1000;
    params += 320 * 1280 + 1280 + 1280 * 1000 + 1000;
    expect(residuals).toBe(10);
    const stats = networkStats(net);
    expect(stats.macs).toBe(macs);
    expect(stats.parameters).toBe(params);
  });

  /** Independent figures for the original (Caffe) bottleneck ResNets: stride 2 on the first 1x1. */
  function resnet(blocks: number[]) {
    let macs = 112 * 112 * 64 * 3 * 49;
    let params = 64 * 3 * 49 + 64;
    const add = (cin: number, cout: number, k: number, size: number) => {
      macs += size * size * cin * cout * k * k;
      params += cin * cout * k * k + cout; // every conv gets a bias from its folded BatchNorm
    };
    let [c, h] = [64, 56]; // pool1: 3x3/2 with Caffe's rounding up gives 56, not 55
    blocks.forEach((n, stage) => {
      const mid = 64 << stage;
      for (let b = 0; b < n; b++) {
        const size = b === 0 && stage > 0 ? h / 2 : h;
        if (b === 0) add(c, mid * 4, 1, size);
        add(c, mid, 1, size);
        add(mid, mid, 3, size);
        add(mid, mid * 4, 1, size);
        [c, h] = [mid * 4, size];
      }
    });
    macs += 2048 * 1000;
    params += 2048 * 1000 + 1000;
    const total = blocks.reduce((a, b) => a + b, 0);
    return { macs, params, convs: 1 + 3 * total + 4, eltwise: total };
  }

  it.each([
    ['resnet50/ResNet-50-deploy.prototxt', [3, 4, 6, 3], 73],
    ['resnet101/ResNet-101-deploy.prototxt', [3, 4, 23, 3], 141],
    ['resnet152/ResNet-152-deploy.prototxt', [3, 8, 36, 3], 209],
  ])('%s', (file, blocks, layers) => {
    const net = loadCaffeFile(fixture(file));
    const expected = resnet(blocks);
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 3, h: 224, w: 224 } }]);
    expect(net.layers).toHaveLength(layers);
    expect(count(net, 'conv')).toBe(expected.convs + 1); // + fc1000
    expect(count(net, 'eltwise')).toBe(expected.eltwise);
    expect(kinds(net).filter((k) => k === 'pool')).toHaveLength(2);
    expect(shapeText(layer(net, 'pool1').shape)).toBe('64x56x56');
    expect(layer(net, 'pool1')).toMatchObject({ ceilMode: true, mode: 'max' });
    expect(conv(net, 'res3a_branch2a').stride).toEqual([2, 2]);
    expect(conv(net, 'res3a_branch2b').stride).toEqual([1, 1]);
    expect(conv(net, 'fc1000')).toMatchObject({ fullyConnected: true, kernel: [1, 1], outChannels: 1000 });
    expect(layer(net, 'res2a')).toMatchObject({ kind: 'eltwise', post: [{ op: 'relu' }] });
    expect(outShape(net)).toBe('1000x1x1');
    const stats = networkStats(net);
    expect(stats.macs).toBe(expected.macs);
    expect(stats.parameters).toBe(expected.params);
    if (blocks[2] === 6) {
      expect(stats.macs / 1e9).toBeCloseTo(3.858, 3);
      // torchvision's 25,557,032 counts two BatchNorm parameters per channel (26,560 channels), we fold to one.
      expect(stats.parameters).toBe(25_557_032 - 26_560);
    }
  });
});

describe('Caffe layers and options', () => {
  it('convolution: kernel/pad/stride as h/w pairs or repeated values, dilation, groups, no bias', () => {
    const net = load(`
      input: "data" input_shape { dim: 1 dim: 3 dim: 10 dim: 12 }
      layer { name: "a" type: "Convolution" bottom: "data" top: "a"
        convolution_param { num_output: 6 kernel_h: 3 kernel_w: 5 pad_h: 1 pad_w: 2 stride_h: 2 stride_w: 1
                            dilation: 2 group: 3 bias_term: false } }
      layer { name: "b" type: "Convolution" bottom: "data" top: "b"
        convolution_param { num_output: 4 kernel_size: 3 kernel_size: 1 pad: 1 pad: 0 stride: [2, 1] } }
    `);
    expect(conv(net, 'a')).toMatchObject({
      kernel: [3, 5],
      pads: { top: 1, bottom: 1, left: 2, right: 2 },
      stride: [2, 1],
      dilation: [2, 2],
      groups: 3,
      hasBias: false,
    });
    // Effective kernel 5x9: (10+2-5)/2+1 = 4 rows, (12+4-9)/1+1 = 8 columns.
    expect(shapeText(layer(net, 'a').shape)).toBe('6x4x8');
    expect(conv(net, 'b')).toMatchObject({
      kernel: [3, 1],
      pads: { top: 1, left: 0 },
      stride: [2, 1],
      hasBias: true,
    });
    expect(shapeText(layer(net, 'b').shape)).toBe('4x5x12');
    expect(networkStats(net).layers[0]!.macs).toBe(4 * 8 * 6 * 1 * 15);
  });

  it('inner product: a fully connected convolution; transpose reorders the weights', () => {
    const net = load(`
      input: "data" input_shape { dim: 2 dim: 3 dim: 4 }
      layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 5 } }
    `);
    expect(conv(net, 'fc')).toMatchObject({
      fullyConnected: true,
      kernel: [3, 4],
      outChannels: 5,
      hasBias: true,
    });
    expect(shapeText(layer(net, 'fc').shape)).toBe('5x1x1');
    expect(networkStats(net).layers[0]!.macs).toBe(5 * 24);
    const t = load(`${header(5, 1, 1)}
      layer { name: "fc" type: "InnerProduct" bottom: "data" top: "fc"
        inner_product_param { num_output: 2 transpose: true bias_term: false }
        blobs { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] shape { dim: 5 dim: 2 } } }
    `);
    // The blob is [5 inputs][2 outputs]; the IR wants [2 outputs][5 inputs].
    expect([...conv(t, 'fc').weights!]).toEqual([1, 3, 5, 7, 9, 2, 4, 6, 8, 10]);
  });

  it('pooling: rounds up like Caffe, average counts padding, global, rectangular, FLOOR fork option', () => {
    const net = load(`${header(1, 6, 6)}
      layer { name: "max" type: "Pooling" bottom: "data" top: "max" pooling_param { pool: MAX kernel_size: 3 stride: 2 } }
      layer { name: "ave" type: "Pooling" bottom: "data" top: "ave"
        pooling_param { pool: AVE kernel_h: 2 kernel_w: 3 stride_h: 2 stride_w: 3 pad_h: 1 pad_w: 0 } }
      layer { name: "glob" type: "Pooling" bottom: "data" top: "glob" pooling_param { pool: 1 global_pooling: true } }
      layer { name: "floor" type: "Pooling" bottom: "data" top: "floor"
        pooling_param { kernel_size: 3 stride: 2 round_mode: FLOOR } }
    `);
    // ceil((6-3)/2)+1 = 3 (rounding down would give 2).
    expect(layer(net, 'max')).toMatchObject({ mode: 'max', kernel: [3, 3], stride: [2, 2], ceilMode: true });
    expect(shapeText(layer(net, 'max').shape)).toBe('1x3x3');
    expect(layer(net, 'ave')).toMatchObject({
      mode: 'avg',
      kernel: [2, 3],
      stride: [2, 3],
      pads: { top: 1, bottom: 1, left: 0, right: 0 },
      countIncludePad: true,
    });
    // rows: ceil((6+2-2)/2)+1 = 4; columns: ceil((6-3)/3)+1 = 2.
    expect(shapeText(layer(net, 'ave').shape)).toBe('1x4x2');
    expect(layer(net, 'glob')).toMatchObject({ mode: 'avg', global: true, kernel: [6, 6] });
    expect(shapeText(layer(net, 'glob').shape)).toBe('1x1x1');
    expect(shapeText(layer(net, 'floor').shape)).toBe('1x2x2');
  });

  it('eltwise: operation by name or number, coefficients of 1', () => {
    const ops = [
      '',
      'operation: PROD',
      'operation: 0',
      'operation: SUM',
      'operation: 1',
      'operation: MAX',
      'operation: 2',
    ];
    const net = load(`${header(2, 4, 4)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 } }
      ${ops.map((op, i) => `layer { name: "e${i}" type: "Eltwise" bottom: "data" bottom: "c" top: "e${i}" eltwise_param { ${op} coeff: 1 coeff: 1 } }`).join('\n')}
    `);
    expect(ops.map((_, i) => (layer(net, `e${i}`) as { op: string }).op)).toEqual([
      'add',
      'mul',
      'mul',
      'add',
      'add',
      'max',
      'max',
    ]);
    expect(layer(net, 'e0').inputs).toEqual(['data', 'c']);
  });

  it('concat, slice by points and equal split, split and dropout aliases, LRN, softmax', () => {
    const net = load(`${header(8, 4, 4)}
      layer { name: "sp" type: "Split" bottom: "data" top: "x" top: "y" }
      layer { name: "s" type: "Slice" bottom: "x" top: "p" top: "q" top: "r" slice_param { axis: 1 slice_point: 2 slice_point: 5 } }
      layer { name: "h" type: "Slice" bottom: "y" top: "h1" top: "h2" }
      layer { name: "drop" type: "Dropout" bottom: "r" top: "r" dropout_param { dropout_ratio: 0.5 } }
      layer { name: "cat" type: "Concat" bottom: "p" bottom: "r" bottom: "h2" top: "cat" concat_param { concat_dim: 1 } }
      layer { name: "lrn" type: "LRN" bottom: "cat" top: "lrn" }
      layer { name: "lrn2" type: "LRN" bottom: "q" top: "lrn2" lrn_param { local_size: 3 alpha: 0.0001 beta: 0.5 k: 2 norm_region: ACROSS_CHANNELS } }
      layer { name: "prob" type: "Softmax" bottom: "lrn" top: "prob" }
    `);
    // Canonical order: depth-first from each output in turn (h/h1, lrn2, prob), operands in order.
    expect(net.layers.map((l) => `${l.name}:${l.kind}:${l.inputs.join('+')}:${shapeText(l.shape)}`)).toEqual([
      'h/h1:slice:data:4x4x4',
      's/q:slice:data:3x4x4',
      'lrn2:lrn:s/q:3x4x4',
      's/p:slice:data:2x4x4',
      's/r:slice:data:3x4x4',
      'h/h2:slice:data:4x4x4',
      'cat:concat:s/p+s/r+h/h2:9x4x4',
      'lrn:lrn:cat:9x4x4',
      'prob:softmax:lrn:9x4x4',
    ]);
    expect(layer(net, 's/r')).toMatchObject({ start: 5, end: 8 });
    expect(layer(net, 'h/h2')).toMatchObject({ start: 4, end: 8 });
    expect(layer(net, 'lrn')).toMatchObject({ size: 5, alpha: 1, beta: 0.75, k: 1 });
    expect(layer(net, 'lrn2')).toMatchObject({ size: 3, alpha: 0.0001, beta: 0.5, k: 2 });
    expect(net.outputs).toEqual(['h/h1', 'lrn2', 'prob']);
  });

  it('point-wise layers fold into their producer, in place or not', () => {
    const net = load(`${header(1, 4, 4)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 } }
      layer { name: "r" type: "ReLU" bottom: "c" top: "c" }
      layer { name: "s" type: "Sigmoid" bottom: "c" top: "sig" }
      layer { name: "r6" type: "ReLU6" bottom: "sig" top: "sig" }
      layer { name: "p" type: "Pooling" bottom: "sig" top: "p" pooling_param { kernel_size: 2 stride: 2 } }
      layer { name: "clip" type: "Clip" bottom: "p" top: "p" clip_param { min: -1 max: 1.5 } }
    `);
    expect(net.layers.map((l) => l.name)).toEqual(['c', 'p']);
    expect(conv(net, 'c').post).toEqual([{ op: 'relu' }, { op: 'sigmoid' }, { op: 'clip', min: 0, max: 6 }]);
    expect(layer(net, 'p').inputs).toEqual(['c']);
    expect(layer(net, 'p').post).toEqual([{ op: 'clip', min: -1, max: 1.5 }]);
  });

  it('aliases do not block folding; a fold invalidates the other names of its blob', () => {
    const text = `${header(1, 4, 4)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 } }
      layer { name: "drop" type: "Dropout" bottom: "c" top: "c" }
      layer { name: "sp" type: "Split" bottom: "c" top: "x" top: "y" }
      layer { name: "r" type: "ReLU" bottom: "x" top: "x" }
      layer { name: "p" type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 2 } }`;
    const net = load(text);
    expect(conv(net, 'c').post).toEqual([{ op: 'relu' }]);
    expect(layer(net, 'p').inputs).toEqual(['c']);
    // In Caffe 'y' would still hold the values before the ReLU: the IR cannot give both.
    const e = inputError(() =>
      load(
        `${text}\n layer { name: "q" type: "Pooling" bottom: "y" top: "q" pooling_param { kernel_size: 2 } }`,
      ),
    );
    expect(e.message).toBe(
      "line 8:36: bottom 'y' is read after layer 'r' was folded into its producer; this is not supported",
    );
    expect(e.node).toBe('q');
  });

  it('DummyData and MemoryData give input shapes', () => {
    const net = load(`
      layer { name: "d" type: "DummyData" top: "a" top: "b"
        dummy_data_param { num: 1 channels: 2 channels: 3 height: 4 width: 5 } }
      layer { name: "m" type: "MemoryData" top: "m" top: "label" memory_data_param { batch_size: 1 channels: 1 height: 4 width: 5 } }
      layer { name: "cat" type: "Concat" bottom: "a" bottom: "b" bottom: "m" top: "cat" }`);
    expect(net.inputs.map((t) => `${t.name}:${shapeText(t.shape)}`)).toEqual([
      'a:2x4x5',
      'b:3x4x5',
      'm:1x4x5',
    ]);
    expect(shapeText(layer(net, 'cat').shape)).toBe('6x4x5');
  });

  const bnNet = (bn: string, scale: string) => `${header(1, 2, 2)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 }
        blobs { data: [2, 3] shape { dim: 2 dim: 1 dim: 1 dim: 1 } } blobs { data: [1, -1] shape { dim: 2 } } }
      layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c" ${bn} }
      layer { name: "sc" type: "Scale" bottom: "c" top: "c" ${scale} }
      layer { name: "relu" type: "ReLU" bottom: "c" top: "c" }`;

  it('BatchNorm (running sums over a factor) and Scale fold into the convolution weights', () => {
    // mean = [8,16]/2 = [4,8], variance = [6,30]/2 = [3,15], eps 1: std [2,4]; gamma [10,20], beta [0.5,1].
    // channel 0: 10*((2x+1)-4)/2 + 0.5 = 10x - 14.5; channel 1: 20*((3x-1)-8)/4 + 1 = 15x - 44.
    const net = load(
      bnNet(
        `batch_norm_param { eps: 1 } blobs { data: [8, 16] } blobs { data: [6, 30] } blobs { data: 2 }`,
        `scale_param { bias_term: true } blobs { data: [10, 20] } blobs { data: [0.5, 1] }`,
      ),
    );
    expect(net.layers).toHaveLength(1);
    const c = conv(net, 'c');
    expect([...c.weights!]).toEqual([10, 15]);
    expect([...c.bias!]).toEqual([-14.5, -44]);
    expect(c.post).toEqual([{ op: 'relu' }]);
  });

  it('BatchNorm with a zero factor uses zero statistics; Scale without bias only scales', () => {
    // factor 0: mean 0, variance 0, default eps 1e-5; then gamma [1, 2] without beta.
    const net = load(
      bnNet(`blobs { data: [5, 5] } blobs { data: [7, 7] } blobs { data: 0 }`, `blobs { data: [1, 2] }`),
    );
    const s = 1 / Math.sqrt(1e-5);
    const c = conv(net, 'c');
    expect(c.weights![0]).toBeCloseTo(2 * s, 2);
    expect(c.weights![1]).toBeCloseTo(3 * 2 * s, 2);
    expect(c.bias![0]).toBeCloseTo(1 * s, 3);
    expect(c.bias![1]).toBeCloseTo(-1 * 2 * s, 3);
  });

  it('shape-only BatchNorm gives the convolution a bias', () => {
    const net = load(`${header(3, 4, 4)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 bias_term: false } }
      layer { name: "bn" type: "BatchNorm" bottom: "c" top: "c/bn" }
      layer { name: "sc" type: "Scale" bottom: "c/bn" top: "c/bn" scale_param { bias_term: true } }
      layer { name: "p" type: "Pooling" bottom: "c/bn" top: "p" pooling_param { pool: AVE kernel_size: 2 } }`);
    expect(conv(net, 'c').hasBias).toBe(true);
    expect(conv(net, 'c').weights).toBeUndefined();
    expect(layer(net, 'p').inputs).toEqual(['c']);
  });

  it('BatchNorm and Scale after a Concat, an Eltwise or a read blob become an affine layer (DenseNet)', () => {
    // mean [2, 0, 4] / 2 = [1, 0, 2], variance [8, 2, 0] / 2 = [4, 1, 0], eps 1: std [sqrt 5, sqrt 2, 1];
    // then Scale gamma [1, 2, 3], beta [0, 1, -1]. The Scale composes into the BatchNorm's affine layer.
    const text = (blobs: boolean) => {
      const b = (x: string) => (blobs ? x : '');
      return `${header(1, 3, 3)}
      layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 2 kernel_size: 1 bias_term: false }
        ${b('blobs { data: [1, -1] shape { dim: 2 dim: 1 dim: 1 dim: 1 } }')} }
      layer { name: "cat" type: "Concat" bottom: "data" bottom: "c1" top: "cat" }
      layer { name: "bn" type: "BatchNorm" bottom: "cat" top: "cat" batch_norm_param { eps: 1 }
        ${b('blobs { data: [2, 0, 4] } blobs { data: [8, 2, 0] } blobs { data: 2 }')} }
      layer { name: "sc" type: "Scale" bottom: "cat" top: "cat" scale_param { bias_term: true }
        ${b('blobs { data: [1, 2, 3] } blobs { data: [0, 1, -1] }')} }
      layer { name: "relu" type: "ReLU" bottom: "cat" top: "cat" }
      layer { name: "c2" type: "Convolution" bottom: "cat" top: "c2" convolution_param { num_output: 4 kernel_size: 1 }
        ${b('blobs { data: [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1] shape { dim: 4 dim: 3 dim: 1 dim: 1 } } blobs { data: [0, 0, 0, 0] }')} }
      layer { name: "sum" type: "Eltwise" bottom: "c2" bottom: "c2" top: "sum" }
      layer { name: "bn2" type: "BatchNorm" bottom: "sum" top: "bn2"
        ${b('blobs { data: [0, 0, 0, 0] } blobs { data: [1, 1, 1, 1] } blobs { data: 1 }')} }
      layer { name: "bn3" type: "BatchNorm" bottom: "c2" top: "bn3"
        ${b('blobs { data: [0, 0, 0, 0] } blobs { data: [1, 1, 1, 1] } blobs { data: 1 }')} }`;
    };
    for (const blobs of [true, false]) {
      const net = load(text(blobs));
      expect(net.layers.map((l) => `${l.name}:${l.kind}:${l.inputs.join('+')}`)).toEqual([
        'c1:conv:data',
        'cat:concat:data+c1',
        'bn:affine:cat',
        'c2:conv:bn',
        'sum:eltwise:c2+c2',
        'bn2:affine:sum',
        'bn3:affine:c2',
      ]);
      // two parameters per channel of an affine layer, with or without data
      expect(networkStats(net).parameters).toBe(2 + 2 * 3 + (4 * 3 + 4) + 2 * 4 + 2 * 4);
      expect(networkStats(net).macs).toBe(9 * (2 + 12));
      const bn = layer(net, 'bn');
      if (bn.kind !== 'affine') throw new Error('not affine');
      expect(bn.post).toEqual([{ op: 'relu' }]);
      if (!blobs) {
        expect(bn.scale).toBeUndefined();
        expect(bn.shift).toBeUndefined();
        continue;
      }
      const std = [Math.sqrt(5), Math.sqrt(2), 1];
      const mean = [1, 0, 2];
      for (let c = 0; c < 3; c++) {
        expect(bn.scale![c]).toBeCloseTo([1, 2, 3][c]! / std[c]!, 6);
        expect(bn.shift![c]).toBeCloseTo(([1, 2, 3][c]! * -mean[c]!) / std[c]! + [0, 1, -1][c]!, 6);
      }
    }
  });

  it('a BatchNorm into a new blob folds only if no later layer reads the blob it normalises', () => {
    const text = (catBottom: string) => `${header(2, 3, 3)}
      layer { name: "c0" type: "Convolution" bottom: "data" top: "c0" convolution_param { num_output: 2 kernel_size: 1 } }
      layer { name: "split" type: "Split" bottom: "c0" top: "c0a" top: "c0b" }
      layer { name: "bn" type: "BatchNorm" bottom: "c0a" top: "bn" }
      layer { name: "cat" type: "Concat" bottom: "bn" bottom: "${catBottom}" top: "cat" }`;
    // the normalised blob's other name is read later: the convolution's output must stay as it is
    const read = load(text('c0b'));
    expect(read.layers.map((l) => `${l.name}:${l.kind}:${l.inputs.join('+')}`)).toEqual([
      'c0:conv:data',
      'bn:affine:c0',
      'cat:concat:bn+c0',
    ]);
    // nothing reads it again: folded into the convolution
    const folded = load(text('bn'));
    expect(folded.layers.map((l) => `${l.name}:${l.kind}:${l.inputs.join('+')}`)).toEqual([
      'c0:conv:data',
      'cat:concat:c0+c0',
    ]);
  });

  it('old format: layers with enum types, input/input_dim header, type by number, weights from a V1 caffemodel', () => {
    const text = `name: "old"
      ${header(1, 5, 5)}
      layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv" blobs_lr: 1
        convolution_param { num_output: 2 kernel_size: 3 } }
      layers { name: "relu" type: RELU bottom: "conv" top: "conv" }
      layers { name: "pool" type: 17 bottom: "conv" top: "pool" pooling_param { pool: AVE kernel_size: 3 } }
      layers { name: "ip" type: INNER_PRODUCT bottom: "pool" top: "ip" inner_product_param { num_output: 3 } }
      layers { name: "drop" type: DROPOUT bottom: "ip" top: "ip" }
      layers { name: "prob" type: SOFTMAX bottom: "ip" top: "prob" }
      layers { name: "loss" type: SOFTMAX_LOSS bottom: "ip" top: "loss" include { phase: TRAIN } }`;
    const weights = Array.from({ length: 18 }, (_, i) => i / 4);
    const model = netBytes(
      [
        v1LayerBytes('conv', 4, [blobBytes(weights, [2, 1, 3, 3], false), blobBytes([0.5, -0.5], [2])]),
        v1LayerBytes('unused', 18, []),
        v1LayerBytes('ip', 14, [blobBytes([1, 2, 3, 4, 5, 6], [3, 2]), blobBytes([7, 8, 9], [3])]),
      ],
      true,
    );
    const net = load(text, model);
    expect(net.name).toBe('old');
    expect(net.layers.map((l) => `${l.name}:${l.kind}:${shapeText(l.shape)}`)).toEqual([
      'conv:conv:2x3x3',
      'pool:pool:2x1x1',
      'ip:conv:3x1x1',
      'prob:softmax:3x1x1',
    ]);
    expect(conv(net, 'conv').post).toEqual([{ op: 'relu' }]);
    expect([...conv(net, 'conv').weights!]).toEqual(weights);
    expect([...conv(net, 'ip').bias!]).toEqual([7, 8, 9]);
    // Without weights the same text loads shape-only.
    expect(conv(load(text), 'ip').weights).toBeUndefined();
  });

  it('new-format caffemodel: weights matched by layer name, caffemodel before inline blobs, extra layers ignored', () => {
    const text = `${header(1, 3, 3)}
      layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 1 kernel_size: 3 bias_term: false }
        blobs { data: [0, 0, 0, 0, 0, 0, 0, 0, 0] } }`;
    const model = netBytes([
      layerBytes('data', 'HDF5Data', []),
      layerBytes('c', 'Convolution', [blobBytes([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3])]),
      layerBytes('c', 'Convolution', [blobBytes([0], [1])]), // a later layer of the same name is ignored
      layerBytes('loss', 'EuclideanLoss', []),
    ]);
    expect(decodeCaffemodel(model).blobs.get('c')![0]!.dims).toEqual([1, 1, 3, 3]);
    expect([...conv(load(text, model), 'c').weights!]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...conv(load(text), 'c').weights!]).toEqual(new Array(9).fill(0));
  });

  it('caffemodel blobs in double precision and with the legacy num/channels/height/width shape', () => {
    const doubles = [...new Uint8Array(Float64Array.from([0.25, -1.5]).buffer)];
    const blob = [
      ...varintField(1, 2),
      ...varintField(2, 1),
      ...varintField(3, 1),
      ...varintField(4, 1),
      ...lengthDelimited(8, doubles),
    ];
    const model = decodeCaffemodel(netBytes([layerBytes('c', 'Convolution', [blob])]), 'd.caffemodel');
    expect(model.blobs.get('c')).toEqual([{ dims: [2, 1, 1, 1], data: Float32Array.from([0.25, -1.5]) }]);
  });

  it('Input layer with several tops and layers that are excluded in the TEST phase', () => {
    const net = load(`
      layer { name: "in" type: "Data" top: "a" include { phase: TRAIN } }
      layer { name: "in" type: "Input" top: "a" top: "b" input_param { shape { dim: 1 dim: 2 dim: 3 dim: 3 } shape { dim: 4 dim: 3 dim: 3 } } }
      layer { name: "train_only" type: "Data" top: "a" include { phase: TRAIN } }
      layer { name: "cat" type: "Concat" bottom: "a" bottom: "b" top: "cat" }
      layer { name: "acc" type: "Accuracy" bottom: "cat" bottom: "b" top: "acc" exclude { phase: TEST } }
    `);
    expect(net.inputs).toEqual([
      { name: 'a', shape: { c: 2, h: 3, w: 3 } },
      { name: 'b', shape: { c: 4, h: 3, w: 3 } },
    ]);
    expect(shapeText(layer(net, 'cat').shape)).toBe('6x3x3');
  });

  it('keeps IR names unique when a generated name meets a layer name', () => {
    const net = load(`${header(4, 2, 2)}
      layer { name: "s" type: "Slice" bottom: "data" top: "a" top: "b" }
      layer { name: "s/a" type: "Pooling" bottom: "a" top: "pa" pooling_param { kernel_size: 1 } }
    `);
    // Canonical order: the outputs s/b and s/a in file order, each after what it reads.
    expect(net.layers.map((l) => l.name)).toEqual(['s/b', 's/a_2', 's/a']);
    expect(net.outputs).toEqual(['s/b', 's/a']);
    expect(layer(net, 's/a').inputs).toEqual(['s/a_2']);
  });
});

describe('Caffe errors', () => {
  it('a missing prototxt or caffemodel file', () => {
    let e = inputError(() => loadCaffeFile('/nonexistent/net.prototxt'));
    expect(e.file).toBe('/nonexistent/net.prototxt');
    expect(e.message).toBe('cannot read the file: no such file');
    e = inputError(() => loadCaffeFile(fixture('simple/simple.prototxt'), '/nonexistent/w.caffemodel'));
    expect(e.file).toBe('/nonexistent/w.caffemodel');
  });

  it('an empty file', () => {
    const e = inputError(() => load(''));
    expect(e.message).toBe('the file defines no layers');
    expect(e.file).toBe('tiny.prototxt');
  });

  it('a truncated prototxt names the line and column', () => {
    const text = readFileSync(fixture('simple/simple.prototxt'), 'utf8');
    const e = inputError(() => loadCaffe(text.slice(0, text.lastIndexOf('}')), 'simple.prototxt'));
    expect(e.message).toBe("line 29:1: 'layer' opened at line 19:7 is never closed with '}'");
    expect(e.file).toBe('simple.prototxt');
    const cut = text.slice(0, text.indexOf('"conv2"') + 4);
    expect(inputError(() => loadCaffe(cut, 'simple.prototxt')).message).toBe(
      'line 20:9: unterminated string',
    );
  });

  it('garbage bytes given as a prototxt', () => {
    const bytes = readFileSync(fixture('simple/simple.caffemodel'));
    const e = inputError(() => loadCaffe(bytes.toString('utf8'), 'simple.caffemodel'));
    expect(e.message).toBe('line 3:11: invalid UTF-8 (is this a binary file?)');
    expect(e.file).toBe('simple.caffemodel');
  });

  it('a truncated or foreign caffemodel', () => {
    const text = readFileSync(fixture('simple/simple.prototxt'), 'utf8');
    const bytes = readFileSync(fixture('simple/simple.caffemodel'));
    let e = inputError(() =>
      loadCaffe(text, 'simple.prototxt', bytes.subarray(0, 1000), 'simple.caffemodel'),
    );
    expect(e.file).toBe('simple.caffemodel');
    expect(e.message).toMatch(/^not a valid caffemodel/);
    e = inputError(() => loadCaffe(text, 'simple.prototxt', Buffer.from(text), 'simple.caffemodel'));
    expect(e.file).toBe('simple.caffemodel');
  });

  const twoConvs = `${header(1, 5, 5)}
    layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 1 kernel_size: 1 bias_term: false } }
    layer { name: "c2" type: "Convolution" bottom: "c1" top: "c2" convolution_param { num_output: 1 kernel_size: 1 bias_term: false } }`;

  it.each([
    [
      'an unsupported layer type',
      `${header(1, 4, 4)} layer { name: "crop" type: "Crop" bottom: "data" top: "crop" }`,
      'crop',
      "line 2:23: unsupported layer type 'Crop'",
    ],
    [
      'an old-style type that the IR cannot express',
      `${header(1, 4, 4)} layers { name: "t" type: TANH bottom: "data" top: "t" }`,
      't',
      "line 2:21: unsupported layer type 'TanH'",
    ],
    [
      'a bottom no layer produces',
      `${header(1, 4, 4)} layer { name: "p" type: "Pooling" bottom: "nothing" top: "p" pooling_param { kernel_size: 2 } }`,
      'p',
      "line 2:36: bottom 'nothing' is produced by no earlier layer or input",
    ],
    [
      'an Eltwise coefficient',
      `${header(1, 4, 4)} layer { name: "e" type: "Eltwise" bottom: "data" bottom: "data" top: "e" eltwise_param { coeff: 1 coeff: -1 } }`,
      'e',
      'line 2:91: Eltwise coefficients other than 1 are not supported: [1, -1]',
    ],
    [
      'an unknown Eltwise operation',
      `${header(1, 4, 4)} layer { name: "e" type: "Eltwise" bottom: "data" bottom: "data" top: "e" eltwise_param { operation: 3 } }`,
      'e',
      "line 2:91: 'operation' must be one of PROD, SUM, MAX, got 3",
    ],
    [
      'a convolution without num_output',
      `${header(1, 4, 4)} layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { kernel_size: 1 } }`,
      'c',
      "line 2:82: 'num_output' is missing",
    ],
    [
      'a weight blob of the wrong size',
      `${header(1, 4, 4)} layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 2 kernel_size: 1 bias_term: false } blobs { data: [1, 2, 3] } }`,
      'c',
      'weights have 3 elements, expected 2',
    ],
    [
      'a BatchNorm after a pooling layer with statistics for other channels',
      `${header(1, 4, 4)} layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 2 } }
       layer { name: "bn" type: "BatchNorm" bottom: "p" top: "p" blobs { data: [0, 0] } blobs { data: [1, 1] } blobs { data: 1 } }`,
      'bn',
      "blob 0 has 2 values, but 'p' has 1 channels",
    ],
    [
      'a ReLU on the network input',
      `${header(1, 4, 4)} layer { name: "r" type: "ReLU" bottom: "data" top: "data" }`,
      'r',
      "a ReLU layer directly on the network input 'data' is not supported",
    ],
    [
      'an in-place ReLU on a blob another layer already read',
      `${twoConvs} layer { name: "r" type: "ReLU" bottom: "c1" top: "c1" }`,
      'r',
      "a ReLU layer cannot be folded into layer 'c1': its output is also read before this layer",
    ],
    [
      'reading the blob a not-in-place fold replaced',
      `${header(1, 4, 4)} layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 1 kernel_size: 1 } }
       layer { name: "r" type: "ReLU" bottom: "c" top: "rc" }
       layer { name: "p" type: "Pooling" bottom: "c" top: "p" pooling_param { kernel_size: 2 } }`,
      'p',
      "line 4:42: bottom 'c' is read after layer 'r' was folded into its producer; this is not supported",
    ],
    [
      'a leaky ReLU',
      `${twoConvs} layer { name: "r" type: "ReLU" bottom: "c2" top: "c2" relu_param { negative_slope: 0.1 } }`,
      'r',
      'leaky ReLU (negative_slope 0.1) is not supported',
    ],
    [
      'slice points out of order',
      `${header(4, 1, 1)} layer { name: "s" type: "Slice" bottom: "data" top: "a" top: "b" top: "c" slice_param { slice_point: 3 slice_point: 2 } }`,
      's',
      'line 2:90: slice points [3, 2] must increase strictly inside (0, 4)',
    ],
    [
      'an unequal split',
      `${header(5, 1, 1)} layer { name: "s" type: "Slice" bottom: "data" top: "a" top: "b" }`,
      's',
      '5 channels do not split equally into 2 tops',
    ],
    [
      'LRN within a channel',
      `${header(5, 1, 1)} layer { name: "n" type: "LRN" bottom: "data" top: "n" lrn_param { norm_region: WITHIN_CHANNEL } }`,
      'n',
      'line 2:68: LRN within a channel is not supported',
    ],
    [
      'a data layer without a shape',
      `layer { name: "d" type: "Data" top: "data" }`,
      'd',
      "a Data layer gives no input shape; use an Input layer or 'input'/'input_dim' (a deploy prototxt)",
    ],
    [
      'a 2-dim input shape',
      `layer { name: "in" type: "Input" top: "data" input_param { shape { dim: 3 dim: 4 } } }`,
      'in',
      'line 1:66: an input shape needs 3 (C,H,W) or 4 (N,C,H,W) dims, got [3, 4]',
    ],
    [
      'mismatched input_dim count',
      `input: "data" input_dim: 1 input_dim: 3 layer { name: "c" type: "Softmax" bottom: "data" top: "c" }`,
      undefined,
      "line 1:15: 1 input needs 4 'input_dim' values, got 2",
    ],
    [
      'both layer and layers entries',
      `${header(1, 1, 1)} layer { name: "a" type: "Softmax" bottom: "data" top: "a" }\nlayers { name: "b" type: SOFTMAX bottom: "a" top: "b" }`,
      undefined,
      "line 3:1: the file mixes 'layer' and old-style 'layers' entries",
    ],
    [
      'a Clip without bounds',
      `${twoConvs} layer { name: "k" type: "Clip" bottom: "c2" top: "c2" clip_param { min: 0 } }`,
      'k',
      "a Clip layer needs 'clip_param { min max }'",
    ],
    [
      'two layers of one name',
      `${twoConvs.replace('"c2"', '"c1"')}`,
      'c1',
      "line 4:13: two layers are named 'c1'",
    ],
    [
      'a string where a number belongs',
      `${header(1, 4, 4)} layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: "8" kernel_size: 1 } }`,
      'c',
      'line 2:84: \'num_output\' must be an integer, got "8"',
    ],
    [
      'a weighted layer without blobs while others have them',
      twoConvs.replace('bias_term: false } }', 'bias_term: false } blobs { data: 1 } }'),
      'c2',
      "this Convolution layer has no parameter blobs while layer 'c1' has",
    ],
  ])('%s', (_what, text, node, message) => {
    const e = inputError(() => load(text));
    expect(e.message).toBe(message);
    expect(e.node).toBe(node);
    expect(e.file).toBe('tiny.prototxt');
  });

  it('a caffemodel without weights for one layer', () => {
    const model = netBytes([layerBytes('c1', 'Convolution', [blobBytes([3], [1, 1, 1, 1])])]);
    const e = inputError(() => load(twoConvs, model));
    expect(e.message).toBe('the caffemodel tiny.caffemodel has no parameters for this Convolution layer');
    expect(e.node).toBe('c2');
    expect(e.file).toBe('tiny.prototxt');
  });

  it('a caffemodel with too many blobs for a layer', () => {
    const model = netBytes([
      layerBytes('c1', 'Convolution', [blobBytes([3], [1]), blobBytes([3], [1])]),
      layerBytes('c2', 'Convolution', [blobBytes([3], [1])]),
    ]);
    const e = inputError(() => load(twoConvs, model));
    expect(e.message).toBe('expects 1 parameter blob, found 2');
    expect(e.node).toBe('c1');
  });
});
