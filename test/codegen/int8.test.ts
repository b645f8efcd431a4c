// The int8 release build (docs/int8.md) on random schedules of small networks: its outputs equal the int8
// reference inference's element for element and what it moves through the DRAM hooks equals the model's
// prediction; post-ops through clamps and tables, partial sums as int32, on chip and through DRAM.

import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/ir/build.js';
import type { Layer, LayerSpec, Network, PointwiseOp } from '../../src/ir/network.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomInt, rng } from '../../src/util/random.js';
import type { ReleasePoint } from '../../src/verify/release.js';
import { verifyRelease } from '../../src/verify/release.js';
import { defaultInputs, int8Session } from '../../src/verify/verify.js';
import { conv, net, schedule } from '../model/fixtures.js';
import { randomDagNetwork, randomSegmentNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { mergeCases, randomCase, runCases, wholeSegmentCase, wideChain } from './harness.js';

const seed = Number(process.env['MEMSCHED_INT8_SEED'] ?? 20261206);

/** Post-ops as networks fold them: clamps (relu, clip) and the others, alone and chained. */
const posts: PointwiseOp[][] = [
  [],
  [{ op: 'relu' }],
  [{ op: 'clip', min: 0, max: 6 }],
  [{ op: 'sigmoid' }],
  [{ op: 'hardswish' }],
  [{ op: 'relu' }, { op: 'silu' }],
  [{ op: 'hardsigmoid', alpha: 0.2, beta: 0.5 }],
];

/** The network with each layer given random post-ops, LRN and softmax (which int8 does not run) drawn again. */
function int8Network(draw: (r: () => number, layers: number) => Network) {
  return (r: () => number, layers: number): Network => {
    for (;;) {
      const n = draw(r, layers);
      if (n.layers.some((l) => l.kind === 'lrn' || l.kind === 'softmax')) continue;
      const specs = n.layers.map(({ shape: _s, ...l }: Layer) => ({
        ...l,
        post: r() < 0.6 ? posts[randomInt(r, 0, posts.length - 1)]! : l.post,
      })) as LayerSpec[];
      const outputs = n.outputs.length > 1 ? n.outputs : undefined;
      return buildNetwork(n.name, n.inputs, specs, outputs);
    }
  };
}

/** The cases as one int8 release program, counting, against the int8 reference (calibrated on the run's input). */
function int8Cases(cases: Case[]): Promise<ReleasePoint> {
  return runCases(cases, 1, async (session, sched) => {
    const inputs = defaultInputs(session.net);
    return verifyRelease(await int8Session(session, inputs, inputs), sched, null);
  });
}

function expectInt8Exact(v: ReleasePoint): void {
  expect(v.mismatches).toEqual([]);
  expect(v.output.maxAbsError).toBe(0);
  for (const t of v.tensors) {
    expect(t.measuredReads).toBe(t.predictedReads);
    expect(t.measuredWrites).toBe(t.predictedWrites);
    expect(t.measuredFilled).toBe(t.predictedFilled);
  }
  expect(v.macs.measured).toBe(v.macs.predicted);
  expect(v.floatDifference).toBeGreaterThanOrEqual(0);
}

describe(`int8 release build on random schedules (seed ${seed})`, () => {
  const r = rng(seed);
  const perProgram = 8;
  const chains = int8Network((rr, n) => randomSegmentNetwork(rr, n, true));
  const dags = int8Network((rr, n) => randomDagNetwork(rr, n));
  const programs: { name: string; cases: () => Case[] }[] = [
    {
      name: 'chains with affine layers',
      cases: () =>
        Array.from({ length: perProgram }, (_, i) => randomCase(r, i % 3 === 0 ? 1 : 4, true, chains)),
    },
    {
      name: 'DAG segments with warm-up loops',
      cases: () =>
        Array.from({ length: perProgram }, (_, i) =>
          randomCase(r, 7, false, dags, { sharedIntermediates: i % 2 === 0, warmup: i % 3 === 0 }),
        ),
    },
    {
      name: 'strips and raster line buffers',
      cases: () =>
        Array.from({ length: perProgram }, () =>
          randomCase(r, 4, false, chains, { warmup: true, stripsAndRaster: true }),
        ),
    },
    {
      name: 'wide convolutions',
      cases: () => Array.from({ length: perProgram }, () => wholeSegmentCase(wideChain(r), r)),
    },
    {
      // patches slid along rows of positions inside the input: kernels 1-5 wide, strides 1-3,
      // dilations 1-2, groups, and channel counts that are no multiple of 8
      name: 'convolutions over wide rows',
      cases: () =>
        Array.from({ length: perProgram }, () => {
          const c = randomInt(r, 1, 12);
          const groups = [1, 1, 2, c][randomInt(r, 0, 3)]!;
          const inC = c % groups === 0 ? c : c * groups;
          const k = randomInt(r, 1, 5);
          const n = net({ c: inC, h: randomInt(r, 3, 9), w: randomInt(r, 14, 40) }, [
            conv('a', 'in', groups * randomInt(r, 1, 6), k, {
              groups,
              stride: [randomInt(r, 1, 2), randomInt(r, 1, 3)],
              dilation: [1, randomInt(r, 1, 2)],
              post: r() < 0.5 ? [{ op: 'relu' }] : [],
            }),
            conv('b', 'a', randomInt(r, 1, 9), randomInt(r, 1, 3)),
          ]);
          return wholeSegmentCase(n, r);
        }),
    },
  ];
  for (const { name, cases } of programs)
    it(`${name}: outputs equal the int8 reference's, every transfer the model's`, async () => {
      expectInt8Exact(await int8Cases(cases()));
    });
});

describe('int8 partial sums', () => {
  // a 3x3 convolution over 6 channels reduced in tiles of 2: the sums of 3 slices kept as int32
  const n = net({ c: 6, h: 7, w: 9 }, [conv('a', 'in', 5, 3, { post: [{ op: 'relu' }] })]);
  const seg = analyzeSegment(n, ['a']);
  it('kept on chip across reduction tiles (the output stored above zi): exact', async () => {
    const s = schedule(seg, { x: 3, y: 2, zo: 5, zi: 2 }, ['y', 'x', 'zo', 'zi'], {
      'in@a': ['zi', 'zi'],
      'a:weights': ['zi', 'zi'],
      a: ['x', 'zi'],
    });
    expectInt8Exact(await int8Cases([{ net: n, schedule: s }]));
  });
  it('the weights a slice at a time, the input whole on chip: exact', async () => {
    const s = schedule(seg, { x: 9, y: 7, zo: 5, zi: 2 }, ['y', 'x', 'zo', 'zi'], {
      'in@a': ['root', 'root'],
      'a:weights': ['zi', 'zi'],
      a: ['root', 'root'],
    });
    expectInt8Exact(await int8Cases([{ net: n, schedule: s }]));
  });
  it('through DRAM as int32 (zi around the output): exact', async () => {
    const s = schedule(seg, { x: 3, y: 2, zo: 5, zi: 2 }, ['zi', 'y', 'x', 'zo'], {
      'in@a': ['zo', 'zo'],
      'a:weights': ['zo', 'zo'],
      a: ['zo', 'zo'],
    });
    const { net: m, schedule: sched } = mergeCases([{ net: n, schedule: s }], 1);
    const out = checkAndEvaluate(m, sched).predicted.segments[0]!.buffers.find((b) => b.role === 'output')!;
    expect(out.dramReads).toBe(2 * 5 * 7 * 9); // the 2 tiles after the first read back every output
    expectInt8Exact(await int8Cases([{ net: n, schedule: s }]));
  });
});
