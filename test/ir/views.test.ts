// Slices and concats as views of tensors in DRAM: which ones are, what a view segment costs (nothing, by
// the model and the simulator alike), and the generated C program writing producers into the concat's
// tensor and reading slices in place, with exactly the predicted counts.

import { describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { halideInstalled } from '../../src/codegen/halide-build.js';
import type { LayerSpec, Network } from '../../src/ir/network.js';
import { dramViews, storageOf } from '../../src/ir/views.js';
import { baselineSchedule, checkAndEvaluate } from '../../src/model/evaluate.js';
import type { NetworkSchedule } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { verifyHalideSchedule } from '../../src/verify/halide.js';
import { closeSession, defaultInputs, openSession } from '../../src/verify/verify.js';
import { expectBothBuildsExact } from '../codegen/harness.js';
import { conv, net, schedule } from '../model/fixtures.js';

const concat = (name: string, inputs: string[], relu = false): LayerSpec => ({
  kind: 'concat',
  name,
  inputs,
  post: relu ? [{ op: 'relu' }] : [],
});
const slice = (name: string, input: string, start: number, end: number): LayerSpec => ({
  kind: 'slice',
  name,
  inputs: [input],
  post: [],
  start,
  end,
});
const pad1 = { pads: { top: 1, left: 1, bottom: 1, right: 1 } };

// in 4x6x6; a (2 channels) and b (3) concatenated into cat, a slice s of cat's channels 1..3 read by c,
// and cat2 = concat(c, a): a is already in cat, so cat2 is a copy.
const n: Network = net({ c: 4, h: 6, w: 6 }, [
  conv('a', 'in', 2, 3, pad1),
  conv('b', 'in', 3, 1),
  concat('cat', ['a', 'b']),
  slice('s', 'cat', 1, 4),
  conv('c', 's', 2, 3, pad1),
  concat('cat2', ['c', 'a']),
  conv('out', 'cat2', 2, 1),
]);

describe('views', () => {
  it('are slices and concats whose inputs can live inside them, each tensor in one place', () => {
    const v = dramViews(n);
    expect([...v.views].sort()).toEqual(['cat', 's']);
    expect(Object.fromEntries(v.placed)).toEqual({
      a: { in: 'cat', channel: 0 },
      b: { in: 'cat', channel: 2 },
      s: { in: 'cat', channel: 1 },
    });
    const all = () => true;
    expect(storageOf(v, 's', all)).toEqual({ in: 'cat', channel: 1 });
    // a concat fused into a segment is no storage in DRAM: its inputs stay where they are
    expect(storageOf(v, 'a', (t) => t !== 'cat')).toEqual({ in: 'a', channel: 0 });
  });

  it('are not: a concat with a folded ReLU, one reading a tensor twice or a slice, nested placements', () => {
    const m = net({ c: 2, h: 2, w: 2 }, [
      conv('p', 'in', 2, 1),
      conv('q', 'in', 2, 1),
      concat('relu', ['p', 'q'], true),
      concat('twice', ['p', 'p']),
      slice('half', 'q', 0, 1),
      concat('sliced', ['half', 'p']),
      concat('inner', ['p', 'q']),
      conv('r', 'in', 1, 1),
      concat('outer', ['inner', 'r']),
    ]);
    const v = dramViews(m);
    expect([...v.views].sort()).toEqual(['half', 'inner', 'outer']);
    // p sits in inner, which sits in outer
    expect(storageOf(v, 'q', () => true)).toEqual({ in: 'outer', channel: 2 });
    expect(storageOf(v, 'half', () => true)).toEqual({ in: 'outer', channel: 2 });
  });

  it('cost nothing alone, by the model and the simulator; fused, they are computed', () => {
    const base = baselineSchedule(n, 4);
    const { segments, predicted } = checkAndEvaluate(n, base);
    // by hand, layer by layer (elements): a reads in 144 + weights 72 + bias 2, writes 72; b 144 + 15,
    // 108; c reads s (3 of cat's channels) 108 + 56, writes 72; cat2 copies 144; out 144 + 10, 72
    expect(predicted.dramReads).toBe(218 + 159 + 164 + 144 + 154);
    expect(predicted.dramWrites).toBe(72 + 108 + 72 + 144 + 72);
    segments.forEach((seg, i) => {
      const sim = simulateSegment(n, seg, base.segments[i]!, 4);
      expect(sim).toEqual(predicted.segments[i]);
      if (seg.view) expect([sim.dramReads, sim.dramWrites, sim.onChipBytes, sim.macs]).toEqual([0, 0, 0, 0]);
    });
    expect(segments.filter((s) => s.view).map((s) => s.last.name)).toEqual(['cat', 's']);
    const fused = analyzeSegment(n, ['s', 'c']);
    expect(fused.view).toBe(false);
  });

  it('run as C (both builds) and Halide: producers write into the concat, slices are read in place, every count as predicted', async () => {
    const r = runnableNetwork(n);
    const session = await openSession(r, defaultInputs(r));
    const seg = (names: string[]) => analyzeSegment(n, names);
    // layer by layer; then b fused into cat (a, in DRAM, is read back from inside cat), s into c, and
    // cat2 into out, with row tiles
    const fused: NetworkSchedule = {
      ...baselineSchedule(n, 4),
      segments: [
        schedule(seg(['a']), { y: 2 }, ['y', 'x', 'zo', 'zi'], { 'a:weights': ['root', 'root'] }, ['y', 'y']),
        schedule(seg(['b', 'cat']), { y: 3 }, ['y', 'x', 'zo', 'zi'], {}, ['y', 'y']),
        schedule(seg(['s', 'c']), { y: 2 }, ['y', 'x', 'zo', 'zi'], {}, ['y', 'y']),
        schedule(seg(['cat2', 'out']), { x: 3 }, ['x', 'y', 'zo', 'zi'], {}, ['x', 'x']),
      ],
    };
    try {
      // the release build too: channels innermost in DRAM, views with the owner's channels as pitch
      for (const sched of [baselineSchedule(n, 4), fused]) await expectBothBuildsExact(session, sched);
      // Halide (layer by layer): the views' buffers are crops of the concat's, no pipeline for them
      if (halideInstalled()) {
        const h = verifyHalideSchedule(session, baselineSchedule(n, 4), null);
        expect(h.error).toBeUndefined();
        expect(h.output.maxRelError).toBeLessThanOrEqual(1e-4);
        // segments 2 and 3 are the views (cat, s): nothing counted, as predicted
        expect(h.mismatches.filter((m) => /^segment [23] /.test(m))).toEqual([]);
        expect(
          h.tensors.filter((t) => t.segment === 2 || t.segment === 3).map((t) => t.measuredFilled),
        ).toEqual([0, 0, 0, 0, 0]);
      }
    } finally {
      closeSession(session);
    }
  });
});
