// The C runtime's files (src/codegen/runtime/): feature blocks resolved as a program needs them, and the
// files compiled as they are, in every combination of features (and without vector types), inside a
// real program of a tiny network, without a warning.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFlags } from '../../src/codegen/build.js';
import type { CProgram } from '../../src/codegen/c.js';
import { generateC, runnableNetwork } from '../../src/codegen/c.js';
import type { RuntimeFeatures } from '../../src/codegen/runtime.js';
import { resolveFeatures, runtimeFile, runtimeFiles, runtimeFolder } from '../../src/codegen/runtime.js';
import { randomSegmentSchedule } from '../../src/dse/random.js';
import { checkAndEvaluate } from '../../src/model/evaluate.js';
import type { NetworkSchedule } from '../../src/model/schedule.js';
import { scheduleFormat, scheduleVersion } from '../../src/model/schedule.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { rng } from '../../src/util/random.js';
import { conv, net } from '../model/fixtures.js';

const run = promisify(execFile);
const cc = process.env['CC'] ?? 'cc';

describe('feature blocks of the runtime files', () => {
  const text = [
    '// what the file holds',
    '',
    'a',
    '#if MEMSCHED_WITH_WARMUP',
    'warm',
    '#if VECTORS',
    'warm vectors',
    '#endif',
    '#elif MEMSCHED_WITH_AFFINE && !MEMSCHED_WITH_DAG',
    'affine, no dag',
    '#else',
    'plain',
    '#endif',
    '#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)',
    '#if MEMSCHED_WITH_SHARED || MEMSCHED_WITH_DAG',
    'joins',
    '#endif',
    '#else',
    'no vectors',
    '#endif',
    '',
  ].join('\n');
  const lines = (f: RuntimeFeatures) => resolveFeatures(text, f, 'x.c').split('\n');

  it('keeps the branch the features take and the program’s own directives, drops the note', () => {
    expect(lines({ warmup: true, dag: true })).toEqual([
      'a',
      'warm',
      '#if VECTORS',
      'warm vectors',
      '#endif',
      '#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)',
      'joins',
      '#else',
      'no vectors',
      '#endif',
      '',
    ]);
    expect(lines({ affine: true })).toEqual([
      'a',
      'affine, no dag',
      '#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)',
      '#else',
      'no vectors',
      '#endif',
      '',
    ]);
    expect(lines({ affine: true, dag: true }).slice(0, 3)).toEqual([
      'a',
      'plain',
      '#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)',
    ]);
  });

  it('refuses markers it cannot resolve and unbalanced blocks, naming the line', () => {
    const refused = (t: string) => () => resolveFeatures(t, {}, 'x.c');
    expect(refused('#if MEMSCHED_WITH_LOOPS\n#endif\n')).toThrow(
      'x.c:1: not a feature condition: MEMSCHED_WITH_LOOPS',
    );
    expect(refused('#if defined(MEMSCHED_WITH_DAG)\n#endif\n')).toThrow('x.c:1: not a feature condition');
    expect(refused('#ifdef MEMSCHED_WITH_DAG\n#endif\n')).toThrow('x.c:1: a feature marker outside #if');
    expect(refused('int x = MEMSCHED_WITH_DAG;\n')).toThrow('x.c:1: a feature marker outside #if');
    expect(refused('#if VECTORS\n#elif MEMSCHED_WITH_DAG\n#endif\n')).toThrow(
      'x.c:2: a feature marker outside',
    );
    expect(refused('#if MEMSCHED_WITH_DAG\nx\n')).toThrow('x.c: #if without #endif');
    expect(refused('x\n#endif\n')).toThrow('x.c:2: #endif without #if');
    expect(refused('// note\nx\n')).toThrow('x.c: the note must end with a blank line');
  });

  it('resolves every runtime file in every combination of features', () => {
    for (const f of combinations(64))
      for (const file of ['types.h', ...runtimeFiles.beforeKernels, ...runtimeFiles.afterKernels]) {
        const t = runtimeFile(file, f);
        expect(t).not.toContain('MEMSCHED_WITH_');
        expect(t).not.toMatch(/^\/\//m);
        expect(t).toMatch(/[^\n]\n$/); // one line break at the end: files are joined by blank lines
      }
  });
});

/** The first n combinations of the features (16: strips and raster line buffers off). */
function combinations(n = 16): RuntimeFeatures[] {
  return Array.from({ length: n }, (_, i) => ({
    affine: (i & 1) > 0,
    shared: (i & 2) > 0,
    warmup: (i & 4) > 0,
    dag: (i & 8) > 0,
    ...(n > 16 ? { strips: (i & 16) > 0, raster: (i & 32) > 0 } : {}),
  }));
}

/**
 * in -> conv (+ReLU) -> conv; add of both convolutions -> affine (+ReLU) -> conv 1x1, fused whole: an
 * intermediate read by two layers (dag), an affine layer, and (drawn) warm-up loops.
 */
const tiny = runnableNetwork(
  net({ c: 3, h: 9, w: 7 }, [
    conv('c1', 'in', 4, 3, { post: [{ op: 'relu' }] }),
    conv('c2', 'c1', 4, 3),
    { kind: 'eltwise', name: 'add', inputs: ['c2', 'c1'], op: 'add', post: [] },
    { kind: 'affine', name: 'bn', inputs: ['add'], post: [{ op: 'relu' }] },
    conv('c3', 'bn', 5, 1),
  ]),
);

/**
 * A program of the tiny network with every runtime function in use: fused, with a planning pass, and
 * warm-up loops or none (the generated tables differ with them); `streaming`: in strips, with a raster
 * line buffer and warm-ups. Drawn from a fixed seed.
 */
function tinyProgram(warmup: boolean, streaming = false): CProgram {
  const seg = analyzeSegment(
    tiny,
    tiny.layers.map((l) => l.name),
  );
  const r = rng(5);
  for (let i = 0; i < 500; i++) {
    const s = randomSegmentSchedule(seg, r, i % 2 === 0, warmup, streaming);
    if ((s.warmup !== undefined) !== warmup) continue;
    const raster = Object.values(s.buffers).some((b) => b.raster);
    if (streaming && (s.strips === undefined || !raster || s.warmup?.x === undefined)) continue;
    const sched: NetworkSchedule = {
      format: scheduleFormat,
      version: scheduleVersion,
      network: tiny.name,
      elementBytes: 4,
      segments: [s],
    };
    let p: CProgram;
    try {
      p = generateC(tiny, sched, checkAndEvaluate(tiny, sched), { weights: false });
    } catch {
      continue; // a schedule the check refuses
    }
    if (p.source.includes('#define PLANNING 1')) return p;
  }
  throw new Error('no schedule with a planning pass drawn');
}

/**
 * The program with each runtime file's text replaced by an #include of the file itself: the features
 * are then the compiler's to resolve (-DMEMSCHED_WITH_<FEATURE>=0/1).
 */
function includingFiles(p: CProgram, features: RuntimeFeatures): string {
  let src = p.source;
  let at = 0;
  for (const file of ['types.h', ...runtimeFiles.beforeKernels, ...runtimeFiles.afterKernels]) {
    const text = runtimeFile(file, features);
    const i = src.indexOf(text, at);
    expect(i, `${file} in the program`).toBeGreaterThanOrEqual(at);
    const include = `#include "${join(runtimeFolder, file)}"\n`;
    src = src.slice(0, i) + include + src.slice(i + text.length);
    at = i + include.length;
  }
  return src;
}

const markerFlags = (f: RuntimeFeatures) => [
  `-DMEMSCHED_WITH_AFFINE=${f.affine ? 1 : 0}`,
  `-DMEMSCHED_WITH_SHARED=${f.shared ? 1 : 0}`,
  `-DMEMSCHED_WITH_WARMUP=${f.warmup ? 1 : 0}`,
  `-DMEMSCHED_WITH_DAG=${f.dag ? 1 : 0}`,
  `-DMEMSCHED_WITH_STRIPS=${f.strips ? 1 : 0}`,
  `-DMEMSCHED_WITH_RASTER=${f.raster ? 1 : 0}`,
];

describe('the runtime files compiled as they are', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-runtime-'));
  const sources = new Map<boolean, string>();
  let streaming = '';
  beforeAll(() => {
    // strips, a raster line buffer and warm-ups: the tables need those three features
    streaming = join(dir, 'tiny-streaming.c');
    writeFileSync(
      streaming,
      includingFiles(tinyProgram(true, true), {
        affine: true,
        dag: true,
        warmup: true,
        strips: true,
        raster: true,
      }),
    );
    for (const warmup of [false, true]) {
      const p = tinyProgram(warmup);
      expect(p.source).not.toMatch(/^\/\//m);
      // the program's own features (as c.ts finds them): affine, an intermediate read by two layers
      const file = join(dir, `tiny-${warmup ? 'warm' : 'plain'}.c`);
      writeFileSync(file, includingFiles(p, { affine: true, dag: true, warmup }));
      sources.set(warmup, file);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The compiler's messages (a failure's too). */
  async function compile(file: string, flags: string[]): Promise<string> {
    const r = await run(cc, [...flags, '-c', '-o', '/dev/null', file], { encoding: 'utf8' }).catch(
      (e: { stderr?: string; message: string }) => ({ stderr: e.stderr || e.message }),
    );
    return r.stderr;
  }

  for (const f of combinations())
    it(`compiles without a warning: ${JSON.stringify(f)}, with and without vector types`, async () => {
      const file = sources.get(f.warmup ?? false)!;
      const strict = ['-std=c99', '-Wall', '-Wextra', '-Werror', ...markerFlags(f)];
      expect(await compile(file, strict)).toBe('');
      expect(await compile(file, [...strict, '-DMEMSCHED_NO_VECTORS'])).toBe('');
    });

  for (const f of combinations().filter((c) => c.warmup))
    it(`compiles in strips with a raster line buffer without a warning: ${JSON.stringify(f)}`, async () => {
      const strict = [
        '-std=c99',
        '-Wall',
        '-Wextra',
        '-Werror',
        ...markerFlags({ ...f, strips: true, raster: true }),
      ];
      expect(await compile(streaming, strict)).toBe('');
      expect(await compile(streaming, [...strict, '-DMEMSCHED_NO_VECTORS'])).toBe('');
    });

  it('compiles as programs do (optimised) with every feature', async () => {
    for (const warmup of [false, true])
      expect(
        await compile(sources.get(warmup)!, [
          ...compileFlags,
          ...markerFlags({ affine: true, shared: true, dag: true, warmup }),
        ]),
      ).toBe('');
    expect(
      await compile(streaming, [
        ...compileFlags,
        ...markerFlags({ affine: true, shared: true, dag: true, warmup: true, strips: true, raster: true }),
      ]),
    ).toBe('');
  });
});
