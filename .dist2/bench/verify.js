// Verification by measurement of the paper's networks: explore each (1-byte elements, the default search),
// then generate, build and run Pareto points as C and hold outputs and counts against the reference and
// the model. `all` runs every point of the front; a number N runs N points spread over the front's
// on-chip bytes among those computing at most twice the network's fewest MACs (the front's far end
// recomputes fused layers hundreds of times over). The estimate for all points is recorded.
//
// A whole front can take hours, so a run is resumable: the front is explored once and kept in
// bench/work/NETWORK.front.json (gitignored; explore gives the same front again), each finished point is
// written at once to bench/results/NETWORK-CHOSEN.progress.json (kept with the results, so a run can go on
// in another checkout) with a fingerprint of the front (its points' bytes, accesses
// and MACs), and a run started again with the same front skips the points done (one with another front
// is refused). Points run `--jobs` at a time (default 2, one per core: each is its own C program).
// Progress goes to stderr; at the end the network's entry in bench/results/verify.json is replaced.
//
// Standalone, after `npm run build`: `node dist/bench/verify.js [--jobs N] [network[:all|N]...]`
// (default traffic:all vdsr:all vgg16:5 mobilenet_v2:5; VDSR's whole front is 27 h of run time, so it
// comes from the committed progress file unless that is removed).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCommandText, InterruptedError } from '../codegen/build.js';
import { programName, runnableNetwork } from '../codegen/c.js';
import { explore } from '../dse/explore.js';
import { frontFileOf, frontFileText, frontFormat } from '../formats/front.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import { loopNames } from '../model/schedule.js';
import { analyzeSegment } from '../model/segment.js';
import { spreadPoints } from '../report/front.js';
import { writeFileAtomic } from '../util/files.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../verify/verify.js';
/** Samples are drawn among the points with at most this many times the fewest MACs. */
export const sampleMacsFactor = 2;
export const defaultPlan = [
    ['traffic', 'all'],
    ['vdsr', 'all'],
    ['vgg16', 5],
    ['mobilenet_v2', 5],
];
export const workDir = 'bench/work';
const progressFormat = 'memsched.verify-progress';
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
/** What identifies a front for resuming: every point's bytes, accesses and MACs, in order. */
export function frontFingerprint(front) {
    const h = createHash('sha256');
    for (const p of front)
        h.update(`${p.bytes},${p.accesses},${p.macs};`);
    return h.digest('hex');
}
function hms(s) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h > 0
        ? `${h} h ${String(m).padStart(2, '0')} min`
        : `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}
/** The front of the work folder, or a new exploration saved there. */
async function fixedFront(name, dir, log) {
    const file = path.join(dir, `${name}.front.json`);
    if (existsSync(file)) {
        const json = JSON.parse(readFileSync(file, 'utf8'));
        if (json.format !== frontFormat || !Array.isArray(json.front) || json.network !== name)
            throw new Error(`${file}: not the front file of ${name}; remove it to explore again`);
        log(`verify ${name}: the front of ${file} (${json.front.length} points)`);
        return { front: json.front, exploreSeconds: 0, file };
    }
    const net = zooNetwork(name);
    const t0 = process.hrtime.bigint();
    const result = await explore(net, { space: 'full', elementBytes: 1, threads: availableParallelism() });
    const exploreSeconds = seconds(t0);
    writeFileAtomic(file, frontFileText(frontFileOf(result)));
    log(`verify ${name}: explored ${result.front.length} points in ${exploreSeconds.toFixed(1)} s, saved as ${file}`);
    return { front: result.front, exploreSeconds, file };
}
export async function verifyNetwork(name, chosen, log = () => { }, options = {}) {
    const dir = options.dir ?? workDir;
    const jobs = Math.max(1, options.jobs ?? Math.min(2, availableParallelism()));
    mkdirSync(dir, { recursive: true });
    const { front, exploreSeconds, file: frontFile } = await fixedFront(name, dir, log);
    const fingerprint = frontFingerprint(front);
    const fewest = Math.min(...front.map((p) => p.macs));
    const pool = front
        .map((p, i) => ({ p, i }))
        .filter(({ p }) => chosen === 'all' || p.macs <= sampleMacsFactor * fewest);
    const indices = chosen === 'all'
        ? pool.map(({ i }) => i)
        : spreadPoints(pool.map(({ p }) => p), chosen).map((k) => pool[k].i);
    const progressDir = options.progressDir ?? options.dir ?? 'bench/results';
    mkdirSync(progressDir, { recursive: true });
    const progressFile = path.join(progressDir, `${name}-${chosen}.progress.json`);
    let progress = {
        format: progressFormat,
        network: name,
        frontFingerprint: fingerprint,
        chosen,
        indices,
        points: [],
    };
    if (existsSync(progressFile)) {
        const old = JSON.parse(readFileSync(progressFile, 'utf8'));
        if (old.format !== progressFormat || old.network !== name)
            throw new Error(`${progressFile}: not a progress file of ${name}`);
        if (old.frontFingerprint !== fingerprint)
            throw new Error(`${progressFile} belongs to another front than ${frontFile} (fingerprint ${old.frontFingerprint.slice(0, 12)}, this front ${fingerprint.slice(0, 12)}): remove the progress file to start over`);
        if (JSON.stringify(old.indices) !== JSON.stringify(indices))
            throw new Error(`${progressFile}: chose other points; remove it to start over`);
        progress = old;
        log(`verify ${name}: resuming, ${old.points.length} of ${indices.length} points done (${progressFile})`);
    }
    writeFileAtomic(progressFile, `${JSON.stringify(progress)}\n`);
    const done = new Set(progress.points.map((p) => p.point));
    const net = runnableNetwork(zooNetwork(name));
    // Quickest first, so that a run stopped early has verified the most points. A point's time is about
    // its innermost tile steps (the per-step bookkeeping) plus its MACs, at rates fitted on VDSR's points.
    const steps = (p) => p.schedule.segments.reduce((n, seg) => {
        const { dims } = analyzeSegment(net, seg.layers);
        return n + loopNames.reduce((m, d) => m * Math.ceil(dims[d] / seg.tile[d]), 1);
    }, 0);
    const guess = new Map(indices.map((i) => [i, 2.5e-7 * steps(front[i]) + 7.8e-10 * front[i].macs]));
    const todo = indices.filter((i) => !done.has(i)).sort((a, b) => guess.get(a) - guess.get(b) || a - b);
    let referenceSeconds = 0;
    let session;
    if (todo.length > 0) {
        const t0 = process.hrtime.bigint();
        session = await openSession(net, defaultInputs(net));
        referenceSeconds = seconds(t0);
        log(`verify ${name}: ${todo.length} of ${indices.length} points to run, ${jobs} at a time; reference inference ${referenceSeconds.toFixed(1)} s`);
    }
    const started = process.hrtime.bigint();
    const todoMacs = todo.reduce((n, i) => n + front[i].macs, 0);
    let doneMacs = 0;
    const record = (v) => {
        progress.points.push(v);
        progress.points.sort((a, b) => a.point - b.point);
        writeFileAtomic(progressFile, `${JSON.stringify(progress)}\n`);
    };
    try {
        let next = 0;
        let interrupted = false;
        const worker = async () => {
            while (next < todo.length && !options.signal?.aborted && !interrupted) {
                const i = todo[next++];
                const p = front[i];
                let v;
                try {
                    v = await verifySchedule(session, p.schedule, i, {
                        ...(options.signal ? { signal: options.signal } : {}),
                    });
                }
                catch (e) {
                    // stopped (Ctrl-C, kill): not a result, the point runs again next time
                    if (options.signal?.aborted || e instanceof InterruptedError) {
                        interrupted = true;
                        return;
                    }
                    throw e;
                }
                const point = {
                    point: i,
                    ok: v.ok,
                    bytes: p.bytes,
                    accesses: p.accesses,
                    macs: p.macs,
                    segments: p.schedule.segments.length,
                    fusedSegments: p.schedule.segments.filter((s) => s.layers.length > 1).length,
                    maxRelError: v.output.maxRelError,
                    buildSeconds: v.buildSeconds,
                    runSeconds: v.runSeconds,
                    gmacPerSecond: v.runSeconds > 0 ? p.macs / 1e9 / v.runSeconds : Number.NaN,
                    mismatches: v.mismatches,
                };
                record(point);
                doneMacs += p.macs;
                // Remaining time: the MACs left at the MAC rate of the points done so far, spread over the jobs.
                const wall = seconds(started);
                const left = ((todoMacs - doneMacs) / doneMacs) * wall;
                log(`  [${progress.points.length}/${indices.length}] point ${i}: ${v.ok ? 'ok' : `FAILED (${v.mismatches[0]})`}, ${p.bytes} B on chip, ${(p.macs / 1e9).toFixed(1)} GMACs, build ${v.buildSeconds.toFixed(1)} s, run ${v.runSeconds.toFixed(1)} s (${point.gmacPerSecond.toFixed(2)} GMAC/s); ${hms(wall)} elapsed, ~${hms(left)} left`);
            }
        };
        await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
        if (interrupted || options.signal?.aborted)
            throw new InterruptedError(`verify ${name}: interrupted with ${progress.points.length} of ${indices.length} points done (${progressFile}); the same command resumes`);
    }
    finally {
        if (session)
            closeSession(session);
    }
    const points = progress.points;
    const sum = (f) => points.reduce((n, p) => n + f(p), 0);
    const max = (f) => points.reduce((n, p) => Math.max(n, f(p)), 0);
    const buildPerPoint = points.length > 0 ? sum((p) => p.buildSeconds) / points.length : 0;
    const runPerMac = sum((p) => p.runSeconds) /
        Math.max(1, sum((p) => p.macs));
    return {
        network: name,
        elementBytes: 1,
        frontPoints: front.length,
        frontFingerprint: fingerprint,
        chosen,
        sampledFrom: pool.length,
        sampleMacsFactor: chosen === 'all' ? null : sampleMacsFactor,
        exploreSeconds,
        referenceSeconds,
        jobs,
        build: compileCommandText(programName(net.name)),
        verified: points.length,
        failed: points.filter((p) => !p.ok).length,
        maxRelError: points.some((p) => p.maxRelError === null) ? null : max((p) => p.maxRelError ?? 0),
        buildSeconds: { total: sum((p) => p.buildSeconds), max: max((p) => p.buildSeconds) },
        runSeconds: {
            total: sum((p) => p.runSeconds),
            max: max((p) => p.runSeconds),
            mean: points.length > 0 ? sum((p) => p.runSeconds) / points.length : 0,
        },
        gmacPerSecond: sum((p) => p.macs) /
            1e9 /
            Math.max(1e-9, sum((p) => p.runSeconds)),
        estimatedSecondsForAll: front.reduce((n, p) => n + buildPerPoint + runPerMac * p.macs, 0),
        points,
    };
}
export async function verifyBench(plan = defaultPlan, log = () => { }, options = {}) {
    const out = [];
    for (const [name, chosen] of plan)
        out.push(await verifyNetwork(name, chosen, log, options));
    return out;
}
export function summaryLine(r) {
    const how = r.chosen === 'all'
        ? 'all'
        : `spread over the ${r.sampledFrom} with at most ${r.sampleMacsFactor}x the fewest MACs`;
    return `verify ${r.network}: ${r.verified} of ${r.frontPoints} points run as C (${how}), ${r.failed} failed, max relative output error ${r.maxRelError === null ? 'unknown (a point has none)' : r.maxRelError.toExponential(1)}; build ${r.buildSeconds.total.toFixed(0)} s, run ${r.runSeconds.total.toFixed(0)} s (mean ${r.runSeconds.mean.toFixed(1)} s, ${r.gmacPerSecond.toFixed(2)} GMAC/s${r.verified === r.frontPoints ? '' : `; all points would take ~${(r.estimatedSecondsForAll / 3600).toFixed(1)} h on one core`})`;
}
/** `[--jobs N] network[:all|N]...` */
export function parseArgs(args) {
    let jobs;
    const plan = [];
    for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (a === '--jobs') {
            jobs = Number(args[++k]);
            if (!Number.isInteger(jobs) || jobs < 1)
                throw new Error(`--jobs: expected a positive integer, got '${args[k]}'`);
            continue;
        }
        const [name, n] = a.split(':');
        if (n !== undefined && n !== 'all' && !/^\d+$/.test(n))
            throw new Error(`'${a}': expected NETWORK, NETWORK:all or NETWORK:N`);
        plan.push([name, n === undefined || n === 'all' ? 'all' : Number(n)]);
    }
    return { plan: plan.length > 0 ? plan : defaultPlan, jobs };
}
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const { plan, jobs } = parseArgs(process.argv.slice(2));
    const file = 'bench/results/verify.json';
    const machine = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model };
    mkdirSync('bench/results', { recursive: true });
    // Ctrl-C or kill: the programs running are killed, what finished is kept for the next run.
    const stop = new AbortController();
    for (const sig of ['SIGINT', 'SIGTERM'])
        process.on(sig, () => {
            if (!stop.signal.aborted)
                console.error(`${sig}: stopping; the points finished are kept`);
            stop.abort();
        });
    try {
        for (const [name, chosen] of plan) {
            const r = await verifyNetwork(name, chosen, (l) => console.error(l), {
                signal: stop.signal,
                ...(jobs !== undefined ? { jobs } : {}),
            });
            // keep the other networks' entries: networks can be run one at a time
            const old = existsSync(file)
                ? JSON.parse(readFileSync(file, 'utf8'))
                : {};
            const entries = (old.verify ?? []).filter((e) => e.network !== name);
            writeFileAtomic(file, `${JSON.stringify({ ...machine, verify: [...entries, r] }, null, 2)}\n`);
            console.log(summaryLine(r));
        }
    }
    catch (e) {
        console.error(e.message);
        process.exitCode = e instanceof InterruptedError ? 130 : 1;
    }
}
//# sourceMappingURL=verify.js.map