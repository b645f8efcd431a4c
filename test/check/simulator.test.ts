import { describe, expect, it } from 'vitest';
import { checkWithSimulator, estimateReads, planCheck } from '../../src/check/simulator.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { LayerSpec, Network, Shape } from '../../src/ir/network.js';
import { segmentCost } from '../../src/model/cost.js';
import type { BufferLevels, Level, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkPlanText, checkProgressText, checkText } from '../../src/report/evaluation.js';
import { simulateSegment } from '../../src/simulate/simulate.js';
import { conv, pool } from '../layers.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };
const at = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });

function net(input: Shape, specs: LayerSpec[]): Network {
  return buildNetwork('test', [{ name: 'in', shape: input }], specs);
}

function schedule(segments: SegmentSchedule[]): NetworkSchedule {
  return { format: 'memsched.schedule', version: 1, network: 'test', elementBytes: 1, segments };
}

/** Element reads the simulator reports at its end. */
function simulatedReads(n: Network, s: SegmentSchedule): number {
  let reads = -1;
  simulateSegment(n, analyzeSegment(n, s.layers), s, 1, { onProgress: (r) => (reads = r) });
  return reads;
}

describe('the work estimate', () => {
  // 1x6x6 -> 2x6x6, 3x3, pad 1, bias.
  const padded = net({ c: 1, h: 6, w: 6 }, [conv('conv', 'in', 2, 3, { pads: pad1 })]);
  const whole: SegmentSchedule = {
    layers: ['conv'],
    tile: { x: 6, y: 6, zo: 2, zi: 1 },
    order: ['y', 'x', 'zo', 'zi'],
    buffers: { 'in@conv': at('root'), 'conv:weights': at('root'), conv: at('root') },
  };

  it('is an upper bound that counts the padding taps the simulator clips', () => {
    // 72 outputs x (9 weights + 1 bias + 9 input taps) unclipped; clipped, the input windows of a 6x6
    // map with pad 1 cover (2 + 3 + 3 + 3 + 3 + 2)^2 = 256 elements per output channel.
    const seg = analyzeSegment(padded, ['conv']);
    expect(estimateReads(seg, segmentCost(seg, whole, 1))).toBe(72 * 19);
    expect(simulatedReads(padded, whole)).toBe(72 * 10 + 2 * 256);
  });

  it('is exact without padding, recomputation included', () => {
    // in 1x8x8 -> a (2x6x6) -> b (1x4x4); b computed one row at a time, a stored per row: a's rows are
    // recomputed (3 of them per output row).
    const chain = net({ c: 1, h: 8, w: 8 }, [conv('a', 'in', 2, 3), conv('b', 'a', 1, 3)]);
    const s: SegmentSchedule = {
      layers: ['a', 'b'],
      tile: { x: 4, y: 1, zo: 1, zi: 2 },
      order: ['y', 'x', 'zo', 'zi'],
      buffers: {
        'in@a': at('y'),
        'a:weights': at('root'),
        'b:weights': at('root'),
        a: at('y'),
        b: at('y'),
      },
    };
    const seg = analyzeSegment(chain, s.layers);
    const predicted = segmentCost(seg, s, 1);
    expect(predicted.buffers.find((b) => b.id === 'a')!.filled).toBe(4 * 3 * 2 * 6);
    // a: 144 computed x (9 weights + 9 inputs + 1 bias); b: 16 outputs x 2 channels x (9 + 9) + 16 biases.
    const reads = 144 * 19 + 16 * 2 * 18 + 16;
    expect(estimateReads(seg, predicted)).toBe(reads);
    expect(simulatedReads(chain, s)).toBe(reads);
  });
});

describe('checkWithSimulator', () => {
  const n = net({ c: 2, h: 8, w: 8 }, [conv('a', 'in', 4, 3, { pads: pad1 }), pool('p', 'a')]);
  const sched = schedule([
    {
      layers: ['a'],
      tile: { x: 4, y: 2, zo: 4, zi: 1 },
      order: ['y', 'zi', 'x', 'zo'],
      buffers: { 'in@a': at('root', 'y'), 'a:weights': at('root'), a: at('y') },
    },
    {
      layers: ['p'],
      tile: { x: 1, y: 1, zo: 2, zi: 1 },
      order: ['zo', 'y', 'x', 'zi'],
      buffers: { 'a@p': at('zo', 'x'), p: at('x') },
    },
  ]);

  it('simulates every segment within the limits and agrees with the model', () => {
    const progress: number[] = [];
    const checks = checkWithSimulator(n, sched, { onProgress: (r) => progress.push(r) });
    expect(checks.map((c) => c.status)).toEqual(['agree', 'agree']);
    expect(checks.map((c) => c.compared)).toEqual([3 * 5 + 1 + 1, 2 * 5 + 1 + 1]);
    // The pool reads its 2x2 windows: 4 x 4 x 4 outputs x 4 elements.
    expect(checks[1]!.reads).toBe(256);
    expect(checks[1]!.estimatedReads).toBe(256);
    expect(progress.at(-1)).toBe(checks[0]!.reads + checks[1]!.reads);
    expect(checks[0]!.memoryBytes).toBeGreaterThan(0);
    const text = checkText(checks);
    expect(text).toMatch(/^simulator check: 2 of 2 segments simulated and equal to the prediction/);
    expect(text).toMatch(/segment 2: simulator agrees on all 12 numbers \(256 element reads, \d+\.\d s\)/);
  });

  it('skips a segment whose estimated work is above the limit, giving the estimate', () => {
    const plan = planCheck(n, sched, { maxReads: 1000 });
    expect(plan.simulate).toEqual([false, true]);
    expect(plan.totalReads).toBe(256);
    const checks = checkWithSimulator(n, sched, {}, plan);
    expect(checks[0]!.status).toBe('skipped');
    expect(checks[0]!.reads).toBe(0);
    expect(checks[0]!.note).toBe(
      `estimated ${plan.estimatedReads[0]!.toLocaleString('en-US')} element reads, above the limit of 1,000`,
    );
    expect(checkText(checks)).toMatch(
      /segment 1: not simulated \(estimated [\d,]+ element reads, above the limit of 1,000\)/,
    );
    expect(checkPlanText(plan)).toMatch(
      /^simulator check: 1 of 2 segments, estimated 256 element reads, simulator memory at most .* \(1 above the limits: 1,000 estimated reads, 2 GiB\)$/,
    );
  });

  it('skips a segment whose simulator memory is above the limit', () => {
    const plan = planCheck(n, sched, { maxBytes: 1 });
    expect(plan.simulate).toEqual([false, false]);
    const checks = checkWithSimulator(n, sched, {}, plan);
    expect(checks[1]!.note).toMatch(/^needs [\d.]+ KiB of simulator memory, above the limit of 1 B$/);
  });
});

describe('the progress line', () => {
  it('shows the share done and the time left at the rate so far', () => {
    expect(checkProgressText(250, 1000, 10)).toBe(
      `[${'#'.repeat(8)}${'.'.repeat(22)}] 25% of the estimated reads, 10 s, about 30 s left`,
    );
    expect(checkProgressText(0, 1000, 0)).toBe(`[${'.'.repeat(30)}] 0% of the estimated reads, 0 s`);
  });
});
