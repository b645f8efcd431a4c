// The network IR: a DAG of layers at batch 1, every tensor named and shaped (channels x height x width).
// It never mentions tiles or buffers; schedules are separate objects that name layers.
/**
 * The parameters a layer reads from DRAM, or undefined when it has none. An affine layer's are those
 * of a depthwise 1x1 convolution with bias: per channel its scale (one weight) and its shift (the bias).
 */
export function weightsShape(layer, inputChannels) {
    if (layer.kind === 'conv')
        return {
            outChannels: layer.outChannels,
            perGroupIn: inputChannels / layer.groups,
            kernel: layer.kernel,
            kernelArea: layer.kernel[0] * layer.kernel[1],
            bias: layer.hasBias,
        };
    if (layer.kind === 'affine')
        return { outChannels: layer.shape.c, perGroupIn: 1, kernel: [1, 1], kernelArea: 1, bias: true };
    return undefined;
}
/**
 * A layer without its parameter values (a convolution's weights and bias, an affine layer's scale and
 * shift): its kind, geometry and wiring, all a schedule search reads.
 */
export function withoutParameters(layer) {
    const { weights: _w, bias: _b, scale: _s, shift: _h, ...rest } = layer;
    return rest;
}
export function elements(s) {
    return s.c * s.h * s.w;
}
export function shapeText(s) {
    return `${s.c}x${s.h}x${s.w}`;
}
export const noPads = { top: 0, left: 0, bottom: 0, right: 0 };
/** Padding of two paddings applied one after the other (an explicit Pad folded into a layer's own). */
export function addPads(a, b) {
    return { top: a.top + b.top, left: a.left + b.left, bottom: a.bottom + b.bottom, right: a.right + b.right };
}
//# sourceMappingURL=network.js.map