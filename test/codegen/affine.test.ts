// Affine layers (batch-norm that cannot be folded) in generated C: a DenseNet-like block, conv -> concat
// -> affine (+ReLU) -> conv, unfused, partly fused and fused whole, and random segments with affine
// layers. Outputs equal the reference inference, every count equals the model's prediction.

import { describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { buildNetwork } from '../../src/ir/build.js';
import type { Network } from '../../src/ir/network.js';
import { baselineSchedule } from '../../src/model/evaluate.js';
import type { ElementBytes, NetworkSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { closeSession, defaultInputs, openSession, verifySchedule } from '../../src/verify/verify.js';
import { conv } from '../layers.js';
import { expectExact, randomCase, verifyCases } from './harness.js';

const pad1 = { top: 1, left: 1, bottom: 1, right: 1 };

/** x -> conv 3x3 (+ReLU); concat(x, conv) -> affine (+ReLU) -> conv 1x1: a dense layer's first half. */
function denseBlock(): Network {
  return buildNetwork(
    'dense',
    [{ name: 'x', shape: { c: 3, h: 7, w: 9 } }],
    [
      conv('c1', 'x', 4, 3, { pads: pad1, post: [{ op: 'relu' }] }),
      { kind: 'concat', name: 'cat', inputs: ['x', 'c1'], post: [] },
      { kind: 'affine', name: 'bn', inputs: ['cat'], post: [{ op: 'relu' }] },
      conv('c2', 'bn', 5, 1),
    ],
  );
}

function schedule(net: Network, parts: string[][], r: () => number, width: ElementBytes): NetworkSchedule {
  return {
    format: scheduleFormat,
    version: scheduleVersion,
    network: net.name,
    elementBytes: width,
    segments: parts.map((names) => randomSegmentSchedule(analyzeSegment(net, names), r)),
  };
}

describe('affine layers in generated C', () => {
  it('runs a DenseNet-like block unfused, partly fused and fused whole, exactly as predicted', async () => {
    const net = runnableNetwork(denseBlock());
    const bn = net.layers.find((l) => l.kind === 'affine')!;
    expect(bn.kind === 'affine' && bn.scale?.length).toBe(7);
    const r = rng(23);
    const schedules = [
      baselineSchedule(net, 4),
      schedule(net, [['c1', 'cat'], ['bn'], ['c2']], r, 2),
      schedule(net, [['c1', 'cat', 'bn'], ['c2']], r, 1),
      schedule(
        net,
        [
          ['c1', 'cat'],
          ['bn', 'c2'],
        ],
        r,
        4,
      ),
      schedule(net, [['c1', 'cat', 'bn', 'c2']], r, 2),
      schedule(net, [['c1', 'cat', 'bn', 'c2']], r, 1),
    ];
    const session = await openSession(net, defaultInputs(net));
    try {
      for (const s of schedules) {
        const v = await verifySchedule(session, s, null);
        if (v.error !== undefined) throw new Error(v.error);
        expectExact(v);
        // the affine layer's scale and shift are read from DRAM: 2 per channel at least
        const w = v.tensors.filter((t) => t.buffer === 'bn:weights');
        expect(w.length).toBe(1);
        expect(w[0]!.measuredReads).toBeGreaterThanOrEqual(14);
      }
    } finally {
      closeSession(session);
    }
  });

  it('runs random segments with affine layers, alone and fused, exactly as predicted', async () => {
    const r = rng(20261204);
    const cases = [];
    while (cases.length < 10) {
      const c = randomCase(r, cases.length % 3 === 0 ? 1 : 4, true);
      if (c.net.layers.some((l) => l.kind === 'affine')) cases.push(c);
    }
    expect(cases.filter((c) => c.net.layers.length > 1).length).toBeGreaterThan(3);
    expect(cases.filter((c) => c.net.layers.at(-1)!.kind === 'affine').length).toBeGreaterThan(1);
    expectExact(await verifyCases(cases, 2));
  });
});
