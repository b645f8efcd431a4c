// Verification of a schedule through the Halide backend: generate the Halide program, build it with the
// copy stages traced, run it, and hold its outputs against the reference inference and its counts
// against the model. DRAM reads are the stores of the input and weights copy Funcs, DRAM writes the
// stores of the copy-out Func, an intermediate's computed elements the stores of its Func; MACs are the
// computed elements times the MACs of one element. The scratchpad is reported from the largest box
// Halide realized each buffer's Func with (before its storage folding), not compared: Halide sizes its
// buffers itself. Result format: docs/verify-format.md, as for the C backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateHalide } from '../codegen/halide.js';
import { buildHalide, runHalide } from '../codegen/halide-build.js';
import { tensorShapes } from '../ir/stats.js';
import { checkAndEvaluate } from '../model/evaluate.js';
import { comparedCounts, compareOutputs, failedPoint } from './verify.js';
/** MACs of one output element of a layer (a convolution's taps over its group's input channels). */
function macsPerElement(l, inputChannels) {
    return l.kind === 'conv' ? (inputChannels / l.groups) * l.kernel[0] * l.kernel[1] : 0;
}
function compare(p, run, width, session) {
    const shapes = tensorShapes(session.net);
    const tensors = [];
    const mismatches = [];
    let predictedMacs = 0;
    let measuredMacs = 0;
    let measuredPeak = 0;
    p.predicted.segments.forEach((seg, si) => {
        const funcs = p.segments[si].buffers;
        const computed = new Map();
        let bytes = 0;
        seg.buffers.forEach((b, bi) => {
            const f = funcs[bi];
            const counted = f.counted.reduce((n, name) => n + (run.stores[name] ?? 0), 0);
            const box = run.boxes[f.box] ?? [];
            const bias = f.counted.length > 1 ? (run.boxes[`${f.box}_bias`]?.[0] ?? 0) : 0;
            const measuredBytes = p.segments[si].pipeline ? (box.reduce((a, n) => a * n, 1) + bias) * width : 0;
            bytes += measuredBytes;
            const reads = b.role === 'input' || b.role === 'weights' ? counted : 0;
            const writes = b.role === 'output' ? counted : 0;
            if (b.role === 'intermediate' || b.role === 'output')
                computed.set(f.buffer.tensor, counted);
            tensors.push({
                ...comparedCounts(b, si, { reads, writes, filled: counted }, mismatches, `segment ${si} `, true),
                predictedExtents: b.extents,
                measuredExtents: box,
                predictedBytes: b.bytes,
                measuredBytes,
            });
        });
        for (const name of p.segments[si].layers) {
            const l = p.layers.get(name);
            const per = macsPerElement(l, shapes.get(l.inputs[0])?.c ?? 0);
            const measured = (computed.get(name) ?? 0) * per;
            const predicted = seg.layerMacs[name];
            predictedMacs += predicted;
            measuredMacs += measured;
            if (measured !== predicted)
                mismatches.push(`segment ${si} ${name} MACs: measured ${measured}, predicted ${predicted}`);
        }
        measuredPeak = Math.max(measuredPeak, bytes);
    });
    return {
        tensors,
        mismatches,
        macs: { predicted: predictedMacs, measured: measuredMacs },
        scratchpadBytes: { predicted: p.predicted.onChipBytes, measured: measuredPeak },
    };
}
/**
 * Generates, builds (traced) and runs one schedule through Halide. A schedule the backend refuses
 * throws its InputError; a build or run that fails is a failed point.
 */
export function verifyHalideSchedule(session, sched, point, options = {}) {
    const checked = checkAndEvaluate(session.net, sched);
    const p = generateHalide(session.net, sched, checked, { weights: false });
    const dir = mkdtempSync(join(session.dir, `halide-${point ?? 'schedule'}-`));
    try {
        let build;
        try {
            build = buildHalide(dir, p, true);
        }
        catch (e) {
            if (!(e instanceof Error) || e.name === 'InputError')
                throw e;
            return failedPoint(checked.predicted, point, e.message);
        }
        let run;
        try {
            run = runHalide(dir, p, session.weightsFile, session.inputFile);
        }
        catch (e) {
            return failedPoint(checked.predicted, point, e.message, build.seconds);
        }
        options.onOutputs?.(run.outputs);
        const c = compare(p, run, sched.elementBytes, session);
        const { mismatches: wrong, ...output } = compareOutputs(run.outputs, session.expected, p.outputs.map((t) => t.name));
        // wrong outputs first, then the counts
        c.mismatches.unshift(...wrong);
        const measured = {
            point,
            ok: c.mismatches.length === 0,
            output,
            tensors: c.tensors,
            macs: c.macs,
            scratchpadBytes: c.scratchpadBytes,
            buildSeconds: build.seconds,
            runSeconds: run.seconds.reduce((a, b) => a + b, 0),
            conflicts: null,
            mismatches: c.mismatches,
        };
        return measured;
    }
    finally {
        if (!options.keep)
            rmSync(dir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=halide.js.map