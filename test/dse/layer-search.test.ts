import { describe, expect, it } from 'vitest';
import { costFromFactors, segmentFactors } from '../../src/dse/factors.js';
import { singleLayerFront } from '../../src/dse/layer-search.js';
import type { Point } from '../../src/dse/pareto.js';
import { paretoFront } from '../../src/dse/pareto.js';
import { rng } from '../../src/dse/random.js';
import { levelAssignments, loopOrders, tileCombinations } from '../../src/dse/space.js';
import { segmentCost } from '../../src/model/cost.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { randomSegmentNetwork } from '../model/random-network.js';

/** Every tile combination, order and legal level assignment, evaluated: the brute-force front. */
function bruteForce(seg: Segment): Point<null>[] {
  const points: Point<null>[] = [];
  const layers = seg.layers.map((l) => l.name);
  for (const tile of tileCombinations(seg, 'full')) {
    const f = segmentFactors(seg, tile);
    for (const order of loopOrders())
      for (const buffers of levelAssignments(seg, order)) {
        const r = costFromFactors(f, { layers, tile, order, buffers }, 1);
        points.push({ bytes: r.onChipBytes, accesses: r.dramReads + r.dramWrites, macs: r.macs, item: null });
      }
  }
  return paretoFront(points);
}

describe('single-layer search', () => {
  it('finds exactly the brute-force front, with schedules the model confirms', () => {
    const r = rng(2026);
    let tested = 0;
    while (tested < 4) {
      const n = randomSegmentNetwork(r, 1);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      if (size > 24 || seg.buffers.length > 3) continue;
      tested++;
      const front = singleLayerFront(seg, { space: 'full', elementBytes: 1 });
      const key = (p: Point<unknown>) => [p.bytes, p.accesses];
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      for (const p of front) {
        checkSegmentSchedule(seg, p.item, 'segment');
        const res = segmentCost(seg, p.item, 1);
        expect([res.onChipBytes, res.dramReads + res.dramWrites]).toEqual([p.bytes, p.accesses]);
      }
    }
  });
});

describe('the seed space', () => {
  it('keeps the paper tool’s choices: power-of-two or whole tiles, every buffer stored where it is filled', () => {
    const r = rng(5);
    for (let i = 0; i < 5; i++) {
      const n = randomSegmentNetwork(r, 1);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      for (const p of singleLayerFront(seg, { space: 'seed', elementBytes: 1 })) {
        for (const l of ['x', 'y', 'zo', 'zi'] as const) {
          const t = p.item.tile[l];
          expect(t === seg.dims[l] || (t & (t - 1)) === 0).toBe(true);
        }
        for (const lv of Object.values(p.item.buffers)) expect(lv.store).toBe(lv.fill);
      }
    }
  });
});
