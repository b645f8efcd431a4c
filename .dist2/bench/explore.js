// Whole-network exploration of the paper's seven networks, the ONNX fixtures and the zoo's others: time, memory, front,
// accesses at budgets. Alone: `npm run bench -- explore`. The default search is timed three times on the
// paper's networks (the median is kept): times on this shared machine vary by a fifth from run to run.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defaultMaxRecompute, explore } from '../dse/explore.js';
import { loadNetwork } from '../frontends/index.js';
export const paperNetworks = ['traffic', 'vdsr', 'vgg16', 'vgg19', 'resnet101', 'resnet152', 'mobilenet_v2'];
/** The ONNX exports of torchvision models among the fixtures (one file per model; shape-only where that is all there is). */
const onnxFixtures = [
    'resnet18.onnx',
    'resnet50.shape.onnx',
    'resnet101.shape.onnx',
    'resnet152.shape.onnx',
    'mobilenet_v2.onnx',
    'mobilenet_v3_small.shape.onnx',
    'squeezenet1_1.onnx',
    'googlenet.shape.onnx',
    'vdsr.onnx',
].map((f) => `../shared/networks/onnx/${f}`);
/** The zoo's networks that are neither the paper's nor among the ONNX fixtures. */
const otherZoo = ['zoo:alexnet', 'zoo:mobilenet_v1'];
const budgets = [64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
/** What identifies an entry of the results: the network and the configuration explored. */
export function exploreEntryKey(r) {
    return JSON.stringify([
        r.network,
        r.elementBytes,
        r.space,
        r.maxFuse,
        r.maxRecompute,
        r.ownLevelsUpTo,
        r.segmentSets ?? 'runs',
        r.maxFuseOutputs ?? 0,
    ]);
}
/**
 * Runs the configurations on their networks; `only` (bench names: `traffic`, `vdsr (ONNX)`...) keeps
 * the networks named, for refreshing their entries alone.
 */
export async function exploreBench(log = () => { }, only) {
    const out = [];
    // the default (no fusion limit) at both widths; fused pairs (the former default), layer by layer and
    // the paper tool's space at 1 byte; VDSR at 4 bytes without a recomputation limit (its targets); the
    // ONNX fixtures and the zoo's other networks at 4 bytes; the traffic-sign net at 4 bytes with per-intermediate levels in pairs only
    const zoo = paperNetworks.map((n) => `zoo:${n}`);
    const d = defaultMaxRecompute;
    const runs = [
        { elementBytes: 1, space: 'full', maxRecompute: d, networks: zoo },
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: zoo },
        { elementBytes: 4, space: 'full', maxRecompute: null, networks: ['zoo:vdsr'] },
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: onnxFixtures },
        // segments with several outputs up to 4 layers (explore --max-fuse-outputs 4)
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: onnxFixtures, maxFuseOutputs: 4 },
        // the space before DAG fronts: runs of the layer order only
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: onnxFixtures, segmentSets: 'runs' },
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: otherZoo },
        // what the traffic-sign net's default was before small networks got per-intermediate levels up to 4 layers
        { elementBytes: 4, space: 'full', maxRecompute: d, networks: ['zoo:traffic'], ownLevelsUpTo: 2 },
        { maxFuse: 2, elementBytes: 1, space: 'full', maxRecompute: d, networks: zoo },
        { maxFuse: 1, elementBytes: 1, space: 'full', maxRecompute: d, networks: zoo },
        { maxFuse: 2, elementBytes: 1, space: 'seed', maxRecompute: d, networks: zoo },
    ];
    for (const { maxFuse, elementBytes, space, maxRecompute, networks, ownLevelsUpTo, segmentSets, maxFuseOutputs, } of runs)
        for (const source of networks) {
            const net = loadNetwork(source);
            const name = source.startsWith('zoo:') ? source.slice(4) : `${net.name.replace(/\.shape$/, '')} (ONNX)`;
            if (only !== undefined && !only.includes(name))
                continue;
            let peak = residentBytes();
            const timer = setInterval(() => {
                peak = Math.max(peak, residentBytes());
            }, 50);
            const secondsRuns = [];
            let r;
            const repeats = maxFuse === undefined && elementBytes === 1 && space === 'full' && source.startsWith('zoo:') ? 3 : 1;
            for (let k = 0; k < repeats; k++) {
                const t0 = process.hrtime.bigint();
                r = await explore(net, {
                    space,
                    elementBytes,
                    ...(maxFuse === undefined ? {} : { maxFuse }),
                    ...(maxRecompute === null ? {} : { maxRecompute }),
                    ...(ownLevelsUpTo === undefined ? {} : { ownLevelsUpTo }),
                    ...(segmentSets === undefined ? {} : { segmentSets }),
                    ...(maxFuseOutputs === undefined ? {} : { maxFuseOutputs }),
                    threads: availableParallelism(),
                });
                secondsRuns.push(Number(process.hrtime.bigint() - t0) / 1e9);
            }
            const seconds = [...secondsRuns].sort((a, b) => a - b)[Math.floor(secondsRuns.length / 2)];
            clearInterval(timer);
            peak = Math.max(peak, residentBytes());
            const within = {};
            const macsWithin = {};
            const deepestWithin = {};
            for (const b of budgets) {
                const fits = r.front.filter((p) => p.bytes <= b);
                within[`${b / 1024}KiB`] = fits.length > 0 ? fits.at(-1).accesses : null;
                macsWithin[`${b / 1024}KiB`] = fits.length > 0 ? fits.at(-1).macs : null;
                deepestWithin[`${b / 1024}KiB`] =
                    fits.length > 0 ? Math.max(...fits.at(-1).schedule.segments.map((g) => g.layers.length)) : null;
            }
            out.push({
                network: name,
                source,
                elementBytes,
                seconds,
                secondsRuns,
                peakRssMiB: Math.round(peak / 2 ** 20),
                maxFuse: r.maxFuse,
                maxFuseJoins: r.maxFuseJoins,
                ...(r.maxFuseOutputs === undefined ? {} : { maxFuseOutputs: r.maxFuseOutputs }),
                ownLevelsUpTo: r.ownLevelsUpTo,
                maxTiledFuse: r.maxTiledFuse ?? null,
                maxRecompute,
                space,
                segmentSets: r.segmentSets,
                distinctSegmentsSearched: r.segmentsSearched,
                prefixesVisited: r.searchStats.prefixes,
                tilingsCosted: r.searchStats.tilings,
                frontPoints: r.front.length,
                accessesWithin: within,
                macsWithin,
                deepestWithin,
                leastMacs: r.baseline.macs,
                baselineAccesses: r.baseline.accesses,
                lowerBoundAccesses: r.lowerBound.accesses,
            });
            log(out.at(-1));
        }
    return out;
}
/**
 * Resident bytes of this process and its child processes (explore's search processes), from /proc where
 * there is one (Linux); elsewhere this process's alone.
 */
function residentBytes() {
    let total = process.memoryUsage().rss;
    let pids;
    try {
        pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
    }
    catch {
        return total;
    }
    for (const pid of pids) {
        try {
            const status = readFileSync(`/proc/${pid}/status`, 'utf8');
            if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid)
                continue;
            total += Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
        }
        catch {
            // the process ended meanwhile
        }
    }
    return total;
}
//# sourceMappingURL=explore.js.map