// The front for people: the table explore prints (points spread over it, their fused depth and
// recompute factor) and how it was searched, in words. The file itself: formats/front.ts.
import { eachLevelsUpTo } from '../dse/explore.js';
import { grouped, renderTable } from './table.js';
import { bytesText } from './units.js';
/** Up to `count` points spread log-evenly over the front's on-chip bytes, always keeping both ends and `keep`. */
export function spreadPoints(front, count, keep) {
    if (front.length <= count)
        return front.map((_, i) => i);
    const picks = new Set([0, front.length - 1]);
    if (keep !== undefined)
        picks.add(keep);
    const lo = Math.log(Math.max(1, front[0].bytes));
    const hi = Math.log(Math.max(1, front.at(-1).bytes));
    for (let k = 1; k < count - 1; k++) {
        const target = lo + ((hi - lo) * k) / (count - 1);
        let best = 0;
        front.forEach((p, i) => {
            if (Math.abs(Math.log(Math.max(1, p.bytes)) - target) <
                Math.abs(Math.log(Math.max(1, front[best].bytes)) - target))
                best = i;
        });
        picks.add(best);
    }
    return [...picks].sort((a, b) => a - b);
}
/** The recomputation limit a front was searched with, in words. */
function recomputeLimit(maxRecompute) {
    if (maxRecompute === undefined || maxRecompute === 'none')
        return ', recomputation not limited';
    if (maxRecompute === 1)
        return ' without recomputation';
    return `, each computing at most ${maxRecompute}x its least MACs`;
}
/** How far a front fuses and recomputes, in words. */
export function fusionText({ maxFuse, maxRecompute, maxFuseJoins, maxFuseOutputs, ownLevelsUpTo, maxTiledFuse, segmentSets, }) {
    if (maxFuse === undefined || maxFuse === 1)
        return 'layer by layer (no fusion)';
    const joins = maxFuseJoins === undefined || maxFuseJoins >= maxFuse
        ? ''
        : `, those with joins (a tensor several of their layers read) up to ${maxFuseJoins}`;
    // the default goes unsaid
    const own = ownLevelsUpTo === undefined || ownLevelsUpTo <= eachLevelsUpTo
        ? ''
        : `, intermediates with their own levels in segments up to ${ownLevelsUpTo} layers`;
    const streamed = maxTiledFuse === undefined || maxTiledFuse >= maxFuse
        ? ''
        : `, chains of more than ${maxTiledFuse} layers streaming only`;
    const runs = segmentSets === 'runs' ? ', runs of the layer order only' : '';
    const outputs = maxFuseOutputs === undefined
        ? ''
        : `, those with several outputs (an intermediate read after the segment too) up to ${maxFuseOutputs}`;
    return `segments of up to ${maxFuse} layers fused${runs}${joins}${outputs}${own}${streamed}${recomputeLimit(maxRecompute)}`;
}
/**
 * A point's MACs over the least the network computes (every element once), e.g. 1.25; undefined when
 * the front file does not record the least (older files) or the point's MACs.
 */
export function recomputeFactor(front, p) {
    const least = front.baseline.macs;
    return least === undefined || !(least > 0) || !Number.isFinite(p.macs) ? undefined : p.macs / least;
}
export const factorText = (f) => (f === undefined ? '?' : `${f.toFixed(2)}x`);
/**
 * The layers of a point's deepest fused segment, from its schedule (read unchecked: a plot does not
 * check schedules); undefined when the schedule does not say.
 */
export function fusedDepth(p) {
    const segments = p.schedule?.segments;
    if (!Array.isArray(segments) || segments.length === 0)
        return undefined;
    let deepest = 0;
    for (const s of segments) {
        const layers = s?.layers;
        if (!Array.isArray(layers) || layers.length === 0)
            return undefined;
        deepest = Math.max(deepest, layers.length);
    }
    return deepest;
}
export function frontText(r, seconds) {
    const w = r.elementBytes;
    const rows = spreadPoints(r.front, 30, r.chosen).map((i) => {
        const p = r.front[i];
        return [
            i === r.chosen ? '*' : '',
            String(i),
            bytesText(p.bytes),
            grouped(p.accesses),
            bytesText(p.accesses * w),
            `${(p.accesses / r.baseline.accesses).toFixed(2)}x`,
            String(p.segments),
            String(fusedDepth(p) ?? '?'),
            grouped(p.macs),
            factorText(recomputeFactor(r, p)),
        ];
    });
    const least = r.baseline.macs;
    const lines = [
        `memsched explore ${r.network}: ${r.space} space, ${w}-byte elements, ${fusionText(r)}, ${r.segmentsSearched} distinct segments searched in ${seconds.toFixed(1)} s`,
        '',
        `front: ${r.front.length} points (predicted by the model)${r.front.length > rows.length ? `, ${rows.length} shown; -o FILE writes all` : ''}`,
        renderTable([
            '',
            '#',
            'on chip',
            'DRAM accesses',
            'DRAM bytes',
            'x baseline accesses',
            'segments',
            'max fused',
            'MACs',
            'recompute',
        ], rows, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right']),
        `max fused: layers in the point's deepest segment; recompute: its MACs over ${least === undefined ? "the network's" : grouped(least)} (every element computed once)`,
        '',
        `baseline (layer by layer, whole feature maps on chip): ${grouped(r.baseline.accesses)} accesses, ${bytesText(r.baseline.bytes)} on chip`,
        `lower bound (inputs, weights and outputs each moved once): ${grouped(r.lowerBound.accesses)} accesses`,
    ];
    if (r.chosen !== undefined && r.budgetBytes !== undefined) {
        const p = r.front[r.chosen];
        lines.push(`chosen for the budget ${bytesText(r.budgetBytes)} (*): point ${r.chosen}, ${bytesText(p.bytes)} on chip, ${grouped(p.accesses)} DRAM accesses: ${(p.accesses / r.baseline.accesses).toFixed(2)}x the baseline's accesses with ${(r.baseline.bytes / p.bytes).toFixed(1)}x less on-chip memory; ${grouped(p.macs)} MACs (${factorText(recomputeFactor(r, p))})`);
    }
    return lines.join('\n');
}
//# sourceMappingURL=front.js.map