// The built-in networks equal the ONNX fixtures layer by layer: kind, geometry and output shape.

import { describe, expect, it } from 'vitest';
import { loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { zooNetwork } from '../../src/frontends/zoo/index.js';
import type { Layer } from '../../src/ir/network.js';

const fixture = (n: string) =>
  new URL(`../../../shared/networks/onnx/${n}.shape.onnx`, import.meta.url).pathname;

function signature(l: Layer): string {
  const shape = `${l.shape.c}x${l.shape.h}x${l.shape.w}`;
  const post = l.post.map((p) => p.op).join('+');
  if (l.kind === 'conv')
    return `conv k${l.kernel} s${l.stride} d${l.dilation} p${Object.values(l.pads)} g${l.groups} fc${l.fullyConnected} ${post} ${shape}`;
  if (l.kind === 'pool')
    return `${l.mode}pool k${l.kernel} s${l.stride} p${Object.values(l.pads)} g${l.global} ${post} ${shape}`;
  return `${l.kind} ${post} ${shape}`;
}

describe('zoo networks equal the ONNX fixtures', () => {
  for (const name of [
    'squeezenet1_1',
    'mobilenet_v2',
    'resnet18',
    'resnet50',
    'resnet101',
    'resnet152',
    'vgg16',
    'vdsr',
  ])
    it(name, () => {
      const zoo = zooNetwork(name).layers.map(signature);
      const onnx = loadOnnxFile(fixture(name)).layers.map(signature);
      expect(zoo).toEqual(onnx);
    });
});
