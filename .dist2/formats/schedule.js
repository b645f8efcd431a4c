// Schedule files (`memsched.schedule`, docs/schedule-format.md): their JSON read into a NetworkSchedule,
// field by field; every error is one line naming the field. `checkSchedule` (model/validate.ts) then
// checks the schedule against its network.
import { InputError } from '../ir/errors.js';
import { loopNames, scheduleFormat, scheduleVersion, warmupLoops } from '../model/schedule.js';
import { jsonErrorText, valueText } from './json.js';
function fail(path, message) {
    throw new InputError(`${path}: ${message}`);
}
function object(v, path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
        fail(path, 'expected an object');
    return v;
}
function onlyKeys(o, keys, path) {
    for (const k of Object.keys(o))
        if (!keys.includes(k))
            fail(`${path}.${k}`, `unknown field (expected ${keys.join(', ')})`);
}
function integer(v, path) {
    if (typeof v !== 'number' || !Number.isInteger(v))
        fail(path, `expected an integer, got ${valueText(v)}`);
    return v;
}
function level(v, path) {
    if (v !== 'root' && !loopNames.includes(v))
        fail(path, `expected one of root, ${loopNames.join(', ')}, got ${valueText(v)}`);
    return v;
}
function parseSegment(v, path) {
    const o = object(v, path);
    onlyKeys(o, ['layers', 'tile', 'order', 'warmup', 'strips', 'buffers'], path);
    if (!Array.isArray(o['layers']) || o['layers'].some((n) => typeof n !== 'string'))
        fail(`${path}.layers`, 'expected a list of layer names');
    const t = object(o['tile'], `${path}.tile`);
    onlyKeys(t, [...loopNames], `${path}.tile`);
    const tile = {
        x: integer(t['x'], `${path}.tile.x`),
        y: integer(t['y'], `${path}.tile.y`),
        zo: integer(t['zo'], `${path}.tile.zo`),
        zi: integer(t['zi'], `${path}.tile.zi`),
    };
    const order = o['order'];
    if (!Array.isArray(order) || order.length !== 4 || !loopNames.every((l) => order.includes(l)))
        fail(`${path}.order`, `expected the four loops ${loopNames.join(', ')} in some order, got ${valueText(order)}`);
    const b = object(o['buffers'], `${path}.buffers`);
    const buffers = {};
    for (const [id, lv] of Object.entries(b)) {
        const p = `${path}.buffers["${id}"]`;
        const l = object(lv, p);
        onlyKeys(l, ['store', 'fill', 'raster'], p);
        buffers[id] = { store: level(l['store'], `${p}.store`), fill: level(l['fill'], `${p}.fill`) };
        if (l['raster'] !== undefined) {
            if (l['raster'] !== true)
                fail(`${p}.raster`, `expected true (leave it out for a box), got ${valueText(l['raster'])}`);
            buffers[id].raster = true;
        }
    }
    const s = {
        layers: o['layers'],
        tile,
        order: order,
        buffers,
    };
    if (o['warmup'] !== undefined) {
        const w = object(o['warmup'], `${path}.warmup`);
        onlyKeys(w, [...warmupLoops], `${path}.warmup`);
        const warmup = {};
        for (const l of warmupLoops) {
            if (w[l] === undefined)
                continue;
            const n = integer(w[l], `${path}.warmup.${l}`);
            if (n < 1)
                fail(`${path}.warmup.${l}`, `expected at least 1 warm-up iteration (leave the loop out for none), got ${n}`);
            warmup[l] = n;
        }
        s.warmup = warmup;
    }
    if (o['strips'] !== undefined) {
        const st = object(o['strips'], `${path}.strips`);
        onlyKeys(st, ['x'], `${path}.strips`);
        const x = integer(st['x'], `${path}.strips.x`);
        if (x < 1)
            fail(`${path}.strips.x`, `expected at least 1 column per strip, got ${x}`);
        s.strips = { x };
    }
    return s;
}
/** Parses the JSON of a schedule file (structure only; `checkSchedule` checks it against a network). */
export function parseSchedule(text) {
    let v;
    try {
        v = JSON.parse(text);
    }
    catch (e) {
        throw new InputError(`not valid JSON: ${jsonErrorText(e)}`);
    }
    return scheduleOfJson(v);
}
/** A schedule from parsed JSON (a schedule file's, or a point's of a front file), checked as parseSchedule does. */
export function scheduleOfJson(v) {
    const o = object(v, 'schedule');
    onlyKeys(o, ['format', 'version', 'network', 'elementBytes', 'segments'], 'schedule');
    if (o['format'] !== scheduleFormat)
        fail('format', `expected "${scheduleFormat}", got ${valueText(o['format'])}`);
    if (o['version'] !== scheduleVersion)
        fail('version', `this memsched reads version ${scheduleVersion}, got ${valueText(o['version'])}`);
    if (typeof o['network'] !== 'string')
        fail('network', 'expected the network name');
    const w = o['elementBytes'];
    if (w !== 1 && w !== 2 && w !== 4)
        fail('elementBytes', `expected 1, 2 or 4, got ${valueText(w)}`);
    if (!Array.isArray(o['segments']) || o['segments'].length === 0)
        fail('segments', 'expected a non-empty list');
    return {
        format: scheduleFormat,
        version: scheduleVersion,
        network: o['network'],
        elementBytes: w,
        segments: o['segments'].map((s, i) => parseSegment(s, `segments[${i}]`)),
    };
}
//# sourceMappingURL=schedule.js.map