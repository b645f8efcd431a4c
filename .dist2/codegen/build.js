// Building and running generated C programs with the system compiler, and reading their counters.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../ir/errors.js';
/** The flags every generated program must compile with, without a single warning. */
export const compileFlags = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror'];
/**
 * For runs under AddressSanitizer and UBSan: any access outside an array or undefined behaviour aborts
 * the run. Unoptimised (-O0 replaces -O2): such builds are for checking, and build several times faster.
 */
export const sanitizeFlags = ['-O0', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-g'];
export function compilerCommand(cc, source, exe, sanitize = false, extra = []) {
    const flags = sanitize ? [...compileFlags.filter((f) => f !== '-O2'), ...sanitizeFlags] : compileFlags;
    return [cc, ...flags, ...extra, '-o', exe, source, '-lm'];
}
function seconds(t0) {
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
/** Writes the source and weights into `dir` (which must exist). */
export function writeProgram(dir, p) {
    const source = join(dir, `${p.name}.c`);
    const weights = join(dir, 'weights.bin');
    writeFileSync(source, p.source);
    if (p.weights === undefined)
        throw new Error('internal: the program was generated without its weights');
    writeFileSync(weights, p.weights);
    return { source, weights };
}
function compileArgs(source, exe, options) {
    const [cc, ...args] = compilerCommand(options.cc ?? process.env['CC'] ?? 'cc', source, exe, options.sanitize, options.extraFlags);
    return [cc, args];
}
/** The compiler command for program `name` (name.c to name), as text: what a verify file records. */
export function compileCommandText(name, options = {}) {
    const [cc, args] = compileArgs(`${name}.c`, name, options);
    return [cc, ...args].join(' ');
}
function compileFailure(cc, status, stderr) {
    return new Error(`the generated C does not compile cleanly (${cc} exit ${status}):\n${stderr}`);
}
/** A compiler or program ended by SIGINT or SIGTERM (Ctrl-C, kill): not a result of the program. */
export class InterruptedError extends Error {
}
/** The compilers and programs running now, each the leader of its own process group. */
const running = new Set();
/** Signals the child's process group: a compiler driver's own children (cc1, as, ld) go too. */
function signalGroup(child, sig) {
    try {
        process.kill(-child.pid, sig);
    }
    catch {
        // the group has exited already
    }
}
/**
 * Stops every compiler and program running (SIGTERM to their process groups, SIGKILL after two seconds)
 * and resolves when they have exited: for a process stopped by a signal sent to it alone, whose
 * children would otherwise run on.
 */
export function stopChildren() {
    const children = [...running];
    for (const c of children)
        signalGroup(c, 'SIGTERM');
    const exited = children.map((c) => new Promise((done) => (running.has(c) ? c.once('exit', () => done()) : done())));
    return new Promise((done) => {
        const late = setTimeout(() => {
            for (const c of running)
                signalGroup(c, 'SIGKILL');
        }, 2000);
        void Promise.all(exited).then(() => {
            clearTimeout(late);
            done();
        });
    });
}
/**
 * A child process to completion: its exit status, signal and output (rejects when it cannot start or is
 * aborted). It runs in a process group of its own, so that stopping it stops its children too.
 */
export function runChild(cmd, args, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(new InterruptedError(`${cmd} was not started (aborted)`));
        const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        const abort = () => signalGroup(child, 'SIGTERM');
        if (child.pid !== undefined) {
            running.add(child);
            signal?.addEventListener('abort', abort, { once: true });
        }
        child.on('exit', () => {
            running.delete(child);
            signal?.removeEventListener('abort', abort);
        });
        const out = [];
        const err = [];
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => err.push(d));
        child.on('error', reject);
        child.on('close', (status, sig) => {
            if (sig === 'SIGINT' || sig === 'SIGTERM')
                reject(new InterruptedError(`${cmd} was stopped (${sig})`));
            else
                resolve({
                    status,
                    signal: sig,
                    stdout: Buffer.concat(out).toString('utf8'),
                    stderr: Buffer.concat(err).toString('utf8'),
                });
        });
    });
}
/**
 * Compiles a written program; a compiler message (even a warning) is an error. It does not block, so
 * several programs can build and run at once; aborting `signal` kills the compiler.
 */
export async function compileProgram(source, exe, options = {}) {
    const [cc, args] = compileArgs(source, exe, options);
    const t0 = process.hrtime.bigint();
    let r;
    try {
        r = await runChild(cc, args, options.signal);
    }
    catch (e) {
        if (options.signal?.aborted || e instanceof InterruptedError)
            throw e;
        throw new InputError(`cannot run the C compiler '${cc}': ${e.message}`);
    }
    if (r.status !== 0 || r.stderr.trim() !== '')
        throw compileFailure(cc, r.status, r.stderr);
    return { exe, seconds: seconds(t0) };
}
/** The tensors as the program's input file: each CHW float32, little-endian, one after the other. */
export function rawTensors(tensors) {
    const n = tensors.reduce((s, t) => s + t.data.length, 0);
    const out = new Uint8Array(n * 4);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const t of tensors)
        for (let i = 0; i < t.data.length; i++, at += 4)
            view.setFloat32(at, t.data[i], true);
    return out;
}
function parseCounters(text, p) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new Error(`the program printed no counters:\n${text.slice(0, 500)}`);
    }
    if (json.format !== 'memsched.counters' ||
        !Array.isArray(json.segments) ||
        json.segments.length !== p.segments.length)
        throw new Error('the program printed counters of another shape');
    return {
        segments: json.segments.map((s, i) => {
            if (s.buffers.length !== p.segments[i].buffers.length)
                throw new Error('counters: buffers differ');
            return {
                buffers: s.buffers.map(([reads, writes, filled, extents, raster]) => ({
                    reads,
                    writes,
                    filled,
                    extents,
                    ...(raster === undefined ? {} : { raster }),
                })),
                macs: s.macs,
            };
        }),
        conflicts: json.conflicts ?? Number.NaN,
    };
}
/**
 * Runs a built program on an input file (written by rawTensors) and reads its counters and outputs.
 * A run that fails (non-zero exit, a sanitizer report) throws with the program's message; aborting
 * `signal` kills the program.
 */
export async function runProgram(exe, weights, input, output, p, signal) {
    const t0 = process.hrtime.bigint();
    let r;
    try {
        r = await runChild(exe, [weights, input, output], signal);
    }
    catch (e) {
        if (signal?.aborted || e instanceof InterruptedError)
            throw e;
        throw new Error(`cannot run ${exe}: ${e.message}`);
    }
    return runResult(exe, output, p, r.status ?? r.signal, r.stdout, r.stderr, seconds(t0));
}
function runResult(exe, output, p, status, stdout, stderr, time) {
    if (status !== 0 && status !== 3)
        throw new Error(`${exe} failed (exit ${status}):\n${stderr.slice(0, 4000)}`);
    const counters = parseCounters(stdout, p);
    if (status === 3 && counters.conflicts === 0)
        throw new Error(`${exe} failed:\n${stderr.slice(0, 4000)}`);
    const outputs = readOutputs(output, p);
    return { counters, outputs, seconds: time };
}
/** The program's output file: the network's outputs in order, CHW float32 each. */
export function readOutputs(file, p) {
    const bytes = readFileSync(file);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tensors = [];
    let at = 0;
    for (const o of p.outputs) {
        const n = o.shape.c * o.shape.h * o.shape.w;
        const data = new Float32Array(n);
        for (let i = 0; i < n; i++, at += 4)
            data[i] = view.getFloat32(at, true);
        tensors.push({ shape: o.shape, data });
    }
    if (at !== bytes.length)
        throw new Error(`${file}: ${bytes.length} bytes, expected ${at}`);
    return tensors;
}
//# sourceMappingURL=build.js.map