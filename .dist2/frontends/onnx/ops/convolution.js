// Convolution and fully connected layers: Conv, and Gemm and MatMul over a flattened input.
import { noPads, shapeText } from '../../../ir/network.js';
import { dimsText, product, sameList } from '../dims.js';
import { need } from '../node.js';
import { windowPads } from './window.js';
export const convolutionOps = { Conv: conv, Gemm: gemm, MatMul: matMul };
function conv(cx, info, attrs) {
    const x = cx.spatialIn(info, 0);
    const w = cx.constIn(info, 1, 'weights');
    need(w.dims.length === 4, info, `only 2-D convolution is supported; the weights have dims ${dimsText(w.dims)}`);
    const [m, perGroup, kh, kw] = w.dims;
    const group = attrs.int('group', 1);
    need(Number.isInteger(group) && group >= 1, info, `group must be a positive integer, got ${group}`);
    need(perGroup * group === x.shape.c, info, `weights ${dimsText(w.dims)} with group ${group} expect ${perGroup * group} input channels, the input has ${x.shape.c}`);
    const kernelShape = attrs.ints('kernel_shape');
    need(kernelShape === undefined || sameList(kernelShape, [kh, kw]), info, `kernel_shape ${dimsText(kernelShape ?? [])} does not match the weights ${dimsText(w.dims)}`);
    const stride = attrs.pair('strides');
    const dilation = attrs.pair('dilations');
    const pads = windowPads(info, attrs, x.shape, x.extra, [kh, kw], stride, dilation);
    const spec = {
        kind: 'conv',
        name: cx.layerName(info),
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
    const weights = cx.floats(w, info, 'weights');
    if (weights)
        spec.weights = weights.slice();
    if (cx.isShared(w))
        spec.sharedWeights = w.name;
    if (cx.hasInput(info, 2))
        setBias(cx, info, spec, cx.constIn(info, 2, 'bias'), 1);
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, 4);
}
/** Sets a bias of outChannels elements (or one broadcast element), scaled by `beta`. */
function setBias(cx, info, spec, b, beta) {
    const n = product(b.dims);
    const c = spec.outChannels;
    need(n === c || (n === 1 && b.dims.length <= 1), info, `the bias '${b.name}' has dims ${dimsText(b.dims)}, expected ${c} values`);
    spec.hasBias = true;
    const values = cx.floats(b, info, 'bias');
    // A broadcast scalar is expanded only when the weights' data confirms the channel count.
    if (values && (n === c || spec.weights !== undefined))
        spec.bias = Float32Array.from({ length: c }, (_, o) => values[n === 1 ? 0 : o] * beta);
    if (cx.isShared(b) && beta === 1 && n === c)
        spec.sharedBias = b.name;
}
/** A fully connected layer over a flattened input: [out][C*H*W] is exactly the conv [out][C][H][W] layout. */
function fullyConnected(cx, info, x, outChannels) {
    return {
        kind: 'conv',
        name: cx.layerName(info),
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
function flatInput(cx, info) {
    const x = cx.tensorIn(info, 0);
    need(x.rank === 2, info, `${info.op} needs a 2-D input [1, K]; '${info.inputs[0]}' is 4-D (flatten it first)`);
    return x;
}
function gemm(cx, info, attrs) {
    const x = flatInput(cx, info);
    need(attrs.int('transA', 0) === 0, info, 'Gemm with transA=1 is not supported');
    const transB = attrs.int('transB', 0) !== 0;
    const alpha = attrs.float('alpha', 1);
    const beta = attrs.float('beta', 1);
    const b = cx.constIn(info, 1, 'weights');
    need(b.dims.length === 2, info, `the weights must be 2-D, got ${dimsText(b.dims)}`);
    const [n, k] = transB ? [b.dims[0], b.dims[1]] : [b.dims[1], b.dims[0]];
    const inputs = x.shape.c * x.shape.h * x.shape.w;
    need(k === inputs, info, `weights ${dimsText(b.dims)} (transB=${transB ? 1 : 0}) expect ${k} inputs, the input has ${inputs} (${shapeText(x.shape)})`);
    const spec = fullyConnected(cx, info, x, n);
    const values = cx.floats(b, info, 'weights');
    if (values) {
        const weights = transB ? values.slice() : transpose(values, k, n);
        if (alpha !== 1)
            for (let i = 0; i < weights.length; i++)
                weights[i] *= alpha;
        spec.weights = weights;
    }
    if (cx.isShared(b) && alpha === 1)
        spec.sharedWeights = transB ? b.name : `${b.name}^T`;
    if (cx.hasInput(info, 2) && beta !== 0)
        setBias(cx, info, spec, cx.constIn(info, 2, 'bias'), beta);
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, 2);
}
function matMul(cx, info) {
    const x = flatInput(cx, info);
    const b = cx.constIn(info, 1, 'weights');
    need(b.dims.length === 2, info, `the weights must be 2-D [K, N], got ${dimsText(b.dims)}`);
    const [k, n] = [b.dims[0], b.dims[1]];
    const inputs = x.shape.c * x.shape.h * x.shape.w;
    need(k === inputs, info, `weights ${dimsText(b.dims)} expect ${k} inputs, the input has ${inputs}`);
    const spec = fullyConnected(cx, info, x, n);
    const values = cx.floats(b, info, 'weights');
    if (values)
        spec.weights = transpose(values, k, n);
    if (cx.isShared(b))
        spec.sharedWeights = `${b.name}^T`;
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, 2);
}
/** [rows][cols] to [cols][rows]. */
function transpose(values, rows, cols) {
    const out = new Float32Array(values.length);
    for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++)
            out[c * rows + r] = values[r * cols + c];
    return out;
}
//# sourceMappingURL=convolution.js.map