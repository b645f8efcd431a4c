// A DRAM input read by several layers of a segment (a residual block's input, read by its first
// convolution and by the add): one buffer, its demand the hull of all its readers' reads per fill.
// Counts worked out by hand; the simulator executes the same and must agree; schedules without a
// closed form are refused in one line.

import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/ir/errors.js';
import type { LayerSpec } from '../../src/ir/network.js';
import { segmentCost } from '../../src/model/cost.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { conv, net, schedule, segmentOf } from './fixtures.js';

const add = (name: string, inputs: string[]): LayerSpec => ({
  kind: 'eltwise',
  name,
  inputs,
  post: [],
  op: 'add',
});

describe('a 3x3 convolution and an add both reading the input (1x4x2)', () => {
  const n = net({ c: 1, h: 4, w: 2 }, [conv('a', 'in', 1, 3), add('sum', ['in', 'a'])]);
  const seg = segmentOf(n);
  const counts = (s: ReturnType<typeof schedule>) => {
    const r = segmentCost(seg, s, 1);
    expect(simulateSegment(n, seg, s, 1)).toEqual(r);
    return Object.fromEntries(r.buffers.map((b) => [b.id, [b.filled, b.dramReads, b.extents]]));
  };

  it('has one buffer for the input, named after its first reader', () => {
    expect(seg.buffers.map((b) => [b.id, b.readers])).toEqual([
      ['in@a', ['a', 'sum']],
      ['a:weights', ['a']],
      ['a', ['sum']],
      ['sum', []],
    ]);
  });

  it('streams the input once through a 3-row line buffer for both readers', () => {
    // per output row y: a's row y reads input rows y-1..y+1, the add row y; hull 0-1, 0-2, 1-3, 2-3:
    // rows 0-1 new, then 2, then 3, then nothing: 4 rows of 2 (two buffers read it twice: 16)
    const s = schedule(seg, { y: 1 }, ['y', 'x', 'zo', 'zi'], {
      'in@a': ['root', 'y'],
      a: ['y', 'y'],
      sum: ['y', 'y'],
    });
    expect(counts(s)).toEqual({
      'in@a': [8, 8, [1, 3, 2]],
      'a:weights': [10, 10, [1, 1]],
      a: [8, 0, [1, 1, 2]],
      sum: [8, 0, [1, 1, 2]],
    });
  });

  it('reloads the hull per row tile when stored where filled: 2 + 3 + 3 + 2 rows', () => {
    const s = schedule(seg, { y: 1 }, ['y', 'x', 'zo', 'zi'], {
      'in@a': ['y', 'y'],
      a: ['y', 'y'],
      sum: ['y', 'y'],
    });
    expect(counts(s)['in@a']).toEqual([20, 20, [1, 3, 2]]);
  });
});

describe('schedules of a shared input', () => {
  // [a (1x1), b (3x3), add]: a is computed once per row tile (its channels do not follow zo), the add
  // per channel tile
  const n = net({ c: 2, h: 4, w: 3 }, [conv('a', 'in', 2, 1), conv('b', 'a', 2, 3), add('sum', ['b', 'in'])]);
  const seg = segmentOf(n);
  const order = ['y', 'zo', 'x', 'zi'] as const;
  const levels = (input: [string, string]) =>
    schedule(seg, { y: 2, zo: 1 }, [...order], {
      'in@a': input as ['root', 'y'],
      a: ['root', 'zo'],
      b: ['root', 'zo'],
      sum: ['zo', 'zo'],
    });

  it('name the buffer after the first reader: the second reader’s name is a one-line error naming it', () => {
    const s = levels(['root', 'y']);
    const { 'in@a': lv, ...rest } = s.buffers;
    expect(() =>
      checkSegmentSchedule(seg, { ...s, buffers: { ...rest, 'in@sum': lv! } }, 'segments[0]'),
    ).toThrow(
      new InputError(
        `segments[0].buffers["in@sum"]: 'in' is read by 'a', 'sum': one buffer, named 'in@a' after its first reader`,
      ),
    );
  });

  it('are refused in one line where the hull has no closed form, and counted where it has', () => {
    // filled per (row tile, channel tile): a reads at the first channel tile only, rows 0-2 for the
    // add's 0-1 (b's window), so per row tile the hull would differ between channel tiles
    expect(() => checkSegmentSchedule(seg, levels(['root', 'zo']), 'segments[0]')).toThrow(
      new InputError(
        `segments[0].buffers["in@a"].fill: its readers 'a', 'sum' do not all read at every iteration of loop 'zo' at or above its fill level, and where some do not, the others do not cover what they read; the hull of their reads there has no exact closed form (fill it at or above 'y')`,
      ),
    );
    // filled per row tile: every input element once, for both readers
    const s = levels(['root', 'y']);
    const r = segmentCost(seg, s, 1);
    expect(simulateSegment(n, seg, s, 1)).toEqual(r);
    expect(r.buffers[0]!.dramReads).toBe(24);
  });
});
