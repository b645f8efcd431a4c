// Segments with several outputs: an intermediate also read after the segment (or a network output) is
// written to DRAM as computed. Hand-counted cases, the checks that refuse what cannot run in one piece
// or would leave an output incomplete, and the model against the simulator on random DAG segments.

import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { buildNetwork } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { Network } from '../../src/ir/network.js';
import { segmentCost } from '../../src/model/cost.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment, hasExports } from '../../src/model/segment.js';
import { checkSchedule } from '../../src/model/validate.js';
import { rng } from '../../src/util/random.js';
import { conv as plainConv } from '../layers.js';
import { simulatedAsModelled } from './agree.js';
import { conv, schedule } from './fixtures.js';
import { randomDagNetwork } from './random-network.js';

const cases = Number(process.env['MEMSCHED_PROPERTY_CASES'] ?? 10_000);
const seed = Number(process.env['MEMSCHED_PROPERTY_SEED'] ?? 20261125);

/** in 1x4x4 -> a (3x3, 2 channels) -> b (1x1, 2) -> c (1x1, 2); d (1x1, 3) reads a too. */
function branchNet(): Network {
  return buildNetwork(
    'branch',
    [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
    [conv('a', 'in', 2, 3), conv('b', 'a', 2, 1), conv('c', 'b', 2, 1), conv('d', 'a', 3, 1)],
    ['c', 'd'],
  );
}

describe('segments with several outputs', () => {
  it('write an intermediate read after the segment to DRAM as computed: hand-counted', () => {
    const net = branchNet();
    const seg = analyzeSegment(net, ['a', 'b']);
    expect(seg.buffers.filter((b) => b.exported).map((b) => b.id)).toEqual(['a']);
    expect(hasExports(seg)).toBe(true);
    // one tile: a computed once (32 elements), both outputs written once
    const whole = segmentCost(seg, schedule(seg, {}, ['zo', 'y', 'x', 'zi']), 4);
    expect(whole.buffers.find((b) => b.id === 'a')!.dramWrites).toBe(32);
    expect(whole.dramWrites).toBe(64);
    expect(whole.dramReads).toBe(16 + (2 * 9 + 2) + (2 * 2 + 2));
    // rows one at a time, a stored and filled per row: b (1x1) reads one row of a a tile
    const rows = segmentCost(
      seg,
      schedule(seg, { y: 1 }, ['zo', 'y', 'x', 'zi'], { a: ['y', 'y'], b: ['y', 'y'] }),
      4,
    );
    const a = rows.buffers.find((b) => b.id === 'a')!;
    expect(a.filled).toBe(32);
    expect(a.dramWrites).toBe(a.filled);
    const net2 = buildNetwork(
      'branch',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [conv('a', 'in', 2, 1), conv('b', 'a', 2, 3), conv('c', 'b', 2, 1), conv('d', 'a', 3, 1)],
      ['c', 'd'],
    );
    const seg2 = analyzeSegment(net2, ['a', 'b']);
    // b's 3x3 window over a, a tile of one row, a stored per row: a's rows 0-1, 0-2, 1-3, 2-3 computed
    const r2 = segmentCost(
      seg2,
      schedule(seg2, { y: 1 }, ['zo', 'y', 'x', 'zi'], { a: ['y', 'y'], b: ['y', 'y'] }),
      4,
    );
    const a2 = r2.buffers.find((b) => b.id === 'a')!;
    expect(a2.filled).toBe((2 + 3 + 3 + 2) * 4 * 2);
    expect(a2.dramWrites).toBe(80);
  });

  it('makes an exported tensor available to the segments after it', () => {
    const net = branchNet();
    const whole = (names: string[]) => schedule(analyzeSegment(net, names), {}, ['zo', 'y', 'x', 'zi']);
    const sched = (segments: SegmentSchedule[]): NetworkSchedule => ({
      format: scheduleFormat,
      version: scheduleVersion,
      network: net.name,
      elementBytes: 4,
      segments,
    });
    expect(checkSchedule(net, sched([whole(['a', 'b']), whole(['d']), whole(['c'])]))).toHaveLength(3);
    expect(() => checkSchedule(net, sched([whole(['d']), whole(['a', 'b']), whole(['c'])]))).toThrow(
      /reads 'a' before the segment that produces it has run/,
    );
  });

  it('refuses a segment a path leaves and re-enters, and one that would compute part of an output', () => {
    // e reads d (outside) and b: a -> d -> e re-enters a segment holding a, b and e
    const net = buildNetwork(
      'loop',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [
        conv('a', 'in', 2, 3),
        conv('b', 'a', 2, 1),
        conv('d', 'a', 2, 1),
        { kind: 'eltwise', name: 'e', inputs: ['b', 'd'], post: [], op: 'add' },
      ],
    );
    expect(() => analyzeSegment(net, ['a', 'b', 'e'])).toThrow(
      /segment\.layers: 'e' reads, through 'd' outside the segment, an output of the segment/,
    );
    expect(() => analyzeSegment(net, ['a', 'b', 'e'])).toThrow(InputError);
    expect(hasExports(analyzeSegment(net, ['a', 'b']))).toBe(true);
    // a 1x1 stride-2 reader reads every other row and column of a: a cannot leave through it alone
    const strided = buildNetwork(
      'strided',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [conv('a', 'in', 2, 3), plainConv('b', 'a', 2, 1, { stride: [2, 2] }), conv('d', 'a', 3, 1)],
      ['b', 'd'],
    );
    expect(() => analyzeSegment(strided, ['a', 'b'])).toThrow(
      /'a' is read after the segment, but its readers in the segment do not read all of it/,
    );
    // a slice of some channels alike
    const sliced = buildNetwork(
      'sliced',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [
        conv('a', 'in', 4, 3),
        { kind: 'slice', name: 's', inputs: ['a'], post: [], start: 0, end: 2 },
        conv('b', 's', 2, 1),
        conv('d', 'a', 3, 1),
      ],
      ['b', 'd'],
    );
    expect(() => analyzeSegment(sliced, ['a', 's', 'b'])).toThrow(/'a' is read after the segment/);
    // a 3x3 stride-2 reader with padding reads every row and column: a may leave through it
    const padded = buildNetwork(
      'padded',
      [{ name: 'in', shape: { c: 1, h: 4, w: 4 } }],
      [conv('a', 'in', 2, 3), conv('b', 'a', 2, 3, { stride: [2, 2] }), conv('d', 'a', 3, 1)],
      ['b', 'd'],
    );
    expect(hasExports(analyzeSegment(padded, ['a', 'b']))).toBe(true);
  });
});

describe(`model == simulator on ${Math.ceil(cases / 8)} random DAG segments with several outputs (seed ${seed + 13})`, () => {
  it('agrees on every buffer, byte and MAC, the exported intermediates written as computed', () => {
    const n = Math.ceil(cases / 8);
    const r = rng(seed + 13);
    let exportedCases = 0;
    let twice = 0;
    for (let i = 0; i < n; i++) {
      const dag = randomDagNetwork(r, i % 4 === 0 ? 10 : 6);
      // some intermediates become network outputs too: read after the segment
      const inner = dag.layers.slice(0, -1).filter(() => r() < 0.4);
      const net = { ...dag, outputs: [...dag.outputs, ...inner.map((l) => l.name)] };
      let seg: ReturnType<typeof analyzeSegment>;
      try {
        seg = analyzeSegment(
          net,
          net.layers.map((l) => l.name),
        );
      } catch (e) {
        if (e instanceof InputError && e.message.includes('do not read all of it')) continue;
        throw e;
      }
      const s = randomSegmentSchedule(seg, r, i % 3 === 0, i % 2 === 0);
      const width = ([1, 2, 4] as ElementBytes[])[i % 3]!;
      const result = simulatedAsModelled(net, seg, s, width, `case ${i} (seed ${seed + 13})`);
      if (!result || !hasExports(seg)) continue;
      exportedCases++;
      for (const b of result.buffers) {
        const own = seg.buffers.find((x) => x.id === b.id)!;
        expect(b.dramWrites).toBe(own.exported || own.role === 'output' ? b.filled : 0);
        if (own.exported) {
          // computed whole, some elements more than once where tiles overlap
          const { c, h, w } = net.layers.find((l) => l.name === b.tensor)!.shape;
          expect(b.filled).toBeGreaterThanOrEqual(c * h * w);
          if (b.filled > c * h * w) twice++;
        }
      }
    }
    expect(exportedCases).toBeGreaterThan(n / 4);
    expect(twice).toBeGreaterThan(0);
  });
});
