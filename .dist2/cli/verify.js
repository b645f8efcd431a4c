// `memsched verify`: generate, build and run schedules; outputs against the reference inference, measured
// DRAM traffic, scratchpad and MACs against the model's prediction. Exit code 1 on any difference.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { compileCommandText } from '../codegen/build.js';
import { programName, runnableNetwork } from '../codegen/c.js';
import { generateHalide, generatorCommand, runnerCommand } from '../codegen/halide.js';
import { halideInstalled } from '../codegen/halide-build.js';
import { verifyFileText, verifyFormat } from '../formats/verify.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { elements, shapeText } from '../ir/network.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import { checkSchedule } from '../model/validate.js';
import { defaultTolerance } from '../reference/compare.js';
import { refuseInt8Network } from '../reference/int8.js';
import { float32Values, readImage } from '../reference/io.js';
import { grouped, renderTable } from '../report/table.js';
import { bytesText } from '../report/units.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { verifyHalideSchedule } from '../verify/halide.js';
import { closeSession, defaultInputs, int8Session, openSession, verifySchedule } from '../verify/verify.js';
import { checkNetwork, frontSchedule, oneModel, pointFlag, readFrontJson, readScheduleFile, } from './common.js';
import { progressBar } from './output.js';
import { verifyReleaseRun } from './verify-release.js';
export const verifyCommand = {
    name: 'verify',
    usage: `  verify <model>      generate, build and run schedules: outputs against the reference, measured DRAM
                      traffic, scratchpad and MACs against the prediction; exit code 1 on any difference
      --schedule FILE   a schedule or front file (with --point N), or
      --front FILE      a front file, with --points all|N[,M...] (default all)
      --input FILE      a PNG, or raw float32 of the network's inputs (default: seeded values in [0, 1))
      --json            print the result as JSON (format: docs/verify-format.md)
      -o FILE           write the result as JSON
      --sanitize        build with AddressSanitizer and UBSan (unoptimised: slow, for checking)
      --release         check the release build instead (codegen --release, built counting): outputs,
                        and DRAM reads and writes through its hooks against the prediction
      --int8            check the int8 release build (codegen --int8): outputs equal to the int8 reference
                        inference's element for element, DRAM transfers as predicted; the difference to
                        the float reference reported
      --calibrate FILE  with --int8: the calibration input (as --input; default: the input the run uses)
      --cflags=FLAGS    more compiler flags after memsched's (e.g. --cflags="-O3 -march=native"; CC picks
                        the compiler)
      --target c|halide the backend (default c); halide needs Halide 14 (libhalide14-0-dev) and g++ (CXX
                        picks another): DRAM accesses counted by tracing the copy stages`,
    flags: {
        schedule: { type: 'string' },
        point: { type: 'string' },
        front: { type: 'string' },
        points: { type: 'string' },
        input: { type: 'string' },
        json: { type: 'boolean' },
        o: { type: 'string', short: 'o' },
        sanitize: { type: 'boolean' },
        release: { type: 'boolean' },
        int8: { type: 'boolean' },
        calibrate: { type: 'string' },
        cflags: { type: 'string' },
        target: { type: 'string' },
    },
    run: verify,
};
/** --cflags: more compiler arguments after memsched's own (a later -O wins); the output stays memsched's. */
function extraFlags(flags) {
    const text = flags['cflags'];
    if (text === undefined)
        return [];
    if (typeof text !== 'string')
        throw new InputError('--cflags: expected compiler flags, like "-O3 -march=native"');
    const list = text.split(/\s+/).filter((f) => f !== '');
    const bad = list.find((f) => !f.startsWith('-') || /^-o/.test(f));
    if (bad !== undefined)
        throw new InputError(`--cflags: '${bad}' is not a compiler flag memsched can pass (flags start with '-'; the output file is memsched's)`);
    return list;
}
function pointList(text, count) {
    if (text === 'all')
        return Array.from({ length: count }, (_, i) => i);
    const list = text.split(',').map((t) => t.trim());
    return list.map((t) => {
        if (!/^\d+$/.test(t))
            throw new InputError(`--points: expected all or point numbers like 0,5,12, got '${text}'`);
        const n = Number(t);
        if (n >= count)
            throw new InputError(`--points: ${n} is not a point of this front (0..${count - 1})`);
        return n;
    });
}
function chooseSchedules(flags) {
    const file = flags['schedule'];
    const front = flags['front'];
    if ((typeof file === 'string') === (typeof front === 'string'))
        throw new InputError("'verify' needs exactly one of --schedule FILE or --front FILE");
    if (typeof file === 'string') {
        if (flags['points'] !== undefined)
            throw new InputError('--points applies to --front FILE');
        return [readScheduleFile(file, pointFlag(flags['point']))];
    }
    if (flags['point'] !== undefined)
        throw new InputError('--point applies to --schedule FILE; use --points');
    const json = readFrontJson(front);
    const count = Array.isArray(json['front']) ? json['front'].length : 0;
    if (count === 0)
        throw new InputError('front: expected a non-empty list of points', { file: front });
    const points = pointList(typeof flags['points'] === 'string' ? flags['points'] : 'all', count);
    return points.map((i) => ({
        point: i,
        schedule: frontSchedule(json, i, front),
        file: front,
        frontNetwork: json['network'],
    }));
}
/** The C compiler must be there before anything is built. */
function checkCompiler() {
    const cc = process.env['CC'] ?? 'cc';
    const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0)
        throw new InputError(`cannot run the C compiler '${cc}' (set CC to choose another)`);
    return cc;
}
const pngSignature = [0x89, 0x50, 0x4e, 0x47];
/** A PNG for a one-input network, or a raw float32 file holding every input one after the other. */
export function readInputs(net, file) {
    let bytes;
    try {
        bytes = readFileSync(file);
    }
    catch (e) {
        const code = e.code;
        throw new InputError(`cannot read the file: ${code === 'ENOENT' ? 'no such file' : code}`, { file });
    }
    if (pngSignature.every((b, i) => bytes[i] === b)) {
        if (net.inputs.length !== 1)
            throw new InputError(`the network has ${net.inputs.length} inputs; give them as one raw float32 file`, {
                file,
            });
        return [readImage(file, net.inputs[0].shape)];
    }
    const total = net.inputs.reduce((n, t) => n + elements(t.shape), 0);
    if (bytes.length !== total * 4)
        throw new InputError(`holds ${bytes.length} bytes; the network's inputs (${net.inputs.map((t) => shapeText(t.shape)).join(', ')}) need ${total * 4} as float32, or a PNG`, { file });
    let at = 0;
    return net.inputs.map((t) => {
        const data = float32Values(bytes, at, elements(t.shape), file);
        at += 4 * data.length;
        return { shape: t.shape, data };
    });
}
function pointName(p) {
    return p.point === null ? 'schedule' : `point ${p.point}`;
}
function sameText(measured, predicted, text) {
    return measured === predicted
        ? `${text(measured)} = predicted`
        : `${text(measured)} measured vs ${text(predicted)} predicted`;
}
function pointLine(p) {
    if (p.error !== undefined)
        return `${pointName(p)}: FAILED  ${p.mismatches[0]}`;
    const error = (e) => (e === null ? 'not a number' : e.toExponential(2));
    const reads = p.tensors.reduce((n, t) => n + t.measuredReads, 0);
    const writes = p.tensors.reduce((n, t) => n + t.measuredWrites, 0);
    const pReads = p.tensors.reduce((n, t) => n + t.predictedReads, 0);
    const pWrites = p.tensors.reduce((n, t) => n + t.predictedWrites, 0);
    return [
        `${pointName(p)}: ${p.ok ? 'ok' : 'MISMATCH'}`,
        `output max |error| ${error(p.output.maxAbsError)} (relative ${error(p.output.maxRelError)})`,
        `DRAM reads ${sameText(reads, pReads, grouped)}, writes ${sameText(writes, pWrites, grouped)}`,
        `scratchpad ${sameText(p.scratchpadBytes.measured, p.scratchpadBytes.predicted, bytesText)}`,
        `MACs ${sameText(p.macs.measured, p.macs.predicted, grouped)}`,
        `build ${p.buildSeconds.toFixed(1)} s, run ${p.runSeconds.toFixed(1)} s`,
    ].join('; ');
}
function bufferTable(p) {
    const rows = p.tensors.map((t) => [
        t.buffer,
        t.role,
        grouped(t.predictedReads),
        grouped(t.measuredReads),
        grouped(t.predictedWrites),
        grouped(t.measuredWrites),
        grouped(t.predictedBytes),
        grouped(t.measuredBytes),
    ]);
    return renderTable([
        'buffer',
        'role',
        'reads predicted',
        'measured',
        'writes predicted',
        'measured',
        'bytes predicted',
        'measured',
    ], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']);
}
/** Per segment of a Halide point: its counts equal to the model's, or how many differ. */
function segmentLines(p) {
    if (p.error !== undefined)
        return [];
    const segments = [...new Set(p.tensors.map((t) => t.segment))];
    return segments.map((si) => {
        const differ = p.mismatches.filter((m) => m.startsWith(`segment ${si} `)).length;
        return `  segment ${si}: ${differ === 0 ? 'counts equal to the model' : `${differ} counts differ from the model`}`;
    });
}
function reportText(file, own, inputNote, halide) {
    const lines = [
        `memsched verify ${file.network}: ${file.points.length} schedule${file.points.length === 1 ? '' : 's'}, ${file.elementBytes}-byte elements; weights ${own ? "the model's own" : 'seeded (the model has none)'}; input ${inputNote}`,
        halide
            ? "each schedule generated as Halide, built with its copy stages traced, run; outputs against the reference inference, DRAM accesses counted from the copy stages' stores and computed elements from each layer's stores, against the model (scratchpad: Halide's largest realization of each buffer, before its storage folding; shown, not compared)"
            : 'each schedule generated as C, built, run; outputs against the reference inference, counts measured by the program against the model',
        `built with: ${file.build}`,
        '',
    ];
    const tables = file.points.length <= 5;
    for (const p of file.points) {
        lines.push(pointLine(p));
        if (halide)
            lines.push(...segmentLines(p));
        // a failed point: what the compiler or program said; otherwise every number that differs
        const said = p.error?.split('\n').slice(1) ?? p.mismatches;
        const more = said.filter((l) => l.trim() !== '');
        for (const m of more.slice(0, 20))
            lines.push(`  ${m}`);
        if (more.length > 20)
            lines.push(`  ... ${more.length - 20} more`);
        if (tables && p.error === undefined)
            lines.push(bufferTable(p), '');
    }
    const bad = file.points.filter((p) => !p.ok).length;
    lines.push(...(tables ? [] : ['']), bad === 0
        ? `all ${file.points.length} verified: outputs within ${defaultTolerance} (relative) of the reference, every measured count equal to the prediction`
        : `${bad} of ${file.points.length} FAILED verification`);
    return lines.join('\n');
}
/** `memsched verify <model> --schedule FILE [--point N] | --front FILE [--points all|N,M] ...` */
async function verify(flags, positionals) {
    const model = oneModel(positionals, 'verify');
    const chosen = chooseSchedules(flags);
    const out = flags['o'];
    if (typeof out === 'string')
        checkWritable(out);
    const loaded = loadNetwork(model);
    for (const c of chosen)
        checkNetwork(c, loaded);
    const net = runnableNetwork(loaded);
    for (const c of chosen)
        try {
            checkSchedule(net, c.schedule);
        }
        catch (e) {
            throw e instanceof InputError ? e.inFile(c.file) : e;
        }
    const widths = new Set(chosen.map((c) => c.schedule.elementBytes));
    if (widths.size > 1)
        throw new InputError('the chosen points have different element widths');
    const target = flags['target'] ?? 'c';
    if (target !== 'c' && target !== 'halide')
        throw new InputError(`--target: expected c or halide, got '${target}'`);
    const halide = target === 'halide';
    const int8 = flags['int8'] === true;
    const release = flags['release'] === true || int8;
    if (release && halide)
        throw new InputError(`--${int8 ? 'int8' : 'release'}: a build of the C backend, not of --target halide`);
    const calibrate = flags['calibrate'];
    if (calibrate !== undefined && !int8)
        throw new InputError('--calibrate: a setting of --int8');
    if (int8)
        refuseInt8Network(net);
    if (halide) {
        if (flags['sanitize'] || flags['cflags'] !== undefined)
            throw new InputError('--sanitize and --cflags apply to --target c');
        if (!halideInstalled())
            throw new InputError('--target halide: Halide 14 is not installed (Debian: apt-get install libhalide14-0-dev)');
        // refusals before the reference inference
        for (const c of chosen)
            try {
                generateHalide(net, c.schedule, checkAndEvaluate(net, c.schedule), { weights: false });
            }
            catch (e) {
                throw e instanceof InputError ? e.inFile(c.file) : e;
            }
    }
    const inputFile = flags['input'];
    const inputs = typeof inputFile === 'string' ? readInputs(net, inputFile) : defaultInputs(net);
    const calibration = typeof calibrate === 'string' ? readInputs(net, calibrate) : inputs;
    const build = { sanitize: Boolean(flags['sanitize']), extraFlags: extraFlags(flags) };
    if (release && build.sanitize)
        throw new InputError('--sanitize applies to the verification build, not to --release');
    if (!halide)
        checkCompiler();
    const tty = process.stderr.isTTY && !flags['json'];
    // a signal exits at once (signals.ts): during the inference no file exists yet, after it the session's go
    const session = await openSession(net, inputs, {
        onLayer: (done, total) => {
            if (tty)
                process.stderr.write(`\r${progressBar(done, total)} layers of the reference inference `);
        },
    }).catch((e) => {
        throw e instanceof InputError && typeof inputFile === 'string' ? e.inFile(inputFile) : e;
    });
    if (tty)
        process.stderr.write('\r\x1b[K');
    const cleanup = () => closeSession(session);
    process.once('exit', cleanup);
    if (release)
        try {
            const run = int8
                ? await int8Session(session, inputs, calibration).catch((e) => {
                    throw e instanceof InputError && typeof calibrate === 'string' ? e.inFile(calibrate) : e;
                })
                : session;
            const calibrated = int8
                ? `; int8 scales calibrated on ${typeof calibrate === 'string' ? calibrate : 'that input'}`
                : '';
            return await verifyReleaseRun(run, chosen, build.extraFlags, {
                json: Boolean(flags['json']),
                ...(typeof out === 'string' ? { file: out } : {}),
                heading: `memsched verify --${int8 ? 'int8' : 'release'} ${net.name}: ${chosen.length} schedule${chosen.length === 1 ? '' : 's'}, ${chosen[0].schedule.elementBytes}-byte elements; weights ${net === loaded ? "the model's own" : 'seeded (the model has none)'}; input ${typeof inputFile === 'string' ? inputFile : 'seeded uniform [0, 1) (no --input)'}${calibrated}`,
            });
        }
        finally {
            process.off('exit', cleanup);
            closeSession(session);
        }
    const points = [];
    try {
        for (const [i, c] of chosen.entries()) {
            if (tty && chosen.length > 1)
                process.stderr.write(`\rverifying ${i + 1} of ${chosen.length} (${c.point === null ? 'schedule' : `point ${c.point}`}) `);
            points.push(halide
                ? verifyHalideSchedule(session, c.schedule, c.point)
                : await verifySchedule(session, c.schedule, c.point, build));
        }
    }
    finally {
        if (tty && chosen.length > 1)
            process.stderr.write('\r\x1b[K');
        process.off('exit', cleanup);
        closeSession(session);
    }
    const file = {
        format: verifyFormat,
        version: 1,
        network: net.name,
        elementBytes: chosen[0].schedule.elementBytes,
        tolerance: defaultTolerance,
        build: halide
            ? [
                generatorCommand(process.env['CXX'] ?? 'g++').join(' '),
                './generator . --trace',
                runnerCommand(process.env['CXX'] ?? 'g++', programName(net.name), ['seg*.a']).join(' '),
            ].join('; ')
            : compileCommandText(programName(net.name), build),
        points,
    };
    const json = verifyFileText(file);
    if (typeof out === 'string')
        writeFileAtomic(out, json);
    if (flags['json'])
        process.stdout.write(json);
    else
        console.log(reportText(file, net === loaded, typeof inputFile === 'string' ? inputFile : 'seeded uniform [0, 1) (no --input)', halide));
    return points.every((p) => p.ok) ? 0 : 1;
}
//# sourceMappingURL=verify.js.map