// Structure-aware ONNX mutations: the model decoded with the frontend's own schema, one part of the graph
// changed (dims, attributes, types, names, edges, operators, external data), and encoded again.
import { DataType, decodeModel, encodeModel } from '../frontends/onnx/schema.js';
const ops = [
    'Add',
    'AveragePool',
    'BatchNormalization',
    'Clip',
    'Concat',
    'Constant',
    'Conv',
    'ConvTranspose',
    'Dropout',
    'Flatten',
    'Gemm',
    'GlobalAveragePool',
    'GlobalMaxPool',
    'HardSigmoid',
    'HardSwish',
    'Identity',
    'MatMul',
    'MaxPool',
    'Mul',
    'Pad',
    'ReduceMean',
    'Relu',
    'Reshape',
    'Sigmoid',
    'Slice',
    'Softmax',
    'Split',
    'Squeeze',
    'Sum',
    'Transpose',
    'Unsqueeze',
    'LSTM',
    'Loop',
    'If',
    'Resize',
    'Gather',
    '',
    'conv',
];
const dims = [0, -1, 1, 2, 3, 7, 1024, 65536, 2 ** 31 - 1, 2 ** 31, 2 ** 40, 2 ** 53, -(2 ** 31)];
const ints = [0, -1, 1, 2, 3, -2, 100, 2 ** 31, 2 ** 40, -(2 ** 40)];
const floats = [0, -1, 1, 0.5, 1e30, -1e30, Number.NaN, Number.POSITIVE_INFINITY, 1e-40];
const attributeNames = [
    'kernel_shape',
    'strides',
    'pads',
    'dilations',
    'group',
    'auto_pad',
    'axis',
    'perm',
    'alpha',
    'beta',
    'transA',
    'transB',
    'epsilon',
    'mode',
    'ceil_mode',
    'keepdims',
    'axes',
    'min',
    'max',
    'value',
    'split',
];
function valueInfos(g) {
    return [...g.input, ...g.output, ...g.value_info];
}
function shapeDims(v) {
    const shape = v.type?.tensor_type?.shape;
    return shape?.dim;
}
function names(g) {
    const all = new Set();
    for (const n of g.node)
        for (const x of [...n.input, ...n.output])
            all.add(x);
    for (const v of valueInfos(g))
        if (v.name)
            all.add(v.name);
    for (const t of g.initializer)
        if (t.name)
            all.add(t.name);
    return [...all];
}
function mutateAttribute(c, a) {
    switch (c.int(0, 6)) {
        case 0:
            a.ints =
                a.ints.length > 0 && c.chance(0.5)
                    ? a.ints.map((v) => (c.chance(0.5) ? c.pick(ints) : v))
                    : Array.from({ length: c.int(0, 6) }, () => c.pick(ints));
            break;
        case 1:
            a.i = c.pick(ints);
            break;
        case 2:
            a.f = c.pick(floats);
            break;
        case 3:
            a.type = c.int(0, 15);
            break;
        case 4:
            a.name = c.pick(attributeNames);
            break;
        case 5:
            a.s = new TextEncoder().encode(c.pick(['SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET', 'constant', 'reflect', '', 'x']));
            break;
        default:
            a.floats = Array.from({ length: c.int(0, 4) }, () => c.pick(floats));
    }
}
function mutateTensor(c, t) {
    switch (c.int(0, 5)) {
        case 0:
            t.dims =
                t.dims.length > 0 && c.chance(0.6)
                    ? t.dims.map((d) => (c.chance(0.4) ? c.pick(dims) : d))
                    : Array.from({ length: c.int(0, 5) }, () => c.pick(dims));
            break;
        case 1:
            t.data_type = c.pick([...Object.values(DataType), 99]);
            break;
        case 2:
            if (t.raw_data)
                t.raw_data = t.raw_data.subarray(0, c.int(0, t.raw_data.length));
            else
                t.float_data = t.float_data.slice(0, c.int(0, t.float_data.length));
            break;
        case 3:
            t.external_data = [
                {
                    key: 'location',
                    value: c.pick(['w.bin', 'missing.bin', '../../etc/passwd', '/dev/zero', '', '.']),
                },
                ...(c.chance(0.6)
                    ? [{ key: 'offset', value: c.pick(['0', '-1', '4', '1e3', 'x', '99999999999']) }]
                    : []),
                ...(c.chance(0.6) ? [{ key: 'length', value: c.pick(['0', '-4', '16', '4294967296', 'abc']) }] : []),
            ];
            t.data_location = 1;
            delete t.raw_data;
            break;
        case 4:
            t.int64_data = Array.from({ length: c.int(0, 8) }, () => c.pick(ints));
            break;
        default:
            t.float_data = Array.from({ length: c.int(0, 8) }, () => c.pick(floats));
    }
}
/** One to a few edits of the decoded model; undefined if the seed does not decode. */
export function mutateOnnxModel(c, bytes) {
    let model;
    try {
        model = decodeModel(bytes);
    }
    catch {
        return undefined;
    }
    const g = model.graph;
    if (!g)
        return undefined;
    for (let k = c.count(4); k > 0; k--) {
        const nodes = g.node;
        const node = nodes.length > 0 ? c.pick(nodes) : undefined;
        switch (c.int(0, 13)) {
            case 0: {
                const v = c.pick(valueInfos(g).length > 0 ? valueInfos(g) : [{}]);
                const d = shapeDims(v);
                if (d && d.length > 0) {
                    if (c.chance(0.7))
                        d[c.int(0, d.length - 1)] = c.chance(0.8) ? { dim_value: c.pick(dims) } : { dim_param: 'N' };
                    else if (c.chance(0.5))
                        d.splice(c.int(0, d.length - 1), 1);
                    else
                        d.push({ dim_value: c.pick(dims) });
                }
                else if (v.type?.tensor_type)
                    v.type.tensor_type.elem_type = c.int(0, 17);
                break;
            }
            case 1:
                if (node)
                    node.op_type = c.pick(ops);
                break;
            case 2:
            case 3:
                if (node && node.attribute.length > 0 && c.chance(0.8))
                    mutateAttribute(c, c.pick(node.attribute));
                else if (node)
                    node.attribute.push({
                        name: c.pick(attributeNames),
                        type: c.pick([1, 2, 7]),
                        i: c.pick(ints),
                        ints: [c.pick(ints), c.pick(ints)],
                        floats: [],
                        strings: [],
                        tensors: [],
                        graphs: [],
                    });
                break;
            case 4:
                if (node && node.attribute.length > 0)
                    node.attribute.splice(c.int(0, node.attribute.length - 1), 1);
                break;
            case 5: {
                // an edge rewired: a name from anywhere (a cycle, a dangling or a duplicated edge)
                if (!node)
                    break;
                const list = c.chance(0.7) ? node.input : node.output;
                const all = names(g);
                const replacement = c.chance(0.8) && all.length > 0 ? c.pick(all) : c.pick(['', 'nowhere', 'x:0']);
                if (list.length > 0 && c.chance(0.7))
                    list[c.int(0, list.length - 1)] = replacement;
                else if (list.length > 0 && c.chance(0.5))
                    list.splice(c.int(0, list.length - 1), 1);
                else
                    list.push(replacement);
                break;
            }
            case 6:
                if (nodes.length > 0)
                    nodes.splice(c.int(0, nodes.length - 1), 1);
                break;
            case 7:
                if (node)
                    nodes.splice(c.int(0, nodes.length), 0, structuredClone(node));
                break;
            case 8:
                if (nodes.length > 1) {
                    const i = c.int(0, nodes.length - 1);
                    const j = c.int(0, nodes.length - 1);
                    [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
                }
                break;
            case 9:
            case 10:
                if (g.initializer.length > 0)
                    mutateTensor(c, c.pick(g.initializer));
                break;
            case 11: {
                const list = c.pick([g.input, g.output, g.value_info]);
                if (list.length > 0 && c.chance(0.6))
                    list.splice(c.int(0, list.length - 1), 1);
                else if (list.length > 0)
                    list.push(structuredClone(c.pick(list)));
                break;
            }
            case 12:
                if (model.opset_import.length > 0 && c.chance(0.7))
                    model.opset_import[0].version = c.pick([0, 1, 6, 9, 13, 21, 99, -1]);
                else
                    model.opset_import = c.chance(0.5)
                        ? []
                        : [{ domain: c.pick(['', 'ai.onnx', 'com.microsoft', 'x']), version: 13 }];
                break;
            default:
                if (node && c.chance(0.5))
                    node.domain = c.pick(['', 'ai.onnx', 'com.microsoft', 'custom']);
                else if (node)
                    node.name = c.pick(['', 'a\nb', 'conv', 'x'.repeat(500)]);
        }
    }
    try {
        return encodeModel(model);
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=onnx.js.map