// Constants: Constant nodes, Shape and Size of a feature map (fixed, since the input shape is), and
// nodes whose inputs are all constants, evaluated while loading (the shape arithmetic of exporters).
import { evaluate } from '../constfold.js';
import { atNode, fail, need } from '../node.js';
import { describe } from '../values.js';
export const constantOps = {
    Constant: constant,
    Shape: shapeOf,
    Size: shapeOf,
};
/** Evaluates a node whose inputs are all constants (shape arithmetic); false when one is not. */
export function foldConstants(cx, info, attrs) {
    const given = info.inputs.filter((t) => t);
    if (given.length === 0 || !given.every((t) => cx.values.get(t)?.kind === 'const'))
        return false;
    const inputs = info.inputs.map((t) => {
        if (!t)
            return undefined;
        const c = cx.values.get(t).constant;
        const d = cx.data(c, info);
        need(d !== undefined, info, `cannot evaluate ${info.op}: the constant '${c.name}' has no data (a shape-only model?)`);
        return { dims: c.dims, ...d };
    });
    setConstant(cx, info, atNode(info, () => evaluate(info.op, inputs, foldAttrs(cx, info, attrs))));
    return true;
}
function foldAttrs(cx, info, attrs) {
    return {
        has: (name) => attrs.has(name),
        int: (name, fallback) => attrs.int(name, fallback),
        ints: (name) => attrs.ints(name),
        float: (name, fallback) => attrs.float(name, fallback),
        tensor: (name) => {
            const t = attrs.tensor(name);
            if (t === undefined)
                return undefined;
            const d = atNode(info, () => cx.decodeTensor(t, `${info.label}.${name}`));
            need(d !== null, info, `attribute '${name}' has no data`);
            return { dims: cx.dims(t), ...d };
        },
    };
}
function setConstant(cx, info, t) {
    const out = info.outputs[0];
    if (!out)
        return;
    const data = t.floats ? { floats: t.floats } : { ints: t.ints ?? [] };
    cx.values.set(out, { kind: 'const', constant: { name: out, dims: t.dims, data } });
}
/** Shape (or Size) of a feature map as ONNX sees it: a constant, since the input shape is fixed. */
function shapeOf(cx, info, attrs) {
    const v = cx.value(info, 0);
    let dims;
    if (v.kind === 'tensor') {
        const { c, h, w } = cx.shapes.get(v.tensor);
        dims = v.rank === 4 ? [1, c, h, w] : [1, c * h * w];
        // Reading a shape is no use of the data: it must not block folding into the producer.
        cx.internalUses.set(v.tensor, (cx.internalUses.get(v.tensor) ?? 0) + 1);
    }
    else if (v.kind === 'grouped' || v.kind === 'transposed') {
        const { c, h, w } = cx.shapes.get(v.tensor);
        const g = v.groups;
        dims = v.kind === 'grouped' ? [1, g, c / g, h, w] : [1, c / g, g, h, w];
    }
    else
        fail(info, `${info.op} of ${describe(v)} is not supported`);
    setConstant(cx, info, atNode(info, () => evaluate(info.op, [{ dims }], foldAttrs(cx, info, attrs))));
}
export function constant(cx, info, attrs) {
    const out = info.outputs[0];
    need(out, info, 'Constant has no output');
    const t = attrs.tensor('value');
    let constant;
    if (t !== undefined)
        constant = { name: out, dims: cx.dims(t), proto: t };
    else if (attrs.has('value_float'))
        constant = floatConstant(out, [], [attrs.float('value_float', 0)]);
    else if (attrs.has('value_floats')) {
        const f = attrs.floats('value_floats') ?? [];
        constant = floatConstant(out, [f.length], f);
    }
    else if (attrs.has('value_int'))
        constant = { name: out, dims: [], data: { ints: [attrs.int('value_int', 0)] } };
    else if (attrs.has('value_ints')) {
        const i = attrs.ints('value_ints') ?? [];
        constant = { name: out, dims: [i.length], data: { ints: i } };
    }
    else
        fail(info, 'Constant has no supported value attribute (value, value_float(s), value_int(s))');
    cx.values.set(out, { kind: 'const', constant });
}
function floatConstant(name, dims, values) {
    return { name, dims, data: { floats: Float32Array.from(values) } };
}
//# sourceMappingURL=constants.js.map