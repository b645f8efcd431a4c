// Verification of deep fusion by measurement: explore with the options a user gets by default (chains
// of any depth, at most defaultMaxRecompute x each segment's least MACs), then run as generated C the
// points chosen for budgets and a sample of the points whose deepest fused segment has at least
// `minDepth` layers; outputs against the reference inference, every count against the model.
// A point is a few seconds to a few minutes of C, so the plan stays small (issues #21 and #22, "Exactness";
// MobileNetV2 and ResNet-18 sample points whose segments fuse across joins, SqueezeNet points whose
// segments are not runs of the layer order).
//
// Standalone, after `npm run build`: `node dist/bench/verify-deep.js [--threads N] [network...]`
// (default: the whole plan); each network's entry of bench/results/verify-deep.json is replaced as soon
// as it is done.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileCommandText } from '../codegen/build.js';
import { programName, runnableNetwork } from '../codegen/c.js';
import { defaultMaxRecompute, explore } from '../dse/explore.js';
import { bestWithin } from '../dse/pareto.js';
import { isRun } from '../dse/space.js';
import { loadNetwork } from '../frontends/index.js';
import { analyzeSegment, hasExports, hasJoins } from '../model/segment.js';
import { fusedDepth, spreadPoints } from '../report/front.js';
import { bytesText } from '../report/units.js';
import { writeFileAtomic } from '../util/files.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../verify/verify.js';
const KiB = 1024;
const MiB = 1024 * KiB;
// VDSR in fp32 as in the issue, its points for 1 MiB and 4 MiB and 4 deep ones up to the whole network
// (about 45 G MACs each, 10-30 s of C); the traffic-sign net and VGG-16 at the default width (1 byte).
// VGG-16's points are 15.5 G MACs or more each (about 20 s of C): 3 of them.
export const deepPlan = [
    { network: 'vdsr', elementBytes: 4, budgets: [1 * MiB, 4 * MiB], sample: 4, minDepth: 3 },
    { network: 'traffic', elementBytes: 1, budgets: [64 * KiB], sample: 6, minDepth: 3 },
    { network: 'vgg16', elementBytes: 1, budgets: [], sample: 3, minDepth: 3 },
    // DAG segments (issue #22): residual and inverted-residual blocks fused across their joins
    { network: 'mobilenet_v2', elementBytes: 4, budgets: [1 * MiB], sample: 4, minDepth: 3, joins: true },
    {
        network: 'resnet18',
        source: '../shared/networks/onnx/resnet18.onnx',
        elementBytes: 4,
        budgets: [1 * MiB, 4 * MiB],
        sample: 3,
        minDepth: 3,
        joins: true,
    },
    // segments that are not runs of the layer order (a fire module's concat with one expand convolution
    // and the next squeeze, the other expand apart), trained weights
    {
        network: 'squeezenet1_1',
        source: '../shared/networks/onnx/squeezenet1_1.onnx',
        elementBytes: 4,
        budgets: [64 * KiB, 256 * KiB, 1 * MiB],
        sample: 3,
        minDepth: 3,
        notRuns: true,
    },
    // segments with several outputs (a block's output written to DRAM as computed and read on chip by
    // the next block's first convolution), trained weights
    {
        network: 'resnet18 (several outputs)',
        source: '../shared/networks/onnx/resnet18.onnx',
        elementBytes: 4,
        budgets: [256 * KiB, 1 * MiB, 4 * MiB],
        sample: 2,
        minDepth: 3,
        maxFuseOutputs: 4,
        exports: true,
    },
];
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
function deepestSegment(p) {
    let at = 0;
    p.schedule.segments.forEach((s, i) => {
        if (s.layers.length > p.schedule.segments[at].layers.length)
            at = i;
    });
    const layers = p.schedule.segments[at].layers;
    return { segment: at, layers: layers.length, first: layers[0], last: layers.at(-1) };
}
/** Whether some segment of the point has a tensor that several of its layers read. */
function joins(net, p) {
    return p.schedule.segments.some((s) => hasJoins(analyzeSegment(net, s.layers)));
}
/** Whether some segment of the point is not a run of the network's layer order. */
function notRun(net, p) {
    const index = new Map(net.layers.map((l, i) => [l.name, i]));
    return p.schedule.segments.some((s) => !isRun(s.layers.map((l) => index.get(l)).sort((a, b) => a - b)));
}
/** The points to run: index -> what each was chosen for. */
export function choosePoints(front, plan, net) {
    const chosen = new Map();
    const add = (i, why) => chosen.set(i, [...(chosen.get(i) ?? []), why]);
    for (const budget of plan.budgets) {
        const best = bestWithin(front, budget);
        if (best === undefined)
            throw new Error(`verify-deep ${plan.network}: no point within ${bytesText(budget)}`);
        add(front.indexOf(best), `budget ${bytesText(budget)}`);
    }
    if (plan.sample > 0) {
        const pool = front
            .map((p, i) => ({ p, i }))
            .filter(({ p }) => (fusedDepth(p) ?? 0) >= plan.minDepth &&
            (!plan.joins || joins(net, p)) &&
            (!plan.notRuns || notRun(net, p)) &&
            (!plan.exports || p.schedule.segments.some((s) => hasExports(analyzeSegment(net, s.layers)))));
        const picks = spreadPoints(pool.map(({ p }) => p), plan.sample);
        for (const k of picks)
            add(pool[k].i, 'sample');
    }
    return new Map([...chosen].sort((a, b) => a[0] - b[0]));
}
/** `zoo`: the network the plan names (its zoo entry unless given); weights are seeded if it has none. */
export async function verifyDeep(plan, log = () => { }, threads = 1, zoo = loadNetwork(plan.source ?? `zoo:${plan.network}`)) {
    const started = process.hrtime.bigint();
    let t0 = process.hrtime.bigint();
    const result = await explore(zoo, {
        space: 'full',
        elementBytes: plan.elementBytes,
        maxRecompute: defaultMaxRecompute,
        ...(plan.maxFuseOutputs === undefined ? {} : { maxFuseOutputs: plan.maxFuseOutputs }),
        threads,
    });
    const exploreSeconds = seconds(t0);
    const front = result.front;
    const deepPoints = front.filter((p) => (fusedDepth(p) ?? 0) >= plan.minDepth).length;
    const chosen = choosePoints(front, plan, zoo);
    log(`verify-deep ${plan.network}: explored ${front.length} points in ${exploreSeconds.toFixed(1)} s (${deepPoints} with a segment of >= ${plan.minDepth} layers); running ${chosen.size} as C`);
    const net = runnableNetwork(zoo);
    t0 = process.hrtime.bigint();
    const session = await openSession(net, defaultInputs(net));
    const referenceSeconds = seconds(t0);
    const points = [];
    try {
        for (const [i, why] of chosen) {
            const p = front[i];
            const v = await verifySchedule(session, p.schedule, i);
            const measured = v.error === undefined;
            const measuredAccesses = measured
                ? v.tensors.reduce((n, t) => n + t.measuredReads + t.measuredWrites, 0)
                : null;
            const mismatches = [...v.mismatches];
            // the buffers are compared one by one with the program's prediction; this holds the front's total too
            if (measuredAccesses !== null && measuredAccesses !== p.accesses)
                mismatches.push(`DRAM accesses: measured ${measuredAccesses}, front predicts ${p.accesses}`);
            if (v.macs.predicted !== p.macs)
                mismatches.push(`MACs: the program predicts ${v.macs.predicted}, the front ${p.macs}`);
            const point = {
                point: i,
                chosenFor: why,
                ok: v.ok && mismatches.length === v.mismatches.length,
                bytes: p.bytes,
                predictedAccesses: p.accesses,
                measuredAccesses,
                predictedMacs: p.macs,
                measuredMacs: v.macs.measured,
                segments: p.schedule.segments.length,
                deepest: deepestSegment(p),
                maxAbsError: v.output.maxAbsError,
                maxRelError: v.output.maxRelError,
                buildSeconds: v.buildSeconds,
                runSeconds: v.runSeconds,
                mismatches,
            };
            points.push(point);
            log(`  point ${i} (${why.join(', ')}): ${point.ok ? 'ok' : `FAILED: ${mismatches.slice(0, 3).join('; ')}`}; ${bytesText(p.bytes)}, ${p.accesses} accesses, deepest segment ${point.deepest.layers} layers, max relative error ${point.maxRelError?.toExponential(1) ?? 'none'}; build ${v.buildSeconds.toFixed(1)} s, run ${v.runSeconds.toFixed(1)} s`);
        }
    }
    finally {
        closeSession(session);
    }
    return {
        network: plan.network,
        elementBytes: plan.elementBytes,
        maxRecompute: defaultMaxRecompute,
        frontPoints: front.length,
        deepPoints,
        minDepth: plan.minDepth,
        exploreSeconds,
        referenceSeconds,
        build: compileCommandText(programName(net.name)),
        verified: points.length,
        failed: points.filter((p) => !p.ok).length,
        maxRelError: points.some((p) => p.maxRelError === null)
            ? null
            : points.reduce((m, p) => Math.max(m, p.maxRelError ?? 0), 0),
        seconds: seconds(started),
        points,
    };
}
export function deepSummaryLine(r) {
    const error = r.maxRelError === null ? 'unknown (a point has none)' : r.maxRelError.toExponential(1);
    return `verify-deep ${r.network} (${r.elementBytes}-byte): ${r.verified} points run as C, ${r.failed === 0 ? '0 failed' : `${r.failed} FAILED`}, deepest segments ${r.points.map((p) => p.deepest.layers).join(', ')} layers, max relative output error ${error}; ${r.seconds.toFixed(0)} s`;
}
export const deepResultsFile = 'bench/results/verify-deep.json';
/** Replaces the network's entry in the results file (networks can be run one at a time). */
export function saveDeep(r, file = deepResultsFile) {
    const machine = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model };
    const old = existsSync(file)
        ? JSON.parse(readFileSync(file, 'utf8'))
        : {};
    const order = deepPlan.map((p) => p.network);
    const entries = [...(old.verifyDeep ?? []).filter((e) => e.network !== r.network), r].sort((a, b) => order.indexOf(a.network) - order.indexOf(b.network));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, `${JSON.stringify({ ...machine, verifyDeep: entries }, null, 2)}\n`);
}
/** `[--threads N] [network...]`: the plan's entries of the networks named (all by default). */
export function parseDeepArgs(args) {
    let threads = 1;
    const names = [];
    for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (a === '--threads') {
            threads = Number(args[++k]);
            if (!Number.isInteger(threads) || threads < 1)
                throw new Error(`--threads: expected a positive integer, got '${args[k]}'`);
            continue;
        }
        if (!deepPlan.some((p) => p.network === a))
            throw new Error(`verify-deep: '${a}' is not in the plan (${deepPlan.map((p) => p.network).join(', ')})`);
        names.push(a);
    }
    return { plan: names.length === 0 ? deepPlan : deepPlan.filter((p) => names.includes(p.network)), threads };
}
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    try {
        const { plan, threads } = parseDeepArgs(process.argv.slice(2));
        let failed = 0;
        for (const entry of plan) {
            const r = await verifyDeep(entry, (l) => console.error(l), threads);
            saveDeep(r);
            failed += r.failed;
            console.log(deepSummaryLine(r));
        }
        if (failed > 0)
            process.exitCode = 1;
    }
    catch (e) {
        console.error(e.message);
        process.exitCode = 1;
    }
}
//# sourceMappingURL=verify-deep.js.map