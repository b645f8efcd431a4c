// `memsched codegen --target halide` and `memsched verify --target halide` on the tiny network: the
// written generator, runner and Makefile build without a warning and run; verify reports per segment.
// Skipped only where Halide 14 is not installed (CI installs libhalide14-0-dev).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { halideInstalled } from '../../src/codegen/halide-build.js';
import { memsched } from '../cli/helpers.js';
import { tinyFiles, tinySchedule } from './tiny.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-halide-cli-'));
const { model } = tinyFiles(dir);
// the second segment's reduction tiles innermost (Halide cannot take partial sums through DRAM)
const schedule = join(dir, 'halide-schedule.json');
const sched = structuredClone(tinySchedule);
sched.segments[1]!.order = ['y', 'x', 'zo', 'zi'];
sched.segments[1]!.buffers = {
  'p1@c2': { store: 'y', fill: 'zi' },
  'c2:weights': { store: 'root', fill: 'y' },
  c2: { store: 'y', fill: 'y' },
};
writeFileSync(schedule, JSON.stringify(sched));

describe.skipIf(!halideInstalled())('memsched codegen/verify --target halide', () => {
  it('writes a generator, a runner and a Makefile that build without warnings and run', () => {
    const out = join(dir, 'out');
    const r = memsched('codegen', model, '--schedule', schedule, '--target', 'halide', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "note: segment 1 p1@c2: computed at its store level 'y' instead of 'zi' (its box moves along zi; Halide slides a Func along one spatial loop)",
    );
    expect(readdirSync(out).sort()).toEqual(['Makefile', 'generator.cpp', 'runner.cpp', 'weights.bin']);
    expect(readFileSync(join(out, 'weights.bin')).length).toBe((72 + 4 + 108 + 3) * 4);
    const generator = readFileSync(join(out, 'generator.cpp'), 'utf8');
    expect(generator).toContain('s0_b2.compute_at(LoopLevel(s0_out, yo)).store_at(LoopLevel::root()); // c1');
    const make = spawnSync('make', ['-C', out], { encoding: 'utf8' });
    expect(make.stderr).toBe('');
    expect(make.status).toBe(0);
    writeFileSync(join(out, 'input.bin'), new Uint8Array(2 * 12 * 12 * 4));
    const run = spawnSync(join(out, 'tiny'), ['weights.bin', 'input.bin', 'output.bin', '3'], {
      cwd: out,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.format).toBe('memsched.halide-run');
    expect(report.seconds.length).toBe(3);
    // not built with TRACE=--trace: nothing counted
    expect(report.stores).toEqual({});
    expect(readFileSync(join(out, 'output.bin')).length).toBe(3 * 4 * 4 * 4);
  }, 60_000);

  it('verify builds it traced and says per segment which counts differ', () => {
    const r = memsched('verify', model, '--schedule', schedule, '--target', 'halide');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('each schedule generated as Halide');
    expect(r.stdout).toContain('  segment 0: 2 counts differ from the model');
    expect(r.stdout).toContain('  segment 0 data@c1 DRAM reads: measured 384, predicted 288 (+96)');
    // p1@c2 kept along zi in the schedule (x and zo have one tile), computed at its store level by the
    // backend: still equal, each element loaded once per row of tiles as the model counts
    expect(r.stdout).toContain('  segment 1: counts equal to the model');
    expect(r.stdout).toContain('writes 192 = predicted');
  }, 60_000);

  it('refuses what it cannot express and unknown targets in one line', () => {
    const r = memsched('verify', model, '--schedule', tinyFiles(dir).schedule, '--target', 'halide');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      "segments[1]: its reduction loop 'zi' (2 tiles) is outside the output's store level",
    );
    const t = memsched('codegen', model, '--schedule', schedule, '--target', 'cuda', '-o', join(dir, 'x'));
    expect(t.code).toBe(2);
    expect(t.stderr.trim()).toBe("memsched: error: --target: expected c or halide, got 'cuda'");
  });
});
