// `memsched verify --release`: the release build of each schedule, built counting (-DMEMSCHED_COUNT) and
// run; outputs against the reference inference, what each buffer moved through the DRAM hooks against the
// model's predicted reads and writes. The JSON (`memsched.release-verify`) is described in docs/release-c.md.
import { compileCommandText } from '../codegen/build.js';
import { programName } from '../codegen/c.js';
import { defaultTolerance } from '../reference/compare.js';
import { grouped, renderTable } from '../report/table.js';
import { writeFileAtomic } from '../util/files.js';
import { countFlag, verifyRelease } from '../verify/release.js';
function pointName(p) {
    return p.point === null ? 'schedule' : `point ${p.point}`;
}
function same(measured, predicted) {
    return measured === predicted
        ? `${grouped(predicted)} = predicted`
        : `${measured === null ? '-' : grouped(measured)} measured vs ${grouped(predicted)} predicted`;
}
function pointLines(p, table) {
    if (p.error !== undefined)
        return [
            `${pointName(p)}: FAILED  ${p.mismatches[0]}`,
            ...p.error
                .split('\n')
                .slice(1, 21)
                .map((l) => `  ${l}`),
        ];
    const error = (e) => (e === null ? 'not a number' : e.toExponential(2));
    const sum = (f) => p.tensors.reduce((n, t) => n + f(t), 0);
    const lines = [
        [
            `${pointName(p)}: ${p.ok ? 'ok' : 'MISMATCH'}`,
            p.floatDifference === undefined
                ? `output max |error| ${error(p.output.maxAbsError)} (relative ${error(p.output.maxRelError)})`
                : `outputs ${p.output.maxAbsError === 0 ? 'equal to' : `max |error| ${error(p.output.maxAbsError)} from`} the int8 reference's (their difference to the float reference: ${error(p.floatDifference)} relative)`,
            `DRAM reads ${same(sum((t) => t.measuredReads), sum((t) => t.predictedReads))}, writes ${same(sum((t) => t.measuredWrites), sum((t) => t.predictedWrites))}`,
            `MACs ${same(p.macs.measured, p.macs.predicted)}`,
            `build ${p.buildSeconds.toFixed(1)} s, run ${p.runSeconds.toFixed(1)} s`,
        ].join('; '),
        ...p.mismatches.slice(0, 20).map((m) => `  ${m}`),
    ];
    if (table)
        lines.push(renderTable(['buffer', 'role', 'reads predicted', 'measured', 'writes predicted', 'measured'], p.tensors.map((t) => [
            t.buffer,
            t.role,
            grouped(t.predictedReads),
            grouped(t.measuredReads),
            grouped(t.predictedWrites),
            grouped(t.measuredWrites),
        ]), ['left', 'left', 'right', 'right', 'right', 'right']), '');
    return lines;
}
/** Verifies the chosen schedules' release builds in `session`; prints (or writes) the result; the exit code. */
export async function verifyReleaseRun(session, chosen, extraFlags, output) {
    const points = [];
    for (const c of chosen)
        points.push(await verifyRelease(session, c.schedule, c.point, { extraFlags }));
    const build = compileCommandText(programName(session.net.name), { extraFlags: [countFlag, ...extraFlags] });
    const int8 = session.int8 !== undefined;
    const json = `${JSON.stringify({
        format: 'memsched.release-verify',
        version: 1,
        network: session.net.name,
        elementBytes: chosen[0].schedule.elementBytes,
        ...(int8 ? { int8: true } : {}),
        tolerance: int8 ? 0 : defaultTolerance,
        build,
        points,
    }, null, 2)}\n`;
    if (output.file !== undefined)
        writeFileAtomic(output.file, json);
    if (output.json)
        process.stdout.write(json);
    else {
        const bad = points.filter((p) => !p.ok).length;
        console.log([
            output.heading,
            int8
                ? 'each schedule generated as the int8 release build, built counting (-DMEMSCHED_COUNT), run; outputs against the int8 reference inference (docs/int8.md), element for element, DRAM transfers through the hooks against the model'
                : 'each schedule generated as the release build, built counting (-DMEMSCHED_COUNT), run; outputs against the reference inference, DRAM transfers through the hooks against the model (computed and stored as float32)',
            `built with: ${build}`,
            '',
            ...points.flatMap((p) => pointLines(p, points.length <= 5)),
            bad === 0
                ? `all ${points.length} verified: outputs ${int8 ? "equal to the int8 reference's" : `within ${defaultTolerance} (relative) of the reference`}, every DRAM transfer as predicted`
                : `${bad} of ${points.length} FAILED verification`,
        ].join('\n'));
    }
    return points.every((p) => p.ok) ? 0 : 1;
}
//# sourceMappingURL=verify-release.js.map