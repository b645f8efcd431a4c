// The network graph of a schedule: segments coloured, each layer's predicted DRAM traffic written on
// it; laid out and drawn as SVG by Graphviz (compiled to WebAssembly, no browser needed).
import { networkDot } from './dot.js';
import { compact } from './table.js';
/** Twelve light colours that keep black text readable; segments take them in turn. */
export const segmentPalette = [
    '#8dd3c7',
    '#ffffb3',
    '#bebada',
    '#fb8072',
    '#80b1d3',
    '#fdb462',
    '#b3de69',
    '#fccde5',
    '#d9d9d9',
    '#bc80bd',
    '#ccebc5',
    '#ffed6f',
];
export function segmentColour(index) {
    return segmentPalette[index % segmentPalette.length];
}
/** Half way to white: the box around a fused segment, lighter than its layers. */
function lighter(hex) {
    const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    return `#${c
        .map((v) => Math.round((v + 255) / 2)
        .toString(16)
        .padStart(2, '0'))
        .join('')}`;
}
/** Each buffer's DRAM traffic counted to the layer that reads (inputs, weights) or produces it. */
export function layerTraffic(segments, results) {
    const traffic = new Map();
    segments.forEach((seg, i) => {
        for (const l of seg.layers)
            traffic.set(l.name, { reads: 0, writes: 0 });
        const byId = new Map(results[i].buffers.map((b) => [b.id, b]));
        for (const b of seg.buffers) {
            const r = byId.get(b.id);
            const t = traffic.get(b.layer);
            t.reads += r.dramReads;
            t.writes += r.dramWrites;
        }
    });
    return traffic;
}
/** The text a layer's node carries: its predicted DRAM accesses (reads + writes, elements). */
export function trafficNote(t) {
    return `predicted DRAM: ${compact(t.reads + t.writes)}`;
}
/** The dot graph of a schedule; `segments` and `result` are its checked segments and its evaluation. */
export function scheduleDot(net, sched, segments, result, options = {}) {
    const fill = new Map();
    const note = new Map();
    const clusters = [];
    sched.segments.forEach((s, i) => {
        for (const l of s.layers)
            fill.set(l, segmentColour(i));
        if (options.clusters && s.layers.length > 1)
            clusters.push({ label: `segment ${i + 1}`, layers: s.layers, fill: lighter(segmentColour(i)) });
    });
    for (const [layer, t] of layerTraffic(segments, result.segments))
        note.set(layer, trafficNote(t));
    return networkDot(net, {
        caption: options.caption ??
            `${net.name}: ${sched.segments.length} segments (colours); per layer its predicted DRAM accesses (elements read + written)`,
        fill,
        note,
        ...(options.clusters ? { clusters } : {}),
        layerIds: options.layerIds ?? true,
    });
}
let viz;
/** The dot graph laid out and drawn as an SVG document by Graphviz. */
export async function renderDotSvg(dot) {
    viz ??= import('@viz-js/viz').then((m) => m.instance());
    return (await viz).renderString(dot, { format: 'svg' });
}
//# sourceMappingURL=graph.js.map