// Larger tiles for the same traffic. A front point is the fewest bytes for its accesses, which often
// means tiles of one position or one channel: code that runs such a schedule spends its time on loop
// steps and fill bookkeeping, not on arithmetic. Given a budget, each segment keeps its loop order and
// buffer levels and grows its tiles to the fewest innermost steps with no more DRAM accesses and no more
// MACs, its on-chip bytes within the budget. Every schedule tried is costed by the model.

import type { Network } from '../ir/network.js';
import { NotClosedForm, segmentCost, warmupNeeded } from '../model/cost.js';
import type { SegmentResult } from '../model/result.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule, WarmupLoop } from '../model/schedule.js';
import { loopNames, stripRanges, warmupLoops, warmupOf } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { checkSchedule } from '../model/validate.js';

/** Executions of the innermost loop body: the product of the loops' trip counts (warm-up included). */
export function innermostSteps(seg: Segment, s: SegmentSchedule): number {
  // the x loop runs once per strip
  const x = stripRanges(s, seg.dims.x).reduce(
    (n, strip) => n + Math.ceil((strip.hi - strip.lo) / s.tile.x) + warmupOf(s, 'x'),
    0,
  );
  return loopNames.reduce(
    (n, l) => n * (l === 'x' ? x : Math.ceil(seg.dims[l] / s.tile[l]) + warmupOf(s, l)),
    1,
  );
}

interface Costed {
  schedule: SegmentSchedule;
  steps: number;
}

/**
 * The schedule with tile `size` on loop `loop`, its warm-up loops kept at most what the new tiles need
 * (fewer iterations than needed is valid; more is not). Its levels are the checked schedule's and its
 * tiles within their loops, so only the closed form of a tensor several layers read can fail (the cost
 * model says so: NotClosedForm).
 */
function withTile(
  seg: Segment,
  s: SegmentSchedule,
  loop: (typeof loopNames)[number],
  size: number,
): SegmentSchedule {
  const next: SegmentSchedule = { ...s, tile: { ...s.tile, [loop]: size } };
  if (s.warmup !== undefined) {
    const warmup: Partial<Record<WarmupLoop, number>> = {};
    for (const l of warmupLoops) {
      const w = Math.min(s.warmup[l] ?? 0, warmupNeeded(seg, next, l));
      if (w > 0) warmup[l] = w;
    }
    if (Object.keys(warmup).length > 0) next.warmup = warmup;
    else delete next.warmup;
  }
  return next;
}

/**
 * A segment schedule with the same loop order and buffer levels whose tiles are grown, one loop at a time
 * (the move with the fewest steps after it first), while DRAM accesses and MACs stay at most the given
 * schedule's and on-chip bytes at most `maxBytes` (or the schedule's own, if larger). Greedy: not the
 * fewest steps over every tiling, but every schedule it returns is costed by the model.
 */
export function retileSegment(
  seg: Segment,
  s: SegmentSchedule,
  elementBytes: ElementBytes,
  maxBytes: number,
): SegmentSchedule {
  if (seg.view) return s;
  const base = segmentCost(seg, s, elementBytes);
  const accesses = base.dramReads + base.dramWrites;
  const limit = Math.max(maxBytes, base.onChipBytes);
  let best: Costed = { schedule: s, steps: innermostSteps(seg, s) };
  for (;;) {
    let move: Costed | null = null;
    for (const loop of loopNames) {
      // a tile no wider than a strip
      const d = loop === 'x' && s.strips ? s.strips.x : seg.dims[loop];
      const trips = Math.ceil(d / best.schedule.tile[loop]);
      // fewer trips, largest tiles first: the first that keeps the traffic is this loop's best move
      for (let n = 1; n < trips; n++) {
        const size = Math.ceil(d / n);
        if (n > 1 && Math.ceil(d / (n - 1)) === size) continue;
        const next = withTile(seg, best.schedule, loop, size);
        const steps = innermostSteps(seg, next);
        if (steps >= (move?.steps ?? best.steps)) continue;
        let r: SegmentResult;
        try {
          r = segmentCost(seg, next, elementBytes);
        } catch (e) {
          if (e instanceof NotClosedForm) continue;
          throw e;
        }
        if (r.dramReads + r.dramWrites > accesses || r.macs > base.macs || r.onChipBytes > limit) continue;
        move = { schedule: next, steps };
        break;
      }
    }
    if (move === null) return best.schedule;
    best = move;
  }
}

/** Every segment of a network schedule retiled within `maxBytes` (see retileSegment). */
export function retileSchedule(net: Network, sched: NetworkSchedule, maxBytes: number): NetworkSchedule {
  const segments = checkSchedule(net, sched);
  return {
    ...sched,
    segments: sched.segments.map((s, i) => retileSegment(segments[i]!, s, sched.elementBytes, maxBytes)),
  };
}

/** Innermost loop steps of a whole network schedule (summed over its segments). */
export function scheduleSteps(net: Network, sched: NetworkSchedule): number {
  const segments = checkSchedule(net, sched);
  return segments.reduce((n, seg, i) => n + (seg.view ? 0 : innermostSteps(seg, sched.segments[i]!)), 0);
}
