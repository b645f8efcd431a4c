// Building ONNX messages as the plain objects schema.ts encodes: attributes, nodes, tensors, value infos
// and the model around a graph. The exporter writes with these, and the tests build their models with them.
import { AttributeType, DataType, encodeModel } from './schema.js';
export const attr = {
    int: (name, i) => ({ name, type: AttributeType.INT, i }),
    ints: (name, ints) => ({ name, type: AttributeType.INTS, ints }),
    float: (name, f) => ({ name, type: AttributeType.FLOAT, f }),
    floats: (name, floats) => ({ name, type: AttributeType.FLOATS, floats }),
    str: (name, s) => ({
        name,
        type: AttributeType.STRING,
        s: new TextEncoder().encode(s),
    }),
    tensor: (name, t) => ({ name, type: AttributeType.TENSOR, t }),
};
export function node(op, input, output, attribute = [], name) {
    return { op_type: op, input, output, attribute, ...(name === undefined ? {} : { name }) };
}
/**
 * A float tensor; `values` omitted gives a shape-only tensor, `raw` stores it in raw_data (little-endian
 * float32, as ONNX defines raw_data) rather than float_data.
 */
export function floats(name, dims, values, raw = true) {
    const t = { name, dims, data_type: DataType.FLOAT };
    if (values !== undefined) {
        if (raw)
            t['raw_data'] = rawFloat32(values);
        else
            t['float_data'] = Array.from(values);
    }
    return t;
}
function rawFloat32(values) {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++)
        view.setFloat32(i * 4, values[i], true);
    return bytes;
}
export function int64s(name, values, dims = [values.length]) {
    return { name, dims, data_type: DataType.INT64, int64_data: values };
}
/** A float tensor's name, element type and dims (a string dim is symbolic). */
export function valueInfo(name, dims) {
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
/** The model around a graph: IR version 8 (ONNX 1.10 on), the default domain at `opset`. */
export function encodeGraph(graph, opset, producer) {
    return encodeModel({
        ir_version: 8,
        producer_name: producer,
        opset_import: [{ domain: '', version: opset }],
        graph: {
            name: graph.name,
            node: graph.nodes,
            initializer: graph.inits,
            input: graph.inputs,
            output: graph.outputs,
        },
    });
}
//# sourceMappingURL=encode.js.map