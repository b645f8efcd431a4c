// What the loops still to place can do to a buffer's numbers (segment-search.ts): per position of the
// walk and per buffer and phase, the Pareto set of (extent, access) factors the remaining loops can
// multiply it by (its completions), and per tile candidate the least growth of a child (lows). Both
// depend only on the loops, entry slots and moves from a position on, so the walks of one search
// pass that agree from some position on share them.
import { movesNothing } from './segment-factors.js';
import { PHASE_BELOW, PHASE_REUSE, PHASE_REUSE_BACK, ROLE } from './walk-state.js';
/**
 * Builds a completion front from runs: each run is a Pareto set (extents ascending) scaled by an
 * extent and an access factor, which keeps it sorted, so merging run by run needs no sort. A run with
 * a factor that is not a number (no entry: levels the model refuses) cannot complete and is skipped.
 */
export class CompletionBuilder {
    e = new Float64Array(64);
    a = new Float64Array(64);
    e2 = new Float64Array(64);
    a2 = new Float64Array(64);
    n = 0;
    reset() {
        this.n = 0;
    }
    add(fe, fa, rest) {
        if (Number.isNaN(fe) || Number.isNaN(fa) || rest.e.length === 0)
            return;
        const m = rest.e.length;
        // the whole run is dominated when a point has no more than its least extent and least accesses
        const leastE = fe * rest.e[0];
        const leastA = fa * rest.a[m - 1];
        let lo = 0;
        let hi = this.n;
        while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (this.e[mid] <= leastE)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && this.a[lo - 1] <= leastA)
            return;
        if (this.e2.length < this.n + m) {
            const size = 2 * (this.n + m);
            this.e2 = new Float64Array(size);
            this.a2 = new Float64Array(size);
        }
        const { e, a, e2, a2 } = this;
        let i = 0;
        let j = 0;
        let k = 0;
        let re = leastE;
        let ra = fa * rest.a[0];
        while (i < this.n || j < m) {
            let pe;
            let pa;
            if (j >= m || (i < this.n && (e[i] < re || (e[i] === re && a[i] <= ra)))) {
                pe = e[i];
                pa = a[i++];
            }
            else {
                pe = re;
                pa = ra;
                if (++j < m) {
                    re = fe * rest.e[j];
                    ra = fa * rest.a[j];
                }
            }
            if (k === 0 || pa < a2[k - 1]) {
                e2[k] = pe;
                a2[k++] = pa;
            }
        }
        this.e2 = e;
        this.a2 = a;
        this.e = e2;
        this.a = a2;
        this.n = k;
    }
    result() {
        return { e: this.e.slice(0, this.n), a: this.a.slice(0, this.n) };
    }
}
/** Above every entry slot (buffers times role contexts times 3), for numeric keys. */
const slotLimit = 2 ** 20;
/** The completions and lows of the walks of one search pass, shared where they agree. */
export class CompletionCache {
    buffers;
    cands;
    /** Indexed by suffix id * 4 + phase (ids are dense). */
    fronts = [];
    lowsMemo = new Map();
    /** Per moves code, per (next position's key, loop, slot), the id of what completions depend on. */
    suffixId = new Map();
    suffixes = 0;
    builder = new CompletionBuilder();
    nb;
    /** Buffers that move no DRAM data (intermediates not exported). */
    silent;
    constructor(buffers, cands) {
        this.buffers = buffers;
        this.cands = cands;
        this.nb = buffers.length;
        if (cands.some((cs) => cs.some((c) => c.a.length >= slotLimit)))
            throw new Error('internal: more entry slots than completion keys hold');
        this.silent = buffers.map(movesNothing);
    }
    /** Weights along a loop over their input channels: their bias (one per output channel) does not grow. */
    keepsOut(bi, li) {
        return this.buffers[bi].role === 'weights' && this.buffers[bi].dimOf[li] === 1;
    }
    /**
     * completions[p][buffer * 4 + phase] of a walk, and per position and buffer the key of what they
     * depend on (for lows).
     */
    completions(plan) {
        const { nb, cands, builder } = this;
        const { orderIdx, slotAt, moves, movesCode } = plan;
        const completions = [];
        completions[4] = new Array(nb * 4).fill({ e: Float64Array.of(1), a: Float64Array.of(1) });
        // what a buffer's completions from position p depend on: the loops, entry slots and moves from p on
        const keyAt = new Float64Array(5 * nb);
        for (let p = 3; p >= 0; p--) {
            const li = orderIdx[p];
            completions[p] = [];
            for (let bi = 0; bi < nb; bi++) {
                // numbers, not a string key: this runs for every buffer and position of every walk
                const code = movesCode[p * nb + bi];
                let ids = this.suffixId.get(code);
                if (ids === undefined) {
                    ids = new Map();
                    this.suffixId.set(code, ids);
                }
                const rest = (keyAt[(p + 1) * nb + bi] * 4 + li) * slotLimit + slotAt[p * nb + bi];
                let id = ids.get(rest);
                if (id === undefined) {
                    id = ++this.suffixes;
                    ids.set(rest, id);
                }
                keyAt[p * nb + bi] = id;
                for (let phase = 0; phase < 4; phase++) {
                    const key = keyAt[p * nb + bi] * 4 + phase;
                    const known = this.fronts[key];
                    if (known !== undefined) {
                        completions[p][bi * 4 + phase] = known;
                        continue;
                    }
                    builder.reset();
                    for (const c of cands[li])
                        for (const ph of moves[((p * nb + bi) * 4 + phase) * 2 + (c.trips > 1 ? 1 : 0)]) {
                            const s = slotAt[p * nb + bi] + ROLE[ph];
                            const live = c.empty[s] === 0;
                            const a = live ? c.a[s] : 0;
                            const e = live ? (ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[s] : c.max[s]) : 0;
                            builder.add(e, a, completions[p + 1][bi * 4 + (ph === PHASE_REUSE && c.back[s] === 1 ? PHASE_REUSE_BACK : ph)]);
                        }
                    const f = builder.result();
                    this.fronts[key] = f;
                    completions[p][bi * 4 + phase] = f;
                }
            }
        }
        return { completions, keyAt };
    }
    /**
     * lows[p * buffers + buffer]: per phase moved into and candidate at position p, the factors by which
     * a child's least extents (weights: also without input channels) and least accesses over its
     * completions grow.
     */
    lows(plan, completions, keyAt) {
        const { nb, cands, silent } = this;
        const { orderIdx, slotAt } = plan;
        const lows = new Array(4 * nb);
        for (let p = 0; p < 4; p++) {
            const li = orderIdx[p];
            const cs = cands[li];
            const n = cs.length;
            for (let bi = 0; bi < nb; bi++) {
                const slot0 = slotAt[p * nb + bi];
                const key = (keyAt[(p + 1) * nb + bi] * 4 + li) * slotLimit + slot0;
                let low = this.lowsMemo.get(key);
                if (low === undefined) {
                    const l = {
                        e: new Float64Array(4 * n),
                        eOut: new Float64Array(4 * n),
                        a: new Float64Array(4 * n),
                    };
                    for (let ph = 0; ph < 4; ph++)
                        cs.forEach((c, ci) => {
                            const at = ph * n + ci;
                            const sl = slot0 + ROLE[ph];
                            const f = completions[p + 1][bi * 4 + (ph === PHASE_REUSE && c.back[sl] === 1 ? PHASE_REUSE_BACK : ph)];
                            if (f.e.length === 0 || Number.isNaN(c.a[sl])) {
                                // no way on
                                l.e[at] = l.a[at] = Number.POSITIVE_INFINITY;
                                return;
                            }
                            const live = c.empty[sl] === 0;
                            const x = ph === PHASE_BELOW || ph === PHASE_REUSE_BACK ? c.hull[sl] : c.max[sl];
                            l.e[at] = live ? x * f.e[0] : 0;
                            l.eOut[at] = live ? (this.keepsOut(bi, li) ? 1 : x) : 0;
                            l.a[at] = live && !silent[bi] ? c.a[sl] * f.a[f.a.length - 1] : 0;
                        });
                    low = l;
                    this.lowsMemo.set(key, low);
                }
                lows[p * nb + bi] = low;
            }
        }
        return lows;
    }
}
//# sourceMappingURL=completions.js.map