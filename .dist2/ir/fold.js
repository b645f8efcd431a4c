// Folding of per-channel affine operators (batch-norm, Caffe Scale) into the producing convolution or
// affine layer, shared by the ONNX and Caffe frontends.
import { check } from './errors.js';
/** Batch-norm as an affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
export function batchNormAffine(gamma, beta, mean, variance, epsilon) {
    const n = mean.length;
    const scale = new Float32Array(n);
    const shift = new Float32Array(n);
    for (let c = 0; c < n; c++) {
        const s = (gamma ? gamma[c] : 1) / Math.sqrt(variance[c] + epsilon);
        scale[c] = s;
        shift[c] = (beta ? beta[c] : 0) - mean[c] * s;
    }
    return { scale, shift };
}
/** A scale and shift fold into a layer only before its point-wise operators. */
function checkNoPost(layer) {
    check(layer.post.length === 0, `cannot fold a per-channel scale after the point-wise ${layer.post.map((p) => p.op).join(', ')}`, layer.name);
}
function checkChannels(affine, n, what, node) {
    for (const v of [affine.scale, affine.shift])
        check(v === undefined || v.length === n, `normalisation has ${v?.length} channels, ${what} ${n}`, node);
}
/**
 * Folds y = scale * conv(x) + shift into the convolution's weights and bias (in place).
 * `shapeOnly` says the parameters are unknown (a shape-only model): then only the bias flag changes.
 */
export function foldAffineIntoConv(conv, affine) {
    const node = conv.name;
    checkNoPost(conv);
    if (affine === 'shapeOnly') {
        check(conv.weights === undefined, 'normalisation parameters have no data but the weights do', node);
        conv.hasBias = true;
        return;
    }
    const n = conv.outChannels;
    checkChannels(affine, n, 'the convolution', node);
    const { scale, shift } = affine;
    if (conv.weights !== undefined && scale !== undefined) {
        const per = conv.weights.length / n;
        for (let o = 0; o < n; o++)
            for (let i = 0; i < per; i++)
                conv.weights[o * per + i] *= scale[o];
    }
    if (conv.weights !== undefined || conv.bias !== undefined) {
        const bias = new Float32Array(n);
        for (let o = 0; o < n; o++)
            bias[o] = (conv.bias ? conv.bias[o] : 0) * (scale ? scale[o] : 1) + (shift ? shift[o] : 0);
        conv.bias = bias;
    }
    conv.hasBias = true;
}
/**
 * Whether a per-channel scale and shift can fold into the layer: a convolution or an affine layer with
 * no point-wise operator after it. (Whether another reader of its output forbids the fold is the
 * frontend's question: each tracks readers its own way.)
 */
export function takesAffine(layer) {
    return layer !== undefined && (layer.kind === 'conv' || layer.kind === 'affine') && layer.post.length === 0;
}
/** Folds y = scale * layer(x) + shift into a convolution's weights and bias, or an affine layer's own. */
export function foldAffine(layer, affine) {
    if (layer.kind === 'conv')
        foldAffineIntoConv(layer, affine);
    else
        composeAffine(layer, affine);
}
/** The full scale and shift of an affine layer with `channels` channels (an absent part is 1 or 0). */
export function affineParameters(affine, channels) {
    if (affine === 'shapeOnly')
        return {};
    return {
        scale: affine.scale ?? new Float32Array(channels).fill(1),
        shift: affine.shift ?? new Float32Array(channels),
    };
}
/** Composes y = scale * layer(x) + shift into the affine layer's own scale and shift (in place). */
export function composeAffine(layer, affine) {
    const node = layer.name;
    checkNoPost(layer);
    const known = layer.scale !== undefined && layer.shift !== undefined;
    check(known === (affine !== 'shapeOnly'), affine === 'shapeOnly'
        ? 'normalisation parameters have no data but the layer they follow has'
        : 'normalisation parameters have data but the layer they follow has none', node);
    if (affine === 'shapeOnly' || layer.scale === undefined || layer.shift === undefined)
        return;
    const n = layer.scale.length;
    checkChannels(affine, n, 'the layer', node);
    const scale = new Float32Array(n);
    const shift = new Float32Array(n);
    for (let c = 0; c < n; c++) {
        const s = affine.scale ? affine.scale[c] : 1;
        scale[c] = s * layer.scale[c];
        shift[c] = s * layer.shift[c] + (affine.shift ? affine.shift[c] : 0);
    }
    layer.scale = scale;
    layer.shift = shift;
}
//# sourceMappingURL=fold.js.map