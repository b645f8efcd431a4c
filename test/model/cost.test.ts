import { describe, expect, it } from 'vitest';
import { segmentCost } from '../../src/model/cost.js';
import type { SegmentResult } from '../../src/model/result.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { conv, net, schedule, segmentOf } from './fixtures.js';

function buf(r: SegmentResult, id: string) {
  const b = r.buffers.find((x) => x.id === id);
  if (!b) throw new Error(`no buffer ${id}`);
  return b;
}

describe('cost of a single 3x3 convolution (1x6x6 -> 2x6x6, pad 1)', () => {
  const n = net({ c: 1, h: 6, w: 6 }, [conv('c', 'in', 2, 3)]);
  const seg = segmentOf(n);

  it('reads everything once with one whole tile', () => {
    const s = schedule(seg, {}, ['y', 'x', 'zo', 'zi']);
    checkSegmentSchedule(seg, s, 'segment');
    const r = segmentCost(seg, s, 4);
    expect(buf(r, 'in@c').dramReads).toBe(36);
    expect(buf(r, 'c:weights').dramReads).toBe(2 * 9 + 2);
    expect(buf(r, 'c').dramWrites).toBe(72);
    expect(buf(r, 'c').dramReads).toBe(0);
    expect(r.macs).toBe(72 * 9);
    expect(buf(r, 'in@c').extents).toEqual([1, 6, 6]);
    expect(r.onChipBytes).toBe((36 + 20 + 72) * 4);
  });

  it('re-reads the halo rows with 2-row tiles and no reuse', () => {
    const s = schedule(seg, { y: 2 }, ['y', 'x', 'zo', 'zi'], { 'in@c': ['y', 'y'], c: ['y', 'y'] });
    checkSegmentSchedule(seg, s, 'segment');
    const r = segmentCost(seg, s, 4);
    // tiles rows [0,2) [2,4) [4,6): windows [0,3) [1,5) [3,6) -> 3 + 4 + 3 rows of 6
    expect(buf(r, 'in@c').dramReads).toBe((3 + 4 + 3) * 6);
    expect(buf(r, 'in@c').extents).toEqual([1, 4, 6]);
    expect(buf(r, 'c').extents).toEqual([2, 2, 6]);
  });

  it('slides a line buffer when stored at root and filled at y', () => {
    const s = schedule(seg, { y: 2 }, ['y', 'x', 'zo', 'zi'], { 'in@c': ['root', 'y'], c: ['y', 'y'] });
    const r = segmentCost(seg, s, 4);
    expect(buf(r, 'in@c').dramReads).toBe(36);
    expect(buf(r, 'in@c').extents).toEqual([1, 4, 6]);
  });

  it('writes and reads back partial sums when the reduction loop is outermost', () => {
    const n2 = net({ c: 4, h: 3, w: 3 }, [conv('c', 'in', 2, 1)]);
    const seg2 = segmentOf(n2);
    const s = schedule(seg2, { zi: 1 }, ['zi', 'y', 'x', 'zo'], { c: ['zi', 'zi'] });
    checkSegmentSchedule(seg2, s, 'segment');
    const r = segmentCost(seg2, s, 4);
    expect(buf(r, 'c').dramWrites).toBe(18 * 4);
    expect(buf(r, 'c').dramReads).toBe(18 * 3);
    // weights 2x4 plus 2 biases, loaded once over all reduction tiles
    expect(buf(r, 'c:weights').dramReads).toBe(10);
  });
});

describe('cost of a fused 3x3 -> 3x3 chain', () => {
  const n = net({ c: 1, h: 8, w: 5 }, [conv('a', 'in', 2, 3), conv('b', 'a', 1, 3)]);
  const seg = segmentOf(n);
  it('computes the intermediate once through a 3-row line buffer', () => {
    const s = schedule(seg, { y: 1 }, ['y', 'x', 'zo', 'zi'], {
      a: ['root', 'y'],
      'in@a': ['root', 'y'],
      b: ['y', 'y'],
    });
    checkSegmentSchedule(seg, s, 'segment');
    const r = segmentCost(seg, s, 4);
    expect(buf(r, 'a').filled).toBe(2 * 8 * 5);
    expect(buf(r, 'a').extents).toEqual([2, 3, 5]);
    expect(buf(r, 'in@a').dramReads).toBe(40);
    expect(buf(r, 'in@a').extents).toEqual([1, 3, 5]);
    expect(r.layerMacs['a']).toBe(80 * 9);
    expect(r.layerMacs['b']).toBe(40 * 2 * 9);
  });
  it('recomputes the overlap when the intermediate is stored where it is filled', () => {
    const s = schedule(seg, { y: 1 }, ['y', 'x', 'zo', 'zi'], {
      a: ['y', 'y'],
      'in@a': ['y', 'y'],
      b: ['y', 'y'],
    });
    const r = segmentCost(seg, s, 4);
    // rows of a needed per output row: [r-1, r+1] clipped to [0, 8): 2 + 6*3 + 2 = 22 rows
    expect(buf(r, 'a').filled).toBe(22 * 2 * 5);
    expect(r.layerMacs['a']).toBe(22 * 2 * 5 * 9);
  });
});
