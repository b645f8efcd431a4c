// Per-dimension geometry: which interval of an input a layer reads for an interval of its output.
// Intervals are half-open [lo, hi); windows are clipped to the tensor (padding is never read).
export const empty = { lo: 0, hi: 0 };
export function isEmpty(i) {
    return i.lo >= i.hi;
}
export function hull(a, b) {
    if (isEmpty(a))
        return b;
    if (isEmpty(b))
        return a;
    return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}
export function span(i) {
    return Math.max(0, i.hi - i.lo);
}
/**
 * Input channels of a grouped convolution read for output channels `out` and the reduction slice `red`
 * (channels within a group): the hull over the groups the outputs belong to. The one channel window
 * that is not an affine map (see channelMap).
 */
export function groupedChannelWindow(layer, out, red, inputChannels) {
    if (isEmpty(out) || isEmpty(red))
        return empty;
    const perGroupIn = inputChannels / layer.groups;
    const perGroupOut = layer.outChannels / layer.groups;
    const g0 = Math.floor(out.lo / perGroupOut);
    const g1 = Math.floor((out.hi - 1) / perGroupOut);
    return { lo: g0 * perGroupIn + red.lo, hi: g1 * perGroupIn + red.hi };
}
// Interval maps as affine maps with clamping (see sequence.ts), so long tile sequences stay compressed.
// A sliding window reads, per output o, the box its kernel spans, o*stride - pad to
// o*stride - pad + (kernel-1)*dilation, clipped to the input.
export const identityMap = {
    la: 1,
    lb: 0,
    ha: 1,
    hb: 0,
    min: Number.NEGATIVE_INFINITY,
    max: Number.POSITIVE_INFINITY,
};
/** The same interval whenever the argument is non-empty. */
export function constantMap(i) {
    return { la: 0, lb: i.lo, ha: 0, hb: i.hi, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY };
}
/** The real part of an interval of a dimension of this size (virtual coordinates are below 0). */
export function realMap(size) {
    return { la: 1, lb: 0, ha: 1, hb: 0, min: 0, max: size };
}
function slidingMap(kernel, stride, dilation, pad, size, virtualBelow) {
    return {
        la: stride,
        lb: -pad,
        ha: stride,
        hb: -stride - pad + (kernel - 1) * dilation + 1,
        min: virtualBelow ? Number.NEGATIVE_INFINITY : 0,
        max: size,
    };
}
/**
 * Rows ('y') or columns ('x') of an input read for output rows or columns; `virtualBelow`: not clipped
 * below 0 (the dimension of a loop with warm-up, docs/execution-model.md "Warm-up loops").
 */
export function spatialMap(layer, dim, input, virtualBelow = false) {
    const size = dim === 'y' ? input.h : input.w;
    const a = dim === 'y' ? 0 : 1;
    const pad = dim === 'y'
        ? layer.kind === 'conv' || layer.kind === 'pool'
            ? layer.pads.top
            : 0
        : layer.kind === 'conv' || layer.kind === 'pool'
            ? layer.pads.left
            : 0;
    switch (layer.kind) {
        case 'conv':
            return slidingMap(layer.kernel[a], layer.stride[a], layer.dilation[a], pad, size, virtualBelow);
        case 'pool':
            return slidingMap(layer.kernel[a], layer.stride[a], 1, pad, size, virtualBelow);
        case 'eltwise':
            // a per-channel input (1x1) of a larger output is broadcast: its one element, along both
            // dimensions (also one where the output is 1 wide: a virtual position reads it too)
            return input.h === 1 && input.w === 1 && (layer.shape.h > 1 || layer.shape.w > 1)
                ? constantMap({ lo: 0, hi: 1 })
                : identityMap;
        default:
            return identityMap;
    }
}
/**
 * Input channels of input `slot` read, as an affine map of the output channels (`of: 'out'`) or of the
 * reduction slice (`of: 'red'`, convolutions without groups), or undefined when it is not affine
 * (grouped convolutions with several channels per group: groupedChannelWindow).
 */
export function channelMap(layer, slot, inputs) {
    const c = inputs[slot].c;
    switch (layer.kind) {
        case 'conv': {
            if (layer.groups === 1)
                return { of: 'red', map: identityMap };
            const perGroupIn = c / layer.groups;
            const perGroupOut = layer.outChannels / layer.groups;
            return perGroupIn === 1 && perGroupOut === 1 ? { of: 'out', map: identityMap } : undefined;
        }
        case 'concat': {
            let offset = 0;
            for (let i = 0; i < slot; i++)
                offset += inputs[i].c;
            return { of: 'out', map: { la: 1, lb: -offset, ha: 1, hb: -offset, min: 0, max: c } };
        }
        case 'slice':
            return { of: 'out', map: { la: 1, lb: layer.start, ha: 1, hb: layer.start, min: 0, max: c } };
        case 'lrn':
            return {
                of: 'out',
                map: {
                    la: 1,
                    lb: -Math.floor((layer.size - 1) / 2),
                    ha: 1,
                    hb: Math.ceil((layer.size - 1) / 2),
                    min: 0,
                    max: c,
                },
            };
        case 'softmax':
        case 'shuffle':
            return { of: 'out', map: constantMap({ lo: 0, hi: c }) };
        default:
            return { of: 'out', map: identityMap };
    }
}
//# sourceMappingURL=windows.js.map