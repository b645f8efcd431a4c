// Views: operators that change only how ONNX sees an IR tensor, not its data. Flatten, Reshape,
// Squeeze and Unsqueeze switch between [1,C,H,W] and [1,C*H*W]; Reshape-Transpose-Reshape is a channel
// shuffle; a zero Pad waits for the Conv or AveragePool that absorbs it into its padding.
import { addPads, noPads } from '../../../ir/network.js';
import { dimsText, product, sameList } from '../dims.js';
import { fail, need } from '../node.js';
import { describe } from '../values.js';
export const viewOps = {
    Flatten: flatten,
    Reshape: reshape,
    Transpose: transpose,
    Squeeze: squeeze,
    Unsqueeze: squeeze,
    Pad: pad,
};
/** Consumers a Pad may feed; MaxPool is listed so that it can explain why it cannot absorb one. */
const PAD_READERS = new Set(['Conv', 'AveragePool', 'MaxPool', 'Pad']);
function flatten(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    const axis = attrs.int('axis', 1);
    const normal = axis < 0 ? axis + x.rank : axis;
    // At batch 1, axis 0 and axis 1 both give [1, C*H*W].
    need(normal === 0 || normal === 1, info, `Flatten with axis ${axis} is not supported (only 0 or 1)`);
    cx.defineView(info, 0, x.tensor, 2);
}
/** Target of a Reshape with 0 (copy) and -1 (infer) resolved. */
function reshapeTarget(info, from, target, allowZero) {
    const total = product(from);
    const dims = target.map((t, i) => {
        if (t !== 0 || allowZero)
            return t;
        need(i < from.length, info, `Reshape copies dimension ${i} that the input does not have`);
        return from[i];
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
function reshape(cx, info, attrs) {
    const v = cx.value(info, 0);
    const shape = cx.constIn(info, 1, 'target shape');
    const allowZero = attrs.int('allowzero', 0) !== 0;
    if (v.kind === 'transposed') {
        const x = cx.shapes.get(v.tensor);
        const from = [1, x.c / v.groups, v.groups, x.h, x.w];
        const dims = reshapeTarget(info, from, cx.ints(shape, info, 'target shape'), allowZero);
        need(sameList(dims, [1, x.c, x.h, x.w]), info, `a channel shuffle must end with a Reshape to [1, ${x.c}, ${x.h}, ${x.w}], got ${dimsText(dims)}`);
        const spec = {
            kind: 'shuffle',
            name: cx.layerName(info),
            inputs: [v.tensor],
            post: [],
            groups: v.groups,
        };
        cx.addLayer(info, spec);
        cx.defineLayerOutput(info, 0, spec.name, 4);
        return;
    }
    const x = cx.tensorIn(info, 0);
    const { c, h, w } = x.shape;
    const from = x.rank === 4 ? [1, c, h, w] : [1, c * h * w];
    const data = cx.data(shape, info);
    let dims;
    if (data === undefined) {
        // Shape-only model: a 2-element target can only be the flattening [1, C*H*W] at batch 1.
        need(sameList(shape.dims, [2]), info, `the target shape '${shape.name}' has no data (a shape-only model?)`);
        dims = [1, c * h * w];
    }
    else
        dims = reshapeTarget(info, from, cx.ints(shape, info, 'target shape'), allowZero);
    if ((dims.length === 2 && dims[0] === 1) || sameList(dims, [1, c, h, w])) {
        cx.defineView(info, 0, x.tensor, dims.length === 2 ? 2 : 4);
        return;
    }
    if (x.rank === 4 && dims.length === 5 && dims[0] === 1 && dims[3] === h && dims[4] === w && dims[1] > 1) {
        const out = info.outputs[0];
        if (out)
            cx.values.set(out, { kind: 'grouped', tensor: x.tensor, groups: dims[1] });
        return;
    }
    fail(info, `Reshape of ${dimsText(from)} to ${dimsText(dims)} is not supported (only flattening, reshapes of C x 1 x 1 vectors and the Reshape-Transpose-Reshape channel shuffle)`);
}
function transpose(cx, info, attrs) {
    const v = cx.value(info, 0);
    const perm = attrs.ints('perm');
    if (v.kind === 'grouped' && perm && sameList(perm, [0, 2, 1, 3, 4])) {
        const out = info.outputs[0];
        if (out)
            cx.values.set(out, { kind: 'transposed', tensor: v.tensor, groups: v.groups });
        return;
    }
    if (v.kind === 'tensor' && perm && sameList(perm, v.rank === 4 ? [0, 1, 2, 3] : [0, 1])) {
        cx.defineView(info, 0, v.tensor, v.rank);
        return;
    }
    fail(info, 'Transpose is only supported inside a channel shuffle (Reshape [1,g,C/g,H,W], Transpose [0,2,1,3,4], Reshape [1,C,H,W])');
}
/** Squeeze/Unsqueeze between [1,C,1,1] and [1,C]: only the rank of the view changes. */
function squeeze(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    const squeeze = info.op === 'Squeeze';
    const axes = cx.axes(info, attrs, 1);
    const normal = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
    need(x.shape.h === 1 && x.shape.w === 1 && x.rank === (squeeze ? 4 : 2) && sameList(normal, [2, 3]), info, `${info.op} is only supported between [1, C, 1, 1] and [1, C] (axes [2, 3])`);
    cx.defineView(info, 0, x.tensor, squeeze ? 2 : 4);
}
function pad(cx, info, attrs) {
    const v = cx.value(info, 0);
    need((v.kind === 'tensor' && v.rank === 4) || v.kind === 'padded', info, `Pad needs a 4-D feature map, '${info.inputs[0]}' is ${v.kind === 'tensor' ? 'a 2-D view' : describe(v)}`);
    const mode = attrs.string('mode', 'constant');
    need(mode === 'constant', info, `Pad mode '${mode}' is not supported (only constant zero padding)`);
    const pads = cx.hasInput(info, 1) ? cx.intsIn(info, 1, 'pads') : attrs.ints('pads');
    need(pads !== undefined, info, 'Pad has no pads');
    const fill = cx.hasInput(info, 2) ? cx.scalarIn(info, 2, 'constant value') : attrs.float('value', 0);
    need(fill === 0, info, `Pad with value ${fill} is not supported (only zero)`);
    const axes = (cx.hasInput(info, 3) ? cx.intsIn(info, 3, 'axes') : [0, 1, 2, 3]).map((a) => a < 0 ? a + 4 : a);
    need(pads.length === 2 * axes.length, info, `Pad has ${pads.length} pads for ${axes.length} axes`);
    const p = { top: 0, left: 0, bottom: 0, right: 0 };
    axes.forEach((axis, j) => {
        const before = pads[j];
        const after = pads[j + axes.length];
        need(before >= 0 && after >= 0, info, `negative Pad (cropping) is not supported: ${dimsText(pads)}`);
        if (axis === 2)
            [p.top, p.bottom] = [before, after];
        else if (axis === 3)
            [p.left, p.right] = [before, after];
        else
            need(before === 0 && after === 0, info, `Pad is supported on height and width only, got ${dimsText(pads)}`);
    });
    if (v.kind === 'tensor' && p.top + p.left + p.bottom + p.right === 0) {
        cx.defineView(info, 0, v.tensor, 4);
        return;
    }
    const out = info.outputs[0];
    if (!out)
        return;
    const readers = cx.consumers.get(out) ?? [];
    need(!cx.graphOutputs.has(out) && readers.every((r) => PAD_READERS.has(r.op)), info, 'Pad is only supported in front of Conv or AveragePool (folded into their padding)');
    const base = v.kind === 'padded' ? v.pads : noPads;
    cx.values.set(out, {
        kind: 'padded',
        tensor: v.tensor,
        pads: addPads(base, p),
    });
}
//# sourceMappingURL=views.js.map