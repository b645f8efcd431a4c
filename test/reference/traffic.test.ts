import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCaffeFile } from '../../src/frontends/caffe/load.js';
import { InputError } from '../../src/ir/errors.js';
import {
  formatTrafficDetections,
  readImage,
  runNetwork,
  type Tensor,
  trafficDetections,
} from '../../src/reference/index.js';

const dir = path.resolve(process.cwd(), '../shared/networks/caffe/traffic');

describe('traffic-sign detector', () => {
  it('reproduces ref.txt on test046.png', async () => {
    const net = loadCaffeFile(path.join(dir, 'traffic.prototxt'));
    const input = net.inputs[0]!;
    expect(input.shape).toEqual({ c: 1, h: 720, w: 1280 });
    const x = readImage(path.join(dir, 'test046.png'), input.shape);
    const outputs = await runNetwork(net, { [input.name]: x });
    const y = outputs[net.outputs[0]!]!;
    expect(y.shape).toEqual({ c: 8, h: 173, w: 313 });
    const text = formatTrafficDetections(trafficDetections(y));
    // Measured: identical to all six printed decimals.
    expect(text).toBe(readFileSync(path.join(dir, 'ref.txt'), 'utf8'));
  });
});

describe('trafficDetections', () => {
  // A 2 x 3 map: channel 0 decides, channels 1..7 score 30..100 km/h.
  const plane = 6;
  const data = new Float32Array(8 * plane);
  const set = (channel: number, x: number, y: number, v: number) => {
    data[channel * plane + y * 3 + x] = v;
  };
  set(0, 2, 0, 1.6); // exactly the threshold: a detection
  set(0, 0, 1, 1.59); // just below: none
  set(0, 1, 1, 5);
  set(3, 2, 0, 0.5); // 60 km/h wins at (2, 0)
  set(7, 2, 0, 0.5); // a tie goes to the first class
  for (let k = 1; k < 8; k++) set(k, 1, 1, k === 2 ? -1 : -2); // all negative: 50 km/h wins
  const map: Tensor = { shape: { c: 8, h: 2, w: 3 }, data };

  it('thresholds channel 0, takes the arg-max class and its sigmoid, in scan order', () => {
    const found = trafficDetections(map);
    expect(found.map(({ x, y, speed }) => ({ x, y, speed }))).toEqual([
      { x: 2, y: 0, speed: 60 },
      { x: 1, y: 1, speed: 50 },
    ]);
    expect(found[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
    expect(found[1]!.confidence).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(formatTrafficDetections(found)).toBe(
      '8, 0, 60km/h confidence: 0.622459\n4, 4, 50km/h confidence: 0.268941\n',
    );
  });

  it('rejects a map without 8 channels', () => {
    expect(() => trafficDetections({ shape: { c: 7, h: 1, w: 1 }, data: new Float32Array(7) })).toThrow(
      InputError,
    );
  });
});
