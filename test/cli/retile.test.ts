import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyFiles } from '../codegen/tiny.js';
import { memsched } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-retile-cli-'));
const { model, schedule } = tinyFiles(dir);

describe('memsched retile', () => {
  it('writes a schedule with larger tiles and no more traffic, which eval and verify --release take', () => {
    const out = join(dir, 'retiled.json');
    const r = memsched('retile', model, '--schedule', schedule, '--budget', '4KiB', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`predicted by the model, ${schedule} -> ${out}:`);
    const steps = /innermost loop steps\s+([\d,]+)\s+([\d,]+)/.exec(r.stdout)!;
    const number = (s: string) => Number(s.replaceAll(',', ''));
    // tinySchedule: c1+p1 in 3 row tiles, c2 in 2 row tiles x 2 reduction tiles; retiled: fewer
    expect(number(steps[1]!)).toBe(3 + 4);
    expect(number(steps[2]!)).toBeLessThan(7);
    const accesses = /DRAM accesses\s+([\d,]+)\s+([\d,]+)/.exec(r.stdout)!;
    expect(number(accesses[2]!)).toBeLessThanOrEqual(number(accesses[1]!));
    const s = JSON.parse(readFileSync(out, 'utf8')) as { format: string; segments: { order: string[] }[] };
    expect(s.format).toBe('memsched.schedule');
    expect(s.segments.map((g) => g.order)).toEqual([
      ['y', 'x', 'zo', 'zi'],
      ['zi', 'y', 'x', 'zo'],
    ]);
    const e = memsched('eval', model, '--schedule', out);
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`DRAM accesses  ${accesses[2]!} elements`);
    const v = memsched('verify', model, '--schedule', out, '--release');
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('all 1 verified');
  });

  it('refuses a budget below the schedule, and a missing -o, in one line without writing', () => {
    const out = join(dir, 'never.json');
    const r = memsched('retile', model, '--schedule', schedule, '--budget', '100B', '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^memsched: error: --budget 100 B is below the schedule's own .* on chip\n$/);
    expect(existsSync(out)).toBe(false);
    const m = memsched('retile', model, '--schedule', schedule);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe("memsched: error: 'retile' needs -o FILE (the schedule to write)\n");
  });
});
