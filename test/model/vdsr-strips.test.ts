// VDSR's explicit 1 MiB schedule from issue #21 (three segments of strips, rows streaming through line
// buffers, every weight resident), counted by hand. It moves the 20.2 M elements the issue names, but
// with line buffers of k full rows it needs more than 1 MiB: the 261,504 elements need (k - 1)
// rows plus k elements, which memsched does not model yet.

import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/frontends/index.js';
import { evaluateSchedule } from '../../src/model/evaluate.js';
import type { NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';

/** conv[a..b] (21: the residual add), in `strips` strips of columns, each row of the strip one tile. */
function strips(a: number, b: number, count: number): SegmentSchedule {
  const layers = Array.from({ length: b - a + 1 }, (_, i) => (a + i === 21 ? 'sum' : `conv${a + i}`));
  const last = layers.at(-1)!;
  const sum = last === 'sum';
  const buffers: SegmentSchedule['buffers'] = {
    [a === 1 ? 'data@conv1' : `conv${a - 1}@conv${a}`]: { store: 'x', fill: 'y' },
  };
  if (sum) buffers['data@sum'] = { store: 'x', fill: 'y' };
  for (const l of layers) if (l !== 'sum') buffers[`${l}:weights`] = { store: 'root', fill: 'root' };
  for (const l of layers.slice(0, -1)) buffers[l] = { store: 'x', fill: 'y' };
  buffers[last] = { store: 'y', fill: 'y' };
  const convs = layers.filter((l) => l !== 'sum').length;
  return {
    layers,
    tile: { x: Math.ceil(256 / count), y: 1, zo: sum ? 1 : 64, zi: sum ? 1 : 64 },
    order: ['x', 'y', 'zo', 'zi'],
    buffers,
    // the rows loop starts early enough for every producer to compute ahead (one row per layer)
    warmup: { y: convs - 1 },
  };
}

describe("VDSR in strips of rows (issue #21's explicit 1 MiB schedule)", () => {
  it('moves the counts worked out by hand', () => {
    const net = loadNetwork('zoo:vdsr');
    const sched: NetworkSchedule = {
      format: 'memsched.schedule',
      version: 1,
      network: 'vdsr',
      elementBytes: 4,
      segments: [strips(1, 7, 7), strips(8, 13, 6), strips(14, 21, 8)],
    };
    const r = evaluateSchedule(net, sched);
    // Each strip reads its columns plus a halo of one column per 3x3 layer on each side, clipped at the
    // image's edges: 7 strips of 37 columns (the last 34) under 7 layers: 44 + 5 x 51 + 41 = 340 columns;
    // 6 strips of 43 (the last 41) under 6: 49 + 4 x 55 + 47 = 316; 8 strips of 32 under 7: 39 + 6 x 46 + 39
    // = 354; the residual add's input once more, and every weight once.
    const inputs = 256 * 340 + 64 * 256 * 316 + 64 * 256 * 354 + 256 * 256;
    expect(r.dramReads).toBe(665_921 + inputs);
    // the two group outputs and the network's output, written once
    expect(r.dramWrites).toBe(2 * 64 * 256 * 256 + 256 * 256);
    expect(r.dramAccesses).toBe(20_249_921);
    // k full rows per line buffer: above 1 MiB
    expect(r.onChipBytes).toBeGreaterThan(1024 * 1024);
  });
});
