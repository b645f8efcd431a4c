import { it } from 'vitest';
import { randomSegmentSchedule, rng } from '../../src/dse/random.js';
import { costFromTables, segmentTables } from '../../src/dse/segment-factors.js';
import type { LayerSpec } from '../../src/ir/network.js';
import { NotClosedForm, SegmentModel, segmentCost } from '../../src/model/cost.js';
import { analyzeSegment } from '../../src/model/segment.js';
import * as V from '../../src/model/validate.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { conv, net } from './fixtures.js';

const blocks: Record<string, LayerSpec[]> = {
  chain: [
    conv('a', 'in', 2, 3),
    conv('b', 'a', 3, 3),
    { kind: 'eltwise', name: 'add', inputs: ['in', 'b'], post: [], op: 'add' },
  ],
  chain1x1: [
    conv('a', 'in', 2, 1),
    conv('b', 'a', 3, 3),
    { kind: 'eltwise', name: 'add', inputs: ['b', 'in'], post: [], op: 'add' },
  ],
  tree: [
    conv('a', 'in', 2, 3),
    conv('b', 'a', 3, 3),
    conv('p', 'in', 3, 1),
    { kind: 'eltwise', name: 'add', inputs: ['b', 'p'], post: [], op: 'add' },
  ],
};
function simSkip(n: any, seg: any, s: any) {
  const orig = V.checkSegmentSchedule;
  return simulateSegment(n, seg, s, 1);
}
it('scratch2', () => {
  for (const [name, layers] of Object.entries(blocks)) {
    const n = net({ c: 3, h: 7, w: 6 }, layers);
    const seg = analyzeSegment(
      n,
      n.layers.map((l) => l.name),
    );
    const tables = segmentTables(seg, 'full', true);
    const r = rng(3);
    let ok = 0,
      refused = 0,
      bad = 0;
    const why = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const s = randomSegmentSchedule(seg, r);
      let m;
      try {
        m = segmentCost(seg, s, 1);
      } catch (e) {
        if (e instanceof NotClosedForm) {
          refused++;
          let f: any;
          try {
            f = costFromTables(tables, s, 1);
          } catch {
            f = { accesses: -1, bytes: -1 };
          }
          const sim = simSkip(n, seg, s);
          const same = f.accesses === sim.dramReads + sim.dramWrites && f.bytes === sim.onChipBytes;
          const b = s.buffers[seg.buffers[0]!.id]!;
          const k =
            `${f.accesses < 0 ? 'undef' : same} store ${b.store} fill ${b.fill} ` + e.reason.slice(50, 110);
          why.set(k, (why.get(k) ?? 0) + 1);
          continue;
        }
        throw e;
      }
      const f = costFromTables(tables, s, 1);
      if (f.bytes !== m.onChipBytes || f.accesses !== m.dramReads + m.dramWrites || f.macs !== m.macs) {
        bad++;
        if (bad < 3) console.log(JSON.stringify(s), f, m.onChipBytes, m.dramReads + m.dramWrites, m.macs);
      } else ok++;
    }
    console.log(
      name,
      { ok, refused, bad },
      [...why.entries()].sort((a, b) => b[1] - a[1]),
    );
  }
});
