// Whole-network exploration: a Pareto front per segment, then the exact network front over partitions.
// So far segments are single layers: fused segments are not searched yet (docs/search-design.md).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Layer, Network } from '../ir/network.js';
import { networkStats } from '../ir/stats.js';
import { baselineSchedule, evaluateSchedule } from '../model/evaluate.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import type { LayerFrontOptions } from './layer-search.js';
import { singleLayerFront } from './layer-search.js';
import { networkFront } from './network-front.js';
import type { Point } from './pareto.js';
import type { SpaceName } from './space.js';
import { candidateSegments } from './space.js';

export interface ExploreOptions {
  space: SpaceName;
  elementBytes: ElementBytes;
  /** Worker threads for the per-layer searches (1: search in this thread). Results do not depend on it. */
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
  segmentsSearched: number;
}

/** What makes two single layers search the same: everything but names. */
function signature(layer: Layer, seg: Segment): string {
  const {
    name: _n,
    inputs: _i,
    weights: _w,
    bias: _b,
    ...geometry
  } = layer as Layer & {
    weights?: unknown;
    bias?: unknown;
  };
  const shapes = layer.inputs.map((t) => seg.shapes.get(t));
  // add(x, x) has one input buffer, add(x, y) two
  const operands = layer.inputs.map((t) => layer.inputs.indexOf(t));
  return JSON.stringify({ geometry, shapes, operands });
}

export async function explore(net: Network, options: ExploreOptions): Promise<ExploreResult> {
  const candidates = candidateSegments(net, 1);
  // Layers of the same signature search the same space: search each signature once.
  const keys = candidates.map((c) => signature(c.segment.last, c.segment));
  const distinct = [...new Set(keys)];
  const first = new Map(distinct.map((k) => [k, candidates[keys.indexOf(k)]!.segment]));
  let done = 0;
  const fronts = await searchAll(
    distinct.map((k) => first.get(k)!),
    { space: options.space, elementBytes: options.elementBytes },
    options.threads ?? 1,
    () => options.progress?.(++done, distinct.length),
  );
  const cache = new Map(distinct.map((k, i) => [k, fronts[i]!]));
  const segmentOptions = candidates.map((c, i) => {
    const front = cache.get(keys[i]!)!;
    // a shared front has another layer's names: rename
    const names = c.segment.layers.map((l) => l.name);
    const renamed = front.map((p) => ({ ...p, item: renameSchedule(p.item, c.segment, names) }));
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
    segmentsSearched: distinct.length,
  };
}

/** A schedule found for one layer, given to another layer of the same signature. */
function renameSchedule(s: SegmentSchedule, seg: Segment, names: string[]): SegmentSchedule {
  if (s.layers[0] === names[0]) return s;
  const ids = seg.buffers.map((b) => b.id);
  const old = Object.keys(s.buffers);
  const buffers: SegmentSchedule['buffers'] = {};
  // buffers keep their order (inputs, weights, output), so they map one to one
  old.forEach((id, k) => {
    buffers[ids[k]!] = s.buffers[id]!;
  });
  return { ...s, layers: names, buffers };
}

/**
 * Single-layer fronts of the segments, in their order, on up to `threads` worker threads (in this
 * thread when 1, or when the compiled worker is not there, as under the test runner).
 */
async function searchAll(
  segments: Segment[],
  options: LayerFrontOptions,
  threads: number,
  onDone: () => void,
): Promise<Point<SegmentSchedule>[][]> {
  const script = fileURLToPath(new URL('./search-worker.js', import.meta.url));
  const n = Math.min(threads, segments.length);
  if (n <= 1 || !existsSync(script))
    return segments.map((seg) => {
      const f = singleLayerFront(seg, options);
      onDone();
      return f;
    });
  const results: Point<SegmentSchedule>[][] = new Array(segments.length);
  // largest searches first, so the threads finish together
  const size = (seg: Segment) => Object.values(seg.dims).reduce((a, b) => a * b, 1);
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
              w.postMessage({ id, segment: segments[id], options });
            };
            w.on('message', (m: { id: number; front: Point<SegmentSchedule>[] }) => {
              results[m.id] = m.front;
              onDone();
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
