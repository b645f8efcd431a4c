// How many segment schedules the cost model evaluates per second on one core.

import { randomSegmentSchedule, rng } from '../dse/random.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import type { Network } from '../ir/network.js';
import { segmentCost } from '../model/cost.js';
import type { SegmentSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { analyzeSegment } from '../model/segment.js';

export interface SpeedResult {
  case: string;
  schedules: number;
  seconds: number;
  perSecond: number;
}

function measure(
  name: string,
  cases: { seg: Segment; s: SegmentSchedule }[],
  minSeconds: number,
): SpeedResult {
  let n = 0;
  let sink = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    for (const c of cases) sink += segmentCost(c.seg, c.s, 1).dramReads;
    n += cases.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  if (sink < 0) console.log(sink);
  return { case: name, schedules: n, seconds: elapsed, perSecond: Math.round(n / elapsed) };
}

function randomCases(net: Network, segments: string[][], count: number, seed: number) {
  const r = rng(seed);
  const segs = segments.map((names) => analyzeSegment(net, names));
  return Array.from({ length: count }, (_, i) => {
    const seg = segs[i % segs.length]!;
    return { seg, s: randomSegmentSchedule(seg, r) };
  });
}

export function modelSpeed(minSeconds = 2): SpeedResult[] {
  const vgg = zooNetwork('vgg16');
  const convs = vgg.layers.filter((l) => l.kind === 'conv' && !l.fullyConnected).map((l) => [l.name]);
  const single = randomCases(vgg, convs, 2000, 1);
  const chain = vgg.layers.slice(0, 3).map((l) => l.name);
  const fused = randomCases(vgg, [chain], 2000, 2);
  return [
    measure('VGG-16 conv layers, random schedules', single, minSeconds),
    measure(`VGG-16 fused chain ${chain.join(' + ')}, random schedules`, fused, minSeconds),
  ];
}
