import { describe, expect, it } from 'vitest';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import type { SegmentTables } from '../../src/dse/segment-factors.js';
import {
  costFromTables,
  plainChannels,
  segmentTables,
  sharesTables,
  suffixTables,
} from '../../src/dse/segment-factors.js';
import { candidateSegments, isRun, tileCandidates } from '../../src/dse/space.js';
import type { Network } from '../../src/ir/network.js';
import { NotClosedForm, segmentCost, warmupNeeded } from '../../src/model/cost.js';
import type { ElementBytes } from '../../src/model/schedule.js';
import { loopNames } from '../../src/model/schedule.js';
import type { Segment } from '../../src/model/segment.js';
import { analyzeSegment, hasExports } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { pool } from '../layers.js';
import { conv, net } from '../model/fixtures.js';
import {
  randomDagNetwork,
  randomExportingNetwork,
  randomSegmentNetwork,
  randomSharedInputNetwork,
} from '../model/random-network.js';

/**
 * The tables of segs[1..] from segs[0]'s model runs (suffixTables) equal each one's own, entry for entry;
 * returns the own tables.
 */
function expectTablesTogetherAsOwn(n: Network, segs: Segment[], everySize: boolean): SegmentTables[] {
  const together = suffixTables(segs, 'full', everySize, 'shared');
  return segs.map((seg, m) => {
    const own = segmentTables(seg, 'full', everySize, 'shared');
    expect({ layers: n.layers, m, tables: together[m] }).toEqual({ layers: n.layers, m, tables: own });
    return own;
  });
}

describe('segment factor tables', () => {
  /**
   * Tables against the model on random schedules: equal numbers wherever the tables give some; where
   * the model refuses a schedule (a shared input without a closed form), so do the tables. Counts the
   * fused segments, the schedules the model refuses, and those the tables alone refuse (they are
   * conservative there).
   */
  const agree = (
    seed: number,
    networks: number,
    affine: boolean,
    draw = randomSegmentNetwork,
    shared = false,
    depth = 4,
    warm = false,
  ) => {
    const r = rng(seed);
    let fused = 0;
    let warmed = 0;
    const refused = { model: 0, tablesOnly: 0 };
    for (let i = 0; i < networks; i++) {
      const n = draw(r, depth, affine);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      // a view (a slice or concat alone) costs nothing; the search never builds its tables
      if (seg.view) continue;
      if (seg.layers.length > (shared ? 2 : 1)) fused++;
      const tables = segmentTables(seg, 'full', true, shared ? 'shared' : 'each');
      for (let j = 0; j < 10; j++) {
        const s = randomSegmentSchedule(seg, r, shared, warm);
        // the tables hold each y size of several tiles with no warm-up and with the one it needs
        if (s.warmup) {
          if (s.warmup.y !== undefined && s.tile.y < seg.dims.y) {
            s.warmup = { y: warmupNeeded(seg, s, 'y') };
            warmed++;
          } else delete s.warmup;
        }
        const width = ([1, 2, 4] as ElementBytes[])[j % 3]!;
        const fast = costFromTables(tables, s, width);
        let model: ReturnType<typeof segmentCost>;
        try {
          model = segmentCost(seg, s, width);
        } catch (e) {
          if (!(e instanceof NotClosedForm)) throw e;
          refused.model++;
          expect({ layers: n.layers, s, fast }).toEqual({ layers: n.layers, s, fast: undefined });
          continue;
        }
        if (fast === undefined) {
          refused.tablesOnly++;
          continue;
        }
        const got = {
          bytes: fast.bytes,
          accesses: fast.accesses,
          macs: fast.macs,
          filled: fast.buffers.map((b) => b.filled),
          bufferBytes: fast.buffers.map((b) => b.bytes),
        };
        const want = {
          bytes: model.onChipBytes,
          accesses: model.dramReads + model.dramWrites,
          macs: model.macs,
          filled: model.buffers.map((b) => b.filled),
          bufferBytes: model.buffers.map((b) => b.bytes),
        };
        if (JSON.stringify(got) !== JSON.stringify(want))
          expect({ layers: n.layers, s, got }).toEqual({ layers: n.layers, s, got: want });
      }
    }
    return { fused, refused, warmed };
  };

  it('give the cost model’s bytes, accesses, fills and MACs for random fused and single-layer schedules', () => {
    expect(agree(7, 300, false).fused).toBeGreaterThan(100);
  });

  it('do so with affine layers (their scale and shift a weights buffer) among the layers', () => {
    expect(agree(8, 300, true).fused).toBeGreaterThan(100);
  });

  it('do so on chains whose DRAM input several layers read (one buffer), refusing what the model refuses', () => {
    const { fused, refused } = agree(9, 150, false, (r, layers) => randomSharedInputNetwork(r, layers));
    expect(fused).toBe(150);
    // the model refuses some schedules; the tables refuse those and a few more, never most
    expect(refused.model).toBeGreaterThan(10);
    expect(refused.tablesOnly).toBeLessThan(refused.model);
  });

  it('built for shared intermediate levels (deep chains), give the model’s numbers on chains up to six layers', () => {
    expect(agree(9, 200, false, randomSegmentNetwork, true, 6).fused).toBeGreaterThan(60);
    expect(agree(10, 100, true, randomSegmentNetwork, true, 6).fused).toBeGreaterThan(30);
    // with DRAM inputs several layers read (residual chains)
    const shared = agree(12, 100, false, (r, layers) => randomSharedInputNetwork(r, layers), true, 6);
    expect(shared.fused).toBeGreaterThan(30);
    expect(shared.refused.tablesOnly).toBeLessThanOrEqual(shared.refused.model);
  });

  it('built for shared levels, give the model’s numbers with warm-up loops on chains up to eight layers', () => {
    const chains = agree(13, 200, false, randomSegmentNetwork, true, 8, true);
    expect(chains.fused).toBeGreaterThan(60);
    expect(chains.warmed).toBeGreaterThan(50);
    const shared = agree(14, 100, false, (r, layers) => randomSharedInputNetwork(r, layers), true, 6, true);
    expect(shared.fused).toBeGreaterThan(30);
    expect(shared.warmed).toBeGreaterThan(20);
  });

  it('built for shared levels, give the model’s numbers on DAG segments (intermediates several layers read), warm-ups included', () => {
    const dags = agree(15, 150, false, (r, layers) => randomDagNetwork(r, layers), true, 7, true);
    expect(dags.fused).toBe(150);
    expect(dags.warmed).toBeGreaterThan(20);
    expect(dags.refused.tablesOnly).toBeLessThanOrEqual(dags.refused.model + 15);
  });

  it('built for shared levels, give the model’s numbers on segments with several outputs (an intermediate also written to DRAM as computed)', () => {
    const draw = (r: () => number, layers = 6) => randomExportingNetwork(r, layers);
    const exporting = agree(18, 150, false, draw, true, 7, true);
    expect(exporting.fused).toBe(150);
    expect(exporting.warmed).toBeGreaterThan(20);
    expect(agree(19, 100, false, draw, false, 3).fused).toBe(100);
  });

  it('of a segment’s suffixes, from the model runs of the longest, equal each suffix’s own (chains, shared inputs, DAGs, warm-ups)', () => {
    const r = rng(16);
    const draws = [randomSegmentNetwork, randomSharedInputNetwork, randomDagNetwork];
    let suffixes = 0;
    let warmed = 0;
    for (let i = 0; i < 90; i++) {
      const n = draws[i % 3]!(r, 7, i % 2 === 0);
      const names = n.layers.map((l) => l.name);
      const segs = names.flatMap((_, a) => {
        if (names.length - a < 2) return [];
        try {
          return [analyzeSegment(n, names.slice(a))];
        } catch {
          return []; // an intermediate read before the suffix starts: not a segment
        }
      });
      if (segs.length < 2 || segs[0]!.layers.length !== names.length) continue;
      const own = expectTablesTogetherAsOwn(n, segs, i % 2 === 1);
      suffixes += segs.length - 1;
      warmed += own.filter((t) => t.candidates.some((cs) => cs.some((c) => c.warmup > 0))).length;
    }
    expect(suffixes).toBeGreaterThan(150);
    expect(warmed).toBeGreaterThan(50);
  });

  it('of parts of a DAG segment that are not its suffixes, from the model runs of the whole, equal each part’s own', () => {
    const r = rng(17);
    let parts = 0;
    let notShared = 0;
    for (let i = 0; i < 120 && parts < 60; i++) {
      const n = randomDagNetwork(r, 7);
      const last = n.layers.length - 1;
      const sets = candidateSegments(n, n.layers.length).filter((c) => c.layers.at(-1) === last);
      const whole = sets.find((c) => c.layers.length === n.layers.length);
      if (whole === undefined) continue;
      // the parts that are not suffixes in the network's order (those the test above covers)
      const others = sets.filter((c) => c !== whole && c.layers.length >= 2 && !isRun(c.layers));
      const shared = others.filter((c) => sharesTables(whole.segment, c.segment));
      notShared += others.length - shared.length;
      if (shared.length === 0) continue;
      expectTablesTogetherAsOwn(n, [whole.segment, ...shared.map((c) => c.segment)], i % 2 === 1);
      parts += shared.length;
    }
    expect(parts).toBeGreaterThanOrEqual(60);
    expect(notShared).toBeGreaterThan(0);
  });

  it('of parts with several outputs, from the model runs of a larger segment, equal each part’s own', () => {
    // (a part never exports what the larger one's other layers read: their paths to the last layer
    // would leave the part and come back)
    const r = rng(23);
    let parts = 0;
    let exporting = 0;
    for (let i = 0; i < 200 && exporting < 40; i++) {
      const n = randomExportingNetwork(r, 7);
      const all = n.layers.length;
      const sets = candidateSegments(n, all, all, 'dag', all).filter((c) => c.layers.at(-1) === all - 1);
      const whole = sets.find((c) => c.layers.length === all)!;
      const shared = sets.filter(
        (c) => c !== whole && c.layers.length >= 2 && sharesTables(whole.segment, c.segment),
      );
      if (shared.length === 0) continue;
      expectTablesTogetherAsOwn(n, [whole.segment, ...shared.map((c) => c.segment)], i % 2 === 1);
      parts += shared.length;
      exporting += shared.filter((c) => hasExports(c.segment)).length;
    }
    expect(parts).toBeGreaterThanOrEqual(40);
    expect(exporting).toBeGreaterThanOrEqual(40);
  });

  it('along plain channel loops, give every size the numbers of ceil(D/n) for its count, with no smaller extents', () => {
    const r = rng(11);
    // wider channels than the random networks have, where many sizes share a count
    const wide = [
      net({ c: 7, h: 5, w: 6 }, [conv('a', 'in', 11, 3), conv('b', 'a', 13, 1)]),
      net({ c: 9, h: 6, w: 5 }, [conv('a', 'in', 9, 3, { groups: 9 }), conv('b', 'a', 10, 3)]),
      net({ c: 12, h: 8, w: 7 }, [
        conv('a', 'in', 12, 1),
        pool('p', 'a'),
        conv('b', 'p', 12, 3, { groups: 12 }),
      ]),
      net({ c: 14, h: 4, w: 4 }, [conv('a', 'in', 15, 3, { stride: [2, 2], hasBias: false })]),
    ];
    let checked = 0;
    for (let i = 0; i < 1000 + wide.length; i++) {
      const n = i < wide.length ? wide[i]! : randomSegmentNetwork(r, 4);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      if (!plainChannels(seg)) continue;
      const every = segmentTables(seg, 'full', true);
      const searched = segmentTables(seg, 'full');
      for (const l of ['zo', 'zi'] as const) {
        const li = loopNames.indexOf(l);
        const d = seg.dims[l];
        expect(searched.candidates[li]!.map((c) => c.t)).toEqual(tileCandidates(d, 'ceil'));
        for (const c of every.candidates[li]!) {
          const least = every.candidates[li]!.find((x) => x.t === Math.ceil(d / c.trips))!;
          if (least === c) continue;
          checked++;
          // index loops: the entry arrays have holes (undefined slots), which forEach would skip
          for (let bi = 0; bi < c.entries.length; bi++)
            for (let slot = 0; slot < c.entries[bi]!.length; slot++) {
              const e = c.entries[bi]![slot];
              const o = least.entries[bi]![slot];
              const where = { layers: n.layers, l, t: c.t, buffer: every.buffers[bi]!.id, slot };
              expect({ ...where, e: e && { ...e, maxSpan: 0, hullSpan: 0 } }).toEqual({
                ...where,
                e: o && { ...o, maxSpan: 0, hullSpan: 0 },
              });
              if (e && o) {
                expect(e.maxSpan).toBeGreaterThanOrEqual(o.maxSpan);
                expect(e.hullSpan).toBeGreaterThanOrEqual(o.hullSpan);
              }
            }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
