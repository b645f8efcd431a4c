// Larger tiles for the same traffic. A front point is the fewest bytes for its accesses, which often
// means tiles of one position or one channel: code that runs such a schedule spends its time on loop
// steps and fill bookkeeping, not on arithmetic. Given a budget, each segment keeps its loop order and
// buffer levels and grows its tiles to the fewest innermost steps with no more DRAM accesses and no more
// MACs, its on-chip bytes within the budget. Every schedule tried is costed by the model.
import { NotClosedForm, segmentCost, warmupNeeded } from '../model/cost.js';
import { loopNames, stripRanges, warmupLoops, warmupOf } from '../model/schedule.js';
import { checkSchedule } from '../model/validate.js';
/** Executions of the innermost loop body: the product of the loops' trip counts (warm-up included). */
export function innermostSteps(seg, s) {
    // the x loop runs once per strip
    const x = stripRanges(s, seg.dims.x).reduce((n, strip) => n + Math.ceil((strip.hi - strip.lo) / s.tile.x) + warmupOf(s, 'x'), 0);
    return loopNames.reduce((n, l) => n * (l === 'x' ? x : Math.ceil(seg.dims[l] / s.tile[l]) + warmupOf(s, l)), 1);
}
/**
 * The schedule with tile `size` on loop `loop`, its warm-up loops kept at most what the new tiles need
 * (fewer iterations than needed is valid; more is not). Its levels are the checked schedule's and its
 * tiles within their loops, so only the closed form of a tensor several layers read can fail (the cost
 * model says so: NotClosedForm).
 */
function withTile(seg, s, loop, size) {
    const next = { ...s, tile: { ...s.tile, [loop]: size } };
    if (s.warmup !== undefined) {
        const warmup = {};
        for (const l of warmupLoops) {
            const w = Math.min(s.warmup[l] ?? 0, warmupNeeded(seg, next, l));
            if (w > 0)
                warmup[l] = w;
        }
        if (Object.keys(warmup).length > 0)
            next.warmup = warmup;
        else
            delete next.warmup;
    }
    return next;
}
/** Channel tiles the other starts take: whole vectors of 8 and 16 fp32 lanes (or the whole extent). */
const laneTile = 16;
/**
 * What one innermost step costs beside its MACs, in MACs: its fills' bookkeeping and kernel calls, and the
 * weights read again for the few positions a small step computes. Measured on MobileNetV2's 7x7 layers
 * (release C, AVX-512): one position a step, 34 thousand MACs, ran at 16 GMAC/s, all 49 at 29.
 */
const stepMacs = 50_000;
/**
 * A segment schedule with the same loop order and buffer levels and tiles for fewer innermost steps,
 * while DRAM accesses and MACs stay at most the given schedule's and on-chip bytes at most `maxBytes` (or
 * the schedule's own, if larger). Tiles are grown one loop at a time, the move with the fewest steps
 * after it first. That first move can spend the bytes where they buy least (MobileNetV2's 7x7 layers:
 * reduction tiles of 80 channels at one position a step, where 32 channels by all 49 positions fit; VDSR's
 * first layer: one output channel a step), so the growth also runs with one loop held below 1, 2, 4, ...
 * (channels: 16, 32, ...) until the others have grown, then freed; channel tiles there stay whole vectors.
 * Such a result replaces the plain growth's where it takes at least 10 % less MACs + `stepMacs` per step
 * (a segment without MACs keeps the plain growth: nothing to weigh its steps against). Not the fastest
 * tiling, but every schedule it returns is costed by the model.
 */
export function retileSegment(seg, s, elementBytes, maxBytes) {
    if (seg.view)
        return s;
    const base = segmentCost(seg, s, elementBytes);
    const accesses = base.dramReads + base.dramWrites;
    const limit = Math.max(maxBytes, base.onChipBytes);
    const allowed = (next) => {
        let r;
        try {
            r = segmentCost(seg, next, elementBytes);
        }
        catch (e) {
            if (e instanceof NotClosedForm)
                return false;
            throw e;
        }
        return r.dramReads + r.dramWrites <= accesses && r.macs <= base.macs && r.onChipBytes <= limit;
    };
    // a tile no wider than a strip
    const extent = (loop) => (loop === 'x' && s.strips ? s.strips.x : seg.dims[loop]);
    const channels = (loop) => loop === 'zo' || loop === 'zi';
    const grow = (from, cap, lanes) => {
        let best = { schedule: from, steps: innermostSteps(seg, from) };
        for (;;) {
            let move = null;
            for (const loop of loopNames) {
                const d = extent(loop);
                const trips = Math.ceil(d / best.schedule.tile[loop]);
                // fewer trips, largest tiles first: the first that keeps the traffic is this loop's best move
                for (let n = 1; n < trips; n++) {
                    const size = Math.ceil(d / n);
                    if (n > 1 && Math.ceil(d / (n - 1)) === size)
                        continue;
                    if (cap?.loop === loop && size > cap.size)
                        continue;
                    if (channels(loop) && size < d && size % lanes !== 0)
                        continue;
                    const next = withTile(seg, best.schedule, loop, size);
                    const steps = innermostSteps(seg, next);
                    if (steps >= (move?.steps ?? best.steps))
                        continue;
                    if (!allowed(next))
                        continue;
                    move = { schedule: next, steps };
                    break;
                }
            }
            if (move === null)
                return best;
            best = move;
        }
    };
    const plain = grow(s, null, 1);
    if (base.macs === 0)
        return plain.schedule;
    const cost = (c) => segmentCost(seg, c.schedule, elementBytes).macs + stepMacs * c.steps;
    const plainCost = cost(plain);
    let best = plain;
    let bestCost = plainCost;
    for (const loop of loopNames) {
        const d = extent(loop);
        for (let size = channels(loop) ? laneTile : 1; size < d; size *= 2) {
            const r = grow(grow(s, { loop, size }, laneTile).schedule, null, laneTile);
            const c = cost(r);
            if (c < bestCost) {
                best = r;
                bestCost = c;
            }
        }
    }
    return bestCost < 0.9 * plainCost ? best.schedule : plain.schedule;
}
/** Every segment of a network schedule retiled within `maxBytes` (see retileSegment). */
export function retileSchedule(net, sched, maxBytes) {
    const segments = checkSchedule(net, sched);
    return {
        ...sched,
        segments: sched.segments.map((s, i) => retileSegment(segments[i], s, sched.elementBytes, maxBytes)),
    };
}
/** Innermost loop steps of a whole network schedule (summed over its segments). */
export function scheduleSteps(net, sched) {
    const segments = checkSchedule(net, sched);
    return segments.reduce((n, seg, i) => n + (seg.view ? 0 : innermostSteps(seg, sched.segments[i])), 0);
}
//# sourceMappingURL=retile.js.map