// DAG segments end to end: intermediates read by several layers of the segment (branches, joins,
// broadcast joins after global pooling), one buffer each filled with the hull of its readers' reads;
// the generated C program's outputs equal the reference and every count equals the model's.

import { describe, expect, it } from 'vitest';
import { rng } from '../../src/dse/random.js';
import type { ElementBytes } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { randomDagNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { expectExact, randomCase, verifyCases } from './harness.js';

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
      expect(seg.buffers.some((b) => b.role === 'intermediate' && b.readers.length > 1)).toBe(true);
    }
  });

  all.forEach((cases, p) => {
    const width = ([1, 2, 4] as ElementBytes[])[p % 3]!;
    it(`program ${p} (${width}-byte elements): outputs and every count equal`, async () => {
      expectExact(await verifyCases(cases, width));
    });
  });
});
