import { describe, expect, it } from 'vitest';
import { paretoFront } from '../../src/dse/pareto.js';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import type { SpaceName } from '../../src/dse/space.js';
import {
  candidateSegments,
  isRun,
  levelAssignments,
  loopOrders,
  tileCandidates,
  tileCombinations,
} from '../../src/dse/space.js';
import { segmentCost } from '../../src/model/cost.js';
import { analyzeSegment, hasExports, hasJoins } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { randomInt, rng } from '../../src/util/random.js';
import { conv, net } from '../model/fixtures.js';
import { randomDagNetwork, randomSegmentNetwork } from '../model/random-network.js';

describe('tile candidates', () => {
  it('are every size, the distinct values of ceil(d/n), or powers of two and d', () => {
    expect(tileCandidates(10, 'ceil')).toEqual([1, 2, 3, 4, 5, 10]);
    expect(tileCandidates(10, 'seed')).toEqual([1, 2, 4, 8, 10]);
    expect(tileCandidates(10, 'full')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(tileCandidates(224, 'ceil').length).toBe(29);
    expect(tileCandidates(1, 'ceil')).toEqual([1]);
  });
});

describe('the space', () => {
  it('has 24 orders and only legal level assignments', () => {
    expect(loopOrders()).toHaveLength(24);
    const n = net({ c: 2, h: 5, w: 5 }, [conv('a', 'in', 2, 3), conv('b', 'a', 2, 3)]);
    const seg = analyzeSegment(n, ['a', 'b']);
    let count = 0;
    for (const order of loopOrders().slice(0, 1))
      for (const buffers of levelAssignments(seg, order)) {
        checkSegmentSchedule(seg, { layers: ['a', 'b'], tile: { ...seg.dims }, order, buffers }, 'segment');
        count++;
      }
    expect(count).toBeGreaterThan(500);
  });

  it('lists the runs of consecutive layers that form segments', () => {
    const n = net({ c: 1, h: 6, w: 6 }, [
      conv('a', 'in', 2, 3),
      conv('b', 'a', 2, 3),
      { kind: 'eltwise', name: 'add', inputs: ['a', 'b'], post: [], op: 'add' },
    ]);
    // a feeds b and add: [a,b] is not a segment (a leaves it), [a,b,add] is (a read by two of its layers)
    const runs = candidateSegments(n, 3).map((s) => s.layers.join(','));
    expect(runs).toEqual(['0', '0,1,2', '1', '1,2', '2']);
  });

  it('lists every set of layers that forms a segment, runs of the layer order or not, within the bounds', () => {
    // a and b both read the input; c reads a; add joins c and b: the network's order is a, c, b, add
    const branches = net({ c: 1, h: 6, w: 6 }, [
      conv('a', 'in', 2, 3),
      conv('b', 'in', 2, 1),
      conv('c', 'a', 2, 3),
      { kind: 'eltwise', name: 'add', inputs: ['c', 'b'], post: [], op: 'add' },
    ]);
    const sets = candidateSegments(branches, 4).map((s) => s.layers.join(','));
    expect(branches.layers.map((l) => l.name)).toEqual(['a', 'c', 'b', 'add']);
    // {a, c, add} and {c, add} are not runs of that order (b runs apart, before or after)
    expect(sets).toEqual(['0', '0,1', '0,1,2,3', '0,1,3', '1', '1,2,3', '1,3', '2', '2,3', '3']);
    // brute force over every subset of random DAGs: a segment exactly when analyzeSegment takes it
    // (with several outputs: up to maxFuseOutputs layers)
    const r = rng(5);
    let exporting = 0;
    for (let t = 0; t < 40; t++) {
      const dag = randomDagNetwork(r, 4);
      const n = dag.layers.length;
      if (n > 8) continue;
      const [maxFuse, maxFuseJoins, maxFuseOutputs] = [
        randomInt(r, 1, n),
        randomInt(r, 1, n),
        randomInt(r, 0, n),
      ];
      const expected: string[] = [];
      for (let m = 1; m < 1 << n; m++) {
        const layers = dag.layers.flatMap((_, i) => ((m >> i) & 1 ? [i] : []));
        if (layers.length > maxFuse) continue;
        try {
          const seg = analyzeSegment(
            dag,
            layers.map((i) => dag.layers[i]!.name),
          );
          if (layers.length > maxFuseJoins && hasJoins(seg)) continue;
          if (hasExports(seg) && layers.length > maxFuseOutputs) continue;
          if (hasExports(seg)) exporting++;
        } catch {
          continue;
        }
        expected.push(layers.join(','));
      }
      const got = candidateSegments(dag, maxFuse, maxFuseJoins, 'dag', maxFuseOutputs).map((s) =>
        s.layers.join(','),
      );
      expect([...got].sort()).toEqual(expected.sort());
      expect(new Set(got).size).toBe(got.length);
      // runs only: the runs among them
      const runs = candidateSegments(dag, maxFuse, maxFuseJoins, 'runs', maxFuseOutputs).map((s) =>
        s.layers.join(','),
      );
      expect(runs.sort()).toEqual(expected.filter((e) => isRun(e.split(',').map(Number))).sort());
    }
    expect(exporting).toBeGreaterThan(10);
  });

  it('finds front points between the ceil(d/n) sizes, and never loses one by trying every size', () => {
    const r = rng(11);
    let strictlyBetter = 0;
    for (let i = 0; i < 400; i++) {
      const n = randomSegmentNetwork(r, 2);
      const seg = analyzeSegment(
        n,
        n.layers.map((l) => l.name),
      );
      const base = randomSegmentSchedule(seg, r);
      const front = (space: SpaceName) =>
        paretoFront(
          tileCombinations(seg, space).map((tile) => {
            const res = segmentCost(seg, { ...base, tile }, 1);
            return {
              bytes: res.onChipBytes,
              accesses: res.dramReads + res.dramWrites,
              macs: res.macs,
              item: tile,
            };
          }),
        );
      const every = front('full');
      const ceil = front('ceil');
      // every point of the reduced front is matched or dominated by the full front
      for (const p of ceil)
        expect(every.some((q) => q.bytes <= p.bytes && q.accesses <= p.accesses)).toBe(true);
      if (every.length > ceil.length) strictlyBetter++;
    }
    expect(strictlyBetter).toBeGreaterThan(0);
  });
});
