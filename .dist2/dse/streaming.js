// Streaming schedules of a segment: a family the tile search does not reach, added to its front. The
// rows stream down the output one column (all channels) a step; every activation slides through a raster
// line buffer ((k - 1) rows plus k elements per channel); every weight stays resident; the output is cut
// into 1 to maxStrips vertical strips whose halos are recomputed; warm-ups along y and x prime each
// strip so that every line buffer holds its steady state only (docs/search-design.md, "Streaming
// schedules"). Deep chains of same-size layers (VDSR) reach their floor only this way.
import { layerStats } from '../ir/stats.js';
import { NotClosedForm, segmentCost, warmupNeeded } from '../model/cost.js';
import { paretoFront } from './pareto.js';
import { segmentFront } from './segment-search.js';
/** Most strips a streaming schedule is cut into by default. */
export const defaultMaxStrips = 16;
/** Whether streaming applies: a fused segment whose output has rows and columns to stream. */
function streams(seg) {
    return !seg.view && seg.layers.length > 1 && seg.dims.x > 1 && seg.dims.y > 1;
}
/**
 * A DRAM input or intermediate several layers read may have no exact closed form at the column level
 * (readers ahead of and behind each other): it falls back to the row level, then to the strip.
 */
const fallbacks = [
    { store: 'root', fill: 'x', raster: true },
    { store: 'root', fill: 'y' },
    { store: 'root', fill: 'root' },
];
/**
 * The streaming schedule of a segment in strips of `width` columns (the whole width: no strips), with
 * its cost; undefined if some buffer has no exact closed form even filled at the strip.
 */
export function streamingSchedule(seg, width, elementBytes) {
    const buffers = {};
    for (const b of seg.buffers)
        buffers[b.id] =
            b.role === 'weights'
                ? { store: 'root', fill: 'root' }
                : b.role === 'output'
                    ? { store: 'zi', fill: 'zi' }
                    : fallbacks[0];
    const s = {
        layers: seg.layers.map((l) => l.name),
        tile: { x: 1, y: 1, zo: seg.dims.zo, zi: seg.dims.zi },
        order: ['y', 'x', 'zo', 'zi'],
        buffers,
        ...(width < seg.dims.x ? { strips: { x: width } } : {}),
    };
    const warmup = { y: warmupNeeded(seg, s, 'y'), x: warmupNeeded(seg, s, 'x') };
    if (warmup.y > 0 || warmup.x > 0)
        s.warmup = { ...(warmup.y > 0 ? { y: warmup.y } : {}), ...(warmup.x > 0 ? { x: warmup.x } : {}) };
    // Each refusal names one buffer: move it a level out and try again.
    for (;;) {
        try {
            return { schedule: s, result: segmentCost(seg, s, elementBytes) };
        }
        catch (e) {
            if (!(e instanceof NotClosedForm))
                throw e;
            const lv = s.buffers[e.bufferId];
            const next = fallbacks[fallbacks.findIndex((f) => f.fill === lv.fill) + 1];
            if (next === undefined)
                return undefined;
            s.buffers[e.bufferId] = next;
        }
    }
}
/** The Pareto front of a segment's streaming schedules, one per strip count. */
export function streamingFront(seg, options) {
    if (!streams(seg))
        return [];
    const least = seg.layers.reduce((n, l) => n + layerStats(l, seg.shapes).macs, 0);
    const limit = (options.maxRecompute ?? Number.POSITIVE_INFINITY) * least;
    const widths = new Set();
    for (let n = 1; n <= Math.min(options.maxStrips ?? defaultMaxStrips, seg.dims.x); n++)
        widths.add(Math.ceil(seg.dims.x / n));
    const points = [];
    // narrower strips recompute more halo: the first over the limit ends the search
    for (const width of [...widths].sort((a, b) => b - a)) {
        const found = streamingSchedule(seg, width, options.elementBytes);
        if (found === undefined)
            continue;
        const r = found.result;
        if (r.macs > limit)
            break;
        points.push({
            bytes: r.onChipBytes,
            accesses: r.dramReads + r.dramWrites,
            macs: r.macs,
            item: found.schedule,
        });
    }
    return paretoFront(points);
}
/**
 * A segment's searched front (segmentFront), and with `streaming` its streaming schedules merged in: one
 * job of explore's search pool. The streaming schedules are costed first: what they achieve also bounds
 * the search (a tiled schedule one of them dominates strictly would leave the merged front anyway).
 * Without `tiled` options only the streaming schedules are costed (a chain longer than explore's
 * maxTiledFuse).
 */
export function searchSegment(segment, tiled, streaming) {
    const stats = { prefixes: 0, tilings: 0 };
    const streamed = streaming === undefined ? [] : streamingFront(segment, streaming);
    if (tiled === undefined)
        return { front: streamed, stats };
    if (streamed.length === 0)
        return { front: segmentFront(segment, tiled, stats), stats };
    const bound = paretoFront([
        ...(tiled.bound ?? []).map((p) => ({ ...p, macs: 0, item: undefined })),
        ...streamed.map((p) => ({ bytes: p.bytes, accesses: p.accesses, macs: 0, item: undefined })),
    ]).map((p) => ({ bytes: p.bytes, accesses: p.accesses }));
    const front = segmentFront(segment, { ...tiled, bound }, stats);
    return { front: paretoFront([...front, ...streamed]), stats };
}
//# sourceMappingURL=streaming.js.map