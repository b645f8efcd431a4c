// Hand-checked schedules (the counts worked out in test/simulate/simulate.test.ts), here measured by the
// generated C program; and a scratchpad too small for its schedule, which the program must catch.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateC, runnableNetwork } from '../../src/codegen/c.js';
import type { MeasuredPoint } from '../../src/formats/verify.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { LayerSpec, Network, Shape } from '../../src/ir/network.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { BufferLevels, Level, LoopName, SegmentSchedule, TileSizes } from '../../src/model/schedule.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../../src/verify/verify.js';
import { conv, pool } from '../layers.js';
import type { Case } from './harness.js';
import { mergeCases, runEdited } from './harness.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };
const yx: [LoopName, LoopName, LoopName, LoopName] = ['y', 'x', 'zo', 'zi'];
const at = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });

function net(input: Shape, specs: LayerSpec[]): Network {
  return buildNetwork('test', [{ name: 'in', shape: input }], specs);
}

function single(
  n: Network,
  tile: TileSizes,
  order: SegmentSchedule['order'],
  buffers: Record<string, BufferLevels>,
): Case {
  return { net: n, schedule: { layers: n.layers.map((l) => l.name), tile, order, buffers } };
}

const conv6 = net({ c: 1, h: 6, w: 6 }, [conv('conv', 'in', 2, 3, { pads: pad1 })]);
const rows = { x: 6, y: 2, zo: 2, zi: 1 };
const chain = net({ c: 1, h: 6, w: 6 }, [
  conv('a', 'in', 1, 3, { pads: pad1 }),
  conv('b', 'a', 1, 3, { pads: pad1 }),
]);
const oneRow = { x: 6, y: 1, zo: 1, zi: 1 };
const reduction = net({ c: 4, h: 3, w: 3 }, [conv('conv', 'in', 2, 1)]);

const cases: Case[] = [
  // 0: input stored and filled per 2-row tile: rows 0..2, 1..4, 3..5 read
  single(conv6, rows, yx, { 'in@conv': at('y'), 'conv:weights': at('root'), conv: at('y') }),
  // 1: stored at root: each input row read once through a 4-row window
  single(conv6, rows, yx, { 'in@conv': at('root', 'y'), 'conv:weights': at('root'), conv: at('y') }),
  // 2: filled per 2x3 tile under a root store: a band of full width
  single(conv6, { x: 3, y: 2, zo: 2, zi: 1 }, yx, {
    'in@conv': at('root', 'x'),
    'conv:weights': at('root'),
    conv: at('x'),
  }),
  // 3: two reduction tiles, the output filled inside the zi loop: partial sums go out and come back
  single(reduction, { x: 3, y: 3, zo: 2, zi: 2 }, ['zi', 'y', 'x', 'zo'], {
    'in@conv': at('zi'),
    'conv:weights': at('zi'),
    conv: at('zi'),
  }),
  // 4: fused through a 3-row line buffer
  single(chain, oneRow, yx, {
    'in@a': at('root', 'y'),
    'a:weights': at('root'),
    'b:weights': at('root'),
    a: at('root', 'y'),
    b: at('y'),
  }),
  // 5: fused, the intermediate recomputed per output row (layers listed in any order)
  {
    net: chain,
    schedule: {
      layers: ['b', 'a'],
      tile: oneRow,
      order: yx,
      buffers: {
        'in@a': at('root', 'y'),
        'a:weights': at('root'),
        'b:weights': at('root'),
        a: at('y'),
        b: at('y'),
      },
    },
  },
  // 6: 3x3 max pooling, stride 2, ceil mode, one output per tile
  single(
    net({ c: 1, h: 6, w: 6 }, [pool('pool', 'in', { kernel: [3, 3], ceilMode: true })]),
    { x: 1, y: 1, zo: 1, zi: 1 },
    yx,
    { 'in@pool': at('x'), pool: at('x') },
  ),
  // 7: a 3x3 convolution and an add both reading the input: one line buffer, each row read once
  single(
    net({ c: 1, h: 4, w: 2 }, [
      conv('a', 'in', 1, 3, { pads: pad1 }),
      { kind: 'eltwise', name: 'sum', inputs: ['in', 'a'], post: [], op: 'add' },
    ]),
    { x: 2, y: 1, zo: 1, zi: 1 },
    yx,
    { 'in@a': at('root', 'y'), 'a:weights': at('root'), a: at('y'), sum: at('y') },
  ),
];

/** [filled, DRAM reads, DRAM writes, extents] per buffer, as worked out by hand. */
const expected: Record<string, [number, number, number, number[]]>[] = [
  { 'in@conv': [60, 60, 0, [1, 4, 6]], 'conv:weights': [20, 20, 0, [2, 1]], conv: [72, 0, 72, [2, 2, 6]] },
  { 'in@conv': [36, 36, 0, [1, 4, 6]], 'conv:weights': [20, 20, 0, [2, 1]], conv: [72, 0, 72, [2, 2, 6]] },
  { 'in@conv': [36, 36, 0, [1, 4, 6]], 'conv:weights': [20, 20, 0, [2, 1]], conv: [72, 0, 72, [2, 2, 3]] },
  // zi tile 0: 2 outputs x (2 channels + bias); tile 1: 2 x 2; 18 outputs x 2 tiles written, 18 read back
  { 'in@conv': [36, 36, 0, [2, 3, 3]], 'conv:weights': [10, 10, 0, [2, 2]], conv: [36, 18, 36, [2, 3, 3]] },
  {
    'in@a': [36, 36, 0, [1, 3, 6]],
    'a:weights': [10, 10, 0, [1, 1]],
    'b:weights': [10, 10, 0, [1, 1]],
    a: [36, 0, 0, [1, 3, 6]],
    b: [36, 0, 36, [1, 1, 6]],
  },
  // a's rows per output row: 0..1, 0..2, 1..3, 2..4, 3..5, 4..5 = 16 rows of 6
  {
    'in@a': [36, 36, 0, [1, 5, 6]],
    'a:weights': [10, 10, 0, [1, 1]],
    'b:weights': [10, 10, 0, [1, 1]],
    a: [96, 0, 0, [1, 3, 6]],
    b: [36, 0, 36, [1, 1, 6]],
  },
  // window rows and columns 0..2, 2..4, 4..5: (3 + 3 + 2)^2
  { 'in@pool': [64, 64, 0, [1, 3, 3]], pool: [9, 0, 9, [1, 1, 1]] },
  // input rows per output row: 0..1, 0..2, 1..3, 2..3 (a's window and the add's row): 4 rows of 2 once
  {
    'in@a': [8, 8, 0, [1, 3, 2]],
    'a:weights': [10, 10, 0, [1, 1]],
    a: [8, 0, 0, [1, 1, 2]],
    sum: [8, 0, 8, [1, 1, 2]],
  },
];
const expectedMacs = [648, 648, 648, 72, 648, 324 + 96 * 9, 0, 72];

const dir = mkdtempSync(join(tmpdir(), 'memsched-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generated C program measures the hand-checked counts', () => {
  const { net: merged, schedule } = mergeCases(cases, 1);
  const n = runnableNetwork(merged);
  let v: MeasuredPoint;

  it('builds, runs and matches the reference and the model', async () => {
    const session = await openSession(n, defaultInputs(n), { dir: join(dir, 'verify') });
    const point = await verifySchedule(session, schedule, null);
    closeSession(session);
    if (point.error !== undefined) throw new Error(point.error);
    v = point;
    expect(v.mismatches).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.conflicts).toBe(0);
    expect(v.output.maxRelError).toBeLessThanOrEqual(1e-4);
  });

  it('counts every buffer as worked out by hand', () => {
    const measured = cases.map((_, i) =>
      Object.fromEntries(
        v.tensors
          .filter((t) => t.segment === i)
          .map((t) => [
            t.buffer.replace(/c\d+_/g, ''),
            [t.measuredFilled, t.measuredReads, t.measuredWrites, t.measuredExtents],
          ]),
      ),
    );
    expect(measured).toEqual(expected);
  });

  it('counts the MACs, recomputation included', () => {
    expect(v.macs.measured).toBe(expectedMacs.reduce((a, b) => a + b, 0));
    expect(v.macs.predicted).toBe(v.macs.measured);
  });

  it('fails a run whose line buffer is one row short: reads find other rows in their slots', async () => {
    const c = mergeCases([cases[4]!], 1);
    const m = runnableNetwork(c.net);
    const p = generateC(m, c.schedule, checkAndEvaluate(m, c.schedule));
    // The line buffer of `a` holds 3 rows of 6; carve it as 2 rows.
    const lines = p.source.split('\n');
    const at = lines.findIndex((l) => l.includes('/* c0_a: intermediate'));
    expect(lines[at + 1]).toContain('{1, 3, 6}');
    lines[at + 1] = lines[at + 1]!.replace('{1, 3, 6}', '{1, 2, 6}');
    const run = await runEdited(dir, p, lines.join('\n'), 'short', defaultInputs(m));
    expect(run.counters.conflicts).toBeGreaterThan(0);
    // What the run needed is measured, not the box it was given.
    expect(run.counters.segments[0]!.buffers[3]!.extents).toEqual([1, 3, 6]);
  });
});
