#!/usr/bin/env node
// `npm run fuzz`: seeded mutation of every parser's inputs, run through memsched with a time and memory cap
// per case. Acceptable outcomes are exit 0 and a one-line exit 2; everything else is a failure, printed with
// the command that replays it in the real CLI (`node dist/fuzz/run.js --replay target:seed:index`).
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { grouped, renderTable } from '../report/table.js';
import { classify, createdFiles, isFailure, signature, writeCase, } from './classify.js';
import { buildCase, repoRoot, target, targets } from './targets.js';
const cliPath = join(repoRoot, 'dist/cli/main.js');
const workerPath = join(repoRoot, 'dist/fuzz/worker.js');
const heapFlag = (l) => `--max-old-space-size=${Math.max(128, l.memoryMiB - 256)}`;
const outOfMemory = /heap out of memory|Reached heap limit|Allocation failed/;
function rssMiB(pid) {
    if (pid === undefined)
        return 0;
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : 0;
    }
    catch {
        return 0;
    }
}
/** Runs a case in the real CLI, one process, in the case folder. */
export function runInCli(c, dir, limits) {
    writeCase(dir, c);
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [heapFlag(limits), cliPath, ...c.args], {
            cwd: dir,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        let stdout = '';
        child.stdout.on('data', (d) => {
            stdout = (stdout + d.toString()).slice(-4000);
        });
        let killed;
        child.stderr.on('data', (d) => {
            stderr = (stderr + d.toString()).slice(0, 1 << 20);
        });
        const stop = (why) => {
            killed ??= why;
            child.kill('SIGKILL');
        };
        const timer = setTimeout(() => stop('timeout'), limits.timeoutMs);
        const poll = setInterval(() => {
            if (rssMiB(child.pid) > limits.memoryMiB)
                stop('memory cap');
        }, 50);
        child.on('close', (code) => {
            clearTimeout(timer);
            clearInterval(poll);
            if (!killed && code === null && outOfMemory.test(stderr))
                killed = 'memory cap';
            if (!killed && outOfMemory.test(stderr))
                killed = 'memory cap';
            resolve({ code: code ?? undefined, stderr, stdout, created: createdFiles(dir, c), killed });
        });
    });
}
/** A long-lived worker process; killed and replaced when a case breaks a cap or kills it. */
class Worker {
    limits;
    child;
    ready;
    served = 0;
    stderrTail = '';
    constructor(limits) {
        this.limits = limits;
    }
    start() {
        this.stderrTail = '';
        this.served = 0;
        const child = fork(workerPath, [], {
            execArgv: [heapFlag(this.limits)],
            stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        });
        child.stderr?.on('data', (d) => {
            this.stderrTail = (this.stderrTail + d.toString()).slice(-4000);
        });
        this.child = child;
        return new Promise((resolve, reject) => {
            const onMessage = (m) => {
                if (m.ready) {
                    child.off('message', onMessage);
                    resolve();
                }
            };
            child.on('message', onMessage);
            child.once('exit', () => reject(new Error(`fuzz worker died on start: ${this.stderrTail}`)));
        });
    }
    stop() {
        this.child?.kill('SIGKILL');
        this.child = undefined;
        this.ready = undefined;
    }
    async run(req) {
        // a fresh process now and then, so caches and leaks of earlier cases cannot add up to a cap
        if (this.served >= 400)
            this.stop();
        if (!this.ready)
            this.ready = this.start();
        await this.ready;
        const child = this.child;
        this.served++;
        return new Promise((resolve, reject) => {
            let done = false;
            const finish = (r, restart) => {
                if (done)
                    return;
                done = true;
                clearTimeout(timer);
                clearInterval(poll);
                child.off('message', onMessage);
                child.off('exit', onExit);
                if (restart)
                    this.stop();
                resolve(r);
            };
            const killed = (why, stderr = '') => finish({ code: undefined, stderr, created: [], killed: why }, true);
            const onMessage = (m) => {
                if ('harness' in m) {
                    this.stop();
                    reject(new Error(`building case ${m.harness}`));
                }
                else if ('fatal' in m)
                    killed('crash', m.fatal);
                else
                    finish({ code: m.code, stderr: m.stderr, created: m.created, ms: m.ms }, false);
            };
            const onExit = () => setTimeout(() => killed(outOfMemory.test(this.stderrTail) ? 'memory cap' : 'crash', this.stderrTail), 20);
            const timer = setTimeout(() => killed('timeout'), this.limits.timeoutMs);
            const poll = setInterval(() => {
                if (rssMiB(child.pid) > this.limits.memoryMiB)
                    killed('memory cap');
            }, 50);
            child.on('message', onMessage);
            child.on('exit', onExit);
            child.send(req);
        });
    }
}
export const replayCommand = (t, seed, index) => `node dist/fuzz/run.js --replay ${t}:${seed}:${index}`;
/** The cases of a run, interleaved over the targets so that any prefix covers every parser. */
export function plan(total, chosen) {
    const sum = chosen.reduce((s, t) => s + t.weight, 0);
    const all = [];
    for (const t of chosen) {
        const n = Math.max(1, Math.round((total * t.weight) / sum));
        for (let i = 0; i < n; i++)
            all.push({ target: t, index: i, at: (i + 0.5) / n });
    }
    return all.sort((a, b) => a.at - b.at || a.target.name.localeCompare(b.target.name));
}
/** Runs the plan on `jobs` workers; `onResult` sees every case as it ends. */
export async function fuzz(cases, seed, jobs, limits, onResult = () => { }, deadline = Number.POSITIVE_INFINITY) {
    const root = mkdtempSync(join(tmpdir(), 'memsched-fuzz-'));
    const results = [];
    let next = 0;
    const slot = async () => {
        const worker = new Worker(limits);
        try {
            while (next < cases.length && performance.now() < deadline) {
                const { target: t, index } = cases[next++];
                const t0 = performance.now();
                let run;
                const dir = join(root, `${t.name}-${index}`);
                if (t.spawn)
                    run = await runInCli(buildCase(t, seed, index), dir, limits);
                else
                    run = await worker.run({ target: t.name, seed, index, dir: root });
                rmSync(dir, { recursive: true, force: true });
                const r = {
                    target: t.name,
                    index,
                    outcome: classify(run),
                    stderr: run.stderr.slice(0, 2000),
                    ms: run.ms ?? performance.now() - t0,
                };
                results.push(r);
                onResult(r);
            }
        }
        finally {
            worker.stop();
        }
    };
    try {
        await Promise.all(Array.from({ length: jobs }, slot));
    }
    finally {
        rmSync(root, { recursive: true, force: true });
    }
    return results;
}
function shellQuote(a) {
    return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`;
}
async function replay(name, limits) {
    const m = /^([\w-]+):(\d+):(\d+)$/.exec(name);
    const t = m ? target(m[1]) : undefined;
    if (!m || !t) {
        console.error(`memsched fuzz: --replay: expected target:seed:index with a target of ${targets.map((x) => x.name).join(', ')}, got '${name}'`);
        return 2;
    }
    const c = buildCase(t, Number(m[2]), Number(m[3]));
    const dir = mkdtempSync(join(tmpdir(), `memsched-replay-${t.name}-`));
    const run = await runInCli(c, dir, limits);
    const outcome = classify(run);
    console.log(`case ${name}: ${t.what}`);
    console.log(`files: ${dir} (${c.files.map((f) => `${f.name} ${f.data.length} B`).join(', ')})`);
    console.log(`command: cd ${dir} && node ${cliPath} ${c.args.map(shellQuote).join(' ')}`);
    console.log(`exit: ${run.code ?? `none (${run.killed ?? 'killed'})`}; outcome: ${outcome}${isFailure(outcome) ? ' (FAILURE)' : ''}`);
    if (run.created.length > 0)
        console.log(`created: ${run.created.join(', ')}`);
    if (run.stderr.trim() !== '')
        console.log(`stderr:\n${run.stderr.trimEnd()}`);
    if (isFailure(outcome) && run.stdout.trim() !== '')
        console.log(`stdout (end):\n${run.stdout.trimEnd()}`);
    return isFailure(outcome) ? 1 : 0;
}
function gitCommit() {
    try {
        return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    }
    catch {
        return undefined;
    }
}
const usage = `usage: node dist/fuzz/run.js [--cases N] [--seed S] [--jobs J] [--targets a,b] [--timeout SECONDS]
                          [--memory MIB] [--minutes M] [--confirm N] [--out FILE|-]
       node dist/fuzz/run.js --replay target:seed:index
targets: ${targets.map((t) => t.name).join(', ')}`;
async function cli(argv) {
    let flags;
    try {
        flags = parseArgs({
            args: argv,
            options: {
                cases: { type: 'string' },
                seed: { type: 'string' },
                jobs: { type: 'string' },
                targets: { type: 'string' },
                timeout: { type: 'string' },
                memory: { type: 'string' },
                confirm: { type: 'string' },
                out: { type: 'string' },
                minutes: { type: 'string' },
                replay: { type: 'string' },
                help: { type: 'boolean' },
            },
        }).values;
    }
    catch (e) {
        console.error(`memsched fuzz: ${e.message}\n${usage}`);
        return 2;
    }
    if (flags['help']) {
        console.log(usage);
        return 0;
    }
    const int = (name, fallback) => {
        const v = flags[name];
        if (v === undefined)
            return fallback;
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
            throw new Error(`--${name}: expected a whole number, got '${v}'`);
        return n;
    };
    const limits = { timeoutMs: int('timeout', 10) * 1000, memoryMiB: int('memory', 1536) };
    if (typeof flags['replay'] === 'string')
        return replay(flags['replay'], limits);
    const seed = int('seed', 1);
    const total = int('cases', 100_000);
    const jobs = Math.max(1, int('jobs', 2));
    const names = typeof flags['targets'] === 'string' ? flags['targets'].split(',') : targets.map((t) => t.name);
    const chosen = names.map((n) => {
        const t = target(n);
        if (!t)
            throw new Error(`--targets: no target '${n}' (${targets.map((x) => x.name).join(', ')})`);
        return t;
    });
    const cases = plan(total, chosen);
    const t0 = performance.now();
    let done = 0;
    let failed = 0;
    let lastReport = t0;
    const minutes = int('minutes', 0);
    const deadline = minutes > 0 ? t0 + minutes * 60_000 : Number.POSITIVE_INFINITY;
    const onResult = (r) => {
        done++;
        if (isFailure(r.outcome)) {
            failed++;
            if (failed <= 200)
                console.log(`FAIL ${r.outcome}: ${replayCommand(r.target, seed, r.index)}  # ${r.stderr.split('\n').find((l) => l.trim()) ?? ''}`.slice(0, 300));
        }
        const now = performance.now();
        if (now - lastReport > 15_000) {
            lastReport = now;
            console.error(`${done}/${cases.length} cases, ${failed} failures, ${Math.round((done / (now - t0)) * 1000)} cases/s`);
        }
    };
    const results = await fuzz(cases, seed, jobs, limits, onResult, deadline);
    const seconds = (performance.now() - t0) / 1000;
    // Failures grouped by cause; the first of each group (and a few more) confirmed in the real CLI.
    const causes = new Map();
    for (const r of results.filter((x) => isFailure(x.outcome))) {
        const key = signature(r.outcome, r.stderr);
        const g = causes.get(key);
        if (g) {
            g.count++;
            g.targets.add(r.target);
        }
        else
            causes.set(key, { outcome: r.outcome, count: 1, targets: new Set([r.target]), first: r });
    }
    const confirmLimit = int('confirm', 100);
    const confirmed = new Map();
    const confirmRoot = mkdtempSync(join(tmpdir(), 'memsched-fuzz-confirm-'));
    for (const g of [...causes.values()].slice(0, confirmLimit)) {
        const t = target(g.first.target);
        const run = await runInCli(buildCase(t, seed, g.first.index), join(confirmRoot, 'case'), limits);
        confirmed.set(`${t.name}:${g.first.index}`, classify(run));
    }
    // A timeout on a loaded machine may be a slow case, not a hang: each is run again with six times the time.
    const slowLimits = { ...limits, timeoutMs: limits.timeoutMs * 6 };
    const retimed = [];
    for (const r of results.filter((x) => x.outcome === 'timeout').slice(0, confirmLimit)) {
        const t0 = performance.now();
        const run = await runInCli(buildCase(target(r.target), seed, r.index), join(confirmRoot, 'case'), slowLimits);
        retimed.push({
            case: `${r.target}:${seed}:${r.index}`,
            outcome: classify(run),
            seconds: (performance.now() - t0) / 1000,
        });
    }
    rmSync(confirmRoot, { recursive: true, force: true });
    const outcomes = [...new Set(results.map((r) => r.outcome))].sort((a, b) => Number(isFailure(a)) - Number(isFailure(b)) || a.localeCompare(b));
    const perTarget = chosen.map((t) => {
        const mine = results.filter((r) => r.target === t.name);
        const counts = {};
        for (const r of mine)
            counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
        return {
            target: t.name,
            what: t.what,
            via: t.spawn ? 'cli process' : 'worker (main(argv))',
            cases: mine.length,
            failures: mine.filter((r) => isFailure(r.outcome)).length,
            caseSeconds: mine.reduce((s, r) => s + r.ms, 0) / 1000,
            outcomes: counts,
        };
    });
    const rows = perTarget.map((p) => [
        p.target,
        grouped(p.cases),
        ...outcomes.map((o) => grouped(p.outcomes[o] ?? 0)),
        grouped(p.failures),
        p.caseSeconds.toFixed(0),
    ]);
    rows.push([
        'all',
        grouped(results.length),
        ...outcomes.map((o) => grouped(results.filter((r) => r.outcome === o).length)),
        grouped(failed),
        seconds.toFixed(0),
    ]);
    console.log(`\n${renderTable(['target', 'cases', ...outcomes, 'failures', 'seconds'], rows, ['left', ...Array(outcomes.length + 3).fill('right')])}`);
    console.log(`\n${grouped(results.length)} cases in ${seconds.toFixed(0)} s (${jobs} jobs, seed ${seed}), ${grouped(failed)} failures in ${causes.size} causes`);
    for (const [key, g] of [...causes].sort((a, b) => b[1].count - a[1].count)) {
        const c = confirmed.get(`${g.first.target}:${g.first.index}`);
        console.log(`  ${grouped(g.count).padStart(6)}  ${key}  [${[...g.targets].join(',')}]  ${replayCommand(g.first.target, seed, g.first.index)}${c ? ` (real CLI: ${c})` : ''}`);
    }
    if (retimed.length > 0) {
        console.log(`timeouts run again in the real CLI with ${slowLimits.timeoutMs / 1000} s:`);
        for (const r of retimed)
            console.log(`  ${r.case}: ${r.outcome} (${r.seconds.toFixed(1)} s)`);
    }
    const out = typeof flags['out'] === 'string' ? flags['out'] : join(repoRoot, 'bench/results/fuzz.json');
    if (out !== '-') {
        const { writeFileAtomic } = await import('../util/files.js');
        const failures = results.filter((r) => isFailure(r.outcome));
        const file = {
            date: new Date().toISOString(),
            node: process.version,
            commit: gitCommit(),
            seed,
            cases: results.length,
            planned: cases.length,
            seconds,
            jobs,
            timeoutSeconds: limits.timeoutMs / 1000,
            memoryCapMiB: limits.memoryMiB,
            failures: failures.length,
            targets: perTarget,
            causes: [...causes].map(([key, g]) => ({
                cause: key,
                outcome: g.outcome,
                count: g.count,
                targets: [...g.targets],
                replay: replayCommand(g.first.target, seed, g.first.index),
                realCli: confirmed.get(`${g.first.target}:${g.first.index}`) ?? null,
            })),
            timeoutsRunAgain: { timeoutSeconds: slowLimits.timeoutMs / 1000, cases: retimed },
            // every failure's replay command (capped: one cause can fail thousands of cases)
            failureCases: failures.slice(0, 5000).map((r) => ({
                replay: replayCommand(r.target, seed, r.index),
                outcome: r.outcome,
                message: (r.stderr.split('\n').find((l) => l.trim()) ?? '').slice(0, 300),
            })),
        };
        writeFileAtomic(out, `${JSON.stringify(file, null, 1)}\n`);
        console.log(`wrote ${out}`);
    }
    return failed > 0 ? 1 : 0;
}
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
    cli(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    }, (e) => {
        console.error(`memsched fuzz: ${e.message}`);
        process.exitCode = 2;
    });
}
//# sourceMappingURL=run.js.map