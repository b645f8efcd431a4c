import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyFiles, tinySchedule } from '../codegen/tiny.js';
import type { Run } from './helpers.js';
import { memsched } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-inputs-'));
const { model, schedule } = tinyFiles(dir);
const frontPath = join(dir, 'front.json');
const explored = memsched('explore', model, '--width', '2', '--budget', '1KiB', '-o', frontPath);
const front = JSON.parse(readFileSync(frontPath, 'utf8')) as Record<string, unknown>;
const out = join(dir, 'out');

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** Exit 2, one line naming the file, nothing on stdout, nothing written. */
function refused(r: Run, message: RegExp | string): void {
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^memsched: error: /);
  expect(r.stderr.trimEnd()).toMatch(message);
  expect(existsSync(out)).toBe(false);
}

/** The commands that read one schedule, from a schedule or front file. */
const readers = (file: string, ...more: string[]): string[][] => [
  ['eval', model, '--schedule', file, ...more],
  ['codegen', model, '--schedule', file, ...more, '-o', out],
  ['verify', model, '--schedule', file, ...more],
];

/** A hundred thousand arrays deep: deeper than any recursion can go. */
const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

describe('schedule and front files the CLI refuses in one line', () => {
  it('a truncated or corrupt front file given with --point: the JSON error, as a front file', () => {
    expect(explored.code).toBe(0);
    const truncated = write('truncated.json', readFileSync(frontPath, 'utf8').slice(0, 200));
    for (const args of readers(truncated, '--point', '0'))
      refused(memsched(...args), /truncated\.json: not a front file \(not JSON: .*position 200/);
    // without --point the file may have been a schedule
    refused(memsched('eval', model, '--schedule', truncated), /truncated\.json: not valid JSON: /);
  });

  it('a JSON error quoting line breaks and control characters stays one escaped line', () => {
    const file = write('control.json', '{"format": "memsched.front",\n\t"front": \u0001\u001b[2J\n}');
    for (const args of [...readers(file), ['report', model, '--front', file, '-o', join(dir, 'r.html')]]) {
      const r = memsched(...args);
      refused(r, /control\.json: .*not valid JSON|control\.json: not a front file \(not JSON/);
      expect(r.stderr).toContain('\\t"front": \\u0001\\u001b[2J\\n}');
      expect([...r.stderr.trimEnd()].every((c) => c >= ' ')).toBe(true);
    }
  });

  it('a point that is null, a number or an object without a schedule', () => {
    const cases: [unknown, RegExp][] = [
      [null, /point 0: expected a point \(an object with its schedule\), got null$/],
      [1, /point 0: expected a point \(an object with its schedule\), got 1$/],
      [{}, /point 0: no schedule$/],
    ];
    for (const [point, message] of cases) {
      const file = write('points.json', { ...front, front: [point], chosen: 0 });
      for (const args of readers(file)) refused(memsched(...args), message);
      for (const args of readers(file, '--point', '0')) refused(memsched(...args), message);
      refused(
        memsched('verify', model, '--front', file),
        /points\.json: point 0: (expected a point|no schedule)/,
      );
    }
  });

  it('a schedule or front of another network, or a front of another version', () => {
    const other = write('vdsr-schedule.json', { ...tinySchedule, network: 'vdsr' });
    for (const args of readers(other))
      refused(memsched(...args), /vdsr-schedule\.json: network: the schedule is for 'vdsr', not 'tiny'$/);
    const otherFront = write('vdsr-front.json', { ...front, network: 'vdsr' });
    for (const args of [
      ...readers(otherFront),
      ['verify', model, '--front', otherFront],
      ['report', model, '--front', otherFront, '-o', join(dir, 'r.html')],
    ])
      refused(memsched(...args), /vdsr-front\.json: the front is of network 'vdsr', not 'tiny'$/);
    const v2 = write('v2.json', { ...front, version: 2 });
    for (const args of [
      ...readers(v2),
      ['verify', model, '--front', v2],
      ['report', model, '--front', v2, '-o', join(dir, 'r.html')],
      ['plot', v2, '-o', join(dir, 'p.svg')],
    ])
      refused(memsched(...args), /v2\.json: version: this memsched reads front files of version 1, got 2$/);
  });

  it('deeply nested JSON in a schedule, a front point, a front field and a verify file', () => {
    const sched = write('deep-schedule.json', JSON.stringify(tinySchedule).replace('"x":6', `"x":${deep}`));
    for (const args of readers(sched))
      refused(
        memsched(...args),
        /deep-schedule\.json: segments\[0\]\.tile\.x: expected an integer, got \[\[\[/,
      );
    const point = write(
      'deep-point.json',
      JSON.stringify({ ...front, chosen: 0 }).replace('"front":[', `"front":[${deep},`),
    );
    for (const args of readers(point))
      refused(memsched(...args), /deep-point\.json: point 0: expected a point .*, got \[\[\[/);
    const network = write(
      'deep-network.json',
      JSON.stringify(front).replace('"network":"tiny"', `"network":${deep}`),
    );
    for (const args of readers(network))
      refused(memsched(...args), /deep-network\.json: network: expected the network name, got \[\[\[/);
    refused(
      memsched('report', model, '--front', network, '-o', join(dir, 'r.html')),
      /deep-network\.json: broken front file: no network name$/,
    );
    const verify = write(
      'deep-verify.json',
      `{"format":"memsched.verify","version":1,"network":"tiny","elementBytes":2,"points":[{"point":${deep}}]}`,
    );
    refused(
      memsched('report', model, '--front', frontPath, '--verify', verify, '-o', join(dir, 'r.html')),
      /deep-verify\.json: points\[0\]\.point: expected a point number or null, got \[\[\[/,
    );
  });
});

describe('output files', () => {
  const fifo = join(dir, 'fifo');
  spawnSync('mkfifo', [fifo]);

  it('refuses a target that is not a regular file, leaving it as it was', () => {
    expect(statSync(fifo).isFIFO()).toBe(true);
    for (const args of [
      ['explore', model, '-o', fifo],
      ['inspect', model, '--dot', fifo],
      ['eval', model, '--baseline', '--graph', `${fifo}.dot`],
    ]) {
      if (args[0] === 'eval') spawnSync('mkfifo', [`${fifo}.dot`]);
      refused(memsched(...args), /fifo(\.dot)?: cannot write: not a regular file/);
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(statSync(`${fifo}.dot`).isFIFO()).toBe(true);
    refused(memsched('explore', model, '-o', dir), /cannot write: not a regular file/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('follows a symbolic link: its target is written, the link stays', () => {
    const target = write('target.json', 'old');
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    expect(memsched('explore', model, '-o', link).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(JSON.parse(readFileSync(target, 'utf8')).format).toBe('memsched.front');
    const dangling = join(dir, 'dangling.json');
    symlinkSync(join(dir, 'nothing.json'), dangling);
    refused(
      memsched('explore', model, '-o', dangling),
      /dangling\.json: cannot write: a symbolic link to nothing/,
    );
    expect(existsSync(join(dir, 'nothing.json'))).toBe(false);
  });

  it('checks outputs before the long work', () => {
    const missing = join(dir, 'no', 'such');
    // a search of VGG-16 takes minutes: these end at once
    for (const args of [
      ['explore', 'zoo:vgg16', '-o', join(missing, 'f.json')],
      ['explore', 'zoo:vgg16', '--plot', join(missing, 'f.svg')],
      ['explore', 'zoo:vgg16', '--budget', '1MiB', '--graph', join(missing, 'f.svg')],
      ['report', 'zoo:vgg16', '-o', join(missing, 'r.html')],
    ]) {
      const t0 = Date.now();
      refused(memsched(...args), /no\/such\/.*: cannot write: ENOENT$/);
      expect(Date.now() - t0).toBeLessThan(20000);
    }
    // eval prints its table only when the graph can be written
    refused(
      memsched('eval', model, '--baseline', '--graph', join(missing, 'g.svg')),
      /cannot write: ENOENT$/,
    );
    // verify refuses -o before it looks for a compiler
    const r = spawnSync(
      process.execPath,
      [
        join(import.meta.dirname, '../../dist/cli/main.js'),
        'verify',
        model,
        '--schedule',
        schedule,
        '-o',
        join(missing, 'v.json'),
      ],
      { encoding: 'utf8', env: { ...process.env, CC: join(dir, 'no-such-cc') } },
    );
    refused({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }, /v\.json: cannot write: ENOENT$/);
    // codegen refuses a folder it cannot make before it generates (here: before the schedule meets the model)
    refused(
      memsched('codegen', 'zoo:vgg16', '--schedule', schedule, '-o', join(fifo, 'c')),
      /fifo\/c: -o: the parent is not a folder$/,
    );
  });
});
