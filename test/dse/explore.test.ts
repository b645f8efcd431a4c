import { describe, expect, it } from 'vitest';
import { explore } from '../../src/dse/explore.js';
import { networkFront } from '../../src/dse/network-front.js';
import { rng } from '../../src/dse/random.js';
import { segmentFront } from '../../src/dse/segment-search.js';
import { candidateSegments } from '../../src/dse/space.js';
import { evaluateSchedule } from '../../src/model/evaluate.js';
import { randomSegmentNetwork } from '../model/random-network.js';

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
        net.layers.length,
        cands.map((c) => ({
          start: c.start,
          end: c.end,
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
});
