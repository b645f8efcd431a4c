import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule, rng } from '../../src/dse/random.js';
import { costFromTables, segmentTables } from '../../src/dse/segment-factors.js';
import { segmentCost } from '../../src/model/cost.js';
import type { ElementBytes } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomSegmentNetwork } from '../model/random-network.js';

describe('segment factor tables', () => {
  it('give the cost model’s bytes, accesses, fills and MACs for random fused and single-layer schedules', () => {
    const r = rng(7);
    let fused = 0;
    for (let i = 0; i < 300; i++) {
      const n = randomSegmentNetwork(r, 4);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      if (seg.layers.length > 1) fused++;
      const tables = segmentTables(seg, 'full');
      for (let j = 0; j < 10; j++) {
        const s = randomSegmentSchedule(seg, r);
        const width = ([1, 2, 4] as ElementBytes[])[j % 3]!;
        const fast = costFromTables(tables, s, width);
        const model = segmentCost(seg, s, width);
        const got = {
          bytes: fast.bytes,
          accesses: fast.accesses,
          macs: fast.macs,
          filled: fast.buffers.map((b) => b.filled),
          bufferBytes: fast.buffers.map((b) => b.bytes),
        };
        const want = {
          bytes: model.onChipBytes,
          accesses: model.dramReads + model.dramWrites,
          macs: model.macs,
          filled: model.buffers.map((b) => b.filled),
          bufferBytes: model.buffers.map((b) => b.bytes),
        };
        if (JSON.stringify(got) !== JSON.stringify(want))
          expect({ layers: n.layers, s, got }).toEqual({ layers: n.layers, s, got: want });
      }
    }
    expect(fused).toBeGreaterThan(100);
  });
});
