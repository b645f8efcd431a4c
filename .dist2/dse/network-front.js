// The network front from per-segment fronts. Segments run one after another: accesses add up and the
// on-chip memory is the largest segment's. The layers run so far are always a down-set of the layer
// graph (every producer of a layer run has run), and a segment takes the network from one down-set to
// a larger one. So for a memory threshold M the best schedule is a shortest path over those down-sets
// where a segment costs its fewest accesses within M; sweeping M over every segment point's size gives
// the whole front exactly, without cross products. On a chain the down-sets are the layer order's
// prefixes; on a DAG they also hold one branch run ahead of another, so a segment need not be a run of
// any one layer order.
import { paretoFront } from './pareto.js';
/**
 * The most down-sets the front is taken over. CNNs have far fewer (GoogLeNet 496: its inception
 * blocks a few dozen each, one after another); a graph with more (15 parallel branches: 32,768) gets
 * the front over prefixes of its layer order instead (chainOf), see wideGraph.
 */
export const maxDownSets = 20_000;
/** Whether the layer graph has more than maxDownSets down-sets (counted up to that many). */
export function wideGraph(producers) {
    const n = producers.length;
    const needs = producers.map(bitsOf);
    const seen = new Set([0n]);
    const open = [0n];
    while (open.length > 0) {
        const d = open.pop();
        for (let i = 0; i < n; i++) {
            const bit = 1n << BigInt(i);
            if ((d & bit) !== 0n || (needs[i] & ~d) !== 0n)
                continue;
            const next = d | bit;
            if (seen.has(next))
                continue;
            if (seen.size >= maxDownSets)
                return true;
            seen.add(next);
            open.push(next);
        }
    }
    return false;
}
/** A set of layers as the bits of their indices. */
function bitsOf(layers) {
    let bits = 0n;
    for (const i of layers)
        bits |= 1n << BigInt(i);
    return bits;
}
/** The layers as a chain in their order: its down-sets are the order's prefixes. */
export function chainOf(layers) {
    return Array.from({ length: layers }, (_, i) => (i === 0 ? [] : [i - 1]));
}
/**
 * The exact Pareto front over every way to run the layers as a sequence of the given segments, each
 * using any point of its front. `producers[i]` lists the layers whose outputs layer i reads (earlier in
 * the order). Deterministic: ties keep the schedule with fewer MACs, then the first found.
 */
export function networkFront(producers, options) {
    const used = options.filter((o) => o.front.length > 0);
    const moves = downSetGraph(producers, used);
    const thresholds = [...new Set(used.flatMap((o) => o.front.map((p) => p.bytes)))].sort((a, b) => a - b);
    // For each option, the index of its best point within the current threshold (advances monotonically).
    const within = new Int32Array(used.length).fill(-1);
    const states = moves.length;
    const results = [];
    const acc = new Float64Array(states);
    const macs = new Float64Array(states);
    const fromState = new Int32Array(states);
    const fromOption = new Int32Array(states);
    for (const m of thresholds) {
        used.forEach((o, i) => {
            let k = within[i];
            while (k + 1 < o.front.length && o.front[k + 1].bytes <= m)
                k++;
            within[i] = k;
        });
        acc.fill(Number.POSITIVE_INFINITY);
        macs.fill(Number.POSITIVE_INFINITY);
        acc[0] = 0;
        macs[0] = 0;
        // states are numbered so that every move goes to a larger number
        for (let s = 0; s < states; s++) {
            if (acc[s] === Number.POSITIVE_INFINITY)
                continue;
            for (const { o, to } of moves[s]) {
                const k = within[o];
                if (k < 0)
                    continue;
                const p = used[o].front[k];
                const a = acc[s] + p.accesses;
                const c = macs[s] + p.macs;
                if (a < acc[to] || (a === acc[to] && c < macs[to])) {
                    acc[to] = a;
                    macs[to] = c;
                    fromState[to] = s;
                    fromOption[to] = o;
                }
            }
        }
        const all = states - 1;
        if (acc[all] === Number.POSITIVE_INFINITY)
            continue;
        const parts = [];
        for (let s = all; s > 0; s = fromState[s]) {
            const o = used[fromOption[s]];
            parts.unshift({ layers: o.layers, point: o.front[within[fromOption[s]]] });
        }
        const bytes = Math.max(...parts.map((p) => p.point.bytes));
        results.push({ bytes, accesses: acc[all], macs: macs[all], item: { parts } });
    }
    return paretoFront(results);
}
/**
 * The down-sets the segments reach from the empty one and the moves between them: per state, each
 * segment that can run next (its index in `options`) and the state it leads to. States are numbered so
 * that moves go forward (by size, then as found); the last state is all layers (or, when the segments
 * do not cover them, an empty one never reached).
 */
function downSetGraph(producers, options) {
    const n = producers.length;
    // what a segment covers and what it needs run before it (its layers' producers outside it)
    const masks = options.map(({ layers }, o) => {
        const covers = bitsOf(layers);
        return { o, size: layers.length, covers, needs: bitsOf(layers.flatMap((i) => producers[i])) & ~covers };
    });
    const index = new Map([[0n, 0]]);
    const sets = [0n];
    const sizes = [0];
    const edges = [];
    for (let s = 0; s < sets.length; s++) {
        const d = sets[s];
        const out = [];
        for (const { o, size, covers, needs } of masks)
            if ((d & covers) === 0n && (needs & ~d) === 0n) {
                const to = d | covers;
                if (!index.has(to)) {
                    if (sets.length >= maxDownSets)
                        throw new Error(`internal: more than ${maxDownSets} down-sets (wideGraph says when to take the layer order as a chain)`);
                    index.set(to, sets.length);
                    sets.push(to);
                    sizes.push(sizes[s] + size);
                }
                out.push({ o, to });
            }
        edges.push(out);
    }
    // number by size (moves add layers; all layers is the one largest), keeping the order found within a size
    const order = sets.map((_, s) => s).sort((a, b) => sizes[a] - sizes[b] || a - b);
    const number = new Map();
    order.forEach((s, k) => {
        number.set(sets[s], k);
    });
    const moves = order.map((s) => edges[s].map((e) => ({ o: e.o, to: number.get(e.to) })));
    // not covered by the segments: a last state never reached, so no front
    if (!index.has((1n << BigInt(n)) - 1n))
        moves.push([]);
    return moves;
}
//# sourceMappingURL=network-front.js.map