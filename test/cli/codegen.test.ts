import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyFiles, tinySchedule } from '../codegen/tiny.js';
import { memsched } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-codegen-'));

const { model, schedule } = tinyFiles(dir);

describe('memsched codegen', () => {
  it('writes the C source, the weights and a Makefile that builds without warnings', () => {
    const out = join(dir, 'out');
    const r = memsched('codegen', model, '--schedule', schedule, '--target', 'c', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('weights: seeded (the model has none)');
    expect(r.stdout).toContain('predicted:');
    expect(readdirSync(out).sort()).toEqual(['Makefile', 'tiny.c', 'weights.bin']);
    // c1: 4 x 2 x 3 x 3 weights + 4 biases; c2: 3 x 4 x 3 x 3 + 3
    expect(readFileSync(join(out, 'weights.bin')).length).toBe((72 + 4 + 108 + 3) * 4);
    const source = readFileSync(join(out, 'tiny.c'), 'utf8');
    expect(source).toContain('static float scratch[SCRATCH_ARRAY];');
    expect(source).toMatch(/#define SCRATCH \d+/);
    const make = spawnSync('make', ['-C', out], { encoding: 'utf8' });
    expect(make.status).toBe(0);
    expect(make.stderr).toBe('');
    // the program runs on an input file and prints its counters
    writeFileSync(join(out, 'input.bin'), new Uint8Array(2 * 12 * 12 * 4));
    const run = spawnSync(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin'], {
      cwd: out,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const counters = JSON.parse(run.stdout);
    expect(counters.format).toBe('memsched.counters');
    expect(counters.conflicts).toBe(0);
    // data@c1: [reads, writes, filled, extents]; read once, 2 x 12 x 12
    expect(counters.segments[0].buffers[0].slice(0, 3)).toEqual([288, 0, 288]);
    expect(readFileSync(join(out, 'output.bin')).length).toBe(3 * 4 * 4 * 4);
  });

  it('builds without warnings at every optimisation level (CFLAGS), fused and planned segments included', () => {
    const out = join(dir, 'levels');
    expect(memsched('codegen', model, '--schedule', schedule, '-o', out).code).toBe(0);
    const source = readFileSync(join(out, 'tiny.c'), 'utf8');
    expect(source).toContain('#define FUSED 1');
    expect(source).toContain('#define PLANNING 1');
    // -O1 once warned of a variable maybe used uninitialized (-Werror made it a failed build)
    for (const level of ['-O0', '-O1', '-O3', '-Os', '-Og', '-O1 -DMEMSCHED_NO_VECTORS']) {
      const cflags = `-std=c99 ${level} -Wall -Wextra -Werror`;
      const make = spawnSync('make', ['-B', '-C', out, `CFLAGS=${cflags}`], { encoding: 'utf8' });
      expect(make.stderr, level).toBe('');
      expect(make.status, level).toBe(0);
    }
  });

  it('refuses bad flags and schedules in one line with exit code 2, writing nothing', () => {
    const out = join(dir, 'never');
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        ...tinySchedule,
        segments: [{ ...tinySchedule.segments[0], layers: ['c1', 'nope'] }],
      }),
    );
    const cases: [string[], RegExp][] = [
      [['codegen', model, '-o', out], /needs --schedule FILE/],
      [['codegen', model, '--schedule', schedule], /needs -o DIR/],
      [
        ['codegen', model, '--schedule', schedule, '--target', 'cuda', '-o', out],
        /--target: expected c or halide, got 'cuda'/,
      ],
      [['codegen', model, '--schedule', schedule, '--bogus', '-o', out], /bogus/],
      [['codegen', model, '--schedule', join(dir, 'missing.json'), '-o', out], /missing\.json: no such file/],
      [
        ['codegen', model, '--schedule', bad, '-o', out],
        /bad\.json: segments\[0\]\.layers: unknown layer 'nope'/,
      ],
      [
        ['codegen', model, '--schedule', schedule, '--point', '3', '-o', out],
        /--point applies to front files/,
      ],
      [
        ['codegen', model, '--schedule', schedule, '-o', join(dir, 'no', 'such', 'out')],
        /parent folder does not exist/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = memsched(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
