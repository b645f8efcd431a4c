// The cost model against the simulator on random chains and DAG segments with strips of columns and
// raster line buffers (docs/execution-model.md, "Strips" and "Raster line buffers"), warm-ups along x
// within strips included: equal on every count, extent and raster run.

import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import type { Network } from '../../src/ir/network.js';
import { warmupNeeded } from '../../src/model/cost.js';
import type { ElementBytes, SegmentSchedule } from '../../src/model/schedule.js';
import { stripRanges } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { simulatedAsModelled } from './agree.js';
import { randomDagNetwork, randomSegmentNetwork, randomSharedInputNetwork } from './random-network.js';

const cases = Number(process.env['MEMSCHED_STRIPS_CASES'] ?? 1000);
const seed = Number(process.env['MEMSCHED_PROPERTY_SEED'] ?? 20261205);

interface Tally {
  refused: number;
  strips: number;
  raster: number;
  /** Raster buffers whose run is shorter than their box (what raster saves). */
  shorter: number;
  /** Schedules in strips with a warm-up along x (producers computing each strip's halo ahead). */
  stripWarmups: number;
}

/**
 * Every other case (those without warm-up, whose size depends on the tiles) streams: one row and one or
 * two columns per tile, where raster line buffers save most; a quarter of those in strips take every
 * warm-up they need.
 */
function streaming(seg: Segment, s: SegmentSchedule, i: number): SegmentSchedule {
  // a quarter of those in strips: one column a step, each strip primed with every warm-up it needs
  if (i % 4 === 3 && s.strips !== undefined) {
    const t: SegmentSchedule = { ...s, tile: { ...s.tile, x: 1, y: 1 } };
    delete t.warmup;
    const x = warmupNeeded(seg, t, 'x');
    const y = warmupNeeded(seg, t, 'y');
    if (x > 0 || y > 0) t.warmup = { ...(x > 0 ? { x } : {}), ...(y > 0 ? { y } : {}) };
    return t;
  }
  if (i % 2 === 0 || s.warmup !== undefined) return s;
  return { ...s, tile: { ...s.tile, y: 1, x: Math.min(s.tile.x, 1 + (i % 4 === 1 ? 1 : 0)) } };
}

/** One case, tallied: refused by the schedule check, or the model equal to the simulator (else it throws). */
function agrees(net: Network, seg: Segment, s: SegmentSchedule, width: ElementBytes, what: string, t: Tally) {
  const sim = simulatedAsModelled(net, seg, s, width, what);
  if (sim === undefined) {
    t.refused++;
    return;
  }
  if (stripRanges(s, seg.dims.x).length > 1) {
    t.strips++;
    if (s.warmup?.x !== undefined) t.stripWarmups++;
  }
  for (const r of sim.buffers)
    if (r.raster !== undefined) {
      t.raster++;
      const [c, h, w] = r.extents as [number, number, number];
      if (c * r.raster < c * h * w) t.shorter++;
    }
}

describe(`model == simulator with strips and raster line buffers on random segments (seed ${seed})`, () => {
  it(`agrees on ${cases} random chains`, () => {
    const r = rng(seed);
    const t: Tally = { refused: 0, strips: 0, raster: 0, shorter: 0, stripWarmups: 0 };
    for (let i = 0; i < cases; i++) {
      const net: Network =
        i % 3 === 2 ? randomSharedInputNetwork(r, 5) : randomSegmentNetwork(r, i % 4 === 0 ? 8 : 4, true);
      const seg = analyzeSegment(
        net,
        net.layers.map((l) => l.name),
      );
      const s = streaming(seg, randomSegmentSchedule(seg, r, i % 5 === 0, i % 2 === 0, true), i);
      agrees(net, seg, s, ([1, 2, 4] as ElementBytes[])[i % 3]!, `chain ${i} (seed ${seed})`, t);
    }
    expect(t.strips).toBeGreaterThan(cases / 5);
    expect(t.stripWarmups).toBeGreaterThan(cases / 60);
    expect(t.raster).toBeGreaterThan(cases / 5);
    expect(t.shorter).toBeGreaterThan(cases / 40);
    expect(t.refused).toBeLessThan(cases / 20);
  });

  it(`agrees on ${cases} random DAG segments`, () => {
    const r = rng(seed + 1);
    const t: Tally = { refused: 0, strips: 0, raster: 0, shorter: 0, stripWarmups: 0 };
    for (let i = 0; i < cases; i++) {
      const net = randomDagNetwork(r, i % 4 === 0 ? 10 : 6);
      const seg = analyzeSegment(
        net,
        net.layers.map((l) => l.name),
      );
      const s = streaming(seg, randomSegmentSchedule(seg, r, i % 5 === 0, i % 2 === 0, true), i);
      agrees(net, seg, s, ([1, 2, 4] as ElementBytes[])[i % 3]!, `DAG ${i} (seed ${seed + 1})`, t);
    }
    expect(t.strips).toBeGreaterThan(cases / 5);
    expect(t.stripWarmups).toBeGreaterThan(cases / 60);
    expect(t.raster).toBeGreaterThan(cases / 5);
    expect(t.refused).toBeLessThan(cases / 10);
  });
});
