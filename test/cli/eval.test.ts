import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkResult } from '../../src/model/evaluate.js';
import type { BufferResult } from '../../src/model/result.js';
import type { Level, NetworkSchedule } from '../../src/model/schedule.js';
import { memsched } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-eval-'));

function scheduleFile(name: string, body: unknown): string {
  const f = join(dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
}

const levels = (store: Level, fill: Level) => ({ store, fill });
/** zoo:traffic with conv1+conv2 fused through a line buffer, everything else layer by layer. */
function trafficSchedule(): NetworkSchedule {
  const whole = (
    layers: string[],
    tile: NetworkSchedule['segments'][0]['tile'],
    buffers: NetworkSchedule['segments'][0]['buffers'],
  ): NetworkSchedule['segments'][0] => ({
    layers,
    tile,
    order: ['y', 'x', 'zo', 'zi'],
    buffers,
  });
  const root = levels('root', 'root');
  return {
    format: 'memsched.schedule',
    version: 1,
    network: 'traffic',
    elementBytes: 1,
    segments: [
      whole(
        ['conv1', 'conv2'],
        { x: 317, y: 1, zo: 16, zi: 6 },
        {
          'data@conv1': levels('root', 'y'),
          'conv1:weights': root,
          conv1: levels('root', 'y'),
          'conv2:weights': root,
          conv2: levels('y', 'y'),
        },
      ),
      whole(
        ['conv3', 'fc4_traffic_output'],
        { x: 313, y: 173, zo: 8, zi: 80 },
        {
          'conv2@conv3': root,
          'conv3:weights': root,
          conv3: root,
          'fc4_traffic_output:weights': root,
          fc4_traffic_output: root,
        },
      ),
    ],
  };
}

describe('memsched eval', () => {
  it('predicts a fused schedule: conv1 computed once through a line buffer', () => {
    const r = memsched(
      'eval',
      'zoo:traffic',
      '--schedule',
      scheduleFile('t.json', trafficSchedule()),
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { predicted: NetworkResult };
    const seg = j.predicted.segments[0]!;
    const find = (id: string) => seg.buffers.find((b: BufferResult) => b.id === id)!;
    const conv1 = find('conv1');
    expect(conv1.filled).toBe(6 * 358 * 638);
    // a 1-row tile of conv2 (k6 s2) needs 6 rows of conv1
    expect(conv1.extents).toEqual([6, 6, 638]);
    const data = find('data@conv1');
    // the last rows and columns of the 720x1280 input are never read by conv1 (k6 s2 -> 358x638: 720 rows, 1280 cols used)
    expect(data.dramReads).toBe(720 * 1280);
    expect(find('conv2').dramWrites).toBe(16 * 177 * 317);
    expect(j.predicted.macs).toBe(1144287328);
  });

  it("prints each segment's loop nest under its table with --loop-nest", () => {
    const r = memsched(
      'eval',
      'zoo:traffic',
      '--schedule',
      scheduleFile('nest.json', trafficSchedule()),
      '--loop-nest',
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.replace(/ +#.*$/, ''));
    // segment 1: rows of conv2 (177 y tiles), conv1 kept from root through a line buffer filled per row
    const first = lines.indexOf('  store data@conv1');
    expect(lines.slice(first, first + 14)).toEqual([
      '  store data@conv1',
      '  store conv1:weights',
      '  store conv2:weights',
      '  store conv1',
      '  fill conv1:weights <- DRAM',
      '  fill conv2:weights <- DRAM',
      '  for y in 0..177 step 1:',
      '    store conv2',
      '    fill data@conv1 <- DRAM',
      '    fill conv1 <- compute conv1',
      '    fill conv2',
      '    for x in 0..317 step 317:',
      '      for zo in 0..16 step 16:',
      '        for zi in 0..6 step 6:',
    ]);
    expect(r.stdout).toMatch(/ {10}compute conv2\[zo:\+16, y:\+1, x:\+317\] over zi:\+6\n/);
    expect(r.stdout).toMatch(/\n {4}write conv2 -> DRAM +# predicted: 897,744 elements written\n/);
    // the same texts in the JSON
    const json = memsched(
      'eval',
      'zoo:traffic',
      '--schedule',
      scheduleFile('nest.json', trafficSchedule()),
      '--loop-nest',
      '--json',
    );
    const nests = (JSON.parse(json.stdout) as { loopNests: string[] }).loopNests;
    expect(nests).toHaveLength(2);
    expect(r.stdout).toContain(
      nests[1]!
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    // without the flag, no nest
    const plain = memsched('eval', 'zoo:traffic', '--schedule', scheduleFile('nest.json', trafficSchedule()));
    expect(plain.stdout).not.toMatch(/store data@conv1/);
  });

  it('prints the baseline with labelled predictions', () => {
    const r = memsched('eval', 'zoo:vdsr', '--baseline', '--width', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/network \(predicted, 1-byte elements\): 21 segments/);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not JSON', '{"format": ', /not valid JSON/],
    ['a wrong version', { ...trafficSchedule(), version: 9 }, /version: this memsched reads version 1/],
    [
      'an unknown layer',
      (() => {
        const s = trafficSchedule();
        s.segments[0]!.layers = ['conv1', 'convX'];
        return s;
      })(),
      /segments\[0\]\.layers: unknown layer 'convX'/,
    ],
    [
      'a tile larger than the layer',
      (() => {
        const s = trafficSchedule();
        s.segments[0]!.tile.x = 400;
        return s;
      })(),
      /segments\[0\]\.tile\.x: 400 is outside 1\.\.317/,
    ],
    [
      'an illegal level',
      (() => {
        const s = trafficSchedule();
        s.segments[0]!.buffers.conv1 = levels('zi', 'y');
        return s;
      })(),
      /buffers\["conv1"\]\.store: 'zi' is inside the fill level 'y'/,
    ],
    [
      'a producer filled inside its reader',
      (() => {
        const s = trafficSchedule();
        s.segments[0]!.buffers['data@conv1'] = levels('root', 'zi');
        return s;
      })(),
      /buffers\["data@conv1"\]\.fill: 'zi' is inside the level where 'conv1' computes/,
    ],
    [
      'a segment with a layer nothing in it reads',
      (() => {
        const s = trafficSchedule();
        s.segments[1]!.layers = ['conv1', 'conv3', 'fc4_traffic_output'];
        return s;
      })(),
      /segments\[1\]\.layers: nothing in the segment reads the output of 'conv1'/,
    ],
    [
      'a missing layer',
      (() => {
        const s = trafficSchedule();
        s.segments.pop();
        return s;
      })(),
      /layers in no segment: conv3, fc4_traffic_output/,
    ],
  ];
  for (const [what, body, message] of bad)
    it(`rejects ${what} with one line`, () => {
      const r = memsched('eval', 'zoo:traffic', '--schedule', scheduleFile('bad.json', body));
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/bad\.json: /);
      expect(r.stderr).toMatch(message);
    });
});

describe('memsched eval --check', () => {
  it('runs the simulator on a fused line-buffer schedule of the simple network and agrees', () => {
    const sched = {
      format: 'memsched.schedule',
      version: 1,
      network: 'SimpleNet',
      elementBytes: 2,
      segments: [
        {
          layers: ['conv1', 'conv2'],
          tile: { x: 5, y: 2, zo: 3, zi: 8 },
          order: ['zo', 'y', 'x', 'zi'],
          buffers: {
            'data@conv1': levels('zo', 'x'),
            'conv1:weights': levels('root', 'root'),
            conv1: levels('y', 'x'),
            'conv2:weights': levels('zo', 'zo'),
            conv2: levels('x', 'x'),
          },
        },
      ],
    };
    const r = memsched(
      'eval',
      '../shared/networks/caffe/simple/simple.prototxt',
      '--schedule',
      scheduleFile('simple.json', sched),
      '--check',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/simulator check: 1 of 1 segments simulated and equal to the prediction/);
    expect(r.stdout).toMatch(/segment 1: simulator agrees on all 28 numbers/);
  });

  it('skips segments above --check-limit element reads, saying so', () => {
    const simple = '../shared/networks/caffe/simple/simple.prototxt';
    const r = memsched('eval', simple, '--baseline', '--check', '--check-limit', '1000');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/simulator check: 0 of 2 segments simulated/);
    expect(r.stdout).toMatch(
      /segment 1: not simulated \(estimated [\d,]+ element reads, above the limit of 1,000\)/,
    );
    for (const [args, message] of [
      [['--check', '--check-limit', 'lots'], "--check-limit: expected a number of element reads, got 'lots'"],
      [['--check-limit', '10'], '--check-limit applies to --check'],
    ] as const) {
      const bad = memsched('eval', simple, '--baseline', ...args);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toBe(`memsched: error: ${message}`);
    }
  });
});
