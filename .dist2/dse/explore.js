// Whole-network exploration: a Pareto front per candidate segment (single layers and fused sets of up to
// maxFuse layers: chains, blocks with branches and joins), then the exact network front over every way
// to run the network as a sequence of them.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withoutParameters } from '../ir/network.js';
import { consumersOf, exactCount, layerProducers, layerStats, networkStats, tensorShapes, } from '../ir/stats.js';
import { dramViews } from '../ir/views.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import { scheduleFormat, scheduleVersion } from '../model/schedule.js';
import { isChain } from '../model/segment.js';
import { chainOf, networkFront, wideGraph } from './network-front.js';
import { paretoFront } from './pareto.js';
import { sharesTables } from './segment-factors.js';
import { candidateSegments } from './space.js';
import { searchSegment } from './streaming.js';
/** What makes two segments search the same: everything but names (layers, wiring, shapes, seed space rules). */
function signature(seg) {
    const local = new Map();
    const id = (t) => {
        if (!local.has(t))
            local.set(t, local.size);
        return local.get(t);
    };
    const layers = seg.layers.map((layer) => {
        const { name: _n, inputs, ...geometry } = withoutParameters(layer);
        // add(x, x) has one input buffer, add(x, y) two; inside a chain, which operand is the intermediate
        return { geometry, inputs: inputs.map((t) => [id(t), seg.shapes.get(t)]), out: id(layer.name) };
    });
    // intermediates also written to DRAM (segments with several outputs)
    return JSON.stringify([
        seg.view,
        ...layers,
        seg.buffers.filter((b) => b.exported).map((b) => id(b.tensor)),
    ]);
}
/** The paper tool fuses only convolutions (docs/schedule-format.md). */
function inSpace(seg, space) {
    return space !== 'seed' || seg.layers.length === 1 || seg.layers.every((l) => l.kind === 'conv');
}
/**
 * By default, segments up to this many layers give each intermediate its own store and fill levels; in
 * longer ones all intermediates share one (store, fill), which keeps the search about linear in depth
 * (docs/search-design.md says what that leaves out; ExploreOptions.ownLevelsUpTo sets another depth).
 */
export const eachLevelsUpTo = 2;
/**
 * The segments searched with per-intermediate levels unless told otherwise: up to 4 layers on networks
 * of at most 8 layers (a few such segments, seconds more; the traffic-sign detector reaches its floor
 * so), up to eachLevelsUpTo on larger ones, where each more layer costs about three times the search.
 */
export function defaultOwnLevels(net) {
    return net.layers.length <= 8 ? 4 : eachLevelsUpTo;
}
/**
 * The recomputation limit the commands search with unless told otherwise: a fused segment computes at
 * most this many times its least MACs. The front is over bytes and accesses only, so without a limit
 * the point for a budget may buy a fraction of a percent fewer accesses with many times the MACs.
 */
export const defaultMaxRecompute = 1.1;
/**
 * How many layers a segment with joins fuses by default. Such segments are the many runs of a
 * network with skips or branches (every run of a residual network is one), and searching them all takes
 * minutes; 12 layers (three bottleneck blocks) bring ResNet-152 within 1.5x its floor at 4 MiB, longer
 * runs a percent more (docs/search-design.md).
 */
export const defaultMaxFuseJoins = 12;
/**
 * How many layers a chain (every tensor read by one of its layers) is searched over tiled schedules by
 * default; longer ones get their streaming schedules only. On the paper's plain chains (VGG, VDSR) the
 * longer tiled searches took three quarters of the time and moved no point of the front by more than
 * 0.33 % (docs/search-design.md).
 */
export const defaultMaxTiledFuse = 4;
export async function explore(net, options) {
    // no limit by default: chains up to the whole network
    const maxFuse = options.maxFuse ?? net.layers.length;
    const maxFuseJoins = Math.min(maxFuse, options.maxFuseJoins ?? defaultMaxFuseJoins);
    // a graph too wide for a front over its down-sets: over the prefixes of its layer order, with runs
    const graph = layerProducers(net);
    const wide = wideGraph(graph);
    const segmentSets = wide ? 'runs' : (options.segmentSets ?? 'dag');
    const producers = wide ? chainOf(net.layers.length) : graph;
    const maxFuseOutputs = Math.min(maxFuse, options.maxFuseOutputs ?? 0);
    const candidates = candidateSegments(net, maxFuse, maxFuseJoins, segmentSets, maxFuseOutputs).filter((c) => inSpace(c.segment, options.space));
    // Segments equal but for names search the same space: search each once.
    const keys = candidates.map((c) => signature(c.segment));
    const distinct = [...new Set(keys)];
    const firstAt = new Map(distinct.map((k) => [k, keys.indexOf(k)]));
    // no deeper than the segments searched (the front file records what was)
    const ownLevels = Math.min(maxFuse, options.ownLevelsUpTo ?? defaultOwnLevels(net));
    // streaming schedules ride with the first search of each fused segment
    const streaming = options.space === 'seed' || options.maxStrips === 0
        ? undefined
        : {
            elementBytes: options.elementBytes,
            ...(options.maxRecompute === undefined ? {} : { maxRecompute: options.maxRecompute }),
            ...(options.maxStrips === undefined ? {} : { maxStrips: options.maxStrips }),
        };
    // segments asked to have per-intermediate levels are searched tiled however long
    const maxTiledFuse = streaming === undefined
        ? undefined
        : Math.min(maxFuse, options.maxTiledFuse ?? Math.max(defaultMaxTiledFuse, ownLevels));
    const tiled = (seg) => maxTiledFuse === undefined || seg.layers.length <= maxTiledFuse || !isChain(seg);
    const groups = suffixGroups(candidates, keys, firstAt, distinct.filter((k) => {
        const seg = candidates[firstAt.get(k)].segment;
        return tiled(seg) && seg.layers.length > eachLevelsUpTo;
    }));
    let done = 0;
    const work = { prefixes: 0, tilings: 0 };
    const found = new Map();
    // A chain is searched once the shorter runs inside it are: what it achieves split into them bounds
    // its own search. Which searches run at the same time does not change any result.
    const within = (k) => {
        const outer = new Set(candidates[firstAt.get(k)].layers);
        const inside = new Set();
        candidates.forEach((e, i) => {
            if (strictlyInside(e.layers, outer))
                inside.add(keys[i]);
        });
        return [...inside];
    };
    const pool = new SearchPool(options.threads ?? 1);
    const searches = new Map();
    const deep = (k) => candidates[firstAt.get(k)].segment.layers.length > ownLevels;
    // Deep chains wait for every single layer and pair: the network front over those is achievable, so
    // it also bounds them (networkBound).
    let short;
    const least = leastMoved(net);
    const shortFront = () => {
        short ??= Promise.all(distinct.filter((k) => !deep(k)).map(searchOf)).then(() => networkFront(producers, candidates.flatMap((c, i) => deep(keys[i]) ? [] : [{ layers: c.layers, front: found.get(keys[i]) }])).map((p) => ({ bytes: p.bytes, accesses: p.accesses })));
        return short;
    };
    const searchOf = (k) => {
        let p = searches.get(k);
        if (p === undefined) {
            const at = firstAt.get(k);
            const segment = candidates[at].segment;
            const isTiled = tiled(segment);
            const before = !isTiled
                ? []
                : deep(k)
                    ? [...within(k).map(searchOf), shortFront()]
                    : within(k).map(searchOf);
            p = Promise.all(before).then(async () => {
                if (!isTiled) {
                    found.set(k, (await pool.search(segment, undefined, streaming)).front);
                    options.progress?.(++done, distinct.length);
                    return;
                }
                const bound = segment.layers.length === 1
                    ? undefined
                    : [
                        ...splitFront(candidates, keys, found, at, producers),
                        ...(deep(k) ? networkBound(least, candidates[at].layers, await shortFront()) : []),
                    ];
                const search = (intermediates, i) => pool.search(segment, {
                    space: options.space,
                    elementBytes: options.elementBytes,
                    bound,
                    intermediates,
                    ...(intermediates === 'shared' && groups.has(k) ? { group: groups.get(k) } : {}),
                    ...(options.maxRecompute === undefined ? {} : { maxRecompute: options.maxRecompute }),
                }, i === 0 ? streaming : undefined);
                const layers = segment.layers.length;
                // Beyond pairs, per-intermediate levels (when asked) are searched besides the shared ones, whose
                // space has warm-up loops the other lacks: the front of both.
                const modes = layers <= eachLevelsUpTo ? ['each'] : layers <= ownLevels ? ['each', 'shared'] : ['shared'];
                const results = await Promise.all(modes.map(search));
                found.set(k, results.length === 1 ? results[0].front : paretoFront(results.flatMap((r) => r.front)));
                for (const { stats } of results) {
                    work.prefixes += stats.prefixes;
                    work.tilings += stats.tilings;
                }
                options.progress?.(++done, distinct.length);
            });
            searches.set(k, p);
        }
        return p;
    };
    try {
        await Promise.all(distinct.map(searchOf));
    }
    finally {
        pool.close();
    }
    const fronts = distinct.map((k) => found.get(k));
    const first = new Map(distinct.map((k) => [k, candidates[firstAt.get(k)].segment]));
    const cache = new Map(distinct.map((k, i) => [k, { front: fronts[i], segment: first.get(k) }]));
    const segmentOptions = candidates.map((c, i) => {
        const found = cache.get(keys[i]);
        // a shared front has another segment's names: rename
        const renamed = found.front.map((p) => ({
            ...p,
            item: renameSchedule(p.item, found.segment, c.segment),
        }));
        return { layers: c.layers, front: renamed };
    });
    const points = networkFront(producers, segmentOptions);
    const front = points.map((p) => {
        const schedule = {
            format: scheduleFormat,
            version: scheduleVersion,
            network: net.name,
            elementBytes: options.elementBytes,
            segments: p.item.parts.map((part) => part.point.item),
        };
        // sums of non-negative counts: exact totals mean every term was exact too
        return {
            bytes: exactCount(p.bytes, 'the on-chip bytes of a front point'),
            accesses: exactCount(p.accesses, 'the DRAM accesses of a front point'),
            macs: exactCount(p.macs, 'the MACs of a front point'),
            segments: p.item.parts.length,
            schedule,
        };
    });
    const base = evaluateSchedule(net, baselineSchedule(net, options.elementBytes));
    const stats = networkStats(net);
    const outputs = net.outputs.reduce((n, o) => {
        const s = net.layers.find((l) => l.name === o).shape;
        return n + s.c * s.h * s.w;
    }, 0);
    return {
        network: net.name,
        space: options.space,
        elementBytes: options.elementBytes,
        front,
        baseline: { bytes: base.onChipBytes, accesses: base.dramAccesses, macs: base.macs },
        lowerBound: { accesses: stats.inputElements + stats.parameters + outputs },
        maxFuse,
        maxFuseJoins,
        ...(maxFuseOutputs > 0 ? { maxFuseOutputs } : {}),
        ownLevelsUpTo: ownLevels,
        ...(maxTiledFuse === undefined ? {} : { maxTiledFuse }),
        maxRecompute: options.maxRecompute ?? 'none',
        segmentSets,
        segmentsSearched: distinct.length,
        searchStats: work,
    };
}
/** Numbers suffix groups uniquely within the process (a search process may serve several explores). */
let groupsNumbered = 0;
/**
 * Groups of the segments searched with shared levels that end at one layer, their tables computed
 * together (suffixTables: one set of model runs for the largest serves each of its parts that
 * sharesTables allows: its suffixes in the network's order, and parts leaving out layers read once on the
 * way to the last, as a parallel branch). Each distinct segment is searched at one of its occurrences
 * (equal but for names, they search the same space): moves `firstAt` of those to the ends that gather
 * the most of them, greedily, the largest there first.
 */
function suffixGroups(candidates, keys, firstAt, shared) {
    const at = new Map(shared.map((k) => [k, new Map()]));
    keys.forEach((k, i) => {
        at.get(k)?.set(candidates[i].layers.at(-1), i);
    });
    const left = new Set(shared);
    const groups = new Map();
    while (left.size > 0) {
        const gathered = new Map();
        for (const k of left)
            for (const e of at.get(k).keys())
                gathered.set(e, (gathered.get(e) ?? 0) + 1);
        let end = -1;
        for (const [e, n] of gathered)
            if (end < 0 || n > gathered.get(end))
                end = e;
        const segmentOf = (k) => candidates[at.get(k).get(end)].segment;
        const here = [...left].filter((k) => at.get(k).has(end));
        const largest = here.reduce((a, b) => (segmentOf(b).layers.length > segmentOf(a).layers.length ? b : a));
        const members = [
            largest,
            ...here.filter((k) => k !== largest && sharesTables(segmentOf(largest), segmentOf(k))),
        ];
        const segments = members.map(segmentOf);
        const id = ++groupsNumbered;
        members.forEach((k, index) => {
            firstAt.set(k, at.get(k).get(end));
            groups.set(k, { id, segments, index });
            left.delete(k);
        });
    }
    return groups;
}
/** Whether a segment's layers are some of another's, fewer. */
function strictlyInside(inner, outer) {
    return inner.length < outer.size && inner.every((l) => outer.has(l));
}
/**
 * The front of the segment candidates[at] run as smaller segments (those inside it already searched):
 * the largest segment's bytes against the summed accesses, over every way to split it.
 */
function splitFront(candidates, keys, found, at, producers) {
    const c = candidates[at];
    // the segment as a network of its own: its layers numbered from 0, what they read outside it in DRAM
    const local = new Map(c.layers.map((l, k) => [l, k]));
    const outer = new Set(c.layers);
    const parts = candidates
        .map((o, i) => ({ o, front: found.get(keys[i]) }))
        .filter(({ o, front }) => front && strictlyInside(o.layers, outer))
        .map(({ o, front }) => ({ layers: o.layers.map((l) => local.get(l)), front: front }));
    const inside = c.layers.map((l) => producers[l].filter((p) => local.has(p)).map((p) => local.get(p)));
    return networkFront(inside, parts).map((p) => ({ bytes: p.bytes, accesses: p.accesses }));
}
/**
 * Per layer, what it moves at the least in any network schedule: the network outputs it writes, and its
 * weights (all of them are read once the layer computes every output channel, as it does unless its
 * only reader is a slice).
 */
function leastMoved(net) {
    const shapes = tensorShapes(net);
    const consumers = consumersOf(net);
    const { views } = dramViews(net);
    return net.layers.map((l) => {
        // a view writes nothing: its producers write what a network output it is holds
        if (views.has(l.name))
            return 0;
        const output = net.outputs.includes(l.name);
        const users = consumers.get(l.name) ?? [];
        const partial = users.length === 1 && users[0].kind === 'slice' && !output;
        const stats = layerStats(l, shapes);
        return (partial ? 0 : stats.weightElements + stats.biasElements) + (output ? stats.outputElements : 0);
    });
}
/**
 * Network points already achievable, seen from one segment (its layers): every network schedule
 * using a segment point (b, a) has at least b bytes and at least a plus `rest` accesses, `rest` being
 * what the other layers move at the least (leastMoved). A network point with no more bytes than b and no
 * more accesses than that makes the segment point useless, so (bytes, accesses - rest) bounds the
 * segment's search as its splits do.
 */
function networkBound(least, layers, front) {
    const mine = new Set(layers);
    const rest = least.reduce((n, m, i) => (mine.has(i) ? n : n + m), 0);
    return front
        .filter((p) => p.accesses >= rest)
        .map((p) => ({ bytes: p.bytes, accesses: p.accesses - rest }));
}
/** A schedule found for one segment, given to another of the same signature (buffers correspond by position). */
function renameSchedule(s, from, to) {
    if (from === to)
        return s;
    const buffers = {};
    from.buffers.forEach((b, k) => {
        buffers[to.buffers[k].id] = s.buffers[b.id];
    });
    return { ...s, layers: to.layers.map((l) => l.name), buffers };
}
/**
 * V8 flags of the search processes. Collecting garbage on the searching thread alone: V8's helper
 * threads would compete with the other search for this machine's few cores (on 2 cores ResNet-152
 * explored in a median 10.2 s against 10.9 s with worker threads, docs/search-design.md). V8 takes
 * such flags only at start, hence processes, not worker threads.
 */
const searchFlags = ['--single-threaded-gc'];
/** Signals that stop memsched: a search process they end is not a failure (the parent is exiting too). */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/**
 * Processes searching segment fronts, kept for the whole exploration, each searching one segment at a
 * time, the largest waiting one first. Without them (1 thread, or when the compiled script is not
 * there, as under the test runner) segments are searched in this thread as they are asked for.
 */
class SearchPool {
    threads;
    idle = [];
    all = [];
    waiting = [];
    inThread;
    /** Per suffix group, the process that last computed its tables, and how many members are searched. */
    groups = new Map();
    membersSearched = new Map();
    bareLayers = new Map();
    script = fileURLToPath(new URL('./search-process.js', import.meta.url));
    constructor(threads) {
        this.threads = threads;
        this.inThread = threads <= 1 || !existsSync(this.script);
    }
    search(segment, options, streaming) {
        if (this.inThread)
            return Promise.resolve(searchSegment(segment, options, streaming));
        return new Promise((done, failed) => {
            const size = segment.layers.length * Object.values(segment.dims).reduce((a, b) => a * b, 1);
            this.waiting.push({ segment, options, streaming, size, done, failed });
            this.waiting.sort((a, b) => b.size - a.size);
            this.dispatch();
        });
    }
    dispatch() {
        while (this.waiting.length > 0) {
            if (this.idle.length === 0 && this.all.length < this.threads) {
                const p = fork(this.script, [], { execArgv: searchFlags, serialization: 'advanced' });
                if (this.all.length === 0)
                    process.once('exit', this.stop);
                this.all.push(p);
                this.idle.push(p);
            }
            const p = this.idle.pop();
            if (p === undefined)
                return;
            const job = this.waiting.splice(this.nextFor(p), 1)[0];
            const group = job.options?.group?.id;
            if (group !== undefined)
                this.groups.set(group, p);
            const onExit = (code, signal) => {
                // stopped with memsched: its exit code is memsched's to give
                if (signal !== null && stopSignals.includes(signal))
                    return;
                job.failed(new Error(`internal: a search process exited (${signal ?? `code ${code}`})`));
            };
            p.once('exit', onExit);
            p.once('message', (m) => {
                p.off('exit', onExit);
                this.idle.push(p);
                if (group !== undefined)
                    this.searched(group, job.options.group.segments.length);
                job.done(m);
                this.dispatch();
            });
            const members = job.options?.group;
            p.send({
                segment: this.bare(job.segment),
                options: members === undefined
                    ? job.options
                    : { ...job.options, group: { ...members, segments: members.segments.map(this.bare) } },
                streaming: job.streaming,
            });
        }
    }
    /**
     * A segment without its layers' weights and other parameter arrays: the search reads shapes only, and
     * a model's parameters would be copied to the search process with every job. The same layer objects
     * each time, so that a message holding several segments holds each layer once.
     */
    bare = (seg) => {
        const layers = seg.layers.map((l) => {
            let b = this.bareLayers.get(l);
            if (b === undefined) {
                b = withoutParameters(l);
                this.bareLayers.set(l, b);
            }
            return b;
        });
        return { ...seg, layers, last: layers.at(-1) };
    };
    /** Counts a group's member searched; once all are, no process needs its tables any more. */
    searched(group, members) {
        const n = (this.membersSearched.get(group) ?? 0) + 1;
        this.membersSearched.set(group, n);
        if (n === members)
            for (const p of this.all)
                if (p.connected)
                    p.send({ drop: group });
    }
    /**
     * The largest waiting job for process p, but one whose suffix group another process computed the
     * tables of (they are kept there) when one without is waiting.
     */
    nextFor(p) {
        const at = this.waiting.findIndex((j) => {
            const g = j.options?.group?.id;
            const holder = g === undefined ? undefined : this.groups.get(g);
            return holder === undefined || holder === p;
        });
        return Math.max(at, 0);
    }
    /** Ends the search processes, busy or not (on exit too: a search would otherwise run to its end). */
    stop = () => {
        for (const p of this.all)
            if (p.exitCode === null && p.signalCode === null)
                p.kill();
    };
    close() {
        process.off('exit', this.stop);
        this.stop();
    }
}
//# sourceMappingURL=explore.js.map