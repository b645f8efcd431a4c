// Random fused schedules, wide convolution chains, warm-up loops, strips and raster line buffers built
// with AddressSanitizer and UBSan: no access outside any array (the scratchpad included), no undefined
// behaviour, and still every count equal to the model.

import { describe, expect, it } from 'vitest';
import { rng } from '../../src/util/random.js';
import { randomSegmentNetwork } from '../model/random-network.js';
import type { Case } from './harness.js';
import { randomCase, verifyCases, wideCase } from './harness.js';

describe('generated C under AddressSanitizer and UBSan', () => {
  it('runs 8 random fused schedules cleanly and exactly', async () => {
    const r = rng(7_2026);
    const cases = Array.from({ length: 8 }, () => randomCase(r, 4));
    expect(cases.filter((c) => c.net.layers.length > 1).length).toBeGreaterThanOrEqual(5);
    const v = await verifyCases(cases, 2, true);
    expect(v.ok).toBe(true);
    expect(v.mismatches).toEqual([]);
  });

  it('runs 6 random wide convolution chains (the vector kernels) cleanly and exactly', async () => {
    const r = rng(9_2026);
    const v = await verifyCases(
      Array.from({ length: 6 }, () => wideCase(r)),
      1,
      true,
    );
    expect(v.ok).toBe(true);
    expect(v.mismatches).toEqual([]);
  });

  it('runs 8 random schedules with warm-up loops (virtual coordinates below 0) cleanly and exactly', async () => {
    const r = rng(11_2026);
    const cases: Case[] = [];
    while (cases.length < 8) {
      const c = randomCase(r, 6, false, randomSegmentNetwork, { warmup: true });
      if (c.schedule.warmup !== undefined) cases.push(c);
    }
    const v = await verifyCases(cases, 4, true);
    expect(v.ok).toBe(true);
    expect(v.mismatches).toEqual([]);
  });

  it('runs 8 random schedules in strips or with raster line buffers (runs wrapping) cleanly and exactly', async () => {
    const r = rng(13_2026);
    const cases: Case[] = [];
    while (cases.length < 8) {
      const c = randomCase(r, 5, false, randomSegmentNetwork, { warmup: true, stripsAndRaster: true });
      if (c.schedule.strips !== undefined || Object.values(c.schedule.buffers).some((b) => b.raster))
        cases.push(c);
    }
    const v = await verifyCases(cases, 2, true);
    expect(v.ok).toBe(true);
    expect(v.mismatches).toEqual([]);
  });
});
