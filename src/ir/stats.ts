// Per-layer and whole-network figures: shapes, MACs, parameters, activations.

import type { Layer, Network, Shape } from './network.js';
import { elements } from './network.js';

export interface LayerStats {
  name: string;
  kind: string;
  inputShapes: Shape[];
  outputShape: Shape;
  /**
   * Multiply-accumulates of convolutions and fully connected layers (pooling, affine etc. count 0, as
   * the published MAC counts of the fixtures do).
   */
  macs: number;
  weightElements: number;
  biasElements: number;
  outputElements: number;
}

export interface NetworkStats {
  layers: LayerStats[];
  macs: number;
  /** Weights plus biases; a tensor shared by several layers (sharedWeights/sharedBias) counts once. */
  parameters: number;
  /** Elements of all layer outputs. */
  activations: number;
  inputElements: number;
}

/** The shape of every tensor, by name. */
export function tensorShapes(net: Network): Map<string, Shape> {
  const m = new Map<string, Shape>();
  for (const t of net.inputs) m.set(t.name, t.shape);
  for (const l of net.layers) m.set(l.name, l.shape);
  return m;
}

/** For every tensor, the layers that read it (in network order). */
export function consumersOf(net: Network): Map<string, Layer[]> {
  const m = new Map<string, Layer[]>();
  for (const l of net.layers)
    for (const t of new Set(l.inputs)) {
      const list = m.get(t) ?? [];
      list.push(l);
      m.set(t, list);
    }
  return m;
}

/** Display name of a layer's type; `inChannels` tells depthwise from grouped convolutions. */
export function layerType(l: Layer, inChannels: number): string {
  switch (l.kind) {
    case 'conv':
      if (l.fullyConnected) return 'fc';
      if (l.groups > 1) return l.groups === inChannels ? 'conv-dw' : 'conv-group';
      return 'conv';
    case 'pool':
      return `${l.global ? 'global-' : ''}${l.mode}pool`;
    case 'eltwise':
      return l.op;
    default:
      return l.kind;
  }
}

export function layerStats(l: Layer, shapes: Map<string, Shape>): LayerStats {
  const inputShapes = l.inputs.map((t) => shapes.get(t)!);
  let macs = 0;
  let weightElements = 0;
  let biasElements = 0;
  if (l.kind === 'conv') {
    const cin = inputShapes[0]!.c;
    weightElements = (l.outChannels * cin * l.kernel[0] * l.kernel[1]) / l.groups;
    biasElements = l.hasBias ? l.outChannels : 0;
    macs = l.shape.h * l.shape.w * weightElements;
  } else if (l.kind === 'affine') {
    // scale and shift per channel, as weight and bias
    weightElements = l.shape.c;
    biasElements = l.shape.c;
  }
  return {
    name: l.name,
    kind: layerType(l, inputShapes[0]?.c ?? 0),
    inputShapes,
    outputShape: l.shape,
    macs,
    weightElements,
    biasElements,
    outputElements: elements(l.shape),
  };
}

export function networkStats(net: Network): NetworkStats {
  const shapes = tensorShapes(net);
  const layers = net.layers.map((l) => layerStats(l, shapes));
  const sum = (f: (s: LayerStats) => number) => layers.reduce((n, s) => n + f(s), 0);
  const counted = new Set<string>();
  const once = (key: string | undefined, n: number): number => {
    if (key === undefined) return n;
    if (counted.has(key)) return 0;
    counted.add(key);
    return n;
  };
  let parameters = 0;
  net.layers.forEach((l, i) => {
    const s = layers[i]!;
    if (l.kind === 'conv')
      parameters += once(l.sharedWeights, s.weightElements) + once(l.sharedBias, s.biasElements);
    else parameters += s.weightElements + s.biasElements;
  });
  return {
    layers,
    macs: sum((s) => s.macs),
    parameters,
    activations: sum((s) => s.outputElements),
    inputElements: net.inputs.reduce((n, t) => n + elements(t.shape), 0),
  };
}
