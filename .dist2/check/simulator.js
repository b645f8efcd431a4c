// Holding the cost model to the simulator on a whole schedule, as `memsched eval --check` does. The
// simulator's work is estimated first (element reads, from the model's computed elements) so that a
// segment too large to simulate in reasonable time is skipped with its estimate, never half-run.
import { segmentCost } from '../model/cost.js';
import { checkSchedule } from '../model/validate.js';
import { grouped } from '../report/table.js';
import { bytesText } from '../report/units.js';
import { simulateSegment, simulationBytes } from '../simulate/simulate.js';
/** Estimated element reads of a segment simulated by default: well under a minute at the usual rates. */
export const defaultMaxReads = 1_000_000_000;
/** Simulator memory per segment allowed by default. */
export const defaultMaxBytes = 2 ** 31;
/** Element reads of one output element of a non-convolution layer. */
function readsPerElement(layer, seg) {
    const input = seg.shapes.get(layer.inputs[0]);
    switch (layer.kind) {
        case 'pool':
            return layer.kernel[0] * layer.kernel[1];
        case 'eltwise':
            return layer.inputs.length;
        case 'concat':
        case 'slice':
            return 1;
        case 'affine':
            // the input element, then its channel's scale and shift
            return 3;
        case 'lrn':
            return layer.size;
        case 'softmax':
        case 'shuffle':
            return input.c;
    }
}
/**
 * Element reads the simulator will execute on a segment, from the model's prediction of what each layer
 * computes (recomputation included, strips' halos too): a convolution reads per MAC one weight and per
 * kernel tap its input box (dilation gaps included) unclipped, other layers their window per output
 * element; twice that with a raster line buffer.
 */
export function estimateReads(seg, predicted) {
    let reads = 0;
    for (const layer of seg.layers) {
        const buffer = predicted.buffers.find((b) => (b.role === 'intermediate' || b.role === 'output') && b.tensor === layer.name);
        if (layer.kind === 'conv') {
            const [kh, kw] = layer.kernel;
            const box = ((kh - 1) * layer.dilation[0] + 1) * ((kw - 1) * layer.dilation[1] + 1);
            const macs = predicted.layerMacs[layer.name];
            reads += macs + (macs / (kh * kw)) * box + (layer.hasBias ? (buffer?.filled ?? 0) : 0);
        }
        else {
            const { c, h, w } = layer.shape;
            const computed = layer === seg.last ? c * h * w : (buffer?.filled ?? 0);
            reads += computed * readsPerElement(layer, seg);
        }
    }
    // a raster line buffer's run is measured by a second pass over the segment
    const passes = predicted.buffers.some((b) => b.raster !== undefined) ? 2 : 1;
    return Math.round(reads) * passes;
}
/** Estimates every segment's work and memory and decides which are simulated. */
export function planCheck(net, sched, limits = {}) {
    const maxReads = limits.maxReads ?? defaultMaxReads;
    const maxBytes = limits.maxBytes ?? defaultMaxBytes;
    const segments = checkSchedule(net, sched);
    const estimatedReads = segments.map((seg, i) => estimateReads(seg, segmentCost(seg, sched.segments[i], sched.elementBytes)));
    const memoryBytes = segments.map((seg, i) => simulationBytes(seg, sched.segments[i]));
    const simulate = segments.map((_, i) => estimatedReads[i] <= maxReads && memoryBytes[i] <= maxBytes);
    const totalReads = estimatedReads.reduce((n, r, i) => n + (simulate[i] ? r : 0), 0);
    return { segments, estimatedReads, memoryBytes, simulate, totalReads, maxReads, maxBytes };
}
export function compareResults(predicted, simulated) {
    const differences = [];
    let compared = 0;
    const same = (what, a, b) => {
        compared++;
        if (JSON.stringify(a) !== JSON.stringify(b))
            differences.push(`${what}: ${JSON.stringify(a)} predicted vs ${JSON.stringify(b)} simulated`);
    };
    predicted.buffers.forEach((b, i) => {
        const s = simulated.buffers[i];
        for (const k of ['extents', 'bytes', 'filled', 'dramReads', 'dramWrites'])
            same(`${b.id}.${k}`, b[k], s[k]);
        if (b.raster !== undefined || s.raster !== undefined)
            same(`${b.id}.raster`, b.raster, s.raster);
    });
    for (const [l, m] of Object.entries(predicted.layerMacs))
        same(`${l}.macs`, m, simulated.layerMacs[l]);
    same('onChipBytes', predicted.onChipBytes, simulated.onChipBytes);
    return { compared, differences };
}
/** Runs the simulator on every segment within the limits and compares it with the model. */
export function checkWithSimulator(net, sched, options = {}, plan = planCheck(net, sched, options)) {
    let done = 0;
    return plan.segments.map((seg, i) => {
        const estimatedReads = plan.estimatedReads[i];
        const memoryBytes = plan.memoryBytes[i];
        const base = { segment: i, estimatedReads, memoryBytes, reads: 0, seconds: 0 };
        if (!plan.simulate[i]) {
            const why = estimatedReads > plan.maxReads
                ? `estimated ${grouped(estimatedReads)} element reads, above the limit of ${grouped(plan.maxReads)}`
                : `needs ${bytesText(memoryBytes)} of simulator memory, above the limit of ${bytesText(plan.maxBytes)}`;
            return { ...base, status: 'skipped', compared: 0, differences: [], note: why };
        }
        const s = sched.segments[i];
        const start = performance.now();
        let reads = 0;
        const simulated = simulateSegment(net, seg, s, sched.elementBytes, {
            onProgress: (n) => {
                reads = n;
                options.onProgress?.(done + n, plan.totalReads);
            },
        });
        const seconds = (performance.now() - start) / 1000;
        const { compared, differences } = compareResults(segmentCost(seg, s, sched.elementBytes), simulated);
        done += reads;
        return {
            ...base,
            status: differences.length === 0 ? 'agree' : 'differ',
            compared,
            differences,
            reads,
            seconds,
        };
    });
}
//# sourceMappingURL=simulator.js.map