// Slices and concats as views. Tensors in DRAM are stored channels outermost, so a range of channels is
// contiguous: a slice is a pointer into its input, and a concat is a tensor its inputs are written into
// at their channel offsets. Run as a segment of its own, such a layer moves nothing (address arithmetic
// on a device); fused into a segment it is computed on chip like any other layer.
import { tensorShapes } from './stats.js';
const cache = new WeakMap();
/**
 * The views of a network: slices and concats without folded point-wise operators. Every such slice is one. A concat is one when each of its inputs can be written into
 * it: the inputs are distinct tensors, none of them is a slice (already living inside another tensor),
 * and none is an input of an earlier view concat (a tensor lives in one place; the first concat in
 * network order claims it, and a later one reading it copies like any layer).
 */
export function dramViews(net) {
    const known = cache.get(net);
    if (known)
        return known;
    const shapes = tensorShapes(net);
    const views = new Set();
    const placed = new Map();
    for (const l of net.layers) {
        // a folded point-wise operator (a ReLU after the concat) changes the values: a copy then
        if (l.post.length > 0)
            continue;
        if (l.kind === 'slice') {
            views.add(l.name);
            placed.set(l.name, { in: l.inputs[0], channel: l.start });
        }
        else if (l.kind === 'concat') {
            const distinct = new Set(l.inputs).size === l.inputs.length;
            // (a slice's output is placed in its input already)
            if (!distinct || l.inputs.some((t) => placed.has(t)))
                continue;
            views.add(l.name);
            let channel = 0;
            for (const t of l.inputs) {
                placed.set(t, { in: l.name, channel });
                channel += shapes.get(t).c;
            }
        }
    }
    const result = { views, placed };
    cache.set(net, result);
    return result;
}
/**
 * Where a tensor's channel 0 lives in DRAM: the tensor holding the storage and the channel offset in it,
 * following placements (a concat's input inside a concat, a slice of it...) into tensors that are in
 * DRAM in the schedule at hand (`inDram`): a concat fused into a segment is no storage.
 */
export function storageOf(views, tensor, inDram) {
    let at = { in: tensor, channel: 0 };
    for (let p = views.placed.get(at.in); p !== undefined && inDram(p.in); p = views.placed.get(at.in))
        at = { in: p.in, channel: p.channel + at.channel };
    return at;
}
//# sourceMappingURL=views.js.map