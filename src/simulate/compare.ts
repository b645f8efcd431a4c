// Holding the model to the simulator on a whole schedule, as `memsched eval --check` does.

import type { Network } from '../ir/network.js';
import { segmentCost } from '../model/cost.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { checkSchedule } from '../model/validate.js';
import { simulateSegment } from './simulate.js';

export interface SegmentCheck {
  segment: number;
  /** 'agree', 'differ', or 'skipped' when the segment is too large for the element-wise simulator. */
  status: 'agree' | 'differ' | 'skipped';
  /** Numbers compared (agree) or the differing fields, `buffer.field: predicted vs simulated`. */
  compared: number;
  differences: string[];
  note?: string;
}

/** Tensor elements the simulator would track for a segment (its cost grows with them). */
export function simulationSize(seg: Segment): number {
  let n = 0;
  for (const s of seg.shapes.values()) n += s.c * s.h * s.w;
  return n;
}

export function compareResults(
  predicted: SegmentResult,
  simulated: SegmentResult,
): { compared: number; differences: string[] } {
  const differences: string[] = [];
  let compared = 0;
  const same = (what: string, a: unknown, b: unknown) => {
    compared++;
    if (JSON.stringify(a) !== JSON.stringify(b))
      differences.push(`${what}: ${JSON.stringify(a)} predicted vs ${JSON.stringify(b)} simulated`);
  };
  predicted.buffers.forEach((b, i) => {
    const s = simulated.buffers[i]!;
    for (const k of ['extents', 'bytes', 'filled', 'dramReads', 'dramWrites'] as const)
      same(`${b.id}.${k}`, b[k], s[k]);
  });
  for (const [l, m] of Object.entries(predicted.layerMacs)) same(`${l}.macs`, m, simulated.layerMacs[l]);
  same('onChipBytes', predicted.onChipBytes, simulated.onChipBytes);
  return { compared, differences };
}

/** Runs the simulator on every segment small enough (`maxElements` tensor elements) and compares. */
export function checkWithSimulator(
  net: Network,
  sched: NetworkSchedule,
  maxElements = 200_000,
): SegmentCheck[] {
  const segments = checkSchedule(net, sched);
  return segments.map((seg, i) => {
    const size = simulationSize(seg);
    if (size > maxElements)
      return {
        segment: i,
        status: 'skipped',
        compared: 0,
        differences: [],
        note: `${size} tensor elements, above the simulator's limit of ${maxElements}`,
      };
    const s = sched.segments[i]!;
    const { compared, differences } = compareResults(
      segmentCost(seg, s, sched.elementBytes),
      simulateSegment(net, seg, s, sched.elementBytes),
    );
    return { segment: i, status: differences.length === 0 ? 'agree' : 'differ', compared, differences };
  });
}
