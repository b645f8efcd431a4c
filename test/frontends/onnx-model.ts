// ONNX models for tests, built with the frontend's own encoder (src/frontends/onnx/encode.ts).

import { encodeGraph, type Obj, valueInfo } from '../../src/frontends/onnx/encode.js';

export {
  attr,
  floats,
  type Int64,
  int64s,
  node,
  type Obj,
  valueInfo,
} from '../../src/frontends/onnx/encode.js';

export const range = (n: number, scale = 1, offset = 0) =>
  Array.from({ length: n }, (_, i) => offset + i * scale);

export interface Spec {
  nodes: Obj[];
  inputs?: Obj[];
  outputs: string[] | Obj[];
  inits?: Obj[];
  opset?: number;
}

export function encode(spec: Spec): Uint8Array {
  return encodeGraph(
    {
      name: 'test',
      nodes: spec.nodes,
      inits: spec.inits ?? [],
      inputs: spec.inputs ?? [valueInfo('x', [1, 3, 8, 8])],
      outputs: spec.outputs.map((o) => (typeof o === 'string' ? { name: o } : o)),
    },
    spec.opset ?? 13,
    'memsched-test',
  );
}
