// Whole-network evaluation: segments run one after another, so accesses add up and on-chip memory is
// the largest segment's.
import { segmentCost } from './cost.js';
import { scheduleFormat, scheduleVersion } from './schedule.js';
import { analyzeSegment } from './segment.js';
import { checkSchedule } from './validate.js';
export function combineSegments(segments, elementBytes) {
    const sum = (f) => segments.reduce((n, s) => n + f(s), 0);
    const dramReads = sum((s) => s.dramReads);
    const dramWrites = sum((s) => s.dramWrites);
    return {
        elementBytes,
        segments,
        dramReads,
        dramWrites,
        dramAccesses: dramReads + dramWrites,
        onChipBytes: Math.max(...segments.map((s) => s.onChipBytes)),
        macs: sum((s) => s.macs),
    };
}
/** Checks a network schedule and predicts its cost. */
export function checkAndEvaluate(net, sched) {
    const segments = checkSchedule(net, sched);
    const predicted = combineSegments(segments.map((seg, i) => segmentCost(seg, sched.segments[i], sched.elementBytes)), sched.elementBytes);
    return { segments, predicted };
}
/** The prediction of checkAndEvaluate alone. */
export function evaluateSchedule(net, sched) {
    return checkAndEvaluate(net, sched).predicted;
}
/** One whole tile per segment with every buffer at root: each tensor moves exactly once. */
export function wholeTileSchedule(seg) {
    const buffers = {};
    for (const b of seg.buffers)
        buffers[b.id] = { store: 'root', fill: 'root' };
    return {
        layers: seg.layers.map((l) => l.name),
        tile: { ...seg.dims },
        order: ['y', 'x', 'zo', 'zi'],
        buffers,
    };
}
/**
 * The layer-by-layer baseline every result is compared with: no fusion, each layer on whole feature
 * maps (input, weights and output on chip at once), so each tensor crosses DRAM once per layer.
 */
export function baselineSchedule(net, elementBytes) {
    return {
        format: scheduleFormat,
        version: scheduleVersion,
        network: net.name,
        elementBytes,
        segments: net.layers.map((l) => wholeTileSchedule(analyzeSegment(net, [l.name]))),
    };
}
//# sourceMappingURL=evaluate.js.map