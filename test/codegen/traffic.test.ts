// The speed-sign detector with its trained weights on its test image, run as generated C under a fused
// schedule: the program finds the same signs as the paper tool's reference output, and moves exactly
// what the model predicts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { loadCaffeFile } from '../../src/frontends/caffe/load.js';
import type { BufferLevels, Level, NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import type { Tensor } from '../../src/reference/index.js';
import { formatTrafficDetections, readImage, trafficDetections } from '../../src/reference/index.js';
import { closeSession, openSession, verifySchedule } from '../../src/verify/verify.js';

const dir = path.resolve(process.cwd(), '../shared/networks/caffe/traffic');
const lv = (store: Level, fill: Level = store): BufferLevels => ({ store, fill });

function segment(layers: string[], tile: SegmentSchedule['tile'], buffers: Record<string, BufferLevels>) {
  return { layers, tile, order: ['y', 'x', 'zo', 'zi'], buffers } as SegmentSchedule;
}

/**
 * conv1 into conv2 through a line buffer; conv3 (the prototxt's two sliced branches and their concat,
 * one convolution of 2 groups) fused with fc4, 4 output rows at a time.
 */
const trafficSchedule: NetworkSchedule = {
  format: 'memsched.schedule',
  version: 1,
  network: 'traffic',
  elementBytes: 1,
  segments: [
    segment(
      ['conv1', 'conv2'],
      { x: 317, y: 1, zo: 16, zi: 6 },
      {
        'data@conv1': lv('root', 'y'),
        'conv1:weights': lv('root'),
        conv1: lv('root', 'y'),
        'conv2:weights': lv('root'),
        conv2: lv('y'),
      },
    ),
    segment(
      ['conv3', 'fc4_traffic_output'],
      { x: 313, y: 4, zo: 8, zi: 80 },
      {
        'conv2@conv3': lv('root', 'y'),
        'conv3:weights': lv('root'),
        conv3: lv('y'),
        'fc4_traffic_output:weights': lv('root'),
        fc4_traffic_output: lv('y'),
      },
    ),
  ],
};

/**
 * The point `explore --width 4 --own-levels 4 --budget 256KiB` chooses: the whole network one segment,
 * columns outermost and rows streaming inside, conv2 kept whole along the rows, at the floor.
 */
const floorSchedule: NetworkSchedule = {
  format: 'memsched.schedule',
  version: 1,
  network: 'traffic',
  elementBytes: 4,
  segments: [
    {
      layers: ['conv1', 'conv2', 'conv3', 'fc4_traffic_output'],
      tile: { x: 1, y: 1, zo: 8, zi: 1 },
      order: ['x', 'y', 'zo', 'zi'],
      buffers: {
        'data@conv1': lv('root', 'y'),
        'conv1:weights': lv('root', 'y'),
        'conv2:weights': lv('root', 'y'),
        'conv3:weights': lv('root', 'zi'),
        'fc4_traffic_output:weights': lv('root', 'zi'),
        conv1: lv('x', 'y'),
        conv2: lv('root', 'y'),
        conv3: lv('root', 'zi'),
        fc4_traffic_output: lv('zo', 'zi'),
      },
    },
  ],
};

describe('the traffic-sign detector as generated C', () => {
  const net = loadCaffeFile(path.join(dir, 'traffic.prototxt'));
  const expected = readFileSync(path.join(dir, 'ref.txt'), 'utf8').trim().split('\n');
  // positions and speeds exactly, confidences to 3 decimals
  const parse = (l: string) => {
    const m = /^(\d+), (\d+), (\d+)km\/h confidence: ([\d.]+)$/.exec(l)!;
    return [m[1], m[2], m[3], Number(m[4]).toFixed(3)];
  };
  const run = async (schedule: NetworkSchedule) => {
    const image = readImage(path.join(dir, 'test046.png'), net.inputs[0]!.shape);
    const session = await openSession(net, [image]);
    let outputs: Tensor[] = [];
    const v = await verifySchedule(session, schedule, null, { onOutputs: (o) => (outputs = o) });
    closeSession(session);
    if (v.error !== undefined) throw new Error(v.error);
    expect(v.mismatches).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.output.maxRelError).toBeLessThanOrEqual(1e-4);
    const found = formatTrafficDetections(trafficDetections(outputs[0]!)).trim().split('\n');
    expect(found.length).toBe(expected.length);
    expect(found.map(parse)).toEqual(expected.map(parse));
    return v;
  };

  it('detects the signs of ref.txt on test046.png and moves exactly the predicted data', async () => {
    expect(runnableNetwork(net)).toBe(net); // its own weights
    const v = await run(trafficSchedule);
    // 2 segments; conv1 computed once through its line buffer
    expect(v.tensors.filter((t) => t.buffer === 'conv1')[0]!.measuredFilled).toBe(6 * 358 * 638);
    expect(v.macs.measured).toBe(1_144_287_328);
  });

  it('does so at its floor within 256 KiB in fp32 (per-intermediate levels): 1,375,214 accesses measured', async () => {
    const v = await run(floorSchedule);
    const accesses = v.tensors.reduce((n, t) => n + t.measuredReads + t.measuredWrites, 0);
    expect(accesses).toBe(1_375_214);
    expect(v.scratchpadBytes.measured).toBe(235_228);
    expect(v.macs.measured).toBe(1_240_792_672);
  });
});
