// The data of the HTML report, compact enough for fronts of a thousand points on networks of hundreds of
// layers: every distinct segment schedule is evaluated once, points list which ones they use (as
// changes from the point before), and the page puts the details together when a point is selected.
import { InputError } from '../ir/errors.js';
import { segmentCost } from '../model/cost.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import { levelDepth, loopNames } from '../model/schedule.js';
import { checkSchedule, checkSegmentSchedule } from '../model/validate.js';
import { summarizeNetwork } from './inspect.js';
export const roleCodes = {
    input: 'i',
    weights: 'w',
    intermediate: 'm',
    output: 'o',
};
function encodeBody(seg, s, r) {
    const byId = new Map(r.buffers.map((b) => [b.id, b]));
    const levels = seg.buffers
        .map((b) => `${levelDepth(s.order, s.buffers[b.id].store)}${levelDepth(s.order, s.buffers[b.id].fill)}`)
        .join('');
    const body = [
        s.tile.x,
        s.tile.y,
        s.tile.zo,
        s.tile.zi,
        // a warm-up rides with the order: "1023:y19"
        s.order.map((l) => loopNames.indexOf(l)).join('') +
            (s.warmup
                ? `:${Object.entries(s.warmup)
                    .map(([l, w]) => `${l}${w}`)
                    .join(',')}`
                : ''),
        levels,
        r.onChipBytes,
        r.dramReads,
        r.dramWrites,
        r.macs,
    ];
    for (const b of seg.buffers) {
        const x = byId.get(b.id);
        body.push(x.extents.length, ...x.extents, x.bytes, x.filled, x.dramReads, x.dramWrites);
    }
    return body;
}
const partitionKey = (sched) => sched.segments.map((s) => s.layers.join('\u0000')).join('\u0001');
/**
 * Checks every point of a front against the network and predicts each distinct segment schedule once.
 * Points whose numbers differ from the model's are refused: the file is stale.
 */
export class FrontEvaluation {
    layers;
    structs = [];
    bodies = [];
    points = [];
    /** The network's MACs with every element computed once (the baseline's): recompute factors are over these. */
    leastMacs;
    details = [];
    constructor(net, front) {
        if (front.network !== net.name)
            throw new InputError(`the front is of network '${front.network}', not '${net.name}'`);
        this.layers = net.layers.map((l) => l.name);
        this.leastMacs = evaluateSchedule(net, baselineSchedule(net, front.elementBytes)).macs;
        // older front files do not record it
        if (front.baseline.macs !== undefined && front.baseline.macs !== this.leastMacs)
            throw new InputError(`baseline.macs: the file says ${front.baseline.macs}; the model predicts ${this.leastMacs} (a stale front file? explore again)`);
        const layerIndex = new Map(this.layers.map((n, i) => [n, i]));
        // the same layers make the same segment; the same partition is checked as a whole once
        const partitions = new Map();
        const structOf = new Map();
        const bodies = new Map();
        const evaluated = new Map();
        let previous = [];
        front.front.forEach((p, i) => {
            const sched = p.schedule;
            if (sched.elementBytes !== front.elementBytes)
                throw new InputError(`point ${i}: schedule of ${sched.elementBytes}-byte elements in a front of ${front.elementBytes}-byte elements`);
            const key = partitionKey(sched);
            let segments = partitions.get(key);
            const fresh = segments === undefined;
            try {
                if (!segments) {
                    segments = checkSchedule(net, sched);
                    partitions.set(key, segments);
                }
            }
            catch (e) {
                throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`) : e;
            }
            const parts = sched.segments.map((s, k) => {
                const seg = segments[k];
                const names = seg.layers.map((l) => l.name).join('\u0000');
                if (!structOf.has(names)) {
                    structOf.set(names, this.structs.length);
                    this.structs.push({
                        layers: seg.layers.map((l) => layerIndex.get(l.name)),
                        dims: [seg.dims.x, seg.dims.y, seg.dims.zo, seg.dims.zi],
                        buffers: seg.buffers.map((b) => [
                            b.id,
                            roleCodes[b.role],
                            layerIndex.get(b.layer),
                            b.tensor,
                            b.readers.map((r) => layerIndex.get(r)),
                        ]),
                        ...(seg.view ? { view: 1 } : {}),
                    });
                }
                const struct = structOf.get(names);
                const sKey = `${struct} ${JSON.stringify(s)}`;
                let known = evaluated.get(sKey);
                if (!known) {
                    try {
                        if (!fresh)
                            checkSegmentSchedule(seg, s, `segments[${k}]`);
                    }
                    catch (e) {
                        throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`) : e;
                    }
                    const result = segmentCost(seg, s, sched.elementBytes);
                    const body = encodeBody(seg, s, result);
                    const bKey = JSON.stringify(body);
                    let b = bodies.get(bKey);
                    if (b === undefined) {
                        b = this.bodies.length;
                        bodies.set(bKey, b);
                        this.bodies.push(body);
                    }
                    known = { body: b, result };
                    evaluated.set(sKey, known);
                }
                return { struct, body: known.body, seg, result: known.result };
            });
            const bytes = Math.max(...parts.map((x) => x.result.onChipBytes));
            const accesses = parts.reduce((n, x) => n + x.result.dramReads + x.result.dramWrites, 0);
            const macs = parts.reduce((n, x) => n + x.result.macs, 0);
            if (bytes !== p.bytes || accesses !== p.accesses || macs !== p.macs)
                throw new InputError(`point ${i}: the file says ${p.bytes} bytes, ${p.accesses} accesses, ${p.macs} MACs; the model predicts ${bytes}, ${accesses}, ${macs} (a stale front file? explore again)`);
            this.details.push(parts);
            let encoded = [];
            if (parts.length === previous.length) {
                parts.forEach((x, k) => {
                    if (x.struct !== previous[k].struct || x.body !== previous[k].body)
                        encoded.push(k, x.struct, x.body);
                });
                this.points.push([bytes, accesses, macs, 1, encoded]);
            }
            else {
                encoded = parts.flatMap((x) => [x.struct, x.body]);
                this.points.push([bytes, accesses, macs, 0, encoded]);
            }
            previous = parts;
        });
    }
    /** The checked segments of point i and their predictions. */
    detail(i) {
        const parts = this.details[i];
        return { segments: parts.map((x) => x.seg), results: parts.map((x) => x.result) };
    }
}
/** Refuses a verify file of another network, element width, or points the front does not have. */
export function checkVerify(net, front, verify) {
    if (verify.network !== net.name)
        throw new InputError(`network: the verify file is of '${verify.network}', not '${net.name}'`);
    if (verify.elementBytes !== front.elementBytes)
        throw new InputError(`elementBytes: the verify file measured ${verify.elementBytes}-byte elements, the front has ${front.elementBytes}-byte elements`);
    verify.points.forEach((p, i) => {
        if (p.point !== null && p.point >= front.front.length)
            throw new InputError(`points[${i}].point: ${p.point} is not a point of the front (0..${front.front.length - 1})`);
    });
}
export function reportData(net, front, evaluation, verify) {
    const last = front.front.length - 1;
    return {
        network: summarizeNetwork(net),
        space: front.space,
        elementBytes: front.elementBytes,
        baseline: front.baseline,
        lowerBound: front.lowerBound,
        leastMacs: evaluation.leastMacs,
        budgetBytes: front.budgetBytes ?? null,
        chosen: front.chosen ?? null,
        selected: front.chosen ?? last,
        layers: evaluation.layers,
        structs: evaluation.structs,
        bodies: evaluation.bodies,
        points: evaluation.points,
        verify: verify?.points ?? [],
    };
}
//# sourceMappingURL=html-data.js.map