// What one output element of a layer reads, straight from the layer definition, as the boxes a block
// copy would move. The simulator builds every demand from these reads; it never uses interval formulas.
/** Source index of weight reads; activation reads use the index into `layer.inputs`. */
export const weightsSource = -1;
/**
 * Calls `read` for the elements that computing output element [c, y, x] reads (empty boxes are left
 * out). `reduction` limits a convolution to a slice of its per-group input channels (the last layer's
 * zi tile); without it the whole reduction runs here, so the bias is read too. A virtual output element
 * (a coordinate below 0) reads its data windows but no weights.
 */
export function forEachRead(layer, inputs, c, y, x, reduction, unclipped, read, 
/** Whether the element is real (weights are read for real elements only); in a strip, its caller knows. */
real = y >= 0 && x >= 0) {
    switch (layer.kind) {
        case 'conv': {
            const input = inputs[0];
            const perGroupIn = input.c / layer.groups;
            const group = Math.floor(c / (layer.outChannels / layer.groups));
            const lo = reduction?.lo ?? 0;
            const hi = reduction?.hi ?? perGroupIn;
            const kh = layer.kernel[0];
            const kw = layer.kernel[1];
            // Weights are read for every tap, also those that fall into the padding.
            if (real)
                read(weightsSource, c, c + 1, lo, hi, 0, kh, 0, kw);
            // The input is read as the box the kernel spans (dilation gaps included), clipped to the input.
            const iy = y * layer.stride[0] - layer.pads.top;
            const ix = x * layer.stride[1] - layer.pads.left;
            const y0 = unclipped.y ? iy : Math.max(0, iy);
            const y1 = Math.min(input.h, iy + (kh - 1) * layer.dilation[0] + 1);
            const x0 = unclipped.x ? ix : Math.max(0, ix);
            const x1 = Math.min(input.w, ix + (kw - 1) * layer.dilation[1] + 1);
            if (y0 < y1 && x0 < x1)
                read(0, group * perGroupIn + lo, group * perGroupIn + hi, y0, y1, x0, x1, 0, 1);
            if (real && layer.hasBias && lo === 0)
                read(weightsSource, c, c + 1, -1, 0, 0, 1, 0, 1);
            return;
        }
        case 'affine':
            // the scale is the channel's one weight, the shift its bias
            read(0, c, c + 1, y, y + 1, x, x + 1, 0, 1);
            if (real)
                read(weightsSource, c, c + 1, -1, 1, 0, 1, 0, 1);
            return;
        case 'pool': {
            const input = inputs[0];
            const iy = y * layer.stride[0] - layer.pads.top;
            const ix = x * layer.stride[1] - layer.pads.left;
            const y0 = unclipped.y ? iy : Math.max(0, iy);
            const y1 = Math.min(input.h, iy + layer.kernel[0]);
            const x0 = unclipped.x ? ix : Math.max(0, ix);
            const x1 = Math.min(input.w, ix + layer.kernel[1]);
            if (y0 < y1 && x0 < x1)
                read(0, c, c + 1, y0, y1, x0, x1, 0, 1);
            return;
        }
        case 'eltwise':
            for (let k = 0; k < inputs.length; k++) {
                const s = inputs[k];
                // A per-channel input smaller than the output broadcasts its one element; one of the output's
                // size reads the same position, also a virtual one.
                if (s.h !== layer.shape.h || s.w !== layer.shape.w)
                    read(k, c, c + 1, 0, 1, 0, 1, 0, 1);
                else
                    read(k, c, c + 1, y, y + 1, x, x + 1, 0, 1);
            }
            return;
        case 'concat': {
            let offset = 0;
            for (let k = 0; k < inputs.length; k++) {
                const s = inputs[k];
                if (c < offset + s.c) {
                    read(k, c - offset, c - offset + 1, y, y + 1, x, x + 1, 0, 1);
                    return;
                }
                offset += s.c;
            }
            throw new Error(`simulate: concat '${layer.name}' has no input holding channel ${c}`);
        }
        case 'slice':
            read(0, c + layer.start, c + layer.start + 1, y, y + 1, x, x + 1, 0, 1);
            return;
        case 'lrn': {
            const channels = inputs[0].c;
            const lo = Math.max(0, c - Math.floor((layer.size - 1) / 2));
            const hi = Math.min(channels - 1, c + Math.ceil((layer.size - 1) / 2));
            read(0, lo, hi + 1, y, y + 1, x, x + 1, 0, 1);
            return;
        }
        case 'softmax':
        case 'shuffle':
            // A shuffled channel range is scattered over the input: the whole channel column is read.
            read(0, 0, inputs[0].c, y, y + 1, x, x + 1, 0, 1);
            return;
    }
}
/** MACs of one output element: a convolution's reduced channels times its kernel; 0 for other layers. */
export function macsPerElement(layer, inputs, reduction) {
    if (layer.kind !== 'conv')
        return 0;
    const channels = reduction ? reduction.hi - reduction.lo : inputs[0].c / layer.groups;
    return channels * layer.kernel[0] * layer.kernel[1];
}
//# sourceMappingURL=reads.js.map