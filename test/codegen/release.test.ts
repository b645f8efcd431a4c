// The release build on random schedules of small networks: its outputs equal the reference inference
// within 1e-4 and what it moves through the DRAM hooks (counted with -DMEMSCHED_COUNT) equals the
// model's predicted reads and writes; chains, DAG segments, warm-up loops, shared inputs, reduction
// tiles, 1-, 2- and 4-byte schedules. Several cases share one program to keep the compiles down.

import { describe, expect, it } from 'vitest';
import { releaseFlags } from '../../src/codegen/release.js';
import { releaseRuntimeC, runtimeTypesC } from '../../src/codegen/runtime.js';
import { explore } from '../../src/dse/explore.js';
import { retileSegment } from '../../src/dse/retile.js';
import { streamingSchedule } from '../../src/dse/streaming.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { ElementBytes } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomInt, rng } from '../../src/util/random.js';
import { pool } from '../layers.js';
import { conv, net, schedule } from '../model/fixtures.js';
import { randomDagNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import {
  expectReleaseExact,
  expectSchedulesRunExact,
  randomCase,
  releaseCases,
  wholeSegmentCase,
  wideCase,
} from './harness.js';

describe('the release runtime', () => {
  it('resolves in every combination of features (int8 too), with none of the verification bookkeeping', () => {
    for (let i = 0; i < 128; i++) {
      const f = {
        affine: (i & 1) > 0,
        shared: (i & 2) > 0,
        warmup: (i & 4) > 0,
        dag: (i & 8) > 0,
        strips: (i & 16) > 0,
        raster: (i & 32) > 0,
        int8: (i & 64) > 0,
      };
      const text = runtimeTypesC({ ...f, release: true }) + releaseRuntimeC([], f);
      expect(text).not.toContain('MEMSCHED_WITH_');
      for (const gone of ['tag[', 'check_box', 'conflict(', 'prev_row', 'span_push'])
        expect(text).not.toContain(gone);
      expect(text).toContain('memsched_dram_read');
      // int8: its own kernels, none of the float ones
      for (const kernel of ['conv_box_q', 'axpy_block', 'conv_row('])
        expect(text.includes(kernel), kernel).toBe(kernel === 'conv_box_q' ? f.int8 : !f.int8);
    }
  });
});

const seed = Number(process.env['MEMSCHED_RELEASE_SEED'] ?? 20261205);
const perProgram = 10;

describe(`release build on random schedules (seed ${seed})`, () => {
  const r = rng(seed);
  const programs: { name: string; cases: Case[]; flags?: string[] }[] = [
    {
      name: 'chains',
      cases: Array.from({ length: perProgram }, (_, i) => randomCase(r, i % 3 === 0 ? 1 : 4, i % 2 === 0)),
    },
    {
      name: 'chains with warm-up',
      cases: Array.from({ length: perProgram }, () => randomCase(r, 4, false, undefined, { warmup: true })),
    },
    {
      name: 'DAG segments',
      cases: Array.from({ length: perProgram }, (_, i) =>
        randomCase(r, 7, false, (rr, layers) => randomDagNetwork(rr, layers), {
          sharedIntermediates: i % 2 === 0,
          warmup: i % 3 === 0,
        }),
      ),
    },
    { name: 'wide convolutions', cases: Array.from({ length: perProgram }, () => wideCase(r)) },
    // at the flags the release build is made for: the kernels' fused multiply-adds and masked last
    // vectors where the machine has them (the other programs build at -O2 for any x86-64)
    {
      name: 'wide convolutions at -O3 -march=native',
      cases: Array.from({ length: perProgram }, () => wideCase(r)),
      flags: releaseFlags,
    },
  ];
  programs.forEach(({ name, cases, flags }, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`${name} (${width}-byte elements): outputs and every transfer equal the model`, async () => {
      expectReleaseExact(await releaseCases(cases, width, flags));
    });
  });
});

describe('release presence on strided readers', () => {
  // ResNet's downsampling shortcut: a 1x1 stride-2 convolution reads every other column of its input, and
  // the output-channel loop outside the columns brings the same columns back within one store instance.
  // The columns below a row's mark are then present with gaps between them that no fill ever demands.
  it('a 1x1 stride-2 reader under an outer channel loop: exact, nothing taken as present that is not', async () => {
    const n = net({ c: 3, h: 8, w: 9 }, [conv('down', 'in', 4, 1, { stride: [2, 2] })]);
    const seg = analyzeSegment(n, ['down']);
    const s = schedule(seg, { x: 1, y: 1, zo: 1, zi: 1 }, ['zo', 'x', 'y', 'zi'], {
      'in@down': ['root', 'y'],
      'down:weights': ['zo', 'y'],
      down: ['zi', 'zi'],
    });
    const v = await releaseCases([{ net: n, schedule: s }], 4);
    expectReleaseExact(v);
    // 2 of every 4 columns and rows, read once: the channel loop's repeats are all present
    expect(v.tensors.find((t) => t.role === 'input')!.measuredReads).toBe(3 * 4 * 5);
  });
});

describe('release kernels by reduction length', () => {
  // 1x1 convolutions and short reductions (under 256 products) computing 8 output channels of a group or
  // more take the kernel that holds output channels in vector lanes, fused producers included: blocks
  // of 64 channels and a masked rest under AVX-512 (at the release flags), groups, pieces of channels
  // where a buffer's channels wrap, reduction slices of the last layer.
  const r = rng(seed + 1);
  const pointwiseCase = (): Case => {
    const groups = [1, 2, 4][randomInt(r, 0, 2)]!;
    const n = net({ c: randomInt(r, 1, 7), h: randomInt(r, 3, 9), w: randomInt(r, 5, 14) }, [
      conv('a', 'in', 4 * randomInt(r, 2, 22), randomInt(r, 1, 3)),
      conv('b', 'a', groups * randomInt(r, 8, 28), 1, { groups }),
      conv('c', 'b', groups * randomInt(r, 8, 20), 3, { groups, stride: [r() < 0.3 ? 2 : 1, 1] }),
    ]);
    return wholeSegmentCase(n, r);
  };
  // 3x3 convolutions over 29 channels and more (261 products an output and more) as dot products: under
  // AVX-512 sixteen lanes and blocks of 4, 6 or 8 output channels (dot16), the rest of a block's channels
  // unused; the block's sums added in one tree of shuffles
  const longCase = (): Case => {
    const n = net({ c: randomInt(r, 29, 40), h: randomInt(r, 3, 8), w: randomInt(r, 3, 12) }, [
      conv('a', 'in', randomInt(r, 29, 36), 3),
      conv('b', 'a', randomInt(r, 5, 19), 3, { stride: [1, r() < 0.3 ? 2 : 1] }),
    ]);
    return wholeSegmentCase(n, r);
  };
  it('long reductions as dot products at -O3 -march=native (2-byte elements): outputs and every transfer equal the model', async () => {
    expectReleaseExact(await releaseCases(Array.from({ length: perProgram }, longCase), 2, releaseFlags));
  });
  // MobileNet's block: 1x1, depthwise 3x3 with ReLU6, ReLU, a sigmoid or none (the depthwise kernel
  // clamps its vectors; sigmoids go eight at a time through a polynomial), 1x1 with a sigmoid or not; the
  // input random in [0, 1), weights in [-1, 1): sums below 0 and above 6 both occur
  const invertedNet = () => {
    const c = randomInt(r, 5, 30); // (whole vectors of channels and a masked rest)
    const post = [
      [{ op: 'clip' as const, min: 0, max: 6 }],
      [{ op: 'relu' as const }],
      [{ op: 'sigmoid' as const }],
      [],
    ][randomInt(r, 0, 3)]!;
    return net({ c: randomInt(r, 3, 12), h: randomInt(r, 4, 10), w: randomInt(r, 8, 16) }, [
      conv('expand', 'in', c, 1, r() < 0.5 ? { post: [{ op: 'sigmoid' }] } : {}),
      conv('dw', 'expand', c, 3, { groups: c, post, stride: [r() < 0.3 ? 2 : 1, 1] }),
      conv('project', 'dw', randomInt(r, 4, 24), 1),
    ]);
  };
  const invertedCase = (): Case => wholeSegmentCase(invertedNet(), r);
  it('inverted residual blocks at -O3 -march=native (4-byte elements): outputs and every transfer equal the model', async () => {
    expectReleaseExact(await releaseCases(Array.from({ length: perProgram }, invertedCase), 4, releaseFlags));
  });
  // the traffic detector's first layers: one input channel read by a few output channels (every channel
  // of a row at once: sixteen a vector under AVX-512, then eight, the last vector masked; up to 8 channels
  // under AVX-512: 16 positions a vector), a stride-2 kernel and a sigmoid, then a convolution over them
  const singleInputNet = () =>
    net({ c: 1, h: randomInt(r, 8, 16), w: randomInt(r, 10, 20) }, [
      conv('a', 'in', randomInt(r, 3, 24), randomInt(r, 3, 6), {
        stride: [2, r() < 0.5 ? 2 : 1],
        post: [{ op: 'sigmoid' }],
      }),
      conv('b', 'a', randomInt(r, 4, 16), 3, { post: [{ op: 'relu' }] }),
    ]);
  const singleInputCase = (): Case => {
    const c = wholeSegmentCase(singleInputNet(), r);
    // every channel of the first layer a fill, often (the consumer's whole reduction a step): whole vectors
    if (r() < 0.5) c.schedule.tile.zi = c.net.layers[0]!.shape.c;
    // tiles one or two columns wide and several rows tall (the traffic detector's): blocks of positions
    // from several rows, whose taps' slots a circular input does not shift alike (in lanes, gathered)
    if (r() < 0.5) {
      c.schedule.tile.x = randomInt(r, 1, 2);
      c.schedule.tile.y = randomInt(r, 2, c.net.layers.at(-1)!.shape.h);
    }
    return c;
  };
  it('one input channel read by a few output channels at -O3 -march=native (4-byte elements): outputs and every transfer equal the model', async () => {
    expectReleaseExact(
      await releaseCases(Array.from({ length: perProgram }, singleInputCase), 4, releaseFlags),
    );
  });
  // both read from raster line buffers: a streaming schedule (in strips or not) retiled, so that the
  // depthwise kernel takes blocks of neighbouring positions whose slots wrap around the run between some
  const streamingCase = (): Case => {
    const n = r() < 0.6 ? invertedNet() : singleInputNet();
    const seg = analyzeSegment(
      n,
      n.layers.map((l) => l.name),
    );
    const width = r() < 0.5 ? seg.dims.x : randomInt(r, 3, seg.dims.x);
    const streaming = streamingSchedule(seg, width, 4);
    if (streaming === undefined) throw new Error('no streaming schedule');
    // a little more memory than streaming takes: tiles of a few positions, line buffers still wrapping
    const bytes = streaming.result.onChipBytes * (1.1 + 0.6 * r());
    return { net: n, schedule: retileSegment(seg, streaming.schedule, 4, bytes) };
  };
  it('both streaming through raster line buffers at -O3 -march=native (4-byte elements): outputs and every transfer equal the model', async () => {
    const streaming = Array.from({ length: perProgram }, streamingCase);
    expect(
      streaming.some((c) => c.schedule.tile.x > 1 && Object.values(c.schedule.buffers).some((b) => b.raster)),
    ).toBe(true);
    expectReleaseExact(await releaseCases(streaming, 4, releaseFlags));
  });
  // layers taken channels at a time (channelwise_box): a padded 3x3 stride-2 max pooling (the window clipped
  // at the borders) and an elementwise sum, product or maximum of a convolution and its input (a skip)
  const channelCase = (): Case => {
    const c = randomInt(r, 2, 20);
    const pad = { top: 1, left: 1, bottom: 1, right: 1 };
    const op = (['add', 'mul', 'max'] as const)[randomInt(r, 0, 2)]!;
    const n = net({ c, h: randomInt(r, 5, 12), w: randomInt(r, 5, 14) }, [
      pool('p', 'in', { kernel: [3, 3], stride: [2, 2], pads: pad }),
      conv('a', 'p', c, 3, { pads: pad, post: [{ op: 'relu' }] }),
      { kind: 'eltwise', name: 'skip', inputs: ['a', 'p'], post: [], op },
    ]);
    return wholeSegmentCase(n, r);
  };
  it('pooling and skips channels at a time at -O3 -march=native (4-byte elements): outputs and every transfer equal the model', async () => {
    expectReleaseExact(await releaseCases(Array.from({ length: perProgram }, channelCase), 4, releaseFlags));
  });
  const cases = Array.from({ length: perProgram }, pointwiseCase);
  it('chains of them at -O3 -march=native (4-byte elements): outputs and every transfer equal the model', async () => {
    expectReleaseExact(await releaseCases(cases, 4, releaseFlags));
  });
  it('the same chains without vector types (1-byte elements)', async () => {
    expectReleaseExact(await releaseCases(cases, 1, ['-DMEMSCHED_NO_VECTORS']));
  });
});

// A network without convolutions (slices, an LRN, a concat; a scratchpad of a few slots): the release
// build compiles warning-free (no convolution kernels; a scratchpad array shorter than a vector drew gcc
// bounds warnings) and runs its front's points exactly.
describe('the release build of a network without convolutions', () => {
  it('compiles and runs its front points with every transfer as predicted', async () => {
    const n = buildNetwork(
      'noconv',
      [{ name: 'in', shape: { c: 1, h: 5, w: 9 } }],
      [
        { kind: 'slice', name: 'a', inputs: ['in'], post: [], start: 0, end: 1 },
        { kind: 'slice', name: 'b', inputs: ['a'], post: [], start: 0, end: 1 },
        { kind: 'lrn', name: 'c', inputs: ['a'], post: [], size: 3, alpha: 1e-4, beta: 0.75, k: 1 },
        { kind: 'concat', name: 'd', inputs: ['b', 'c'], post: [] },
      ],
    );
    const { front } = await explore(n, { space: 'full', elementBytes: 1, threads: 1 });
    const points = [front[0]!, front[Math.floor(front.length / 2)]!, front.at(-1)!];
    await expectSchedulesRunExact(points.map((p) => ({ net: n, schedule: p.schedule })));
  });
});
