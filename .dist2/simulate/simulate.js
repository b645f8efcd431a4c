// The simulator: executes a segment schedule element by element, literally as the operational definition
// of docs/execution-model.md states it, and counts. It is the judge of the closed-form cost model, so it
// shares nothing with it but the data types: every window comes from forEachRead, box by box, and the
// storage sizes come from the spans it observes.
//
// It streams. The last layer's computations are generated in time order and pushed to the buffers they
// read. A buffer groups the computations by the prefix of their event at its fill level; when a group
// ends, the hull of its reads is the demand of that fill, and what of it is not present is loaded,
// brought in, or (an intermediate) computed by its producer: that computation is pushed in turn to the
// producer's buffers. Each buffer sees its fills in time order, so its presence state evolves exactly as
// in the loop nest. Memory is a few typed arrays per buffer, indexed by element (see
// `simulationBytes`), whatever the number of tile steps.
//
// Warm-up loops start below 0: along their dimension every intermediate's space gets a margin of virtual
// coordinates (`virtualMargins`), which carry demand like real ones but count for nothing. DRAM inputs
// and the output have none: what reaches below 0 in them is clipped.
//
// Strips run the loop nest once per strip of the last layer's columns; the strip index is the outermost
// coordinate of every event key, so every buffer starts empty at a strip except weights stored at root.
// A raster line buffer's run needs its band width, known only once the spans are measured: a schedule
// with one runs the nest a second time to measure the runs (`measureRaster`).
import { weightsShape } from '../ir/network.js';
import { stripRanges, warmupOf } from '../model/schedule.js';
import { viewResult } from '../model/segment.js';
import { checkSegmentSchedule } from '../model/validate.js';
import { forEachRead, macsPerElement, weightsSource } from './reads.js';
import { activationSpace, weightSpace } from './space.js';
/** Bytes of simulator state per element of a buffer: first-present index, read mark, mark list. */
const bytesPerElement = 4 + 1 + 4;
/** Extra per element: an intermediate's list of new elements, the output's accumulated flags. */
const extraBytes = { input: 0, weights: 0, intermediate: 4, output: 1 };
const emptyLo = 2 ** 31 - 1;
const emptyHi = -(2 ** 31);
/** Fill indices are Int32; this one stands for no fill (a buffer with this many fills is refused). */
const never = 2 ** 31 - 1;
/** Elements of the block-maximum index over a dimension's last-demanded fills. */
const block = 32;
/** Windows are not clipped below 0 along the dimension of a loop with warm-up iterations. */
function unclippedOf(s) {
    return { y: warmupOf(s, 'y') > 0, x: warmupOf(s, 'x') > 0 };
}
/**
 * The virtual margin of every tensor of the segment: the lowest coordinate its readers can read, along
 * y and x (only the intermediates' count: the others clip). The last layer's lowest tile starts at
 * -W*t; a layer's windows are monotone in its output coordinates, so what its lowest output element
 * reads is the lowest of each input (the least over its readers for a tensor several layers read).
 */
function virtualMargins(seg, s) {
    const unclipped = unclippedOf(s);
    const lowest = new Map();
    lowest.set(seg.last.name, { y: 0 - warmupOf(s, 'y') * s.tile.y, x: 0 - warmupOf(s, 'x') * s.tile.x });
    for (const layer of [...seg.layers].reverse()) {
        const out = lowest.get(layer.name);
        const ins = layer.inputs.map((t) => seg.shapes.get(t));
        const reach = layer.inputs.map((t) => lowest.get(t) ?? { y: 0, x: 0 });
        const channels = seg.shapes.get(layer.name).c;
        for (let c = 0; c < channels; c++)
            forEachRead(layer, ins, c, out.y, out.x, undefined, unclipped, (source, _c0, _c1, y0, _y1, x0) => {
                const r = reach[source];
                if (r === undefined)
                    return; // the weights
                r.y = Math.min(r.y, y0);
                r.x = Math.min(r.x, x0);
            });
        layer.inputs.forEach((t, k) => {
            lowest.set(t, reach[k]);
        });
    }
    const margins = new Map();
    for (const [t, low] of lowest)
        margins.set(t, { y: 0 - low.y, x: 0 - low.x });
    return margins;
}
function bufferSpace(seg, b, margins) {
    const layer = seg.layers.find((l) => l.name === b.layer);
    const w = b.role === 'weights' ? weightsShape(layer, seg.shapes.get(layer.inputs[0]).c) : undefined;
    if (w)
        return weightSpace(w);
    return activationSpace(seg.shapes.get(b.tensor), b.role === 'intermediate' ? margins.get(b.tensor) : undefined);
}
/**
 * The simulator's memory for a segment schedule: bounded by the sizes of its buffers' tensors (with
 * their virtual margins), not by tile steps.
 */
export function simulationBytes(seg, s) {
    const margins = virtualMargins(seg, s);
    // A raster line buffer's stacks hold per channel at most one entry per fill of a store instance (the
    // y and x loops right above it), of two numbers, in two stacks.
    const widest = Math.max(...stripRanges(s, seg.dims.x).map((k) => k.hi - k.lo));
    const fills = (Math.ceil(seg.dims.y / s.tile.y) + warmupOf(s, 'y')) * (Math.ceil(widest / s.tile.x) + warmupOf(s, 'x'));
    let n = 0;
    for (const b of seg.buffers) {
        const space = bufferSpace(seg, b, margins);
        n += space.elements * (bytesPerElement + extraBytes[b.role]);
        for (const size of space.sizes)
            n += size * 2 * 4 + Math.ceil(size / block) * 4;
        if (s.buffers[b.id].raster)
            n += space.sizes[0] * (4 + fills * 2 * 2 * 8);
    }
    return n;
}
function depthOf(order, level) {
    return level === 'root' ? 0 : order.indexOf(level) + 1;
}
class BufferSim {
    buffer;
    store;
    fill;
    keyOf;
    acrossStrips;
    produce;
    space;
    /** Row-major strides of the element keys, and the shifts of coordinates 1 and 2 (minus their lows). */
    s1;
    s2;
    s3;
    o1;
    o2;
    /** Per dimension, the coordinates of elements that count for the extents: [0, real). */
    real;
    /** A DRAM input or the output: no virtual coordinates, reads below 0 are clipped. */
    clips;
    /** Fill index at which each element became present in its store instance; -1 never. */
    first;
    marks;
    marked;
    nMarked = 0;
    accumulated;
    fresh;
    open = false;
    groupKey = -1;
    groupEvent;
    /** Hull of the open group's reads, bounds half-open; empty while lo > hi. */
    lo = new Int32Array(4).fill(emptyLo);
    hi = new Int32Array(4).fill(emptyHi);
    fills = 0;
    storeKey = -1;
    instanceStart = 0;
    /** Per dimension and coordinate: the last fill that demanded an element there (counted elements only). */
    lastSeen;
    lastSeenBlocks;
    /** Per dimension and coordinate: scratch for the earliest first-present index within one fill. */
    earliest;
    /** Per dimension: the lowest and highest coordinate demanded in the current store instance. */
    instanceLo = new Int32Array(4);
    instanceHi = new Int32Array(4);
    /** Per dimension: the lowest and highest coordinate demanded at or after fill t (t -1: none yet). */
    since = [0, 1, 2, 3].map(() => ({ t: -1, top: 0, bottom: 0 }));
    spans = [0, 0, 0, 0];
    /** False once every span is as wide as its dimension: nothing more to measure. */
    spansOpen = true;
    holdsBias = false;
    /**
     * The columns of its tensor the current strip needs (docs/execution-model.md, "Strips"): the others
     * are virtual there. Everything without strips (and weights, whose dimension 2 is not columns).
     */
    needLo = 0;
    needHi = Number.POSITIVE_INFINITY;
    /** A raster line buffer in the measuring pass: its runs, rows pitched by its measured band. */
    raster;
    filled = 0;
    dramReads = 0;
    dramWrites = 0;
    constructor(buffer, space, store, fill, 
    /** The key of an event's prefix of `depth` loops, the strip outermost. */
    keyOf, 
    /** Weights stored at root: one store instance for the whole segment, whatever the strip. */
    acrossStrips, 
    /** The band width a raster line buffer's rows are pitched by (0: its run is not measured). */
    pitch, 
    /**
     * Called with each fill's new elements of an intermediate, `count` of them listed in `fresh`, `real`
     * of them real: its producer computes them.
     */
    produce) {
        this.buffer = buffer;
        this.store = store;
        this.fill = fill;
        this.keyOf = keyOf;
        this.acrossStrips = acrossStrips;
        this.produce = produce;
        this.space = space;
        this.s1 = space.sizes[1];
        this.s2 = space.sizes[2];
        this.s3 = space.sizes[3];
        // 0 - v, not -v: -0 is a double, and these shifts enter every element key
        this.o1 = 0 - space.low[1];
        this.o2 = 0 - space.low[2];
        this.real = space.sizes.map((n, d) => n + space.low[d]);
        this.clips = buffer.role === 'input' || buffer.role === 'output';
        this.first = new Int32Array(space.elements).fill(-1);
        this.marks = new Uint8Array(space.elements);
        this.marked = new Int32Array(space.elements);
        this.accumulated = buffer.role === 'output' ? new Uint8Array(space.elements) : undefined;
        this.fresh = buffer.role === 'intermediate' ? new Int32Array(space.elements) : undefined;
        this.groupEvent = new Int32Array(fill);
        this.lastSeen = this.real.map((n) => new Int32Array(n).fill(-1));
        this.lastSeenBlocks = this.real.map((n) => new Int32Array(Math.ceil(n / block)).fill(-1));
        this.earliest = this.real.map((n) => new Int32Array(n).fill(never));
        this.raster = pitch > 0 ? new RasterRun(space.sizes[0], pitch) : undefined;
    }
    /** A consumer computation at `event` is about to read: ends the previous fill's group if it is over. */
    enter(event) {
        const key = this.keyOf(event, this.fill);
        if (this.open && key === this.groupKey)
            return;
        this.close();
        this.open = true;
        this.groupKey = key;
        for (let d = 0; d < this.fill; d++)
            this.groupEvent[d] = event[d];
    }
    /** Elements [c0, c1) x [y0, y1) x [x0, x1) x [k0, k1) are read (or, for the output, written). */
    read(c0, c1, y0, y1, x0, x1, k0, k1) {
        if (this.clips) {
            // Nothing produces a DRAM input below 0, nor outside what the strip needs of it; the output keeps
            // the real part of its tiles.
            if (y0 < 0)
                y0 = 0;
            if (x0 < this.needLo)
                x0 = this.needLo;
            if (x1 > this.needHi)
                x1 = this.needHi;
            if (y0 >= y1 || x0 >= x1)
                return 0;
        }
        const { lo, hi, marks, marked } = this;
        if (c0 < lo[0])
            lo[0] = c0;
        if (y0 < lo[1])
            lo[1] = y0;
        if (x0 < lo[2])
            lo[2] = x0;
        if (k0 < lo[3])
            lo[3] = k0;
        if (c1 > hi[0])
            hi[0] = c1;
        if (y1 > hi[1])
            hi[1] = y1;
        if (x1 > hi[2])
            hi[2] = x1;
        if (k1 > hi[3])
            hi[3] = k1;
        const { s1, s2, s3, o1, o2 } = this;
        if (y0 + o1 < 0 || x0 + o2 < 0)
            this.belowMargin(y0, x0);
        this.nMarked = mark(marks, marked, this.nMarked, s1, s2, s3, c0, c1, y0 + o1, y1 + o1, x0 + o2, x1 + o2, k0, k1);
        return (c1 - c0) * (y1 - y0) * (x1 - x0) * (k1 - k0);
    }
    /** Kept out of `read` so that it stays small enough to inline. */
    belowMargin(y, x) {
        throw new Error(`simulate: ${this.buffer.id} is read at [${y}, ${x}], below its virtual margin`);
    }
    /** The fill of the open group: demand = hull of its reads; the part not present becomes present. */
    close() {
        if (!this.open)
            return;
        this.open = false;
        if (this.lo[0] > this.hi[0])
            return; // nothing demanded: no fill
        const j = this.fills++;
        if (j === never)
            throw new Error(`simulate: ${this.buffer.id} has more than ${never} fills`);
        const storeKey = this.acrossStrips ? 0 : this.keyOf(this.groupEvent, this.store);
        if (j === 0 || storeKey !== this.storeKey) {
            this.storeKey = storeKey;
            this.instanceStart = j;
            this.instanceLo.fill(emptyLo);
            this.instanceHi.fill(emptyHi);
            this.raster?.startInstance();
        }
        const { space, first, lo, hi, accumulated, fresh } = this;
        const e0 = this.earliest[0];
        const e1 = this.earliest[1];
        const e2 = this.earliest[2];
        const e3 = this.earliest[3];
        const { s1, s2, s3, o1, o2 } = this;
        const weights = space.weights;
        const start = this.instanceStart;
        let count = 0;
        let real = 0;
        let readBack = 0;
        for (let c = lo[0]; c < hi[0]; c++)
            for (let y = lo[1]; y < hi[1]; y++) {
                const bias = weights && y === -1;
                // A virtual row (a warm-up loop's coordinates below 0) is present but counts for nothing.
                const virtualRow = !weights && y < 0;
                const row = (c * s1 + y + o1) * s2 + o2;
                // Earliest first-present index over the row's counted elements.
                let rowEarliest = never;
                for (let x = lo[2]; x < hi[2]; x++)
                    for (let k = lo[3]; k < hi[3]; k++) {
                        if (bias && (x !== 0 || k !== 0))
                            continue; // no such element
                        const key = (row + x) * s3 + k;
                        const counted = !virtualRow && x >= this.needLo && x < this.needHi;
                        let f = first[key];
                        if (f < start) {
                            f = j;
                            first[key] = j;
                            if (fresh)
                                fresh[count] = key;
                            count++;
                            if (counted) {
                                real++;
                                if (accumulated !== undefined && accumulated[key] === 1)
                                    readBack++;
                            }
                        }
                        if (bias || !counted || !this.spansOpen)
                            continue;
                        if (f < rowEarliest)
                            rowEarliest = f;
                        if (f < e2[x])
                            e2[x] = f;
                        if (f < e3[k])
                            e3[k] = f;
                    }
                if (bias)
                    this.holdsBias = true;
                if (rowEarliest === never)
                    continue;
                if (rowEarliest < e0[c])
                    e0[c] = rowEarliest;
                if (rowEarliest < e1[y])
                    e1[y] = rowEarliest;
            }
        if (this.spansOpen)
            this.measureSpans(j);
        if (this.raster)
            this.measureRaster(j);
        for (let m = 0; m < this.nMarked; m++) {
            const key = this.marked[m];
            if (first[key] < this.instanceStart)
                throw new Error(`simulate: ${this.buffer.id} element ${key} is read at [${[...this.groupEvent].join(', ')}] but not present`);
            this.marks[key] = 0;
            if (accumulated)
                accumulated[key] = 1;
        }
        this.nMarked = 0;
        this.filled += real;
        const role = this.buffer.role;
        if (role === 'input' || role === 'weights')
            this.dramReads += real;
        if (role === 'output') {
            this.dramWrites += real;
            this.dramReads += readBack;
        }
        if (this.buffer.exported)
            this.dramWrites += real; // written to DRAM as computed
        for (let d = 0; d < 4; d++) {
            lo[d] = emptyLo;
            hi[d] = emptyHi;
        }
        if (fresh && count > 0)
            this.produce(this, count, real);
    }
    /**
     * Storage spans. An element is live from the fill that makes it present to the last fill of its store
     * instance that demands it; the span of a dimension is the largest distance between two elements live
     * at a common fill. Two elements' live intervals meet iff, when the later-ending one is demanded for
     * the last time, the other was demanded at or after the first fill of the later-ending one: so at each
     * fill, an element of the demand made present at fill f pairs with every coordinate demanded at or
     * after f (this fill included).
     */
    measureSpans(j) {
        const { lo, hi, real } = this;
        // Only biases or virtual elements: nothing that counts.
        for (let d = 0; d < 4; d++)
            if (hi[d] <= 0)
                return;
        if (lo[2] >= this.needHi || hi[2] <= this.needLo)
            return;
        for (let d = 0; d < 4; d++) {
            // A span as wide as the dimension's counted coordinates cannot grow (nor is `earliest` read again).
            if (this.spans[d] === real[d])
                continue;
            // Coordinates of counted elements (neither the bias row nor virtual ones).
            const a = Math.max(lo[d], d === 2 ? this.needLo : 0);
            const b = d === 2 ? Math.min(hi[d], this.needHi) : hi[d];
            const instanceLo = Math.min(this.instanceLo[d], a);
            const instanceHi = Math.max(this.instanceHi[d], b - 1);
            this.instanceLo[d] = instanceLo;
            this.instanceHi[d] = instanceHi;
            const seen = this.lastSeen[d];
            const blocks = this.lastSeenBlocks[d];
            const earliest = this.earliest[d];
            for (let v = a; v < b; v++)
                seen[v] = j;
            for (let i = Math.floor(a / block); i <= Math.floor((b - 1) / block); i++)
                blocks[i] = j;
            const cache = this.since[d];
            if (cache.t >= 0) {
                // Every coordinate of this fill was demanded at or after the cached fill.
                cache.top = Math.max(cache.top, b - 1);
                cache.bottom = Math.min(cache.bottom, a);
            }
            let span = this.spans[d];
            if (instanceHi - a + 1 <= span && b - instanceLo <= span) {
                // Nothing demanded in this store instance lies far enough from this fill to widen the span.
                for (let u = a; u < b; u++)
                    earliest[u] = never;
                continue;
            }
            let t0 = j;
            for (let u = a; u < b; u++)
                t0 = Math.min(t0, earliest[u]);
            // Bounds from the earliest element of the fill: most fills cannot widen the span.
            if (t0 !== j && t0 !== cache.t) {
                cache.t = t0;
                cache.top = highestSince(seen, blocks, t0, b - 1, instanceHi);
                cache.bottom = lowestSince(seen, blocks, t0, a, instanceLo);
            }
            const wider = t0 === j ? b - a > span : cache.top - a + 1 > span || b - cache.bottom > span;
            for (let u = a; u < b; u++) {
                const t = earliest[u];
                earliest[u] = never;
                if (!wider)
                    continue;
                // Made present by this fill: only this fill's coordinates were demanded since.
                const top = t === j ? b - 1 : highestSince(seen, blocks, t, b - 1, instanceHi);
                const bottom = t === j ? a : lowestSince(seen, blocks, t, a, instanceLo);
                span = Math.max(span, top - u + 1, u - bottom + 1);
            }
            this.spans[d] = span;
        }
        this.spansOpen = this.spans.some((w, d) => w < real[d]);
    }
    /**
     * The raster run: the largest raster distance between two elements of one channel live at a common
     * fill, plus one. By the pairing argument of `measureSpans`, an element of this fill's demand made
     * present at fill t pairs with the elements of its channel demanded at fills t to j; the farthest of
     * a demand box in raster order are its first and last elements.
     */
    measureRaster(j) {
        const run = this.raster;
        const { lo, hi, first, s1, s2, s3, o1, o2 } = this;
        const y0 = Math.max(lo[1], 0);
        const x0 = Math.max(lo[2], this.needLo);
        const y1 = hi[1];
        const x1 = Math.min(hi[2], this.needHi);
        // only virtual elements: nothing that counts
        if (y0 >= y1 || x0 >= x1)
            return;
        const { pitch } = run;
        const lowest = y0 * pitch + x0;
        const highest = (y1 - 1) * pitch + x1 - 1;
        for (let c = lo[0]; c < hi[0]; c++) {
            run.push(c, j, lowest, highest);
            // nothing demanded in this store instance is far enough from this fill to lengthen the run
            if (!run.mayLengthen(c, lowest, highest))
                continue;
            for (let y = y0; y < y1; y++) {
                const row = (c * s1 + y + o1) * s2 + o2;
                for (let x = x0; x < x1; x++)
                    run.pair(c, first[(row + x) * s3], y * pitch + x);
            }
        }
    }
}
/**
 * A raster line buffer's run, measured per channel over its store instances: per channel, the lowest
 * and highest raster positions demanded at each fill, kept as monotonic stacks so that the extremes
 * demanded from any fill t up to the current one are a binary search away.
 */
class RasterRun {
    pitch;
    longest = 0;
    instance = 0;
    /** Per channel: the store instance its stacks belong to (stale stacks are emptied on use). */
    stackInstance;
    /** Per channel, fills ascending, highest positions strictly decreasing: suffix maxima. */
    highFills;
    highs;
    /** Per channel, fills ascending, lowest positions strictly increasing: suffix minima. */
    lowFills;
    lows;
    constructor(channels, pitch) {
        this.pitch = pitch;
        this.stackInstance = new Int32Array(channels);
        const lists = () => Array.from({ length: channels }, () => []);
        this.highFills = lists();
        this.highs = lists();
        this.lowFills = lists();
        this.lows = lists();
    }
    startInstance() {
        this.instance++;
    }
    /** Channel c is demanded at fill j from raster position `lowest` to `highest`. */
    push(c, j, lowest, highest) {
        const highFills = this.highFills[c];
        const highs = this.highs[c];
        const lowFills = this.lowFills[c];
        const lows = this.lows[c];
        if (this.stackInstance[c] !== this.instance) {
            this.stackInstance[c] = this.instance;
            highFills.length = 0;
            highs.length = 0;
            lowFills.length = 0;
            lows.length = 0;
        }
        while (highs.length > 0 && highs[highs.length - 1] <= highest) {
            highs.pop();
            highFills.pop();
        }
        highFills.push(j);
        highs.push(highest);
        while (lows.length > 0 && lows[lows.length - 1] >= lowest) {
            lows.pop();
            lowFills.pop();
        }
        lowFills.push(j);
        lows.push(lowest);
    }
    /** Whether some element of the current fill's box (pushed last) may lengthen the run. */
    mayLengthen(c, lowest, highest) {
        return this.highs[c][0] - lowest + 1 > this.longest || highest - this.lows[c][0] + 1 > this.longest;
    }
    /** An element of channel c at raster position `at`, demanded at the current fill, present since fill t. */
    pair(c, t, at) {
        const highest = this.highs[c][firstFrom(this.highFills[c], t)];
        const lowest = this.lows[c][firstFrom(this.lowFills[c], t)];
        const run = Math.max(highest - at, at - lowest) + 1;
        if (run > this.longest)
            this.longest = run;
    }
}
/** The first index of an ascending list whose value is at least t (the list's last value is). */
function firstFrom(fills, t) {
    let a = 0;
    let b = fills.length - 1;
    while (a < b) {
        const m = (a + b) >> 1;
        if (fills[m] < t)
            a = m + 1;
        else
            b = m;
    }
    return a;
}
/**
 * Per tensor of a segment run in strips, the columns a strip needs of it: of the last layer's output the
 * strip's, of the others the hull of the columns their readers read for what they need (clipped to the
 * tensor), window by window.
 */
function stripNeeds(seg, columns) {
    const need = new Map([[seg.last.name, columns]]);
    for (const layer of [...seg.layers].reverse()) {
        const out = need.get(layer.name);
        if (out === undefined || out.lo >= out.hi)
            continue;
        const ins = layer.inputs.map((t) => seg.shapes.get(t));
        const row = Math.floor(layer.shape.h / 2);
        for (let c = 0; c < layer.shape.c; c++)
            for (let x = out.lo; x < out.hi; x++)
                forEachRead(layer, ins, c, row, x, undefined, { y: false, x: false }, (source, _c0, _c1, _y0, _y1, x0, x1) => {
                    if (source === weightsSource)
                        return;
                    const t = layer.inputs[source];
                    const lo = Math.max(0, x0);
                    const hi = Math.min(seg.shapes.get(t).w, x1);
                    if (lo >= hi)
                        return;
                    const n = need.get(t);
                    need.set(t, n === undefined ? { lo, hi } : { lo: Math.min(n.lo, lo), hi: Math.max(n.hi, hi) });
                });
    }
    return need;
}
/** The highest coordinate, from `known` to `limit`, whose last demand is at fill `t` or later. */
function highestSince(seen, blocks, t, known, limit) {
    const first = Math.floor(known / block);
    let i = Math.floor(limit / block);
    while (i > first && blocks[i] < t)
        i--;
    let v = Math.min(limit + 1, (i + 1) * block) - 1;
    while (seen[v] < t)
        v--;
    return v;
}
/** The lowest coordinate, from `limit` to `known`, whose last demand is at fill `t` or later. */
function lowestSince(seen, blocks, t, known, limit) {
    const last = Math.floor(known / block);
    let i = Math.floor(limit / block);
    while (i < last && blocks[i] < t)
        i++;
    let v = Math.max(limit, i * block);
    while (seen[v] < t)
        v++;
    return v;
}
/**
 * Marks the elements of a box (in indices from 0, keys row-major over sizes [_, s1, s2, s3]) and lists
 * the newly marked ones after the first n; returns the new length of the list. A function of its own so
 * that its loops are optimised apart from the buffer's bookkeeping.
 */
function mark(marks, marked, n, s1, s2, s3, c0, c1, y0, y1, x0, x1, k0, k1) {
    // Trailing dimensions read whole make runs of consecutive keys.
    const rows = k0 === 0 && k1 === s3;
    const planes = rows && x0 === 0 && x1 === s2;
    for (let c = c0; c < c1; c++) {
        if (planes) {
            n = markRun(marks, marked, n, (c * s1 + y0) * s2 * s3, (c * s1 + y1) * s2 * s3);
            continue;
        }
        for (let y = y0; y < y1; y++) {
            const row = (c * s1 + y) * s2;
            if (rows)
                n = markRun(marks, marked, n, (row + x0) * s3, (row + x1) * s3);
            else
                for (let x = x0; x < x1; x++)
                    n = markRun(marks, marked, n, (row + x) * s3 + k0, (row + x) * s3 + k1);
        }
    }
    return n;
}
function markRun(marks, marked, n, from, to) {
    for (let key = from; key < to; key++)
        if (marks[key] === 0) {
            marks[key] = 1;
            marked[n++] = key;
        }
    return n;
}
/**
 * Executes one segment schedule element by element and measures DRAM traffic, buffer sizes and MACs.
 * Throws InputError for an invalid schedule, and Error if a computation would read an element that
 * is not on chip (a bug in the semantics, never in the input).
 */
export function simulateSegment(net, seg, s, elementBytes, options = {}) {
    checkSegmentSchedule(seg, s, 'segment');
    // a view executes nothing: its readers find its elements in its producers' tensors
    if (seg.view)
        return viewResult(seg);
    for (const l of seg.layers)
        if (!net.layers.includes(l))
            throw new Error(`simulate: layer '${l.name}' is not part of network '${net.name}'`);
    const progress = { reads: 0, reported: 0 };
    const { sims, layerMacs } = executeNest(seg, s, new Map(), progress, options);
    const buffers = seg.buffers.map((b) => {
        const sim = sims.get(b.id);
        const [o, i, ky, kx] = sim.spans;
        // A weights box holds per output channel its input channels' taps and, if it ever held one, a bias.
        const elements = sim.space.weights
            ? o * (i * ky * kx + (sim.holdsBias ? 1 : 0))
            : o * i * ky * kx;
        return {
            id: b.id,
            role: b.role,
            tensor: b.tensor,
            extents: sim.spans.slice(0, sim.space.extentDims),
            bytes: elements * elementBytes,
            filled: sim.filled,
            dramReads: sim.dramReads,
            dramWrites: sim.dramWrites,
        };
    });
    // Raster runs are pitched by the band width the first pass measured: a second pass measures them (a
    // buffer that never holds a counted element has no band: its run is empty).
    const pitches = new Map();
    for (const b of seg.buffers)
        if (s.buffers[b.id].raster)
            pitches.set(b.id, sims.get(b.id).spans[2]);
    if (pitches.size > 0) {
        sims.clear();
        const measured = [...pitches.values()].some((p) => p > 0);
        const second = measured ? executeNest(seg, s, pitches, progress, options).sims : undefined;
        buffers.forEach((r, k) => {
            if (!pitches.has(r.id))
                return;
            const raster = second?.get(r.id)?.raster?.longest ?? 0;
            const { id, role, tensor, extents, filled, dramReads, dramWrites } = r;
            const bytes = extents[0] * raster * elementBytes;
            buffers[k] = { id, role, tensor, extents, raster, bytes, filled, dramReads, dramWrites };
        });
    }
    options.onProgress?.(progress.reads);
    return {
        buffers,
        dramReads: buffers.reduce((n, b) => n + b.dramReads, 0),
        dramWrites: buffers.reduce((n, b) => n + b.dramWrites, 0),
        onChipBytes: buffers.reduce((n, b) => n + b.bytes, 0),
        layerMacs,
        macs: Object.values(layerMacs).reduce((n, m) => n + m, 0),
    };
}
/**
 * One run of the loop nest over every strip: the buffers' measures and the MACs per layer. `pitches`:
 * the raster line buffers whose runs are measured, with their band widths.
 */
function executeNest(seg, s, pitches, progress, options) {
    const inside = new Set(seg.layers.map((l) => l.name));
    const shape = (t) => seg.shapes.get(t);
    // A loop with warm-up runs from -W: its events count W more iterations, keyed from 0. Keys count the
    // x loop's iterations of the widest strip, the strip outermost.
    const strips = stripRanges(s, seg.dims.x);
    const widest = Math.max(...strips.map((k) => k.hi - k.lo));
    const warm = s.order.map((l) => warmupOf(s, l));
    const keyCounts = s.order.map((l, d) => Math.ceil((l === 'x' ? widest : seg.dims[l]) / s.tile[l]) + warm[d]);
    let strip = 0;
    const keyOf = (event, depth) => {
        let key = strip;
        for (let d = 0; d < depth; d++)
            key = key * keyCounts[d] + event[d] + warm[d];
        return key;
    };
    const unclipped = unclippedOf(s);
    const margins = virtualMargins(seg, s);
    const layerMacs = {};
    for (const l of seg.layers)
        layerMacs[l.name] = 0;
    const progressStep = 1 << 22;
    const sims = new Map();
    for (const b of seg.buffers) {
        const levels = s.buffers[b.id];
        const store = depthOf(s.order, levels.store);
        const fill = depthOf(s.order, levels.fill);
        const space = bufferSpace(seg, b, margins);
        const acrossStrips = b.role === 'weights' && store === 0;
        const pitch = pitches.get(b.id) ?? 0;
        sims.set(b.id, new BufferSim(b, space, store, fill, keyOf, acrossStrips, pitch, (sim, n, real) => produce(sim, n, real)));
    }
    const layerSims = new Map();
    for (const l of seg.layers) {
        const sources = [];
        const weights = seg.buffers.find((b) => b.role === 'weights' && b.layer === l.name);
        if (weights)
            sources[0] = sims.get(weights.id);
        l.inputs.forEach((t, k) => {
            const b = inside.has(t)
                ? seg.buffers.find((x) => x.role === 'intermediate' && x.tensor === t)
                : seg.buffers.find((x) => x.role === 'input' && x.tensor === t);
            sources[k + 1] = sims.get(b.id);
        });
        const read = (source, c0, c1, y0, y1, x0, x1, k0, k1) => {
            progress.reads += sources[source - weightsSource].read(c0, c1, y0, y1, x0, x1, k0, k1);
        };
        const targets = [...new Set(sources.filter((x) => x !== undefined))];
        layerSims.set(l.name, { layer: l, ins: l.inputs.map(shape), sources, targets, read });
    }
    const output = sims.get(seg.buffers.find((b) => b.role === 'output').id);
    /**
     * An intermediate's producer computes the fill's new elements at the fill's event: their windows for
     * all of them, MACs for the real ones.
     */
    function produce(sim, n, real) {
        const { layer, ins, targets, read } = layerSims.get(sim.buffer.layer);
        for (const t of targets)
            t.enter(sim.groupEvent);
        const list = sim.fresh;
        const [, h, w] = sim.space.sizes;
        const [, low1, low2] = sim.space.low;
        for (let m = 0; m < n; m++) {
            const key = list[m];
            const c = Math.floor(key / (h * w));
            const y = (Math.floor(key / w) % h) + low1;
            const x = (key % w) + low2;
            const real = y >= 0 && x >= sim.needLo && x < sim.needHi;
            forEachRead(layer, ins, c, y, x, undefined, unclipped, read, real);
        }
        layerMacs[layer.name] += real * macsPerElement(layer, ins, undefined);
    }
    // The loop nest, innermost events in execution (lexicographic) order; the last layer computes a tile
    // at each.
    const lastSim = layerSims.get(seg.last.name);
    const event = new Int32Array(4);
    const at = {
        x: s.order.indexOf('x'),
        y: s.order.indexOf('y'),
        zo: s.order.indexOf('zo'),
        zi: s.order.indexOf('zi'),
    };
    const reduction = { lo: 0, hi: 0 };
    // Consumers before producers: a fill's group ends once every consumer computation in it has run,
    // including those of producers a closing group sets off (a DRAM input may be read by several layers).
    const closingOrder = [...seg.buffers].reverse().map((b) => sims.get(b.id));
    const closeFrom = (depth) => {
        for (const sim of closingOrder)
            if (sim.fill >= depth)
                sim.close();
    };
    for (const columns of strips) {
        if (strips.length > 1) {
            const needs = stripNeeds(seg, columns);
            for (const sim of sims.values()) {
                if (sim.buffer.role === 'weights')
                    continue;
                const need = needs.get(sim.buffer.tensor) ?? { lo: 0, hi: 0 };
                sim.needLo = need.lo;
                sim.needHi = need.hi;
            }
        }
        const counts = s.order.map((l, d) => l === 'x' ? Math.ceil((columns.hi - columns.lo) / s.tile.x) + warm[d] : keyCounts[d]);
        const total = counts.reduce((a, b) => a * b, 1);
        for (let n = 0; n < total; n++) {
            let rest = n;
            let changed = 5;
            for (let d = 3; d >= 0; d--) {
                const v = (rest % counts[d]) - warm[d];
                if (event[d] !== v)
                    changed = d + 1;
                event[d] = v;
                rest = Math.floor(rest / counts[d]);
            }
            // the groups of the fills at or inside the outermost loop that moved are over
            if (n > 0 && changed <= 4)
                closeFrom(changed);
            const x0 = columns.lo + event[at.x] * s.tile.x;
            const x1 = Math.min(x0 + s.tile.x, columns.hi);
            const y0 = event[at.y] * s.tile.y;
            const y1 = Math.min(y0 + s.tile.y, seg.dims.y);
            const c0 = event[at.zo] * s.tile.zo;
            const c1 = Math.min(c0 + s.tile.zo, seg.dims.zo);
            reduction.lo = event[at.zi] * s.tile.zi;
            reduction.hi = Math.min(reduction.lo + s.tile.zi, seg.dims.zi);
            output.enter(event);
            output.read(c0, c1, y0, y1, x0, x1, 0, 1);
            const { layer, ins, targets, read } = lastSim;
            for (const t of targets)
                t.enter(event);
            for (let c = c0; c < c1; c++)
                for (let y = y0; y < y1; y++)
                    for (let x = x0; x < x1; x++)
                        forEachRead(layer, ins, c, y, x, reduction, unclipped, read, y >= 0 && x >= columns.lo);
            // A warm-up tile is virtual below 0 (along x, outside its strip): only its real elements count.
            const realTile = (c1 - c0) * Math.max(0, y1 - Math.max(y0, 0)) * Math.max(0, x1 - Math.max(x0, columns.lo));
            layerMacs[layer.name] += realTile * macsPerElement(layer, ins, reduction);
            if (options.onProgress && progress.reads - progress.reported >= progressStep) {
                progress.reported = progress.reads;
                options.onProgress(progress.reads);
            }
        }
        // The groups still open end with the strip (every event of the next has a new strip index).
        closeFrom(0);
        strip++;
    }
    return { sims, layerMacs };
}
//# sourceMappingURL=simulate.js.map