// Random legal schedules: for property tests, benchmarks, and the `random` search strategy.

import { warmupNeeded } from '../model/cost.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule } from '../model/schedule.js';
import { levelAt, loopNames, warmupLoops } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { randomInt } from '../util/random.js';

/**
 * A uniformly random legal schedule of the segment (grouped last layers keep a whole reduction tile).
 * `sharedIntermediates`: every intermediate takes the same (store, fill), as deep chains are searched.
 * `warmup`: each spatial loop that can have one gets, half of the time, a random warm-up up to the
 * needed one (drawn after the rest, so the other draws do not change).
 */
export function randomSegmentSchedule(
  seg: Segment,
  r: () => number,
  sharedIntermediates = false,
  warmup = false,
): SegmentSchedule {
  const order = [...loopNames];
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(r, 0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const tile = { x: 0, y: 0, zo: 0, zi: 0 };
  for (const l of loopNames) tile[l] = randomInt(r, 1, seg.dims[l]);
  const last = seg.last;
  if (last.kind === 'conv' && last.groups > 1) tile.zi = seg.dims.zi;
  // Consumers first: a buffer's fill may not be inside its reader's compute level.
  const computeDepth = new Map<string, number>([[last.name, 4]]);
  const buffers: Record<string, BufferLevels> = {};
  const levels = (max: number): BufferLevels => {
    const fill = randomInt(r, 0, max);
    const store = randomInt(r, 0, fill);
    return { store: levelAt(order, store) as Level, fill: levelAt(order, fill) as Level };
  };
  const depthOf = (l: Level) => (l === 'root' ? 0 : order.indexOf(l as LoopName) + 1);
  for (const b of [...seg.buffers].reverse()) {
    let max = 4;
    // a tensor read by several layers: at or above each one's compute level
    if (b.role !== 'output') max = Math.min(...b.readers.map((l) => computeDepth.get(l)!));
    const first = seg.buffers.find((x) => x.role === 'intermediate' && buffers[x.id] !== undefined);
    const lv = sharedIntermediates && b.role === 'intermediate' && first ? buffers[first.id]! : levels(max);
    buffers[b.id] = lv;
    if (b.role === 'intermediate') computeDepth.set(b.layer, depthOf(lv.fill));
  }
  const s: SegmentSchedule = {
    layers: seg.layers.map((l) => l.name),
    tile,
    order: order as SegmentSchedule['order'],
    buffers: Object.fromEntries(seg.buffers.map((b) => [b.id, buffers[b.id]!])),
  };
  if (warmup)
    for (const l of warmupLoops) {
      const needed = warmupNeeded(seg, s, l);
      if (needed > 0 && r() < 0.5) s.warmup = { ...s.warmup, [l]: randomInt(r, 1, needed) };
    }
  return s;
}
