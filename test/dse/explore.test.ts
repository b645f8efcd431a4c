import { describe, expect, it } from 'vitest';
import { defaultMaxRecompute, explore } from '../../src/dse/explore.js';
import { chainOf, networkFront } from '../../src/dse/network-front.js';
import { paretoFront } from '../../src/dse/pareto.js';
import type { SegmentFrontOptions } from '../../src/dse/segment-search.js';
import { candidateSegments } from '../../src/dse/space.js';
import { searchSegment } from '../../src/dse/streaming.js';
import { layerProducers } from '../../src/ir/stats.js';
import { baselineSchedule, evaluateSchedule } from '../../src/model/evaluate.js';
import type { Segment } from '../../src/model/segment.js';
import { hasJoins, isChain } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { conv, net } from '../model/fixtures.js';
import { randomDagNetwork, randomSegmentNetwork } from '../model/random-network.js';

/** What explore finds for one segment searched alone: the tiled front with the streaming schedules. */
function segmentFront(segment: Segment, options: SegmentFrontOptions) {
  const streaming = {
    elementBytes: options.elementBytes,
    ...(options.maxRecompute === undefined ? {} : { maxRecompute: options.maxRecompute }),
  };
  return searchSegment(segment, options, streaming).front;
}

describe('explore', () => {
  it('gives the network front of every segment’s full front, though fused searches are bounded by their splits', async () => {
    const r = rng(12);
    let tested = 0;
    let fused = 0;
    while (tested < 5) {
      const net = randomSegmentNetwork(r, 3);
      const cands = candidateSegments(net, 3);
      const size = Math.max(...cands.map((c) => Object.values(c.segment.dims).reduce((a, b) => a * b, 1)));
      if (net.layers.length < 2 || size > 48) continue;
      tested++;
      const got = await explore(net, { space: 'full', elementBytes: 1, maxFuse: 3, threads: 1 });
      const unbounded = networkFront(
        layerProducers(net),
        cands.map((c) => ({
          layers: c.layers,
          front: segmentFront(c.segment, { space: 'full', elementBytes: 1 }),
        })),
      );
      const key = (p: { bytes: number; accesses: number }) => [p.bytes, p.accesses];
      expect(got.front.map(key)).toEqual(unbounded.map(key));
      if (got.front.some((p) => p.segments < net.layers.length)) fused++;
      for (const p of got.front) {
        const e = evaluateSchedule(net, p.schedule);
        expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
      }
    }
    expect(fused).toBeGreaterThanOrEqual(3);
  });

  it('fuses across joins: the network front of every run’s front, runs with joins as deep as told', async () => {
    const r = rng(13);
    let tested = 0;
    let joined = 0;
    while (tested < 4) {
      const net = randomDagNetwork(r, 4);
      const cands = candidateSegments(net, 5);
      const size = Math.max(...cands.map((c) => Object.values(c.segment.dims).reduce((a, b) => a * b, 1)));
      if (net.layers.length < 3 || net.layers.length > 5 || size > 24) continue;
      tested++;
      const options = { space: 'full', elementBytes: 1, maxFuse: 5, threads: 1 } as const;
      const got = await explore(net, { ...options, maxFuseJoins: 4 });
      expect(got.maxFuseJoins).toBe(4);
      const runs = candidateSegments(net, 5, 4);
      const withJoins = (c: (typeof runs)[number]) => hasJoins(c.segment);
      expect(runs.filter(withJoins).every((c) => c.layers.length <= 4)).toBe(true);
      const unbounded = networkFront(
        layerProducers(net),
        runs.map((c) => ({
          layers: c.layers,
          front: segmentFront(c.segment, {
            space: 'full',
            elementBytes: 1,
            intermediates: c.layers.length > 2 ? 'shared' : 'each',
          }),
        })),
      );
      const key = (p: { bytes: number; accesses: number }) => [p.bytes, p.accesses];
      expect(got.front.map(key)).toEqual(unbounded.map(key));
      for (const p of got.front) {
        const e = evaluateSchedule(net, p.schedule);
        expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
        if (
          runs.some(
            (c) =>
              withJoins(c) &&
              p.schedule.segments.some(
                (s) => s.layers[0] === net.layers[c.layers[0]!]!.name && s.layers.length === c.layers.length,
              ),
          )
        )
          joined++;
      }
    }
    expect(joined).toBeGreaterThan(0);
  });

  it('with the default recomputation cap, gives the network front of the capped segment fronts', async () => {
    // chains of 3x3 convolutions: fusing them recomputes overlaps unless a line buffer keeps them
    const nets = [
      net({ c: 2, h: 8, w: 8 }, [conv('a', 'in', 3, 3), conv('b', 'a', 2, 3)]),
      net({ c: 1, h: 6, w: 10 }, [conv('a', 'in', 2, 3), conv('b', 'a', 2, 3), conv('c', 'b', 1, 1)]),
    ];
    for (const n of nets) {
      const options = { space: 'full', elementBytes: 1, maxFuse: 3, threads: 1 } as const;
      const got = await explore(n, { ...options, maxRecompute: defaultMaxRecompute });
      expect(got.maxRecompute).toBe(defaultMaxRecompute);
      const capped = networkFront(
        layerProducers(n),
        candidateSegments(n, 3).map((c) => ({
          layers: c.layers,
          front: segmentFront(c.segment, {
            space: 'full',
            elementBytes: 1,
            maxRecompute: defaultMaxRecompute,
          }),
        })),
      );
      const key = (p: { bytes: number; accesses: number; macs: number }) => [p.bytes, p.accesses, p.macs];
      expect(got.front.map(key)).toEqual(capped.map(key));
      // the most any segment computes over its layers computed once
      const base = evaluateSchedule(n, baselineSchedule(n, 1));
      const least = new Map(base.segments.map((s, k) => [n.layers[k]!.name, s.macs]));
      const worst = (points: typeof got.front) =>
        Math.max(
          ...points.flatMap((p) => {
            const e = evaluateSchedule(n, p.schedule);
            expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
            return p.schedule.segments.map((s, k) => {
              const once = s.layers.reduce((m, l) => m + least.get(l)!, 0);
              return e.segments[k]!.macs / once;
            });
          }),
        );
      expect(got.baseline.macs).toBe(base.macs);
      expect(worst(got.front)).toBeLessThanOrEqual(defaultMaxRecompute);
      expect(got.front.some((p) => p.segments < n.layers.length)).toBe(true);
      // without the cap these fronts recompute more: the cap is what keeps them within 1.1x
      const unlimited = await explore(n, options);
      expect(unlimited.maxRecompute).toBe('none');
      expect(worst(unlimited.front)).toBeGreaterThan(defaultMaxRecompute);
    }
  });

  it('searches chains (every tensor read by one layer) longer than maxTiledFuse over their streaming schedules only', async () => {
    // 3x3 convolutions: streaming (raster line buffers) is what deep fusion of them gains most from
    const n = net({ c: 2, h: 10, w: 12 }, [
      conv('a', 'in', 3, 3),
      conv('b', 'a', 2, 3),
      conv('c', 'b', 3, 3),
      conv('d', 'c', 2, 1),
    ]);
    const options = { space: 'full', elementBytes: 1, maxFuse: 4, threads: 1 } as const;
    const got = await explore(n, { ...options, maxTiledFuse: 2 });
    expect(got.maxTiledFuse).toBe(2);
    const streaming = { elementBytes: 1 } as const;
    const expected = networkFront(
      layerProducers(n),
      candidateSegments(n, 4).map((c) => ({
        layers: c.layers,
        front:
          c.layers.length <= 2
            ? segmentFront(c.segment, { space: 'full', elementBytes: 1 })
            : searchSegment(c.segment, undefined, streaming).front,
      })),
    );
    const key = (p: { bytes: number; accesses: number; macs: number }) => [p.bytes, p.accesses, p.macs];
    expect(got.front.map(key)).toEqual(expected.map(key));
    // the deep segments on the front are streaming schedules: one output column of every channel a step
    const deep = got.front.flatMap((p) => p.schedule.segments.filter((s) => s.layers.length > 2));
    expect(deep.length).toBeGreaterThan(0);
    for (const s of deep) expect([s.order, s.tile.x, s.tile.y]).toEqual([['y', 'x', 'zo', 'zi'], 1, 1]);
    // a segment where a tensor has several readers is not a chain: searched tiled at any depth
    const residual = net({ c: 2, h: 6, w: 7 }, [
      conv('a', 'in', 2, 3),
      conv('b', 'a', 2, 3),
      conv('c', 'b', 2, 3),
      { kind: 'eltwise', name: 'sum', inputs: ['c', 'a'], post: [], op: 'add' },
    ]);
    const tiledFront = (segment: Segment) => {
      const layers = segment.layers.length;
      if (layers > 2 && isChain(segment)) return searchSegment(segment, undefined, streaming).front;
      const each = searchSegment(segment, { space: 'full', elementBytes: 1 }, streaming).front;
      if (layers <= 2) return each;
      const shared = { space: 'full', elementBytes: 1, intermediates: 'shared' } as const;
      return paretoFront([...each, ...searchSegment(segment, shared, undefined).front]);
    };
    const gotResidual = await explore(residual, { ...options, maxTiledFuse: 2 });
    const runs = candidateSegments(residual, 4);
    expect(runs.filter((c) => c.layers.length > 2 && !isChain(c.segment)).length).toBeGreaterThan(1);
    const expectedResidual = networkFront(
      layerProducers(residual),
      runs.map((c) => ({ layers: c.layers, front: tiledFront(c.segment) })),
    );
    expect(gotResidual.front.map(key)).toEqual(expectedResidual.map(key));
    // without streaming schedules every chain is searched tiled, and the front records no limit
    const unstreamed = await explore(n, { ...options, maxTiledFuse: 2, maxStrips: 0 });
    expect(unstreamed.maxTiledFuse).toBeUndefined();
    expect(unstreamed.front.some((p) => p.schedule.segments.some((s) => s.layers.length > 2))).toBe(true);
  });

  it('takes a graph too wide for a front over its down-sets over its layer order, with runs', async () => {
    // 15 parallel 1x1 convolutions concatenated: 2^15 down-sets
    const branches = Array.from({ length: 15 }, (_, i) => conv(`b${i}`, 'in', 1, 1));
    const wide = net({ c: 1, h: 2, w: 2 }, [
      ...branches,
      { kind: 'concat', name: 'cat', inputs: branches.map((b) => b.name), post: [] },
    ]);
    const got = await explore(wide, { space: 'full', elementBytes: 1, maxFuse: 2, threads: 1 });
    expect(got.segmentSets).toBe('runs');
    const expected = networkFront(
      chainOf(wide.layers.length),
      candidateSegments(wide, 2, 2, 'runs').map((c) => ({
        layers: c.layers,
        front: segmentFront(c.segment, { space: 'full', elementBytes: 1 }),
      })),
    );
    const key = (p: { bytes: number; accesses: number }) => [p.bytes, p.accesses];
    expect(got.front.map(key)).toEqual(expected.map(key));
  });
});
