// Layer specifications for hand-written test networks.

import type { ConvLayer, EltwiseLayer, PoolLayer } from '../src/ir/network.js';
import { noPads } from '../src/ir/network.js';

/** A k x k convolution, stride 1, no padding, with bias, unless `extra` says otherwise. */
export function conv(
  name: string,
  input: string,
  out: number,
  k: number,
  extra: Partial<ConvLayer> = {},
): ConvLayer {
  return {
    kind: 'conv',
    name,
    inputs: [input],
    post: [],
    outChannels: out,
    kernel: [k, k],
    stride: [1, 1],
    dilation: [1, 1],
    pads: noPads,
    groups: 1,
    hasBias: true,
    fullyConnected: false,
    ...extra,
  };
}

/** A 2 x 2 stride-2 max pooling, unless `extra` says otherwise. */
export function pool(name: string, input: string, extra: Partial<PoolLayer> = {}): PoolLayer {
  return {
    kind: 'pool',
    name,
    inputs: [input],
    post: [],
    mode: 'max',
    kernel: [2, 2],
    stride: [2, 2],
    pads: noPads,
    ceilMode: false,
    countIncludePad: false,
    global: false,
    ...extra,
  };
}

/** The element-wise sum of two tensors (a residual join). */
export function add(name: string, a: string, b: string): EltwiseLayer {
  return { kind: 'eltwise', name, inputs: [a, b], post: [], op: 'add' };
}
