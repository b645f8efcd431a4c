// Whole-network exploration: a Pareto front per candidate segment (single layers and fused chains of up
// to maxFuse layers), then the exact network front over partitions.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Layer, Network } from '../ir/network.js';
import { networkStats } from '../ir/stats.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { networkFront } from './network-front.js';
import type { Point } from './pareto.js';
import type { SearchStats, SegmentFrontOptions } from './segment-search.js';
import { segmentFront } from './segment-search.js';
import type { SpaceName } from './space.js';
import { candidateSegments } from './space.js';

export interface ExploreOptions {
  space: SpaceName;
  elementBytes: ElementBytes;
  /** Longest chain of layers fused into one segment (1: layer by layer; default defaultMaxFuse). */
  maxFuse?: number;
  /** Worker threads for the per-segment searches (1: search in this thread). Results do not depend on it. */
  threads?: number;
  /** Called after each segment's front is known (for progress). */
  progress?: (done: number, total: number) => void;
}

export interface FrontPoint {
  /** On-chip bytes (the largest segment's), DRAM accesses in elements, MACs. Predictions of the model. */
  bytes: number;
  accesses: number;
  macs: number;
  segments: number;
  schedule: NetworkSchedule;
}

export interface ExploreResult {
  network: string;
  space: SpaceName;
  elementBytes: ElementBytes;
  /** The points, fewest bytes first. */
  front: FrontPoint[];
  /** The layer-by-layer whole-feature-map schedule every result is compared with. */
  baseline: { bytes: number; accesses: number };
  /** No schedule moves fewer elements: inputs read once, every weight once, outputs written once. */
  lowerBound: { accesses: number };
  /** Longest fused chain searched (absent in front files of versions that did not fuse). */
  maxFuse?: number;
  /** Distinct segments searched (segments equal but for names are searched once). */
  segmentsSearched: number;
  /** Work done by the segment searches (absent in older front files). */
  searchStats?: SearchStats;
}

/** What makes two segments search the same: everything but names (layers, wiring, shapes, seed space rules). */
function signature(seg: Segment): string {
  const local = new Map<string, number>();
  const id = (t: string) => {
    if (!local.has(t)) local.set(t, local.size);
    return local.get(t)!;
  };
  return JSON.stringify(
    seg.layers.map((layer) => {
      const {
        name: _n,
        inputs,
        weights: _w,
        bias: _b,
        ...geometry
      } = layer as Layer & { weights?: unknown; bias?: unknown };
      // add(x, x) has one input buffer, add(x, y) two; inside a chain, which operand is the intermediate
      return { geometry, inputs: inputs.map((t) => [id(t), seg.shapes.get(t)]), out: id(layer.name) };
    }),
  );
}

/** The paper tool fuses only convolutions (docs/schedule-format.md). */
function inSpace(seg: Segment, space: SpaceName): boolean {
  return space !== 'seed' || seg.layers.length === 1 || seg.layers.every((l) => l.kind === 'conv');
}

/** Chains longer than this are fused only when asked for: their search time grows fast. */
export const defaultMaxFuse = 2;

export async function explore(net: Network, options: ExploreOptions): Promise<ExploreResult> {
  const maxFuse = options.maxFuse ?? defaultMaxFuse;
  const candidates = candidateSegments(net, maxFuse).filter((c) => inSpace(c.segment, options.space));
  // Segments equal but for names search the same space: search each once.
  const keys = candidates.map((c) => signature(c.segment));
  const distinct = [...new Set(keys)];
  const firstAt = new Map(distinct.map((k) => [k, keys.indexOf(k)]));
  let done = 0;
  const work: SearchStats = { prefixes: 0, tilings: 0 };
  const found = new Map<string, Point<SegmentSchedule>[]>();
  // Shorter chains first: what a chain achieves split into shorter segments bounds its own search.
  for (let length = 1; length <= maxFuse; length++) {
    const wave = distinct.filter((k) => candidates[firstAt.get(k)!]!.segment.layers.length === length);
    const bounds = wave.map((k) =>
      length === 1 ? undefined : splitFront(candidates, keys, found, firstAt.get(k)!),
    );
    const fronts = await searchAll(
      wave.map((k) => candidates[firstAt.get(k)!]!.segment),
      wave.map((_, i) => ({ space: options.space, elementBytes: options.elementBytes, bound: bounds[i] })),
      options.threads ?? 1,
      (s) => {
        work.prefixes += s.prefixes;
        work.tilings += s.tilings;
        options.progress?.(++done, distinct.length);
      },
    );
    wave.forEach((k, i) => {
      found.set(k, fronts[i]!);
    });
  }
  const fronts = distinct.map((k) => found.get(k)!);
  const first = new Map(distinct.map((k) => [k, candidates[firstAt.get(k)!]!.segment]));
  const cache = new Map(distinct.map((k, i) => [k, { front: fronts[i]!, segment: first.get(k)! }]));
  const segmentOptions = candidates.map((c, i) => {
    const found = cache.get(keys[i]!)!;
    // a shared front has another segment's names: rename
    const renamed = found.front.map((p) => ({
      ...p,
      item: renameSchedule(p.item, found.segment, c.segment),
    }));
    return { start: c.start, end: c.end, front: renamed };
  });
  const points = networkFront(net.layers.length, segmentOptions);
  const front = points.map((p): FrontPoint => {
    const schedule: NetworkSchedule = {
      format: scheduleFormat,
      version: scheduleVersion,
      network: net.name,
      elementBytes: options.elementBytes,
      segments: p.item.parts.map((part) => part.point.item),
    };
    return { bytes: p.bytes, accesses: p.accesses, macs: p.macs, segments: p.item.parts.length, schedule };
  });
  const base = evaluateSchedule(net, baselineSchedule(net, options.elementBytes));
  const stats = networkStats(net);
  const outputs = net.outputs.reduce((n, o) => {
    const s = net.layers.find((l) => l.name === o)!.shape;
    return n + s.c * s.h * s.w;
  }, 0);
  return {
    network: net.name,
    space: options.space,
    elementBytes: options.elementBytes,
    front,
    baseline: { bytes: base.onChipBytes, accesses: base.dramAccesses },
    lowerBound: { accesses: stats.inputElements + stats.parameters + outputs },
    maxFuse,
    segmentsSearched: distinct.length,
    searchStats: work,
  };
}

/**
 * The front of the chain candidates[at] run as shorter segments (its sub-runs already searched): the
 * largest segment's bytes against the summed accesses, over every way to split it.
 */
function splitFront(
  candidates: { start: number; end: number; segment: Segment }[],
  keys: string[],
  found: Map<string, Point<SegmentSchedule>[]>,
  at: number,
): { bytes: number; accesses: number }[] {
  const c = candidates[at]!;
  const parts = candidates
    .map((o, i) => ({ o, front: found.get(keys[i]!) }))
    .filter(
      ({ o, front }) => front && o.start >= c.start && o.end <= c.end && o.end - o.start < c.end - c.start,
    )
    .map(({ o, front }) => ({ start: o.start - c.start, end: o.end - c.start, front: front! }));
  return networkFront(c.end - c.start, parts).map((p) => ({ bytes: p.bytes, accesses: p.accesses }));
}

/** A schedule found for one segment, given to another of the same signature (buffers correspond by position). */
function renameSchedule(s: SegmentSchedule, from: Segment, to: Segment): SegmentSchedule {
  if (from === to) return s;
  const buffers: SegmentSchedule['buffers'] = {};
  from.buffers.forEach((b, k) => {
    buffers[to.buffers[k]!.id] = s.buffers[b.id]!;
  });
  return { ...s, layers: to.layers.map((l) => l.name), buffers };
}

/**
 * Fronts of the segments, in their order, on up to `threads` worker threads (in this
 * thread when 1, or when the compiled worker is not there, as under the test runner).
 */
async function searchAll(
  segments: Segment[],
  options: SegmentFrontOptions[],
  threads: number,
  onDone: (stats: SearchStats) => void,
): Promise<Point<SegmentSchedule>[][]> {
  const script = fileURLToPath(new URL('./search-worker.js', import.meta.url));
  const n = Math.min(threads, segments.length);
  if (n <= 1 || !existsSync(script))
    return segments.map((seg, i) => {
      const stats = { prefixes: 0, tilings: 0 };
      const f = segmentFront(seg, options[i]!, stats);
      onDone(stats);
      return f;
    });
  const results: Point<SegmentSchedule>[][] = new Array(segments.length);
  // largest searches first, so the threads finish together
  const size = (seg: Segment) => seg.layers.length * Object.values(seg.dims).reduce((a, b) => a * b, 1);
  const queue = segments.map((_, i) => i).sort((a, b) => size(segments[b]!) - size(segments[a]!) || a - b);
  let next = 0;
  const workers = Array.from({ length: n }, () => new Worker(script));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= queue.length) return resolve();
              const id = queue[next++]!;
              w.postMessage({ id, segment: segments[id], options: options[id] });
            };
            w.on('message', (m: { id: number; front: Point<SegmentSchedule>[]; stats: SearchStats }) => {
              results[m.id] = m.front;
              onDone(m.stats);
              feed();
            });
            w.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
