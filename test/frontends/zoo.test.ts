import { describe, expect, it } from 'vitest';
import { zoo, zooNetwork } from '../../src/frontends/zoo/index.js';
import { InputError } from '../../src/ir/errors.js';
import type { ConvLayer, Layer, Network, PoolLayer } from '../../src/ir/network.js';
import { shapeText } from '../../src/ir/network.js';
import { networkStats } from '../../src/ir/stats.js';

function layer(net: Network, name: string): Layer {
  const l = net.layers.find((x) => x.name === name);
  if (l === undefined) throw new Error(`no layer ${name} in ${net.name}`);
  return l;
}

function conv(net: Network, name: string): ConvLayer & { shape: Layer['shape'] } {
  const l = layer(net, name);
  if (l.kind !== 'conv') throw new Error(`${name} is a ${l.kind}`);
  return l;
}

function pool(net: Network, name: string): PoolLayer & { shape: Layer['shape'] } {
  const l = layer(net, name);
  if (l.kind !== 'pool') throw new Error(`${name} is a ${l.kind}`);
  return l;
}

/** Layers by display type (conv, conv-dw, fc, maxpool, add, ...). */
function census(net: Network): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of networkStats(net).layers) counts[s.kind] = (counts[s.kind] ?? 0) + 1;
  return counts;
}

/** How many layers apply each folded point-wise operator (ONNX exports each as its own node). */
function postCounts(net: Network): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of net.layers) for (const p of l.post) counts[p.op] = (counts[p.op] ?? 0) + 1;
  return counts;
}

function outputShape(net: Network): string {
  expect(net.outputs).toHaveLength(1);
  return shapeText(layer(net, net.outputs[0]!).shape);
}

/**
 * Parameters as the ONNX fixtures store them. The exporter stores equal initializers once (each further
 * user reads it through an Identity node). With random initialisation the only equal tensors are the
 * biases that start at zero: folded batch-norm biases (beta 0, running mean 0) and biases torchvision
 * zero-fills, so each such bias length is stored once. `zeroBias` says which layers have them.
 */
function exportedParameters(net: Network, zeroBias: (l: ConvLayer) => boolean) {
  const stats = networkStats(net);
  const zeroLengths = new Set<number>();
  let parameters = 0;
  let shared = 0;
  net.layers.forEach((l, i) => {
    const s = stats.layers[i]!;
    parameters += s.weightElements;
    if (l.kind !== 'conv' || !l.hasBias) return;
    if (!zeroBias(l)) parameters += s.biasElements;
    else if (zeroLengths.has(s.biasElements)) shared += 1;
    else {
      zeroLengths.add(s.biasElements);
      parameters += s.biasElements;
    }
  });
  return { parameters, shared };
}

const allBiases = () => true;
const convBiases = (l: ConvLayer) => !l.fullyConnected;
const noBiases = () => false;

// /work/shared/networks/onnx/README.md: parameters, conv+gemm MACs, output shape, and from the census the
// Identity nodes (= shared initializers), Relu and Clip nodes.
const onnxFacts = [
  {
    name: 'squeezenet1_1',
    params: 1233288,
    macs: 349151936,
    out: '1000x1x1',
    identity: 18,
    relu: 26,
    clip: 0,
  },
  {
    name: 'mobilenet_v2',
    params: 3475008,
    macs: 300774272,
    out: '1000x1x1',
    identity: 39,
    relu: 0,
    clip: 35,
  },
  { name: 'resnet18', params: 11680872, macs: 1814073344, out: '1000x1x1', identity: 16, relu: 17, clip: 0 },
  { name: 'vdsr', params: 665921, macs: 43562041344, out: '1x256x256', identity: 0, relu: 19, clip: 0 },
  { name: 'vgg16', params: 138350184, macs: 15470264320, out: '1000x1x1', identity: 10, relu: 15, clip: 0 },
  { name: 'resnet50', params: 25507944, macs: 4089184256, out: '1000x1x1', identity: 47, relu: 49, clip: 0 },
  {
    name: 'resnet101',
    params: 44447848,
    macs: 7801405440,
    out: '1000x1x1',
    identity: 98,
    relu: 100,
    clip: 0,
  },
  {
    name: 'resnet152',
    params: 60045416,
    macs: 11513626624,
    out: '1000x1x1',
    identity: 149,
    relu: 151,
    clip: 0,
  },
];

// vdsr's biases are PyTorch's default (random) ones; resnet's fc bias too; everything else starts at zero.
const zeroBiasRule: Record<string, (l: ConvLayer) => boolean> = {
  squeezenet1_1: allBiases,
  mobilenet_v2: allBiases,
  vgg16: allBiases,
  vdsr: noBiases,
  resnet18: convBiases,
  resnet50: convBiases,
  resnet101: convBiases,
  resnet152: convBiases,
};

describe('zoo registry', () => {
  it('lists the built-in networks with descriptions', () => {
    expect(zoo.map((e) => e.name)).toEqual([
      'traffic',
      'vdsr',
      'vgg16',
      'vgg19',
      'resnet18',
      'resnet50',
      'resnet101',
      'resnet152',
      'mobilenet_v1',
      'mobilenet_v2',
      'alexnet',
      'squeezenet1_1',
    ]);
    for (const e of zoo) expect(e.description.length).toBeGreaterThan(10);
  });

  it('builds each network under its own name, shape-only, quickly', () => {
    const start = performance.now();
    for (const e of zoo) {
      const net = e.build();
      expect(net.name).toBe(e.name);
      expect(zooNetwork(e.name).layers.length).toBe(net.layers.length);
      for (const l of net.layers)
        if (l.kind === 'conv') {
          expect(l.weights).toBeUndefined();
          expect(l.bias).toBeUndefined();
        }
    }
    // Twenty-four builds of up to ~360 layers; generous, but catches anything quadratic or weight-filling.
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('rejects an unknown name with an InputError listing the known ones', () => {
    expect(() => zooNetwork('lenet')).toThrow(InputError);
    expect(() => zooNetwork('lenet')).toThrow(
      "unknown zoo network 'lenet' (known: traffic, vdsr, vgg16, vgg19, resnet18, resnet50, resnet101, " +
        'resnet152, mobilenet_v1, mobilenet_v2, alexnet, squeezenet1_1)',
    );
  });
});

describe('zoo against the ONNX fixtures (README facts)', () => {
  for (const f of onnxFacts)
    it(`${f.name}: MACs, stored parameters, output shape, activations`, () => {
      const net = zooNetwork(f.name);
      expect(networkStats(net).macs).toBe(f.macs);
      const exported = exportedParameters(net, zeroBiasRule[f.name]!);
      expect(exported.parameters).toBe(f.params);
      expect(exported.shared).toBe(f.identity);
      expect(outputShape(net)).toBe(f.out);
      const posts = postCounts(net);
      expect(posts['relu'] ?? 0).toBe(f.relu);
      expect(posts['clip'] ?? 0).toBe(f.clip);
    });

  it('the true parameter counts exceed the stored ones by the shared zero biases', () => {
    // resnet18 has 4800 batch-norm channels (64 + 4*64 + (4*128+128) + (4*256+256) + (4*512+512)), so
    // 4800 folded bias elements of which the file keeps one per length: 64+128+256+512 = 960.
    expect(networkStats(zooNetwork('resnet18')).parameters).toBe(11680872 + 4800 - 960);
    // squeezenet1_1: all 26 conv biases are zero, 3944 elements, stored once per length:
    // 64+16+32+48+128+192+256+1000 = 1736. The torchvision count is 1235496.
    expect(networkStats(zooNetwork('squeezenet1_1')).parameters).toBe(1233288 + 3944 - 1736);
    expect(networkStats(zooNetwork('squeezenet1_1')).parameters).toBe(1235496);
    // vgg16 has no batch-norm: its count is torchvision's.
    expect(networkStats(zooNetwork('vgg16')).parameters).toBe(138357544);
  });

  it('layer counts by type match the census', () => {
    expect(census(zooNetwork('squeezenet1_1'))).toEqual({
      conv: 26,
      maxpool: 3,
      concat: 8,
      'global-avgpool': 1,
    });
    expect(census(zooNetwork('mobilenet_v2'))).toEqual({
      conv: 35,
      'conv-dw': 17,
      add: 10,
      'global-avgpool': 1,
      fc: 1,
    });
    expect(census(zooNetwork('resnet18'))).toEqual({
      conv: 20,
      maxpool: 1,
      add: 8,
      'global-avgpool': 1,
      fc: 1,
    });
    expect(census(zooNetwork('vdsr'))).toEqual({ conv: 20, add: 1 });
    // The 7x7 adaptive pool is exported as AveragePool 1x1 and kept as a layer.
    expect(census(zooNetwork('vgg16'))).toEqual({ conv: 13, maxpool: 5, avgpool: 1, fc: 3 });
    expect(census(zooNetwork('resnet50'))).toEqual({
      conv: 53,
      maxpool: 1,
      add: 16,
      'global-avgpool': 1,
      fc: 1,
    });
    expect(census(zooNetwork('resnet101'))).toEqual({
      conv: 104,
      maxpool: 1,
      add: 33,
      'global-avgpool': 1,
      fc: 1,
    });
    expect(census(zooNetwork('resnet152'))).toEqual({
      conv: 155,
      maxpool: 1,
      add: 50,
      'global-avgpool': 1,
      fc: 1,
    });
  });
});

describe('traffic (Caffe fixture traffic.prototxt)', () => {
  const net = zooNetwork('traffic');

  it('has the prototxt layers in canonical order with their shapes, the conv3 branches as one grouped convolution', () => {
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 1, h: 720, w: 1280 } }]);
    // conv1 6x6 s2: (720-6)/2+1 = 358, (1280-6)/2+1 = 638; conv2 6x6 s2: 177, 317; conv3 5x5: 173, 313.
    // The prototxt slices conv2 into two halves, convolves each (conv3a, conv3b) and concatenates them
    // (conv3): a convolution of 2 groups, named as the concat.
    expect(net.layers.map((l) => `${l.name} ${l.kind} ${shapeText(l.shape)}`)).toEqual([
      'conv1 conv 6x358x638',
      'conv2 conv 16x177x317',
      'conv3 conv 80x173x313',
      'fc4_traffic_output conv 8x173x313',
    ]);
    expect(net.outputs).toEqual(['fc4_traffic_output']);
  });

  it('wires the layers and sigmoids as the prototxt does', () => {
    expect(conv(net, 'conv3')).toMatchObject({
      inputs: ['conv2'],
      outChannels: 80,
      groups: 2,
      kernel: [5, 5],
      stride: [1, 1],
      hasBias: true,
    });
    for (const name of ['conv1', 'conv2', 'conv3'])
      expect(layer(net, name).post).toEqual([{ op: 'sigmoid' }]);
    expect(conv(net, 'fc4_traffic_output')).toMatchObject({
      kernel: [1, 1],
      post: [],
      fullyConnected: false,
    });
    expect(conv(net, 'conv2')).toMatchObject({ kernel: [6, 6], stride: [2, 2], groups: 1 });
  });

  it('has the parameter counts of the prototxt blobs and the hand-counted MACs', () => {
    const stats = networkStats(net);
    // Data entries of each blob in the prototxt: 216+6, 3456+16, 8000+40 twice (conv3's groups), 640+8.
    expect(
      stats.layers.filter((s) => s.kind.startsWith('conv')).map((s) => [s.weightElements, s.biasElements]),
    ).toEqual([
      [216, 6],
      [3456, 16],
      [16000, 80],
      [640, 8],
    ]);
    expect(stats.parameters).toBe(20422);
    // 216*358*638 + 3456*177*317 + 2*8000*173*313 + 640*173*313
    expect(stats.macs).toBe(49335264 + 193912704 + 2 * 433192000 + 34655360);
  });
});

describe('vdsr', () => {
  it('is 20 convolutions 3x3 and a residual add of the input', () => {
    const net = zooNetwork('vdsr');
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 1, h: 256, w: 256 } }]);
    expect(conv(net, 'conv1')).toMatchObject({
      outChannels: 64,
      pads: { top: 1, left: 1, bottom: 1, right: 1 },
    });
    expect(conv(net, 'conv19').post).toEqual([{ op: 'relu' }]);
    expect(conv(net, 'conv20')).toMatchObject({ outChannels: 1, post: [] });
    expect(layer(net, 'sum')).toMatchObject({ kind: 'eltwise', op: 'add', inputs: ['data', 'conv20'] });
  });
});

describe('torchvision classifiers: per-layer structure', () => {
  it('vgg16 and vgg19 name layers by their features/classifier index', () => {
    const v16 = zooNetwork('vgg16');
    expect(v16.layers.map((l) => l.name)).toEqual([
      ...[0, 2, 4, 5, 7, 9, 10, 12, 14, 16, 17, 19, 21, 23, 24, 26, 28, 30].map((i) => `features.${i}`),
      'avgpool',
      'classifier.0',
      'classifier.3',
      'classifier.6',
    ]);
    expect(pool(v16, 'features.30')).toMatchObject({ mode: 'max', kernel: [2, 2], stride: [2, 2] });
    expect(pool(v16, 'avgpool')).toMatchObject({
      mode: 'avg',
      kernel: [1, 1],
      stride: [1, 1],
      global: false,
    });
    expect(shapeText(layer(v16, 'avgpool').shape)).toBe('512x7x7');
    expect(conv(v16, 'classifier.0').kernel).toEqual([7, 7]);
    const v19 = zooNetwork('vgg19');
    expect(census(v19)).toEqual({ conv: 16, maxpool: 5, avgpool: 1, fc: 3 });
    // torchvision's published VGG-19 count; MACs are VGG-16's plus a third 256 conv at 56x56 and a fourth
    // 512 conv at 28x28 and 14x14: 9*(56*56*256*256 + 28*28*512*512 + 14*14*512*512).
    const s = networkStats(v19);
    expect(s.parameters).toBe(143667240);
    expect(s.macs).toBe(15470264320 + 9 * (56 * 56 * 256 * 256 + 28 * 28 * 512 * 512 + 14 * 14 * 512 * 512));
    expect(outputShape(v19)).toBe('1000x1x1');
  });

  it('alexnet: torchvision layers, counts and MACs', () => {
    const net = zooNetwork('alexnet');
    expect(net.layers.map((l) => `${l.name} ${shapeText(l.shape)}`)).toEqual([
      'features.0 64x55x55',
      'features.2 64x27x27',
      'features.3 192x27x27',
      'features.5 192x13x13',
      'features.6 384x13x13',
      'features.8 256x13x13',
      'features.10 256x13x13',
      'features.12 256x6x6',
      'avgpool 256x6x6',
      'classifier.1 4096x1x1',
      'classifier.4 4096x1x1',
      'classifier.6 1000x1x1',
    ]);
    expect(conv(net, 'features.0')).toMatchObject({ kernel: [11, 11], stride: [4, 4], pads: { top: 2 } });
    const s = networkStats(net);
    expect(s.parameters).toBe(61100840); // torchvision's published count (no batch-norm)
    // 55²*64*3*121 + 27²*192*64*25 + 13²*(384*192 + 256*384 + 256*256)*9 + 9216*4096 + 4096² + 4096*1000
    expect(s.macs).toBe(
      70276800 + 223948800 + 112140288 + 149520384 + 99680256 + 37748736 + 16777216 + 4096000,
    );
  });

  it('squeezenet1_1 rounds its max pools up and concatenates the fire expands', () => {
    const net = zooNetwork('squeezenet1_1');
    // 224 -> conv 3x3 s2: 111 -> pools 55, 27, 13 (the windows fit exactly here; ceil_mode matters elsewhere).
    expect(shapeText(layer(net, 'features.2').shape)).toBe('64x55x55');
    expect(shapeText(layer(net, 'features.5').shape)).toBe('128x27x27');
    expect(shapeText(layer(net, 'features.8').shape)).toBe('256x13x13');
    expect(pool(net, 'features.2').ceilMode).toBe(true);
    expect(layer(net, 'features.3.concat').inputs).toEqual(['features.3.expand1x1', 'features.3.expand3x3']);
    expect(layer(net, 'features.3.expand3x3').inputs).toEqual(['features.3.squeeze']);
    expect(shapeText(layer(net, 'features.12.concat').shape)).toBe('512x13x13');
    expect(conv(net, 'classifier.1')).toMatchObject({ outChannels: 1000, post: [{ op: 'relu' }] });
    expect(pool(net, 'classifier.3').global).toBe(true);
  });

  it('resnet: v1.5 strides, downsample branches and post-add ReLU', () => {
    const r18 = zooNetwork('resnet18');
    expect(pool(r18, 'maxpool')).toMatchObject({ kernel: [3, 3], stride: [2, 2], pads: { top: 1, left: 1 } });
    expect(shapeText(layer(r18, 'maxpool').shape)).toBe('64x56x56');
    expect(r18.layers.some((l) => l.name === 'layer1.0.downsample.0')).toBe(false);
    expect(conv(r18, 'layer2.0.conv1').stride).toEqual([2, 2]);
    expect(conv(r18, 'layer2.0.downsample.0')).toMatchObject({
      kernel: [1, 1],
      stride: [2, 2],
      inputs: ['layer1.1.add'],
    });
    expect(layer(r18, 'layer2.0.add')).toMatchObject({
      inputs: ['layer2.0.conv2', 'layer2.0.downsample.0'],
      post: [{ op: 'relu' }],
    });
    expect(conv(r18, 'layer2.0.conv2').post).toEqual([]);

    const r50 = zooNetwork('resnet50');
    // v1.5: the bottleneck strides in its 3x3, not its first 1x1.
    expect(conv(r50, 'layer3.0.conv1').stride).toEqual([1, 1]);
    expect(conv(r50, 'layer3.0.conv2').stride).toEqual([2, 2]);
    // The first block changes 64 to 256 channels at stride 1, so it has a projection too.
    expect(conv(r50, 'layer1.0.downsample.0')).toMatchObject({ outChannels: 256, stride: [1, 1] });
    expect(layer(r50, 'layer1.1.add').inputs).toEqual(['layer1.1.conv3', 'layer1.0.add']);
    expect(shapeText(layer(r50, 'layer4.2.add').shape)).toBe('2048x7x7');
    expect(conv(r50, 'fc').kernel).toEqual([1, 1]); // after global pooling
    expect(r50.layers.map((l) => l.name).slice(0, 9)).toEqual([
      'conv1',
      'maxpool',
      'layer1.0.conv1',
      'layer1.0.conv2',
      'layer1.0.conv3',
      'layer1.0.downsample.0',
      'layer1.0.add',
      'layer1.1.conv1',
      'layer1.1.conv2',
    ]);
    expect(zooNetwork('resnet101').layers.some((l) => l.name === 'layer3.22.add')).toBe(true);
    expect(zooNetwork('resnet152').layers.some((l) => l.name === 'layer2.7.add')).toBe(true);
  });

  it('mobilenet_v2: inverted residuals with ReLU6 and linear projections', () => {
    const net = zooNetwork('mobilenet_v2');
    // The first block has no expansion: depthwise then projection.
    expect(conv(net, 'features.1.conv.0')).toMatchObject({
      groups: 32,
      post: [{ op: 'clip', min: 0, max: 6 }],
    });
    expect(conv(net, 'features.1.conv.1')).toMatchObject({ outChannels: 16, post: [] });
    expect(conv(net, 'features.2.conv.0')).toMatchObject({ outChannels: 96, kernel: [1, 1] });
    expect(conv(net, 'features.2.conv.1')).toMatchObject({ groups: 96, stride: [2, 2] });
    expect(conv(net, 'features.2.conv.2')).toMatchObject({ outChannels: 24, post: [] });
    expect(layer(net, 'features.3.add').inputs).toEqual(['features.2.conv.2', 'features.3.conv.2']);
    // Stride-1 block that changes channels (64 -> 96): no residual.
    expect(net.layers.some((l) => l.name === 'features.11.add')).toBe(false);
    expect(net.layers.some((l) => l.name === 'features.12.add')).toBe(true);
    expect(shapeText(layer(net, 'features.18').shape)).toBe('1280x7x7');
    expect(conv(net, 'classifier.1')).toMatchObject({
      fullyConnected: true,
      kernel: [1, 1],
      outChannels: 1000,
    });
  });
});

describe('mobilenet_v1 (Caffe fixture mobilenet_deploy.prototxt)', () => {
  const net = zooNetwork('mobilenet_v1');

  it('has conv1, 13 depthwise-separable blocks, pool6, fc7 as a 1x1 convolution and prob', () => {
    expect(net.inputs).toEqual([{ name: 'data', shape: { c: 3, h: 224, w: 224 } }]);
    expect(census(net)).toEqual({ conv: 15, 'conv-dw': 13, 'global-avgpool': 1, softmax: 1 });
    expect(net.layers.slice(0, 5).map((l) => l.name)).toEqual([
      'conv1',
      'conv2_1/dw',
      'conv2_1/sep',
      'conv2_2/dw',
      'conv2_2/sep',
    ]);
    expect(net.layers.slice(-5).map((l) => `${l.name} ${shapeText(l.shape)}`)).toEqual([
      'conv6/dw 1024x7x7',
      'conv6/sep 1024x7x7',
      'pool6 1024x1x1',
      'fc7 1000x1x1',
      'prob 1000x1x1',
    ]);
    expect(conv(net, 'conv5_6/dw')).toMatchObject({ groups: 512, stride: [2, 2], post: [{ op: 'relu' }] });
    expect(conv(net, 'fc7')).toMatchObject({ fullyConnected: false, kernel: [1, 1], post: [] });
    expect(net.outputs).toEqual(['prob']);
  });

  it('has the hand-counted parameters and MACs', () => {
    const s = networkStats(net);
    // Weights: conv1 864, depthwise 9*4960, pointwise 3139584; 10944 folded BatchNorm/Scale biases
    // (32 + the 4960 depthwise and 5952 pointwise channels); fc7 1024*1000+1000. With batch-norm kept
    // as two parameters per channel this is the familiar 4231976.
    expect(s.parameters).toBe(864 + 9 * 4960 + 3139584 + 10944 + 1025000);
    expect(s.parameters + 10944).toBe(4231976);
    // conv1 112²*32*27, depthwise 17385984, pointwise 539492352, fc7 1024000: the paper's 569M.
    expect(s.macs).toBe(10838016 + 17385984 + 539492352 + 1024000);
  });
});
