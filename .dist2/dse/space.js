// The schedule space the search explores: tile sizes, loop orders, buffer levels, segments.
import { InputError } from '../ir/errors.js';
import { consumersOf } from '../ir/stats.js';
import { levelAt, loopNames } from '../model/schedule.js';
import { analyzeSegment, hasExports, hasJoins } from '../model/segment.js';
/**
 * Tile sizes tried for an extent. `ceil` keeps one size per tile count, the smallest; that is not
 * exact under edge-exact counting: a larger tile with the same count makes the edge tile smaller, and
 * when the edge tile's window is clipped by the border it can move fewer elements, so sizes between
 * the ceil(d/n) values can be on the front (test/dse/space.test.ts finds such cases).
 */
export function tileCandidates(d, space) {
    if (space === 'seed') {
        const out = [];
        for (let t = 1; t < d; t *= 2)
            out.push(t);
        out.push(d);
        return out;
    }
    const out = new Set();
    for (let n = 1; n <= d; n++)
        out.add(space === 'full' ? n : Math.ceil(d / n));
    return [...out].sort((a, b) => a - b);
}
/** All 24 loop orders, outermost first, in a fixed order. */
export function loopOrders() {
    const out = [];
    const rec = (prefix, rest) => {
        if (rest.length === 0)
            out.push(prefix);
        rest.forEach((l, i) => {
            rec([...prefix, l], [...rest.slice(0, i), ...rest.slice(i + 1)]);
        });
    };
    rec([], [...loopNames]);
    return out;
}
/**
 * Whether swapping x and y maps the segment onto itself: square tensors, and every window (kernel,
 * stride, dilation, padding) the same along both. Then a schedule and its mirror (x and y swapped in
 * the tiles, the order and the levels) cost exactly the same.
 */
export function mirrorSymmetric(seg) {
    if (seg.dims.x !== seg.dims.y || [...seg.shapes.values()].some((s) => s.h !== s.w))
        return false;
    return seg.layers.every((l) => {
        if (l.kind !== 'conv' && l.kind !== 'pool')
            return true;
        const p = l.pads;
        const same = (a) => a[0] === a[1];
        return (same(l.kernel) &&
            same(l.stride) &&
            (l.kind !== 'conv' || same(l.dilation)) &&
            p.top === p.left &&
            p.bottom === p.right);
    });
}
/**
 * Loops of one iteration whatever the tile: an extent of 1 (a fully connected layer's x and y, the
 * reduction of a layer without one), or the reduction of a grouped convolution (always whole).
 */
export function singleIterationLoops(seg) {
    const last = seg.last;
    return loopNames.filter((l) => seg.dims[l] === 1 || (l === 'zi' && last.kind === 'conv' && last.groups > 1));
}
/**
 * The tile-loop orders a search walks: the paper tool's (one loop innermost, the others in the order
 * x, y, zo, zi) in the seed space; else all 24, or for a mirror-symmetric segment the 12 with x outside
 * y (each of the others is the mirror of one of them, at the same cost). A loop of one iteration changes
 * nothing wherever it sits (its levels and the next outer one's are the same): only the orders with such
 * loops innermost, in a fixed order, are walked.
 */
export function searchOrders(seg, space) {
    if (space === 'seed')
        return loopNames.map((l) => [...loopNames.filter((m) => m !== l), l]);
    const single = singleIterationLoops(seg);
    const all = loopOrders().filter((o) => single.every((l, k) => o[4 - single.length + k] === l));
    return mirrorSymmetric(seg) ? all.filter((o) => o.indexOf('x') < o.indexOf('y')) : all;
}
export function tileCombinations(seg, space) {
    const c = Object.fromEntries(loopNames.map((l) => [l, tileCandidates(seg.dims[l], space)]));
    const last = seg.last;
    // Grouped convolutions reduce whole (see the execution model).
    if (last.kind === 'conv' && last.groups > 1)
        c.zi = [seg.dims.zi];
    const out = [];
    for (const x of c.x)
        for (const y of c.y)
            for (const zo of c.zo)
                for (const zi of c.zi)
                    out.push({ x, y, zo, zi });
    return out;
}
/**
 * Every legal assignment of levels to the segment's buffers for an order (producers' fills at or above
 * their readers' compute levels), as a generator: consumers are assigned before their producers.
 */
export function* levelAssignments(seg, order) {
    const buffers = [...seg.buffers].reverse();
    const assigned = {};
    const compute = new Map([[seg.last.name, 4]]);
    const depthOf = (l) => (l === 'root' ? 0 : order.indexOf(l) + 1);
    function* rec(i) {
        if (i === buffers.length) {
            yield Object.fromEntries(seg.buffers.map((b) => [b.id, assigned[b.id]]));
            return;
        }
        const b = buffers[i];
        let max = 4;
        // a tensor read by several layers: at or above each one's compute level
        if (b.role !== 'output')
            max = Math.min(...b.readers.map((l) => compute.get(l)));
        for (let fill = 0; fill <= max; fill++)
            for (let store = 0; store <= fill; store++) {
                assigned[b.id] = { store: levelAt(order, store), fill: levelAt(order, fill) };
                if (b.role === 'intermediate')
                    compute.set(b.layer, depthOf(assigned[b.id].fill));
                yield* rec(i + 1);
            }
    }
    yield* rec(0);
}
/**
 * The segments the network can run as: sets of at most maxFuse layers in which every layer but the last
 * is read only inside the set (so no path leaves the set and comes back: it is convex), those in which
 * some tensor is read by several layers (joins) of at most maxFuseJoins. Every run of the network's
 * order that is a segment is one; where the network branches, so are sets that no one order runs
 * consecutively (a branch fused with the layer joining it while a parallel branch runs apart). Layers
 * are indices into the network's order, ascending; sorted by first layer, then last, then the rest.
 * With `sets` 'runs', the runs only. Sets of at most maxFuseOutputs layers may also have several
 * outputs: an intermediate read after the set too, written to DRAM as computed (analyzeSegment says
 * which sets qualify).
 */
export function candidateSegments(net, maxFuse, maxFuseJoins = maxFuse, sets = 'dag', maxFuseOutputs = 0) {
    const index = new Map(net.layers.map((l, i) => [l.name, i]));
    const consumers = consumersOf(net);
    const outputs = new Set(net.outputs);
    // a layer may join a set below it once every reader of its output is in the set (or, with several
    // outputs, whenever analyzeSegment takes the set)
    const readers = net.layers.map((l) => outputs.has(l.name) ? undefined : (consumers.get(l.name) ?? []).map((c) => index.get(c.name)));
    const out = [];
    net.layers.forEach((_, last) => {
        const seen = new Set([String(last)]);
        const open = [[last]];
        while (open.length > 0) {
            const layers = open.pop();
            let segment;
            try {
                segment = analyzeSegment(net, layers.map((i) => net.layers[i].name));
            }
            catch (e) {
                // with several outputs a set may run out of one piece (a path leaves it and comes back) or
                // compute part of an output: not a segment, but a larger one may be
                if (maxFuseOutputs > 0 && e instanceof InputError)
                    continue;
                throw e;
            }
            // a join stays in every larger set
            const joins = hasJoins(segment);
            if (joins && layers.length > maxFuseJoins)
                continue;
            // so does an intermediate read after the set: exports stay in every larger set
            if (hasExports(segment) && layers.length > maxFuseOutputs)
                continue;
            out.push({ layers, segment });
            if (layers.length >= maxFuse)
                continue;
            const inside = new Set(layers);
            for (const i of layers)
                for (const t of net.layers[i].inputs) {
                    const p = index.get(t);
                    if (p === undefined || inside.has(p))
                        continue;
                    if (maxFuseOutputs === 0 && !readers[p]?.every((r) => inside.has(r)))
                        continue;
                    const grown = [...layers, p].sort((a, b) => a - b);
                    const key = grown.join(',');
                    // a run less its first layer is a run that is a segment: runs grow from runs alone
                    if (seen.has(key) || (sets === 'runs' && !isRun(grown)))
                        continue;
                    seen.add(key);
                    open.push(grown);
                }
        }
    });
    const compare = (a, b) => {
        for (let k = 0; k < Math.min(a.length, b.length); k++)
            if (a[k] !== b[k])
                return a[k] - b[k];
        return a.length - b.length;
    };
    return out.sort((a, b) => a.layers[0] - b.layers[0] || a.layers.at(-1) - b.layers.at(-1) || compare(a.layers, b.layers));
}
/** Whether layers (indices in the network's order, ascending) are consecutive: a run of that order. */
export function isRun(layers) {
    return layers.at(-1) - layers[0] + 1 === layers.length;
}
//# sourceMappingURL=space.js.map