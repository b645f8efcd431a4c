// ONNX models for tests, encoded with the frontend's own protobufjs schema.

import { AttributeType, DataType, encodeModel } from '../../src/frontends/onnx/schema.js';

export type Obj = Record<string, unknown>;

export const attr = {
  int: (name: string, i: number): Obj => ({ name, type: AttributeType.INT, i }),
  ints: (name: string, ints: number[]): Obj => ({ name, type: AttributeType.INTS, ints }),
  float: (name: string, f: number): Obj => ({ name, type: AttributeType.FLOAT, f }),
  floats: (name: string, floats: number[]): Obj => ({ name, type: AttributeType.FLOATS, floats }),
  str: (name: string, s: string): Obj => ({
    name,
    type: AttributeType.STRING,
    s: new TextEncoder().encode(s),
  }),
  tensor: (name: string, t: Obj): Obj => ({ name, type: AttributeType.TENSOR, t }),
};

export function node(
  op: string,
  input: string[],
  output: string[],
  attribute: Obj[] = [],
  name?: string,
): Obj {
  return { op_type: op, input, output, attribute, ...(name === undefined ? {} : { name }) };
}

/** A float tensor; `values` omitted gives a shape-only tensor, `raw` stores it in raw_data. */
export function floats(name: string, dims: number[], values?: number[], raw = true): Obj {
  const t: Obj = { name, dims, data_type: DataType.FLOAT };
  if (values !== undefined) {
    if (raw) t['raw_data'] = new Uint8Array(new Float32Array(values).buffer);
    else t['float_data'] = values;
  }
  return t;
}

export type Int64 = number | { low: number; high: number; unsigned: boolean };

export function int64s(name: string, values: Int64[], dims = [values.length]): Obj {
  return { name, dims, data_type: DataType.INT64, int64_data: values };
}

export const range = (n: number, scale = 1, offset = 0) =>
  Array.from({ length: n }, (_, i) => offset + i * scale);

export function valueInfo(name: string, dims: (number | string)[]): Obj {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: DataType.FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

export interface Spec {
  nodes: Obj[];
  inputs?: Obj[];
  outputs: string[] | Obj[];
  inits?: Obj[];
  opset?: number;
}

export function encode(spec: Spec): Uint8Array {
  return encodeModel({
    ir_version: 8,
    producer_name: 'memsched-test',
    opset_import: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      node: spec.nodes,
      initializer: spec.inits ?? [],
      input: spec.inputs ?? [valueInfo('x', [1, 3, 8, 8])],
      output: spec.outputs.map((o) => (typeof o === 'string' ? { name: o } : o)),
    },
  });
}
