// Retiling (src/dse/retile.ts): the same order and buffer levels, larger tiles, never more DRAM accesses or
// MACs, on-chip bytes within the budget; a hand-counted case and random schedules of random segments,
// the retiled ones also run through the simulator.

import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { innermostSteps, retileSegment } from '../../src/dse/retile.js';
import { segmentCost } from '../../src/model/cost.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { rng } from '../../src/util/random.js';
import { conv, net, schedule, segmentOf } from '../model/fixtures.js';
import { randomSegmentNetwork } from '../model/random-network.js';

describe('retileSegment', () => {
  it('grows the tiles of a schedule holding everything to one step, the traffic unchanged', () => {
    const n = net({ c: 2, h: 6, w: 6 }, [conv('c', 'in', 4, 3)]);
    const seg = segmentOf(n);
    const s = schedule(seg, { x: 1, y: 1, zo: 1, zi: 1 }, ['x', 'y', 'zo', 'zi']);
    const before = segmentCost(seg, s, 4);
    // input 2x6x6 read once, weights 4 x (2 x 9 + 1) once, output 4x6x6 written once
    expect(before.dramReads + before.dramWrites).toBe(72 + 76 + 144);
    expect(innermostSteps(seg, s)).toBe(6 * 6 * 4 * 2);
    const t = retileSegment(seg, s, 4, before.onChipBytes);
    expect(t.tile).toEqual({ x: 6, y: 6, zo: 4, zi: 2 });
    expect(t.order).toEqual(s.order);
    expect(t.buffers).toEqual(s.buffers);
    expect(innermostSteps(seg, t)).toBe(1);
    const after = segmentCost(seg, t, 4);
    expect(after.dramReads + after.dramWrites).toBe(72 + 76 + 144);
    expect(after.onChipBytes).toBe(before.onChipBytes);
  });

  it('stops where a larger tile needs more bytes than the budget', () => {
    const n = net({ c: 2, h: 6, w: 6 }, [conv('c', 'in', 4, 3)]);
    const seg = segmentOf(n);
    // the input streamed row by row through a line buffer, the output written per tile
    const s = schedule(seg, { x: 6, y: 1, zo: 4, zi: 2 }, ['y', 'x', 'zo', 'zi'], {
      'in@c': ['root', 'y'],
      'c:weights': ['root', 'root'],
      c: ['y', 'y'],
    });
    const before = segmentCost(seg, s, 4);
    const t = retileSegment(seg, s, 4, before.onChipBytes);
    expect(t.tile.y).toBe(1);
    const grown = retileSegment(seg, s, 4, before.onChipBytes + 4 * 2 * 6 + 4 * 4 * 6);
    // one more input row and one more output row fit: tiles of 2 rows, 3 steps
    expect(grown.tile.y).toBe(2);
    expect(innermostSteps(seg, grown)).toBe(3);
  });

  it('holds the reduction tile back while the positions grow, where the largest first move leaves one position a step', () => {
    // a 1x1 convolution of 64 channels on 7x7 (MobileNetV2's last layers in small): every output stays on
    // chip while reduction slices of the input and of the weights stream through
    const n = net({ c: 64, h: 7, w: 7 }, [conv('c', 'in', 64, 1)]);
    const seg = segmentOf(n);
    const s = schedule(seg, { x: 1, y: 1, zo: 64, zi: 1 }, ['zi', 'zo', 'x', 'y'], {
      'in@c': ['y', 'y'],
      'c:weights': ['zo', 'y'],
      c: ['root', 'y'],
    });
    const before = segmentCost(seg, s, 4);
    expect(innermostSteps(seg, s)).toBe(64 * 49);
    // bytes: 4 x (weights zi x 64 + 64 biases, input zi x x x y, the 64 x 49 sums). Grown plainly, zi = 64
    // first (49 steps, 29,184 bytes), then x = 4 (14 steps, 29,952): within 30,000 no more. Held to 32
    // channels, all 49 positions fit (27,264 bytes): 2 steps.
    const t = retileSegment(seg, s, 4, 30_000);
    expect(t.tile).toEqual({ x: 7, y: 7, zo: 64, zi: 32 });
    expect(innermostSteps(seg, t)).toBe(2);
    const after = segmentCost(seg, t, 4);
    expect(after.onChipBytes).toBe(4 * (32 * 64 + 64 + 32 * 49 + 64 * 49));
    expect(after.dramReads + after.dramWrites).toBe(before.dramReads + before.dramWrites);
    expect(after.macs).toBe(64 * 64 * 49);
  });

  it('never moves more, computes more or holds more than allowed, on random schedules (the simulator agrees)', () => {
    const r = rng(20261205);
    let fewer = 0;
    for (let i = 0; i < 150; i++) {
      const n = randomSegmentNetwork(r, 3);
      const seg = segmentOf(n);
      let s = randomSegmentSchedule(seg, r, false, i % 3 === 0);
      try {
        checkSegmentSchedule(seg, s, 'segment');
      } catch {
        s = randomSegmentSchedule(seg, r);
        try {
          checkSegmentSchedule(seg, s, 'segment');
        } catch {
          continue;
        }
      }
      const width = ([1, 2, 4] as const)[i % 3]!;
      const before = segmentCost(seg, s, width);
      const budget = Math.round(before.onChipBytes * (1 + 3 * r()));
      const t = retileSegment(seg, s, width, budget);
      checkSegmentSchedule(seg, t, 'segment');
      expect(t.order).toEqual(s.order);
      expect(t.buffers).toEqual(s.buffers);
      const after = segmentCost(seg, t, width);
      expect(after.dramReads + after.dramWrites).toBeLessThanOrEqual(before.dramReads + before.dramWrites);
      expect(after.macs).toBeLessThanOrEqual(before.macs);
      expect(after.onChipBytes).toBeLessThanOrEqual(Math.max(budget, before.onChipBytes));
      expect(innermostSteps(seg, t)).toBeLessThanOrEqual(innermostSteps(seg, s));
      if (innermostSteps(seg, t) < innermostSteps(seg, s)) fewer++;
      if (i % 10 === 0) {
        const sim = simulateSegment(n, seg, t, width);
        expect(sim.dramReads).toBe(after.dramReads);
        expect(sim.dramWrites).toBe(after.dramWrites);
        expect(sim.onChipBytes).toBe(after.onChipBytes);
      }
    }
    // most random schedules have room to grow
    expect(fewer).toBeGreaterThan(50);
  });
});
