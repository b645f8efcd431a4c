// Checking a schedule against its network (docs/schedule-format.md; src/formats/schedule.ts reads the
// file): every error is one line naming the field.
import { InputError } from '../ir/errors.js';
import { NotClosedForm, segmentCost, warmupNeeded } from './cost.js';
import { levelAt, levelDepth, loopNames, warmupLoops } from './schedule.js';
import { analyzeSegment } from './segment.js';
function fail(path, message) {
    throw new InputError(`${path}: ${message}`);
}
/** The depth at which a layer of the segment computes: its output buffer's fill level (the last: 4). */
export function computeDepth(seg, s, layer) {
    if (layer === seg.last.name)
        return 4;
    return levelDepth(s.order, s.buffers[layer].fill);
}
/** Checks tiles, buffer ids and levels (store above fill, fills above their readers). */
function checkLevels(seg, s, path) {
    for (const l of loopNames) {
        const t = s.tile[l];
        if (t < 1 || t > seg.dims[l])
            fail(`${path}.tile.${l}`, `${t} is outside 1..${seg.dims[l]} (the ${l} extent of '${seg.last.name}')`);
    }
    const last = seg.last;
    if (last.kind === 'conv' && last.groups > 1 && seg.dims.zi > 1 && s.tile.zi !== seg.dims.zi)
        fail(`${path}.tile.zi`, `'${last.name}' is a grouped convolution: its reduction tile must be whole (${seg.dims.zi})`);
    if (s.strips !== undefined) {
        const w = s.strips.x;
        if (w < 1 || w > seg.dims.x)
            fail(`${path}.strips.x`, `${w} is outside 1..${seg.dims.x} (the width of '${seg.last.name}')`);
        if (s.tile.x > w)
            fail(`${path}.tile.x`, `${s.tile.x} is wider than a strip (strips.x ${w})`);
    }
    for (const l of warmupLoops) {
        const w = s.warmup?.[l];
        if (w === undefined)
            continue;
        const needed = warmupNeeded(seg, s, l);
        if (w > needed)
            fail(`${path}.warmup.${l}`, needed === 0
                ? `no layer of the segment computes anything before loop '${l}' starts: it needs no warm-up`
                : `${w} warm-up iterations, but no layer computes anything before iteration -${needed}: at most ${needed}`);
    }
    const ids = new Set(seg.buffers.map((b) => b.id));
    for (const id of Object.keys(s.buffers)) {
        if (ids.has(id))
            continue;
        const shared = seg.buffers.find((b) => b.role === 'input' && b.readers.some((r) => `${b.tensor}@${r}` === id));
        if (shared)
            fail(`${path}.buffers["${id}"]`, `'${shared.tensor}' is read by ${shared.readers.map((r) => `'${r}'`).join(', ')}: one buffer, named '${shared.id}' after its first reader`);
        fail(`${path}.buffers["${id}"]`, `no such buffer in this segment (it has ${[...ids].join(', ')})`);
    }
    const missing = seg.buffers.filter((b) => !(b.id in s.buffers)).map((b) => b.id);
    if (missing.length > 0)
        fail(`${path}.buffers`, `missing levels for ${missing.join(', ')}`);
    for (const b of seg.buffers) {
        const p = `${path}.buffers["${b.id}"]`;
        const lv = s.buffers[b.id];
        const store = levelDepth(s.order, lv.store);
        const fill = levelDepth(s.order, lv.fill);
        if (store > fill)
            fail(`${p}.store`, `'${lv.store}' is inside the fill level '${lv.fill}'`);
        if (lv.raster) {
            const y = levelDepth(s.order, 'y');
            if (b.role === 'weights')
                fail(`${p}.raster`, 'weights have no rows and columns: only activations are raster line buffers');
            if (levelDepth(s.order, 'x') !== y + 1 || store !== y - 1 || lv.fill !== 'x')
                fail(`${p}.raster`, `a raster line buffer slides along rows, then columns: it needs 'y' directly above 'x' in the order, its store right above 'y' ('${levelAt(s.order, Math.max(0, y - 1))}') and its fill at 'x'`);
        }
        // A buffer must be filled before (at or above) the computation that reads it.
        for (const r of b.readers) {
            const at = computeDepth(seg, s, r);
            if (fill > at)
                fail(`${p}.fill`, `'${lv.fill}' is inside the level where '${r}' computes ('${at === 0 ? 'root' : s.order[at - 1]}')`);
        }
    }
}
/** Checks one segment's schedule against the segment: also that the model can count it exactly. */
export function checkSegmentSchedule(seg, s, path) {
    checkLevels(seg, s, path);
    // A tensor read by several layers: some level combinations have no exact closed form.
    if (seg.buffers.some((b) => b.readers.length > 1))
        try {
            segmentCost(seg, s, 1);
        }
        catch (e) {
            if (e instanceof NotClosedForm)
                fail(`${path}.buffers["${e.bufferId}"].fill`, e.reason);
            throw e;
        }
}
/** Checks a whole network schedule: every layer in one segment, segments in an executable order. */
export function checkSchedule(net, sched) {
    const covered = new Map();
    const segments = sched.segments.map((s, i) => {
        const path = `segments[${i}]`;
        const seg = analyzeSegment(net, s.layers, path);
        for (const l of seg.layers) {
            if (covered.has(l.name))
                fail(`${path}.layers`, `layer '${l.name}' is already in segments[${covered.get(l.name)}]`);
            covered.set(l.name, i);
        }
        checkSegmentSchedule(seg, s, path);
        return seg;
    });
    const missing = net.layers.filter((l) => !covered.has(l.name)).map((l) => l.name);
    if (missing.length > 0)
        fail('segments', `layers in no segment: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`);
    const available = new Set(net.inputs.map((t) => t.name));
    segments.forEach((seg, i) => {
        for (const b of seg.buffers)
            if (b.role === 'input' && !available.has(b.tensor))
                fail(`segments[${i}]`, `reads '${b.tensor}' before the segment that produces it has run`);
        for (const b of seg.buffers)
            if (b.role === 'output' || b.exported)
                available.add(b.tensor);
    });
    return segments;
}
//# sourceMappingURL=validate.js.map