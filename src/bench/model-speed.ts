// How many segment schedules the cost model evaluates per second on one core.

import { bufferTotals, segmentFactors } from '../dse/factors.js';
import { randomSegmentSchedule, rng } from '../dse/random.js';
import { zooNetwork } from '../frontends/zoo/index.js';
import type { Network } from '../ir/network.js';
import { segmentCost } from '../model/cost.js';
import type { SegmentSchedule } from '../model/schedule.js';
import { levelDepth, loopNames } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { analyzeSegment } from '../model/segment.js';

export interface SpeedResult {
  case: string;
  /** What is counted: schedules, or tile choices (factor tables built). */
  unit: 'schedules' | 'tile choices';
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
  return {
    case: name,
    unit: 'schedules',
    schedules: n,
    seconds: elapsed,
    perSecond: Math.round(n / elapsed),
  };
}

function randomCases(net: Network, segments: string[][], count: number, seed: number) {
  const r = rng(seed);
  const segs = segments.map((names) => analyzeSegment(net, names));
  return Array.from({ length: count }, (_, i) => {
    const seg = segs[i % segs.length]!;
    return { seg, s: randomSegmentSchedule(seg, r) };
  });
}

/**
 * The search's pattern: factor tables built once per tile choice, then many orders and level
 * assignments evaluated from them (single-layer segments).
 */
function measureFactors(name: string, net: Network, segments: string[][], minSeconds: number): SpeedResult[] {
  const r = rng(3);
  const segs = segments.map((names) => analyzeSegment(net, names));
  const perTile = 2000;
  const groups = segs.flatMap((seg) =>
    Array.from({ length: 3 }, () => {
      const tile = randomSegmentSchedule(seg, r).tile;
      const schedules = Array.from({ length: perTile }, () => {
        const s = randomSegmentSchedule(seg, r);
        const depth = (id: string) => [
          levelDepth(s.order, s.buffers[id]!.store),
          levelDepth(s.order, s.buffers[id]!.fill),
        ];
        return {
          order: s.order.map((l) => loopNames.indexOf(l)),
          levels: seg.buffers.map((b) => depth(b.id)),
        };
      });
      return { seg, tile, schedules };
    }),
  );
  let tables = 0;
  let evaluated = 0;
  let sink = 0;
  let tableSeconds = 0;
  let evalSeconds = 0;
  while (tableSeconds + evalSeconds < minSeconds) {
    for (const g of groups) {
      const t0 = process.hrtime.bigint();
      const f = segmentFactors(g.seg, g.tile);
      const t1 = process.hrtime.bigint();
      for (const s of g.schedules)
        f.buffers.forEach((b, i) => {
          const [store, fill] = s.levels[i]!;
          sink += bufferTotals(f, b, s.order, store!, fill!, 1).accesses;
        });
      const t2 = process.hrtime.bigint();
      tableSeconds += Number(t1 - t0) / 1e9;
      evalSeconds += Number(t2 - t1) / 1e9;
      tables++;
      evaluated += g.schedules.length;
    }
  }
  if (sink < 0) console.log(sink);
  return [
    {
      case: `${name}: factor tables built, one per tile choice`,
      unit: 'tile choices',
      schedules: tables,
      seconds: tableSeconds,
      perSecond: Math.round(tables / tableSeconds),
    },
    {
      case: `${name}: schedules evaluated from factor tables`,
      unit: 'schedules',
      schedules: evaluated,
      seconds: evalSeconds,
      perSecond: Math.round(evaluated / evalSeconds),
    },
  ];
}

export function modelSpeed(minSeconds = 2): SpeedResult[] {
  const vgg = zooNetwork('vgg16');
  const convs = vgg.layers.filter((l) => l.kind === 'conv' && !l.fullyConnected).map((l) => [l.name]);
  const single = randomCases(vgg, convs, 2000, 1);
  const chain = vgg.layers.slice(0, 3).map((l) => l.name);
  const fused = randomCases(vgg, [chain], 2000, 2);
  return [
    measure('VGG-16 conv layers, random schedules', single, minSeconds),
    ...measureFactors('VGG-16 conv layers', vgg, convs, minSeconds),
    measure(`VGG-16 fused chain ${chain.join(' + ')}, random schedules`, fused, minSeconds),
  ];
}
