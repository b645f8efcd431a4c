// DAG segments end to end: intermediates read by several layers of the segment (branches, joins,
// broadcast joins after global pooling), one buffer each filled with the hull of its readers' reads;
// the generated C program's outputs equal the reference and every count equals the model's.

import { describe, expect, it } from 'vitest';
import { explore } from '../../src/dse/explore.js';
import { candidateSegments, isRun } from '../../src/dse/space.js';
import type { Network } from '../../src/ir/network.js';
import { warmupNeeded } from '../../src/model/cost.js';
import { evaluateSchedule } from '../../src/model/evaluate.js';
import type { ElementBytes, Level, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { analyzeSegment, hasJoins } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { conv, net, residualBlocks, schedule, segmentOf } from '../model/fixtures.js';
import { randomDagNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { expectExact, expectSchedulesRunExact, randomCase, verifyCases } from './harness.js';

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261205);
const programs = Number(process.env['MEMSCHED_CODEGEN_PROGRAMS'] ?? 3);
const perProgram = 8;

describe(`generated C on ${programs * perProgram} random schedules of DAG segments (seed ${seed})`, () => {
  const r = rng(seed);
  const all: Case[][] = [];
  for (let p = 0; p < programs; p++)
    all.push(
      Array.from({ length: perProgram }, (_, i) =>
        randomCase(r, 7, false, (rr, layers) => randomDagNetwork(rr, layers), {
          sharedIntermediates: i % 2 === 0,
          warmup: i % 3 === 0,
        }),
      ),
    );

  it('each has an intermediate that several layers read', () => {
    for (const c of all.flat()) {
      const seg = analyzeSegment(c.net, c.schedule.layers);
      expect(hasJoins(seg)).toBe(true);
    }
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      expectExact(await verifyCases(cases, width));
    });
  });
});

// Two residual blocks fused (residualBlocks): s1, the first block's output, is read by the second
// block's first convolution and by its add (the last layer).
const blocks = residualBlocks();
const blocksSeg = segmentOf(blocks);
const kept = ['in@a1', 'a1', 'a2', 's1', 'b1', 'b2'];

/** Rows streaming through line buffers (stored at root, filled per row), with the warm-up needed. */
function rows(): SegmentSchedule {
  const levels = Object.fromEntries(kept.map((id) => [id, ['root', 'y'] as [Level, Level]]));
  const s = schedule(blocksSeg, { y: 1 }, ['y', 'x', 'zo', 'zi'], { ...levels, s2: ['zi', 'zi'] });
  return { ...s, warmup: { y: warmupNeeded(blocksSeg, s, 'y') } };
}

// A 3x3 convolution p (2x6x6) read by a 1x1 convolution q and by the concatenation of both (the last
// layer), per output-channel tile of 2: at the second tile q computes nothing, the concatenation reads
// p's channels, so p (stored and filled per tile) is computed again for the last layer's reads alone.
const branch = net({ c: 2, h: 6, w: 6 }, [
  conv('p', 'in', 2, 3),
  conv('q', 'p', 2, 1),
  { kind: 'concat', name: 'cat', inputs: ['q', 'p'], post: [] },
]);
const perChannelTile = schedule(segmentOf(branch), { zo: 2 }, ['zo', 'y', 'x', 'zi'], {
  p: ['zo', 'zo'],
  q: ['zo', 'zo'],
  cat: ['zi', 'zi'],
});

describe('hand-made DAG segments, run as C', () => {
  it('two residual blocks streaming rows compute every element once, s1 kept 3 rows; a concatenation reading a branch alone gets it computed', async () => {
    const s = rows();
    expect(s.warmup).toEqual({ y: 3 });
    // everything filled once at root; per 4x4 tile, recomputing halos (s1 kept along x)
    const whole = schedule(blocksSeg, { x: 4, y: 4 }, ['y', 'x', 'zo', 'zi']);
    const tiles = schedule(blocksSeg, { x: 4, y: 4 }, ['y', 'x', 'zo', 'zi'], {
      ...Object.fromEntries(kept.map((id) => [id, ['x', 'x'] as [Level, Level]])),
      s1: ['y', 'x'],
      s2: ['zi', 'zi'],
    });
    const v = await verifyCases(
      [
        ...[s, whole, tiles].map((schedule) => ({ net: blocks, schedule })),
        { net: branch, schedule: perChannelTile },
      ],
      2,
    );
    expectExact(v);
    const of = (c: number, id: string) =>
      v.tensors.find((t) => t.buffer === `c${c}_${id.replace('@', `@c${c}_`)}`)!;
    const reads = (c: number) =>
      v.tensors.filter((t) => t.buffer.startsWith(`c${c}_`)).reduce((n, t) => n + t.measuredReads, 0);
    // streaming: the input and the 3x3 convolutions' inputs 3 rows, the adds' other operands 1 row
    expect(kept.map((id) => of(0, id).measuredExtents[1])).toEqual([3, 3, 1, 3, 3, 1]);
    for (const c of [0, 1]) {
      for (const id of kept.slice(1)) expect(of(c, id).measuredFilled).toBe(128);
      // the input once, each convolution's 2 x 2 x 9 weights and 2 biases once; the output once
      expect(reads(c)).toBe(128 + 4 * 38);
      expect(of(c, 's2').measuredWrites).toBe(128);
    }
    // per tile: the halos of s1 (read by b1 around each tile) recomputed
    expect(of(2, 's1').measuredFilled).toBeGreaterThan(128);
    // p computed at both channel tiles (72 elements each), q at the first
    expect(of(3, 'p').measuredFilled).toBe(144);
    expect(of(3, 'q').measuredFilled).toBe(72);
  });
});

// The network front over a DAG takes segments that no one layer order runs consecutively (a branch
// fused with the layer joining it while the parallel branch runs apart); such points run as C (both
// builds) with exactly the predicted counts.
describe('network fronts over DAGs: segments that are not runs of the layer order, run as C', () => {
  const r = rng(21);
  const found: { net: Network; schedule: NetworkSchedule }[] = [];
  const notRun = (net: Network, layers: string[]) =>
    !isRun(layers.map((n) => net.layers.findIndex((l) => l.name === n)).sort((a, b) => a - b));

  it('finds such points, at least as good as every point of runs only', async () => {
    for (let t = 0; t < 40 && found.length < 2; t++) {
      const n = randomDagNetwork(r, 5);
      const cands = candidateSegments(n, 5);
      const size = Math.max(...cands.map((c) => Object.values(c.segment.dims).reduce((a, b) => a * b, 1)));
      if (
        size > 200 ||
        !cands.some((c) =>
          notRun(
            n,
            c.segment.layers.map((l) => l.name),
          ),
        )
      )
        continue;
      const got = await explore(n, { space: 'full', elementBytes: 1, maxFuse: 5, threads: 1 });
      const point = got.front.find((p) => p.schedule.segments.some((s) => notRun(n, s.layers)));
      if (point === undefined) continue;
      found.push({ net: n, schedule: point.schedule });
      // the fronts of the runs alone (as searched for the DAG front) give nothing better
      const { front } = await explore(n, {
        space: 'full',
        elementBytes: 1,
        maxFuse: 5,
        threads: 1,
        segmentSets: 'runs',
      });
      for (const p of front)
        expect(got.front.some((q) => q.bytes <= p.bytes && q.accesses <= p.accesses)).toBe(true);
      const e = evaluateSchedule(n, point.schedule);
      expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([point.bytes, point.accesses, point.macs]);
    }
    expect(found.length).toBe(2);
  });

  it('their schedules run with outputs and every count as predicted', async () => {
    await expectSchedulesRunExact(found);
  });
});
