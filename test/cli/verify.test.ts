import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyFile } from '../../src/formats/verify.js';
import { tinyFiles } from '../codegen/tiny.js';
import { memsched, repo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-verify-cli-'));
const { model, schedule } = tinyFiles(dir);

describe('memsched verify', () => {
  it('verifies a fused schedule: outputs, traffic and scratchpad measured equal', () => {
    const out = join(dir, 'v.json');
    const r = memsched('verify', model, '--schedule', schedule, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('weights seeded (the model has none)');
    expect(r.stdout).toMatch(/schedule: ok; output max \|error\|/);
    expect(r.stdout).toMatch(
      /DRAM reads [\d,]+ = predicted, writes [\d,]+ = predicted; scratchpad .* = predicted/,
    );
    expect(r.stdout).toContain('all 1 verified');
    const v = JSON.parse(readFileSync(out, 'utf8')) as VerifyFile;
    expect(v.format).toBe('memsched.verify');
    expect(v.version).toBe(1);
    expect(v.network).toBe('tiny');
    expect(v.elementBytes).toBe(2);
    expect(v.build).toBe('cc -std=c99 -O2 -Wall -Wextra -Werror -o tiny tiny.c -lm');
    const p = v.points[0]!;
    expect(p.point).toBeNull();
    expect(p.ok).toBe(true);
    expect(p.tensors.map((t) => t.buffer)).toEqual([
      'data@c1',
      'c1:weights',
      'c1',
      'p1',
      'p1@c2',
      'c2:weights',
      'c2',
    ]);
    for (const t of p.tensors) {
      expect(t.measuredReads).toBe(t.predictedReads);
      expect(t.measuredWrites).toBe(t.predictedWrites);
    }
    // data@c1 read once (2 x 12 x 12); c2's partial sums: 3 x 4 x 4 outputs written twice, read back once
    expect(p.tensors[0]!.measuredReads).toBe(288);
    expect(p.tensors[6]!.measuredWrites).toBe(96);
    expect(p.tensors[6]!.measuredReads).toBe(48);
    expect(p.macs.measured).toBe(4 * 12 * 12 * 18 + 3 * 4 * 4 * 36);
    expect(p.scratchpadBytes.measured).toBe(p.scratchpadBytes.predicted);
  });

  it('verifies chosen points of a front, as JSON on stdout', () => {
    const front = join(dir, 'front.json');
    expect(memsched('explore', model, '--width', '2', '-o', front).code).toBe(0);
    const count = (JSON.parse(readFileSync(front, 'utf8')) as { front: unknown[] }).front.length;
    const r = memsched('verify', model, '--front', front, '--points', `0,${count - 1}`, '--json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as VerifyFile;
    expect(v.points.map((p) => [p.point, p.ok])).toEqual([
      [0, true],
      [count - 1, true],
    ]);
  });

  it('builds with more compiler flags, and records them', () => {
    const r = memsched(
      'verify',
      model,
      '--schedule',
      schedule,
      '--cflags=-O1  -DMEMSCHED_NO_VECTORS',
      '--json',
    );
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as VerifyFile;
    expect(v.build).toBe(
      'cc -std=c99 -O2 -Wall -Wextra -Werror -O1 -DMEMSCHED_NO_VECTORS -o tiny tiny.c -lm',
    );
    expect(v.points[0]!.ok).toBe(true);
    // a flag the compiler refuses fails the point (exit 1), with the compiler's message
    const bad = memsched('verify', model, '--schedule', schedule, '--cflags=-fno-such-flag-at-all');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('built with: cc -std=c99 -O2 -Wall -Wextra -Werror -fno-such-flag-at-all');
    expect(bad.stdout).toMatch(/schedule: FAILED {2}the generated C does not compile cleanly/);
    expect(bad.stdout).toContain('no-such-flag-at-all');
  });

  it('takes a raw float32 input file', () => {
    const input = join(dir, 'input.bin');
    const data = new Float32Array(2 * 12 * 12).map((_, i) => Math.cos(i));
    writeFileSync(input, new Uint8Array(data.buffer));
    const r = memsched('verify', model, '--schedule', schedule, '--input', input, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as VerifyFile).points[0]!.ok).toBe(true);
  });

  it('exits with 1 when the program measures something else than predicted', () => {
    // A "compiler" that makes the input copy helper count every element twice.
    const cc = join(dir, 'miscounting-cc');
    writeFileSync(
      cc,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in *.c) sed -i '0,/b->reads++;/s//b->reads += 2;/' "$a";; esac; done\nexec cc "$@"\n`,
    );
    chmodSync(cc, 0o755);
    const r = spawnSync(
      process.execPath,
      [resolve(repo, 'dist/cli/main.js'), 'verify', model, '--schedule', schedule],
      {
        encoding: 'utf8',
        env: { ...process.env, CC: cc },
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('schedule: MISMATCH');
    expect(r.stdout).toMatch(/data@c1 DRAM reads: measured 576, predicted 288/);
    expect(r.stdout).toContain('1 of 1 FAILED verification');
  });

  it('refuses bad flags and inputs in one line with exit code 2', () => {
    const wrong = join(dir, 'wrong.bin');
    writeFileSync(wrong, new Uint8Array(100));
    const nan = join(dir, 'nan.bin');
    writeFileSync(nan, new Uint8Array(new Float32Array(2 * 12 * 12).fill(Number.NaN).buffer));
    const huge = join(dir, 'huge.bin');
    writeFileSync(huge, new Uint8Array(new Float32Array(2 * 12 * 12).fill(3.4e38).buffer));
    const cases: [string[], RegExp][] = [
      [['verify', model], /exactly one of --schedule FILE or --front FILE/],
      [['verify', model, '--schedule', schedule, '--front', schedule], /exactly one of/],
      [['verify', model, '--front', schedule], /not a front file/],
      [['verify', model, '--schedule', schedule, '--points', '1'], /--points applies to --front/],
      [
        ['verify', model, '--schedule', schedule, '--input', wrong],
        /wrong\.bin: holds 100 bytes; .* need 1152/,
      ],
      [['verify', model, '--schedule', schedule, '--input', nan], /nan\.bin: element 0 \(byte 0\) is NaN/],
      [
        ['verify', model, '--schedule', schedule, '--input', huge],
        /huge\.bin: this input can overflow float32 in layer 'c1' \(its sums may reach .*e\+38\): nothing to compare with/,
      ],
      [['verify', model, '--schedule', join(dir, 'nope.json')], /nope\.json: no such file/],
      [['verify', model, '--schedule', schedule, '--point', 'x'], /--point: expected a point number/],
      [['verify', model, '--schedule', schedule, '--frobnicate'], /frobnicate/],
      [
        ['verify', model, '--schedule', schedule, '--cflags', '-O3'],
        /--cflags: a value starting with '-' is written --cflags=VALUE/,
      ],
      [
        ['verify', model, '--schedule', schedule, '--cflags=-O3 out.o'],
        /--cflags: 'out\.o' is not a compiler flag/,
      ],
      [
        ['verify', model, '--schedule', schedule, '--cflags=-otiny'],
        /--cflags: '-otiny' is not a compiler flag/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = memsched(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
