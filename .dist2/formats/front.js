// Front files (`memsched.front`, docs/front-format.md; written by `explore -o`, read by eval, verify, plot
// and report): the search's result with the format's name and version. Errors are one line naming the
// field or point; the caller adds the file.
import { InputError } from '../ir/errors.js';
import { valueText } from './json.js';
import { scheduleOfJson } from './schedule.js';
export const frontFormat = 'memsched.front';
/** A search's result as a front file. */
export const frontFileOf = (result) => ({
    format: frontFormat,
    version: 1,
    ...result,
});
/** A front file's text, as explore -o writes it. */
export const frontFileText = (file) => `${JSON.stringify(file)}\n`;
/** Parsed JSON that says it is a front file (whatever else it holds). */
export const isFront = (json) => typeof json === 'object' && json !== null && json['format'] === frontFormat;
/** A front file's parsed JSON, checked as far as every reader needs: its format and version. */
export function frontOfJson(json) {
    const f = json;
    if (typeof f !== 'object' || f === null || Array.isArray(f) || f['format'] !== frontFormat)
        throw new InputError(`not a front file (format '${frontFormat}', written by explore -o)`);
    if (f['version'] !== 1)
        throw new InputError(`version: this memsched reads front files of version 1, got ${valueText(f['version'])}`);
    return f;
}
/** The schedule of point `index` (default: the chosen one) of a front file's checked JSON (frontOfJson). */
export function pointOfFront(json, index) {
    const points = json['front'];
    if (!Array.isArray(points) || points.length === 0)
        throw new InputError('front: expected a non-empty list of points');
    const i = index ?? (typeof json['chosen'] === 'number' ? json['chosen'] : undefined);
    if (i === undefined)
        throw new InputError('this front file chose no point: give --point N');
    if (!Number.isInteger(i) || i < 0 || i >= points.length)
        throw new InputError(`--point: ${i} is not a point of this front (0..${points.length - 1})`);
    return scheduleOfPoint(points[i], i);
}
/** Point `i`'s schedule, checked field by field; an error names the point. */
export function scheduleOfPoint(point, i) {
    try {
        if (typeof point !== 'object' || point === null || Array.isArray(point))
            throw new InputError(`expected a point (an object with its schedule), got ${valueText(point)}`);
        const sched = point['schedule'];
        if (typeof sched !== 'object' || sched === null)
            throw new InputError('no schedule');
        return scheduleOfJson(sched);
    }
    catch (e) {
        throw e instanceof InputError ? new InputError(`point ${i}: ${e.message}`) : e;
    }
}
const finite = (v) => typeof v === 'number' && Number.isFinite(v);
/**
 * A front file's JSON (checked by frontOfJson), checked as far as a plot or report reads it (not its
 * schedules), and copied field by field: what a reader sees is what was checked, whatever else the file
 * holds.
 */
export function frontFileOfJson(json) {
    const f = json;
    const broken = (what) => new InputError(`broken front file: ${what}`);
    const number = (v) => (finite(v) ? v : undefined);
    if (!Array.isArray(f.front) || f.front.length === 0)
        throw broken('no points');
    const front = f.front.map((p, i) => {
        const bytes = number(p?.bytes);
        const accesses = number(p?.accesses);
        if (bytes === undefined || accesses === undefined || bytes <= 0 || accesses <= 0)
            throw broken(`point ${i} needs positive bytes and accesses`);
        return {
            bytes,
            accesses,
            macs: number(p?.macs) ?? Number.NaN,
            segments: number(p?.segments) ?? Number.NaN,
            schedule: p?.schedule,
        };
    });
    if (f.elementBytes !== 1 && f.elementBytes !== 2 && f.elementBytes !== 4)
        throw broken('no elementBytes');
    const base = f.baseline;
    const baseline = { bytes: number(base?.['bytes']), accesses: number(base?.['accesses']) };
    if (baseline.bytes === undefined || baseline.accesses === undefined)
        throw broken('no baseline');
    // the least MACs (absent in older files): only a positive count gives recompute factors
    const leastMacs = number(base?.['macs']);
    if (base?.['macs'] !== undefined && !(leastMacs !== undefined && leastMacs > 0))
        throw broken(`baseline.macs: expected a positive count, got ${valueText(base?.['macs'])}`);
    const lowerBound = number(f.lowerBound?.['accesses']);
    if (lowerBound === undefined)
        throw broken('no lowerBound');
    if (f.chosen !== undefined && (!Number.isInteger(f.chosen) || front[f.chosen] === undefined))
        throw broken(`chosen: ${valueText(f.chosen)} is not a point`);
    if (f.budgetBytes !== undefined && !finite(f.budgetBytes))
        throw broken('budgetBytes is not a number');
    if (typeof f.network !== 'string')
        throw broken('no network name');
    if (f.space !== 'full' && f.space !== 'seed')
        throw broken(`space: expected full or seed, got ${valueText(f.space)}`);
    // absent in files older than the field: no limit, as they were searched
    const maxRecompute = f.maxRecompute ?? 'none';
    if (maxRecompute !== 'none' && !(finite(maxRecompute) && maxRecompute >= 1))
        throw broken(`maxRecompute: expected a factor of at least 1 or "none", got ${valueText(f.maxRecompute)}`);
    // absent in files written before DAG fronts: runs of the layer order, as they were searched
    if (f.segmentSets !== undefined && f.segmentSets !== 'dag' && f.segmentSets !== 'runs')
        throw broken(`segmentSets: expected "dag" or "runs", got ${valueText(f.segmentSets)}`);
    const optional = (key) => (finite(f[key]) ? { [key]: f[key] } : {});
    return {
        format: frontFormat,
        version: 1,
        network: f.network,
        space: f.space,
        elementBytes: f.elementBytes,
        front,
        baseline: {
            ...baseline,
            ...(leastMacs === undefined ? {} : { macs: leastMacs }),
        },
        lowerBound: { accesses: lowerBound },
        ...optional('maxFuse'),
        ...optional('maxFuseJoins'),
        ...optional('maxFuseOutputs'),
        ...optional('ownLevelsUpTo'),
        ...optional('maxTiledFuse'),
        maxRecompute: maxRecompute,
        ...(f.segmentSets === undefined ? {} : { segmentSets: f.segmentSets }),
        segmentsSearched: number(f.segmentsSearched) ?? Number.NaN,
        ...optional('budgetBytes'),
        ...optional('chosen'),
    };
}
//# sourceMappingURL=front.js.map