// Building and running a Halide program: the generator compiled against Halide 14 and run (one static
// library per segment), the runner linked with them, run on an input, its outputs and counts read back.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../ir/errors.js';
import { generatorCommand, halideInclude, runnerCommand } from './halide.js';
/** Whether Halide 14's headers are installed (Debian: libhalide14-0-dev). */
export function halideInstalled() {
    return existsSync(join(halideInclude, 'Halide.h'));
}
function step(cmd, cwd, what) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.error)
        throw new InputError(`cannot run ${cmd[0]} (${what}): ${r.error.message}`);
    if (r.status !== 0 || r.stderr.trim() !== '')
        throw new Error(`${what} failed (${cmd[0]} exit ${r.status ?? r.signal}):\n${r.stderr.slice(0, 4000)}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
/**
 * Writes the program into `dir` (which must exist), builds the generator, runs it (`trace`: the copy
 * stages count their stores), links the runner. A compiler message, even a warning, is an error.
 */
export function buildHalide(dir, p, trace) {
    if (!halideInstalled())
        throw new InputError(`Halide 14 is not installed (no ${halideInclude}/Halide.h; Debian: apt-get install libhalide14-0-dev)`);
    writeFileSync(join(dir, 'generator.cpp'), p.generator);
    writeFileSync(join(dir, 'runner.cpp'), p.runner);
    writeFileSync(join(dir, 'Makefile'), p.makefile);
    const cxx = process.env['CXX'] ?? 'g++';
    let seconds = step(generatorCommand(cxx), dir, 'building the Halide generator');
    seconds += step(['./generator', '.', ...(trace ? ['--trace'] : [])], dir, 'running the Halide generator');
    seconds += step(runnerCommand(cxx, p.name, p.segments.flatMap((s, i) => (s.pipeline ? [`seg${i}.a`] : []))), dir, 'linking the runner');
    return { seconds };
}
/** Runs a built program `runs` times on an input file (rawTensors) and reads its report and outputs. */
export function runHalide(dir, p, weights, input, runs = 1) {
    const output = join(dir, 'output.bin');
    const r = spawnSync(join(dir, p.name), [weights, input, output, String(runs)], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, HL_NUM_THREADS: '1' },
    });
    if (r.error)
        throw new Error(`cannot run ${p.name}: ${r.error.message}`);
    if (r.status !== 0)
        throw new Error(`${p.name} failed (exit ${r.status ?? r.signal}):\n${r.stderr.slice(0, 4000)}`);
    let json;
    try {
        json = JSON.parse(r.stdout);
    }
    catch {
        throw new Error(`${p.name} printed no report:\n${r.stdout.slice(0, 500)}`);
    }
    if (json.format !== 'memsched.halide-run' || !Array.isArray(json.seconds))
        throw new Error(`${p.name} printed a report of another shape`);
    const bytes = readFileSync(output);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    const outputs = p.outputs.map((o) => {
        const data = new Float32Array(o.shape.c * o.shape.h * o.shape.w);
        for (let i = 0; i < data.length; i++, at += 4)
            data[i] = view.getFloat32(at, true);
        return { shape: o.shape, data };
    });
    if (at !== bytes.length)
        throw new Error(`${output}: ${bytes.length} bytes, expected ${at}`);
    // Halide may rename a Func to name$N (a name it has met before): counted under its own name
    const stores = {};
    for (const [f, n] of Object.entries(json.stores ?? {})) {
        const k = f.replace(/\$\d+$/, '');
        stores[k] = (stores[k] ?? 0) + n;
    }
    const boxes = {};
    for (const [f, b] of Object.entries(json.boxes ?? {})) {
        const k = f.replace(/\$\d+$/, '');
        boxes[k] = b.map((n, i) => Math.max(n, boxes[k]?.[i] ?? 0));
    }
    return { seconds: json.seconds, stores, boxes, outputs };
}
//# sourceMappingURL=halide-build.js.map