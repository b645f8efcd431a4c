import { describe, expect, it } from 'vitest';
import { choosePoints, parseDeepArgs, verifyDeep } from '../../src/bench/verify-deep.js';
import { explore } from '../../src/dse/explore.js';
import { bestWithin } from '../../src/dse/pareto.js';
import { fusedDepth } from '../../src/report/front.js';
import { bytesText } from '../../src/report/units.js';
import { conv, net } from '../model/fixtures.js';

const same = { top: 1, left: 1, bottom: 1, right: 1 };

// a chain of 3x3 convolutions: deep fusion keeps the intermediates on chip
const chain = () =>
  net({ c: 2, h: 10, w: 12 }, [
    conv('a', 'in', 3, 3, { pads: same }),
    conv('b', 'a', 3, 3, { pads: same }),
    conv('c', 'b', 2, 3, { pads: same }),
    conv('d', 'c', 2, 1),
  ]);

describe('verify-deep', () => {
  it('chooses the budget points as explore does, and samples only points with a deep segment', async () => {
    const n = chain();
    const { front } = await explore(n, { space: 'full', elementBytes: 1, threads: 1 });
    const budget = front[Math.floor(front.length / 2)]!.bytes + 1;
    const plan = { network: 'chain', elementBytes: 1 as const, budgets: [budget], sample: 3, minDepth: 3 };
    const chosen = choosePoints(front, plan, n);
    const forBudget = front.indexOf(bestWithin(front, budget)!);
    expect(chosen.get(forBudget)).toContain(`budget ${bytesText(budget)}`);
    const sampled = [...chosen].filter(([, why]) => why.includes('sample')).map(([i]) => i);
    const deep = front.flatMap((p, i) => ((fusedDepth(p) ?? 0) >= 3 ? [i] : []));
    expect(deep.length).toBeGreaterThan(3);
    expect(sampled).toHaveLength(3);
    // spread over the deep points: the first and the last of them are among the sample
    expect(sampled).toContain(deep[0]);
    expect(sampled).toContain(deep.at(-1));
    for (const i of sampled) expect(fusedDepth(front[i]!)).toBeGreaterThanOrEqual(3);
    expect([...chosen.keys()]).toEqual([...chosen.keys()].sort((a, b) => a - b));
  });

  it('runs the chosen points as C with every count and output as predicted', async () => {
    const plan = { network: 'chain', elementBytes: 4 as const, budgets: [1 << 20], sample: 2, minDepth: 3 };
    const r = await verifyDeep(plan, () => {}, 1, chain());
    expect(r.verified).toBeGreaterThanOrEqual(2);
    expect(r.failed).toBe(0);
    expect(r.maxRelError).not.toBeNull();
    expect(r.maxRelError!).toBeLessThan(1e-4);
    for (const p of r.points) {
      expect(p.mismatches).toEqual([]);
      expect(p.measuredAccesses).toBe(p.predictedAccesses);
      expect(p.measuredMacs).toBe(p.predictedMacs);
    }
    // the whole chain fits in 1 MiB: its point fuses all four layers
    const budgetPoint = r.points.find((p) => p.chosenFor.includes('budget 1 MiB'))!;
    expect(budgetPoint.deepest).toMatchObject({ layers: 4, first: 'a', last: 'd' });
  });

  it('refuses a network outside the plan and a bad thread count', () => {
    expect(() => parseDeepArgs(['resnet152'])).toThrow(/'resnet152' is not in the plan/);
    expect(() => parseDeepArgs(['--threads', '0'])).toThrow(/--threads: expected a positive integer/);
    expect(parseDeepArgs(['--threads', '2', 'vdsr'])).toMatchObject({
      threads: 2,
      plan: [{ network: 'vdsr' }],
    });
  });
});
