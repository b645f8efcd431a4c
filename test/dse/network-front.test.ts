import { describe, expect, it } from 'vitest';
import type { SegmentOption } from '../../src/dse/network-front.js';
import { chainOf, maxDownSets, networkFront, wideGraph } from '../../src/dse/network-front.js';
import type { Point } from '../../src/dse/pareto.js';
import { bestWithin, paretoFront } from '../../src/dse/pareto.js';
import { isRun } from '../../src/dse/space.js';
import { randomInt, rng } from '../../src/util/random.js';

describe('paretoFront', () => {
  it('keeps the undominated points sorted by bytes, fewest MACs among equals', () => {
    const pts = [
      { bytes: 10, accesses: 100, macs: 5, item: 'a' },
      { bytes: 20, accesses: 100, macs: 1, item: 'b' }, // dominated by a
      { bytes: 20, accesses: 50, macs: 9, item: 'c' },
      { bytes: 20, accesses: 50, macs: 3, item: 'd' }, // same point, fewer MACs
      { bytes: 5, accesses: 200, macs: 0, item: 'e' },
      { bytes: 40, accesses: 60, macs: 0, item: 'f' }, // dominated by d
    ];
    expect(paretoFront(pts).map((p) => p.item)).toEqual(['e', 'a', 'd']);
    expect(bestWithin(paretoFront(pts), 19)?.item).toBe('a');
    expect(bestWithin(paretoFront(pts), 4)).toBeUndefined();
  });
});

/**
 * Every sequence of the options that runs each layer once after its producers, every point choice: the
 * brute-force front.
 */
function bruteForce(producers: number[][], options: SegmentOption<string>[]): Point<string>[] {
  const out: Point<string>[] = [];
  const n = producers.length;
  const walk = (done: Set<number>, bytes: number, accesses: number, macs: number, label: string) => {
    if (done.size === n) {
      out.push({ bytes, accesses, macs, item: label });
      return;
    }
    for (const o of options) {
      const mine = new Set(o.layers);
      if (o.layers.some((l) => done.has(l))) continue;
      if (o.layers.some((l) => producers[l]!.some((p) => !done.has(p) && !mine.has(p)))) continue;
      for (const p of o.front)
        walk(
          new Set([...done, ...o.layers]),
          Math.max(bytes, p.bytes),
          accesses + p.accesses,
          macs + p.macs,
          `${label}[${o.layers}]`,
        );
    }
  };
  walk(new Set(), 0, 0, 0, '');
  return paretoFront(out);
}

describe('networkFront', () => {
  const randomFront = (r: () => number, name: string) =>
    paretoFront(
      Array.from({ length: randomInt(r, 1, 4) }, (_, k) => ({
        bytes: randomInt(r, 1, 50),
        accesses: randomInt(r, 1, 100),
        macs: randomInt(r, 0, 3),
        item: `${name}-${k}`,
      })),
    );

  it('equals brute force over all partitions of a chain and point choices on random instances', () => {
    const r = rng(7);
    for (let t = 0; t < 300; t++) {
      const n = randomInt(r, 1, 6);
      const producers = Array.from({ length: n }, (_, i) => (i === 0 ? [] : [i - 1]));
      const options: SegmentOption<string>[] = [];
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j <= Math.min(n, i + 3); j++) {
          if (j > i + 1 && r() < 0.3) continue; // not every run is a valid segment
          const layers = Array.from({ length: j - i }, (_, k) => i + k);
          options.push({ layers, front: randomFront(r, `${i}-${j}`) });
        }
      const fast = networkFront(producers, options).map((p) => [p.bytes, p.accesses, p.macs]);
      const slow = bruteForce(producers, options).map((p) => [p.bytes, p.accesses, p.macs]);
      expect(fast).toEqual(slow);
    }
  });

  it('equals brute force over every order of random segments of random DAGs', () => {
    const r = rng(8);
    let branched = 0;
    for (let t = 0; t < 300; t++) {
      const n = randomInt(r, 1, 6);
      // each layer reads one or two earlier layers (or only the input)
      const producers = Array.from({ length: n }, (_, i) =>
        i === 0 ? [] : [...new Set(Array.from({ length: randomInt(r, 0, 2) }, () => randomInt(r, 0, i - 1)))],
      );
      const options: SegmentOption<string>[] = [];
      for (let l = 0; l < n; l++) options.push({ layers: [l], front: randomFront(r, `${l}`) });
      for (let k = 0; k < 6; k++) {
        const layers = [...new Set(Array.from({ length: randomInt(r, 2, 3) }, () => randomInt(r, 0, n - 1)))];
        if (layers.length > 1)
          options.push({ layers: layers.sort((a, b) => a - b), front: randomFront(r, `s${k}`) });
      }
      const fast = networkFront(producers, options);
      const slow = bruteForce(producers, options).map((p) => [p.bytes, p.accesses, p.macs]);
      expect(fast.map((p) => [p.bytes, p.accesses, p.macs])).toEqual(slow);
      // each point's parts run every layer once, after its producers
      for (const p of fast) {
        const done = new Set<number>();
        for (const part of p.item.parts) {
          for (const l of part.layers) {
            expect(done.has(l)).toBe(false);
            for (const q of producers[l]!) expect(done.has(q) || part.layers.includes(q)).toBe(true);
          }
          for (const l of part.layers) done.add(l);
        }
        expect(done.size).toBe(n);
        if (p.item.parts.some((part) => !isRun(part.layers))) branched++;
      }
    }
    expect(branched).toBeGreaterThan(10);
  });
});

describe('wideGraph', () => {
  it('says when the layer graph has more down-sets than the front is taken over', () => {
    // k parallel layers and one joining them: 2^k + 1 down-sets
    const parallel = (k: number) => [
      ...Array.from({ length: k }, () => []),
      Array.from({ length: k }, (_, i) => i),
    ];
    expect(maxDownSets).toBe(20_000);
    expect(wideGraph(parallel(14))).toBe(false);
    expect(wideGraph(parallel(15))).toBe(true);
    expect(wideGraph(chainOf(300))).toBe(false);
    // over a chain's down-sets (prefixes) the front of a wide graph is still exact for runs of its order
    const options = [0, 1, 2].map((l) => ({
      layers: [l],
      front: [{ bytes: 1, accesses: l, macs: 0, item: `${l}` }],
    }));
    expect(networkFront(chainOf(3), options).map((p) => p.accesses)).toEqual([3]);
  });
});
