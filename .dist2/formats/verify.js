// The verify file (`memsched.verify`, written by `memsched verify`, read by the HTML report): per point,
// what the generated program measured against what the model predicted. docs/verify-format.md documents it.
// A reader checks the fields it shows; a bad file is one line naming the field. A measurement that could
// not be made (a program that failed) is null.
import { InputError } from '../ir/errors.js';
import { jsonErrorText, valueText } from './json.js';
export const verifyFormat = 'memsched.verify';
/** A verify file's text, as memsched verify writes it. */
export const verifyFileText = (file) => `${JSON.stringify(file, null, 1)}\n`;
function fail(path, message) {
    throw new InputError(`${path}: ${message}`);
}
function object(v, path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        fail(path, 'expected an object');
    return v;
}
/** A value for an error message, whatever its size and nesting. */
const shown = (v) => (v === undefined ? 'nothing' : valueText(v));
const field = (path, key) => (path === '' ? key : `${path}.${key}`);
function number(o, key, path) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        fail(field(path, key), `expected a number >= 0, got ${shown(v)}`);
    return v;
}
/** An output error: null when an output was not a number. */
function outputError(o, key, path) {
    return o[key] === null ? null : number(o, key, path);
}
function string(o, key, path) {
    const v = o[key];
    if (typeof v !== 'string')
        fail(field(path, key), `expected a string, got ${shown(v)}`);
    return v;
}
function pair(o, key, path) {
    const p = object(o[key], `${path}.${key}`);
    return {
        predicted: number(p, 'predicted', `${path}.${key}`),
        measured: number(p, 'measured', `${path}.${key}`),
    };
}
function parsePoint(v, path) {
    const o = object(v, path);
    const point = o['point'];
    if (point !== null && (typeof point !== 'number' || !Number.isInteger(point) || point < 0))
        fail(`${path}.point`, `expected a point number or null, got ${shown(point)}`);
    if (typeof o['ok'] !== 'boolean')
        fail(`${path}.ok`, 'expected true or false');
    const mismatches = o['mismatches'] ?? [];
    if (!Array.isArray(mismatches) || mismatches.some((m) => typeof m !== 'string'))
        fail(`${path}.mismatches`, 'expected a list of strings');
    const error = o['error'];
    const common = {
        point,
        buildSeconds: number(o, 'buildSeconds', path),
        runSeconds: number(o, 'runSeconds', path),
        mismatches: mismatches,
    };
    const predicted = (key) => {
        const p = object(o[key], `${path}.${key}`);
        return { predicted: number(p, 'predicted', `${path}.${key}`), measured: null };
    };
    // a program that could not be built or run measured nothing
    if (error !== undefined) {
        if (typeof error !== 'string')
            fail(`${path}.error`, 'expected a string');
        return {
            ...common,
            ok: false,
            output: { maxAbsError: null, maxRelError: null },
            tensors: [],
            macs: predicted('macs'),
            scratchpadBytes: predicted('scratchpadBytes'),
            error,
        };
    }
    const out = object(o['output'], `${path}.output`);
    const tensors = o['tensors'];
    if (!Array.isArray(tensors))
        fail(`${path}.tensors`, 'expected a list');
    return {
        ...common,
        ok: o['ok'],
        output: {
            maxAbsError: outputError(out, 'maxAbsError', `${path}.output`),
            maxRelError: outputError(out, 'maxRelError', `${path}.output`),
        },
        tensors: tensors.map((t, i) => {
            const p = `${path}.tensors[${i}]`;
            const r = object(t, p);
            return {
                buffer: string(r, 'buffer', p),
                tensor: string(r, 'tensor', p),
                predictedReads: number(r, 'predictedReads', p),
                measuredReads: number(r, 'measuredReads', p),
                predictedWrites: number(r, 'predictedWrites', p),
                measuredWrites: number(r, 'measuredWrites', p),
            };
        }),
        macs: pair(o, 'macs', path),
        scratchpadBytes: pair(o, 'scratchpadBytes', path),
    };
}
/** Parses a verify file's text; errors name the field (the caller adds the file). */
export function parseVerify(text) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch (e) {
        throw new InputError(`not a verify file (not JSON: ${jsonErrorText(e)})`);
    }
    if (typeof json !== 'object' ||
        json === null ||
        json['format'] !== verifyFormat)
        throw new InputError(`not a verify file (format '${verifyFormat}', written by memsched verify)`);
    const o = json;
    if (o['version'] !== 1)
        fail('version', `expected 1, got ${shown(o['version'])}`);
    const w = o['elementBytes'];
    if (w !== 1 && w !== 2 && w !== 4)
        fail('elementBytes', `expected 1, 2 or 4, got ${shown(w)}`);
    const points = o['points'];
    if (!Array.isArray(points))
        fail('points', 'expected a list');
    return {
        format: verifyFormat,
        version: 1,
        network: string(o, 'network', ''),
        elementBytes: w,
        points: points.map((p, i) => parsePoint(p, `points[${i}]`)),
    };
}
//# sourceMappingURL=verify.js.map