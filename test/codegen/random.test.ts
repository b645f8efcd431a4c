// Random networks and schedules, end to end: the generated C program's outputs equal the reference
// inference within 1e-4, and every count it measures equals the model's prediction exactly. Several
// cases share one program (one segment each) to keep the number of compiles down.

import { describe, expect, it } from 'vitest';
import type { ElementBytes } from '../../src/model/schedule.js';
import { levelDepth } from '../../src/model/schedule.js';
import { rng } from '../../src/util/random.js';
import type { Case } from './harness.js';
import { expectExact, randomCase, verifyCases } from './harness.js';

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261125);
// six programs: with one buffer per shared DRAM input the schedules draw fewer numbers, and five
// programs of this seed no longer drew more than three grouped convolutions
const programs = 6;
const perProgram = 8;

describe(`generated C on ${programs * perProgram} random schedules (seed ${seed})`, () => {
  const r = rng(seed);
  const all: Case[][] = [];
  for (let p = 0; p < programs; p++)
    all.push(Array.from({ length: perProgram }, (_, i) => randomCase(r, i % 4 === 0 ? 1 : 4)));

  it('covers fusion, every layer kind, padding, strides, groups and store above fill', () => {
    const cases = all.flat();
    const layers = cases.flatMap((c) => c.net.layers);
    const kinds = new Set(layers.map((l) => l.kind));
    expect([...kinds].sort()).toEqual([
      'concat',
      'conv',
      'eltwise',
      'lrn',
      'pool',
      'shuffle',
      'slice',
      'softmax',
    ]);
    const convs = layers.filter((l) => l.kind === 'conv');
    expect(convs.filter((l) => l.groups > 1).length).toBeGreaterThan(3);
    expect(convs.filter((l) => l.stride[0] > 1 || l.stride[1] > 1).length).toBeGreaterThan(5);
    expect(
      convs.filter((l) => l.pads.top + l.pads.left + l.pads.bottom + l.pads.right > 0).length,
    ).toBeGreaterThan(5);
    expect(cases.filter((c) => c.net.layers.length > 1).length).toBeGreaterThan(20);
    let storeAboveFill = 0;
    let intermediateStoreAboveFill = 0;
    for (const c of cases)
      for (const [id, lv] of Object.entries(c.schedule.buffers)) {
        if (levelDepth(c.schedule.order, lv.store) >= levelDepth(c.schedule.order, lv.fill)) continue;
        storeAboveFill++;
        if (c.net.layers.some((l) => l.name === id) && id !== c.schedule.layers.at(-1))
          intermediateStoreAboveFill++;
      }
    expect(storeAboveFill).toBeGreaterThan(40);
    expect(intermediateStoreAboveFill).toBeGreaterThan(5);
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      const v = await verifyCases(cases, width);
      expectExact(v);
      // something was moved: the counts are not trivially zero
      expect(v.tensors.reduce((n, t) => n + t.measuredReads, 0)).toBeGreaterThan(0);
    });
  });
});
