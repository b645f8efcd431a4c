// The network front from per-segment fronts. Segments run one after another: accesses add up and the
// on-chip memory is the largest segment's. So for a memory threshold M the best partition of the
// layer order is a shortest path where a segment costs its fewest accesses within M; sweeping M over
// every segment point's size gives the whole front exactly, without cross products.

import type { Point } from './pareto.js';
import { paretoFront } from './pareto.js';

/** Layers [start, end) of the network's topological order, with their Pareto front. */
export interface SegmentOption<T> {
  start: number;
  end: number;
  /** Sorted by bytes ascending (as paretoFront returns it). */
  front: Point<T>[];
}

export interface Partition<T> {
  /** The chosen segments in order, each with its chosen point. */
  parts: { start: number; end: number; point: Point<T> }[];
}

/**
 * The exact Pareto front over all partitions of layers [0, layers) into the given segments, each using
 * any point of its front. Deterministic: ties keep the partition with fewer MACs, then the one whose
 * segments end earliest.
 */
export function networkFront<T>(layers: number, options: SegmentOption<T>[]): Point<Partition<T>>[] {
  const byEnd: SegmentOption<T>[][] = Array.from({ length: layers + 1 }, () => []);
  for (const o of options) if (o.front.length > 0) byEnd[o.end]!.push(o);
  const thresholds = [...new Set(options.flatMap((o) => o.front.map((p) => p.bytes)))].sort((a, b) => a - b);
  // For each option, the index of its best point within the current threshold (advances monotonically).
  const within = new Map<SegmentOption<T>, number>();
  const results: Point<Partition<T>>[] = [];
  for (const m of thresholds) {
    for (const o of options) {
      let k = within.get(o) ?? -1;
      while (k + 1 < o.front.length && o.front[k + 1]!.bytes <= m) k++;
      within.set(o, k);
    }
    const acc = new Array<number>(layers + 1).fill(Number.POSITIVE_INFINITY);
    const macs = new Array<number>(layers + 1).fill(Number.POSITIVE_INFINITY);
    const from = new Array<{ o: SegmentOption<T>; k: number } | undefined>(layers + 1).fill(undefined);
    acc[0] = 0;
    macs[0] = 0;
    for (let j = 1; j <= layers; j++)
      for (const o of byEnd[j]!) {
        const k = within.get(o)!;
        if (k < 0 || acc[o.start] === Number.POSITIVE_INFINITY) continue;
        const p = o.front[k]!;
        const a = acc[o.start]! + p.accesses;
        const c = macs[o.start]! + p.macs;
        if (a < acc[j]! || (a === acc[j]! && c < macs[j]!)) {
          acc[j] = a;
          macs[j] = c;
          from[j] = { o, k };
        }
      }
    if (acc[layers] === Number.POSITIVE_INFINITY) continue;
    const parts: Partition<T>['parts'] = [];
    for (let j = layers; j > 0; ) {
      const { o, k } = from[j]!;
      parts.unshift({ start: o.start, end: o.end, point: o.front[k]! });
      j = o.start;
    }
    const bytes = Math.max(...parts.map((p) => p.point.bytes));
    results.push({ bytes, accesses: acc[layers]!, macs: macs[layers]!, item: { parts } });
  }
  return paretoFront(results);
}
