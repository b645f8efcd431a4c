// Streaming schedules (src/dse/streaming.ts): VDSR's issue #21 schedule counted by hand, and the family's
// rules on a small chain.

import { describe, expect, it } from 'vitest';
import { streamingFront, streamingSchedule } from '../../src/dse/streaming.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { layerStats } from '../../src/ir/stats.js';
import { segmentCost } from '../../src/model/cost.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';

const vdsr = loadNetwork('zoo:vdsr');
const all = vdsr.layers.map((l) => l.name);

describe('streaming schedules', () => {
  it("reach VDSR's explicit 4 MiB schedule: 2 strips, 807,233 accesses in 1,043,075 elements", () => {
    const seg = analyzeSegment(vdsr, all, 'segment');
    const found = streamingSchedule(seg, 128, 4)!;
    const s = found.schedule;
    expect(s.strips).toEqual({ x: 128 });
    // 19 rows of warm-up prime the 20 layers below the sum; 38 columns a strip's halo (19 each side)
    expect(s.warmup).toEqual({ y: 19, x: 38 });
    // the input, read by conv1 and by the sum, has no closed form filled per column or per row (the
    // sum joins 19 rows behind conv1): held for the whole strip
    expect(s.buffers['data@conv1']).toEqual({ store: 'root', fill: 'root' });
    expect(s.buffers['conv7']).toEqual({ store: 'root', fill: 'x', raster: true });
    checkSegmentSchedule(seg, s, 'segment');
    const r = found.result;
    const weights = 665_921;
    // every weight once; each strip reads its 128 columns and a 20-column halo on its inner side
    expect(r.dramReads).toBe(weights + 2 * 148 * 256);
    expect(r.dramWrites).toBe(256 * 256);
    expect(r.dramReads + r.dramWrites).toBe(807_233);
    // conv t's output slides through 2 rows plus 3 elements of its band (148 - t columns) per channel;
    // the input is held for the strip; conv20 and the sum keep one element
    let lines = 0;
    for (let t = 1; t <= 19; t++) lines += 64 * (2 * (148 - t) + 3);
    expect(lines).toBe(339_264);
    expect(r.onChipBytes / 4).toBe(weights + lines + 256 * 148 + 1 + 1);
    expect(r.onChipBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    // the halos are recomputed: 1.07x the least MACs
    const least = seg.layers.reduce((n, l) => n + layerStats(l, seg.shapes).macs, 0);
    expect(r.macs / least).toBeCloseTo(1.074, 3);
  });

  it('the same counts without the x warm-up, but a cone of columns at each row start', () => {
    const seg = analyzeSegment(vdsr, all, 'segment');
    const s = structuredClone(streamingSchedule(seg, 128, 4)!.schedule);
    s.warmup = { y: 19 };
    const r = segmentCost(seg, s, 4);
    expect(r.dramReads + r.dramWrites).toBe(807_233);
    // conv t's first step of a row computes 2(20 - t) + 1 columns at once
    const conv1 = r.buffers.find((b) => b.id === 'conv1')!;
    expect(conv1.raster).toBe(2 * 147 + 39);
  });

  it('keeps one point per strip count on the front, within the recomputation limit', () => {
    const seg = analyzeSegment(vdsr, all.slice(0, 7), 'segment');
    const free = streamingFront(seg, { elementBytes: 4 });
    const limited = streamingFront(seg, { elementBytes: 4, maxRecompute: 1.05 });
    const least = seg.layers.reduce((n, l) => n + layerStats(l, seg.shapes).macs, 0);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((p) => p.macs <= 1.05 * least)).toBe(true);
    expect(free.length).toBeGreaterThan(limited.length);
    // more strips: less on chip, more recomputed halo reads
    for (let i = 1; i < free.length; i++) {
      expect(free[i]!.bytes).toBeGreaterThan(free[i - 1]!.bytes);
      expect(free[i]!.accesses).toBeLessThan(free[i - 1]!.accesses);
    }
    // a single layer, or an output one row high, does not stream
    expect(streamingFront(analyzeSegment(vdsr, ['conv1'], 'segment'), { elementBytes: 4 })).toEqual([]);
  });
});
