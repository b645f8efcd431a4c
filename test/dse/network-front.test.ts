import { describe, expect, it } from 'vitest';
import type { SegmentOption } from '../../src/dse/network-front.js';
import { networkFront } from '../../src/dse/network-front.js';
import type { Point } from '../../src/dse/pareto.js';
import { bestWithin, paretoFront } from '../../src/dse/pareto.js';
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

/** Every partition of [0, n) into the options, every point choice: the brute-force front. */
function bruteForce(n: number, options: SegmentOption<string>[]): Point<string>[] {
  const out: Point<string>[] = [];
  const walk = (at: number, bytes: number, accesses: number, macs: number, label: string) => {
    if (at === n) {
      out.push({ bytes, accesses, macs, item: label });
      return;
    }
    for (const o of options.filter((x) => x.start === at))
      for (const p of o.front)
        walk(
          o.end,
          Math.max(bytes, p.bytes),
          accesses + p.accesses,
          macs + p.macs,
          `${label}[${o.start},${o.end})`,
        );
  };
  walk(0, 0, 0, 0, '');
  return paretoFront(out);
}

describe('networkFront', () => {
  it('equals brute force over all partitions and point choices on random instances', () => {
    const r = rng(7);
    for (let t = 0; t < 300; t++) {
      const n = randomInt(r, 1, 6);
      const options: SegmentOption<string>[] = [];
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j <= Math.min(n, i + 3); j++) {
          if (j > i + 1 && r() < 0.3) continue; // not every run is a valid segment
          const pts = Array.from({ length: randomInt(r, 1, 4) }, (_, k) => ({
            bytes: randomInt(r, 1, 50),
            accesses: randomInt(r, 1, 100),
            macs: randomInt(r, 0, 3),
            item: `${i}-${j}-${k}`,
          }));
          options.push({ start: i, end: j, front: paretoFront(pts) });
        }
      const fast = networkFront(n, options).map((p) => [p.bytes, p.accesses, p.macs]);
      const slow = bruteForce(n, options).map((p) => [p.bytes, p.accesses, p.macs]);
      expect(fast).toEqual(slow);
    }
  });
});
