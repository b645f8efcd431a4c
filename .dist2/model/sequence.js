// Sequences of intervals over a loop's iterations, stored as runs in which both ends move by a
// constant step. Tiles, their windows and the parts new at each step are affine away from the
// borders, so a sequence of any length takes a handful of runs: sums, maxima and hulls are closed form
// and the model's time does not grow with the number of tiles.
import { empty, isEmpty } from './windows.js';
/** A sequence whose starts move back has no new parts in closed form (see Seq.fresh). */
export class DemandMovesBack extends Error {
}
export const lengthCount = { kind: 'length' };
export function countOf(c, i) {
    if (isEmpty(i))
        return 0;
    if (c.kind === 'length')
        return i.hi - i.lo;
    // Weights' input channels carry the kernel taps; coordinate -1 stands for the bias.
    return Math.max(0, i.hi - Math.max(0, i.lo)) * c.kernelArea + (c.bias && i.lo < 0 && i.hi > -1 ? 1 : 0);
}
function emptyRun(n) {
    return { n, lo: 0, hi: 0, dlo: 0, dhi: 0, none: true };
}
function at(r, k) {
    return r.none ? empty : { lo: r.lo + k * r.dlo, hi: r.hi + k * r.dhi };
}
/** Adds k where a + b*k and c + d*k cross (and its neighbours) to the cut points in (0, n). */
function addCrossing(cuts, a, b, c, d, n) {
    if (b === d)
        return;
    const k = (c - a) / (b - d);
    for (const v of [Math.floor(k), Math.floor(k) + 1])
        if (v > 0 && v < n)
            cuts.add(v);
}
/**
 * Compresses f(0..n-1) into runs, given the points where f may stop being affine. Every run is checked
 * at its last iteration; a run that does not hold is split further, so the result is always exact.
 */
function compress(n, f, cuts) {
    const points = [0, ...[...cuts].filter((c) => c > 0 && c < n).sort((a, b) => a - b), n];
    const runs = [];
    const emit = (k0, k1) => {
        const first = f(k0);
        const len = k1 - k0;
        if (isEmpty(first) && (len === 1 || isEmpty(f(k1 - 1)))) {
            // An empty run must be empty throughout: check its middle too when it is long.
            if (len <= 2 || isEmpty(f(k0 + 1))) {
                runs.push(emptyRun(len));
                return;
            }
        }
        if (len === 1) {
            runs.push(isEmpty(first) ? emptyRun(1) : { n: 1, lo: first.lo, hi: first.hi, dlo: 0, dhi: 0, none: false });
            return;
        }
        const second = f(k0 + 1);
        const last = f(k1 - 1);
        const run = {
            n: len,
            lo: first.lo,
            hi: first.hi,
            dlo: second.lo - first.lo,
            dhi: second.hi - first.hi,
            none: false,
        };
        const predicted = at(run, len - 1);
        if (!isEmpty(first) &&
            !isEmpty(second) &&
            !isEmpty(last) &&
            predicted.lo === last.lo &&
            predicted.hi === last.hi) {
            runs.push(run);
            return;
        }
        // Not affine across the piece: split in half (exact, and rare).
        const mid = k0 + Math.floor(len / 2);
        emit(k0, mid);
        emit(mid, k1);
    };
    for (let i = 0; i + 1 < points.length; i++)
        emit(points[i], points[i + 1]);
    return merge(runs);
}
/** Joins neighbouring runs that continue each other. */
function merge(runs) {
    const out = [];
    for (const r of runs) {
        const p = out.at(-1);
        if (p?.none && r.none) {
            out[out.length - 1] = emptyRun(p.n + r.n);
            continue;
        }
        if (p && !p.none && !r.none) {
            const next = at(p, p.n);
            const step = p.n === 1 ? { dlo: r.lo - p.lo, dhi: r.hi - p.hi } : { dlo: p.dlo, dhi: p.dhi };
            const sameStep = r.n === 1 || (r.dlo === step.dlo && r.dhi === step.dhi);
            const continues = p.n === 1 ? sameStep : next.lo === r.lo && next.hi === r.hi && sameStep;
            if (continues) {
                out[out.length - 1] = { n: p.n + r.n, lo: p.lo, hi: p.hi, dlo: step.dlo, dhi: step.dhi, none: false };
                continue;
            }
        }
        out.push(r);
    }
    return out;
}
function clamp(v, min, max) {
    return v < min ? min : Math.min(v, max);
}
export function applyMap(m, i) {
    if (isEmpty(i))
        return empty;
    const lo = clamp(m.la * i.lo + m.lb, m.min, m.max);
    const hi = clamp(m.ha * i.hi + m.hb, m.min, m.max);
    return lo < hi ? { lo, hi } : empty;
}
export class Seq {
    runs;
    n;
    constructor(runs) {
        this.runs = runs;
        this.n = runs.reduce((s, r) => s + r.n, 0);
    }
    /** Tiles of size t over [from, d), after `before` tiles of virtual coordinates (a warm-up). */
    static tiles(d, t, before = 0, from = 0) {
        const n = Math.ceil((d - from) / t) + before;
        const runs = [];
        if (n > 1)
            runs.push({
                n: n - 1,
                lo: from - before * t,
                hi: from + (1 - before) * t,
                dlo: t,
                dhi: t,
                none: false,
            });
        runs.push({ n: 1, lo: from + (n - 1 - before) * t, hi: d, dlo: 0, dhi: 0, none: false });
        return new Seq(merge(runs));
    }
    static of(intervals) {
        return new Seq(merge(intervals.map((i) => isEmpty(i) ? emptyRun(1) : { n: 1, lo: i.lo, hi: i.hi, dlo: 0, dhi: 0, none: false })));
    }
    at(k) {
        for (const r of this.runs) {
            if (k < r.n)
                return at(r, k);
            k -= r.n;
        }
        throw new Error(`internal: index ${k} past the sequence`);
    }
    toArray() {
        const out = [];
        for (const r of this.runs)
            for (let k = 0; k < r.n; k++)
                out.push(at(r, k));
        return out;
    }
    /** The same sequence with its first interval replaced. */
    withFirst(i) {
        const [r, ...rest] = this.runs;
        if (r === undefined)
            return this;
        const head = isEmpty(i) ? emptyRun(1) : { n: 1, lo: i.lo, hi: i.hi, dlo: 0, dhi: 0, none: false };
        const tail = r.n > 1 ? [{ ...r, n: r.n - 1, lo: r.lo + r.dlo, hi: r.hi + r.dhi }] : [];
        if (r.none && r.n > 1)
            tail[0] = emptyRun(r.n - 1);
        return new Seq(merge([head, ...tail, ...rest]));
    }
    /** Each interval through an affine map with clamping. */
    map(m) {
        const runs = [];
        for (const r of this.runs) {
            if (r.none) {
                runs.push(r);
                continue;
            }
            const cuts = new Set();
            const loA = m.la * r.lo + m.lb;
            const loB = m.la * r.dlo;
            const hiA = m.ha * r.hi + m.hb;
            const hiB = m.ha * r.dhi;
            for (const bound of [m.min, m.max]) {
                addCrossing(cuts, loA, loB, bound, 0, r.n);
                addCrossing(cuts, hiA, hiB, bound, 0, r.n);
            }
            addCrossing(cuts, loA, loB, hiA, hiB, r.n);
            runs.push(...compress(r.n, (k) => applyMap(m, at(r, k)), cuts));
        }
        return new Seq(merge(runs));
    }
    /** Any interval function, element by element (for maps that are not affine; small sequences). */
    mapEach(f) {
        return Seq.of(this.toArray().map((i) => (isEmpty(i) ? empty : f(i))));
    }
    /** This sequence where `mask` is non-empty, empty elsewhere. */
    maskedBy(mask) {
        const out = [];
        let i = 0;
        let j = 0;
        let offA = 0; // iterations of this.runs[i] already consumed
        let offB = 0;
        while (i < this.runs.length && j < mask.runs.length) {
            const a = this.runs[i];
            const b = mask.runs[j];
            const len = Math.min(a.n - offA, b.n - offB);
            if (a.none || b.none)
                out.push(emptyRun(len));
            else
                out.push({
                    n: len,
                    lo: a.lo + offA * a.dlo,
                    hi: a.hi + offA * a.dhi,
                    dlo: a.dlo,
                    dhi: a.dhi,
                    none: false,
                });
            offA += len;
            offB += len;
            if (offA === a.n) {
                i++;
                offA = 0;
            }
            if (offB === b.n) {
                j++;
                offB = 0;
            }
        }
        return new Seq(merge(out));
    }
    /** Sum of the elements counted in every interval. */
    sum(c) {
        let s = 0;
        for (const r of this.runs) {
            if (r.none)
                continue;
            if (c.kind === 'length' || (r.lo >= 0 && r.lo + (r.n - 1) * r.dlo >= 0)) {
                const w = c.kind === 'length' ? 1 : c.kernelArea;
                // arithmetic series of lengths (hi - lo) + k*(dhi - dlo)
                s += w * (r.n * (r.hi - r.lo) + ((r.dhi - r.dlo) * r.n * (r.n - 1)) / 2);
            }
            else
                for (let k = 0; k < r.n; k++)
                    s += countOf(c, at(r, k));
        }
        return s;
    }
    /** The largest span (for weights: of real input channels, the bias excluded). */
    maxSpan(realOnly = false) {
        let m = 0;
        // the ends of a run are its extremes (its ends move linearly)
        for (const r of this.runs) {
            if (r.none)
                continue;
            const last = r.n - 1;
            m = Math.max(m, r.hi - (realOnly ? Math.max(0, r.lo) : r.lo), r.hi + last * r.dhi - (realOnly ? Math.max(0, r.lo + last * r.dlo) : r.lo + last * r.dlo));
        }
        return m;
    }
    hull() {
        let lo = Number.POSITIVE_INFINITY;
        let hi = Number.NEGATIVE_INFINITY;
        for (const r of this.runs) {
            if (r.none)
                continue;
            const last = r.n - 1;
            lo = Math.min(lo, r.lo, r.lo + last * r.dlo);
            hi = Math.max(hi, r.hi, r.hi + last * r.dhi);
        }
        return lo < hi ? { lo, hi } : empty;
    }
    /** Whether all intervals are empty. */
    allEmpty() {
        return this.runs.every((r) => r.none);
    }
    hasEmpty() {
        return this.runs.some((r) => r.none);
    }
    /** Whether some interval overlaps the next non-empty one (so a sweep brings something back). */
    overlaps() {
        let prevHi = Number.NEGATIVE_INFINITY;
        for (const r of this.runs) {
            if (r.none)
                continue;
            if (r.lo < prevHi)
                return true;
            // inside the run: lo(k+1) < hi(k) for some k in [0, n-2] (linear in k: check the ends)
            if (r.n > 1 && (r.lo + r.dlo < r.hi || r.lo + (r.n - 1) * r.dlo < r.hi + (r.n - 2) * r.dhi))
                return true;
            prevHi = r.hi + (r.n - 1) * r.dhi;
        }
        return false;
    }
    /**
     * The part of each interval that no earlier interval covered (a sliding window's new part).
     * Requires starts that never move backwards (and so everything below the highest end so far, from
     * the current start up, is covered), else throws DemandMovesBack: the windows of one reader's monotone
     * tiles never do, a join of several readers may. Ends may move back (the hull of several readers'
     * windows, one of them empty on some iterations).
     */
    fresh(what) {
        // a buffer evaluated at several levels asks again for the same sequence's fresh parts
        this.freshParts ??= this.computeFresh(what);
        return this.freshParts;
    }
    freshParts;
    computeFresh(what) {
        const runs = [];
        let seen = Number.NEGATIVE_INFINITY;
        let seenLo = Number.NEGATIVE_INFINITY;
        for (const r of this.runs) {
            if (r.none) {
                runs.push(r);
                continue;
            }
            if (r.lo < seenLo || r.dlo < 0)
                throw new DemandMovesBack(`non-monotone demand in ${what}`);
            const before = seen;
            const f = (k) => {
                const i = at(r, k);
                // the highest end of the earlier intervals (ends moving back: the run's first)
                const prev = k === 0 ? before : Math.max(before, r.hi + (r.dhi < 0 ? 0 : (k - 1) * r.dhi));
                const lo = Math.max(i.lo, prev);
                return lo < i.hi ? { lo, hi: i.hi } : empty;
            };
            const cuts = new Set([1]);
            const prevA = r.hi - r.dhi;
            addCrossing(cuts, r.lo, r.dlo, prevA, r.dhi, r.n);
            addCrossing(cuts, r.lo, r.dlo, before, 0, r.n);
            addCrossing(cuts, prevA, r.dhi, before, 0, r.n);
            addCrossing(cuts, prevA, r.dhi, r.hi, r.dhi, r.n);
            addCrossing(cuts, r.lo, r.dlo, r.hi, r.dhi, r.n);
            addCrossing(cuts, before, 0, r.hi, r.dhi, r.n);
            runs.push(...compress(r.n, f, cuts));
            seen = Math.max(seen, r.hi, r.hi + (r.n - 1) * r.dhi);
            seenLo = r.lo + (r.n - 1) * r.dlo;
        }
        return new Seq(merge(runs));
    }
}
//# sourceMappingURL=sequence.js.map