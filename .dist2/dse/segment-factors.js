// Factor tables of a segment (single layer or fused chain) for the search, taken from the cost model.
//
// With the loop order and every buffer's levels fixed, each buffer's filled count and DRAM accesses
// are a product over the four loops of a factor that depends only on that loop's tile size and on the
// roles the loop plays (above the store level, reuse, below the fill level) for the buffer and for the
// intermediates between it and the last layer (their new parts are what its reader computes); its
// storage is a product of per-dimension extents of the same kind (docs/search-design.md). So one model
// run per loop, tile size and role combination, with every other loop a single whole tile, gives every
// factor; test/dse/segment-factors.test.ts checks the products against the model on random schedules.
import { weightsShape } from '../ir/network.js';
import { NotClosedForm, SegmentModel, warmupNeeded } from '../model/cost.js';
import { levelAt, loopNames, warmupOf } from '../model/schedule.js';
import { channelMap, identityMap } from '../model/windows.js';
import { tileCandidates } from './space.js';
export const ABOVE = 0;
export const REUSE = 1;
export const BELOW = 2;
/** An intermediate that stays on chip: it moves no DRAM data (an exported one writes what it computes). */
export function movesNothing(b) {
    return b.role === 'intermediate' && !b.exported;
}
/** Number of role contexts of a buffer (see IntermediateLevels). */
export function contextCount(mode, info) {
    const k = info.downstream.length;
    return k === 0 ? 1 : mode === 'shared' ? 3 : 3 ** k;
}
/** The context index of a buffer from the roles of all intermediates (indexed like buffers). */
export function contextOf(mode, info, roles) {
    if (mode === 'shared')
        return info.downstream.length === 0 ? 0 : roles[info.downstream[0]];
    let k = 0;
    for (const t of info.downstream)
        k = k * 3 + roles[t];
    return k;
}
function macsPerElement(seg, name) {
    const l = seg.layers.find((x) => x.name === name);
    if (l.kind !== 'conv')
        return 0;
    const cin = seg.shapes.get(l.inputs[0]).c;
    return (cin / l.groups) * l.kernel[0] * l.kernel[1];
}
/** Levels giving a loop placed outermost (depth 1) a role; with every other loop one tile, the rest is moot. */
function levelsFor(order, role) {
    const at = (d) => levelAt(order, d);
    if (role === ABOVE)
        return { store: at(1), fill: at(1) };
    if (role === REUSE)
        return { store: at(0), fill: at(1) };
    return { store: at(0), fill: at(0) };
}
/**
 * Whether every layer maps channels one to one (convolutions with one group or depthwise, pooling,
 * element-wise): then a channel tile reads and writes exactly its channels, no more at the edge, so
 * along zo and zi the factors depend on the tile count only and, of the sizes with one count, the
 * smallest, ceil(D/n), is no worse in anything (test/dse/segment-factors.test.ts checks it on the model).
 */
export function plainChannels(seg) {
    return seg.layers.every((l) => l.inputs.every((_, slot) => {
        const m = channelMap(l, slot, l.inputs.map((t) => seg.shapes.get(t)));
        return m !== undefined && m.map === identityMap;
    }));
}
/**
 * `everySize`: a table for every tile size, for costFromTables on any schedule; the search needs only the
 * sizes that can be best (along plain channel loops, see plainChannels).
 */
export function segmentTables(seg, space, everySize = false, intermediates = 'each') {
    return suffixTables([seg], space, everySize, intermediates)[0];
}
/**
 * Per group id, the tables not yet taken (each member's are taken once). A group some of whose members
 * another process searched stays until dropGroup (ResNet-152's 24 groups take 80 MB in all).
 */
const groupCache = new Map();
/** Forgets a group's tables (every member has been searched, here or elsewhere). */
export function dropGroup(id) {
    groupCache.delete(id);
}
/**
 * A member's tables with shared intermediate levels, computed with its group's on the first member's
 * search in this process and kept for the others.
 */
export function groupTables(group, space) {
    let tables = groupCache.get(group.id);
    if (tables?.[group.index] === undefined) {
        tables = suffixTables(group.segments, space, false, 'shared');
        groupCache.set(group.id, tables);
    }
    const mine = tables[group.index];
    tables[group.index] = undefined;
    if (tables.every((t) => t === undefined))
        groupCache.delete(group.id);
    return mine;
}
/**
 * Whether `part` (another segment ending at the same layer) takes its tables from `long`'s model runs
 * (suffixTables): its layers are among long's, two or more. Long's layers are computed last first, and
 * part's DRAM inputs evaluated once its first layer is; what long computes before that outside part must
 * not be refused there (a demand that moves back has no closed form, SegmentModel): so every such layer,
 * and every layer on its paths to the last, has its output read by one layer at most. A suffix of long
 * in the network's order always qualifies. (Part exports an intermediate only where long does: a layer of
 * long reading it outside part would be on a path leaving part and coming back to the last.)
 */
export function sharesTables(long, part) {
    if (part.last.name !== long.last.name || part.layers.length < 2)
        return false;
    const names = long.layers.map((l) => l.name);
    if (part.layers.some((l) => !names.includes(l.name)))
        return false;
    const mine = new Set(part.layers.map((l) => l.name));
    const readers = new Map(long.buffers.filter((b) => b.role === 'intermediate').map((b) => [b.layer, b.readers]));
    // long's layers after part's first that are not part's, and the layers they feed, in order
    const first = names.indexOf(part.layers[0].name);
    const fed = new Set();
    for (const l of long.layers.slice(first)) {
        if (!mine.has(l.name))
            fed.add(l.name);
        if (fed.has(l.name))
            for (const r of readers.get(l.name) ?? [])
                fed.add(r);
    }
    return [...fed].every((n) => (readers.get(n) ?? []).length <= 1);
}
/**
 * The tables of segments that end at the same layer, each one whose tables the first's (the largest's)
 * model runs give (sharesTables), from those runs: demand flows from the last layer back, so a part's
 * layers compute in the larger segment exactly what they compute alone, and its DRAM inputs are
 * evaluated once its first layer is (SegmentModel.addCut). With per-intermediate levels
 * (`each`) the role combinations differ by segment: one segment only.
 */
export function suffixTables(segs, space, everySize = false, intermediates = 'each') {
    const long = segs[0];
    if (intermediates === 'each' && segs.length > 1)
        throw new Error('internal: suffix tables need shared intermediate levels');
    const longIndex = new Map(long.buffers.map((b, i) => [b.id, i]));
    const layers = long.layers.map((l) => l.name);
    const whole = { ...long.dims };
    // per part: its first layer, after which in the long one's run its DRAM inputs are evaluated
    const cutOf = segs.map((s) => (s === long ? undefined : s.layers[0].name));
    segs.forEach((s, m) => {
        if (m > 0 && !sharesTables(long, s))
            throw new Error(`internal: segment ${m} cannot take its tables from the first's model runs`);
    });
    const run = (tile, order, roles, alternatives, cutLevels, warmup, lenient = false) => {
        const s = {
            layers,
            tile,
            order,
            buffers: Object.fromEntries(long.buffers.map((b, i) => [b.id, levelsFor(order, roles[i])])),
            ...(warmup ? { warmup } : {}),
        };
        const model = new SegmentModel(long, s, 1, true, alternatives, lenient);
        segs.forEach((seg, m) => {
            if (cutOf[m] !== undefined)
                model.addCut(String(m), cutOf[m], seg.buffers.filter((b) => b.role === 'input'), cutLevels);
        });
        let result;
        try {
            result = model.run();
        }
        catch (e) {
            // a buffer several layers read, without a closed form at these levels: the segments holding it
            // get no entries from this run (the cuts after it were evaluated before it)
            if (!(e instanceof NotClosedForm))
                throw e;
        }
        const refused = result === undefined;
        const views = segs.map((seg, m) => {
            const cut = cutOf[m] === undefined ? undefined : model.cutResults.get(String(m));
            if (refused && cut === undefined)
                return undefined;
            const fromLong = (bi) => {
                const b = seg.buffers[bi];
                return b.role === 'input' && cut !== undefined ? undefined : b.id;
            };
            return {
                result: (bi) => {
                    const id = fromLong(bi);
                    return id === undefined ? cut.get(seg.buffers[bi].id)[0]?.result : model.results.get(id);
                },
                trace: (bi) => {
                    const id = fromLong(bi);
                    return id === undefined ? cut.get(seg.buffers[bi].id)[0]?.trace : model.trace.get(id);
                },
                alternative: (bi, k) => {
                    const id = fromLong(bi);
                    return id === undefined ? cut.get(seg.buffers[bi].id)[k] : model.alternatives.get(id)[k];
                },
            };
        });
        return { views, result };
    };
    // Whole tiles: every dimension's full count and extent (every buffer at root: a closed form always).
    const baseOrder = ['x', 'y', 'zo', 'zi'];
    const baseRun = run(whole, baseOrder, long.buffers.map(() => BELOW), [], [levelsFor(baseOrder, BELOW)]);
    const baseResult = baseRun.result;
    const base = segs.map((seg, m) => seg.buffers.map((_, bi) => baseRun.views[m].result(bi)));
    // Which loop each dimension follows: each loop in turn outermost, one tile each; every buffer at or
    // above it but a DRAM input several layers read (at root: what its readers read follows the same
    // loops, and root always has a closed form); lenient: only which loops reads follow is taken, and
    // joins of several readers may have no closed form.
    const tagged = loopNames.map((l) => {
        if (long.dims[l] === 1)
            return undefined;
        const order = orderWithFirst(l);
        const multi = (b) => b.readers.length > 1 && b.role === 'input';
        const { views } = run({ ...whole, [l]: 1 }, order, long.buffers.map((b) => (multi(b) ? BELOW : ABOVE)), [], [levelsFor(order, ABOVE), levelsFor(order, BELOW)], undefined, true);
        return segs.map((seg, m) => (bi) => {
            const b = seg.buffers[bi];
            if (b.role !== 'input' || cutOf[m] === undefined)
                return views[m].trace(bi).along;
            return views[m].alternative(bi, multi(b) ? 1 : 0).trace.along;
        });
    });
    const infos = segs.map((seg, m) => {
        const index = new Map(seg.buffers.map((b, i) => [b.id, i]));
        const interm = seg.buffers.map((b, i) => (b.role === 'intermediate' ? i : -1)).filter((i) => i >= 0);
        const outputOf = (layer) => index.get(layer);
        const byName = new Map(seg.buffers.map((b) => [b.id, b]));
        const buffers = seg.buffers.map((b) => {
            // the layers reading this buffer, and every intermediate on a path from them to the last layer
            const downstream = [];
            const visit = (l) => {
                if (l === seg.last.name || downstream.includes(outputOf(l)))
                    return;
                downstream.push(outputOf(l));
                for (const r of byName.get(l).readers)
                    visit(r);
            };
            for (const r of b.readers)
                visit(r);
            const readers = b.readers.map((r) => (r === seg.last.name ? -1 : outputOf(r)));
            const owner = b.role === 'weights' ? seg.layers.find((l) => l.name === b.layer) : undefined;
            const w = owner && weightsShape(owner, seg.shapes.get(owner.inputs[0]).c);
            return {
                id: b.id,
                role: b.role,
                exported: b.exported === true,
                downstream,
                readers: readers.length > 0 ? readers : [-1],
                dimOf: [-1, -1, -1, -1],
                fixedFilled: 1,
                fixedExtents: 1,
                fixedExtentsOut: 1,
                kernelArea: w?.kernelArea ?? 1,
                bias: w?.bias ?? false,
                macsPerElement: b.role === 'intermediate' ? macsPerElement(seg, b.layer) : 0,
            };
        });
        const wholeCount = base[m].map((r, bi) => r.extents.map((e, k) => buffers[bi].role === 'weights' && k === 1
            ? e * buffers[bi].kernelArea + (buffers[bi].bias ? 1 : 0)
            : e));
        const wholeSpan = base[m].map((r) => r.extents);
        loopNames.forEach((l, li) => {
            const along = tagged[li]?.[m];
            if (along === undefined)
                return;
            buffers.forEach((b, bi) => {
                b.dimOf[li] = along(bi).indexOf(l);
            });
        });
        buffers.forEach((b, bi) => {
            wholeCount[bi].forEach((c, k) => {
                if (!b.dimOf.includes(k)) {
                    b.fixedFilled *= c;
                    b.fixedExtents *= wholeSpan[bi][k];
                    if (!(b.role === 'weights' && k === 1))
                        b.fixedExtentsOut *= wholeSpan[bi][k];
                }
            });
        });
        // Role combinations of the intermediates that are legal (a producer's fill at or above its reader's).
        // readers before producers: intermediates are listed producers first
        const readersFirst = [...interm].reverse();
        const assignments = [];
        const assign = (k, roles) => {
            if (k === readersFirst.length) {
                assignments.push([...roles]);
                return;
            }
            const t = readersFirst[k];
            // shared levels: every intermediate plays the role of the first one placed
            const rolesHere = intermediates === 'shared' && k > 0 ? [roles[readersFirst[0]]] : [ABOVE, REUSE, BELOW];
            for (const r of rolesHere) {
                if (buffers[t].readers.some((x) => x >= 0 && roles[x] === BELOW) && r !== BELOW)
                    continue;
                roles[t] = r;
                assign(k + 1, roles);
            }
        };
        assign(0, seg.buffers.map(() => BELOW));
        const nContexts = buffers.map((b) => contextCount(intermediates, b));
        const reduceChannels = space === 'full' && !everySize && plainChannels(seg);
        // per loop, the tile sizes and warm-ups searched
        const variants = loopNames.map((l) => {
            // shared levels (deep chains): only the sizes ceil(D/n), the smallest of each tile count
            const reduced = (reduceChannels && (l === 'zo' || l === 'zi')) ||
                (intermediates === 'shared' && space === 'full' && !everySize);
            let sizes = tileCandidates(seg.dims[l], reduced ? 'ceil' : space);
            const last = seg.last;
            if (l === 'zi' && last.kind === 'conv' && last.groups > 1)
                sizes = [seg.dims.zi];
            const order = orderWithFirst(l);
            // Deep chains also try each spatial size with the warm-up it needs (pairs gain nothing from it: a
            // single intermediate's first window is no taller than its steady one).
            return sizes.flatMap((t) => {
                const cold = { t, warmup: 0 };
                if (intermediates !== 'shared' || l !== 'y' || Math.ceil(seg.dims[l] / t) === 1)
                    return [cold];
                const names = seg.layers.map((x) => x.name);
                const w = warmupNeeded(seg, { layers: names, tile: { ...whole, [l]: t }, order, buffers: {} }, l);
                return w > 0 ? [cold, { t, warmup: w }] : [cold];
            });
        });
        return { buffers, wholeCount, wholeSpan, assignments, nContexts, variants };
    });
    const roleOf = (seg, longRoles) => seg.buffers.map((b) => (b.role === 'intermediate' ? longRoles[longIndex.get(b.id)] : BELOW));
    const candidates = segs.map(() => loopNames.map(() => []));
    loopNames.forEach((l, li) => {
        const order = orderWithFirst(l);
        const roleLevels = [ABOVE, REUSE, BELOW].map((r) => levelsFor(order, r));
        // every tile size and warm-up some segment searches, once
        const keys = new Map();
        for (const info of infos)
            for (const v of info.variants[li])
                keys.set(`${v.t}/${v.warmup}`, v);
        for (const { t, warmup } of keys.values()) {
            const trips = Math.ceil(long.dims[l] / t);
            const entries = infos.map((info) => info.buffers.map((_, bi) => new Array(info.nContexts[bi] * 3)));
            const wanted = infos.map((info) => info.variants[li].some((v) => v.t === t && v.warmup === warmup));
            if (trips === 1) {
                // one iteration: the whole dimension whatever the roles
                infos.forEach(({ buffers, wholeCount, wholeSpan }, m) => {
                    buffers.forEach((b, bi) => {
                        const k = b.dimOf[li];
                        const e = {
                            filled: k < 0 ? 1 : wholeCount[bi][k],
                            accesses: movesNothing(b) ? 0 : k < 0 ? 1 : wholeCount[bi][k],
                            maxSpan: k < 0 ? 1 : wholeSpan[bi][k],
                            hullSpan: k < 0 ? 1 : wholeSpan[bi][k],
                            back: false,
                            empty: false,
                            absent: false,
                            widens: false,
                        };
                        entries[m][bi].fill(e);
                    });
                });
            }
            else {
                // One run per role combination of the intermediates; every other buffer's levels change only
                // its own numbers, so each is evaluated in all three roles within the same run.
                for (const longRoles of infos[0].assignments) {
                    const { views } = run({ ...whole, [l]: t }, order, longRoles, roleLevels, roleLevels, warmup > 0 ? { [l]: warmup } : undefined);
                    segs.forEach((seg, m) => {
                        const view = views[m];
                        if (view === undefined || !wanted[m])
                            return;
                        const { buffers, wholeCount } = infos[m];
                        const a = roleOf(seg, longRoles);
                        buffers.forEach((b, bi) => {
                            const interm = b.role === 'intermediate';
                            for (const r of interm ? [a[bi]] : [ABOVE, REUSE, BELOW]) {
                                // a producer's buffers are below their fill once its output is
                                if (!interm && b.readers.some((x) => x >= 0 && a[x] === BELOW) && r !== BELOW)
                                    continue;
                                const slot = contextOf(intermediates, b, a) * 3 + r;
                                if (entries[m][bi][slot] !== undefined)
                                    continue;
                                // the longest's entry of the same buffer, when it has one: the same numbers (kept once)
                                const same = m > 0 && b.role !== 'input' && wanted[0]
                                    ? entries[0][longIndex.get(b.id)][slot]
                                    : undefined;
                                if (same !== undefined) {
                                    entries[m][bi][slot] = same;
                                    continue;
                                }
                                const alt = interm
                                    ? { result: view.result(bi), trace: view.trace(bi) }
                                    : view.alternative(bi, r);
                                // a shared DRAM input's levels without a closed form (the model refuses them): no entry
                                if (alt === undefined)
                                    continue;
                                const { result: res, trace: tr } = alt;
                                const back = tr.bringsBack.includes(l);
                                const k = b.dimOf[li];
                                // the other loops are single whole tiles: divide their dimensions out
                                let rest = b.fixedFilled;
                                for (const [n, kk] of b.dimOf.entries())
                                    if (n !== li && kk >= 0)
                                        rest *= wholeCount[bi][kk];
                                const empty = res.extents.some((e) => e === 0);
                                const filled = empty ? 0 : res.filled / rest;
                                // (an exported intermediate writes what it computes: exported in the larger run too)
                                const accesses = empty || movesNothing(b) ? 0 : (res.dramReads + res.dramWrites) / rest;
                                if (!Number.isInteger(filled) || !Number.isInteger(accesses))
                                    throw new Error(`internal: buffer '${b.id}' does not factorise along ${l} (tile ${t}, warm-up ${warmup})`);
                                entries[m][bi][slot] = {
                                    filled,
                                    accesses,
                                    maxSpan: k < 0 || empty ? 1 : res.extents[k],
                                    hullSpan: k < 0 || empty ? 1 : res.extents[k],
                                    back,
                                    empty,
                                    absent: tr.absent.includes(l),
                                    widens: tr.widens.includes(l),
                                };
                            }
                        });
                    });
                }
                // the hull extent is what the below role stores
                infos.forEach(({ buffers, nContexts }, m) => {
                    buffers.forEach((b, bi) => {
                        for (let c = 0; c < nContexts[bi]; c++) {
                            // With shared levels an intermediate below the loop has its readers below it too; the
                            // hull is the same whatever they do (they compute the same union, only at other iterations).
                            const sharedInterm = intermediates === 'shared' && b.role === 'intermediate';
                            const allBelow = b.downstream.length === 0 ? 0 : BELOW;
                            const below = entries[m][bi][(sharedInterm ? allBelow : c) * 3 + BELOW];
                            for (const r of [ABOVE, REUSE]) {
                                const e = entries[m][bi][c * 3 + r];
                                if (e && below)
                                    e.hullSpan = below.hullSpan;
                            }
                        }
                    });
                });
            }
            infos.forEach((_, m) => {
                if (wanted[m])
                    candidates[m][li].push({ t, trips, warmup, entries: entries[m] });
            });
        }
    });
    return segs.map((seg, m) => {
        const macs = baseResult.layerMacs;
        return {
            intermediates,
            buffers: infos[m].buffers,
            // each segment's candidates in the order its own sizes come (as the walk visits them)
            candidates: loopNames.map((_, li) => infos[m].variants[li].map((v) => candidates[m][li].find((c) => c.t === v.t && c.warmup === v.warmup))),
            lastMacs: macs[seg.last.name],
            leastMacs: seg.layers.reduce((n, l) => n + macs[l.name], 0),
        };
    });
}
function orderWithFirst(l) {
    return [l, ...loopNames.filter((m) => m !== l)];
}
/**
 * A schedule's cost from the tables: filled, accesses and bytes per buffer. The search's arithmetic,
 * written out once for the tests to hold against the model. Undefined when the model refuses the
 * schedule (a tensor read by several layers without a closed form): an entry missing, or one loop
 * at or above such a buffer's fill where a reader is absent and another where reads stick out.
 */
export function costFromTables(tables, s, elementBytes) {
    const depth = (lv) => (lv === 'root' ? 0 : s.order.indexOf(lv) + 1);
    if (tables.intermediates === 'shared') {
        const lvs = tables.buffers.filter((b) => b.role === 'intermediate').map((b) => s.buffers[b.id]);
        if (lvs.some((l) => l.store !== lvs[0].store || l.fill !== lvs[0].fill))
            throw new Error('internal: tables for shared intermediate levels, schedule with different ones');
    }
    const roleAt = (bi, pos) => {
        const lv = s.buffers[tables.buffers[bi].id];
        return pos <= depth(lv.store) ? ABOVE : pos <= depth(lv.fill) ? REUSE : BELOW;
    };
    let refused = false;
    const out = tables.buffers.map((b, bi) => {
        let filled = b.fixedFilled;
        const absent = [];
        const widens = [];
        let accesses = movesNothing(b) ? 0 : b.fixedFilled;
        let ext = b.fixedExtents;
        let extOut = b.fixedExtentsOut;
        let band = false;
        let empty = false;
        for (let pos = 1; pos <= 4; pos++) {
            const l = s.order[pos - 1];
            const li = loopNames.indexOf(l);
            const c = tables.candidates[li].find((x) => x.t === s.tile[l] && x.warmup === warmupOf(s, l));
            const roles = tables.buffers.map((_, bj) => roleAt(bj, pos));
            const role = roles[bi];
            const e = c.entries[bi][contextOf(tables.intermediates, b, roles) * 3 + role];
            if (e === undefined) {
                refused = true;
                return { filled: 0, accesses: 0, bytes: 0 };
            }
            if (e.absent)
                absent.push(pos);
            if (e.widens)
                widens.push(pos);
            filled *= e.filled;
            accesses *= e.accesses;
            empty ||= e.empty;
            const x = role === BELOW || (role === REUSE && band) ? e.hullSpan : e.maxSpan;
            ext *= x;
            if (!(b.role === 'weights' && b.dimOf[li] === 1))
                extOut *= x;
            if (role === REUSE && e.back && c.trips > 1)
                band = true;
        }
        if (absent.some((p) => widens.some((q) => q !== p)))
            refused = true;
        if (empty)
            return { filled: 0, accesses: 0, bytes: 0 };
        const elements = b.role === 'weights' ? ext * b.kernelArea + (b.bias ? extOut : 0) : ext;
        return { filled, accesses, bytes: elements * elementBytes };
    });
    if (refused)
        return undefined;
    let macs = tables.lastMacs;
    tables.buffers.forEach((b, bi) => {
        macs += out[bi].filled * b.macsPerElement;
    });
    return {
        bytes: out.reduce((n, b) => n + b.bytes, 0),
        accesses: out.reduce((n, b) => n + b.accesses, 0),
        macs,
        buffers: out,
    };
}
//# sourceMappingURL=segment-factors.js.map