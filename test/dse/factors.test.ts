import { describe, expect, it } from 'vitest';
import { bufferTotals, costFromFactors, segmentFactors } from '../../src/dse/factors.js';
import { randomSegmentSchedule, rng } from '../../src/dse/random.js';
import { segmentCost } from '../../src/model/cost.js';
import type { ElementBytes } from '../../src/model/schedule.js';
import { levelDepth, loopNames } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomSegmentNetwork } from '../model/random-network.js';

describe('factor tables', () => {
  it('give the cost model’s result for every order and level assignment of a tile choice', () => {
    const r = rng(99);
    for (let i = 0; i < 1500; i++) {
      const n = randomSegmentNetwork(r, 1);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const first = randomSegmentSchedule(seg, r);
      const f = segmentFactors(seg, first.tile);
      for (let j = 0; j < 8; j++) {
        const s = { ...randomSegmentSchedule(seg, r), tile: first.tile };
        const width = ([1, 2, 4] as ElementBytes[])[j % 3]!;
        const fast = costFromFactors(f, s, width);
        const model = segmentCost(seg, s, width);
        if (JSON.stringify(fast) !== JSON.stringify(model))
          expect({ layers: n.layers, s, fast }).toEqual({ layers: n.layers, s, fast: model });
        // the allocation-free totals of the search's inner loop agree too
        const order = s.order.map((l) => loopNames.indexOf(l));
        let bytes = 0;
        let accesses = 0;
        for (const b of f.buffers) {
          const lv = s.buffers[b.buffer.id]!;
          const t = bufferTotals(
            f,
            b,
            order,
            levelDepth(s.order, lv.store),
            levelDepth(s.order, lv.fill),
            width,
          );
          bytes += t.bytes;
          accesses += t.accesses;
        }
        expect([bytes, accesses]).toEqual([model.onChipBytes, model.dramReads + model.dramWrites]);
      }
    }
  });
});
