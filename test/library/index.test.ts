import { describe, expect, it } from 'vitest';
import {
  bestWithin,
  closeSession,
  defaultInputs,
  evaluateSchedule,
  explore,
  loadNetwork,
  openSession,
  runnableNetwork,
  verifySchedule,
} from '../../src/index.js';

describe('the library', () => {
  it('loads, explores and evaluates from the package entry point alone', async () => {
    const net = loadNetwork('../shared/networks/caffe/simple/simple.prototxt');
    const r = await explore(net, { space: 'full', elementBytes: 1, threads: 1 });
    const p = bestWithin(r.front, 1024)!;
    expect(p.bytes).toBeLessThanOrEqual(1024);
    const e = evaluateSchedule(net, p.schedule);
    expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
  });

  it('generates, builds and runs a chosen point as C, measuring what the model predicted', async () => {
    const net = runnableNetwork(loadNetwork('../shared/networks/caffe/simple/simple.prototxt'));
    const r = await explore(net, { space: 'full', elementBytes: 1, threads: 1 });
    const p = bestWithin(r.front, 512)!;
    const session = await openSession(net, defaultInputs(net));
    try {
      const v = await verifySchedule(session, p.schedule, null);
      expect(v.error).toBeUndefined();
      expect(v.mismatches).toEqual([]);
      expect(v.ok).toBe(true);
      expect([v.scratchpadBytes.measured, v.macs.measured]).toEqual([p.bytes, p.macs]);
      const accesses = v.tensors.reduce((n, t) => n + t.measuredReads + t.measuredWrites, 0);
      expect(accesses).toBe(p.accesses);
    } finally {
      closeSession(session);
    }
  });
});
