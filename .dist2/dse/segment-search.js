// The exact Pareto front of a segment (one layer or a fused chain) over tile sizes, loop orders and
// buffer levels.
//
// Per loop order and per placement of the intermediates' store and fill levels (a *pattern*), the loops
// are placed outermost first, choosing each loop's tile size. Every buffer is, at each position, above
// its store level, between store and fill (reuse), or below fill, moving only forward; its DRAM count
// and storage are products of one factor per loop that depends on that loop's tile size, its own phase
// and, for the producers inside a fused segment, the phases of the intermediates between it and the
// last layer (segment-factors.ts). With the pattern fixed those are known, so the other buffers choose
// their levels independently: a tile prefix carries, per buffer and phase, the partial products that
// are not dominated (later loops multiply them by the same factors). A prefix whose completions are
// all dominated by points already found is cut off, and so is any buffer's option that can only lead
// to dominated points. Intermediates move no DRAM data: they cost storage, and recomputation (MACs,
// the tie-break). The walk keeps its options in typed arrays: it visits millions of prefixes.
import { wholeTileSchedule } from '../model/evaluate.js';
import { levelAt, loopNames, warmupLoops } from '../model/schedule.js';
import { CompletionCache } from './completions.js';
import { Pruner, pairFront } from './dominance.js';
import { paretoFront } from './pareto.js';
import { contextCount, contextOf, groupTables, movesNothing, segmentTables } from './segment-factors.js';
import { searchOrders, singleIterationLoops } from './space.js';
import { CAP, flatten, MOVE_ID, MOVES, MOVES_NO_REUSE, marked, NONE, Options, PHASE_ABOVE, PHASE_BELOW, PHASE_REUSE, PHASE_REUSE_BACK, pruneCandidates, REFUSED, ROLE, STAY, } from './walk-state.js';
/**
 * Store and fill depths of every intermediate (consumers' fills at or below their producers'), and of
 * the `pinned` DRAM inputs (store == fill), per order: the levels a walk takes as given. None deeper
 * than `deepest` (the levels below it are the same as it).
 */
function patterns(tables, pinned, deepest) {
    const shared = tables.intermediates === 'shared';
    const interm = tables.buffers.map((b, i) => (b.role === 'intermediate' ? i : -1)).filter((i) => i >= 0);
    const out = [];
    const levels = tables.buffers.map(() => ({ store: 0, fill: 0 }));
    // readers first: intermediates are listed producers first; then the inputs they bound
    const todo = [...interm].reverse().concat(pinned);
    const rec = (k) => {
        if (k === todo.length) {
            out.push(levels.map((l) => ({ ...l })));
            return;
        }
        const t = todo[k];
        const reuse = tables.buffers[t].role === 'intermediate';
        if (shared && reuse && k > 0) {
            // shared levels: as the first intermediate placed (the last layer's reader)
            levels[t] = { ...levels[todo[0]] };
            rec(k + 1);
            return;
        }
        // at or above every reader's compute level (a DRAM input may have several readers)
        const max = Math.min(...tables.buffers[t].readers.map((r) => (r < 0 ? deepest : levels[r].fill)));
        for (let fill = 0; fill <= max; fill++)
            for (let store = reuse ? 0 : fill; store <= fill; store++) {
                levels[t] = { store, fill };
                rec(k + 1);
            }
    };
    rec(0);
    return out;
}
/** The Pareto front of a segment, each point with its schedule. */
export function segmentFront(seg, options, stats = { prefixes: 0, tilings: 0 }) {
    if (seg.view)
        return [{ bytes: 0, accesses: 0, macs: 0, item: wholeTileSchedule(seg) }];
    const tables = options.group && options.intermediates === 'shared'
        ? groupTables(options.group, options.space)
        : segmentTables(seg, options.space, false, options.intermediates ?? 'each');
    const buffers = tables.buffers;
    const nb = buffers.length;
    const slots = Math.max(...buffers.map((b) => contextCount(tables.intermediates, b) * 3));
    const allCands = tables.candidates.map((cs) => pruneCandidates(cs, buffers).map((c) => flatten(c, buffers, slots)));
    const isInterm = buffers.map((b) => b.role === 'intermediate');
    const silent = buffers.map(movesNothing);
    // Points found (a schedule each), and what dominates: them and the bound.
    const found = [];
    const pruner = new Pruner(buffers, options.elementBytes, options.bound ?? []);
    const { dominated, fence } = pruner;
    const fewestMacs = new Map();
    const macsLimit = (options.maxRecompute ?? Number.POSITIVE_INFINITY) * tables.leastMacs;
    const interms = buffers.map((_, bi) => bi).filter((bi) => isInterm[bi]);
    const seed = options.space === 'seed';
    const freeMoves = seed ? MOVES_NO_REUSE : MOVES;
    // The paper tool stores a convolution's weights no deeper than its input data: in the seed space
    // each weights buffer is bounded by its layer's data buffer, whose levels the patterns then fix.
    const dataOf = seg.buffers.map((b) => {
        if (!seed || b.role !== 'weights')
            return -1;
        const data = seg.layers.find((l) => l.name === b.layer).inputs[0];
        return seg.buffers.findIndex((d) => d.tensor === data && (d.role === 'intermediate' || d.role === 'input'));
    });
    const pinnedInputs = buffers.map((_, bi) => bi).filter((bi) => !isInterm[bi] && dataOf.includes(bi));
    const pinned = buffers.map((_, bi) => isInterm[bi] || pinnedInputs.includes(bi));
    const orders = searchOrders(seg, options.space);
    // levels inside the innermost loops of one iteration are the same as the level outside them
    const deepest = options.space === 'seed' ? 4 : 4 - singleIterationLoops(seg).length;
    const allPatterns = patterns(tables, pinnedInputs, deepest);
    const levelsAt = Array.from({ length: 5 }, () => new Options(nb));
    /**
     * Per position and buffer: the entry slot of its context (the intermediates' roles), and its moves.
     * They depend on the pattern only, not on the loop order: computed once per pattern.
     */
    const movesOf = (pattern) => {
        const slotAt = new Int32Array(4 * nb);
        const moves = new Array(4 * nb * 8);
        const movesCode = new Float64Array(4 * nb);
        for (let p = 0; p < 4; p++) {
            const roles = buffers.map((_, bi) => {
                const lv = pattern[bi];
                return p + 1 <= lv.store ? 0 : p + 1 <= lv.fill ? 1 : 2;
            });
            buffers.forEach((b, bi) => {
                slotAt[p * nb + bi] = bi * slots + contextOf(tables.intermediates, b, roles) * 3;
                for (let from = 0; from < 4; from++)
                    for (let multi = 0; multi < 2; multi++) {
                        let m;
                        if (pinned[bi]) {
                            const r = roles[bi];
                            if (r === 0)
                                m = from === PHASE_ABOVE ? STAY[PHASE_ABOVE] : NONE;
                            else if (r === 1)
                                m =
                                    from === PHASE_BELOW
                                        ? NONE
                                        : STAY[from === PHASE_REUSE_BACK ? PHASE_REUSE_BACK : PHASE_REUSE];
                            else
                                m = STAY[PHASE_BELOW];
                        }
                        else if (b.readers.some((r) => r >= 0 && p + 1 > pattern[r].fill) ||
                            (dataOf[bi] >= 0 && p + 1 > pattern[dataOf[bi]].store)) {
                            // a producer's fill is at or above its reader's compute level (the reader's output's
                            // fill); in the seed space weights are stored no deeper than their data
                            m = STAY[PHASE_BELOW];
                        }
                        else
                            m = (multi ? freeMoves : STAY)[from];
                        moves[((p * nb + bi) * 4 + from) * 2 + multi] = m;
                        movesCode[p * nb + bi] = movesCode[p * nb + bi] * 16 + MOVE_ID.get(m);
                    }
            });
        }
        return { slotAt, moves, movesCode };
    };
    const movesMemo = new Map();
    // one walk per loop order and pattern
    const walks = orders.flatMap((order) => allPatterns.map((pattern) => ({ order, pattern })));
    const search = (cands, sequence) => {
        // completions shared by the orders and patterns that agree from some position on
        const cache = new CompletionCache(buffers, cands);
        for (const walkIndex of sequence) {
            const { order, pattern } = walks[walkIndex];
            const orderIdx = order.map((l) => loopNames.indexOf(l));
            let known = movesMemo.get(pattern);
            if (known === undefined) {
                known = movesOf(pattern);
                movesMemo.set(pattern, known);
            }
            const plan = { orderIdx, ...known };
            const { slotAt, moves } = plan;
            /** Places the loop at position p with tile c: the options of depth p + 1; false when a buffer has none. */
            const extend = (src, dst, p, li, c) => {
                const multi = c.trips > 1 ? 1 : 0;
                for (let bi = 0; bi < nb; bi++) {
                    const base = bi * CAP;
                    const slot0 = slotAt[p * nb + bi];
                    const keep = cache.keepsOut(bi, li);
                    const prune = !pinned[bi];
                    let n = 0;
                    for (let k = 0; k < src.n[bi]; k++) {
                        const i = base + k;
                        for (const ph of moves[((p * nb + bi) * 4 + src.phase[i]) * 2 + multi]) {
                            const s = slot0 + ROLE[ph];
                            // no entry: levels of a shared DRAM input the model refuses
                            if (Number.isNaN(c.a[s]))
                                continue;
                            let mark = src.mark[i];
                            if (c.absent[s] === 1 || c.widens[s] === 1) {
                                mark = marked(mark, p + 1, c.absent[s] === 1, c.widens[s] === 1);
                                if (mark === REFUSED)
                                    continue;
                            }
                            let acc = 0;
                            let ext = 0;
                            let extOut = 0;
                            if (c.empty[s] === 0) {
                                const x = ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[s] : c.max[s];
                                acc = src.acc[i] * c.a[s];
                                ext = src.ext[i] * x;
                                extOut = keep ? src.extOut[i] : src.extOut[i] * x;
                            }
                            const phase = ph === PHASE_REUSE && c.back[s] === 1 ? PHASE_REUSE_BACK : ph;
                            if (prune) {
                                // keep only options no other of the same phase dominates (later loops multiply alike)
                                let beaten = false;
                                for (let j = base; j < base + n; j++)
                                    if (dst.phase[j] === phase &&
                                        dst.mark[j] === mark &&
                                        dst.acc[j] <= acc &&
                                        dst.ext[j] <= ext &&
                                        dst.extOut[j] <= extOut) {
                                        beaten = true;
                                        break;
                                    }
                                if (beaten)
                                    continue;
                                let m = 0;
                                for (let j = 0; j < n; j++) {
                                    const q = base + j;
                                    if (dst.phase[q] === phase &&
                                        dst.mark[q] === mark &&
                                        acc <= dst.acc[q] &&
                                        ext <= dst.ext[q] &&
                                        extOut <= dst.extOut[q])
                                        continue;
                                    if (m !== j)
                                        dst.copy(q, base + m);
                                    m++;
                                }
                                n = m;
                            }
                            if (n === CAP)
                                throw new Error('internal: too many options for one buffer');
                            const o = base + n++;
                            dst.phase[o] = phase;
                            dst.mark[o] = mark;
                            dst.acc[o] = acc;
                            dst.ext[o] = ext;
                            dst.extOut[o] = extOut;
                            dst.store[o] = ph === PHASE_ABOVE ? p + 1 : src.store[i];
                            dst.fill[o] = ph === PHASE_BELOW ? src.fill[i] : p + 1;
                        }
                    }
                    if (n === 0)
                        return false;
                    dst.n[bi] = n;
                }
                return true;
            };
            const { completions, keyAt } = cache.completions(plan);
            let lows = [];
            /** Whether the least MACs any completion can reach (each intermediate at its fewest computed) exceed the limit. */
            const tooManyMacs = (opts, p) => {
                if (macsLimit === Number.POSITIVE_INFINITY)
                    return false;
                let macs = tables.lastMacs;
                for (const bi of interms) {
                    const o = bi * CAP;
                    const f = completions[p][bi * 4 + opts.phase[o]];
                    if (f.a.length === 0)
                        return true;
                    macs += opts.acc[o] * f.a[f.a.length - 1] * buffers[bi].macsPerElement;
                }
                return macs > macsLimit;
            };
            const tiles = [];
            const warmups = [];
            const walk = (p, opts) => {
                if (p === 4) {
                    leaf(opts, walkIndex, orderIdx, tiles, warmups);
                    return;
                }
                const li = orderIdx[p];
                const next = levelsAt[p + 1];
                const cs = cands[li];
                const bounded = pruner.active;
                if (bounded)
                    pruner.least(opts, p);
                for (let ci = 0; ci < cs.length; ci++) {
                    const c = cs[ci];
                    if (bounded && pruner.childDominated(plan, lows, p, ci, cs.length, c))
                        continue;
                    if (!extend(opts, next, p, li, c))
                        continue;
                    if (tooManyMacs(next, p + 1))
                        continue;
                    stats.prefixes++;
                    // Cut the prefix if every way of completing it is dominated by a point already found.
                    if (p + 1 < 4 && bounded && pruner.cut(next, completions[p + 1]))
                        continue;
                    tiles[li] = c.t;
                    warmups[li] = c.warmup;
                    walk(p + 1, next);
                }
            };
            const root = levelsAt[0];
            buffers.forEach((b, bi) => {
                root.n[bi] = 1;
                root.phase[bi * CAP] = PHASE_ABOVE;
                root.acc[bi * CAP] = b.fixedFilled;
                root.ext[bi * CAP] = b.fixedExtents;
                root.extOut[bi * CAP] = b.fixedExtentsOut;
                root.store[bi * CAP] = 0;
                root.fill[bi * CAP] = 0;
                root.mark[bi * CAP] = 0;
            });
            if (tooManyMacs(root, 0) || (pruner.active && pruner.cut(root, completions[0])))
                continue;
            lows = cache.lows(plan, completions, keyAt);
            walk(0, root);
        }
    };
    /** A complete tiling: every combination of the buffers' options that no point found dominates. */
    const leaf = (opts, walkIndex, orderIdx, tiles, warmups) => {
        stats.tilings++;
        let macs = tables.lastMacs;
        for (let bi = 0; bi < nb; bi++)
            if (isInterm[bi])
                macs += opts.acc[bi * CAP] * buffers[bi].macsPerElement;
        // per buffer its (bytes, accesses) front; then sums across buffers, keeping which option each took
        const sets = buffers.map((_, bi) => {
            const bs = [];
            const as = [];
            const ks = [];
            for (let k = 0; k < opts.n[bi]; k++) {
                const o = bi * CAP + k;
                bs.push(pruner.bytesOf(bi, opts.ext[o], opts.extOut[o]));
                as.push(silent[bi] ? 0 : opts.acc[o]);
                ks.push(k);
            }
            return pairFront(bs, as, ks);
        });
        let restB = sets.reduce((n, s) => n + s.bytes[0], 0);
        let restA = sets.reduce((n, s) => n + s.acc[s.acc.length - 1], 0);
        let combos = [
            { bytes: 0, accesses: 0, picks: [] },
        ];
        for (let bi = 0; bi < nb; bi++) {
            const s = sets[bi];
            restB -= s.bytes[0];
            restA -= s.acc[s.acc.length - 1];
            const next = [];
            for (const c of combos)
                for (let j = 0; j < s.bytes.length; j++) {
                    const b = c.bytes + s.bytes[j];
                    const a = c.accesses + s.acc[j];
                    if (dominated(b + restB, a + restA))
                        continue;
                    next.push({ bytes: b, accesses: a, macs: 0, item: [...c.picks, s.tag[j]] });
                }
            if (next.length === 0)
                return;
            combos = paretoFront(next).map((p) => ({ bytes: p.bytes, accesses: p.accesses, picks: p.item }));
        }
        for (const c of combos) {
            // a point tying one found is kept when it computes fewer MACs (the front keeps the fewest)
            const key = `${c.bytes}/${c.accesses}`;
            const best = fewestMacs.get(key);
            if (best !== undefined && best <= macs)
                continue;
            fewestMacs.set(key, macs);
            fence.add(c.bytes, c.accesses);
            found.push({
                bytes: c.bytes,
                accesses: c.accesses,
                macs,
                item: {
                    walk: walkIndex,
                    order: orderIdx,
                    tiles: [...tiles],
                    warmups: [...warmups],
                    levels: c.picks.map((k, bi) => ({
                        store: opts.store[bi * CAP + k],
                        fill: opts.fill[bi * CAP + k],
                    })),
                },
            });
        }
    };
    // A first pass over the powers-of-two sizes finds real points of the space cheaply, so the full pass
    // cuts most prefixes early (cutting only what real points dominate keeps it exact).
    const pow2 = (c, d) => (c.t & (c.t - 1)) === 0 || c.t === d;
    search(allCands.map((cs, li) => cs.filter((c) => pow2(c, seg.dims[loopNames[li]]))), walks.map((_, i) => i));
    // Then the walks that found most of the points so far first: their points cut the others sooner.
    const yields = walks.map(() => 0);
    for (const p of paretoFront(found))
        yields[p.item.walk]++;
    search(allCands, walks.map((_, i) => i).sort((a, b) => yields[b] - yields[a] || a - b));
    return paretoFront(found).map((p) => ({ ...p, item: scheduleOf(seg, p.item) }));
}
function scheduleOf(seg, f) {
    const order = f.order.map((li) => loopNames[li]);
    const tile = { ...seg.dims };
    loopNames.forEach((l, li) => {
        tile[l] = f.tiles[li];
    });
    const buffers = {};
    seg.buffers.forEach((b, bi) => {
        const lv = f.levels[bi];
        buffers[b.id] = { store: levelAt(order, lv.store), fill: levelAt(order, lv.fill) };
    });
    const s = { layers: seg.layers.map((l) => l.name), tile, order, buffers };
    const warmup = {};
    for (const l of warmupLoops)
        if (f.warmups[loopNames.indexOf(l)] > 0)
            warmup[l] = f.warmups[loopNames.indexOf(l)];
    if (Object.keys(warmup).length > 0)
        s.warmup = warmup;
    return s;
}
//# sourceMappingURL=segment-search.js.map