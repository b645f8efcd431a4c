// ONNX frontend: turns an ONNX model into the network IR at batch 1.
// Constants, and the shape arithmetic exporters derive from Shape, are evaluated while loading;
// Identity/Dropout become aliases; point-wise operators (also when written out as several nodes),
// batch-norm (an affine layer where it cannot be), constant Add/Sub/Mul/Div, Pad and Flatten/Reshape
// are folded into neighbouring layers, so every IR layer is one real operation. Anything that cannot be
// represented exactly is an error.

import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import protobuf from 'protobufjs';
import { buildNetwork, inferShape, windowOutput } from '../../ir/build.js';
import { InputError } from '../../ir/errors.js';
import { batchNormAffine, composeAffine, foldAffineIntoConv } from '../../ir/fold.js';
import type {
  AffineLayer,
  ConvLayer,
  LayerSpec,
  Network,
  Pads,
  PointwiseOp,
  Shape,
  TensorInput,
} from '../../ir/network.js';
import { addPads, noPads, shapeText } from '../../ir/network.js';
import { type ConstTensor, evaluate, FOLDABLE } from './constfold.js';
import {
  type Attribute,
  AttributeType,
  DataLocation,
  DataType,
  type Dimension,
  decodeModel,
  type Graph,
  type Model,
  type Node,
  type Tensor,
  type ValueInfo,
} from './schema.js';

/** Reads and converts an ONNX file; external tensor data is looked up next to it. */
export function loadOnnxFile(path: string): Network {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(`cannot read the model: ${ioReason(e)}`, { file: path });
  }
  return loadOnnx(bytes, path, dirname(path));
}

/**
 * Converts ONNX bytes. `file` names the model in errors (and the network); `baseDir` is where
 * external data files are resolved (without it, a model with external data is an error).
 */
export function loadOnnx(bytes: Uint8Array, file: string, baseDir?: string): Network {
  try {
    const model = decode(bytes);
    return new Converter(model, networkName(file), baseDir).convert();
  } catch (e) {
    if (e instanceof InputError) throw printable(e.inFile(file));
    throw e;
  }
}

/** Names come from the file and may hold control characters; errors must stay one line. */
function printable(e: InputError): InputError {
  const clean = (s: string) =>
    Array.from(s, (ch) => {
      const code = ch.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
    }).join('');
  const message = clean(e.message);
  const node = e.node === undefined ? undefined : clean(e.node);
  if (message === e.message && node === e.node) return e;
  return new InputError(message, { file: e.file, node });
}

function networkName(file: string): string {
  return basename(file).replace(/\.onnx$/i, '') || 'onnx';
}

function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EISDIR') return 'it is a directory';
  if (err?.code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message.split('\n')[0]! : String(e);
}

function decode(bytes: Uint8Array): Model {
  if (bytes.length === 0) throw new InputError('not an ONNX model: the file is empty');
  let model: Model;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    if (nestedTooDeeply(e))
      throw new InputError(
        `messages (subgraphs, attributes or groups) are nested more than ${protobuf.util.recursionLimit} deep`,
      );
    // protobufjs reports a field that runs past the end of the buffer as "index out of range".
    if (/index out of range/i.test(message))
      throw new InputError(
        `truncated or corrupt ONNX file: a field runs past the end of the ${bytes.length} bytes`,
      );
    throw new InputError(`not an ONNX model: the protobuf does not decode (${message})`);
  }
  const ir = model.ir_version;
  if (ir === undefined || !Number.isInteger(ir) || ir < 1 || ir > 100)
    throw new InputError('not an ONNX model: it has no valid IR version');
  if (model.graph === undefined) throw new InputError('not an ONNX model: it has no graph');
  return model;
}

/** protobufjs stops at its recursion limit; a stack overflow is the same failure reached another way. */
function nestedTooDeeply(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  return /max depth exceeded/.test(e.message) || (e instanceof RangeError && /call stack/.test(e.message));
}

// ---------------------------------------------------------------------------------------------
// Values: what an ONNX tensor name stands for while converting.

/** Rank of the ONNX view of an IR tensor: [1,C,H,W], or [1,C*H*W] after Flatten/Reshape. */
type Rank = 2 | 4;

interface TensorData {
  /** Floating-point data as float32. */
  floats?: Float32Array;
  /** Integer (and bool) data. */
  ints?: number[];
}

interface Constant {
  name: string;
  dims: number[];
  proto?: Tensor;
  /** Decoded data: undefined until read, null when the tensor carries no data (shape-only model). */
  data?: TensorData | null;
}

type Value =
  | { kind: 'tensor'; tensor: string; rank: Rank }
  | { kind: 'const'; constant: Constant }
  /** Zero padding waiting for the Conv/AveragePool that absorbs it. */
  | { kind: 'padded'; tensor: string; pads: Pads }
  /** First two steps of a channel shuffle: Reshape to [1,g,C/g,H,W], then Transpose. */
  | { kind: 'grouped'; tensor: string; groups: number }
  | { kind: 'transposed'; tensor: string; groups: number };

interface NodeInfo {
  node: Node;
  op: string;
  /** The node's name, or op type and index in the file when unnamed: used in errors. */
  label: string;
  index: number;
  /** Inputs with Identity/Dropout aliases resolved; '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
}

interface TensorRef {
  tensor: string;
  rank: Rank;
  shape: Shape;
}

const FLOAT_MAX = 3.4028234663852886e38;
const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);
/** Consumers a Pad may feed; MaxPool is listed so that it can explain why it cannot absorb one. */
const PAD_READERS = new Set(['Conv', 'AveragePool', 'MaxPool', 'Pad']);

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function dimsText(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

function utf8(bytes: Uint8Array | undefined): string {
  return bytes ? new TextDecoder().decode(bytes) : '';
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** IEEE 754 half precision bits to a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function bfloat16ToFloat(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);

/** Bytes per element in raw_data. */
const ELEMENT_BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4,
  [DataType.DOUBLE]: 8,
  [DataType.FLOAT16]: 2,
  [DataType.BFLOAT16]: 2,
  [DataType.INT64]: 8,
  [DataType.UINT64]: 8,
  [DataType.INT32]: 4,
  [DataType.UINT32]: 4,
  [DataType.INT16]: 2,
  [DataType.UINT16]: 2,
  [DataType.INT8]: 1,
  [DataType.UINT8]: 1,
  [DataType.BOOL]: 1,
};

function fail(info: NodeInfo | undefined, message: string): never {
  throw new InputError(message, { node: info?.label });
}

/** Runs an IR check, reporting its failure at the ONNX node (the IR names the layer, which may differ). */
function atNode<T>(info: NodeInfo, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && e.node !== info.label)
      throw new InputError(e.message, { node: info.label });
    throw e;
  }
}

function need(condition: unknown, info: NodeInfo | undefined, message: string): asserts condition {
  if (!condition) fail(info, message);
}

/** Typed access to a node's attributes. */
class Attrs {
  private readonly byName = new Map<string, Attribute>();

  constructor(private readonly info: NodeInfo) {
    for (const a of info.node.attribute) if (a.name) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: number, what: string): Attribute | undefined {
    const a = this.byName.get(name);
    if (a === undefined) return undefined;
    if (a.ref_attr_name) fail(this.info, `attribute '${name}' refers to a function attribute`);
    need(
      a.type === undefined || a.type === AttributeType.UNDEFINED || a.type === type,
      this.info,
      `attribute '${name}' must be ${what}`,
    );
    return a;
  }

  int(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.INT, 'an integer');
    return a === undefined ? fallback : (a.i ?? 0);
  }

  float(name: string, fallback: number): number {
    const a = this.get(name, AttributeType.FLOAT, 'a float');
    return a === undefined ? fallback : (a.f ?? 0);
  }

  string(name: string, fallback: string): string {
    const a = this.get(name, AttributeType.STRING, 'a string');
    return a === undefined ? fallback : utf8(a.s);
  }

  ints(name: string): number[] | undefined {
    return this.get(name, AttributeType.INTS, 'a list of integers')?.ints;
  }

  floats(name: string): number[] | undefined {
    return this.get(name, AttributeType.FLOATS, 'a list of floats')?.floats;
  }

  tensor(name: string): Tensor | undefined {
    const a = this.get(name, AttributeType.TENSOR, 'a tensor');
    if (a === undefined) return undefined;
    need(a.t !== undefined, this.info, `attribute '${name}' has no tensor`);
    return a.t;
  }

  /** A [height, width] pair (strides, dilations), defaulting to [1, 1]. */
  pair(name: string): [number, number] {
    const v = this.ints(name);
    if (v === undefined) return [1, 1];
    need(
      v.length === 2 && v.every((x) => Number.isInteger(x) && x >= 1),
      this.info,
      `attribute '${name}' must be two positive integers (2-D only), got ${dimsText(v)}`,
    );
    return [v[0]!, v[1]!];
  }
}

// ---------------------------------------------------------------------------------------------

class Converter {
  private readonly graph: Graph;
  private readonly opset: number;
  private readonly values = new Map<string, Value>();
  /** Consumers of each ONNX value (after alias resolution); graph outputs count as consumers. */
  private readonly uses = new Map<string, number>();
  private readonly consumers = new Map<string, NodeInfo[]>();
  private readonly graphOutputs = new Set<string>();
  private readonly specs: LayerSpec[] = [];
  private readonly layers = new Map<string, LayerSpec>();
  private readonly shapes = new Map<string, Shape>();
  /** ONNX values that are views of an IR tensor (its producer's output, aliases, flattenings). */
  private readonly views = new Map<string, string[]>();
  /** Uses of an IR tensor's views by nodes that only made further views of it. */
  private readonly internalUses = new Map<string, number>();
  private readonly takenNames = new Set<string>();
  private readonly nodeNameCount = new Map<string, number>();
  /** Nodes of a written-out activation after its first one: views of the tensor it was folded into. */
  private readonly activationNodes = new Map<NodeInfo, string>();
  private readonly producers = new Map<string, NodeInfo>();
  private readonly externalFiles = new Map<string, { path: string; size: number }>();
  private readonly aliases = new Map<string, string>();
  private readonly handlers = new Map<string, (info: NodeInfo, attrs: Attrs) => void>([
    ['Conv', (n, a) => this.conv(n, a)],
    ['Gemm', (n, a) => this.gemm(n, a)],
    ['MatMul', (n) => this.matMul(n)],
    ['MaxPool', (n, a) => this.pool(n, a, 'max')],
    ['AveragePool', (n, a) => this.pool(n, a, 'avg')],
    ['GlobalAveragePool', (n) => this.globalPool(n, 'avg', true)],
    ['GlobalMaxPool', (n) => this.globalPool(n, 'max', true)],
    ['ReduceMean', (n, a) => this.reduceMean(n, a)],
    ['Add', (n) => this.binary(n, 'add')],
    ['Sub', (n) => this.binary(n, 'sub')],
    ['Mul', (n) => this.binary(n, 'mul')],
    ['Div', (n) => this.binary(n, 'div')],
    ['Sum', (n) => this.eltwise(n, 'add')],
    ['Concat', (n, a) => this.concat(n, a)],
    ['Split', (n, a) => this.split(n, a)],
    ['Slice', (n, a) => this.slice(n, a)],
    ['Relu', (n) => this.pointwise(n, { op: 'relu' })],
    ['Sigmoid', (n) => this.pointwise(n, { op: 'sigmoid' })],
    ['HardSwish', (n) => this.pointwise(n, { op: 'hardswish' })],
    ['Swish', (n, a) => this.swish(n, a)],
    ['HardSigmoid', (n, a) => this.hardSigmoid(n, a)],
    ['Clip', (n, a) => this.clip(n, a)],
    ['BatchNormalization', (n, a) => this.batchNorm(n, a)],
    ['Flatten', (n, a) => this.flatten(n, a)],
    ['Reshape', (n, a) => this.reshape(n, a)],
    ['Transpose', (n, a) => this.transpose(n, a)],
    ['Squeeze', (n, a) => this.squeeze(n, a)],
    ['Unsqueeze', (n, a) => this.squeeze(n, a)],
    ['Constant', (n, a) => this.constant(n, a)],
    ['Pad', (n, a) => this.pad(n, a)],
    ['Shape', (n, a) => this.shapeOf(n, a)],
    ['Size', (n, a) => this.shapeOf(n, a)],
    ['Softmax', (n, a) => this.softmax(n, a)],
  ]);

  constructor(
    model: Model,
    private readonly name: string,
    private readonly baseDir: string | undefined,
  ) {
    this.graph = model.graph!;
    const opsets = model.opset_import.filter((o) => DEFAULT_DOMAINS.has(o.domain ?? ''));
    // Models without an opset entry predate them; the opset only changes Softmax's default axis.
    this.opset = opsets.length > 0 ? Math.max(...opsets.map((o) => o.version ?? 1)) : 1;
  }

  convert(): Network {
    const graph = this.graph;
    need(graph.node.length > 0, undefined, 'the graph has no nodes');
    for (const t of graph.initializer) {
      need(t.name, undefined, 'an initializer has no name');
      this.values.set(t.name, { kind: 'const', constant: { name: t.name, dims: this.dims(t), proto: t } });
    }
    const inputs = this.inputs();
    for (const n of graph.node)
      if (n.name) this.nodeNameCount.set(n.name, (this.nodeNameCount.get(n.name) ?? 0) + 1);
    for (const [n, count] of this.nodeNameCount) if (count === 1) this.takenNames.add(n);

    const nodes = this.removeAliases(this.sortNodes());
    for (const info of nodes) for (const o of info.outputs) if (o) this.producers.set(o, info);
    for (const info of nodes)
      for (const t of info.inputs)
        if (t) {
          this.uses.set(t, (this.uses.get(t) ?? 0) + 1);
          const list = this.consumers.get(t) ?? [];
          list.push(info);
          this.consumers.set(t, list);
        }
    const outputNames = graph.output.map((o) => {
      need(o.name, undefined, 'a graph output has no name');
      const resolved = this.resolve(o.name);
      this.graphOutputs.add(resolved);
      this.uses.set(resolved, (this.uses.get(resolved) ?? 0) + 1);
      return resolved;
    });
    need(outputNames.length > 0, undefined, 'the graph has no outputs');

    for (const info of nodes) this.convertNode(info);

    const outputs: string[] = [];
    graph.output.forEach((o, i) => {
      const tensor = this.outputTensor(o, outputNames[i]!);
      if (!outputs.includes(tensor)) outputs.push(tensor);
    });
    need(this.specs.length > 0, undefined, 'the graph computes nothing (no layers)');
    return buildNetwork(this.name, inputs, this.specs, outputs);
  }

  // --- graph structure ------------------------------------------------------------------------

  private dims(t: Tensor): number[] {
    for (const d of t.dims)
      need(
        Number.isInteger(d) && d >= 0,
        undefined,
        `tensor '${t.name}' has invalid dims ${dimsText(t.dims)}`,
      );
    return t.dims;
  }

  private inputs(): TensorInput[] {
    const result: TensorInput[] = [];
    for (const vi of this.graph.input) {
      need(vi.name, undefined, 'a graph input has no name');
      if (this.values.has(vi.name)) continue; // an initializer listed as input (older exporters)
      const { shape, rank } = inputShape(vi);
      result.push({ name: vi.name, shape });
      this.shapes.set(vi.name, shape);
      this.values.set(vi.name, { kind: 'tensor', tensor: vi.name, rank });
      this.views.set(vi.name, [vi.name]);
      this.takenNames.add(vi.name);
    }
    need(result.length > 0, undefined, 'the graph has no inputs (besides initializers)');
    return result;
  }

  private label(node: Node, index: number): string {
    return node.name || `${node.op_type || 'node'}_${index}`;
  }

  /** Nodes in dependency order (the file's order where possible); rejects undefined inputs and cycles. */
  private sortNodes(): NodeInfo[] {
    const infos: NodeInfo[] = this.graph.node.map((node, index) => ({
      node,
      op: node.op_type ?? '',
      label: this.label(node, index),
      index,
      inputs: node.input,
      outputs: node.output,
    }));
    const producer = new Map<string, number>();
    infos.forEach((info, i) => {
      need(info.op, info, 'the node has no op_type');
      for (const o of info.outputs) {
        if (!o) continue;
        need(
          !producer.has(o) && !this.values.has(o),
          info,
          `value '${o}' is produced twice (by this node and ${producer.has(o) ? `node '${infos[producer.get(o)!]!.label}'` : 'as a graph input or initializer'})`,
        );
        producer.set(o, i);
      }
    });
    const pending = infos.map(() => 0);
    const dependents = infos.map(() => [] as number[]);
    infos.forEach((info, i) => {
      for (const t of new Set(info.inputs)) {
        if (!t || this.values.has(t)) continue;
        const p = producer.get(t);
        need(
          p !== undefined,
          info,
          `input '${t}' is not a graph input, an initializer or the output of any node`,
        );
        pending[i]! += 1;
        dependents[p]!.push(i);
      }
    });
    // Kahn's algorithm; the smallest index first keeps an already sorted file in its order.
    const ready = new MinHeap();
    pending.forEach((n, i) => {
      if (n === 0) ready.push(i);
    });
    const order: NodeInfo[] = [];
    while (ready.size > 0) {
      const i = ready.pop();
      order.push(infos[i]!);
      for (const d of dependents[i]!) {
        pending[d]! -= 1;
        if (pending[d] === 0) ready.push(d);
      }
    }
    if (order.length < infos.length) {
      const stuck = infos.filter((_, i) => pending[i]! > 0);
      fail(
        stuck[0],
        `the graph has a cycle through ${stuck
          .slice(0, 5)
          .map((s) => `'${s.label}'`)
          .join(', ')}`,
      );
    }
    return order;
  }

  private resolve(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  /** Drops Identity and Dropout (inference), pointing their consumers at the source tensor. */
  private removeAliases(order: NodeInfo[]): NodeInfo[] {
    const used = new Set<string>([
      ...order.flatMap((n) => n.inputs),
      ...this.graph.output.map((o) => o.name ?? ''),
    ]);
    const kept: NodeInfo[] = [];
    for (const info of order) {
      const domainOk = DEFAULT_DOMAINS.has(info.node.domain ?? '');
      if (domainOk && (info.op === 'Identity' || info.op === 'Dropout')) {
        need(info.inputs[0], info, `${info.op} has no input`);
        need(info.outputs[0], info, `${info.op} has no output`);
        if (info.op === 'Dropout')
          need(
            !info.outputs[1] || !used.has(info.outputs[1]),
            info,
            `the mask output of Dropout is not supported`,
          );
        this.aliases.set(info.outputs[0], this.resolve(info.inputs[0]));
        continue;
      }
      kept.push(info);
    }
    for (const info of kept) info.inputs = info.inputs.map((t) => (t ? this.resolve(t) : t));
    return kept;
  }

  private outputTensor(vi: ValueInfo, resolved: string): string {
    const v = this.values.get(resolved);
    const what = `graph output '${vi.name}'`;
    need(v !== undefined, undefined, `${what} is not computed by any supported node`);
    need(v.kind === 'tensor', undefined, `${what} is ${describe(v)}, not a feature map`);
    need(this.layers.has(v.tensor), undefined, `${what} is the network input '${v.tensor}' itself`);
    const shape = this.shapes.get(v.tensor)!;
    const declared = vi.type?.tensor_type?.shape?.dim;
    if (declared && declared.length >= 2 && declared.slice(1).every((d) => (d.dim_value ?? 0) > 0)) {
      const dims = declared.slice(1).map((d) => d.dim_value!);
      const ok =
        dims.length === 3
          ? sameList(dims, [shape.c, shape.h, shape.w])
          : product(dims) === shape.c * shape.h * shape.w;
      need(
        ok,
        undefined,
        `${what} is declared ${dimsText(declared.map(dimText))} but the network computes ${shapeText(shape)}`,
      );
    }
    return v.tensor;
  }

  // --- layers, views, names -------------------------------------------------------------------

  private layerName(info: NodeInfo, suffix?: string): string {
    const own = info.node.name;
    const ownUnique =
      own !== undefined && own !== '' && this.nodeNameCount.get(own) === 1 && !this.shapes.has(own);
    if (suffix === undefined && ownUnique && !this.layers.has(own)) return own;
    const base =
      suffix === undefined
        ? `${info.op}_${info.index}`
        : `${ownUnique ? own : `${info.op}_${info.index}`}_${suffix}`;
    let name = base;
    for (let k = 2; this.takenNames.has(name); k++) name = `${base}_${k}`;
    this.takenNames.add(name);
    return name;
  }

  private addLayer(info: NodeInfo, spec: LayerSpec): LayerSpec {
    const layer = atNode(info, () =>
      inferShape(
        spec,
        spec.inputs.map((t) => this.shapes.get(t)!),
      ),
    );
    this.shapes.set(spec.name, layer.shape);
    this.specs.push(spec);
    this.layers.set(spec.name, spec);
    return spec;
  }

  /** Output `k` of the node is the new IR tensor `tensor`. */
  private defineLayerOutput(info: NodeInfo, k: number, tensor: string, rank: Rank): void {
    const out = info.outputs[k];
    this.views.set(tensor, out ? [out] : []);
    this.internalUses.set(tensor, 0);
    if (out) this.values.set(out, { kind: 'tensor', tensor, rank });
  }

  /** Output `k` of the node is another view of an existing IR tensor (alias, flattening, folded op). */
  private defineView(info: NodeInfo, k: number, tensor: string, rank: Rank): void {
    const out = info.outputs[k];
    const views = this.views.get(tensor)!;
    const consumed = info.inputs.filter((t) => t && views.includes(t)).length;
    this.internalUses.set(tensor, (this.internalUses.get(tensor) ?? 0) + consumed);
    if (!out) return;
    views.push(out);
    this.values.set(out, { kind: 'tensor', tensor, rank });
  }

  /** How many operations read an IR tensor, whichever view they use (network outputs included). */
  private usesOf(tensor: string): number {
    const views = this.views.get(tensor) ?? [];
    return views.reduce((n, v) => n + (this.uses.get(v) ?? 0), 0) - (this.internalUses.get(tensor) ?? 0);
  }

  private value(info: NodeInfo, i: number): Value {
    const name = info.inputs[i];
    need(name, info, `input ${i + 1} is missing`);
    const v = this.values.get(name);
    need(v !== undefined, info, `input '${name}' is not produced by a supported node`);
    return v;
  }

  private tensorIn(info: NodeInfo, i: number): TensorRef {
    const v = this.value(info, i);
    need(v.kind === 'tensor', info, `input '${info.inputs[i]}' is ${describe(v)}, not a feature map`);
    return { tensor: v.tensor, rank: v.rank, shape: this.shapes.get(v.tensor)! };
  }

  /** A 4-D input, possibly with zero padding from a Pad node still to be absorbed. */
  private spatialIn(info: NodeInfo, i: number): TensorRef & { extra: Pads } {
    const v = this.value(info, i);
    if (v.kind === 'padded')
      return { tensor: v.tensor, rank: 4, shape: this.shapes.get(v.tensor)!, extra: v.pads };
    const ref = this.tensorIn(info, i);
    need(ref.rank === 4, info, `${info.op} needs a 4-D input [N,C,H,W], '${info.inputs[i]}' is 2-D`);
    return { ...ref, extra: noPads };
  }

  private constIn(info: NodeInfo, i: number, what: string): Constant {
    const v = this.value(info, i);
    need(
      v.kind === 'const',
      info,
      `the ${what} (input ${i + 1}, '${info.inputs[i]}') must be a constant (initializer or Constant), it is ${describe(v)}`,
    );
    return v.constant;
  }

  /** Whether optional input i is given. */
  private hasInput(info: NodeInfo, i: number): boolean {
    return Boolean(info.inputs[i]);
  }

  private data(c: Constant, info: NodeInfo): TensorData | undefined {
    if (c.data === undefined) {
      const proto = c.proto;
      c.data = proto ? atNode(info, () => this.decodeTensor(proto, c.name)) : null;
    }
    return c.data ?? undefined;
  }

  /** Float data of a constant, or undefined in a shape-only model. */
  private floats(c: Constant, info: NodeInfo, what: string): Float32Array | undefined {
    const d = this.data(c, info);
    if (d === undefined) return undefined;
    need(d.floats, info, `the ${what} '${c.name}' must be floating point`);
    return d.floats;
  }

  /** Integer data of a constant that the conversion needs (shapes, indices, bounds). */
  private ints(c: Constant, info: NodeInfo, what: string): number[] {
    const d = this.data(c, info);
    need(d !== undefined, info, `the ${what} '${c.name}' has no data (a shape-only model?)`);
    if (d.ints) return d.ints;
    const f = Array.from(d.floats ?? []);
    need(f.every(Number.isInteger), info, `the ${what} '${c.name}' must be integers`);
    return f;
  }

  private intsIn(info: NodeInfo, i: number, what: string): number[] {
    return this.ints(this.constIn(info, i, what), info, what);
  }

  private scalarIn(info: NodeInfo, i: number, what: string): number {
    const c = this.constIn(info, i, what);
    need(
      product(c.dims) === 1,
      info,
      `the ${what} '${c.name}' must be a scalar, it has dims ${dimsText(c.dims)}`,
    );
    const d = this.data(c, info);
    need(d !== undefined, info, `the ${what} '${c.name}' has no data (a shape-only model?)`);
    return d.floats ? d.floats[0]! : d.ints![0]!;
  }

  /** Axes from an attribute (older opsets) or an input (newer ones). */
  private axes(info: NodeInfo, attrs: Attrs, input: number): number[] | undefined {
    if (this.hasInput(info, input)) return this.intsIn(info, input, 'axes');
    return attrs.ints('axes');
  }

  // --- tensor data ----------------------------------------------------------------------------

  private decodeTensor(t: Tensor, name: string): TensorData | null {
    const count = product(t.dims);
    const type = t.data_type ?? DataType.UNDEFINED;
    let bytes: Uint8Array | undefined;
    if (t.data_location === DataLocation.EXTERNAL) bytes = this.externalBytes(t, name);
    else if (t.raw_data !== undefined && t.raw_data.length > 0) bytes = t.raw_data;
    if (bytes !== undefined) return rawData(bytes, type, count, name);
    let list: number[];
    switch (type) {
      case DataType.FLOAT:
        list = t.float_data;
        break;
      case DataType.DOUBLE:
        list = t.double_data;
        break;
      case DataType.INT64:
        list = t.int64_data;
        break;
      case DataType.UINT32:
      case DataType.UINT64:
        list = t.uint64_data;
        break;
      case DataType.INT32:
      case DataType.INT16:
      case DataType.INT8:
      case DataType.UINT16:
      case DataType.UINT8:
      case DataType.BOOL:
      case DataType.FLOAT16:
      case DataType.BFLOAT16:
        list = t.int32_data;
        break;
      default:
        throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
    }
    if (list.length === 0) return count === 0 ? { floats: new Float32Array(0) } : null;
    if (list.length !== count)
      throw new InputError(
        `tensor '${name}' has ${list.length} values, its dims ${dimsText(t.dims)} need ${count}`,
      );
    if (type === DataType.FLOAT16) return { floats: Float32Array.from(list, halfToFloat) };
    if (type === DataType.BFLOAT16) return { floats: Float32Array.from(list, bfloat16ToFloat) };
    return FLOAT_TYPES.has(type) ? { floats: Float32Array.from(list) } : { ints: list.slice() };
  }

  /**
   * The bytes of a tensor stored outside the model. The location must be a relative path to a regular
   * file inside the model's folder (no absolute path, no '..', no symbolic link out of it), and the
   * range must hold exactly the tensor's bytes: a model must not make us read /dev/urandom or
   * ~/.ssh (CVE-2024-27318). Only that range is read.
   */
  private externalBytes(t: Tensor, name: string): Uint8Array {
    const entries = new Map(t.external_data.map((e) => [e.key ?? '', e.value ?? '']));
    const location = entries.get('location');
    if (!location) throw new InputError(`tensor '${name}' is external but names no location`);
    const number = (key: string): number | undefined => {
      const s = entries.get(key);
      if (s === undefined || s === '') return undefined;
      if (!/^\d+$/.test(s))
        throw new InputError(`tensor '${name}': external data ${key} '${s}' is not a number`);
      if (!Number.isSafeInteger(Number(s)))
        throw new InputError(`tensor '${name}': external data ${key} '${s}' is beyond any file`);
      return Number(s);
    };
    const offset = number('offset') ?? 0;
    const length = number('length');
    const type = t.data_type ?? DataType.UNDEFINED;
    const size = ELEMENT_BYTES[type];
    if (size === undefined) throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
    const count = product(t.dims);
    const need = count * size;
    if (!t.dims.every((d) => Number.isInteger(d) && d >= 0) || !Number.isSafeInteger(need))
      throw new InputError(`tensor '${name}' has invalid dims ${dimsText(t.dims)}`);
    if (length !== undefined && length !== need)
      throw new InputError(
        `tensor '${name}': external data length ${length} does not match its dims ${dimsText(t.dims)} (${need} bytes)`,
      );
    const file = this.externalFile(location, name);
    const end = offset + need;
    // Without a length the tensor runs to the end of the file, as the ONNX reference reads it.
    if (length === undefined && end < file.size)
      throw new InputError(
        `tensor '${name}': external data file '${location}' holds ${file.size - offset} bytes from offset ${offset}, its dims ${dimsText(t.dims)} need ${need}`,
      );
    if (end > file.size)
      throw new InputError(
        `tensor '${name}': external data file '${location}' is truncated: needs bytes ${offset}..${end}, it has ${file.size}`,
      );
    const bytes = new Uint8Array(need);
    const fd = openSync(file.path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      for (let done = 0; done < need; ) {
        const n = readSync(fd, bytes, done, Math.min(need - done, 1 << 30), offset + done);
        if (n === 0)
          throw new InputError(`tensor '${name}': external data file '${location}' ended while being read`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return bytes;
  }

  /** Where an external data location leads, checked to be a regular file inside the model's folder. */
  private externalFile(location: string, name: string): { path: string; size: number } {
    const known = this.externalFiles.get(location);
    if (known !== undefined) return known;
    const bad = (why: string) =>
      new InputError(`tensor '${name}': external data location '${location}' ${why}`);
    if (location.startsWith('/') || /^[A-Za-z]:/.test(location) || location.includes('\\'))
      throw bad("is not a relative path; it must name a file in the model's folder");
    if (location.includes('\0')) throw bad('holds a NUL character');
    if (location.split('/').includes('..')) throw bad("leaves the model's folder ('..')");
    if (this.baseDir === undefined)
      throw new InputError(
        `tensor '${name}' is stored in the external file '${location}' but the model's folder is unknown`,
      );
    let path: string;
    let size: number;
    try {
      const folder = realpathSync(this.baseDir);
      path = realpathSync(resolve(folder, location));
      if (!path.startsWith(folder + sep)) throw bad("is a symbolic link out of the model's folder");
      // Opened without blocking and checked on the descriptor: a FIFO or device must not hang us.
      const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const stat = fstatSync(fd);
        if (!stat.isFile()) throw bad('is not a regular file');
        size = stat.size;
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`tensor '${name}': cannot read external data file '${location}': ${ioReason(e)}`);
    }
    const file = { path, size };
    this.externalFiles.set(location, file);
    return file;
  }

  // --- operators ------------------------------------------------------------------------------

  private convertNode(info: NodeInfo): void {
    const folded = this.activationNodes.get(info);
    if (folded !== undefined) {
      const v = this.values.get(folded);
      if (v?.kind === 'tensor') this.defineView(info, 0, v.tensor, v.rank);
      return;
    }
    const domain = info.node.domain ?? '';
    if (!DEFAULT_DOMAINS.has(domain)) fail(info, `unsupported operator '${domain}.${info.op}'`);
    const attrs = new Attrs(info);
    if (FOLDABLE.has(info.op) && this.foldConstants(info, attrs)) return;
    const handler = this.handlers.get(info.op);
    if (handler === undefined) fail(info, `unsupported operator '${info.op}'`);
    if (this.writtenOutActivation(info)) return;
    handler(info, attrs);
  }

  // --- constant subgraphs ---------------------------------------------------------------------

  /** Evaluates a node whose inputs are all constants (shape arithmetic); false when one is not. */
  private foldConstants(info: NodeInfo, attrs: Attrs): boolean {
    const given = info.inputs.filter((t) => t);
    if (given.length === 0 || !given.every((t) => this.values.get(t)?.kind === 'const')) return false;
    const inputs = info.inputs.map((t) => {
      if (!t) return undefined;
      const c = (this.values.get(t) as { constant: Constant }).constant;
      const d = this.data(c, info);
      need(
        d !== undefined,
        info,
        `cannot evaluate ${info.op}: the constant '${c.name}' has no data (a shape-only model?)`,
      );
      return { dims: c.dims, ...d };
    });
    this.setConstant(
      info,
      atNode(info, () => evaluate(info.op, inputs, this.foldAttrs(info, attrs))),
    );
    return true;
  }

  private foldAttrs(info: NodeInfo, attrs: Attrs) {
    return {
      has: (name: string) => attrs.has(name),
      int: (name: string, fallback: number) => attrs.int(name, fallback),
      ints: (name: string) => attrs.ints(name),
      float: (name: string, fallback: number) => attrs.float(name, fallback),
      tensor: (name: string): ConstTensor | undefined => {
        const t = attrs.tensor(name);
        if (t === undefined) return undefined;
        const d = atNode(info, () => this.decodeTensor(t, `${info.label}.${name}`));
        need(d !== null, info, `attribute '${name}' has no data`);
        return { dims: this.dims(t), ...d };
      },
    };
  }

  private setConstant(info: NodeInfo, t: ConstTensor): void {
    const out = info.outputs[0];
    if (!out) return;
    const data: TensorData = t.floats ? { floats: t.floats } : { ints: t.ints ?? [] };
    this.values.set(out, { kind: 'const', constant: { name: out, dims: t.dims, data } });
  }

  /** Shape (or Size) of a feature map as ONNX sees it: a constant, since the input shape is fixed. */
  private shapeOf(info: NodeInfo, attrs: Attrs): void {
    const v = this.value(info, 0);
    let dims: number[];
    if (v.kind === 'tensor') {
      const { c, h, w } = this.shapes.get(v.tensor)!;
      dims = v.rank === 4 ? [1, c, h, w] : [1, c * h * w];
      // Reading a shape is no use of the data: it must not block folding into the producer.
      this.internalUses.set(v.tensor, (this.internalUses.get(v.tensor) ?? 0) + 1);
    } else if (v.kind === 'grouped' || v.kind === 'transposed') {
      const { c, h, w } = this.shapes.get(v.tensor)!;
      const g = v.groups;
      dims = v.kind === 'grouped' ? [1, g, c / g, h, w] : [1, c / g, g, h, w];
    } else fail(info, `${info.op} of ${describe(v)} is not supported`);
    this.setConstant(
      info,
      atNode(info, () => evaluate(info.op, [{ dims }], this.foldAttrs(info, attrs))),
    );
  }

  /** Explicit or automatic padding of a sliding window, plus the padding of a folded Pad node. */
  private windowPads(
    info: NodeInfo,
    attrs: Attrs,
    x: Shape,
    extra: Pads,
    kernel: readonly [number, number],
    stride: readonly [number, number],
    dilation: readonly [number, number],
  ): Pads {
    const autoPad = attrs.string('auto_pad', 'NOTSET');
    const explicit = attrs.ints('pads');
    let own: Pads = noPads;
    if (autoPad === 'NOTSET' || autoPad === '') {
      if (explicit !== undefined) {
        need(
          explicit.length === 4 && explicit.every((p) => Number.isInteger(p) && p >= 0),
          info,
          `pads must be four non-negative integers [top, left, bottom, right], got ${dimsText(explicit)}`,
        );
        own = { top: explicit[0]!, left: explicit[1]!, bottom: explicit[2]!, right: explicit[3]! };
      }
    } else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      need(
        explicit === undefined || explicit.every((p) => p === 0),
        info,
        `auto_pad ${autoPad} and explicit pads are both given`,
      );
      // Output = ceil(input / stride); the odd padding element goes after (UPPER) or before (LOWER).
      const sides = [x.h + extra.top + extra.bottom, x.w + extra.left + extra.right].map((size, d) => {
        const out = Math.ceil(size / stride[d]!);
        const total = Math.max(0, (out - 1) * stride[d]! + (kernel[d]! - 1) * dilation[d]! + 1 - size);
        const before = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
        return [before, total - before] as const;
      });
      own = { top: sides[0]![0], bottom: sides[0]![1], left: sides[1]![0], right: sides[1]![1] };
    } else need(autoPad === 'VALID', info, `unknown auto_pad '${autoPad}'`);
    return addPads(own, extra);
  }

  private conv(info: NodeInfo, attrs: Attrs): void {
    const x = this.spatialIn(info, 0);
    const w = this.constIn(info, 1, 'weights');
    need(
      w.dims.length === 4,
      info,
      `only 2-D convolution is supported; the weights have dims ${dimsText(w.dims)}`,
    );
    const [m, perGroup, kh, kw] = w.dims as [number, number, number, number];
    const group = attrs.int('group', 1);
    need(Number.isInteger(group) && group >= 1, info, `group must be a positive integer, got ${group}`);
    need(
      perGroup * group === x.shape.c,
      info,
      `weights ${dimsText(w.dims)} with group ${group} expect ${perGroup * group} input channels, the input has ${x.shape.c}`,
    );
    const kernelShape = attrs.ints('kernel_shape');
    need(
      kernelShape === undefined || sameList(kernelShape, [kh, kw]),
      info,
      `kernel_shape ${dimsText(kernelShape ?? [])} does not match the weights ${dimsText(w.dims)}`,
    );
    const stride = attrs.pair('strides');
    const dilation = attrs.pair('dilations');
    const pads = this.windowPads(info, attrs, x.shape, x.extra, [kh, kw], stride, dilation);
    const spec: ConvLayer = {
      kind: 'conv',
      name: this.layerName(info),
      inputs: [x.tensor],
      post: [],
      outChannels: m,
      kernel: [kh, kw],
      stride,
      dilation,
      pads,
      groups: group,
      hasBias: false,
      fullyConnected: false,
    };
    const weights = this.floats(w, info, 'weights');
    if (weights) spec.weights = weights.slice();
    if (this.isShared(w)) spec.sharedWeights = w.name;
    if (this.hasInput(info, 2)) this.setBias(info, spec, this.constIn(info, 2, 'bias'), 1);
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, 4);
  }

  private isShared(c: Constant): boolean {
    return (this.uses.get(c.name) ?? 0) > 1;
  }

  /** Sets a bias of outChannels elements (or one broadcast element), scaled by `beta`. */
  private setBias(info: NodeInfo, spec: ConvLayer, b: Constant, beta: number): void {
    const n = product(b.dims);
    const c = spec.outChannels;
    need(
      n === c || (n === 1 && b.dims.length <= 1),
      info,
      `the bias '${b.name}' has dims ${dimsText(b.dims)}, expected ${c} values`,
    );
    spec.hasBias = true;
    const values = this.floats(b, info, 'bias');
    // A broadcast scalar is expanded only when the weights' data confirms the channel count.
    if (values && (n === c || spec.weights !== undefined))
      spec.bias = Float32Array.from({ length: c }, (_, o) => values[n === 1 ? 0 : o]! * beta);
    if (this.isShared(b) && beta === 1 && n === c) spec.sharedBias = b.name;
  }

  /** A fully connected layer over a flattened input: [out][C*H*W] is exactly the conv [out][C][H][W] layout. */
  private fullyConnected(info: NodeInfo, x: TensorRef, outChannels: number): ConvLayer {
    return {
      kind: 'conv',
      name: this.layerName(info),
      inputs: [x.tensor],
      post: [],
      outChannels,
      kernel: [1, 1],
      stride: [1, 1],
      dilation: [1, 1],
      pads: { ...noPads },
      groups: 1,
      hasBias: false,
      fullyConnected: true,
    };
  }

  private flatInput(info: NodeInfo): TensorRef {
    const x = this.tensorIn(info, 0);
    need(
      x.rank === 2,
      info,
      `${info.op} needs a 2-D input [1, K]; '${info.inputs[0]}' is 4-D (flatten it first)`,
    );
    return x;
  }

  private gemm(info: NodeInfo, attrs: Attrs): void {
    const x = this.flatInput(info);
    need(attrs.int('transA', 0) === 0, info, 'Gemm with transA=1 is not supported');
    const transB = attrs.int('transB', 0) !== 0;
    const alpha = attrs.float('alpha', 1);
    const beta = attrs.float('beta', 1);
    const b = this.constIn(info, 1, 'weights');
    need(b.dims.length === 2, info, `the weights must be 2-D, got ${dimsText(b.dims)}`);
    const [n, k] = transB ? [b.dims[0]!, b.dims[1]!] : [b.dims[1]!, b.dims[0]!];
    const inputs = x.shape.c * x.shape.h * x.shape.w;
    need(
      k === inputs,
      info,
      `weights ${dimsText(b.dims)} (transB=${transB ? 1 : 0}) expect ${k} inputs, the input has ${inputs} (${shapeText(x.shape)})`,
    );
    const spec = this.fullyConnected(info, x, n);
    const values = this.floats(b, info, 'weights');
    if (values) {
      const weights = transB ? values.slice() : transpose(values, k, n);
      if (alpha !== 1) for (let i = 0; i < weights.length; i++) weights[i]! *= alpha;
      spec.weights = weights;
    }
    if (this.isShared(b) && alpha === 1) spec.sharedWeights = transB ? b.name : `${b.name}^T`;
    if (this.hasInput(info, 2) && beta !== 0) this.setBias(info, spec, this.constIn(info, 2, 'bias'), beta);
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, 2);
  }

  private matMul(info: NodeInfo): void {
    const x = this.flatInput(info);
    const b = this.constIn(info, 1, 'weights');
    need(b.dims.length === 2, info, `the weights must be 2-D [K, N], got ${dimsText(b.dims)}`);
    const [k, n] = [b.dims[0]!, b.dims[1]!];
    const inputs = x.shape.c * x.shape.h * x.shape.w;
    need(k === inputs, info, `weights ${dimsText(b.dims)} expect ${k} inputs, the input has ${inputs}`);
    const spec = this.fullyConnected(info, x, n);
    const values = this.floats(b, info, 'weights');
    if (values) spec.weights = transpose(values, k, n);
    if (this.isShared(b)) spec.sharedWeights = `${b.name}^T`;
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, 2);
  }

  private pool(info: NodeInfo, attrs: Attrs, mode: 'max' | 'avg'): void {
    const x = this.spatialIn(info, 0);
    const folded = x.extra.top + x.extra.left + x.extra.bottom + x.extra.right > 0;
    need(
      mode === 'avg' || !folded,
      info,
      'zero padding (Pad) before MaxPool cannot be folded: the maximum would see the zeros',
    );
    const kernel = attrs.ints('kernel_shape');
    need(
      kernel !== undefined && kernel.length === 2 && kernel.every((k) => Number.isInteger(k) && k >= 1),
      info,
      `kernel_shape must be two positive integers (2-D pooling), got ${dimsText(kernel ?? [])}`,
    );
    const k: [number, number] = [kernel[0]!, kernel[1]!];
    const stride = attrs.pair('strides');
    need(sameList(attrs.pair('dilations'), [1, 1]), info, `dilated ${info.op} is not supported`);
    if (mode === 'max') {
      const indices = info.outputs[1];
      need(!indices || !this.uses.get(indices), info, 'the Indices output of MaxPool is not supported');
    }
    const ceilMode = attrs.int('ceil_mode', 0) !== 0;
    let countIncludePad = mode === 'avg' && attrs.int('count_include_pad', 0) !== 0;
    const pads = this.windowPads(info, attrs, x.shape, x.extra, k, stride, [1, 1]);
    if (folded) {
      const e = x.extra;
      const own = {
        top: pads.top - e.top,
        left: pads.left - e.left,
        bottom: pads.bottom - e.bottom,
        right: pads.right - e.right,
      };
      const ownZero = own.top + own.left + own.bottom + own.right === 0;
      need(
        countIncludePad || ownZero,
        info,
        'a Pad before an AveragePool with its own pads and count_include_pad=0 cannot be folded',
      );
      // The explicit zeros are part of the pool's input, so ceil_mode's last-window rule sees them.
      const same =
        windowOutput(x.shape.h + e.top + e.bottom, k[0], stride[0], 1, own.top, own.bottom, ceilMode) ===
          windowOutput(x.shape.h, k[0], stride[0], 1, pads.top, pads.bottom, ceilMode) &&
        windowOutput(x.shape.w + e.left + e.right, k[1], stride[1], 1, own.left, own.right, ceilMode) ===
          windowOutput(x.shape.w, k[1], stride[1], 1, pads.left, pads.right, ceilMode);
      need(
        same,
        info,
        'the Pad before this AveragePool cannot be folded with ceil_mode: the output size would change',
      );
      countIncludePad = true;
    }
    const spec: LayerSpec = {
      kind: 'pool',
      name: this.layerName(info),
      inputs: [x.tensor],
      post: [],
      mode,
      kernel: k,
      stride,
      pads,
      ceilMode,
      countIncludePad,
      global: false,
    };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, 4);
  }

  private globalPool(info: NodeInfo, mode: 'max' | 'avg', keepDims: boolean): void {
    const x = this.tensorIn(info, 0);
    need(x.rank === 4, info, `${info.op} needs a 4-D input [N,C,H,W]`);
    const spec: LayerSpec = {
      kind: 'pool',
      name: this.layerName(info),
      inputs: [x.tensor],
      post: [],
      mode,
      kernel: [1, 1],
      stride: [1, 1],
      pads: { ...noPads },
      ceilMode: false,
      countIncludePad: false,
      global: true,
    };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, keepDims ? 4 : 2);
  }

  private reduceMean(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    need(x.rank === 4, info, 'ReduceMean needs a 4-D input [N,C,H,W]');
    const axes = this.axes(info, attrs, 1);
    const normal = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
    need(
      sameList(normal, [2, 3]),
      info,
      `ReduceMean is supported over height and width only (axes [2, 3]), got ${axes ? dimsText(axes) : 'all axes'}`,
    );
    this.globalPool(info, 'avg', attrs.int('keepdims', 1) !== 0);
  }

  private binary(info: NodeInfo, op: 'add' | 'sub' | 'mul' | 'div'): void {
    need(info.inputs.length === 2, info, `${info.op} expects 2 inputs, got ${info.inputs.length}`);
    const kinds = [0, 1].map((i) => this.value(info, i).kind);
    const constant = kinds.indexOf('const');
    if (constant < 0) {
      need(op === 'add' || op === 'mul', info, `${info.op} of two feature maps is not supported`);
      this.eltwise(info, op);
      return;
    }
    // The constant folds into the producer as a shift or a scale: x - c = x + (-c), x / c = x * (1/c).
    need(
      op === 'add' || op === 'mul' || constant === 1,
      info,
      `${info.op} with a constant first operand is not supported (only feature map ${op === 'sub' ? '-' : '/'} constant)`,
    );
    const transform = op === 'sub' ? (v: number) => -v : op === 'div' ? (v: number) => 1 / v : undefined;
    this.foldConstant(info, op === 'add' || op === 'sub' ? 'add' : 'mul', 1 - constant, constant, transform);
  }

  private eltwise(info: NodeInfo, op: 'add' | 'mul'): void {
    need(info.inputs.length >= 2, info, `${info.op} expects at least 2 inputs, got ${info.inputs.length}`);
    const refs = info.inputs.map((_, i) => this.tensorIn(info, i));
    const rank: Rank = refs.some((r) => r.rank === 4) ? 4 : 2;
    // Broadcasting aligns trailing axes, so a [1,C] and a [1,C,H,W] operand do not mean per-channel.
    need(
      refs.every((r) => r.rank === rank) || refs.every((r) => r.shape.h === 1 && r.shape.w === 1),
      info,
      `operands of different ranks (${refs.map((r) => `${r.rank}-D ${shapeText(r.shape)}`).join(', ')}) are not supported`,
    );
    const spec: LayerSpec = {
      kind: 'eltwise',
      name: this.layerName(info),
      inputs: refs.map((r) => r.tensor),
      post: [],
      op,
    };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, rank);
  }

  /** The layer producing input i, which must have no other reader, to fold an operator into. */
  private foldTarget(info: NodeInfo, i: number): { layer: LayerSpec; ref: TensorRef } {
    const ref = this.tensorIn(info, i);
    const layer = this.layers.get(ref.tensor);
    need(
      layer !== undefined,
      info,
      `${info.op} directly on the network input '${ref.tensor}' is not supported (it must follow a layer)`,
    );
    const readers = this.usesOf(ref.tensor);
    need(
      readers <= 1,
      info,
      `cannot fold ${info.op} into '${layer.name}': its output '${info.inputs[i]}' has ${readers - 1} other consumer${readers > 2 ? 's' : ''} or is a network output`,
    );
    return { layer, ref };
  }

  /** Add/Mul with a per-channel or scalar constant, folded into the producing convolution. */
  private foldConstant(
    info: NodeInfo,
    op: 'add' | 'mul',
    t: number,
    k: number,
    transform?: (v: number) => number,
  ): void {
    const { layer, ref } = this.foldTarget(info, t);
    need(
      layer.kind === 'conv',
      info,
      `${info.op} with a constant can only follow a Conv/Gemm/MatMul (folded into it), not a ${layer.kind} layer`,
    );
    const c = this.constIn(info, k, 'operand');
    const n = product(c.dims);
    const channels = layer.outChannels;
    const vector = ref.shape.h === 1 && ref.shape.w === 1;
    // Per-channel means [C,1,1] against a 4-D tensor but [C] against a 2-D one.
    const perChannel =
      n === channels &&
      (ref.rank === 4
        ? c.dims.length >= 3 && c.dims.length <= 4 && sameList(c.dims.slice(-2), [1, 1])
        : vector && c.dims.length <= 2) &&
      c.dims.every((d) => d === 1 || d === channels);
    need(
      n === 1 || perChannel,
      info,
      `the constant '${c.name}' ${dimsText(c.dims)} is neither a scalar nor per-channel for ${shapeText(ref.shape)}`,
    );
    need(
      layer.post.length === 0,
      info,
      `cannot fold ${info.op} after the point-wise ${layer.post.map((p) => p.op).join(', ')}`,
    );
    const values = this.floats(c, info, 'operand');
    // Without weights or bias there is nothing to scale or shift (and outChannels may be unverified).
    const hasData = layer.weights !== undefined || layer.bias !== undefined;
    need(values || !hasData, info, `the constant '${c.name}' has no data but the layer's parameters do`);
    const full =
      values && hasData
        ? Float32Array.from({ length: channels }, (_, o) => {
            const v = values[n === 1 ? 0 : o]!;
            return transform ? transform(v) : v;
          })
        : undefined;
    if (op === 'add') {
      atNode(info, () => foldAffineIntoConv(layer, full ? { shift: full } : 'shapeOnly'));
      layer.sharedBias = undefined;
    } else if (full) {
      const per = layer.weights ? layer.weights.length / channels : 0;
      if (layer.weights)
        for (let i = 0; i < layer.weights.length; i++) layer.weights[i]! *= full[Math.floor(i / per)]!;
      if (layer.bias) for (let o = 0; o < channels; o++) layer.bias[o]! *= full[o]!;
      layer.sharedWeights = undefined;
      layer.sharedBias = undefined;
    }
    this.defineView(info, 0, ref.tensor, ref.rank);
  }

  private concat(info: NodeInfo, attrs: Attrs): void {
    need(attrs.has('axis'), info, 'Concat has no axis');
    const axis = attrs.int('axis', 1);
    const refs = info.inputs.map((_, i) => this.tensorIn(info, i));
    need(refs.length >= 1, info, 'Concat has no inputs');
    const rank = refs[0]!.rank;
    need(
      refs.every((r) => r.rank === rank),
      info,
      'Concat of tensors of different ranks is not supported',
    );
    const normal = axis < 0 ? axis + rank : axis;
    need(
      normal === 1 && (rank === 4 || refs.every((r) => r.shape.h === 1 && r.shape.w === 1)),
      info,
      `Concat is supported along channels only (axis 1), got axis ${axis} on ${rank}-D tensors`,
    );
    const spec: LayerSpec = {
      kind: 'concat',
      name: this.layerName(info),
      inputs: refs.map((r) => r.tensor),
      post: [],
    };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, rank);
  }

  private slices(info: NodeInfo, x: TensorRef, ranges: [number, number][], used: boolean[]): void {
    for (const [k, [start, end]] of ranges.entries()) {
      if (!used[k]) continue;
      if (start === 0 && end === x.shape.c) {
        this.defineView({ ...info, outputs: [info.outputs[k]!] }, 0, x.tensor, x.rank);
        continue;
      }
      const name = ranges.length === 1 ? this.layerName(info) : this.layerName(info, String(k));
      this.addLayer(info, { kind: 'slice', name, inputs: [x.tensor], post: [], start, end });
      this.defineLayerOutput(info, k, name, x.rank);
    }
  }

  private split(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    const axis = attrs.int('axis', 0);
    need(channelAxis(x, axis), info, `Split is supported along channels only (axis 1), got axis ${axis}`);
    const c = x.shape.c;
    const n = info.outputs.length;
    need(n >= 1, info, 'Split has no outputs');
    let sizes: number[];
    if (this.hasInput(info, 1)) sizes = this.intsIn(info, 1, 'split sizes');
    else if (attrs.ints('split') !== undefined) sizes = attrs.ints('split')!;
    else if (attrs.has('num_outputs')) {
      // Opset 18: equal chunks of ceil(C/n), the last one smaller.
      const chunk = Math.ceil(c / n);
      sizes = Array.from({ length: n }, (_, k) => Math.min(chunk, c - k * chunk));
    } else {
      need(c % n === 0, info, `cannot split ${c} channels evenly into ${n} outputs`);
      sizes = Array(n).fill(c / n);
    }
    need(
      sizes.length === n && sizes.every((s) => Number.isInteger(s) && s > 0),
      info,
      `split sizes ${dimsText(sizes)} do not give ${n} non-empty outputs`,
    );
    need(
      sizes.reduce((a, b) => a + b, 0) === c,
      info,
      `split sizes ${dimsText(sizes)} do not add up to ${c} channels`,
    );
    let start = 0;
    const ranges = sizes.map((s): [number, number] => {
      start += s;
      return [start - s, start];
    });
    this.slices(
      info,
      x,
      ranges,
      info.outputs.map((o) => Boolean(o) && (this.uses.get(o) ?? 0) > 0),
    );
  }

  private slice(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    let starts: number[] | undefined;
    let ends: number[] | undefined;
    let axes: number[] | undefined;
    let steps: number[] | undefined;
    if (info.inputs.length > 1) {
      starts = this.intsIn(info, 1, 'starts');
      ends = this.intsIn(info, 2, 'ends');
      if (this.hasInput(info, 3)) axes = this.intsIn(info, 3, 'axes');
      if (this.hasInput(info, 4)) steps = this.intsIn(info, 4, 'steps');
    } else {
      starts = attrs.ints('starts');
      ends = attrs.ints('ends');
      axes = attrs.ints('axes');
    }
    need(starts !== undefined && ends !== undefined, info, 'Slice has no starts/ends');
    axes ??= starts.map((_, i) => i);
    need(
      starts.length === ends.length &&
        axes.length === starts.length &&
        (!steps || steps.length === starts.length),
      info,
      'Slice starts, ends, axes and steps differ in length',
    );
    const dims = x.rank === 4 ? [1, x.shape.c, x.shape.h, x.shape.w] : [1, x.shape.c * x.shape.h * x.shape.w];
    let range: [number, number] = [0, x.shape.c];
    axes.forEach((axis, j) => {
      const normal = axis < 0 ? axis + x.rank : axis;
      need(
        normal >= 0 && normal < x.rank,
        info,
        `Slice axis ${axis} is out of range for a ${x.rank}-D tensor`,
      );
      need((steps?.[j] ?? 1) === 1, info, `Slice with step ${steps?.[j]} is not supported (only step 1)`);
      const d = dims[normal]!;
      // Negative indices count from the end; everything is clamped (ends like INT64_MAX mean "to the end").
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      const s = clamp(starts[j]!);
      const e = clamp(ends[j]!);
      if (channelAxis(x, axis)) range = [s, e];
      else
        need(s === 0 && e === d, info, `Slice along axis ${axis} is not supported (only channels, axis 1)`);
    });
    need(range[0] < range[1], info, `Slice selects no channels ([${range[0]}, ${range[1]}) of ${x.shape.c})`);
    this.slices(info, x, [range], [true]);
  }

  private pointwise(info: NodeInfo, op: PointwiseOp): void {
    const { layer, ref } = this.foldTarget(info, 0);
    layer.post.push(op);
    this.defineView(info, 0, ref.tensor, ref.rank);
  }

  private hardSigmoid(info: NodeInfo, attrs: Attrs): void {
    this.pointwise(info, {
      op: 'hardsigmoid',
      alpha: attrs.float('alpha', 0.2),
      beta: attrs.float('beta', 0.5),
    });
  }

  private swish(info: NodeInfo, attrs: Attrs): void {
    const alpha = attrs.float('alpha', 1);
    need(alpha === 1, info, `Swish with alpha ${alpha} is not supported (only 1: x * sigmoid(x))`);
    this.pointwise(info, { op: 'silu' });
  }

  // --- written-out activations ------------------------------------------------------------------

  /**
   * Folds an activation written as several nodes that read one feature map x into x's producer:
   * x * Sigmoid(x) (SiLU), x * HardSigmoid(x; 1/6, 0.5) and x * Clip(x + 3, 0, 6) / 6 (hard-swish, the
   * division anywhere), Clip(x + 3, 0, 6) / 6 (hard-sigmoid). `info` is the pattern's first node.
   * False when it starts none, or x has a reader outside it (then each node converts on its own).
   */
  private writtenOutActivation(info: NodeInfo): boolean {
    const match = this.matchActivation(info);
    if (match === undefined) return false;
    const v = this.values.get(match.x);
    if (v?.kind !== 'tensor') return false;
    const layer = this.layers.get(v.tensor);
    if (layer === undefined) return false;
    const reads = match.nodes.reduce((n, m) => n + m.inputs.filter((t) => t === match.x).length, 0);
    if (this.usesOf(v.tensor) !== reads) return false;
    layer.post.push(match.op);
    this.defineView(info, 0, v.tensor, v.rank);
    for (const m of match.nodes.slice(1)) this.activationNodes.set(m, match.x);
    return true;
  }

  private matchActivation(first: NodeInfo): { x: string; op: PointwiseOp; nodes: NodeInfo[] } | undefined {
    const hardSwish: PointwiseOp = { op: 'hardswish' };
    if (first.op === 'Sigmoid' || first.op === 'HardSigmoid') {
      const x = first.inputs[0];
      if (!x || this.values.get(x)?.kind !== 'tensor') return undefined;
      if (first.op === 'HardSigmoid') {
        const attrs = new Attrs(first);
        if (!near(attrs.float('alpha', 0.2), 1 / 6) || !near(attrs.float('beta', 0.5), 0.5)) return undefined;
      }
      const mul = this.productWith(first, x);
      if (mul === undefined) return undefined;
      return { x, op: first.op === 'Sigmoid' ? { op: 'silu' } : hardSwish, nodes: [first, mul] };
    }
    if (first.op !== 'Add' || first.inputs.length !== 2) return undefined;
    const three = first.inputs.findIndex((t) => this.scalarConst(t, first) === 3);
    const x = first.inputs[1 - three];
    if (three < 0 || !x || this.values.get(x)?.kind !== 'tensor') return undefined;
    const clip = this.onlyReader(first);
    if (clip === undefined || !this.isRelu6(clip)) return undefined;
    const next = this.onlyReader(clip);
    if (next === undefined) return undefined;
    if (this.isSixth(next, clip)) {
      const mul = this.productWith(next, x);
      if (mul !== undefined) return { x, op: hardSwish, nodes: [first, clip, next, mul] };
      return { x, op: { op: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 }, nodes: [first, clip, next] };
    }
    const mul = this.productWith(clip, x);
    const sixth = mul && this.onlyReader(mul);
    if (mul === undefined || sixth === undefined || !this.isSixth(sixth, mul)) return undefined;
    return { x, op: hardSwish, nodes: [first, clip, mul, sixth] };
  }

  /** The single default-domain node reading the single output of `info` once, unless it is a graph output. */
  private onlyReader(info: NodeInfo): NodeInfo | undefined {
    const out = info.outputs[0];
    if (!out || info.outputs.length !== 1 || this.graphOutputs.has(out)) return undefined;
    const readers = this.consumers.get(out) ?? [];
    const r = readers[0];
    if (readers.length !== 1 || r === undefined || !DEFAULT_DOMAINS.has(r.node.domain ?? ''))
      return undefined;
    return r.inputs.filter((t) => t === out).length === 1 ? r : undefined;
  }

  /** The Mul of x and the output of `info`, when it is that output's only reader. */
  private productWith(info: NodeInfo, x: string): NodeInfo | undefined {
    const mul = this.onlyReader(info);
    if (mul?.op !== 'Mul' || mul.inputs.length !== 2) return undefined;
    const [a, b] = mul.inputs;
    const out = info.outputs[0];
    return (a === x && b === out) || (a === out && b === x) ? mul : undefined;
  }

  /** Whether `next` divides the output of `info` by 6 (or multiplies it by 1/6). */
  private isSixth(next: NodeInfo, info: NodeInfo): boolean {
    const out = info.outputs[0];
    if (next.inputs.length !== 2) return false;
    if (next.op === 'Div') return next.inputs[0] === out && near(this.scalarConst(next.inputs[1], next), 6);
    if (next.op !== 'Mul') return false;
    const other = next.inputs[0] === out ? next.inputs[1] : next.inputs[0];
    return near(this.scalarConst(other, next), 1 / 6);
  }

  private isRelu6(clip: NodeInfo): boolean {
    if (clip.op !== 'Clip') return false;
    if (clip.inputs.length > 1)
      return this.scalarConst(clip.inputs[1], clip) === 0 && this.scalarConst(clip.inputs[2], clip) === 6;
    const attrs = new Attrs(clip);
    return attrs.float('min', Number.NaN) === 0 && attrs.float('max', Number.NaN) === 6;
  }

  /** A scalar constant's value; a Constant node later in the order is read ahead of its turn. */
  private scalarConst(name: string | undefined, reader: NodeInfo): number | undefined {
    if (!name) return undefined;
    const producer = this.producers.get(name);
    if (
      !this.values.has(name) &&
      producer?.op === 'Constant' &&
      DEFAULT_DOMAINS.has(producer.node.domain ?? '')
    )
      this.constant(producer, new Attrs(producer));
    const v = this.values.get(name);
    if (v?.kind !== 'const' || product(v.constant.dims) !== 1) return undefined;
    const d = this.data(v.constant, reader);
    return d?.floats?.[0] ?? d?.ints?.[0];
  }

  private clip(info: NodeInfo, attrs: Attrs): void {
    // Opset 11+ gives the bounds as optional inputs, older opsets as attributes.
    const min = this.hasInput(info, 1) ? this.scalarIn(info, 1, 'min') : attrs.float('min', -FLOAT_MAX);
    const max = this.hasInput(info, 2) ? this.scalarIn(info, 2, 'max') : attrs.float('max', FLOAT_MAX);
    need(min <= max, info, `Clip min ${min} exceeds max ${max}`);
    const unbounded = !this.hasInput(info, 2) && !attrs.has('max');
    this.pointwise(info, min === 0 && unbounded ? { op: 'relu' } : { op: 'clip', min, max });
  }

  private batchNorm(info: NodeInfo, attrs: Attrs): void {
    for (const extra of info.outputs.slice(1))
      need(!extra || !this.uses.get(extra), info, 'BatchNormalization in training mode is not supported');
    const ref = this.tensorIn(info, 0);
    need(
      ref.rank === 4 || (ref.shape.h === 1 && ref.shape.w === 1),
      info,
      'BatchNormalization over a flattened feature map is not supported',
    );
    const channels = ref.shape.c;
    const names = ['scale', 'bias', 'mean', 'variance'];
    const params = names.map((what, i) => {
      const c = this.constIn(info, i + 1, what);
      need(
        product(c.dims) === channels,
        info,
        `the ${what} '${c.name}' has ${product(c.dims)} values, the layer has ${channels} channels`,
      );
      return this.floats(c, info, what);
    });
    const [gamma, beta, mean, variance] = params;
    const known = gamma && beta && mean && variance;
    need(
      known || params.every((p) => p === undefined),
      info,
      'some batch-norm parameters have data and some do not',
    );
    const affine = known
      ? batchNormAffine(gamma, beta, mean, variance, attrs.float('epsilon', 1e-5))
      : 'shapeOnly';
    const producer = this.layers.get(ref.tensor);
    // Folded into the producing convolution (or affine layer) when nothing else reads its output and
    // no point-wise operator comes between; otherwise a layer of its own (after a concat, a pooling,
    // an activation, or a tensor with other readers, as in DenseNet's pre-activation blocks).
    if (
      producer !== undefined &&
      (producer.kind === 'conv' || producer.kind === 'affine') &&
      producer.post.length === 0 &&
      this.usesOf(ref.tensor) <= 1
    ) {
      if (producer.kind === 'conv') {
        atNode(info, () => foldAffineIntoConv(producer, affine));
        producer.sharedWeights = undefined;
        producer.sharedBias = undefined;
      } else atNode(info, () => composeAffine(producer, affine));
      this.defineView(info, 0, ref.tensor, ref.rank);
      return;
    }
    const spec: AffineLayer = {
      kind: 'affine',
      name: this.layerName(info),
      inputs: [ref.tensor],
      post: [],
      ...(affine === 'shapeOnly' ? {} : affine),
    };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, ref.rank);
  }

  private flatten(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    const axis = attrs.int('axis', 1);
    const normal = axis < 0 ? axis + x.rank : axis;
    // At batch 1, axis 0 and axis 1 both give [1, C*H*W].
    need(normal === 0 || normal === 1, info, `Flatten with axis ${axis} is not supported (only 0 or 1)`);
    this.defineView(info, 0, x.tensor, 2);
  }

  /** Target of a Reshape with 0 (copy) and -1 (infer) resolved. */
  private reshapeTarget(info: NodeInfo, from: number[], target: number[], allowZero: boolean): number[] {
    const total = product(from);
    const dims = target.map((t, i) => {
      if (t !== 0 || allowZero) return t;
      need(i < from.length, info, `Reshape copies dimension ${i} that the input does not have`);
      return from[i]!;
    });
    const unknown = dims.filter((d) => d === -1).length;
    need(unknown <= 1 && dims.every((d) => d >= -1), info, `invalid Reshape target ${dimsText(target)}`);
    if (unknown === 1) {
      const known = product(dims.filter((d) => d !== -1));
      need(known > 0 && total % known === 0, info, `cannot reshape ${dimsText(from)} to ${dimsText(target)}`);
      dims[dims.indexOf(-1)] = total / known;
    }
    need(product(dims) === total, info, `cannot reshape ${dimsText(from)} to ${dimsText(target)}`);
    return dims;
  }

  private reshape(info: NodeInfo, attrs: Attrs): void {
    const v = this.value(info, 0);
    const shape = this.constIn(info, 1, 'target shape');
    const allowZero = attrs.int('allowzero', 0) !== 0;
    if (v.kind === 'transposed') {
      const x = this.shapes.get(v.tensor)!;
      const from = [1, x.c / v.groups, v.groups, x.h, x.w];
      const dims = this.reshapeTarget(info, from, this.ints(shape, info, 'target shape'), allowZero);
      need(
        sameList(dims, [1, x.c, x.h, x.w]),
        info,
        `a channel shuffle must end with a Reshape to [1, ${x.c}, ${x.h}, ${x.w}], got ${dimsText(dims)}`,
      );
      const spec: LayerSpec = {
        kind: 'shuffle',
        name: this.layerName(info),
        inputs: [v.tensor],
        post: [],
        groups: v.groups,
      };
      this.addLayer(info, spec);
      this.defineLayerOutput(info, 0, spec.name, 4);
      return;
    }
    const x = this.tensorIn(info, 0);
    const { c, h, w } = x.shape;
    const from = x.rank === 4 ? [1, c, h, w] : [1, c * h * w];
    const data = this.data(shape, info);
    let dims: number[];
    if (data === undefined) {
      // Shape-only model: a 2-element target can only be the flattening [1, C*H*W] at batch 1.
      need(
        sameList(shape.dims, [2]),
        info,
        `the target shape '${shape.name}' has no data (a shape-only model?)`,
      );
      dims = [1, c * h * w];
    } else dims = this.reshapeTarget(info, from, this.ints(shape, info, 'target shape'), allowZero);
    if ((dims.length === 2 && dims[0] === 1) || sameList(dims, [1, c, h, w])) {
      this.defineView(info, 0, x.tensor, dims.length === 2 ? 2 : 4);
      return;
    }
    if (
      x.rank === 4 &&
      dims.length === 5 &&
      dims[0] === 1 &&
      dims[3] === h &&
      dims[4] === w &&
      dims[1]! > 1
    ) {
      const out = info.outputs[0];
      if (out) this.values.set(out, { kind: 'grouped', tensor: x.tensor, groups: dims[1]! });
      return;
    }
    fail(
      info,
      `Reshape of ${dimsText(from)} to ${dimsText(dims)} is not supported (only flattening, reshapes of C x 1 x 1 vectors and the Reshape-Transpose-Reshape channel shuffle)`,
    );
  }

  private transpose(info: NodeInfo, attrs: Attrs): void {
    const v = this.value(info, 0);
    const perm = attrs.ints('perm');
    if (v.kind === 'grouped' && perm && sameList(perm, [0, 2, 1, 3, 4])) {
      const out = info.outputs[0];
      if (out) this.values.set(out, { kind: 'transposed', tensor: v.tensor, groups: v.groups });
      return;
    }
    if (v.kind === 'tensor' && perm && sameList(perm, v.rank === 4 ? [0, 1, 2, 3] : [0, 1])) {
      this.defineView(info, 0, v.tensor, v.rank);
      return;
    }
    fail(
      info,
      'Transpose is only supported inside a channel shuffle (Reshape [1,g,C/g,H,W], Transpose [0,2,1,3,4], Reshape [1,C,H,W])',
    );
  }

  /** Squeeze/Unsqueeze between [1,C,1,1] and [1,C]: only the rank of the view changes. */
  private squeeze(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    const squeeze = info.op === 'Squeeze';
    const axes = this.axes(info, attrs, 1);
    const normal = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
    need(
      x.shape.h === 1 && x.shape.w === 1 && x.rank === (squeeze ? 4 : 2) && sameList(normal, [2, 3]),
      info,
      `${info.op} is only supported between [1, C, 1, 1] and [1, C] (axes [2, 3])`,
    );
    this.defineView(info, 0, x.tensor, squeeze ? 2 : 4);
  }

  private constant(info: NodeInfo, attrs: Attrs): void {
    const out = info.outputs[0];
    need(out, info, 'Constant has no output');
    const t = attrs.tensor('value');
    let constant: Constant;
    if (t !== undefined) constant = { name: out, dims: this.dims(t), proto: t };
    else if (attrs.has('value_float')) constant = floatConstant(out, [], [attrs.float('value_float', 0)]);
    else if (attrs.has('value_floats')) {
      const f = attrs.floats('value_floats') ?? [];
      constant = floatConstant(out, [f.length], f);
    } else if (attrs.has('value_int'))
      constant = { name: out, dims: [], data: { ints: [attrs.int('value_int', 0)] } };
    else if (attrs.has('value_ints')) {
      const i = attrs.ints('value_ints') ?? [];
      constant = { name: out, dims: [i.length], data: { ints: i } };
    } else fail(info, 'Constant has no supported value attribute (value, value_float(s), value_int(s))');
    this.values.set(out, { kind: 'const', constant });
  }

  private pad(info: NodeInfo, attrs: Attrs): void {
    const v = this.value(info, 0);
    need(
      (v.kind === 'tensor' && v.rank === 4) || v.kind === 'padded',
      info,
      `Pad needs a 4-D feature map, '${info.inputs[0]}' is ${v.kind === 'tensor' ? 'a 2-D view' : describe(v)}`,
    );
    const mode = attrs.string('mode', 'constant');
    need(mode === 'constant', info, `Pad mode '${mode}' is not supported (only constant zero padding)`);
    const pads = this.hasInput(info, 1) ? this.intsIn(info, 1, 'pads') : attrs.ints('pads');
    need(pads !== undefined, info, 'Pad has no pads');
    const fill = this.hasInput(info, 2) ? this.scalarIn(info, 2, 'constant value') : attrs.float('value', 0);
    need(fill === 0, info, `Pad with value ${fill} is not supported (only zero)`);
    const axes = (this.hasInput(info, 3) ? this.intsIn(info, 3, 'axes') : [0, 1, 2, 3]).map((a) =>
      a < 0 ? a + 4 : a,
    );
    need(pads.length === 2 * axes.length, info, `Pad has ${pads.length} pads for ${axes.length} axes`);
    const p: Pads = { top: 0, left: 0, bottom: 0, right: 0 };
    axes.forEach((axis, j) => {
      const before = pads[j]!;
      const after = pads[j + axes.length]!;
      need(before >= 0 && after >= 0, info, `negative Pad (cropping) is not supported: ${dimsText(pads)}`);
      if (axis === 2) [p.top, p.bottom] = [before, after];
      else if (axis === 3) [p.left, p.right] = [before, after];
      else
        need(
          before === 0 && after === 0,
          info,
          `Pad is supported on height and width only, got ${dimsText(pads)}`,
        );
    });
    if (v.kind === 'tensor' && p.top + p.left + p.bottom + p.right === 0) {
      this.defineView(info, 0, v.tensor, 4);
      return;
    }
    const out = info.outputs[0];
    if (!out) return;
    const readers = this.consumers.get(out) ?? [];
    need(
      !this.graphOutputs.has(out) && readers.every((r) => PAD_READERS.has(r.op)),
      info,
      'Pad is only supported in front of Conv or AveragePool (folded into their padding)',
    );
    const base = v.kind === 'padded' ? v.pads : noPads;
    this.values.set(out, {
      kind: 'padded',
      tensor: v.tensor,
      pads: addPads(base, p),
    });
  }

  private softmax(info: NodeInfo, attrs: Attrs): void {
    const x = this.tensorIn(info, 0);
    const axis = attrs.int('axis', this.opset >= 13 ? -1 : 1);
    const normal = axis < 0 ? axis + x.rank : axis;
    const vector = x.shape.h === 1 && x.shape.w === 1;
    // Before opset 13 Softmax flattened everything from `axis` on; from 13 it works along one axis.
    const ok = normal === 1 && (vector || (x.rank === 4 && this.opset >= 13));
    need(
      ok,
      info,
      `Softmax is supported over channels only (axis 1 of [1,C,H,W], or of a [1,C] vector), got axis ${axis}`,
    );
    const spec: LayerSpec = { kind: 'softmax', name: this.layerName(info), inputs: [x.tensor], post: [] };
    this.addLayer(info, spec);
    this.defineLayerOutput(info, 0, spec.name, x.rank);
  }
}

// ---------------------------------------------------------------------------------------------

/** Channel axis check shared by Split and Slice: 4-D axis 1, or axis 1 of a [1,C] vector. */
function channelAxis(x: TensorRef, axis: number): boolean {
  const normal = axis < 0 ? axis + x.rank : axis;
  return normal === 1 && (x.rank === 4 || (x.shape.h === 1 && x.shape.w === 1));
}

function dimText(d: Dimension): number | string {
  return d.dim_value ?? d.dim_param ?? '?';
}

function near(v: number | undefined, target: number): boolean {
  return v !== undefined && Math.abs(v - target) <= 1e-6 * Math.abs(target);
}

function describe(v: Value | undefined): string {
  switch (v?.kind) {
    case 'const':
      return 'a constant';
    case 'padded':
      return 'the output of a Pad (only foldable into Conv or AveragePool)';
    case 'grouped':
    case 'transposed':
      return 'part of an incomplete channel shuffle (Reshape-Transpose-Reshape)';
    case 'tensor':
      return 'a feature map';
    default:
      return 'not available';
  }
}

/** Batch bound to 1: [N,C,H,W] gives C x H x W, [N,F] gives F x 1 x 1. */
function inputShape(vi: ValueInfo): { shape: Shape; rank: Rank } {
  const what = `input '${vi.name}'`;
  const tensorType = vi.type?.tensor_type;
  if (tensorType === undefined) throw new InputError(`${what} is not a tensor`);
  const dims = tensorType.shape?.dim;
  if (dims === undefined) throw new InputError(`${what} has no shape`);
  const text = dimsText(dims.map(dimText));
  if (dims.length !== 4 && dims.length !== 2)
    throw new InputError(`${what} has shape ${text}; only [N,C,H,W] and [N,F] inputs are supported`);
  const batch = dims[0]!.dim_value;
  if (batch !== undefined && batch !== 1)
    throw new InputError(`${what} has batch size ${batch}; only batch 1 (or a symbolic batch) is supported`);
  const rest = dims.slice(1).map((d) => d.dim_value);
  if (!rest.every((d) => d !== undefined && Number.isInteger(d) && d > 0))
    throw new InputError(
      `${what} has shape ${text}; every dimension but the batch must be a known positive size`,
    );
  const [c, h, w] = rest as number[];
  return dims.length === 4
    ? { shape: { c: c!, h: h!, w: w! }, rank: 4 }
    : { shape: { c: c!, h: 1, w: 1 }, rank: 2 };
}

function rawData(bytes: Uint8Array, type: number, count: number, name: string): TensorData {
  const size = ELEMENT_BYTES[type];
  if (size === undefined) throw new InputError(`tensor '${name}' has unsupported data type ${type}`);
  if (bytes.length !== count * size)
    throw new InputError(`tensor '${name}' has ${bytes.length} bytes of data, its dims need ${count * size}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (f: (i: number) => number) => Array.from({ length: count }, (_, i) => f(i));
  switch (type) {
    case DataType.FLOAT: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      return { floats: out };
    }
    case DataType.DOUBLE:
      return { floats: Float32Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, true)) };
    case DataType.FLOAT16:
      return {
        floats: Float32Array.from({ length: count }, (_, i) => halfToFloat(view.getUint16(2 * i, true))),
      };
    case DataType.BFLOAT16:
      return {
        floats: Float32Array.from({ length: count }, (_, i) => bfloat16ToFloat(view.getUint16(2 * i, true))),
      };
    case DataType.INT64:
      return { ints: read((i) => Number(view.getBigInt64(8 * i, true))) };
    case DataType.UINT64:
      return { ints: read((i) => Number(view.getBigUint64(8 * i, true))) };
    case DataType.INT32:
      return { ints: read((i) => view.getInt32(4 * i, true)) };
    case DataType.UINT32:
      return { ints: read((i) => view.getUint32(4 * i, true)) };
    case DataType.INT16:
      return { ints: read((i) => view.getInt16(2 * i, true)) };
    case DataType.UINT16:
      return { ints: read((i) => view.getUint16(2 * i, true)) };
    case DataType.INT8:
      return { ints: read((i) => view.getInt8(i)) };
    default:
      return { ints: read((i) => view.getUint8(i)) };
  }
}

function floatConstant(name: string, dims: number[], values: number[]): Constant {
  return { name, dims, data: { floats: Float32Array.from(values) } };
}

/** [rows][cols] to [cols][rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** A binary heap of indices, smallest first. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
