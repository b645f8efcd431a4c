// The kernels and shortcuts of the generated C on wide convolutions: random convolution chains with up
// to 40 channels (so that the vector lanes, the rows of three positions and both convolution variants
// run), random schedules (circular buffers wrapping in every dimension, store above fill, fused producers
// whose inputs are filled where they compute or further out). The programs run with GNU C vectors and
// (two of them) as plain C (-DMEMSCHED_NO_VECTORS): every count equal to the model, outputs within the
// tolerance of the reference. And the tag checks, skipped for boxes checked already, still catch a
// buffer carved too small.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateC, runnableNetwork } from '../../src/codegen/c.js';
import { buildNetwork } from '../../src/ir/build.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { ElementBytes, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { difference, withinTolerance } from '../../src/reference/compare.js';
import { runNetwork } from '../../src/reference/run.js';
import { rng } from '../../src/util/random.js';
import { defaultInputs } from '../../src/verify/verify.js';
import { conv } from '../layers.js';
import type { Case } from './harness.js';
import { expectExact, mergeCases, runEdited, verifyCases, wideCase } from './harness.js';

const programs = 3;
const perProgram = 8;
const r = rng(Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 5_2027));
const all: Case[][] = Array.from({ length: programs }, () =>
  Array.from({ length: perProgram }, () => wideCase(r)),
);
const widths: ElementBytes[] = [1, 2, 4];

const dir = mkdtempSync(join(tmpdir(), 'memsched-fast-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`generated C on ${programs * perProgram} random wide convolution chains`, () => {
  it('covers both convolution kernels, both layouts, wide reductions and output-channel tiles, and every demand source', () => {
    const sources = all.map((cases, p) => {
      const { net, schedule } = mergeCases(cases, widths[p]!);
      const n = runnableNetwork(net);
      return generateC(n, schedule, checkAndEvaluate(n, schedule), { weights: false }).source;
    });
    const text = sources.join('\n');
    const count = (re: RegExp) => (text.match(re) ?? []).length;
    expect(count(/, CONV_AXPY, seg/g)).toBeGreaterThan(3);
    expect(count(/, CONV_DOT, seg/g)).toBeGreaterThan(12);
    expect(count(/DEMAND_ONLINE, LAYOUT_/g)).toBeGreaterThan(3);
    expect(count(/DEMAND_PLANNED, LAYOUT_/g)).toBeGreaterThan(3);
    expect(count(/, LAYOUT_CHW, /g)).toBeGreaterThan(2);
    const cases = all.flat();
    const convs = cases.flatMap((c) =>
      c.net.layers.flatMap((l) => (l.kind === 'conv' ? [{ l, s: c.schedule, c }] : [])),
    );
    const cin = (c: Case, input: string) =>
      c.net.inputs.find((t) => t.name === input)?.shape.c ??
      c.net.layers.find((l) => l.name === input)!.shape.c;
    // fused producers reducing over at least 8 channels (eight lanes), last layers with wide tiles
    expect(
      convs.filter(({ l, c }) => l !== c.net.layers.at(-1) && cin(c, l.inputs[0]!) / l.groups >= 8).length,
    ).toBeGreaterThan(3);
    expect(
      cases.filter((c) => c.net.layers.at(-1)!.kind === 'conv' && c.schedule.tile.zo >= 16).length,
    ).toBeGreaterThan(2);
    expect(cases.filter((c) => c.schedule.tile.x >= 3).length).toBeGreaterThan(6);
  });

  // every program with vectors, the first two also as plain C
  all.forEach((cases, p) => {
    for (const [variant, flags] of [
      ['vectors', []],
      ...(p < 2 ? [['plain C', ['-DMEMSCHED_NO_VECTORS']] as const] : []),
    ] as const)
      it(`program ${p} (${widths[p]}-byte elements, ${variant}): outputs and every count equal`, async () => {
        const v = await verifyCases(cases, widths[p]!, false, [...flags]);
        expectExact(v);
        expect(v.macs.measured).toBeGreaterThan(0);
      });
  });

  it('catches an intermediate or an input carved one slot short in a dimension, though checks are cached', async () => {
    // A fused pair with a wide reduction and a wide output tile; each of its buffers with a sliding
    // window in turn one row or one channel short: reads find other elements.
    const net = buildNetwork(
      'short',
      [{ name: 'in', shape: { c: 12, h: 9, w: 11 } }],
      [
        conv('a', 'in', 16, 3, { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
        conv('b', 'a', 20, 3, { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
      ],
    );
    const sched: NetworkSchedule = {
      format: 'memsched.schedule',
      version: 1,
      network: 'short',
      elementBytes: 1,
      segments: [
        {
          layers: ['a', 'b'],
          tile: { x: 11, y: 1, zo: 20, zi: 2 },
          order: ['y', 'zi', 'x', 'zo'],
          buffers: {
            'in@a': { store: 'root', fill: 'y' },
            'a:weights': { store: 'root', fill: 'root' },
            'b:weights': { store: 'root', fill: 'root' },
            a: { store: 'root', fill: 'zi' },
            b: { store: 'y', fill: 'y' },
          },
        },
      ],
    };
    const m = runnableNetwork(net);
    const p = generateC(m, sched, checkAndEvaluate(m, sched));
    const inputs = defaultInputs(m);
    const lines = p.source.split('\n');
    const at = (id: string) => lines.findIndex((l) => l.startsWith(`  /* ${id}: `)) + 1;
    const run = async (line: number, from: string, to: string, tag: string) => {
      expect(lines[line]).toContain(from);
      const changed = [...lines];
      changed[line] = changed[line]!.replace(from, to);
      return (await runEdited(dir, p, changed.join('\n'), tag, inputs)).counters.conflicts;
    };
    // the unchanged program runs cleanly
    expect((await runEdited(dir, p, p.source, 'whole', inputs)).counters.conflicts).toBe(0);
    const ext = (id: string) => /\{(\d+), (\d+), (\d+)\}/.exec(lines[at(id)]!)!;
    const a = ext('a');
    const inA = ext('in@a');
    // a: the line buffer of 3 rows one row short; in@a: one row short; a: one channel short
    expect(await run(at('a'), a[0]!, `{${a[1]}, ${Number(a[2]) - 1}, ${a[3]}}`, 'rows')).toBeGreaterThan(0);
    expect(
      await run(at('in@a'), inA[0]!, `{${inA[1]}, ${Number(inA[2]) - 1}, ${inA[3]}}`, 'inrows'),
    ).toBeGreaterThan(0);
    expect(await run(at('a'), a[0]!, `{${Number(a[1]) - 1}, ${a[2]}, ${a[3]}}`, 'channels')).toBeGreaterThan(
      0,
    );
  });

  it('splits reductions and output-channel tiles where circular channel slots wrap', async () => {
    // Buffers carved with more channel slots than the model's box (moved to the end of a larger
    // scratchpad): tiles of 4 input channels then start mid-box, so a reduction or a tile of output
    // channels wraps in one buffer but not in the other, and the kernels split it into pieces.
    const shape = { c: 12, h: 7, w: 9 };
    const pads = { top: 1, left: 1, bottom: 1, right: 1 };
    const cases: [string, SegmentSchedule['tile'], Record<string, number[]>][] = [
      // a tile of 3 output channels, reductions of 4: the dot-product kernel
      ['dot', { x: 9, y: 7, zo: 3, zi: 4 }, { 'in@conv': [5, 0, 0], 'conv:weights': [0, 7] }],
      // tiles of 8 output channels, reductions of 2: the kernel updating output channels at once
      ['axpy', { x: 9, y: 7, zo: 8, zi: 2 }, { 'conv:weights': [3, 0], conv: [5, 0, 0] }],
    ];
    for (const [what, tile, grow] of cases) {
      const net = runnableNetwork(
        buildNetwork(
          what,
          [{ name: 'in', shape }],
          [conv('conv', 'in', 16, 3, { pads, post: [{ op: 'relu' }] })],
        ),
      );
      const schedule: NetworkSchedule = {
        format: 'memsched.schedule',
        version: 1,
        network: what,
        elementBytes: 4,
        segments: [
          {
            layers: ['conv'],
            tile,
            order: ['zi', 'zo', 'y', 'x'],
            buffers: {
              'in@conv': { store: 'zi', fill: 'zi' },
              'conv:weights': { store: 'zo', fill: 'zo' },
              conv: { store: 'zo', fill: 'zo' },
            },
          },
        ],
      };
      const p = generateC(net, schedule, checkAndEvaluate(net, schedule));
      expect(p.source).toContain(what === 'dot' ? ', CONV_DOT, seg' : ', CONV_AXPY, seg');
      const lines = p.source.split('\n');
      let scratch = Number(/#define SCRATCH (\d+)/.exec(p.source)![1]);
      for (const [id, add] of Object.entries(grow)) {
        const at = lines.findIndex((l) => l.startsWith(`  /* ${id}: `)) + 1;
        const m = /\{([\d, ]+)\}, (\d+), (\d+)\},$/.exec(lines[at]!)!;
        const ext = m[1]!.split(', ').map(Number);
        const grown = ext.map((e, k) => e + (add[k] ?? 0));
        const weights = id.endsWith(':weights');
        const slots = weights ? grown[0]! * (grown[1]! * 9 + 1) : grown.reduce((a, b) => a * b, 1);
        lines[at] = lines[at]!.replace(m[0], `{${grown.join(', ')}}, ${scratch}, ${m[3]}},`);
        scratch += slots;
      }
      const source = lines.join('\n').replace(/#define SCRATCH \d+/, `#define SCRATCH ${scratch}`);
      const inputs = defaultInputs(net);
      const run = await runEdited(dir, p, source, `wrap-${what}`, inputs);
      expect(run.counters.conflicts).toBe(0);
      const predicted = p.predicted.segments[0]!;
      expect(run.counters.segments[0]!.buffers).toEqual(
        predicted.buffers.map((b) => ({
          reads: b.dramReads,
          writes: b.dramWrites,
          filled: b.filled,
          extents: b.extents,
        })),
      );
      expect(run.counters.segments[0]!.macs).toEqual([predicted.macs]);
      const expected = (await runNetwork(net, { in: inputs[0]! }))[net.outputs[0]!]!;
      expect(withinTolerance(difference(run.outputs[0]!, expected))).toBe(true);
    }
  });
});
