// Random legal schedules: for property tests, benchmarks, and the `random` search strategy.
import { warmupNeeded } from '../model/cost.js';
import { levelAt, loopNames, warmupLoops } from '../model/schedule.js';
import { randomInt } from '../util/random.js';
/**
 * A uniformly random legal schedule of the segment (grouped last layers keep a whole reduction tile).
 * `sharedIntermediates`: every intermediate takes the same (store, fill), as deep chains are searched.
 * `warmup`: each spatial loop that can have one gets, half of the time, a random warm-up up to the
 * needed one (drawn after the rest, so the other draws do not change).
 * `stripsAndRaster`: half of the time strips of a random width (the x tile drawn again within one), half of the time `y` moved right above `x` in the order, and then each
 * activation buffer that may be a raster line buffer is one, half of the time. Off, none of these is
 * drawn: the same generator state gives the same schedule as without the option.
 */
export function randomSegmentSchedule(seg, r, sharedIntermediates = false, warmup = false, stripsAndRaster = false) {
    const order = [...loopNames];
    for (let i = order.length - 1; i > 0; i--) {
        const j = randomInt(r, 0, i);
        [order[i], order[j]] = [order[j], order[i]];
    }
    if (stripsAndRaster && r() < 0.5) {
        order.splice(order.indexOf('y'), 1);
        order.splice(order.indexOf('x'), 0, 'y');
    }
    const tile = { x: 0, y: 0, zo: 0, zi: 0 };
    for (const l of loopNames)
        tile[l] = randomInt(r, 1, seg.dims[l]);
    const last = seg.last;
    if (last.kind === 'conv' && last.groups > 1)
        tile.zi = seg.dims.zi;
    let strips;
    if (stripsAndRaster && r() < 0.5) {
        strips = randomInt(r, 1, seg.dims.x);
        tile.x = randomInt(r, 1, strips);
    }
    // Consumers first: a buffer's fill may not be inside its reader's compute level.
    const computeDepth = new Map([[last.name, 4]]);
    const buffers = {};
    const levels = (max) => {
        const fill = randomInt(r, 0, max);
        const store = randomInt(r, 0, fill);
        return { store: levelAt(order, store), fill: levelAt(order, fill) };
    };
    const depthOf = (l) => (l === 'root' ? 0 : order.indexOf(l) + 1);
    // a raster line buffer: stored right above 'y', filled at 'x' right below it
    const rasterFill = depthOf('x');
    const rasterable = stripsAndRaster && rasterFill === depthOf('y') + 1;
    for (const b of [...seg.buffers].reverse()) {
        let max = 4;
        // a tensor read by several layers: at or above each one's compute level
        if (b.role !== 'output')
            max = Math.min(...b.readers.map((l) => computeDepth.get(l)));
        const first = seg.buffers.find((x) => x.role === 'intermediate' && buffers[x.id] !== undefined);
        const shared = sharedIntermediates && b.role === 'intermediate' && first;
        let lv = shared ? buffers[first.id] : levels(max);
        if (rasterable && !shared && b.role !== 'weights' && rasterFill <= max && r() < 0.5)
            lv = { store: levelAt(order, rasterFill - 2), fill: 'x', raster: true };
        buffers[b.id] = lv;
        if (b.role === 'intermediate')
            computeDepth.set(b.layer, depthOf(lv.fill));
    }
    const s = {
        layers: seg.layers.map((l) => l.name),
        tile,
        order: order,
        buffers: Object.fromEntries(seg.buffers.map((b) => [b.id, buffers[b.id]])),
    };
    if (strips !== undefined)
        s.strips = { x: strips };
    if (warmup)
        for (const l of warmupLoops) {
            const needed = warmupNeeded(seg, s, l);
            if (needed > 0 && r() < 0.5)
                s.warmup = { ...s.warmup, [l]: randomInt(r, 1, needed) };
        }
    return s;
}
//# sourceMappingURL=random.js.map