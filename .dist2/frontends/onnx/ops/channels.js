// Channel operations: Concat, Split and Slice along the channels, and LRN across them.
import { dimsText } from '../dims.js';
import { need } from '../node.js';
export const channelOps = { Concat: concat, Split: split, Slice: slice, LRN: lrn };
function concat(cx, info, attrs) {
    need(attrs.has('axis'), info, 'Concat has no axis');
    const axis = attrs.int('axis', 1);
    const refs = info.inputs.map((_, i) => cx.tensorIn(info, i));
    need(refs.length >= 1, info, 'Concat has no inputs');
    const rank = refs[0].rank;
    need(refs.every((r) => r.rank === rank), info, 'Concat of tensors of different ranks is not supported');
    const normal = axis < 0 ? axis + rank : axis;
    need(normal === 1 && (rank === 4 || refs.every((r) => r.shape.h === 1 && r.shape.w === 1)), info, `Concat is supported along channels only (axis 1), got axis ${axis} on ${rank}-D tensors`);
    const spec = {
        kind: 'concat',
        name: cx.layerName(info),
        inputs: refs.map((r) => r.tensor),
        post: [],
    };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, rank);
}
function slices(cx, info, x, ranges, used) {
    for (const [k, [start, end]] of ranges.entries()) {
        if (!used[k])
            continue;
        if (start === 0 && end === x.shape.c) {
            cx.defineView({ ...info, outputs: [info.outputs[k]] }, 0, x.tensor, x.rank);
            continue;
        }
        const name = ranges.length === 1 ? cx.layerName(info) : cx.layerName(info, String(k));
        cx.addLayer(info, { kind: 'slice', name, inputs: [x.tensor], post: [], start, end });
        cx.defineLayerOutput(info, k, name, x.rank);
    }
}
function split(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    const axis = attrs.int('axis', 0);
    need(channelAxis(x, axis), info, `Split is supported along channels only (axis 1), got axis ${axis}`);
    const c = x.shape.c;
    const n = info.outputs.length;
    need(n >= 1, info, 'Split has no outputs');
    let sizes;
    if (cx.hasInput(info, 1))
        sizes = cx.intsIn(info, 1, 'split sizes');
    else if (attrs.ints('split') !== undefined)
        sizes = attrs.ints('split');
    else if (attrs.has('num_outputs')) {
        // Opset 18: equal chunks of ceil(C/n), the last one smaller.
        const chunk = Math.ceil(c / n);
        sizes = Array.from({ length: n }, (_, k) => Math.min(chunk, c - k * chunk));
    }
    else {
        need(c % n === 0, info, `cannot split ${c} channels evenly into ${n} outputs`);
        sizes = Array(n).fill(c / n);
    }
    need(sizes.length === n && sizes.every((s) => Number.isInteger(s) && s > 0), info, `split sizes ${dimsText(sizes)} do not give ${n} non-empty outputs`);
    need(sizes.reduce((a, b) => a + b, 0) === c, info, `split sizes ${dimsText(sizes)} do not add up to ${c} channels`);
    let start = 0;
    const ranges = sizes.map((s) => {
        start += s;
        return [start - s, start];
    });
    slices(cx, info, x, ranges, info.outputs.map((o) => Boolean(o) && (cx.uses.get(o) ?? 0) > 0));
}
function slice(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    let starts;
    let ends;
    let axes;
    let steps;
    if (info.inputs.length > 1) {
        starts = cx.intsIn(info, 1, 'starts');
        ends = cx.intsIn(info, 2, 'ends');
        if (cx.hasInput(info, 3))
            axes = cx.intsIn(info, 3, 'axes');
        if (cx.hasInput(info, 4))
            steps = cx.intsIn(info, 4, 'steps');
    }
    else {
        starts = attrs.ints('starts');
        ends = attrs.ints('ends');
        axes = attrs.ints('axes');
    }
    need(starts !== undefined && ends !== undefined, info, 'Slice has no starts/ends');
    axes ??= starts.map((_, i) => i);
    need(starts.length === ends.length &&
        axes.length === starts.length &&
        (!steps || steps.length === starts.length), info, 'Slice starts, ends, axes and steps differ in length');
    const dims = x.rank === 4 ? [1, x.shape.c, x.shape.h, x.shape.w] : [1, x.shape.c * x.shape.h * x.shape.w];
    let range = [0, x.shape.c];
    axes.forEach((axis, j) => {
        const normal = axis < 0 ? axis + x.rank : axis;
        need(normal >= 0 && normal < x.rank, info, `Slice axis ${axis} is out of range for a ${x.rank}-D tensor`);
        need((steps?.[j] ?? 1) === 1, info, `Slice with step ${steps?.[j]} is not supported (only step 1)`);
        const d = dims[normal];
        // Negative indices count from the end; everything is clamped (ends like INT64_MAX mean "to the end").
        const clamp = (v) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
        const s = clamp(starts[j]);
        const e = clamp(ends[j]);
        if (channelAxis(x, axis))
            range = [s, e];
        else
            need(s === 0 && e === d, info, `Slice along axis ${axis} is not supported (only channels, axis 1)`);
    });
    need(range[0] < range[1], info, `Slice selects no channels ([${range[0]}, ${range[1]}) of ${x.shape.c})`);
    slices(cx, info, x, [range], [true]);
}
/** Channel axis check shared by Split and Slice: 4-D axis 1, or axis 1 of a [1,C] vector. */
function channelAxis(x, axis) {
    const normal = axis < 0 ? axis + x.rank : axis;
    return normal === 1 && (x.rank === 4 || (x.shape.h === 1 && x.shape.w === 1));
}
/** ONNX's LRN is the IR's: x / (bias + alpha/size * sum of squares)^beta over channels [c - floor((size-1)/2), c + ceil((size-1)/2)]. */
function lrn(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    need(x.rank === 4, info, `LRN needs a 4-D input [N,C,H,W], '${info.inputs[0]}' is 2-D`);
    need(attrs.has('size'), info, 'LRN has no size');
    const size = attrs.int('size', 1);
    need(Number.isInteger(size) && size >= 1, info, `LRN size must be a positive integer, got ${size}`);
    const spec = {
        kind: 'lrn',
        name: cx.layerName(info),
        inputs: [x.tensor],
        post: [],
        size,
        alpha: attrs.float('alpha', 1e-4),
        beta: attrs.float('beta', 0.75),
        k: attrs.float('bias', 1),
    };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, 4);
}
//# sourceMappingURL=channels.js.map