// Element-wise operators: Add, Sub, Mul, Div, Sum and Max of feature maps (eltwise layers), with a constant
// (a scale or shift folded into the producing convolution), and BatchNormalization (folded into the
// producing convolution or affine layer where it can be, an affine layer of its own where not).
import { batchNormAffine, foldAffine, foldAffineIntoConv, takesAffine } from '../../../ir/fold.js';
import { shapeText } from '../../../ir/network.js';
import { dimsText, product, sameList } from '../dims.js';
import { atNode, need } from '../node.js';
export const elementwiseOps = {
    Add: (cx, n) => binary(cx, n, 'add'),
    Sub: (cx, n) => binary(cx, n, 'sub'),
    Mul: (cx, n) => binary(cx, n, 'mul'),
    Div: (cx, n) => binary(cx, n, 'div'),
    Sum: (cx, n) => eltwise(cx, n, 'add'),
    Max: (cx, n) => eltwise(cx, n, 'max'),
    BatchNormalization: batchNorm,
};
function binary(cx, info, op) {
    need(info.inputs.length === 2, info, `${info.op} expects 2 inputs, got ${info.inputs.length}`);
    const kinds = [0, 1].map((i) => cx.value(info, i).kind);
    const constant = kinds.indexOf('const');
    if (constant < 0) {
        need(op === 'add' || op === 'mul', info, `${info.op} of two feature maps is not supported`);
        eltwise(cx, info, op);
        return;
    }
    // The constant folds into the producer as a shift or a scale: x - c = x + (-c), x / c = x * (1/c).
    need(op === 'add' || op === 'mul' || constant === 1, info, `${info.op} with a constant first operand is not supported (only feature map ${op === 'sub' ? '-' : '/'} constant)`);
    const transform = op === 'sub' ? (v) => -v : op === 'div' ? (v) => 1 / v : undefined;
    foldConstant(cx, info, op === 'add' || op === 'sub' ? 'add' : 'mul', 1 - constant, constant, transform);
}
function eltwise(cx, info, op) {
    need(info.inputs.length >= 2, info, `${info.op} expects at least 2 inputs, got ${info.inputs.length}`);
    const refs = info.inputs.map((_, i) => cx.tensorIn(info, i));
    const rank = refs.some((r) => r.rank === 4) ? 4 : 2;
    // Broadcasting aligns trailing axes, so a [1,C] and a [1,C,H,W] operand do not mean per-channel.
    need(refs.every((r) => r.rank === rank) || refs.every((r) => r.shape.h === 1 && r.shape.w === 1), info, `operands of different ranks (${refs.map((r) => `${r.rank}-D ${shapeText(r.shape)}`).join(', ')}) are not supported`);
    const spec = {
        kind: 'eltwise',
        name: cx.layerName(info),
        inputs: refs.map((r) => r.tensor),
        post: [],
        op,
    };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, rank);
}
/** Add/Mul with a per-channel or scalar constant, folded into the producing convolution. */
function foldConstant(cx, info, op, t, k, transform) {
    const { layer, ref } = cx.foldTarget(info, t);
    need(layer.kind === 'conv', info, `${info.op} with a constant can only follow a Conv/Gemm/MatMul (folded into it), not a ${layer.kind} layer`);
    const c = cx.constIn(info, k, 'operand');
    const n = product(c.dims);
    const channels = layer.outChannels;
    const vector = ref.shape.h === 1 && ref.shape.w === 1;
    // Per-channel means [C,1,1] against a 4-D tensor but [C] against a 2-D one.
    const perChannel = n === channels &&
        (ref.rank === 4
            ? c.dims.length >= 3 && c.dims.length <= 4 && sameList(c.dims.slice(-2), [1, 1])
            : vector && c.dims.length <= 2) &&
        c.dims.every((d) => d === 1 || d === channels);
    need(n === 1 || perChannel, info, `the constant '${c.name}' ${dimsText(c.dims)} is neither a scalar nor per-channel for ${shapeText(ref.shape)}`);
    need(layer.post.length === 0, info, `cannot fold ${info.op} after the point-wise ${layer.post.map((p) => p.op).join(', ')}`);
    const values = cx.floats(c, info, 'operand');
    // Without weights or bias there is nothing to scale or shift (and outChannels may be unverified).
    const hasData = layer.weights !== undefined || layer.bias !== undefined;
    need(values || !hasData, info, `the constant '${c.name}' has no data but the layer's parameters do`);
    const full = values && hasData
        ? Float32Array.from({ length: channels }, (_, o) => {
            const v = values[n === 1 ? 0 : o];
            return transform ? transform(v) : v;
        })
        : undefined;
    if (op === 'add') {
        atNode(info, () => foldAffineIntoConv(layer, full ? { shift: full } : 'shapeOnly'));
        layer.sharedBias = undefined;
    }
    else if (full) {
        const per = layer.weights ? layer.weights.length / channels : 0;
        if (layer.weights)
            for (let i = 0; i < layer.weights.length; i++)
                layer.weights[i] *= full[Math.floor(i / per)];
        if (layer.bias)
            for (let o = 0; o < channels; o++)
                layer.bias[o] *= full[o];
        layer.sharedWeights = undefined;
        layer.sharedBias = undefined;
    }
    cx.defineView(info, 0, ref.tensor, ref.rank);
}
function batchNorm(cx, info, attrs) {
    for (const extra of info.outputs.slice(1))
        need(!extra || !cx.uses.get(extra), info, 'BatchNormalization in training mode is not supported');
    const ref = cx.tensorIn(info, 0);
    need(ref.rank === 4 || (ref.shape.h === 1 && ref.shape.w === 1), info, 'BatchNormalization over a flattened feature map is not supported');
    const channels = ref.shape.c;
    const names = ['scale', 'bias', 'mean', 'variance'];
    const params = names.map((what, i) => {
        const c = cx.constIn(info, i + 1, what);
        need(product(c.dims) === channels, info, `the ${what} '${c.name}' has ${product(c.dims)} values, the layer has ${channels} channels`);
        return cx.floats(c, info, what);
    });
    const [gamma, beta, mean, variance] = params;
    const known = gamma && beta && mean && variance;
    need(known || params.every((p) => p === undefined), info, 'some batch-norm parameters have data and some do not');
    const affine = known
        ? batchNormAffine(gamma, beta, mean, variance, attrs.float('epsilon', 1e-5))
        : 'shapeOnly';
    const producer = cx.layers.get(ref.tensor);
    // Folded into the producing convolution (or affine layer) when nothing else reads its output and
    // no point-wise operator comes between; otherwise a layer of its own (after a concat, a pooling,
    // an activation, or a tensor with other readers, as in DenseNet's pre-activation blocks).
    if (takesAffine(producer) && cx.usesOf(ref.tensor) <= 1) {
        atNode(info, () => foldAffine(producer, affine));
        // The folded weights and bias are the layer's own now, no longer tensors other layers share.
        if (producer.kind === 'conv') {
            producer.sharedWeights = undefined;
            producer.sharedBias = undefined;
        }
        cx.defineView(info, 0, ref.tensor, ref.rank);
        return;
    }
    const spec = {
        kind: 'affine',
        name: cx.layerName(info),
        inputs: [ref.tensor],
        post: [],
        ...(affine === 'shapeOnly' ? {} : affine),
    };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, ref.rank);
}
//# sourceMappingURL=elementwise.js.map