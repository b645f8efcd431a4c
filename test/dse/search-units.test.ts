// The segment search's units on their own: completion fronts, point sets, the shared-input marks and
// the pruning test, each against a brute force on random small cases.

import { describe, expect, it } from 'vitest';
import type { Completion } from '../../src/dse/completions.js';
import { CompletionBuilder } from '../../src/dse/completions.js';
import { keepFront, Pruner } from '../../src/dse/dominance.js';
import type { BufferInfo } from '../../src/dse/segment-factors.js';
import { CAP, marked, Options, REFUSED } from '../../src/dse/walk-state.js';
import { randomInt, rng } from '../../src/util/random.js';

/** The Pareto set of points (fewest of both), first coordinate ascending. */
function front(points: [number, number][]): [number, number][] {
  const sorted = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const out: [number, number][] = [];
  for (const p of sorted) if (out.length === 0 || p[1] < out[out.length - 1]![1]) out.push(p);
  return out;
}

const completion = (points: [number, number][]): Completion => ({
  e: Float64Array.from(points.map((p) => p[0])),
  a: Float64Array.from(points.map((p) => p[1])),
});

const randomPoints = (r: () => number, n: number): [number, number][] =>
  Array.from({ length: n }, () => [randomInt(r, 1, 20), randomInt(r, 1, 20)]);

describe('CompletionBuilder', () => {
  it('merges scaled Pareto runs into the Pareto set of all their points', () => {
    const r = rng(3);
    for (let k = 0; k < 300; k++) {
      const b = new CompletionBuilder();
      b.reset();
      const all: [number, number][] = [];
      for (let run = randomInt(r, 1, 5); run > 0; run--) {
        const rest = front(randomPoints(r, randomInt(r, 1, 6)));
        const fe = randomInt(r, 1, 4);
        const fa = randomInt(r, 0, 4);
        b.add(fe, fa, completion(rest));
        for (const [e, a] of rest) all.push([fe * e, fa * a]);
      }
      const got = b.result();
      expect([...got.e].map((e, i) => [e, got.a[i]!])).toEqual(front(all));
    }
  });

  it('skips a run that cannot complete (no factor, or no way on)', () => {
    const b = new CompletionBuilder();
    b.reset();
    b.add(Number.NaN, 1, completion([[1, 1]]));
    b.add(1, 1, completion([]));
    expect(b.result().e.length).toBe(0);
  });
});

describe('keepFront', () => {
  it('leaves the Pareto points of the first n in front and returns their number', () => {
    const r = rng(5);
    for (let k = 0; k < 200; k++) {
      const pts = randomPoints(r, randomInt(r, 1, 60));
      const bytes = Float64Array.from([...pts.map((p) => p[0]), 99]);
      const acc = Float64Array.from([...pts.map((p) => p[1]), 0]);
      const m = keepFront(bytes, acc, pts.length);
      expect([...bytes.slice(0, m)].map((b, i) => [b, acc[i]!])).toEqual(front(pts));
    }
  });
});

describe('marked', () => {
  it('refuses a shared input flagged absent at one position and widening at another', () => {
    const absentAt1 = marked(0, 1, true, false);
    expect(marked(absentAt1, 2, false, true)).toBe(REFUSED);
    expect(marked(absentAt1, 1, false, true)).not.toBe(REFUSED);
    // both flags at one position, or the same flag at several, have a closed form
    expect(marked(0, 3, true, true)).not.toBe(REFUSED);
    expect(marked(marked(0, 1, false, true), 2, false, true)).not.toBe(REFUSED);
  });
});

describe('Pruner.cut', () => {
  const info = (role: BufferInfo['role']): BufferInfo => ({
    id: role,
    role,
    exported: false,
    downstream: [],
    readers: [-1],
    dimOf: [-1, -1, -1, -1],
    fixedFilled: 1,
    fixedExtents: 1,
    fixedExtentsOut: 1,
    kernelArea: 1,
    bias: false,
    macsPerElement: 0,
  });

  it('cuts exactly the prefixes whose every completion of every option combination is dominated', () => {
    const r = rng(11);
    let cuts = 0;
    for (let k = 0; k < 600; k++) {
      const roles = Array.from({ length: randomInt(r, 1, 3) }, () =>
        r() < 0.3 ? ('intermediate' as const) : ('input' as const),
      );
      const buffers = roles.map(info);
      const width = randomInt(r, 1, 2);
      const bound = front(randomPoints(r, randomInt(r, 1, 5)).map(([b, a]) => [b * 3, a * 3])).map(
        ([bytes, accesses]) => ({ bytes, accesses }),
      );
      const pruner = new Pruner(buffers, width, bound);
      const opts = new Options(buffers.length);
      // one completion front per buffer and phase; options in phase 0
      const comp: Completion[] = [];
      const choices: [number, number][][] = [];
      buffers.forEach((b, bi) => {
        const f = front(randomPoints(r, randomInt(r, 1, 4)));
        for (let ph = 0; ph < 4; ph++) comp[bi * 4 + ph] = completion(f);
        const n = randomInt(r, 1, 3);
        opts.n[bi] = n;
        const mine: [number, number][] = [];
        for (let j = 0; j < n; j++) {
          const o = bi * CAP + j;
          opts.phase[o] = 0;
          opts.ext[o] = randomInt(r, 1, 5);
          opts.extOut[o] = opts.ext[o]!;
          opts.acc[o] = randomInt(r, 1, 5);
          for (const [e, a] of f)
            mine.push([opts.ext[o]! * e * width, b.role === 'intermediate' ? 0 : opts.acc[o]! * a]);
        }
        choices.push(mine);
      });
      // brute force: every sum of one (option, completion) per buffer
      let sums: [number, number][] = [[0, 0]];
      for (const c of choices)
        sums = sums.flatMap(([b, a]) => c.map(([x, y]): [number, number] => [b + x, a + y]));
      const strict = roles.includes('intermediate');
      const dominatedBy = ([b, a]: [number, number]) =>
        bound.some((p) => p.bytes <= b && p.accesses <= a && (!strict || p.bytes < b || p.accesses < a));
      const all = sums.every(dominatedBy);
      expect(pruner.cut(opts, comp)).toBe(all);
      if (all) cuts++;
    }
    // both answers occur
    expect(cuts).toBeGreaterThan(50);
    expect(cuts).toBeLessThan(550);
  });
});
