// The Halide backend on random single-segment schedules: outputs within 1e-4 of the reference
// inference always, and every count (DRAM reads per buffer, writes, computed elements, MACs) equal to
// the model on the schedules whose features docs/halide.md lists as exact (halideInexact empty).
// Skipped only where Halide 14 is not installed (CI installs libhalide14-0-dev).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { generateHalide, halideInexact, halideInexactText } from '../../src/codegen/halide.js';
import { halideInstalled } from '../../src/codegen/halide-build.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { InputError } from '../../src/ir/errors.js';
import type { Network } from '../../src/ir/network.js';
import { nestInput } from '../../src/lower/input.js';
import { lowerSegment } from '../../src/lower/nest.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { NetworkSchedule } from '../../src/model/schedule.js';
import { levelDepth } from '../../src/model/schedule.js';
import { rng } from '../../src/util/random.js';
import { verifyHalideSchedule } from '../../src/verify/halide.js';
import { closeSession, defaultInputs, openSession } from '../../src/verify/verify.js';
import { conv, net, schedule, segmentOf } from '../model/fixtures.js';
import type { Case } from './harness.js';
import { mergeCases, randomCase } from './harness.js';
import { tinyFiles, tinySchedule } from './tiny.js';

const installed = halideInstalled();
if (!installed)
  console.warn('Halide 14 is not installed (/usr/include/halide14): the Halide backend tests are skipped');

/** Random cases whose counts the backend claims exact, and how many drawn ones it does not. */
function exactCases(seed: number, count: number): { cases: Case[]; inexact: number } {
  const r = rng(seed);
  const cases: Case[] = [];
  let inexact = 0;
  while (cases.length < count) {
    const c = randomCase(r, cases.length % 3 === 0 ? 1 : 3);
    const { net, schedule } = mergeCases([c], 4);
    const n = runnableNetwork(net);
    const checked = checkAndEvaluate(n, schedule);
    const seg = checked.segments[0]!;
    const nest = lowerSegment(nestInput(seg, schedule.segments[0]!, checked.predicted.segments[0]!, 4));
    try {
      generateHalide(n, schedule, checked, { weights: false });
    } catch (e) {
      if (e instanceof InputError) continue;
      throw e;
    }
    if (halideInexact(seg, nest).length > 0) inexact++;
    else cases.push(c);
  }
  return { cases, inexact };
}

async function verifyCases(cases: Case[]) {
  const { net, schedule } = mergeCases(cases, 4);
  const n = runnableNetwork(net);
  const session = await openSession(n, defaultInputs(n));
  try {
    return verifyHalideSchedule(session, schedule, null);
  } finally {
    closeSession(session);
  }
}

describe('the Halide backend, untraced build', () => {
  // Vectorization per Func (docs/halide.md): along x where rows are at least 32 wide, else along a
  // convolution's output channels, stored channels innermost. Halide 14 writes past a Func when a vector
  // loop guarded at its end runs inside a guarded split of the same dimension (MobileNetV2's 7x7 layers,
  // 160 channels in tiles of 18, crashed): channels are vectorized only where neither loop has a tail.
  /** The generator of a network run as one segment with schedule s. */
  const generatorOf = (n: Network, s: NetworkSchedule['segments'][number]) => {
    const sched: NetworkSchedule = {
      format: 'memsched.schedule',
      version: 1,
      network: 'test',
      elementBytes: 4,
      segments: [s],
    };
    return generateHalide(n, sched, checkAndEvaluate(n, sched), { weights: false }).generator;
  };
  const text = (out: number, zo: number, w = 7, x = 7) => {
    const n = runnableNetwork(net({ c: 16, h: 7, w }, [conv('a', 'in', out, 1)]));
    const seg = segmentOf(n);
    return generatorOf(n, schedule(seg, { x, y: 1, zo, zi: 16 }, ['x', 'zi', 'zo', 'y'], { a: ['zo', 'y'] }));
  };
  const untraced = (g: string) => g.slice(g.indexOf('if (!trace) {'), g.indexOf('if (trace) {'));
  it('vectorizes output channels in tiles of 8 of 16, the sums and weights stored channels innermost', () => {
    const g = untraced(text(16, 8));
    expect(g).toMatch(/\.update\(\)\.vectorize\(ci?, 8, TailStrategy::GuardWithIf\)/);
    expect(g).toMatch(/s0_acc\.reorder_storage\(c, x, y\);/);
    expect(g).toMatch(/s0_b1\.reorder_storage\(n, x, y, c\);/);
    expect(g).not.toMatch(/vectorize\(xi?,/);
  });
  it('does not where the tiles or the channels leave a tail (18 of 160, 8 of 20)', () => {
    expect(untraced(text(160, 18))).not.toMatch(/vectorize\(ci?,|reorder_storage/);
    expect(untraced(text(20, 8))).not.toMatch(/vectorize\(ci?,|reorder_storage/);
  });
  it('vectorizes along x where rows are at least 32 wide, not 16 or 31', () => {
    const wide = untraced(text(16, 8, 64, 32));
    expect(wide).toMatch(/s0_acc\.update\(\)\.vectorize\(xi?, 8, TailStrategy::GuardWithIf\)/);
    expect(wide).toMatch(/s0_b0\.vectorize\(x, 8,/);
    expect(wide).not.toMatch(/vectorize\(ci?,|reorder_storage/);
    for (const [w, x] of [
      [64, 16],
      [31, 31],
    ] as const) {
      // the input, computed whole at root, is still vectorized where it is 64 wide
      const g = untraced(text(16, 8, w, x));
      expect(g).not.toMatch(/s0_(acc|b2|out)\.(update\(\)\.)?vectorize\(xi?,/);
      expect(g).toMatch(/vectorize\(ci?, 8,/);
    }
  });
  it('does not vectorize along x a Func that slides along x, nor its reader (Halide 14 would not fold it)', () => {
    const n = runnableNetwork(
      net({ c: 16, h: 7, w: 128 }, [
        conv('a', 'in', 16, 3, { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
        conv('b', 'a', 16, 1),
      ]),
    );
    const seg = segmentOf(n);
    const g = generatorOf(
      n,
      schedule(seg, { x: 32, y: 1, zo: 8, zi: 16 }, ['x', 'y', 'zo', 'zi'], { a: ['root', 'x'] }),
    );
    // a is stored at root and computed at the x loop: it slides along x
    const a =
      /(s0_b\d+)\.compute_at\(LoopLevel\(s0_\w+, xo\)\)\.store_at\(LoopLevel::root\(\)\); \/\/ a$/m.exec(
        g,
      )?.[1];
    expect(a).toBeDefined();
    const u = untraced(g);
    expect(u).not.toMatch(new RegExp(`${a}(_acc)?(\\.update\\(\\))?\\.vectorize`));
    expect(u).not.toMatch(/s0_acc\.update\(\)\.vectorize\(xi?,/);
    expect(u).toMatch(/s0_acc\.update\(\)\.vectorize\(ci?, 8,/);
  });
});

describe.skipIf(!installed)('the Halide backend', () => {
  for (const seed of [1, 2]) {
    it(`counts equal to the model on 16 random schedules of its exact features (seed ${seed})`, async () => {
      const { cases, inexact } = exactCases(seed, 16);
      expect(inexact).toBeGreaterThan(0);
      // fusion and buffers kept along a loop (Halide's sliding window) are among them
      expect(cases.filter((c) => c.net.layers.length > 1).length).toBeGreaterThan(4);
      const sliding = cases.filter((c) =>
        Object.values(c.schedule.buffers).some(
          (lv) => levelDepth(c.schedule.order, lv.store) < levelDepth(c.schedule.order, lv.fill),
        ),
      );
      expect(sliding.length).toBeGreaterThan(4);
      const v = await verifyCases(cases);
      expect(v.error).toBeUndefined();
      expect(v.mismatches).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.output.maxRelError).toBeLessThan(1e-4);
      expect(v.tensors.reduce((s, t) => s + t.measuredReads, 0)).toBeGreaterThan(0);
    }, 90_000);
  }

  it('refuses a reduction loop outside the output store level (partial sums through DRAM), naming the segment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memsched-halide-'));
    const net = runnableNetwork(loadNetwork(tinyFiles(dir).model));
    // tinySchedule's second segment reduces c2's input channels in 2 tiles, outermost, c2 filled at y
    const sched = tinySchedule as unknown as NetworkSchedule;
    expect(() => generateHalide(net, sched, checkAndEvaluate(net, sched))).toThrow(
      new InputError(
        "segments[1]: its reduction loop 'zi' (2 tiles) is outside the output's store level (partial sums through DRAM); Halide finishes a Func's reduction where it computes it (store the output above 'zi', or use a full zi tile)",
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the tiny network: outputs within 1e-4, the chain with two sliding buffers counted apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memsched-halide-'));
    const net = runnableNetwork(loadNetwork(tinyFiles(dir).model));
    const sched = structuredClone(tinySchedule) as unknown as NetworkSchedule;
    // c2's reduction tiles innermost, its input kept along them only where Halide can (stored at zi)
    sched.segments[1]!.order = ['y', 'x', 'zo', 'zi'];
    sched.segments[1]!.buffers = {
      'p1@c2': { store: 'zi', fill: 'zi' },
      'c2:weights': { store: 'root', fill: 'y' },
      c2: { store: 'y', fill: 'y' },
    };
    const checked = checkAndEvaluate(net, sched);
    const p = generateHalide(net, sched, checked);
    expect(p.notes).toEqual([]);
    // data@c1 and c1 both kept along y: Halide slides c1 only and reloads data's two halo rows per tile
    expect(halideInexactText(checked, sched)).toEqual([
      'segment 0 data@c1: kept along a loop, as is its reader c1 (Halide slides the reader only)',
    ]);
    const session = await openSession(net, defaultInputs(net), { dir });
    try {
      const v = verifyHalideSchedule(session, sched, null);
      expect(v.output.maxRelError).toBeLessThan(1e-4);
      // 2 x 12 x 12 input elements, 4 rows of them twice (tiles of 4 c1 rows, 3x3 windows): +96
      expect(v.mismatches).toEqual([
        'segment 0 data@c1 DRAM reads: measured 384, predicted 288 (+96)',
        'segment 0 data@c1 filled: measured 384, predicted 288 (+96)',
      ]);
      const c1 = v.tensors.find((t) => t.buffer === 'c1')!;
      expect([c1.measuredFilled, c1.predictedFilled]).toEqual([576, 576]);
      expect(
        v.tensors.filter((t) => t.segment === 1).every((t) => t.measuredReads === t.predictedReads),
      ).toBe(true);
    } finally {
      closeSession(session);
    }
  }, 60_000);
});
