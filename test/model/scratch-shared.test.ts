import { it } from 'vitest';
import { randomSegmentSchedule, rng } from '../../src/dse/random.js';
import { InputError } from '../../src/ir/errors.js';
import { segmentCost } from '../../src/model/cost.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { randomSharedInputNetwork } from './random-network.js';

it('scratch', () => {
  const r = rng(7);
  let ok = 0,
    refused = 0,
    bad = 0;
  const reasons = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const net = randomSharedInputNetwork(r, 4);
    const seg = analyzeSegment(
      net,
      net.layers.map((l) => l.name),
    );
    const s = randomSegmentSchedule(seg, r);
    let sim;
    try {
      sim = simulateSegment(net, seg, s, 1);
    } catch (e) {
      if (!(e instanceof InputError)) {
        console.log(
          `case ${i}: ${JSON.stringify(net.layers.map((l) => [l.name, l.kind, l.inputs, l.shape, (l as any).kernel, (l as any).pads]))} ${JSON.stringify(s)}`,
        );
        throw e;
      }
      if (e instanceof InputError) {
        refused++;
        const k = e.message.replace(/.*do not/, 'do not').slice(0, 90);
        reasons.set(k, (reasons.get(k) ?? 0) + 1);
        continue;
      }
      throw e;
    }
    const m = segmentCost(seg, s, 1);
    if (JSON.stringify(m) !== JSON.stringify(sim)) {
      bad++;
      if (bad <= 3)
        console.log(
          `case ${i}: ${JSON.stringify(net.layers.map((l) => [l.name, l.kind, l.inputs]))} ${JSON.stringify(s)}\nmodel ${JSON.stringify(m.buffers)}\nsim   ${JSON.stringify(sim.buffers)}`,
        );
    } else ok++;
  }
  console.log({ ok, refused, bad }, reasons);
});
