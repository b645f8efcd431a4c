// What a walk of the segment search carries from one loop to the next (segment-search.ts): each
// buffer's phase at the loop being placed and the moves it may make, its options (partial products of
// its factors, one per history of phases) in typed arrays, and the tile candidates flattened the same way.
import { ABOVE, BELOW, REUSE } from './segment-factors.js';
/**
 * Phases of a buffer at the loop being placed: its role there (segment-factors.ts), reuse split in two
 * (whether an earlier reuse loop brings data back, so bands below are kept whole).
 */
export const PHASE_ABOVE = 0;
export const PHASE_REUSE = 1;
export const PHASE_REUSE_BACK = 2;
export const PHASE_BELOW = 3;
/** The role (the tables' entry) of each phase. */
export const ROLE = [ABOVE, REUSE, REUSE, BELOW];
/** The phases a buffer can take at the next loop, from each phase (they only move forward). */
export const MOVES = [
    [PHASE_ABOVE, PHASE_REUSE, PHASE_BELOW],
    [PHASE_REUSE, PHASE_BELOW],
    [PHASE_REUSE_BACK, PHASE_BELOW],
    [PHASE_BELOW],
];
/** A loop of one iteration is the same in every phase: phases move on at the next loop instead. */
export const STAY = [[PHASE_ABOVE], [PHASE_REUSE], [PHASE_REUSE_BACK], [PHASE_BELOW]];
export const NONE = [];
/** The paper tool's model fetches a buffer anew at every iteration of its level: store == fill. */
export const MOVES_NO_REUSE = [[PHASE_ABOVE, PHASE_BELOW], NONE, NONE, [PHASE_BELOW]];
/** Every list of moves used, numbered (what a buffer's completions depend on is keyed by them). */
export const MOVE_ID = new Map([...MOVES, ...STAY, ...MOVES_NO_REUSE, NONE].map((m, i) => [m, i]));
/** Options one buffer can carry: one per history of phases, at most one per (store, fill) pair. */
export const CAP = 32;
/**
 * Drops tile sizes another size beats or equals in every entry (factor, extents) of every buffer,
 * context and role, with the same phase effects and no more iterations (the first of equals stays).
 */
export function pruneCandidates(cands, buffers) {
    // per candidate: what must be equal (defined entries, flags, one iteration or several), and the
    // numbers that must be no larger
    const keyed = cands.map((c, index) => {
        const flags = [c.trips > 1 ? 'n' : '1'];
        const values = [c.trips];
        c.entries.forEach((es, bi) => {
            for (const e of es) {
                if (e === undefined) {
                    flags.push('-');
                    continue;
                }
                flags.push(`${e.back ? 1 : 0}${e.empty ? 1 : 0}${e.absent ? 1 : 0}${e.widens ? 1 : 0}`);
                values.push(buffers[bi].role === 'intermediate' ? e.filled : e.accesses, e.maxSpan, e.hullSpan);
            }
        });
        return { c, index, key: flags.join(''), values, sum: values.reduce((a, b) => a + b, 0) };
    });
    // a candidate can only be beaten by one of no larger sum: visit those first
    keyed.sort((a, b) => a.sum - b.sum || a.index - b.index);
    const kept = [];
    for (const k of keyed)
        if (!kept.some((o) => o.key === k.key && o.values.every((v, i) => v <= k.values[i])))
            kept.push(k);
    return kept.sort((a, b) => a.index - b.index).map((k) => k.c);
}
export function flatten(c, buffers, slots) {
    const n = buffers.length * slots;
    const f = {
        t: c.t,
        trips: c.trips,
        warmup: c.warmup,
        a: new Float64Array(n).fill(Number.NaN),
        max: new Float64Array(n).fill(Number.NaN),
        hull: new Float64Array(n).fill(Number.NaN),
        back: new Uint8Array(n),
        empty: new Uint8Array(n),
        absent: new Uint8Array(n),
        widens: new Uint8Array(n),
    };
    c.entries.forEach((es, bi) => {
        es.forEach((e, k) => {
            if (e === undefined)
                return;
            const i = bi * slots + k;
            f.a[i] = buffers[bi].role === 'intermediate' ? e.filled : e.accesses;
            f.max[i] = e.maxSpan;
            f.hull[i] = e.hullSpan;
            f.back[i] = e.back ? 1 : 0;
            f.empty[i] = e.empty ? 1 : 0;
            f.absent[i] = e.absent ? 1 : 0;
            f.widens[i] = e.widens ? 1 : 0;
        });
    });
    return f;
}
/**
 * The options of every buffer after some loops are placed: per buffer up to CAP ways (index
 * buffer * CAP + k), each with its phase, DRAM accesses (elements computed, for an intermediate),
 * product of extents, product of extents but the weights' input channels, and store and fill depths.
 */
export class Options {
    n;
    phase;
    acc;
    ext;
    extOut;
    store;
    fill;
    /** A shared DRAM input's flagged positions so far (see marked). */
    mark;
    constructor(buffers) {
        this.n = new Int32Array(buffers);
        this.phase = new Uint8Array(buffers * CAP);
        this.acc = new Float64Array(buffers * CAP);
        this.ext = new Float64Array(buffers * CAP);
        this.extOut = new Float64Array(buffers * CAP);
        this.store = new Uint8Array(buffers * CAP);
        this.fill = new Uint8Array(buffers * CAP);
        this.mark = new Uint8Array(buffers * CAP);
    }
    copy(from, to) {
        this.phase[to] = this.phase[from];
        this.acc[to] = this.acc[from];
        this.ext[to] = this.ext[from];
        this.extOut[to] = this.extOut[from];
        this.store[to] = this.store[from];
        this.fill[to] = this.fill[from];
        this.mark[to] = this.mark[from];
    }
}
export const REFUSED = 255;
/**
 * A shared DRAM input's mark after a position (1..4) whose entry flags a reader absent and/or reads
 * sticking out (LoopEntry.absent, widens): per flag the position seen, 5 for several; REFUSED once an
 * absent position and a different widening one meet (the model has no closed form there).
 */
export function marked(m, pos, absent, widens) {
    let a = Math.floor(m / 6);
    let w = m % 6;
    if (absent)
        a = a === 0 || a === pos ? pos : 5;
    if (widens)
        w = w === 0 || w === pos ? pos : 5;
    return a !== 0 && w !== 0 && (a !== w || a === 5) ? REFUSED : a * 6 + w;
}
//# sourceMappingURL=walk-state.js.map