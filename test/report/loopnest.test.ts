import { describe, expect, it } from 'vitest';
import { buildNetwork } from '../../src/ir/build.js';
import { nestInput } from '../../src/lower/input.js';
import { evaluateSchedule } from '../../src/model/evaluate.js';
import type { NetworkSchedule, SegmentSchedule } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { evaluationText } from '../../src/report/evaluation.js';
import { embedModules } from '../../src/report/html.js';
import type { NestSegment } from '../../src/report/page/loopnest.js';
import { loopNest } from '../../src/report/page/loopnest.js';
import { compact, type grouped } from '../../src/report/table.js';
import { bytesText } from '../../src/report/units.js';
import { conv, net, schedule, segmentOf } from '../model/fixtures.js';

// in 1x8x8 -> a: conv 3x3 'same', 2 channels -> b: conv 1x1, 4 channels; fused, y tiles of 4 rows.
const n = net({ c: 1, h: 8, w: 8 }, [conv('a', 'in', 2, 3), conv('b', 'a', 4, 1)]);
const seg = segmentOf(n);
const s = schedule(seg, { y: 4 }, ['y', 'x', 'zo', 'zi'], {
  'in@a': ['y', 'y'],
  a: ['y', 'y'],
  b: ['zo', 'zo'],
});
const sched: NetworkSchedule = {
  format: 'memsched.schedule',
  version: 1,
  network: 'test',
  elementBytes: 1,
  segments: [s],
};

/** The nest of a schedule of the segment, with the model's predictions. */
function nestOf(s: SegmentSchedule): NestSegment {
  return nestInput(seg, s, evaluateSchedule(n, { ...sched, segments: [s] }).segments[0]!, 1);
}

describe('loopNest', () => {
  it('says an intermediate read after the segment too is written to DRAM as computed', () => {
    // the same network with a read by c after the segment too (a network output): a exported
    const m = buildNetwork(
      'test',
      [{ name: 'in', shape: { c: 1, h: 8, w: 8 } }],
      [conv('a', 'in', 2, 3), conv('b', 'a', 4, 1), conv('c', 'a', 1, 1)],
    );
    const ab = analyzeSegment(m, ['a', 'b']);
    const t = { ...s, buffers: { ...s.buffers } };
    const predicted = evaluateSchedule(m, {
      ...sched,
      segments: [t, schedule(analyzeSegment(m, ['c']), {}, ['y', 'x', 'zo', 'zi'])],
    }).segments[0]!;
    expect(loopNest(nestInput(ab, t, predicted, 1))).toContain(
      '  fill a <- compute a         # predicted: 128 elements computed, each written to DRAM as computed (read after the segment too): 128 writes',
    );
  });

  it('writes a fused segment with each buffer at its store and fill level (numbers checked by hand)', () => {
    // Each y tile reads input rows clipped to [0, 5) and [3, 8): 2 x 5 rows x 8 = 80 elements, kept in a
    // 1x5x8 buffer; a is computed 4 rows x 8 x 2 channels per tile (128 in all); b's 4x4x8 output tile is
    // written once per y tile (256 elements); a's weights are 2 x (1 x 9 + bias) = 20, b's 4 x (2 + 1) = 12.
    expect(loopNest(nestOf(s))).toBe(
      [
        'store a:weights               # weights, 2x1, 20 B',
        'store b:weights               # weights, 4x2, 12 B',
        'fill a:weights <- DRAM        # predicted: 20 elements read',
        'fill b:weights <- DRAM        # predicted: 12 elements read',
        'for y in 0..8 step 4:         # 2 iterations',
        '  store in@a                  # input, 1x5x8, 40 B',
        '  store a                     # intermediate, 2x4x8, 64 B',
        '  fill in@a <- DRAM           # predicted: 80 elements read',
        '  fill a <- compute a         # predicted: 128 elements computed',
        '  for x in 0..8 step 8:       # 1 iteration',
        '    for zo in 0..4 step 4:    # 1 iteration',
        '      store b                 # output, 4x4x8, 128 B',
        '      fill b                  # predicted: 0 partial sums read back',
        '      for zi in 0..2 step 2:  # 1 iteration',
        '        compute b[zo:+4, y:+4, x:+8] over zi:+2',
        '      write b -> DRAM         # predicted: 256 elements written',
      ].join('\n'),
    );
  });

  it('reads partial sums back where the reduction loop is outside the output store level', () => {
    const t = schedule(seg, { y: 4, zi: 1 }, ['zi', 'y', 'x', 'zo'], {
      'in@a': ['zi', 'zi'],
      a: ['y', 'y'],
      b: ['zo', 'zo'],
    });
    const nest = nestOf(t);
    const b = nest.buffers.find((x) => x.id === 'b')!;
    // the second of two reduction tiles reads back the 256 partial sums the first wrote, and writes them again
    expect(b.dramReads).toBe(256);
    expect(b.dramWrites).toBe(512);
    const text = loopNest(nest);
    expect(text).toMatch(/\nfor zi in 0\.\.2 step 1: +# 2 iterations\n/);
    expect(text).toMatch(/\n {8}fill b +# predicted: 256 partial sums read back\n/);
    expect(text).toMatch(/\n {8}write b -> DRAM +# predicted: 512 elements written$/);
  });

  it('starts a loop with a warm-up below 0 and says so', () => {
    // three 3x3 convolutions streaming rows: c's producers run 1 and 2 rows ahead, 2 warm-up iterations
    const chain = net({ c: 1, h: 8, w: 8 }, [
      conv('a', 'in', 1, 3),
      conv('b', 'a', 1, 3),
      conv('c', 'b', 1, 3),
    ]);
    const cs = segmentOf(chain);
    const t: SegmentSchedule = {
      ...schedule(cs, { y: 1 }, ['y', 'x', 'zo', 'zi'], {
        'in@a': ['root', 'y'],
        a: ['root', 'y'],
        b: ['root', 'y'],
      }),
      warmup: { y: 2 },
    };
    const r = evaluateSchedule(chain, { ...sched, segments: [t] }).segments[0]!;
    const text = loopNest(nestInput(cs, t, r, 1));
    expect(text).toMatch(
      /\nfor y in -2\.\.8 step 1: +# 8 iterations after 2 warm-up ones \(producers compute ahead; nothing below 0 exists\)\n/,
    );
    // the line buffers hold 3 rows each
    expect(text).toMatch(/\nstore a +# intermediate, 1x3x8, 24 B\n/);
    // what `memsched eval` prints names the warm-up too
    expect(
      evaluationText({ ...sched, segments: [t] }, evaluateSchedule(chain, { ...sched, segments: [t] })),
    ).toMatch(
      /^segment 1: a \+ b \+ c {2}\(tile x8 y1 zo1 zi1, loops y > x > zo > zi, y from -2 \(warm-up\)\)\n/,
    );
  });

  it('runs in the page: its modules embedded as one script print the same', () => {
    const script = embedModules(['format.js', '../../lower/nest.js', 'loopnest.js']);
    expect(script).not.toMatch(/^(import|export)\b/m);
    const inPage = new Function(
      `'use strict';\n${script}\nreturn { loopNest, compact, grouped, bytesText };`,
    )() as {
      loopNest: typeof loopNest;
      compact: typeof compact;
      grouped: typeof grouped;
      bytesText: typeof bytesText;
    };
    expect(inPage.loopNest(nestOf(s))).toBe(loopNest(nestOf(s)));
    expect(inPage.compact(1_234_567)).toBe(compact(1_234_567));
    expect(inPage.grouped(1_234_567)).toBe('1,234,567');
    expect(inPage.bytesText(1536)).toBe(bytesText(1536));
  });

  it('embeds a module only after the modules it imports', () => {
    expect(() => embedModules(['../../lower/nest.js', 'loopnest.js', 'format.js'])).toThrow(
      'page/loopnest.js imports format.js, which is not among the modules before it',
    );
    expect(() => embedModules(['format.js', 'loopnest.js'])).toThrow(
      'page/loopnest.js imports ../../lower/nest.js, which is not among the modules before it',
    );
  });
});
