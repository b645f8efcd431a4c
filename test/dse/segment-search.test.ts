import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/dse/pareto.js';
import { paretoFront } from '../../src/dse/pareto.js';
import type { IntermediateLevels } from '../../src/dse/segment-factors.js';
import { costFromTables, segmentTables } from '../../src/dse/segment-factors.js';
import { segmentFront } from '../../src/dse/segment-search.js';
import {
  levelAssignments,
  loopOrders,
  mirrorSymmetric,
  searchOrders,
  tileCombinations,
} from '../../src/dse/space.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { LayerSpec, Network } from '../../src/ir/network.js';
import { segmentCost, warmupNeeded } from '../../src/model/cost.js';
import type { Level, SegmentSchedule, TileSizes, Warmup } from '../../src/model/schedule.js';
import { levelAt, loopNames } from '../../src/model/schedule.js';
import type { Segment, SegmentBuffer } from '../../src/model/segment.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { rng } from '../../src/util/random.js';
import { conv, net } from '../model/fixtures.js';
import {
  randomDagNetwork,
  randomExportingNetwork,
  randomSegmentNetwork,
  randomSharedInputNetwork,
} from '../model/random-network.js';

/**
 * The brute-force front: every tile combination, order and legal level assignment. Given the
 * intermediates' levels, the other buffers' costs do not depend on each other, so every combination of
 * their levels is covered by adding their per-buffer Pareto sets (a Minkowski sum) instead of listing
 * the product.
 */
function bruteForce(
  seg: Segment,
  maxMacs = Number.POSITIVE_INFINITY,
  intermediates: IntermediateLevels = 'each',
): Point<null>[] {
  const shared = intermediates === 'shared';
  const tables = segmentTables(seg, 'full', true, intermediates);
  const layers = seg.layers.map((l) => l.name);
  const n = seg.buffers.length;
  // at or above every reader's compute level (a DRAM input may have several readers)
  const readerFill = (bi: number, levels: { store: number; fill: number }[]) =>
    Math.min(...tables.buffers[bi]!.readers.map((r) => (r < 0 ? 4 : levels[r]!.fill)));
  let points: Point<null>[] = [];
  // shared levels (deep chains) search the tile sizes ceil(D/n), each y size of several tiles with no
  // warm-up and with the warm-up it needs
  const warmups = (tile: TileSizes): (Warmup | undefined)[] => {
    const s = { layers, tile, order: [...loopNames] as SegmentSchedule['order'], buffers: {} };
    const w = shared && tile.y < seg.dims.y ? warmupNeeded(seg, s, 'y') : 0;
    return w > 0 ? [undefined, { y: w }] : [undefined];
  };
  for (const tile of tileCombinations(seg, shared ? 'ceil' : 'full'))
    for (const warmup of warmups(tile))
      for (const order of loopOrders()) {
        const schedule = (levels: { store: number; fill: number }[]): SegmentSchedule => ({
          layers,
          tile,
          order,
          ...(warmup ? { warmup } : {}),
          buffers: Object.fromEntries(
            seg.buffers.map((b, bi) => [
              b.id,
              {
                store: levelAt(order, levels[bi]!.store) as Level,
                fill: levelAt(order, levels[bi]!.fill) as Level,
              },
            ]),
          ),
        });
        // every legal placement of the intermediates, readers first (they are listed producers first)
        const interm = tables.buffers
          .map((b, i) => (b.role === 'intermediate' ? i : -1))
          .filter((i) => i >= 0);
        const levels = seg.buffers.map(() => ({ store: 0, fill: 0 }));
        const visit = (k: number) => {
          if (k < interm.length) {
            const t = interm[interm.length - 1 - k]!;
            if (shared && k > 0) {
              levels[t] = { ...levels[interm.at(-1)!]! };
              visit(k + 1);
              return;
            }
            for (let fill = 0; fill <= readerFill(t, levels); fill++)
              for (let store = 0; store <= fill; store++) {
                levels[t] = { store, fill };
                visit(k + 1);
              }
            return;
          }
          // every other buffer at root: a shared input there always has a closed form (an intermediate
          // several layers read may have none at these levels: not in the space)
          const base = costFromTables(tables, schedule(levels), 1);
          // MACs depend on the intermediates' levels and the tiles only
          if (base === undefined || base.macs > maxMacs) return;
          let sums: Point<null>[] = [
            {
              bytes: base.buffers.reduce(
                (m, b, bi) => m + (tables.buffers[bi]!.role === 'intermediate' ? b.bytes : 0),
                0,
              ),
              // an exported intermediate writes what it computes
              accesses: base.buffers.reduce(
                (m, b, bi) => m + (tables.buffers[bi]!.role === 'intermediate' ? b.accesses : 0),
                0,
              ),
              macs: base.macs,
              item: null,
            },
          ];
          for (let bi = 0; bi < n; bi++) {
            if (tables.buffers[bi]!.role === 'intermediate') continue;
            const own: Point<null>[] = [];
            for (let fill = 0; fill <= readerFill(bi, levels); fill++)
              for (let store = 0; store <= fill; store++) {
                const mine = levels.map((l, bj) => (bj === bi ? { store, fill } : l));
                const c = costFromTables(tables, schedule(mine), 1)?.buffers[bi];
                // levels of a shared input without a closed form are not in the space
                if (c === undefined) continue;
                own.push({ bytes: c.bytes, accesses: c.accesses, macs: 0, item: null });
              }
            const next: Point<null>[] = [];
            for (const a of sums)
              for (const b of paretoFront(own))
                next.push({
                  bytes: a.bytes + b.bytes,
                  accesses: a.accesses + b.accesses,
                  macs: a.macs,
                  item: null,
                });
            sums = paretoFront(next);
          }
          points = paretoFront([...points, ...sums]);
        };
        visit(0);
      }
  return points;
}

/**
 * The seed space listed schedule by schedule: power-of-two or whole tiles, one tile loop innermost and
 * the rest in the order x, y, zo, zi, every buffer but the intermediates stored where it is filled,
 * each convolution's weights stored no deeper than its input data.
 */
function bruteForceSeed(seg: Segment): Point<null>[] {
  const tables = segmentTables(seg, 'seed');
  const layers = seg.layers.map((l) => l.name);
  const orders = (['x', 'y', 'zo', 'zi'] as const).map(
    (l) => [...(['x', 'y', 'zo', 'zi'] as const).filter((m) => m !== l), l] as SegmentSchedule['order'],
  );
  const dataOf = (w: SegmentBuffer) => {
    const l = seg.layers.find((x) => x.name === w.layer)!;
    return seg.buffers.find(
      (b) => b.tensor === l.inputs[0] && (b.role === 'intermediate' || b.role === 'input'),
    )!;
  };
  const points: Point<null>[] = [];
  for (const tile of tileCombinations(seg, 'seed'))
    for (const order of orders)
      for (const buffers of levelAssignments(seg, order)) {
        const depth = (l: Level) => (l === 'root' ? 0 : order.indexOf(l as 'x') + 1);
        const ok = seg.buffers.every((b) => {
          const lv = buffers[b.id]!;
          if (b.role !== 'intermediate' && lv.store !== lv.fill) return false;
          return b.role !== 'weights' || depth(lv.store) <= depth(buffers[dataOf(b).id]!.store);
        });
        if (!ok) continue;
        const c = costFromTables(tables, { layers, tile, order, buffers }, 1);
        if (c === undefined) continue;
        points.push({ bytes: c.bytes, accesses: c.accesses, macs: c.macs, item: null });
      }
  return paretoFront(points);
}

/** `affine`: segments with an affine layer only. */
function smallSegments(
  seed: number,
  layers: number,
  count: number,
  maxSize: number,
  maxBuffers: number,
  affine = false,
) {
  const r = rng(seed);
  const out: Segment[] = [];
  while (out.length < count) {
    const n = randomSegmentNetwork(r, layers, affine);
    const seg = analyzeSegment(
      n,
      n.layers.map((l) => l.name),
    );
    const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
    if (seg.layers.length !== layers || size > maxSize || seg.buffers.length > maxBuffers) continue;
    if (affine && !seg.layers.some((l) => l.kind === 'affine')) continue;
    out.push(seg);
  }
  return out;
}

/** The network made mirror-symmetric: square inputs, every window the same along x and y (undefined if it does not build). */
function squared(n: Network): Network | undefined {
  const specs = n.layers.map(({ shape: _s, ...l }) => {
    if (l.kind !== 'conv' && l.kind !== 'pool') return l as LayerSpec;
    const pads = { ...l.pads, left: l.pads.top, right: l.pads.bottom };
    const sq = (a: readonly [number, number]) => [a[0], a[0]] as const;
    return l.kind === 'conv'
      ? { ...l, kernel: sq(l.kernel), stride: sq(l.stride), dilation: sq(l.dilation), pads }
      : { ...l, kernel: sq(l.kernel), stride: sq(l.stride), pads };
  });
  try {
    return buildNetwork(
      n.name,
      n.inputs.map((t) => ({ ...t, shape: { ...t.shape, w: t.shape.h } })),
      specs,
    );
  } catch {
    return undefined;
  }
}

describe('segment search', () => {
  // MACs too: among schedules of equal bytes and accesses the fewest MACs are kept
  const key = (p: Point<unknown>) => [p.bytes, p.accesses, p.macs];
  const confirm = (seg: Segment, front: ReturnType<typeof segmentFront>) => {
    for (const p of front) {
      checkSegmentSchedule(seg, p.item, 'segment');
      const res = segmentCost(seg, p.item, 1);
      expect([res.onChipBytes, res.dramReads + res.dramWrites, res.macs]).toEqual([
        p.bytes,
        p.accesses,
        p.macs,
      ]);
    }
  };
  it('finds exactly the brute-force front of single layers', () => {
    for (const seg of smallSegments(2026, 1, 4, 24, 3)) {
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
    }
  });
  it('finds exactly the brute-force front of chains of three', () => {
    for (const seg of smallSegments(8, 3, 4, 8, 4)) {
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
    }
  });
  it('with shared intermediate levels and warm-ups, finds exactly the brute-force front of chains of four to six layers', () => {
    let chains = 0;
    let warmed = 0;
    for (const depth of [4, 5, 6])
      for (const seg of smallSegments(40 + depth, depth, 7 - depth, 8, 8)) {
        const options = { space: 'full', elementBytes: 1, intermediates: 'shared' } as const;
        const front = segmentFront(seg, options);
        expect(front.map(key)).toEqual(bruteForce(seg, Number.POSITIVE_INFINITY, 'shared').map(key));
        confirm(seg, front);
        warmed += front.filter((p) => p.item.warmup !== undefined).length;
        for (const p of front) {
          const levels = seg.buffers
            .filter((b) => b.role === 'intermediate')
            .map((b) => p.item.buffers[b.id]);
          expect(new Set(levels.map((l) => `${l!.store}/${l!.fill}`)).size).toBe(1);
        }
        // within a recomputation limit too
        const least = segmentTables(seg, 'full').leastMacs;
        const capped = segmentFront(seg, { ...options, maxRecompute: 1.2 });
        expect(capped.map(key)).toEqual(bruteForce(seg, 1.2 * least, 'shared').map(key));
        chains++;
      }
    expect(chains).toBe(6);
    // points whose line buffers hold the steady state only
    expect(warmed).toBeGreaterThan(0);
  });
  it('with shared and with per-intermediate levels, finds exactly the brute-force front of DAG segments (intermediates several layers read)', () => {
    const r = rng(47);
    let tested = 0;
    let each = 0;
    while (tested < 5) {
      const n = randomDagNetwork(r, 4);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      if (seg.layers.length < 3 || size > 8 || seg.buffers.length > 8) continue;
      const front = segmentFront(seg, { space: 'full', elementBytes: 1, intermediates: 'shared' });
      expect(front.map(key)).toEqual(bruteForce(seg, Number.POSITIVE_INFINITY, 'shared').map(key));
      confirm(seg, front);
      tested++;
    }
    // per-intermediate levels (explore --own-levels) on the smallest: their brute force is slow
    while (each < 1) {
      const n = randomDagNetwork(r, 3);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      if (seg.layers.length !== 3 || size > 4 || seg.buffers.length > 6) continue;
      const front = segmentFront(seg, { space: 'full', elementBytes: 1, intermediates: 'each' });
      expect(front.map(key)).toEqual(bruteForce(seg, Number.POSITIVE_INFINITY, 'each').map(key));
      confirm(seg, front);
      each++;
    }
  });
  it('finds exactly the brute-force front of segments with several outputs (an intermediate written to DRAM as computed)', () => {
    const r = rng(53);
    let tested = 0;
    let each = 0;
    while (tested < 4 || each < 1) {
      const n = randomExportingNetwork(r, 4);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      const small = seg.layers.length === 3 && size <= 4 && seg.buffers.length <= 6;
      if (seg.layers.length < 3 || size > 8 || seg.buffers.length > 8 || (tested >= 4 && !small)) continue;
      const intermediates = tested < 4 ? 'shared' : 'each';
      const front = segmentFront(seg, { space: 'full', elementBytes: 1, intermediates });
      expect(front.map(key)).toEqual(bruteForce(seg, Number.POSITIVE_INFINITY, intermediates).map(key));
      confirm(seg, front);
      // the exported intermediate's writes are in the accesses: never below its elements
      const out = seg.buffers
        .filter((b) => b.exported)
        .reduce(
          (k, b) =>
            k + seg.shapes.get(b.tensor)!.c * seg.shapes.get(b.tensor)!.h * seg.shapes.get(b.tensor)!.w,
          0,
        );
      for (const p of front) expect(p.accesses).toBeGreaterThan(out);
      if (intermediates === 'shared') tested++;
      else each++;
    }
  });

  it('finds exactly the brute-force front of affine layers, alone and fused with another layer', () => {
    for (const seg of [...smallSegments(5, 1, 2, 24, 3, true), ...smallSegments(6, 2, 4, 16, 5, true)]) {
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
    }
  });
  it('finds exactly the brute-force front of fused pairs, with schedules the model confirms', () => {
    for (const seg of smallSegments(31, 2, 10, 16, 4)) {
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
    }
  });
  it('finds exactly the brute-force front of residual chains, whose DRAM input both ends read (one buffer)', () => {
    // pairs, and a chain of three (there the model refuses some schedules: the search must not find them)
    const r = rng(21);
    let tested = 0;
    while (tested < 4) {
      const layers = tested < 3 ? 2 : 3;
      const n = randomSharedInputNetwork(r, layers - 1);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      if (seg.layers.length !== layers || size > (layers === 2 ? 16 : 12) || seg.buffers.length > 2 * layers)
        continue;
      if (seg.last.kind !== 'eltwise' && seg.last.kind !== 'concat') continue;
      const shared = seg.buffers.filter((b) => b.role === 'input');
      expect(shared.map((b) => [b.readers[0], b.readers.at(-1)])).toEqual([
        [seg.layers[0]!.name, seg.last.name],
      ]);
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
      tested++;
    }
  });
  it('finds the brute-force front of the schedules within a recomputation limit', () => {
    // small fused pairs whose unlimited front recomputes, and some whose does not
    const r = rng(31);
    let recomputing = 0;
    let other = 0;
    while (recomputing < 3 || other < 2) {
      const n = randomSegmentNetwork(r, 2);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      if (seg.layers.length !== 2 || size > 12 || seg.buffers.length > 4) continue;
      const least = segmentTables(seg, 'full').leastMacs;
      const free = segmentFront(seg, { space: 'full', elementBytes: 1 });
      const recomputes = free.some((p) => p.macs > least);
      if (recomputes ? recomputing >= 3 : other >= 2) continue;
      if (recomputes) recomputing++;
      else other++;
      for (const factor of [1, 1.5]) {
        const front = segmentFront(seg, { space: 'full', elementBytes: 1, maxRecompute: factor });
        expect(front.map(key)).toEqual(bruteForce(seg, factor * least).map(key));
        confirm(seg, front);
        for (const p of front) expect(p.macs).toBeLessThanOrEqual(factor * least);
      }
      // the fewest MACs of a point tie-break: with recomputation forbidden, those points go or get dearer
      if (recomputes)
        expect(segmentFront(seg, { space: 'full', elementBytes: 1, maxRecompute: 1 }).map(key)).not.toEqual(
          free.map(key),
        );
    }
  });
  it('walks half the orders of mirror-symmetric segments and still finds the brute-force front', () => {
    const r = rng(404);
    let tested = 0;
    while (tested < 5) {
      const n = squared(randomSegmentNetwork(r, 2));
      if (n === undefined) continue;
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const size = Object.values(seg.dims).reduce((a, b) => a * b, 1);
      // every loop with several tile sizes, so that any order lost would show
      if (size > 36 || seg.buffers.length > 4 || seg.dims.x < 2 || seg.dims.zo < 2 || seg.dims.zi < 2)
        continue;
      expect(mirrorSymmetric(seg)).toBe(true);
      expect(searchOrders(seg, 'full')).toHaveLength(12);
      const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForce(seg).map(key));
      confirm(seg, front);
      tested++;
    }
  });
  it('keeps to the seed space: power-of-two or whole tiles, store == fill but for intermediates, its loop orders and weights no deeper than data', () => {
    const r = rng(5);
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      const n = randomSegmentNetwork(r, 2);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      for (const p of segmentFront(seg, { space: 'seed', elementBytes: 1 })) {
        for (const l of ['x', 'y', 'zo', 'zi'] as const) {
          const t = p.item.tile[l];
          expect(t === seg.dims[l] || (t & (t - 1)) === 0).toBe(true);
        }
        for (const b of seg.buffers)
          if (b.role !== 'intermediate') expect(p.item.buffers[b.id]!.store).toBe(p.item.buffers[b.id]!.fill);
        // one tile loop innermost, the other three in the order x, y, zo, zi
        const inner = p.item.order[3];
        expect(p.item.order).toEqual([
          ...(['x', 'y', 'zo', 'zi'] as const).filter((l) => l !== inner),
          inner,
        ]);
        // a convolution's weights stored no deeper than its input data
        const depth = (l: string) => (l === 'root' ? 0 : p.item.order.indexOf(l as 'x') + 1);
        for (const l of seg.layers) {
          if (l.kind !== 'conv') continue;
          const data = seg.buffers.find(
            (b) => b.tensor === l.inputs[0] && (b.role === 'intermediate' || b.role === 'input'),
          )!;
          expect(depth(p.item.buffers[`${l.name}:weights`]!.store)).toBeLessThanOrEqual(
            depth(p.item.buffers[data.id]!.store),
          );
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
  it('finds exactly the brute-force front of the seed space', () => {
    for (const seg of smallSegments(77, 2, 4, 16, 4)) {
      const front = segmentFront(seg, { space: 'seed', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForceSeed(seg).map(key));
      confirm(seg, front);
    }
    for (const seg of smallSegments(78, 1, 3, 24, 3)) {
      const front = segmentFront(seg, { space: 'seed', elementBytes: 1 });
      expect(front.map(key)).toEqual(bruteForceSeed(seg).map(key));
    }
  });
  it('fuses two 3x3 convolutions into a line-buffered pair: the producer filled at its reader’s level', () => {
    const n = net({ c: 2, h: 8, w: 8 }, [conv('a', 'in', 2, 3), conv('b', 'a', 2, 3)]);
    const seg = analyzeSegment(n, ['a', 'b']);
    const front = segmentFront(seg, { space: 'full', elementBytes: 1 });
    confirm(seg, front);
    // the fewest accesses: every input, weight and output element moved once (128 + 2 x 38 + 128)
    expect(front.at(-1)!.accesses).toBe(128 + 2 * (2 * 2 * 9 + 2) + 128);
    // some point keeps the producer's input at the level where the producer computes
    expect(
      front.some(
        (p) =>
          p.item.buffers['in@a']!.fill === p.item.buffers['a']!.fill && p.item.buffers['a']!.fill !== 'root',
      ),
    ).toBe(true);
  });
});
