// The schedule space the search explores: tile sizes, loop orders, buffer levels, segments.

import type { Network } from '../ir/network.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule, TileSizes } from '../model/schedule.js';
import { levelAt, loopNames } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { analyzeSegment, hasJoins } from '../model/segment.js';

/**
 * `full`: every tile size from 1 to the extent; `ceil`: only the distinct values of ceil(d/n), one per
 * tile count (smaller, but it can miss front points: see tileCandidates); `seed`: the paper tool's
 * space as far as it maps onto ours: powers of two plus the whole extent, every buffer stored where it
 * is filled (no reuse between iterations), layers not fused.
 */
export type SpaceName = 'full' | 'ceil' | 'seed';

/**
 * Tile sizes tried for an extent. `ceil` keeps one size per tile count, the smallest; that is not
 * exact under edge-exact counting: a larger tile with the same count makes the edge tile smaller, and
 * when the edge tile's window is clipped by the border it can move fewer elements, so sizes between
 * the ceil(d/n) values can be on the front (test/dse/space.test.ts finds such cases).
 */
export function tileCandidates(d: number, space: SpaceName): number[] {
  if (space === 'seed') {
    const out: number[] = [];
    for (let t = 1; t < d; t *= 2) out.push(t);
    out.push(d);
    return out;
  }
  const out = new Set<number>();
  for (let n = 1; n <= d; n++) out.add(space === 'full' ? n : Math.ceil(d / n));
  return [...out].sort((a, b) => a - b);
}

/** All 24 loop orders, outermost first, in a fixed order. */
export function loopOrders(): SegmentSchedule['order'][] {
  const out: SegmentSchedule['order'][] = [];
  const rec = (prefix: LoopName[], rest: LoopName[]) => {
    if (rest.length === 0) out.push(prefix as SegmentSchedule['order']);
    rest.forEach((l, i) => {
      rec([...prefix, l], [...rest.slice(0, i), ...rest.slice(i + 1)]);
    });
  };
  rec([], [...loopNames]);
  return out;
}

/**
 * Whether swapping x and y maps the segment onto itself: square tensors, and every window (kernel,
 * stride, dilation, padding) the same along both. Then a schedule and its mirror (x and y swapped in
 * the tiles, the order and the levels) cost exactly the same.
 */
export function mirrorSymmetric(seg: Segment): boolean {
  if (seg.dims.x !== seg.dims.y || [...seg.shapes.values()].some((s) => s.h !== s.w)) return false;
  return seg.layers.every((l) => {
    if (l.kind !== 'conv' && l.kind !== 'pool') return true;
    const p = l.pads;
    const same = (a: readonly [number, number]) => a[0] === a[1];
    return (
      same(l.kernel) &&
      same(l.stride) &&
      (l.kind !== 'conv' || same(l.dilation)) &&
      p.top === p.left &&
      p.bottom === p.right
    );
  });
}

/**
 * Loops of one iteration whatever the tile: an extent of 1 (a fully connected layer's x and y, the
 * reduction of a layer without one), or the reduction of a grouped convolution (always whole).
 */
export function singleIterationLoops(seg: Segment): LoopName[] {
  const last = seg.last;
  return loopNames.filter(
    (l) => seg.dims[l] === 1 || (l === 'zi' && last.kind === 'conv' && last.groups > 1),
  );
}

/**
 * The tile-loop orders a search walks: the paper tool's (one loop innermost, the others in the order
 * x, y, zo, zi) in the seed space; else all 24, or for a mirror-symmetric segment the 12 with x outside
 * y (each of the others is the mirror of one of them, at the same cost). A loop of one iteration changes
 * nothing wherever it sits (its levels and the next outer one's are the same): only the orders with such
 * loops innermost, in a fixed order, are walked.
 */
export function searchOrders(seg: Segment, space: SpaceName): SegmentSchedule['order'][] {
  if (space === 'seed')
    return loopNames.map((l) => [...loopNames.filter((m) => m !== l), l] as SegmentSchedule['order']);
  const single = singleIterationLoops(seg);
  const all = loopOrders().filter((o) => single.every((l, k) => o[4 - single.length + k] === l));
  return mirrorSymmetric(seg) ? all.filter((o) => o.indexOf('x') < o.indexOf('y')) : all;
}

export function tileCombinations(seg: Segment, space: SpaceName): TileSizes[] {
  const c = Object.fromEntries(loopNames.map((l) => [l, tileCandidates(seg.dims[l], space)])) as Record<
    LoopName,
    number[]
  >;
  const last = seg.last;
  // Grouped convolutions reduce whole (see the execution model).
  if (last.kind === 'conv' && last.groups > 1) c.zi = [seg.dims.zi];
  const out: TileSizes[] = [];
  for (const x of c.x)
    for (const y of c.y) for (const zo of c.zo) for (const zi of c.zi) out.push({ x, y, zo, zi });
  return out;
}

/**
 * Every legal assignment of levels to the segment's buffers for an order (producers' fills at or above
 * their readers' compute levels), as a generator: consumers are assigned before their producers.
 */
export function* levelAssignments(
  seg: Segment,
  order: SegmentSchedule['order'],
): Generator<Record<string, BufferLevels>> {
  const buffers = [...seg.buffers].reverse();
  const assigned: Record<string, BufferLevels> = {};
  const compute = new Map<string, number>([[seg.last.name, 4]]);
  const depthOf = (l: Level) => (l === 'root' ? 0 : order.indexOf(l as LoopName) + 1);
  function* rec(i: number): Generator<Record<string, BufferLevels>> {
    if (i === buffers.length) {
      yield Object.fromEntries(seg.buffers.map((b) => [b.id, assigned[b.id]!]));
      return;
    }
    const b = buffers[i]!;
    let max = 4;
    // a tensor read by several layers: at or above each one's compute level
    if (b.role !== 'output') max = Math.min(...b.readers.map((l) => compute.get(l)!));
    for (let fill = 0; fill <= max; fill++)
      for (let store = 0; store <= fill; store++) {
        assigned[b.id] = { store: levelAt(order, store), fill: levelAt(order, fill) };
        if (b.role === 'intermediate') compute.set(b.layer, depthOf(assigned[b.id]!.fill));
        yield* rec(i + 1);
      }
  }
  yield* rec(0);
}

/**
 * Runs of consecutive layers (in the network's order) of at most maxFuse layers that form a segment,
 * those in which some tensor is read by several layers (joins) of at most maxFuseJoins.
 */
export function candidateSegments(
  net: Network,
  maxFuse: number,
  maxFuseJoins = maxFuse,
): { start: number; end: number; segment: Segment }[] {
  const out: { start: number; end: number; segment: Segment }[] = [];
  const n = net.layers.length;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j <= Math.min(n, i + maxFuse); j++) {
      let segment: Segment;
      try {
        segment = analyzeSegment(
          net,
          net.layers.slice(i, j).map((l) => l.name),
        );
      } catch {
        // not a segment (an intermediate is read outside it): skip
        continue;
      }
      // a join stays inside every longer run from i
      if (j - i > maxFuseJoins && hasJoins(segment)) break;
      out.push({ start: i, end: j, segment });
    }
  return out;
}
