// A small fluent builder for the zoo: it keeps a cursor on the last tensor so chains read top to bottom,
// and `from` jumps back for branches. Zoo networks are shape-only, so no weights are ever attached.

import { buildNetwork } from '../../ir/build.js';
import type { LayerSpec, Network, Pads, Pair, PointwiseOp, Shape } from '../../ir/network.js';

export const relu: PointwiseOp = { op: 'relu' };
/** torchvision's ReLU6, exported to ONNX as Clip(0, 6). */
export const relu6: PointwiseOp = { op: 'clip', min: 0, max: 6 };
export const sigmoid: PointwiseOp = { op: 'sigmoid' };

export interface ConvOptions {
  stride?: number;
  /** Symmetric zero padding. */
  pad?: number;
  groups?: number;
  dilation?: number;
  /** Defaults to true: batch-norm folded into a bias-free convolution still leaves a bias. */
  bias?: boolean;
  post?: PointwiseOp[];
  /** The consumed tensor; defaults to the cursor. */
  input?: string;
}

export interface PoolOptions {
  stride?: number;
  pad?: number;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  input?: string;
}

const pair = (n: number): Pair => [n, n];
const pads = (n: number): Pads => ({ top: n, left: n, bottom: n, right: n });

export class NetBuilder {
  private readonly specs: LayerSpec[] = [];
  private cursor: string;

  constructor(
    private readonly name: string,
    private readonly input: { name: string; shape: Shape },
  ) {
    this.cursor = input.name;
  }

  /** The tensor the next layer consumes by default. */
  get last(): string {
    return this.cursor;
  }

  /** Moves the cursor, e.g. back to a block's input to build its shortcut. */
  from(tensor: string): this {
    this.cursor = tensor;
    return this;
  }

  private push(spec: LayerSpec): this {
    this.specs.push(spec);
    this.cursor = spec.name;
    return this;
  }

  conv(name: string, outChannels: number, kernel: number, o: ConvOptions = {}): this {
    return this.push({
      kind: 'conv',
      name,
      inputs: [o.input ?? this.cursor],
      post: o.post ?? [],
      outChannels,
      kernel: pair(kernel),
      stride: pair(o.stride ?? 1),
      dilation: pair(o.dilation ?? 1),
      pads: pads(o.pad ?? 0),
      groups: o.groups ?? 1,
      hasBias: o.bias ?? true,
      fullyConnected: false,
    });
  }

  /** Fully connected (Gemm / InnerProduct): build.ts sets the kernel to the input's extent. */
  fc(name: string, outChannels: number, o: { post?: PointwiseOp[]; input?: string } = {}): this {
    return this.push({
      kind: 'conv',
      name,
      inputs: [o.input ?? this.cursor],
      post: o.post ?? [],
      outChannels,
      kernel: [1, 1],
      stride: [1, 1],
      dilation: [1, 1],
      pads: pads(0),
      groups: 1,
      hasBias: true,
      fullyConnected: true,
    });
  }

  private pool(name: string, mode: 'max' | 'avg', kernel: number, o: PoolOptions, global: boolean): this {
    return this.push({
      kind: 'pool',
      name,
      inputs: [o.input ?? this.cursor],
      post: [],
      mode,
      kernel: pair(kernel),
      stride: pair(o.stride ?? kernel),
      pads: pads(o.pad ?? 0),
      ceilMode: o.ceilMode ?? false,
      countIncludePad: o.countIncludePad ?? false,
      global,
    });
  }

  /** Stride defaults to the kernel, as in PyTorch. */
  maxPool(name: string, kernel: number, o: PoolOptions = {}): this {
    return this.pool(name, 'max', kernel, o, false);
  }

  avgPool(name: string, kernel: number, o: PoolOptions = {}): this {
    return this.pool(name, 'avg', kernel, o, false);
  }

  globalAvgPool(name: string, o: { input?: string } = {}): this {
    return this.pool(name, 'avg', 1, o, true);
  }

  add(name: string, inputs: string[], post: PointwiseOp[] = []): this {
    return this.push({ kind: 'eltwise', name, inputs, post, op: 'add' });
  }

  concat(name: string, inputs: string[]): this {
    return this.push({ kind: 'concat', name, inputs, post: [] });
  }

  /** Channels [start, end) of the input. */
  slice(name: string, start: number, end: number, o: { input?: string } = {}): this {
    return this.push({ kind: 'slice', name, inputs: [o.input ?? this.cursor], post: [], start, end });
  }

  softmax(name: string, o: { input?: string } = {}): this {
    return this.push({ kind: 'softmax', name, inputs: [o.input ?? this.cursor], post: [] });
  }

  build(outputs?: string[]): Network {
    return buildNetwork(this.name, [this.input], this.specs, outputs);
  }
}
