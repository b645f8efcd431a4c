// Activations: point-wise operators (Relu, Sigmoid, HardSigmoid, HardSwish, Swish, Clip) folded into the
// layer producing their input, also when an exporter writes one out as several nodes; and Softmax, a
// layer of its own.
import { Attrs } from '../attributes.js';
import { product } from '../dims.js';
import { DEFAULT_DOMAINS, need } from '../node.js';
import { constant } from './constants.js';
export const activationOps = {
    Relu: (cx, n) => pointwise(cx, n, { op: 'relu' }),
    Sigmoid: (cx, n) => pointwise(cx, n, { op: 'sigmoid' }),
    HardSwish: (cx, n) => pointwise(cx, n, { op: 'hardswish' }),
    Swish: swish,
    HardSigmoid: hardSigmoid,
    Clip: clip,
    Softmax: softmax,
};
/** The largest float32: Clip's default bounds. */
const FLOAT_MAX = 3.4028234663852886e38;
/** Folds a point-wise operator into the layer producing the node's input. */
function pointwise(cx, info, op) {
    const { layer, ref } = cx.foldTarget(info, 0);
    layer.post.push(op);
    cx.defineView(info, 0, ref.tensor, ref.rank);
}
function hardSigmoid(cx, info, attrs) {
    pointwise(cx, info, {
        op: 'hardsigmoid',
        alpha: attrs.float('alpha', 0.2),
        beta: attrs.float('beta', 0.5),
    });
}
function swish(cx, info, attrs) {
    const alpha = attrs.float('alpha', 1);
    need(alpha === 1, info, `Swish with alpha ${alpha} is not supported (only 1: x * sigmoid(x))`);
    pointwise(cx, info, { op: 'silu' });
}
function clip(cx, info, attrs) {
    // Opset 11+ gives the bounds as optional inputs, older opsets as attributes.
    const min = cx.hasInput(info, 1) ? cx.scalarIn(info, 1, 'min') : attrs.float('min', -FLOAT_MAX);
    const max = cx.hasInput(info, 2) ? cx.scalarIn(info, 2, 'max') : attrs.float('max', FLOAT_MAX);
    need(min <= max, info, `Clip min ${min} exceeds max ${max}`);
    const unbounded = !cx.hasInput(info, 2) && !attrs.has('max');
    pointwise(cx, info, min === 0 && unbounded ? { op: 'relu' } : { op: 'clip', min, max });
}
function softmax(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    const axis = attrs.int('axis', cx.opset >= 13 ? -1 : 1);
    const normal = axis < 0 ? axis + x.rank : axis;
    const vector = x.shape.h === 1 && x.shape.w === 1;
    // Before opset 13 Softmax flattened everything from `axis` on; from 13 it works along one axis.
    const ok = normal === 1 && (vector || (x.rank === 4 && cx.opset >= 13));
    need(ok, info, `Softmax is supported over channels only (axis 1 of [1,C,H,W], or of a [1,C] vector), got axis ${axis}`);
    const spec = { kind: 'softmax', name: cx.layerName(info), inputs: [x.tensor], post: [] };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, x.rank);
}
// --- written-out activations ------------------------------------------------------------------
/**
 * Folds an activation written as several nodes that read one feature map x into x's producer:
 * x * Sigmoid(x) (SiLU), x * HardSigmoid(x; 1/6, 0.5) and x * Clip(x + 3, 0, 6) / 6 (hard-swish, the
 * division anywhere), Clip(x + 3, 0, 6) / 6 (hard-sigmoid). `info` is the pattern's first node.
 * False when it starts none, or x has a reader outside it (then each node converts on its own).
 */
export function writtenOutActivation(cx, info) {
    const match = matchActivation(cx, info);
    if (match === undefined)
        return false;
    const v = cx.values.get(match.x);
    if (v?.kind !== 'tensor')
        return false;
    const layer = cx.layers.get(v.tensor);
    if (layer === undefined)
        return false;
    const reads = match.nodes.reduce((n, m) => n + m.inputs.filter((t) => t === match.x).length, 0);
    if (cx.usesOf(v.tensor) !== reads)
        return false;
    layer.post.push(match.op);
    cx.defineView(info, 0, v.tensor, v.rank);
    for (const m of match.nodes.slice(1))
        cx.activationNodes.set(m, match.x);
    return true;
}
function matchActivation(cx, first) {
    const hardSwish = { op: 'hardswish' };
    if (first.op === 'Sigmoid' || first.op === 'HardSigmoid') {
        const x = first.inputs[0];
        if (!x || cx.values.get(x)?.kind !== 'tensor')
            return undefined;
        if (first.op === 'HardSigmoid') {
            const attrs = new Attrs(first);
            if (!near(attrs.float('alpha', 0.2), 1 / 6) || !near(attrs.float('beta', 0.5), 0.5))
                return undefined;
        }
        const mul = productWith(cx, first, x);
        if (mul === undefined)
            return undefined;
        return { x, op: first.op === 'Sigmoid' ? { op: 'silu' } : hardSwish, nodes: [first, mul] };
    }
    if (first.op !== 'Add' || first.inputs.length !== 2)
        return undefined;
    const three = first.inputs.findIndex((t) => scalarConst(cx, t, first) === 3);
    const x = first.inputs[1 - three];
    if (three < 0 || !x || cx.values.get(x)?.kind !== 'tensor')
        return undefined;
    const clip = onlyReader(cx, first);
    if (clip === undefined || !isRelu6(cx, clip))
        return undefined;
    const next = onlyReader(cx, clip);
    if (next === undefined)
        return undefined;
    if (isSixth(cx, next, clip)) {
        const mul = productWith(cx, next, x);
        if (mul !== undefined)
            return { x, op: hardSwish, nodes: [first, clip, next, mul] };
        return { x, op: { op: 'hardsigmoid', alpha: 1 / 6, beta: 0.5 }, nodes: [first, clip, next] };
    }
    const mul = productWith(cx, clip, x);
    const sixth = mul && onlyReader(cx, mul);
    if (mul === undefined || sixth === undefined || !isSixth(cx, sixth, mul))
        return undefined;
    return { x, op: hardSwish, nodes: [first, clip, mul, sixth] };
}
/** The single default-domain node reading the single output of `info` once, unless it is a graph output. */
function onlyReader(cx, info) {
    const out = info.outputs[0];
    if (!out || info.outputs.length !== 1 || cx.graphOutputs.has(out))
        return undefined;
    const readers = cx.consumers.get(out) ?? [];
    const r = readers[0];
    if (readers.length !== 1 || r === undefined || !DEFAULT_DOMAINS.has(r.node.domain ?? ''))
        return undefined;
    return r.inputs.filter((t) => t === out).length === 1 ? r : undefined;
}
/** The Mul of x and the output of `info`, when it is that output's only reader. */
function productWith(cx, info, x) {
    const mul = onlyReader(cx, info);
    if (mul?.op !== 'Mul' || mul.inputs.length !== 2)
        return undefined;
    const [a, b] = mul.inputs;
    const out = info.outputs[0];
    return (a === x && b === out) || (a === out && b === x) ? mul : undefined;
}
/** Whether `next` divides the output of `info` by 6 (or multiplies it by 1/6). */
function isSixth(cx, next, info) {
    const out = info.outputs[0];
    if (next.inputs.length !== 2)
        return false;
    if (next.op === 'Div')
        return next.inputs[0] === out && near(scalarConst(cx, next.inputs[1], next), 6);
    if (next.op !== 'Mul')
        return false;
    const other = next.inputs[0] === out ? next.inputs[1] : next.inputs[0];
    return near(scalarConst(cx, other, next), 1 / 6);
}
function isRelu6(cx, clip) {
    if (clip.op !== 'Clip')
        return false;
    if (clip.inputs.length > 1)
        return scalarConst(cx, clip.inputs[1], clip) === 0 && scalarConst(cx, clip.inputs[2], clip) === 6;
    const attrs = new Attrs(clip);
    return attrs.float('min', Number.NaN) === 0 && attrs.float('max', Number.NaN) === 6;
}
/** A scalar constant's value; a Constant node later in the order is read ahead of its turn. */
function scalarConst(cx, name, reader) {
    if (!name)
        return undefined;
    const producer = cx.producers.get(name);
    if (!cx.values.has(name) && producer?.op === 'Constant' && DEFAULT_DOMAINS.has(producer.node.domain ?? ''))
        constant(cx, producer, new Attrs(producer));
    const v = cx.values.get(name);
    if (v?.kind !== 'const' || product(v.constant.dims) !== 1)
        return undefined;
    const d = cx.data(v.constant, reader);
    return d?.floats?.[0] ?? d?.ints?.[0];
}
function near(v, target) {
    return v !== undefined && Math.abs(v - target) <= 1e-6 * Math.abs(target);
}
//# sourceMappingURL=activations.js.map