// Whether the ways on from a tile prefix can still give a point of the front (segment-search.ts): the
// staircase of what dominates (points found and the bound), cheap sums of each buffer's least bytes
// and least accesses first, then the exact test over every combination of the buffers' completions.
import { Staircase } from './pareto.js';
import { movesNothing } from './segment-factors.js';
import { CAP } from './walk-state.js';
/** Pareto set of (bytes, accesses) pairs, bytes ascending; `tag` rides along. */
export function pairFront(bytes, acc, tag) {
    const idx = bytes.map((_, i) => i).sort((i, j) => bytes[i] - bytes[j] || acc[i] - acc[j]);
    const out = { bytes: [], acc: [], tag: [] };
    for (const i of idx)
        if (out.acc.length === 0 || acc[i] < out.acc[out.acc.length - 1]) {
            out.bytes.push(bytes[i]);
            out.acc.push(acc[i]);
            out.tag.push(tag[i]);
        }
    return out;
}
/** (bytes, accesses) points in reusable arrays. */
export class PointSet {
    bytes = new Float64Array(64);
    acc = new Float64Array(64);
    n = 0;
    grow() {
        const b = new Float64Array(this.bytes.length * 2);
        const a = new Float64Array(this.acc.length * 2);
        b.set(this.bytes);
        a.set(this.acc);
        this.bytes = b;
        this.acc = a;
    }
}
/** Sorts the first n points by bytes, then accesses, and keeps the Pareto ones in front; returns their number. */
export function keepFront(bytes, acc, n) {
    if (n > 32) {
        const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => bytes[i] - bytes[j] || acc[i] - acc[j]);
        const b = idx.map((i) => bytes[i]);
        const a = idx.map((i) => acc[i]);
        bytes.set(b);
        acc.set(a);
    }
    // insertion sort for the small sets (a no-op after the sort above)
    for (let i = 1; i < n; i++) {
        const b = bytes[i];
        const a = acc[i];
        let j = i - 1;
        while (j >= 0 && (bytes[j] > b || (bytes[j] === b && acc[j] > a))) {
            bytes[j + 1] = bytes[j];
            acc[j + 1] = acc[j];
            j--;
        }
        bytes[j + 1] = b;
        acc[j + 1] = a;
    }
    let m = 0;
    for (let i = 0; i < n; i++)
        if (m === 0 || acc[i] < acc[m - 1]) {
            bytes[m] = bytes[i];
            acc[m++] = acc[i];
        }
    return m;
}
export class Pruner {
    width;
    /** Points found and the bound: what dominates. */
    fence = new Staircase();
    /**
     * Whether a (bytes, accesses) pair is dominated. Where intermediates are recomputed, a schedule tying
     * a point found in bytes and accesses may compute fewer MACs (the tie-break), so only what the fence
     * dominates strictly is cut; a single layer computes the same MACs whatever its schedule.
     */
    dominated;
    nb;
    /** Buffers that move no DRAM data (intermediates not exported). */
    silent;
    kernelArea;
    biasOut;
    // per-option and per-buffer bounds of the completions, reused by every test
    optMinB;
    optMinBAcc;
    optMinA;
    optMinABytes;
    minB;
    minA;
    /** The sums of minB and minA (bufferMinima). */
    sumB = 0;
    sumA = 0;
    /** Per buffer, the points of its completions not dominated, for the exact test. */
    sets;
    sumsIn = new PointSet();
    sumsOut = new PointSet();
    bySize;
    // per depth, buffer and phase: the least extents and accesses of the options of the prefix being
    // extended there
    leastE;
    leastEOut;
    leastA;
    constructor(buffers, width, bound) {
        this.width = width;
        const nb = buffers.length;
        this.nb = nb;
        this.silent = buffers.map(movesNothing);
        this.kernelArea = buffers.map((b) => (b.role === 'weights' ? b.kernelArea : 1));
        this.biasOut = buffers.map((b) => (b.role === 'weights' && b.bias ? 1 : 0));
        for (const b of bound)
            this.fence.add(b.bytes, b.accesses);
        const fence = this.fence;
        this.dominated = buffers.some((b) => b.role === 'intermediate')
            ? (bytes, accesses) => fence.dominatesStrictly(bytes, accesses)
            : (bytes, accesses) => fence.dominates(bytes, accesses);
        this.optMinB = new Float64Array(nb * CAP);
        this.optMinBAcc = new Float64Array(nb * CAP);
        this.optMinA = new Float64Array(nb * CAP);
        this.optMinABytes = new Float64Array(nb * CAP);
        this.minB = new Float64Array(nb);
        this.minA = new Float64Array(nb);
        this.sets = buffers.map(() => new PointSet());
        this.bySize = buffers.map((_, i) => i);
        this.leastE = new Float64Array(4 * nb * 4);
        this.leastEOut = new Float64Array(4 * nb * 4);
        this.leastA = new Float64Array(4 * nb * 4);
    }
    /** Whether anything dominates yet (before that, nothing is cut). */
    get active() {
        return this.fence.size > 0;
    }
    /** On-chip bytes of a buffer with these extents (weights: per input channel a kernel, per output channel a bias). */
    bytesOf(bi, ext, extOut) {
        return (ext * this.kernelArea[bi] + this.biasOut[bi] * extOut) * this.width;
    }
    /** Each buffer's least bytes and accesses over its options' completions (into minB, minA), their sums into sumB, sumA. */
    bufferMinima(opts) {
        const { nb, optMinB, optMinA, minB, minA } = this;
        let sumB = 0;
        let sumA = 0;
        for (let bi = 0; bi < nb; bi++) {
            let mb = Number.POSITIVE_INFINITY;
            let ma = Number.POSITIVE_INFINITY;
            for (let k = 0; k < opts.n[bi]; k++) {
                mb = Math.min(mb, optMinB[bi * CAP + k]);
                ma = Math.min(ma, optMinA[bi * CAP + k]);
            }
            minB[bi] = mb;
            minA[bi] = ma;
            sumB += mb;
            sumA += ma;
        }
        this.sumB = sumB;
        this.sumA = sumA;
    }
    /**
     * Whether every completion of the options (`comp`: the completions of the positions still to place)
     * is dominated. Options that can only lead to dominated points are dropped on the way.
     */
    cut(opts, comp) {
        const { nb, silent, optMinB, optMinBAcc, optMinA, optMinABytes, minB, minA, dominated } = this;
        // Per option the completion with the fewest bytes and the one with the fewest accesses (the
        // ends of its Pareto set), per buffer the least of each.
        for (let bi = 0; bi < nb; bi++)
            for (let k = 0; k < opts.n[bi]; k++) {
                const o = bi * CAP + k;
                const f = comp[bi * 4 + opts.phase[o]];
                const last = f.e.length - 1;
                if (last < 0) {
                    // no way to complete it
                    optMinB[o] = optMinA[o] = optMinBAcc[o] = optMinABytes[o] = Number.POSITIVE_INFINITY;
                    continue;
                }
                optMinB[o] = this.bytesOf(bi, opts.ext[o] * f.e[0], opts.extOut[o]);
                optMinBAcc[o] = silent[bi] ? 0 : opts.acc[o] * f.a[0];
                optMinA[o] = silent[bi] ? 0 : opts.acc[o] * f.a[last];
                optMinABytes[o] = this.bytesOf(bi, opts.ext[o] * f.e[last], opts.extOut[o]);
            }
        this.bufferMinima(opts);
        const { sumB, sumA } = this;
        // No completion has fewer bytes or fewer accesses than the sums of the least.
        if (dominated(sumB, sumA))
            return true;
        // Drop the options whose least bytes and least accesses, with every other buffer at its least, are dominated.
        for (let bi = 0; bi < nb; bi++) {
            const restB = sumB - minB[bi];
            const restA = sumA - minA[bi];
            let m = 0;
            for (let k = 0; k < opts.n[bi]; k++) {
                const o = bi * CAP + k;
                if (dominated(restB + optMinB[o], restA + optMinA[o]))
                    continue;
                if (m !== k) {
                    const q = bi * CAP + m;
                    opts.copy(o, q);
                    optMinB[q] = optMinB[o];
                    optMinBAcc[q] = optMinBAcc[o];
                    optMinA[q] = optMinA[o];
                    optMinABytes[q] = optMinABytes[o];
                }
                m++;
            }
            if (m === 0)
                return true;
            opts.n[bi] = m;
        }
        // Each buffer at its smallest completion, or each at its fewest accesses (each on its own
        // completion, so not always one schedule): if that is not dominated, the exact test seldom
        // cuts, and keeping the prefix is always safe.
        let sb = 0;
        let sa = 0;
        let fb = 0;
        let fa = 0;
        for (let bi = 0; bi < nb; bi++) {
            let kb = bi * CAP;
            let ka = bi * CAP;
            for (let k = 1; k < opts.n[bi]; k++) {
                const o = bi * CAP + k;
                if (optMinB[o] < optMinB[kb] || (optMinB[o] === optMinB[kb] && optMinBAcc[o] < optMinBAcc[kb]))
                    kb = o;
                if (optMinA[o] < optMinA[ka] ||
                    (optMinA[o] === optMinA[ka] && optMinABytes[o] < optMinABytes[ka]))
                    ka = o;
            }
            sb += optMinB[kb];
            sa += optMinBAcc[kb];
            fb += optMinABytes[ka];
            fa += optMinA[ka];
        }
        if (!dominated(sb, sa) || !dominated(fb, fa))
            return false;
        return this.allCombinationsDominated(opts, comp);
    }
    /** The exact test: per buffer its Pareto set of completions, summed across buffers. */
    allCombinationsDominated(opts, comp) {
        const { nb, silent, minB, minA, sets, dominated } = this;
        this.bufferMinima(opts);
        const { sumB, sumA } = this;
        for (let bi = 0; bi < nb; bi++) {
            const restB = sumB - minB[bi];
            const restA = sumA - minA[bi];
            const set = sets[bi];
            let n = 0;
            for (let k = 0; k < opts.n[bi]; k++) {
                const o = bi * CAP + k;
                const f = comp[bi * 4 + opts.phase[o]];
                for (let r = 0; r < f.e.length; r++) {
                    // extOut (weights without their input channels) is not grown: a lower bound either way
                    const bytes = this.bytesOf(bi, opts.ext[o] * f.e[r], opts.extOut[o]);
                    const acc = silent[bi] ? 0 : opts.acc[o] * f.a[r];
                    if (dominated(restB + bytes, restA + acc))
                        continue;
                    if (n === set.bytes.length)
                        set.grow();
                    set.bytes[n] = bytes;
                    set.acc[n++] = acc;
                }
            }
            if (n === 0)
                return true;
            set.n = keepFront(set.bytes, set.acc, n);
        }
        return !this.someSumUndominated();
    }
    /**
     * Whether some sum of one point per buffer's set is not dominated. minB/minA hold each buffer's
     * least bytes and accesses: a partial sum that stays dominated with the rest at their least is dropped.
     */
    someSumUndominated() {
        const { nb, sets, minB, minA, bySize, dominated } = this;
        bySize.sort((i, j) => sets[i].n - sets[j].n);
        let restB = 0;
        let restA = 0;
        for (let bi = 0; bi < nb; bi++) {
            restB += minB[bi];
            restA += minA[bi];
        }
        let from = this.sumsIn;
        let to = this.sumsOut;
        from.bytes[0] = 0;
        from.acc[0] = 0;
        from.n = 1;
        for (let k = 0; k < nb; k++) {
            const bi = bySize[k];
            const s = sets[bi];
            restB -= minB[bi];
            restA -= minA[bi];
            let n = 0;
            for (let i = 0; i < from.n; i++)
                for (let j = 0; j < s.n; j++) {
                    const b = from.bytes[i] + s.bytes[j];
                    const a = from.acc[i] + s.acc[j];
                    if (dominated(b + restB, a + restA))
                        continue;
                    if (k === nb - 1)
                        return true;
                    if (n === to.bytes.length)
                        to.grow();
                    to.bytes[n] = b;
                    to.acc[n++] = a;
                }
            if (n === 0)
                return false;
            to.n = keepFront(to.bytes, to.acc, n);
            const t = from;
            from = to;
            to = t;
        }
        return true;
    }
    /** Summarises the options of the prefix extended at position p, per buffer and phase, for childDominated. */
    least(src, p) {
        const { nb, leastE, leastEOut, leastA } = this;
        const base = p * nb * 4;
        leastE.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        leastEOut.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        leastA.fill(Number.POSITIVE_INFINITY, base, base + nb * 4);
        for (let bi = 0; bi < nb; bi++)
            for (let k = 0; k < src.n[bi]; k++) {
                const i = bi * CAP + k;
                const at = base + bi * 4 + src.phase[i];
                if (src.ext[i] < leastE[at])
                    leastE[at] = src.ext[i];
                if (src.extOut[i] < leastEOut[at])
                    leastEOut[at] = src.extOut[i];
                if (src.acc[i] < leastA[at])
                    leastA[at] = src.acc[i];
            }
    }
    /**
     * Whether every way on from placing candidate ci (c, one of n at that loop) at position p is
     * dominated: the sum over buffers of their least bytes and least accesses is (`least` has summarised
     * the prefix).
     */
    childDominated(plan, lows, p, ci, n, c) {
        const { nb, leastE, leastEOut, leastA, kernelArea, biasOut, width } = this;
        const { moves } = plan;
        const multi = c.trips > 1 ? 1 : 0;
        let sumB = 0;
        let sumA = 0;
        for (let bi = 0; bi < nb; bi++) {
            const { e, eOut, a } = lows[p * nb + bi];
            let mb = Number.POSITIVE_INFINITY;
            let ma = Number.POSITIVE_INFINITY;
            for (let from = 0; from < 4; from++) {
                const at0 = (p * nb + bi) * 4 + from;
                const le = leastE[at0];
                if (le === Number.POSITIVE_INFINITY)
                    continue;
                for (const ph of moves[((p * nb + bi) * 4 + from) * 2 + multi]) {
                    const at = ph * n + ci;
                    if (e[at] === Number.POSITIVE_INFINITY)
                        continue;
                    const bytes = (le * e[at] * kernelArea[bi] + biasOut[bi] * leastEOut[at0] * eOut[at]) * width;
                    const acc = leastA[at0] * a[at];
                    if (bytes < mb)
                        mb = bytes;
                    if (acc < ma)
                        ma = acc;
                }
            }
            // no way on for this buffer: the tile size is dead
            if (mb === Number.POSITIVE_INFINITY)
                return true;
            sumB += mb;
            sumA += ma;
        }
        return this.dominated(sumB, sumA);
    }
}
//# sourceMappingURL=dominance.js.map