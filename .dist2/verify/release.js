// Verification of the release build: build it with -DMEMSCHED_COUNT, run it, and hold its outputs against
// the reference inference and what each buffer moved through the DRAM hooks against the model's
// predicted reads and writes (and the elements filled or computed, and MACs). The release build does not
// measure its live spans: its boxes are the predicted ones, checked by the verification build.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileProgram, InterruptedError, readOutputs, runChild } from '../codegen/build.js';
import { generateC } from '../codegen/c.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import { difference } from '../reference/compare.js';
import { comparedCounts, compareOutputs } from './verify.js';
/** The flag that makes a release program count (its default build has no counters). */
export const countFlag = '-DMEMSCHED_COUNT';
function parseCounters(text, p) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new Error(`the release program printed no counters:\n${text.slice(0, 500)}`);
    }
    if (json.format !== 'memsched.release-counters' ||
        !Array.isArray(json.segments) ||
        json.segments.length !== p.segments.length ||
        json.segments.some((s, i) => s.buffers.length !== p.segments[i].buffers.length))
        throw new Error('the release program printed counters of another shape');
    return json;
}
function judge(session, p, point, counters, outputs, buildSeconds, runSeconds) {
    const tensors = [];
    const mismatches = [];
    let predictedMacs = 0;
    let measuredMacs = 0;
    p.predicted.segments.forEach((seg, si) => {
        const m = counters.segments[si];
        seg.buffers.forEach((b, bi) => {
            const [reads, writes, filled, missing] = m.buffers[bi];
            tensors.push({ ...comparedCounts(b, si, { reads, writes, filled }, mismatches), missing });
            if (missing > 0)
                mismatches.push(`${b.id}: ${missing} demanded elements taken as present were not`);
        });
        p.segments[si].layers.forEach((l, li) => {
            const pm = seg.layerMacs[l];
            const mm = m.macs[li];
            predictedMacs += pm;
            measuredMacs += mm;
            if (pm !== mm)
                mismatches.push(`${l} MACs: measured ${mm}, predicted ${pm}`);
        });
    });
    const { mismatches: wrong, ...output } = compareOutputs(outputs, session.expected, p.outputs.map((t) => t.name), session.int8 !== undefined);
    mismatches.push(...wrong);
    const float = session.int8?.float;
    return {
        point,
        ok: mismatches.length === 0,
        output,
        ...(float
            ? { floatDifference: Math.max(...outputs.map((t, i) => difference(t, float[i]).relative)) }
            : {}),
        tensors,
        macs: { predicted: predictedMacs, measured: measuredMacs },
        buildSeconds,
        runSeconds,
        mismatches,
    };
}
function failed(p, point, error, buildSeconds = 0) {
    return {
        point,
        ok: false,
        output: { maxAbsError: null, maxRelError: null },
        tensors: [],
        macs: { predicted: p.predicted.macs, measured: null },
        buildSeconds,
        runSeconds: 0,
        mismatches: [error.split('\n')[0]],
        error,
    };
}
/**
 * Generates the release build of one schedule, builds it counting (-DMEMSCHED_COUNT), runs it and
 * judges it. Never rejects for a failing build or run (see `error`); aborting `signal` rejects.
 */
export async function verifyRelease(session, sched, point, options = {}) {
    const p = generateC(session.net, sched, checkAndEvaluate(session.net, sched), {
        weights: false,
        release: true,
        ...(session.int8 ? { int8: session.int8.network } : {}),
    });
    const dir = mkdtempSync(join(session.dir, `release-${point ?? 'schedule'}-`));
    const stopped = (e) => options.signal?.aborted === true || e instanceof InterruptedError;
    try {
        const source = join(dir, `${p.name}.c`);
        const exe = join(dir, p.name);
        writeFileSync(source, p.source);
        let buildSeconds;
        try {
            buildSeconds = (await compileProgram(source, exe, {
                extraFlags: [countFlag, ...(options.extraFlags ?? [])],
                ...(options.signal ? { signal: options.signal } : {}),
            })).seconds;
        }
        catch (e) {
            if (stopped(e))
                throw e;
            return failed(p, point, e.message);
        }
        const output = join(dir, 'output.bin');
        const t0 = process.hrtime.bigint();
        try {
            const r = await runChild(exe, [session.weightsFile, session.inputFile, output], options.signal);
            const runSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
            if (r.status !== 0)
                throw new Error(`${exe} failed (exit ${r.status ?? r.signal}):\n${r.stderr.slice(0, 4000)}`);
            return judge(session, p, point, parseCounters(r.stdout, p), readOutputs(output, p), buildSeconds, runSeconds);
        }
        catch (e) {
            if (stopped(e))
                throw e;
            return failed(p, point, e.message, buildSeconds);
        }
    }
    finally {
        if (!options.keep)
            rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=release.js.map