// Pooling: MaxPool and AveragePool (absorbing a Pad before an AveragePool), the global poolings, and
// ReduceMean over height and width.
import { windowOutput } from '../../../ir/build.js';
import { noPads } from '../../../ir/network.js';
import { dimsText, sameList } from '../dims.js';
import { need } from '../node.js';
import { windowPads } from './window.js';
export const poolingOps = {
    MaxPool: (cx, n, a) => pool(cx, n, a, 'max'),
    AveragePool: (cx, n, a) => pool(cx, n, a, 'avg'),
    GlobalAveragePool: (cx, n) => globalPool(cx, n, 'avg', true),
    GlobalMaxPool: (cx, n) => globalPool(cx, n, 'max', true),
    ReduceMean: reduceMean,
};
function pool(cx, info, attrs, mode) {
    const x = cx.spatialIn(info, 0);
    const folded = x.extra.top + x.extra.left + x.extra.bottom + x.extra.right > 0;
    need(mode === 'avg' || !folded, info, 'zero padding (Pad) before MaxPool cannot be folded: the maximum would see the zeros');
    const kernel = attrs.ints('kernel_shape');
    need(kernel !== undefined && kernel.length === 2 && kernel.every((k) => Number.isInteger(k) && k >= 1), info, `kernel_shape must be two positive integers (2-D pooling), got ${dimsText(kernel ?? [])}`);
    const k = [kernel[0], kernel[1]];
    const stride = attrs.pair('strides');
    need(sameList(attrs.pair('dilations'), [1, 1]), info, `dilated ${info.op} is not supported`);
    if (mode === 'max') {
        const indices = info.outputs[1];
        need(!indices || !cx.uses.get(indices), info, 'the Indices output of MaxPool is not supported');
    }
    const ceilMode = attrs.int('ceil_mode', 0) !== 0;
    let countIncludePad = mode === 'avg' && attrs.int('count_include_pad', 0) !== 0;
    const pads = windowPads(info, attrs, x.shape, x.extra, k, stride, [1, 1]);
    if (folded) {
        const e = x.extra;
        const own = {
            top: pads.top - e.top,
            left: pads.left - e.left,
            bottom: pads.bottom - e.bottom,
            right: pads.right - e.right,
        };
        const ownZero = own.top + own.left + own.bottom + own.right === 0;
        need(countIncludePad || ownZero, info, 'a Pad before an AveragePool with its own pads and count_include_pad=0 cannot be folded');
        // The explicit zeros are part of the pool's input, so ceil_mode's last-window rule sees them.
        const same = windowOutput(x.shape.h + e.top + e.bottom, k[0], stride[0], 1, own.top, own.bottom, ceilMode) ===
            windowOutput(x.shape.h, k[0], stride[0], 1, pads.top, pads.bottom, ceilMode) &&
            windowOutput(x.shape.w + e.left + e.right, k[1], stride[1], 1, own.left, own.right, ceilMode) ===
                windowOutput(x.shape.w, k[1], stride[1], 1, pads.left, pads.right, ceilMode);
        need(same, info, 'the Pad before this AveragePool cannot be folded with ceil_mode: the output size would change');
        countIncludePad = true;
    }
    addPool(cx, info, x.tensor, 4, { mode, kernel: k, stride, pads, ceilMode, countIncludePad, global: false });
}
function globalPool(cx, info, mode, keepDims) {
    const x = cx.tensorIn(info, 0);
    need(x.rank === 4, info, `${info.op} needs a 4-D input [N,C,H,W]`);
    addPool(cx, info, x.tensor, keepDims ? 4 : 2, {
        mode,
        kernel: [1, 1],
        stride: [1, 1],
        pads: { ...noPads },
        ceilMode: false,
        countIncludePad: false,
        global: true,
    });
}
/** The pooling layer reading `x`, whose output is the node's, seen with `rank`. */
function addPool(cx, info, x, rank, pool) {
    const spec = { kind: 'pool', name: cx.layerName(info), inputs: [x], post: [], ...pool };
    cx.addLayer(info, spec);
    cx.defineLayerOutput(info, 0, spec.name, rank);
}
function reduceMean(cx, info, attrs) {
    const x = cx.tensorIn(info, 0);
    need(x.rank === 4, info, 'ReduceMean needs a 4-D input [N,C,H,W]');
    const axes = cx.axes(info, attrs, 1);
    const normal = (axes ?? []).map((a) => (a < 0 ? a + 4 : a)).sort();
    need(sameList(normal, [2, 3]), info, `ReduceMean is supported over height and width only (axes [2, 3]), got ${axes ? dimsText(axes) : 'all axes'}`);
    globalPool(cx, info, 'avg', attrs.int('keepdims', 1) !== 0);
}
//# sourceMappingURL=pooling.js.map