// What several commands share: flag parsing, the model, the element width and budget flags, reading a
// schedule or a front point, and the search with its progress bar.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { explore } from '../dse/explore.js';
import { bestWithin } from '../dse/pareto.js';
import { frontFileOfJson, frontOfJson, isFront, pointOfFront } from '../formats/front.js';
import { jsonErrorText, valueText } from '../formats/json.js';
import { scheduleOfJson } from '../formats/schedule.js';
import { InputError } from '../ir/errors.js';
import { bytesText, parseBytes } from '../report/units.js';
import { progressBar } from './output.js';
export function parse(args, options) {
    try {
        const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
        return { flags: values, positionals };
    }
    catch (e) {
        const message = e.message;
        const dash = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
        if (dash)
            throw new InputError(`${dash[1]}: a value starting with '-' is written ${dash[1]}=VALUE`);
        throw new InputError(message.split('\n')[0].replace(/\. To specify a positional.*$/, ''));
    }
}
export function oneModel(positionals, command) {
    if (positionals.length !== 1)
        throw new InputError(`'${command}' takes one model (a .onnx, .prototxt or zoo:NAME), got ${positionals.length}`);
    return positionals[0];
}
export function widthFlag(flag) {
    if (flag === undefined)
        return undefined;
    if (flag !== '1' && flag !== '2' && flag !== '4')
        throw new InputError(`--width: expected 1, 2 or 4, got '${flag}'`);
    return Number(flag);
}
export function budgetFlag(flag) {
    if (flag === undefined)
        return undefined;
    const budget = typeof flag === 'string' ? parseBytes(flag) : undefined;
    if (budget === undefined)
        throw new InputError(`--budget: expected a size like 256KiB, got '${flag}'`);
    return budget;
}
export function pointFlag(flag) {
    if (flag === undefined)
        return undefined;
    const n = Number(flag);
    if (typeof flag !== 'string' || !/^\d+$/.test(flag) || !Number.isSafeInteger(n))
        throw new InputError(`--point: expected a point number, got '${flag}'`);
    return n;
}
/** The front's point with the fewest accesses within the budget; refused when there is none. */
export function chooseForBudget(front, budget) {
    const best = bestWithin(front.front, budget);
    if (best === undefined)
        throw new InputError(`--budget: ${bytesText(budget)} is below the smallest feasible schedule (${bytesText(front.front[0].bytes)})`);
    return front.front.indexOf(best);
}
/** A JSON file's text; a missing file, a folder or an unreadable one is a one-line error. */
export function readJsonText(file) {
    if (!existsSync(file))
        throw new InputError('no such file', { file });
    if (statSync(file).isDirectory())
        throw new InputError('is a folder, expected a JSON file', { file });
    try {
        return readFileSync(file, 'utf8');
    }
    catch (e) {
        throw new InputError(`cannot read: ${e.code ?? e.message}`, {
            file,
        });
    }
}
/** A file's JSON, or the parser's message (one line) when it is not JSON. */
function readJson(file) {
    const text = readJsonText(file);
    try {
        return { json: JSON.parse(text) };
    }
    catch (e) {
        return { error: jsonErrorText(e) };
    }
}
function checkedFront(json, file) {
    try {
        return frontOfJson(json);
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(file) : e;
    }
}
/** A front file's JSON, checked as far as every reader needs (frontOfJson). */
export function readFrontJson(file) {
    const r = readJson(file);
    if ('error' in r)
        throw new InputError(`not a front file (not JSON: ${r.error})`, { file });
    return checkedFront(r.json, file);
}
/** Point `point` of a front file's checked JSON; errors name the file and the point. */
export function frontSchedule(json, point, file) {
    try {
        return pointOfFront(json, point);
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(file) : e;
    }
}
/**
 * A schedule file, or a point of a front file (by default the point chosen for its budget). A file that
 * is not JSON is named as such: as a front file when `--point` says one was meant.
 */
export function readScheduleFile(file, point) {
    const r = readJson(file);
    if ('error' in r)
        throw new InputError(point === undefined ? `not valid JSON: ${r.error}` : `not a front file (not JSON: ${r.error})`, { file });
    if (isFront(r.json)) {
        const json = checkedFront(r.json, file);
        const schedule = frontSchedule(json, point, file);
        return { schedule, point: point ?? json['chosen'], file, frontNetwork: json['network'] };
    }
    if (point !== undefined)
        throw new InputError('--point applies to front files (written by explore -o)');
    try {
        return { schedule: scheduleOfJson(r.json), point: null, file };
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(file) : e;
    }
}
/** A schedule or front written for another network is refused, naming the file. */
export function checkNetwork(read, net) {
    const front = read.frontNetwork;
    if (front !== undefined && front !== net.name)
        throw new InputError(typeof front === 'string'
            ? `the front is of network '${front}', not '${net.name}'`
            : `network: expected the network name, got ${valueText(front)}`, { file: read.file });
    if (read.schedule.network !== net.name)
        throw new InputError(`${read.point === null ? '' : `point ${read.point}: `}network: the schedule is for '${read.schedule.network}', not '${net.name}'`, { file: read.file });
}
/**
 * A front file written by `explore -o`, checked as far as a plot or report reads it (not its schedules),
 * and copied field by field (frontFileOfJson).
 */
export function readFront(file) {
    const json = readFrontJson(file);
    try {
        return frontFileOfJson(json);
    }
    catch (e) {
        throw e instanceof InputError ? e.inFile(file) : e;
    }
}
/** The search, with a progress bar on a terminal. */
export async function exploreWithProgress(net, options) {
    const tty = process.stderr.isTTY;
    const result = await explore(net, {
        ...options,
        progress: (done, total) => {
            if (tty)
                process.stderr.write(`\r${progressBar(done, total)} segments searched `);
        },
    });
    if (tty)
        process.stderr.write('\r\x1b[K');
    return result;
}
//# sourceMappingURL=common.js.map