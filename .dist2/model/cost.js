// The cost of a segment schedule: DRAM reads and writes per buffer, buffer sizes, MACs. Closed form:
// every tensor dimension follows at most one tile loop, so each count is a product over loops of
// per-dimension sums over that loop's tiles (docs/execution-model.md gives the semantics; the simulator
// in src/simulate/ executes them element by element and must agree exactly).
import { weightsShape } from '../ir/network.js';
import { exactCount } from '../ir/stats.js';
import { storageElements } from './result.js';
import { levelDepth, loopNames, stripRanges, warmupOf } from './schedule.js';
import { viewResult, weightsBufferId } from './segment.js';
import { applyMap, countOf, DemandMovesBack, lengthCount, Seq } from './sequence.js';
import { channelMap, constantMap, empty, groupedChannelWindow, hull, isEmpty, realMap, span, spatialMap, } from './windows.js';
const presenceMap = constantMap({ lo: 0, hi: 1 });
function constant(i) {
    return { loop: null, seq: Seq.of([i]) };
}
function mapDim(d, m) {
    return { loop: d.loop, seq: d.seq.map(m) };
}
/** Combines two dims following the same loop (or none) element by element. */
function zipDims(a, b, f) {
    if (!sameLoop(a, b))
        throw new Error(`internal: a dimension would follow two loops (${a.loop}, ${b.loop})`);
    const loop = a.loop ?? b.loop;
    const n = Math.max(a.seq.n, b.seq.n);
    const xs = a.seq.toArray();
    const ys = b.seq.toArray();
    const out = [];
    for (let v = 0; v < n; v++)
        out.push(f(xs[a.loop === null ? 0 : v], ys[b.loop === null ? 0 : v]));
    return { loop, seq: Seq.of(out) };
}
function sameLoop(a, b) {
    return a.loop === null || b.loop === null || a.loop === b.loop;
}
/**
 * Whether every interval of `a` lies inside the matching interval of `b` (empty ones always do; with
 * `whereB`, only where `b` is not empty).
 */
function within(a, b, whereB = false) {
    const n = Math.max(a.seq.n, b.seq.n);
    const xs = a.seq.toArray();
    const ys = b.seq.toArray();
    for (let v = 0; v < n; v++) {
        const x = xs[a.loop === null ? 0 : v];
        const y = ys[b.loop === null ? 0 : v];
        if (isEmpty(x) || (whereB && isEmpty(y)))
            continue;
        if (isEmpty(y) || x.lo < y.lo || x.hi > y.hi)
            return false;
    }
    return true;
}
/**
 * A DRAM input or intermediate read by several layers whose schedule has no exact closed form here (see
 * docs/execution-model.md, "Shared DRAM inputs"): validate turns it into a one-line error.
 */
export class NotClosedForm extends Error {
    bufferId;
    reason;
    constructor(bufferId, reason) {
        super(`buffer '${bufferId}': ${reason}`);
        this.bufferId = bufferId;
        this.reason = reason;
    }
}
/** What a computation reads (`coords`, derived from it), emptied wherever the computation is empty. */
function readRegion(coords, comp) {
    const dims = [...coords];
    const presence = [];
    for (const d of [comp.c, comp.y, comp.x, comp.red, ...comp.presence]) {
        if (!d.seq.hasEmpty())
            continue;
        const k = d.loop === null ? -1 : dims.findIndex((r) => r.loop === d.loop);
        if (k >= 0)
            dims[k] = { loop: d.loop, seq: dims[k].seq.maskedBy(d.seq) };
        else
            presence.push(mapDim(d, presenceMap));
    }
    return { gate: comp.gate, dims: [...dims, ...presence], coords: coords.length };
}
/**
 * What the last layer computes: one (x, y, zo) tile per level-4 event, accumulating the zi slice (the
 * tiles of a loop's warm-up iterations are virtual).
 */
function lastLayerComputation(seg, tile, warm, columns) {
    const tiles = (l) => {
        const [lo, hi] = l === 'x' ? [columns.lo, columns.hi] : [0, seg.dims[l]];
        // A loop of one iteration changes nothing: its dimensions are constant.
        if (Math.ceil((hi - lo) / tile[l]) + warm[l] === 1)
            return constant({ lo, hi });
        return { loop: l, seq: Seq.tiles(hi, tile[l], warm[l], lo) };
    };
    return {
        depth: 4,
        gate: new Set(),
        c: tiles('zo'),
        y: tiles('y'),
        x: tiles('x'),
        red: tiles('zi'),
        presence: [],
    };
}
function channelDim(layer, slot, comp, ins) {
    const m = channelMap(layer, slot, ins);
    if (m !== undefined || layer.kind !== 'conv')
        return mapDim(m.of === 'red' ? comp.red : comp.c, m.map);
    // Grouped with several channels per group: the reduction is whole (checked), so constant.
    const red = comp.red.seq.at(0);
    return {
        loop: comp.c.loop,
        seq: comp.c.seq.mapEach((c) => groupedChannelWindow(layer, c, red, ins[slot].c)),
    };
}
/** An interval's part within `to`. */
function clampMap(to) {
    return { la: 1, lb: 0, ha: 1, hb: 0, min: to.lo, max: isEmpty(to) ? to.lo : to.hi };
}
/**
 * Per tensor of a segment run in strips, the columns one strip needs of it: the last layer's, the
 * strip; a producer's, the hull of its readers' windows over what they need (docs/execution-model.md,
 * "Strips").
 */
export function neededColumns(seg, strip, clip = true) {
    const needed = new Map([[seg.last.name, strip]]);
    for (const layer of [...seg.layers].reverse()) {
        const out = needed.get(layer.name) ?? empty;
        layer.inputs.forEach((t) => {
            const m = spatialMap(layer, 'x', seg.shapes.get(t));
            const w = applyMap(clip ? m : { ...m, min: Number.NEGATIVE_INFINITY, max: Number.POSITIVE_INFINITY }, out);
            needed.set(t, hull(needed.get(t) ?? empty, w));
        });
    }
    return needed;
}
/** The [channel, row, column] windows `layer` reads of `tensor` for a computation. */
function readDims(seg, layer, comp, tensor, virtual) {
    const ins = layer.inputs.map((t) => seg.shapes.get(t));
    // A tensor read through several operands (add(x, x)) is one buffer holding the hull of both.
    let read;
    layer.inputs.forEach((t, slot) => {
        if (t !== tensor)
            return;
        const dims = [
            channelDim(layer, slot, comp, ins),
            mapDim(comp.y, spatialMap(layer, 'y', ins[slot], virtual.y)),
            mapDim(comp.x, spatialMap(layer, 'x', ins[slot], virtual.x)),
        ];
        read = read === undefined ? dims : read.map((d, k) => zipDims(d, dims[k], hull));
    });
    return read;
}
/**
 * The [output channel, input channel] windows of a layer's weights (a convolution's, or an affine
 * layer's scale); the bias (shift) rides with the first reduction tile as input channel -1.
 */
function weightDims(w, comp) {
    const first = comp.red.seq.at(0);
    const red = w.bias && first.lo === 0
        ? { loop: comp.red.loop, seq: comp.red.seq.withFirst({ lo: -1, hi: first.hi }) }
        : comp.red;
    return {
        dims: [comp.c, red],
        counts: [lengthCount, { kind: 'weights', kernelArea: w.kernelArea, bias: w.bias }],
    };
}
export class SegmentModel {
    seg;
    s;
    elementBytes;
    alternativeLevels;
    lenient;
    held;
    pitches;
    /** Filled on run(), per buffer id, when asked for. */
    trace;
    /**
     * Filled on run() when alternative levels are given: per buffer id but the intermediates', its
     * result under each of them (a DRAM input's, weights' or output's levels change only its own numbers;
     * an intermediate's would change what its producer computes). Undefined where the levels have no
     * closed form (a DRAM input read by several layers, see NotClosedForm).
     */
    alternatives;
    depth;
    /** Iterations of each loop, its warm-up included. */
    trips;
    warm;
    virtual;
    columns;
    /** Per buffer id, its result at the schedule's levels (filled as run() goes: consumers first). */
    results = new Map();
    layerMacs = {};
    byName;
    /** Per tensor read in the segment, the reads of each of its readers. */
    pendingReads = new Map();
    /** In a strip: per tensor, the columns the strip needs of it (the others are virtual there). */
    needed;
    /** Per layer, the DRAM inputs of each smaller segment whose first layer it is: see addCut. */
    cuts = new Map();
    /** Per tensor some cut reads from DRAM, each reader's reads as from DRAM (real coordinates only). */
    cutReads = new Map();
    /**
     * Filled on run() per cut (addCut, by its key) reached: per DRAM input buffer of the smaller segment,
     * its result at each of the cut's levels (undefined where those have no closed form).
     */
    cutResults = new Map();
    constructor(seg, s, elementBytes, trace = false, alternativeLevels = [], 
    /** Counts hulls without a closed form instead of refusing them (for traces of which loops reads follow). */
    lenient = false, 
    /** The last layer's output columns the x loop runs over, in a segment run in strips. */
    strip, 
    /** Weights stored at root that several strips demand: they stay whole across the strips. */
    held = new Set(), 
    /** Per raster line buffer, the band its rows are pitched by if not its own (the widest strip's). */
    pitches = new Map()) {
        this.seg = seg;
        this.s = s;
        this.elementBytes = elementBytes;
        this.alternativeLevels = alternativeLevels;
        this.lenient = lenient;
        this.held = held;
        this.pitches = pitches;
        const columns = strip ?? { lo: 0, hi: seg.dims.x };
        this.columns = columns;
        if (strip)
            this.needed = neededColumns(seg, strip);
        if (trace)
            this.trace = new Map();
        if (alternativeLevels.length > 0)
            this.alternatives = new Map();
        this.depth = { x: 0, y: 0, zo: 0, zi: 0 };
        this.trips = { x: 0, y: 0, zo: 0, zi: 0 };
        this.warm = { x: 0, y: 0, zo: 0, zi: 0 };
        for (const l of loopNames) {
            this.depth[l] = levelDepth(s.order, l);
            this.warm[l] = warmupOf(s, l);
            const extent = l === 'x' ? columns.hi - columns.lo : seg.dims[l];
            this.trips[l] = Math.ceil(extent / s.tile[l]) + this.warm[l];
        }
        this.virtual = { y: this.warm.y > 0, x: this.warm.x > 0 };
        this.byName = new Map(seg.layers.map((l) => [l.name, l]));
    }
    /**
     * Also evaluates the DRAM input buffers (`buffers`, read by their readers only) of a smaller segment
     * ending at the same layer whose first layer is `layer` (a suffix of this one, or a part of it that
     * sharesTables allows), at `levels`: its layers compute there exactly what they compute alone (demand
     * flows from the last layer back), so one run serves every such segment. Its other buffers' results
     * are this run's. Evaluated once `layer` is computed (layers are computed last first), before any
     * NotClosedForm of an earlier buffer.
     */
    addCut(key, layer, buffers, levels) {
        this.cuts.set(layer, [...(this.cuts.get(layer) ?? []), { key, buffers, levels }]);
    }
    run() {
        const last = this.seg.last;
        const comp = lastLayerComputation(this.seg, this.s.tile, this.warm, this.columns);
        // Partial sums come back only when the reduction loop runs outside the store level.
        const zi = this.trips.zi;
        const real = this.real(comp, last.name);
        this.record(this.bufferOf(last.name), [readRegion([real.c, real.y, real.x], real)], (out, lv) => ({
            dramReads: this.depth.zi <= levelDepth(this.s.order, lv.store) ? (out.filled / zi) * (zi - 1) : 0,
            dramWrites: out.filled,
        }));
        this.computeLayer(last, comp);
        // Consumers before producers: a tensor's demand joins all its readers' reads, so an intermediate
        // is evaluated (and its producer's computation derived) once every reader's are known.
        for (const producer of [...this.seg.layers].reverse().slice(1)) {
            // an intermediate read after the segment too is written to DRAM as computed
            const b = this.bufferOf(producer.name);
            const r = this.record(b, this.pendingReads.get(producer.name), (r) => ({
                dramReads: 0,
                dramWrites: b.exported ? r.filled : 0,
            }));
            const cin = this.inputShapes(producer)[0].c;
            const perGroup = producer.kind === 'conv' ? cin / producer.groups : 1;
            const [c, y, x, ...presence] = r.fresh.dims;
            this.computeLayer(producer, {
                depth: r.depth,
                gate: r.fresh.gate,
                c,
                y,
                x,
                red: constant({ lo: 0, hi: perGroup }),
                presence,
            });
            for (const cut of this.cuts.get(producer.name) ?? [])
                this.evalCut(cut.key, cut.buffers, cut.levels);
        }
        for (const b of this.seg.buffers)
            if (b.role === 'input')
                this.record(b, this.pendingReads.get(b.tensor), (r) => ({ dramReads: r.filled, dramWrites: 0 }));
        const buffers = this.seg.buffers.map((b) => this.results.get(b.id));
        return segmentResult(this.seg, buffers, Object.fromEntries(this.seg.layers.map((l) => [l.name, this.layerMacs[l.name]])));
    }
    evalCut(key, buffers, levels) {
        const results = new Map();
        for (const b of buffers)
            results.set(b.id, levels.map((lv) => {
                try {
                    const reads = this.cutReads.get(b.tensor).filter((r) => b.readers.includes(r.reader));
                    const r = this.evalBuffer(b, lv, reads.map((r) => r.reads), [], 1, false);
                    r.result.dramReads = r.result.filled;
                    return { result: r.result, trace: r.trace };
                }
                catch (e) {
                    if (e instanceof NotClosedForm)
                        return undefined;
                    throw e;
                }
            }));
        this.cutResults.set(key, results);
    }
    bufferOf(id) {
        return this.seg.buffers.find((b) => b.id === id);
    }
    inputShapes(layer) {
        return layer.inputs.map((t) => this.seg.shapes.get(t));
    }
    /**
     * The real parts of a row and a column dim of a tensor (a warm-up's virtual ones left out; in a
     * strip, the columns outside what the strip needs of the tensor).
     */
    realYX(y, x, tensor) {
        const shape = this.seg.shapes.get(tensor);
        const columns = this.needed?.get(tensor) ?? empty;
        return [
            this.virtual.y ? mapDim(y, realMap(shape.h)) : y,
            this.needed ? mapDim(x, clampMap(columns)) : this.virtual.x ? mapDim(x, realMap(shape.w)) : x,
        ];
    }
    /** The real part of a computation of a layer. */
    real(comp, layer) {
        if (!this.virtual.y && !this.virtual.x && !this.needed)
            return comp;
        const [y, x] = this.realYX(comp.y, comp.x, layer);
        return { ...comp, y, x };
    }
    /** The real part of a buffer's [channel, row, column, ...] dims (weights have no virtual coordinates). */
    realDims(b, dims) {
        return b.role === 'weights' ? dims : this.realTensorDims(b.tensor, dims);
    }
    realTensorDims(tensor, dims) {
        if (!this.virtual.y && !this.virtual.x && !this.needed)
            return dims;
        const [c, y, x, ...rest] = dims;
        return [c, ...this.realYX(y, x, tensor), ...rest];
    }
    /**
     * Accounts for `layer` computing `comp`: its MACs and weights, and its reads of the tensors it reads
     * (kept until all their readers' are known). Data is read for the virtual elements too (they carry
     * demand to producers); MACs and weights are for the real ones.
     */
    computeLayer(layer, comp) {
        const real = this.real(comp, layer.name);
        const computed = this.countRegion({ gate: real.gate, dims: [real.c, real.y, real.x, real.red, ...real.presence], coords: 4 }, real.depth);
        this.layerMacs[layer.name] = layer.kind === 'conv' ? computed * layer.kernel[0] * layer.kernel[1] : 0;
        for (const tensor of new Set(layer.inputs)) {
            const dims = readDims(this.seg, layer, comp, tensor, this.virtual);
            // only intermediates have virtual coordinates (a DRAM input has no producer to run ahead)
            const inside = this.byName.has(tensor);
            const reads = readRegion(inside ? dims : this.realTensorDims(tensor, dims), comp);
            this.pendingReads.set(tensor, [...(this.pendingReads.get(tensor) ?? []), reads]);
            if (this.cuts.size > 0) {
                // as a smaller segment that reads the tensor from DRAM reads it
                const fromDram = inside ? readRegion(this.realTensorDims(tensor, dims), comp) : reads;
                const cut = { reader: layer.name, reads: fromDram };
                this.cutReads.set(tensor, [...(this.cutReads.get(tensor) ?? []), cut]);
            }
        }
        const w = weightsShape(layer, this.seg.shapes.get(layer.inputs[0]).c);
        if (w !== undefined)
            this.weights(layer, w, real);
    }
    weights(layer, w, comp) {
        const d = weightDims(w, comp);
        this.record(this.bufferOf(weightsBufferId(layer.name)), [readRegion(d.dims, comp)], (r) => ({ dramReads: r.filled, dramWrites: 0 }), d.counts, w.kernelArea, w.bias);
    }
    /** Evaluates a buffer at its levels (and at the alternatives, when asked) and keeps its result. */
    record(b, reads, traffic, counts = [], kernelArea = 1, hasBias = false) {
        const lv = this.s.buffers[b.id];
        const withTraffic = (result, at) => {
            const t = traffic(result, at);
            result.dramReads = t.dramReads;
            result.dramWrites = t.dramWrites;
            return result;
        };
        const evaluated = [];
        const evalAt = (at) => {
            // the same levels twice (the schedule's among the alternatives) are evaluated once
            const known = evaluated.find((e) => e.lv.store === at.store && e.lv.fill === at.fill);
            if (known)
                return known.r;
            const r = this.evalBuffer(b, at, reads, counts, kernelArea, hasBias);
            withTraffic(r.result, at);
            evaluated.push({ lv: at, r });
            return r;
        };
        // Alternatives only for buffers whose levels change nothing but their own numbers (an
        // intermediate's change what its producer computes).
        if (this.alternatives && b.role !== 'intermediate')
            this.alternatives.set(b.id, this.alternativeLevels.map((alt) => {
                try {
                    const a = evalAt(alt);
                    return { result: a.result, trace: a.trace };
                }
                catch (e) {
                    if (e instanceof NotClosedForm)
                        return undefined;
                    throw e;
                }
            }));
        const r = evalAt(lv);
        this.results.set(b.id, r.result);
        if (this.trace)
            this.trace.set(b.id, r.trace);
        return r;
    }
    /** Sum over the events at `depth` of the region's element count (loops past depth are unioned). */
    countRegion(region, depth, coordCounts = []) {
        const counts = region.dims.map((_, k) => coordCounts[k] ?? lengthCount);
        let total = 1;
        const byLoop = new Map();
        region.dims.forEach((d, k) => {
            if (d.loop === null)
                total *= countOf(counts[k], d.seq.at(0));
            else
                byLoop.set(d.loop, [...(byLoop.get(d.loop) ?? []), k]);
        });
        for (const l of loopNames) {
            if (this.depth[l] > depth)
                continue;
            const ks = byLoop.get(l) ?? [];
            if (region.gate.has(l))
                total *= ks.reduce((p, k) => p * countOf(counts[k], region.dims[k].seq.at(0)), 1);
            else if (ks.length === 0)
                total *= this.trips[l];
            else if (ks.length === 1)
                total *= region.dims[ks[0]].seq.sum(counts[ks[0]]);
            else {
                // several dimensions along one loop: multiply element by element
                const seqs = ks.map((k) => region.dims[k].seq.toArray());
                let sum = 0;
                for (let v = 0; v < this.trips[l]; v++)
                    sum += ks.reduce((p, k, j) => p * countOf(counts[k], seqs[j][v]), 1);
                total *= sum;
            }
        }
        return total;
    }
    /** A reader's reads as seen at a fill depth: loops inside it are covered by one fill, so their intervals merge. */
    project(reads, fill) {
        return {
            gate: new Set([...reads.gate].filter((l) => this.depth[l] <= fill)),
            dims: reads.dims.map((d) => d.loop !== null && this.depth[d.loop] > fill ? constant(d.seq.hull()) : d),
            coords: reads.coords,
        };
    }
    /**
     * The demand of a DRAM input or intermediate read by several layers, from their reads projected to its fill depth:
     * per event the hull over the readers that read there (docs/execution-model.md, "Shared DRAM
     * inputs"). It is one region (a product over loops, like any other buffer's) when
     * - where some reader reads is a product: some reader reads at every event, or all read at the same
     *   events, or they are absent along one loop only (the union is then a mask along it); and
     * - per coordinate, each reader absent along a loop the coordinate does not follow never widens the
     *   hull: what it reads lies within what the readers that always read read, or within what every
     *   other reader reads wherever that one reads.
     * (Absence along the coordinate's own loop is exact: the reader's interval is emptied there.)
     * Anything else is refused (NotClosedForm).
     */
    combine(b, regions, flags) {
        const coords = regions[0].coords;
        const one = { lo: 0, hi: 1 };
        const everywhere = (l) => Seq.of(new Array(this.trips[l]).fill(one));
        const readers = regions
            .filter((r) => !r.dims.some((d) => d.seq.allEmpty()))
            .map((r) => {
            // per loop along which the reader reads only on some iterations: where it reads (a gate: the first)
            const masks = new Map();
            for (const l of loopNames) {
                if (this.trips[l] === 1)
                    continue;
                let m = everywhere(l);
                if (r.gate.has(l))
                    m = m.maskedBy(Seq.of([one, ...new Array(this.trips[l] - 1).fill(empty)]));
                for (const d of r.dims)
                    if (d.loop === l)
                        m = m.maskedBy(d.seq);
                if (m.hasEmpty())
                    masks.set(l, m);
            }
            // each coordinate emptied wherever the reader does not read along its loop
            const masked = r.dims.slice(0, coords).map((c) => {
                const m = c.loop === null ? undefined : masks.get(c.loop);
                return m === undefined ? c : { loop: c.loop, seq: c.seq.maskedBy(m) };
            });
            return { r, masks, masked };
        });
        if (readers.length <= 1)
            return readers[0]?.r ?? regions[0];
        const lastReads = b.readers.includes(this.seg.last.name);
        for (const l of loopNames) {
            const along = readers.filter((x) => x.masks.has(l));
            if (along.length > 0)
                flags.absent.push(l);
            // a coordinate along l (of either reader) where one reader's reads are not within the other's
            const sticksOut = readers.some((x) => x.masked.some((c, k) => readers.some((y) => {
                const d = y.masked[k];
                return y !== x && (c.loop === l || d.loop === l) && sameLoop(c, d) && !within(c, d, true);
            })));
            if (sticksOut || (along.length > 0 && !lastReads))
                flags.widens.push(l);
        }
        const refuse = (loop, why) => {
            if (this.lenient)
                return;
            // filled outside every loop along which some reader is absent, it has a closed form
            const above = Math.min(...readers.flatMap((x) => [...x.masks.keys()].map((l) => this.depth[l]))) - 1;
            throw new NotClosedForm(b.id, `its readers ${b.readers.map((r) => `'${r}'`).join(', ')} do not all read at every iteration of loop '${loop}' at or above its fill level, ${why}; the hull of their reads there has no exact closed form (fill it at or above '${above === 0 ? 'root' : this.s.order[above - 1]}')`);
        };
        const pattern = (m) => m === undefined
            ? ''
            : m
                .toArray()
                .map((i) => (isEmpty(i) ? 0 : 1))
                .join('');
        // outermost first: the refusal names the outermost, and filling above it leaves no absence
        const absentAlong = (x) => [...x.masks.keys()].sort((l, m) => this.depth[l] - this.depth[m]);
        // Where some reader reads.
        const always = readers.filter((x) => x.masks.size === 0);
        const first = readers[0];
        const same = readers.every((x) => loopNames.every((l) => pattern(x.masks.get(l)) === pattern(first.masks.get(l))) &&
            [...x.r.gate].every((l) => first.r.gate.has(l)) &&
            [...first.r.gate].every((l) => x.r.gate.has(l)));
        const loops = new Set(readers.flatMap(absentAlong).sort((l, m) => this.depth[l] - this.depth[m]));
        if (always.length === 0 && !same && loops.size > 1)
            refuse([...loops][0], 'and they do not all read on the same iterations');
        // Per coordinate: the hull over all readers, exact if no absent reader widens it.
        const hullOf = (k, rs) => rs.slice(1).reduce((h, x) => {
            if (!sameLoop(h, x.masked[k]))
                refuse(absentAlong(x)[0] ?? h.loop ?? x.masked[k].loop, 'and their reads follow different loops in one dimension');
            return zipDims(h, x.masked[k], hull);
        }, rs[0].masked[k]);
        const dims = [];
        for (let k = 0; k < coords; k++) {
            const base = always.length > 0 ? hullOf(k, always) : undefined;
            if (!same)
                for (const x of readers) {
                    const c = x.masked[k];
                    const other = absentAlong(x).find((l) => l !== c.loop);
                    if (other === undefined)
                        continue;
                    const covered = (base !== undefined && sameLoop(c, base) && within(c, base)) ||
                        readers.every((y) => y === x || (sameLoop(c, y.masked[k]) && within(c, y.masked[k], true)));
                    if (!covered)
                        refuse(other, 'and where some do not, the others do not cover what they read');
                }
            dims.push(hullOf(k, readers));
        }
        // Where none reads, the hull is empty: the coordinates along such a loop are masked (another
        // reader's coordinate that does not follow it would fill in), or a presence dimension carries it.
        const union = (l) => readers.reduce((u, x) => zipDims(u, { loop: l, seq: x.masks.get(l) ?? everywhere(l) }, hull), {
            loop: l,
            seq: Seq.of(new Array(this.trips[l]).fill(empty)),
        }).seq;
        const present = same
            ? first.masks
            : new Map(always.length > 0 ? [] : [...loops].map((l) => [l, union(l)]));
        for (const [l, m] of present) {
            if (!m.hasEmpty())
                continue;
            const along = dims.some((d) => d.loop === l);
            for (const [k, d] of dims.entries())
                if (d.loop === l)
                    dims[k] = { loop: l, seq: d.seq.maskedBy(m) };
            if (!along && !(same && first.r.gate.has(l)))
                dims.push({ loop: l, seq: m });
        }
        return { gate: same ? new Set(first.r.gate) : new Set(), dims, coords };
    }
    /** The rows a buffer's demand covers at each iteration of the y loop (its row bands). */
    bands(rows, demand) {
        if (rows.loop === 'y')
            return rows.seq;
        const c = rows.seq.hull();
        if (demand.gate.has('y'))
            return Seq.of([c]);
        const present = demand.dims.slice(demand.coords).find((d) => d.loop === 'y');
        if (present)
            return present.seq.mapEach(() => c);
        return new Seq([{ n: this.trips.y, lo: c.lo, hi: c.hi, dlo: 0, dhi: 0, none: false }]);
    }
    /**
     * A buffer filled with `reads` (its readers' reads, at their events): its demand at the fill level,
     * what is new at each fill (given reuse since the store level), the count, the storage.
     */
    evalBuffer(b, lv, reads, counts, kernelArea, hasBias) {
        const fill = levelDepth(this.s.order, lv.fill);
        const store = levelDepth(this.s.order, lv.store);
        const projected = reads.map((r) => this.project(r, fill));
        const flags = { absent: [], widens: [] };
        const demand = projected.length === 1 ? projected[0] : this.combine(b, projected, flags);
        const gate = demand.gate;
        const dims = demand.dims;
        const reuse = (l) => this.depth[l] > store && this.depth[l] <= fill;
        // New at each fill: along a reuse loop, what earlier iterations of it did not already bring. That
        // needs starts that never move back (see Seq.fresh): in a chain they never do; where readers join
        // (or their producers' demands did) they may.
        const freshDims = dims.map((d) => {
            if (d.loop === null || !reuse(d.loop))
                return d;
            try {
                return { loop: d.loop, seq: d.seq.fresh(`buffer '${b.id}'`) };
            }
            catch (e) {
                if (!(e instanceof DemandMovesBack))
                    throw e;
                if (this.lenient)
                    return d;
                throw new NotClosedForm(b.id, `along its reuse loop '${d.loop}' its demand moves back (its readers' reads join there); the new parts have no exact closed form (store it at or below '${d.loop}')`);
            }
        });
        const dependent = new Set(dims.map((d) => d.loop).filter((l) => l !== null));
        const freshGate = new Set(gate);
        for (const l of loopNames)
            if (reuse(l) && !dependent.has(l))
                freshGate.add(l);
        const fresh = { gate: freshGate, dims: freshDims, coords: demand.coords };
        // counted and kept: the real elements (the virtual ones of a warm-up only carry demand)
        const filled = this.countRegion({ ...fresh, dims: this.realDims(b, freshDims) }, fill, counts);
        const realDemand = this.realDims(b, dims);
        // Storage: the largest demand per dimension, but the whole band along reuse loops below the
        // outermost reuse loop that brings something back (it repeats its body, or its consecutive windows
        // overlap): those bands are needed again on its next iteration.
        const bringsBack = (l) => {
            const along = realDemand.filter((d) => d.loop === l);
            return along.length === 0 || along.some((d) => d.seq.overlaps());
        };
        const reusing = loopNames.filter((l) => reuse(l) && !gate.has(l) && this.trips[l] > 1);
        const outermostReuse = reusing.sort((a, b2) => this.depth[a] - this.depth[b2]).find(bringsBack);
        const trace = this.trace || this.alternatives
            ? {
                // per coordinate, the loop its reads follow (readers of one tensor agree, see combine)
                along: reads[0].dims
                    .slice(0, reads[0].coords)
                    .map((d, k) => reads.map((r) => r.dims[k].loop).find((l) => l !== null) ?? d.loop),
                bringsBack: reusing.filter(bringsBack),
                absent: flags.absent,
                widens: flags.widens,
            }
            : undefined;
        const realOnly = (k) => b.role === 'weights' && k === 1;
        const anyEmpty = realDemand.some((d) => d.seq.allEmpty());
        // Weights stored at root stay on chip across strips, and the next strip demands all of them again:
        // what one strip demands is live at once, the strip loop being a reuse loop above all others.
        const acrossStrips = this.held.has(b.id);
        const extents = realDemand.slice(0, demand.coords).map((d, k) => {
            if (anyEmpty)
                return 0;
            const below = outermostReuse !== undefined && d.loop !== null && this.depth[d.loop] > this.depth[outermostReuse];
            if (acrossStrips || (d.loop !== null && reuse(d.loop) && below)) {
                const h = d.seq.hull();
                return span(realOnly(k) ? { lo: Math.max(0, h.lo), hi: h.hi } : h);
            }
            return d.seq.maxSpan(realOnly(k));
        });
        const raster = lv.raster
            ? anyEmpty
                ? 0
                : rasterRun(this.bands(realDemand[1], demand), this.pitches.get(b.id) ?? extents[2], span(realDemand[2].seq.hull()), realDemand[2].seq.maxSpan())
            : undefined;
        const elements = storageElements(b.role, extents, kernelArea, hasBias, raster);
        const result = {
            id: b.id,
            role: b.role,
            tensor: b.tensor,
            extents,
            // undefined but for raster buffers (left out of JSON); not spread in: the model's hottest allocation
            raster,
            bytes: elements * this.elementBytes,
            filled,
            dramReads: 0,
            dramWrites: 0,
        };
        return { result, fresh, depth: fill, trace };
    }
}
/**
 * A raster line buffer's run per channel (docs/execution-model.md, "Raster line buffers"): the largest
 * raster distance between two live elements of a channel, plus one, rows pitched by `pitch`, given its
 * row bands (per y iteration) and its columns (their union's width and the widest demand). Within a
 * band the live elements run from the first element of the demand to its last: rows it shares with the
 * next band lie after the demand's first row, rows it shares with the previous one before its last.
 * A band whose first row the next band starts at, or whose last row the previous band ends at (clipped
 * at an edge, or windows that do not move), keeps that row whole: the run spans the columns' union.
 */
function rasterRun(bands, pitch, union, widest) {
    const runs = bands.runs.filter((r) => !r.none);
    let longest = 0;
    runs.forEach((r, i) => {
        const prev = runs[i - 1];
        const next = runs[i + 1];
        const prevHi = prev === undefined ? undefined : prev.hi + (prev.n - 1) * prev.dhi;
        // the ends move linearly in a run: its extremes are at its ends and where sharing starts or stops
        for (const k of new Set([0, 1, r.n - 2, r.n - 1])) {
            if (k < 0 || k >= r.n)
                continue;
            const lo = r.lo + k * r.dlo;
            const hi = r.hi + k * r.dhi;
            const sharesLast = k > 0 ? r.dhi === 0 : prevHi === hi;
            const sharesFirst = k < r.n - 1 ? r.dlo === 0 : next?.lo === lo;
            longest = Math.max(longest, (hi - lo - 1) * pitch + (sharesLast || sharesFirst ? union : widest));
        }
    });
    return longest;
}
/** A segment's result from its buffers' and layers' (totals of non-negative counts: exact totals mean every term was exact too). */
function segmentResult(seg, buffers, layerMacs) {
    const sum = (f) => buffers.reduce((n, b) => n + f(b), 0);
    const what = `segment '${seg.last.name}'`;
    return {
        buffers,
        dramReads: exactCount(sum((b) => b.dramReads), `the DRAM reads of ${what}`),
        dramWrites: exactCount(sum((b) => b.dramWrites), `the DRAM writes of ${what}`),
        onChipBytes: exactCount(sum((b) => b.bytes), `the on-chip bytes of ${what}`),
        layerMacs,
        macs: exactCount(Object.values(layerMacs).reduce((a, m) => a + m, 0), `the MACs of ${what}`),
    };
}
/** Predicted DRAM traffic, on-chip bytes and MACs of one segment schedule (assumed checked). */
export function segmentCost(seg, s, elementBytes) {
    if (seg.view)
        return viewResult(seg);
    const strips = stripRanges(s, seg.dims.x);
    if (strips.length === 1)
        return new SegmentModel(seg, s, elementBytes).run();
    // Strips of one width whose needed columns no tensor's edge clips run the same up to translation, if
    // every tensor follows the output columns at one scale (paths of different strides joining do not):
    // one of them is evaluated for all.
    const uniform = oneScale(seg);
    const classes = new Map();
    for (const strip of strips) {
        const key = uniform && unclipped(seg, strip) ? `inner ${strip.hi - strip.lo}` : `at ${strip.lo}`;
        const c = classes.get(key);
        if (c)
            c.count++;
        else
            classes.set(key, { strip, count: 1 });
    }
    const list = [...classes.values()];
    const run = (strip, held, pitches) => new SegmentModel(seg, s, elementBytes, false, [], false, strip, held, pitches).run();
    const atRoot = seg.buffers.filter((b) => b.role === 'weights' && s.buffers[b.id].store === 'root');
    let results = list.map((c) => run(c.strip, new Set(atRoot.map((b) => b.id))));
    // Weights stay whole across strips only if a later strip demands them again (a strip whose windows
    // all fall into padding computes nothing of a producer).
    const demanding = (id) => results.reduce((n, r, i) => n + (r.buffers.find((x) => x.id === id).filled > 0 ? list[i].count : 0), 0);
    const held = new Set(atRoot.filter((b) => demanding(b.id) > 1).map((b) => b.id));
    // A raster line buffer's rows are pitched by its band, the widest over the strips.
    const pitches = new Map();
    for (const [k, b] of results[0].buffers.entries())
        if (b.raster !== undefined)
            pitches.set(b.id, Math.max(...results.map((r) => r.buffers[k].extents[2])));
    const differs = (b) => (pitches.has(b.id) && b.extents[2] !== pitches.get(b.id)) ||
        (b.role === 'weights' && s.buffers[b.id].store === 'root' && !held.has(b.id) && b.filled > 0);
    results = results.map((r, i) => (r.buffers.some(differs) ? run(list[i].strip, held, pitches) : r));
    return joinStrips(seg, s, elementBytes, results.map((result, i) => ({ result, count: list[i].count })));
}
/** Whether every tensor of the segment follows the last layer's columns at one scale (its strides' product). */
function oneScale(seg) {
    const scales = new Map([[seg.last.name, new Set([1])]]);
    for (const layer of [...seg.layers].reverse()) {
        const out = scales.get(layer.name) ?? new Set();
        layer.inputs.forEach((t) => {
            const m = spatialMap(layer, 'x', seg.shapes.get(t));
            const to = scales.get(t) ?? new Set();
            for (const a of out)
                to.add(a * m.ha);
            scales.set(t, to);
        });
    }
    return [...scales.values()].every((v) => v.size <= 1);
}
/** Whether no tensor's edge clips what a strip needs of it. */
function unclipped(seg, strip) {
    const clipped = neededColumns(seg, strip);
    const free = neededColumns(seg, strip, false);
    return [...clipped].every(([t, i]) => {
        const f = free.get(t);
        return i.lo === f.lo && i.hi === f.hi;
    });
}
/**
 * A segment run strip by strip: counts add up, storage is the largest per dimension, but weights stored
 * at root stay for the whole segment (their demand is the same in every strip: loaded in the first).
 */
function joinStrips(seg, s, elementBytes, strips) {
    const first = strips[0].result;
    const total = (f) => strips.reduce((n, c) => n + c.count * f(c.result), 0);
    const buffers = first.buffers.map((b0, k) => {
        const all = strips.map((c) => ({ b: c.result.buffers[k], count: c.count }));
        const largest = (f) => Math.max(...all.map((c) => f(c.b)));
        // loaded in the first strip that demands them (a strip may demand none: its windows are padding)
        const once = b0.role === 'weights' && s.buffers[b0.id].store === 'root';
        const loaded = all.find((c) => c.b.filled > 0)?.b ?? b0;
        if (once && all.some((c) => c.b.filled > 0 && c.b.filled !== loaded.filled))
            throw new Error(`internal: weights '${b0.id}' demanded differently in two strips`);
        const sum = (f) => once ? f(loaded) : all.reduce((n, c) => n + c.count * f(c.b), 0);
        const extents = b0.extents.map((_, d) => largest((b) => b.extents[d]));
        const raster = b0.raster === undefined ? undefined : largest((b) => b.raster);
        // weights hold the same box in every strip; an activation box is the largest per dimension
        const bytes = b0.role === 'weights'
            ? largest((b) => b.bytes)
            : storageElements(b0.role, extents, 1, false, raster) * elementBytes;
        return {
            ...b0,
            extents,
            raster,
            bytes,
            filled: sum((b) => b.filled),
            dramReads: sum((b) => b.dramReads),
            dramWrites: sum((b) => b.dramWrites),
        };
    });
    return segmentResult(seg, buffers, Object.fromEntries(seg.layers.map((l) => [l.name, total((r) => r.layerMacs[l.name])])));
}
/**
 * The warm-up a spatial loop needs (docs/execution-model.md, "Warm-up loops"): the number of
 * iterations before 0 at which some layer of the segment computes a real element. Per intermediate,
 * the end of its demand is affine in the iteration, a*i + c, composed from the last layer's tile end
 * through its readers' windows; it computes real elements where a*i + c passes the first real
 * coordinate: 0, or in a strip the first column the strip needs (the most over the strips).
 */
export function warmupNeeded(seg, s, loop) {
    const strips = stripRanges(s, seg.dims.x);
    if (loop === 'y' || strips.length === 1)
        return warmupFrom(seg, s, loop, 0, () => 0);
    return Math.max(...strips.map((strip) => {
        const needed = neededColumns(seg, strip);
        return warmupFrom(seg, s, loop, strip.lo, (t) => (needed.get(t) ?? empty).lo);
    }));
}
/** The warm-up needed when the loop's tile i ends at from + (i+1)*t and a tensor's real part starts at first(tensor). */
function warmupFrom(seg, s, loop, from, first) {
    const t = s.tile[loop];
    const inside = new Set(seg.layers.map((l) => l.name));
    // per intermediate, the demand ends its readers give it (one per slope: the hull keeps the farthest)
    const ends = new Map([[seg.last.name, new Map([[t, from + t]])]]);
    let needed = 0;
    for (const layer of [...seg.layers].reverse()) {
        const ins = layer.inputs.map((n) => seg.shapes.get(n));
        layer.inputs.forEach((tensor, slot) => {
            if (!inside.has(tensor))
                return;
            const m = spatialMap(layer, loop, ins[slot]);
            const to = ends.get(tensor) ?? new Map();
            ends.set(tensor, to);
            for (const [a, c] of ends.get(layer.name)) {
                const pa = m.ha * a;
                const pc = m.ha * c + m.hb;
                if (pa > 0)
                    needed = Math.max(needed, Math.ceil((pc - first(tensor)) / pa) - 1);
                to.set(pa, Math.max(to.get(pa) ?? Number.NEGATIVE_INFINITY, pc));
            }
        });
    }
    return needed;
}
//# sourceMappingURL=cost.js.map