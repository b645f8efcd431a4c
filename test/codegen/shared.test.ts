// DRAM inputs read by several layers of a segment (residual chains: the input read by the first layer
// and by the join), end to end: one buffer filled once per fill with the hull of every reader's reads;
// the generated C program's outputs equal the reference and every count equals the model's.

import { describe, expect, it } from 'vitest';
import type { ElementBytes } from '../../src/model/schedule.js';
import { rng } from '../../src/util/random.js';
import { randomSharedInputNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { expectExact, randomCase, verifyCases } from './harness.js';

const seed = Number(process.env['MEMSCHED_CODEGEN_SEED'] ?? 20261204);
const programs = 3;
const perProgram = 8;

describe(`generated C on ${programs * perProgram} random schedules of shared-input chains (seed ${seed})`, () => {
  const r = rng(seed);
  const all: Case[][] = [];
  for (let p = 0; p < programs; p++)
    all.push(
      Array.from({ length: perProgram }, () =>
        randomCase(r, 4, false, (rr, layers) => randomSharedInputNetwork(rr, layers)),
      ),
    );

  it('each reads its input through one buffer, joined by two layers or more', () => {
    for (const c of all.flat()) {
      const ids = Object.keys(c.schedule.buffers).filter((id) => id.startsWith('in@'));
      expect(ids).toEqual(['in@L0']);
      expect(c.net.layers.filter((l) => l.inputs.includes('in')).length).toBeGreaterThan(1);
    }
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      const v = await verifyCases(cases, width);
      expectExact(v);
      expect(v.tensors.filter((t) => /^c\d+_in@c\d+_L0$/.test(t.buffer)).length).toBe(perProgram);
    });
  });
});
