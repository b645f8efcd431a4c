// `memsched codegen --release` and `verify --release` on the tiny model: the folder it writes (the
// Makefile builds -O3 -march=native, `make count` the counting build), warning-free builds at the flags
// users build with, hooks a user replaces, and bad flag combinations refused in one line.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memsched } from '../cli/helpers.js';
import { tinyFiles, tinySchedule } from './tiny.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-release-cli-'));
const { model, schedule } = tinyFiles(dir);
// each layer alone: no fused producer, no planning pass (the tiny schedule has both)
const single = join(dir, 'single.json');
writeFileSync(
  single,
  JSON.stringify({
    ...tinySchedule,
    elementBytes: 4,
    segments: [
      {
        layers: ['c1'],
        tile: { x: 5, y: 3, zo: 4, zi: 2 },
        order: ['y', 'x', 'zo', 'zi'],
        buffers: {
          'data@c1': { store: 'y', fill: 'x' },
          'c1:weights': { store: 'root', fill: 'root' },
          c1: { store: 'x', fill: 'x' },
        },
      },
      {
        layers: ['p1'],
        tile: { x: 6, y: 6, zo: 4, zi: 1 },
        order: ['zo', 'y', 'x', 'zi'],
        buffers: { 'c1@p1': { store: 'x', fill: 'x' }, p1: { store: 'x', fill: 'x' } },
      },
      {
        layers: ['c2'],
        tile: { x: 4, y: 2, zo: 3, zi: 1 },
        order: ['zi', 'y', 'x', 'zo'],
        buffers: {
          'p1@c2': { store: 'zi', fill: 'y' },
          'c2:weights': { store: 'zi', fill: 'zi' },
          c2: { store: 'y', fill: 'y' },
        },
      },
    ],
  }),
);

function run(exe: string, args: string[], cwd: string) {
  return spawnSync(exe, args, { cwd, encoding: 'utf8' });
}

describe('memsched codegen --release', () => {
  it('writes the folder; make builds -O3 -march=native, make count the counting build, as predicted', () => {
    const out = join(dir, 'out');
    const r = memsched('codegen', model, '--schedule', schedule, '--release', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-O3 -march=native');
    expect(r.stdout).toContain("stores and computes float32 for the schedule's 2-byte elements");
    expect(readdirSync(out).sort()).toEqual(['Makefile', 'tiny.c', 'weights.bin']);
    expect(readFileSync(join(out, 'Makefile'), 'utf8')).toContain(
      'CFLAGS ?= -std=c99 -O3 -march=native -Wall -Wextra -Werror',
    );
    const source = readFileSync(join(out, 'tiny.c'), 'utf8');
    expect(source).not.toContain('static int tag[');
    expect(source).toContain('memsched_dram_read');
    for (const target of [[], ['count']]) {
      const make = spawnSync('make', ['-C', out, ...target], { encoding: 'utf8' });
      expect(make.stderr).toBe('');
      expect(make.status).toBe(0);
    }
    writeFileSync(join(out, 'input.bin'), new Uint8Array(2 * 12 * 12 * 4));
    // the default build prints nothing; with a run count, the milliseconds of each run
    const plain = run(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin'], out);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe('');
    const timed = run(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin', '3'], out);
    expect(JSON.parse(timed.stdout).ms).toHaveLength(3);
    expect(readFileSync(join(out, 'output.bin')).length).toBe(3 * 4 * 4 * 4);
    // counting: data@c1 read once (2 x 12 x 12 elements), as the model predicts
    const counted = run(join(out, 'tiny-count'), ['weights.bin', 'input.bin', 'output.bin'], out);
    expect(counted.status).toBe(0);
    const json = JSON.parse(counted.stdout);
    expect(json.format).toBe('memsched.release-counters');
    expect(json.segments[0].buffers[0]).toEqual([288, 0, 288, 0]);
    expect(run(join(out, 'tiny-count'), ['weights.bin', 'input.bin', 'output.bin', '2'], out).status).toBe(2);
  });

  it('builds without a warning at -O3 -march=native, -O2, without vector types and counting, planned or not', () => {
    for (const [name, file] of [
      ['fused', schedule],
      ['single', single],
    ] as const) {
      const out = join(dir, name);
      expect(memsched('codegen', model, '--schedule', file, '--release', '-o', out).code).toBe(0);
      const source = readFileSync(join(out, 'tiny.c'), 'utf8');
      expect(source).toContain(`#define PLANNING ${name === 'fused' ? 1 : 0}`);
      for (const flags of [
        '-O3 -march=native',
        '-O2',
        '-O0',
        '-O2 -DMEMSCHED_NO_VECTORS',
        '-O3 -DMEMSCHED_COUNT',
      ]) {
        const cflags = `-std=c99 ${flags} -Wall -Wextra -Werror`;
        const make = spawnSync('make', ['-B', '-C', out, `CFLAGS=${cflags}`], { encoding: 'utf8' });
        expect(make.stderr, `${name} ${flags}`).toBe('');
        expect(make.status, `${name} ${flags}`).toBe(0);
      }
    }
  });

  it('moves every DRAM transfer through hooks a user links in (-DMEMSCHED_DRAM_HOOKS)', () => {
    const out = join(dir, 'hooks');
    expect(memsched('codegen', model, '--schedule', single, '--release', '-o', out).code).toBe(0);
    writeFileSync(
      join(out, 'dma.c'),
      [
        '#include <stdio.h>',
        '#include <string.h>',
        'static unsigned long read_bytes, write_bytes;',
        'void memsched_dram_read(void *restrict chip, const void *restrict dram, size_t bytes) { memcpy(chip, dram, bytes); read_bytes += bytes; }',
        'void memsched_dram_write(void *restrict dram, const void *restrict chip, size_t bytes) { memcpy(dram, chip, bytes); write_bytes += bytes; }',
        '__attribute__((destructor)) static void report(void) { fprintf(stderr, "%lu %lu\\n", read_bytes, write_bytes); }',
        '',
      ].join('\n'),
    );
    const cc = process.env['CC'] ?? 'cc';
    const build = spawnSync(
      cc,
      [
        '-std=c99',
        '-O2',
        '-Wall',
        '-Wextra',
        '-Werror',
        '-DMEMSCHED_DRAM_HOOKS',
        '-o',
        'tiny',
        'tiny.c',
        'dma.c',
        '-lm',
      ],
      { cwd: out, encoding: 'utf8' },
    );
    expect(build.stderr).toBe('');
    writeFileSync(join(out, 'input.bin'), new Uint8Array(2 * 12 * 12 * 4));
    const r = run(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin'], out);
    expect(r.status).toBe(0);
    const [reads, writes] = r.stderr.trim().split(' ').map(Number);
    // the model's reads and writes of the schedule, 4 bytes each (the release build stores float32)
    const ev = memsched('eval', model, '--schedule', single, '--json');
    const { predicted } = JSON.parse(ev.stdout) as { predicted: { dramReads: number; dramWrites: number } };
    expect(reads).toBe(predicted.dramReads * 4);
    expect(writes).toBe(predicted.dramWrites * 4);
  });

  it('refuses bad flag combinations in one line with exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [
        ['codegen', model, '--schedule', schedule, '--release', '--target', 'halide', '-o', join(dir, 'x')],
        /--release: a build of the C backend, not of --target halide/,
      ],
      [
        ['verify', model, '--schedule', schedule, '--release', '--target', 'halide'],
        /--release: a build of the C backend, not of --target halide/,
      ],
      [
        ['verify', model, '--schedule', schedule, '--release', '--sanitize'],
        /--sanitize applies to the verification build/,
      ],
      [['verify', model, '--schedule', schedule, '--release', '--cflags=-o x'], /--cflags/],
    ];
    for (const [args, message] of cases) {
      const r = memsched(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  it('verify --release: outputs and every transfer as predicted', () => {
    const r = memsched('verify', model, '--schedule', schedule, '--release', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.format).toBe('memsched.release-verify');
    const [p] = json.points;
    expect(p.ok).toBe(true);
    expect(p.output.maxRelError).toBeLessThanOrEqual(1e-4);
    for (const t of p.tensors) {
      expect(t.measuredReads).toBe(t.predictedReads);
      expect(t.measuredWrites).toBe(t.predictedWrites);
    }
    expect(
      p.tensors.reduce((n: number, t: { measuredReads: number }) => n + t.measuredReads, 0),
    ).toBeGreaterThan(0);
  });
});

// each layer alone, c1's and c2's reductions in tiles inside their outputs' store levels (partial sums
// on chip: int8 runs them)
const onChip = join(dir, 'on-chip.json');
const singleSegments = JSON.parse(readFileSync(single, 'utf8')).segments;
writeFileSync(
  onChip,
  JSON.stringify({
    ...tinySchedule,
    elementBytes: 1,
    segments: [
      singleSegments[0],
      singleSegments[1],
      {
        layers: ['c2'],
        tile: { x: 4, y: 2, zo: 3, zi: 2 },
        order: ['y', 'x', 'zo', 'zi'],
        buffers: {
          'p1@c2': { store: 'y', fill: 'zi' },
          'c2:weights': { store: 'root', fill: 'root' },
          c2: { store: 'x', fill: 'x' },
        },
      },
    ],
  }),
);

describe('memsched codegen --int8 and verify --int8', () => {
  it('writes the int8 program; it builds warning-free at the flags users build with and runs', () => {
    const out = join(dir, 'int8');
    const r = memsched('codegen', model, '--schedule', onChip, '--int8', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('int8 release build: scales calibrated on the seeded input');
    expect(r.stdout).toMatch(/beside it, int32: the biases \(\d+ B\) and partial sums \(\d+ B\)/);
    // int8 weights and int32 biases: c1 4x2x3x3 + 4, c2 3x4x3x3 + 3
    expect(readFileSync(join(out, 'weights.bin')).length).toBe(72 + 16 + 108 + 12);
    const source = readFileSync(join(out, 'tiny.c'), 'utf8');
    expect(source).toContain('typedef signed char elem;');
    expect(source).not.toContain('axpy_block');
    for (const flags of ['-O3 -march=native', '-O2', '-O0', '-O3 -DMEMSCHED_COUNT']) {
      const cflags = `-std=c99 ${flags} -Wall -Wextra -Werror`;
      const make = spawnSync('make', ['-B', '-C', out, `CFLAGS=${cflags}`], { encoding: 'utf8' });
      expect(make.stderr, flags).toBe('');
      expect(make.status, flags).toBe(0);
    }
    expect(spawnSync('make', ['-B', '-C', out], { encoding: 'utf8' }).status).toBe(0);
    writeFileSync(join(out, 'input.bin'), new Uint8Array(2 * 12 * 12 * 4));
    const timed = run(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin', '2'], out);
    expect(timed.status).toBe(0);
    expect(JSON.parse(timed.stdout).ms).toHaveLength(2);
    expect(readFileSync(join(out, 'output.bin')).length).toBe(3 * 4 * 4 * 4);
  });

  it('verify --int8: outputs equal the int8 reference, every transfer as predicted', () => {
    // the tiny schedule's c2 reads its partial sums back from DRAM: int32 there, said by codegen
    const note = memsched('codegen', model, '--schedule', schedule, '--int8', '-o', join(dir, 'int8-dram'));
    expect(note.code).toBe(0);
    expect(note.stdout).toMatch(
      /int8: segments\[1\]: 'c2' reads 48 partial sums back from DRAM \(and writes them\): int32 there/,
    );
    const dram = memsched('verify', model, '--schedule', schedule, '--int8', '--json');
    expect(dram.code).toBe(0);
    expect(JSON.parse(dram.stdout).points[0].output.maxAbsError).toBe(0);
    const r = memsched('verify', model, '--schedule', onChip, '--int8', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.int8).toBe(true);
    expect(json.tolerance).toBe(0);
    const [p] = json.points;
    expect(p.ok).toBe(true);
    expect(p.output.maxAbsError).toBe(0);
    expect(p.floatDifference).toBeGreaterThan(0);
    expect(p.floatDifference).toBeLessThan(0.1);
    for (const t of p.tensors) {
      expect(t.measuredReads).toBe(t.predictedReads);
      expect(t.measuredWrites).toBe(t.predictedWrites);
    }
    const text = memsched(
      'verify',
      model,
      '--schedule',
      onChip,
      '--int8',
      '--calibrate',
      join(dir, 'int8', 'input.bin'),
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`int8 scales calibrated on ${join(dir, 'int8', 'input.bin')}`);
    expect(text.stdout).toMatch(
      /outputs equal to the int8 reference's \(their difference to the float reference: /,
    );
  });

  it('refuses a layer int8 does not run and bad flags in one line with exit code 2, writing nothing', () => {
    const lrn = join(dir, 'lrn.prototxt');
    writeFileSync(
      lrn,
      `${readFileSync(model, 'utf8')}layer { name: "n" type: "LRN" bottom: "c2" top: "n" lrn_param { local_size: 3 } }\n`,
    );
    const lrnSchedule = join(dir, 'lrn.json');
    expect(memsched('explore', lrn, '--width', '1', '-o', lrnSchedule).code).toBe(0);
    const x = join(dir, 'x8');
    const cases: [string[], RegExp][] = [
      [
        ['codegen', model, '--schedule', onChip, '--calibrate', onChip, '-o', x],
        /--calibrate: a setting of --int8/,
      ],
      [
        ['codegen', model, '--schedule', onChip, '--int8', '--target', 'halide', '-o', x],
        /--int8: a build of the C backend, not of --target halide/,
      ],
      [
        ['codegen', model, '--schedule', onChip, '--int8', '--calibrate', onChip, '-o', x],
        /on-chip\.json: holds \d+ bytes/,
      ],
      [
        ['codegen', lrn, '--schedule', lrnSchedule, '--point', '0', '--int8', '-o', x],
        /int8: layer n \(lrn\) is not supported/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = memsched(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(x)).toBe(false);
  });
});
