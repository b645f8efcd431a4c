// Sliding-window padding, shared by convolution and pooling: explicit pads or auto_pad, plus the zero
// padding of a Pad node folded into the window.
import { addPads, noPads } from '../../../ir/network.js';
import { dimsText } from '../dims.js';
import { need } from '../node.js';
/** Explicit or automatic padding of a sliding window, plus the padding of a folded Pad node. */
export function windowPads(info, attrs, x, extra, kernel, stride, dilation) {
    const autoPad = attrs.string('auto_pad', 'NOTSET');
    const explicit = attrs.ints('pads');
    let own = noPads;
    if (autoPad === 'NOTSET' || autoPad === '') {
        if (explicit !== undefined) {
            need(explicit.length === 4 && explicit.every((p) => Number.isInteger(p) && p >= 0), info, `pads must be four non-negative integers [top, left, bottom, right], got ${dimsText(explicit)}`);
            own = { top: explicit[0], left: explicit[1], bottom: explicit[2], right: explicit[3] };
        }
    }
    else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
        need(explicit === undefined || explicit.every((p) => p === 0), info, `auto_pad ${autoPad} and explicit pads are both given`);
        // Output = ceil(input / stride); the odd padding element goes after (UPPER) or before (LOWER).
        const sides = [x.h + extra.top + extra.bottom, x.w + extra.left + extra.right].map((size, d) => {
            const out = Math.ceil(size / stride[d]);
            const total = Math.max(0, (out - 1) * stride[d] + (kernel[d] - 1) * dilation[d] + 1 - size);
            const before = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : Math.ceil(total / 2);
            return [before, total - before];
        });
        own = { top: sides[0][0], bottom: sides[0][1], left: sides[1][0], right: sides[1][1] };
    }
    else
        need(autoPad === 'VALID', info, `unknown auto_pad '${autoPad}'`);
    return addPads(own, extra);
}
//# sourceMappingURL=window.js.map