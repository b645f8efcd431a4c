import { describe, expect, it } from 'vitest';
import { bestWithin, evaluateSchedule, explore, loadNetwork } from '../../src/index.js';

describe('the library', () => {
  it('loads, explores and evaluates from the package entry point alone', async () => {
    const net = loadNetwork('../shared/networks/caffe/simple/simple.prototxt');
    const r = await explore(net, { space: 'full', elementBytes: 1, threads: 1 });
    const p = bestWithin(r.front, 1024)!;
    expect(p.bytes).toBeLessThanOrEqual(1024);
    const e = evaluateSchedule(net, p.schedule);
    expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
  });
});
