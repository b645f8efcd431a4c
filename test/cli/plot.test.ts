import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrontFile } from '../../src/formats/front.js';
import { memsched, shared } from './helpers.js';

const simple = join(shared, 'networks/caffe/simple/simple.prototxt');
const dir = mkdtempSync(join(tmpdir(), 'memsched-plot-'));

/** A front file by hand: `points` as [on-chip bytes, DRAM accesses]. */
function frontFile(name: string, network: string, elementBytes: 1 | 4, points: [number, number][]): string {
  const file: FrontFile = {
    format: 'memsched.front',
    version: 1,
    network,
    space: 'seed',
    elementBytes,
    front: points.map(([bytes, accesses]) => ({
      bytes,
      accesses,
      macs: 10,
      segments: 1,
      schedule: { format: 'memsched.schedule', version: 1, network, elementBytes, segments: [] },
    })),
    baseline: { bytes: 8192, accesses: 900 },
    lowerBound: { accesses: 500 },
    segmentsSearched: 1,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(file));
  return path;
}

const a = frontFile('a.json', 'netA', 1, [
  [64, 3000],
  [256, 1500],
  [1024, 900],
]);
const b = frontFile('b.json', 'netA', 4, [
  [256, 3000],
  [4096, 900],
]);

const symbols = (svg: string) => {
  const start = svg.indexOf('role-mark front_points_marks"');
  return svg.slice(start, svg.indexOf('</g>', start)).split('<path').length - 1;
};

/** One line on stderr, exit 2, no output file and no temporary file left. */
function refused(args: string[], message: RegExp, out?: string): void {
  const r = memsched(...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  if (out) expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('memsched explore --plot', () => {
  it('writes the plot of the explored front beside its file', () => {
    const json = join(dir, 'simple.json');
    const svg = join(dir, 'simple.svg');
    const r = memsched('explore', simple, '--budget', '1KiB', '-o', json, '--plot', svg);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chosen for the budget 1 KiB/);
    const front = JSON.parse(readFileSync(json, 'utf8')) as FrontFile;
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('>Pareto front: SimpleNet<');
    expect(text).toContain('>SimpleNet (full, 1-byte)<');
    expect(text).toContain('>budget 1 KiB<');
    expect(symbols(text)).toBe(front.front.length);
  });

  it('refuses a plot it cannot write before searching', () => {
    refused(
      ['explore', simple, '--plot', join(dir, 'x.pdf')],
      /--plot: expected a file ending in \.svg or \.png, got '.*x\.pdf'/,
      join(dir, 'x.pdf'),
    );
  });
});

describe('memsched plot', () => {
  it('overlays front files in a PNG', () => {
    const out = join(dir, 'ab.png');
    const r = memsched('plot', a, b, '--labels', 'int8, fp32', '--y', 'bytes', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const png = readFileSync(out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBeGreaterThan(1000);
  });

  it('labels fronts by their file names in an SVG', () => {
    const out = join(dir, 'ab.svg');
    expect(memsched('plot', a, b, '-o', out).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(symbols(text)).toBe(5);
    expect(text).toContain('>a<');
    // the same baseline in elements: drawn once
    expect(text).toContain('>baseline<');
    expect(text).toContain('>DRAM accesses (elements)<');
  });

  it('reads front files older than the recomputation cap and the least MACs (no limit, factors unknown)', () => {
    // a and b record neither maxRecompute nor baseline.macs, as files of earlier versions
    const out = join(dir, 'old.svg');
    const r = memsched('plot', a, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(symbols(text)).toBe(3);
    expect(text).toContain('>deepest fused segment (layers)<');
  });

  it('refuses a front file whose recomputation cap or least MACs is not one', () => {
    const out = join(dir, 'cap.svg');
    const good = JSON.parse(readFileSync(a, 'utf8')) as FrontFile;
    const capped = join(dir, 'capped.json');
    writeFileSync(
      capped,
      JSON.stringify({ ...good, maxRecompute: 'none', baseline: { ...good.baseline, macs: 10 } }),
    );
    expect(memsched('plot', capped, '-o', join(dir, 'capped.svg')).code).toBe(0);
    for (const [name, edit, message] of [
      [
        'cap-low.json',
        { maxRecompute: 0.5 },
        /cap-low\.json: broken front file: maxRecompute: expected a factor of at least 1 or "none", got 0\.5/,
      ],
      [
        'cap-word.json',
        { maxRecompute: 'all' },
        /cap-word\.json: broken front file: maxRecompute: expected a factor of at least 1 or "none", got "all"/,
      ],
      [
        'macs.json',
        { baseline: { ...good.baseline, macs: -3 } },
        /macs\.json: broken front file: baseline\.macs: expected a positive count, got -3/,
      ],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, JSON.stringify({ ...good, ...edit }));
      refused(['plot', file, '-o', out], message, out);
    }
  });

  it('refuses bad flags and files in one line, writing nothing', () => {
    const out = join(dir, 'bad.svg');
    const notJson = join(dir, 'notes.json');
    writeFileSync(notJson, 'front: yes');
    const schedule = join(dir, 'schedule.json');
    writeFileSync(schedule, JSON.stringify({ format: 'memsched.schedule', version: 1 }));
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ format: 'memsched.front', version: 1, front: [] }));
    refused(['plot', a, '-o', join(dir, 'p.jpg')], /-o: expected a file ending in \.svg or \.png/);
    refused(['plot', a], /'plot' needs -o FILE/);
    refused(['plot', '-o', out], /'plot' takes one or more front files/, out);
    refused(['plot', a, b, '--labels', 'one', '-o', out], /--labels: 1 labels for 2 front files/, out);
    refused(['plot', a, b, '--labels', 'x,x', '-o', out], /--labels: 'x' given twice/, out);
    refused(['plot', a, '--y', 'joules', '-o', out], /--y: expected accesses or bytes, got 'joules'/, out);
    refused(['plot', a, join(dir, 'missing.json'), '-o', out], /missing\.json: no such file/, out);
    refused(['plot', notJson, '-o', out], /notes\.json: not a front file \(not JSON/, out);
    refused(
      ['plot', a, schedule, '-o', out],
      /schedule\.json: not a front file \(format 'memsched\.front'/,
      out,
    );
    refused(['plot', empty, '-o', out], /empty\.json: broken front file: no points/, out);
    refused(['plot', a, '-o', join(dir, 'no/such/dir/p.svg')], /p\.svg: cannot write: ENOENT/);
  });
});
