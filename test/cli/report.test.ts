import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrontFile } from '../../src/formats/front.js';
import type { ReportData } from '../../src/report/html-data.js';
import { memsched, shared } from './helpers.js';

const simple = join(shared, 'networks/caffe/simple/simple.prototxt');
const dir = mkdtempSync(join(tmpdir(), 'memsched-report-'));
const frontPath = join(dir, 'simple.json');
const explored = memsched('explore', simple, '--budget', '1KiB', '-o', frontPath);
const front = JSON.parse(readFileSync(frontPath, 'utf8')) as FrontFile;

const verifyPoint = (point: number | null, ok = true) => ({
  point,
  ok,
  output: { maxAbsError: 0, maxRelError: 0 },
  tensors: [
    {
      buffer: 'data@conv1',
      tensor: 'data',
      predictedReads: 400,
      measuredReads: 400,
      predictedWrites: 0,
      measuredWrites: 0,
    },
  ],
  macs: { predicted: 170784, measured: 170784 },
  scratchpadBytes: { predicted: 1017, measured: 1017 },
  buildSeconds: 0.4,
  runSeconds: 0.002,
});

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const verifyPath = write('verify.json', {
  format: 'memsched.verify',
  version: 1,
  network: 'SimpleNet',
  elementBytes: 1,
  points: [verifyPoint(3), verifyPoint(null, false)],
});

/** The data the page reads, from the report file. */
function dataOf(html: string): ReportData {
  const m = /<script type="application\/json" id="memsched-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m![1]!) as ReportData;
}

/** One line on stderr, exit 2, no output file and no temporary file left. */
function refused(args: string[], message: RegExp, out?: string): void {
  const r = memsched(...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(message);
  if (out) expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('memsched report', () => {
  it('writes one self-contained page from a front file and a verify file', () => {
    expect(explored.code).toBe(0);
    const out = join(dir, 'report.html');
    const r = memsched('report', simple, '--front', frontPath, '--verify', verifyPath, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^wrote .*report\\.html \\(\\d+\\.\\d+ KiB\\): ${front.front.length} points of SimpleNet, point ${front.chosen} selected, 2 measured \\(verify file\\)\\n$`,
      ),
    );
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // nothing loaded from elsewhere
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/i);
    expect(html).toContain('<div id="graph"><svg');
    expect(html).toContain('id="layer&#45;0"');
    const data = dataOf(html);
    expect(data.points).toHaveLength(front.front.length);
    expect(data.selected).toBe(front.chosen);
    expect(data.points.map((p) => [p[0], p[1], p[2]])).toEqual(
      front.front.map((p) => [p.bytes, p.accesses, p.macs]),
    );
    expect(data.verify.map((v) => [v.point, v.ok])).toEqual([
      [3, true],
      [null, false],
    ]);
    expect(data.network.totals.macs).toBe(170784);
  });

  it('explores itself without a front file, and selects the point of the budget', () => {
    const out = join(dir, 'own.html');
    const r = memsched('report', simple, '--budget', '1KiB', '--width', '1', '--threads', '1', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const data = dataOf(readFileSync(out, 'utf8'));
    expect(data.points.map((p) => [p[0], p[1], p[2]])).toEqual(
      front.front.map((p) => [p.bytes, p.accesses, p.macs]),
    );
    expect(data.chosen).toBe(front.chosen);
    expect(data.budgetBytes).toBe(1024);
    // searched as explore does, with its default recomputation cap, which the page names
    expect(data.leastMacs).toBe(170784);
    expect(readFileSync(out, 'utf8')).toContain(
      'segments of up to 2 layers fused, each computing at most 1.1x its least MACs). Computing every element once takes 170,784 MACs',
    );
    const free = join(dir, 'free.html');
    expect(memsched('report', simple, '--max-recompute', 'none', '--threads', '1', '-o', free).code).toBe(0);
    expect(readFileSync(free, 'utf8')).toContain(
      'segments of up to 2 layers fused, recomputation not limited)',
    );
    expect(dataOf(readFileSync(free, 'utf8')).points.length).not.toBe(data.points.length);
  });

  it('refuses bad front and verify files with one line, writing nothing', () => {
    const out = join(dir, 'bad.html');
    refused(
      ['report', simple, '--front', write('x.json', '{"format": "memsched.front"'), '-o', out],
      /x\.json: not a front file \(not JSON/,
      out,
    );
    refused(
      ['report', 'zoo:traffic', '--front', frontPath, '-o', out],
      /simple\.json: the front is of network 'SimpleNet', not 'traffic'$/,
      out,
    );
    const stale = structuredClone(front);
    stale.front[1]!.accesses += 1;
    refused(
      ['report', simple, '--front', write('stale.json', stale), '-o', out],
      /stale\.json: point 1: the file says .*stale front file/,
      out,
    );
    const staleLeast = structuredClone(front);
    staleLeast.baseline.macs = 170785;
    refused(
      ['report', simple, '--front', write('stale-macs.json', staleLeast), '-o', out],
      /stale-macs\.json: baseline\.macs: the file says 170785; the model predicts 170784 \(a stale front file\? explore again\)$/,
      out,
    );
    const edited = structuredClone(front);
    (edited.front[2]!.schedule.segments[0]!.tile as unknown as Record<string, unknown>)['y'] = 'all';
    refused(
      ['report', simple, '--front', write('edited.json', edited), '-o', out],
      /edited\.json: point 2: segments\[0\]\.tile\.y: expected an integer, got "all"$/,
      out,
    );
    refused(
      ['report', simple, '--front', frontPath, '--verify', write('v.json', '[]'), '-o', out],
      /v\.json: not a verify file/,
      out,
    );
    const v = JSON.parse(readFileSync(verifyPath, 'utf8'));
    delete v.points[1].tensors[0].measuredWrites;
    refused(
      ['report', simple, '--front', frontPath, '--verify', write('v2.json', v), '-o', out],
      /v2\.json: points\[1\]\.tensors\[0\]\.measuredWrites: expected a number >= 0, got nothing$/,
      out,
    );
    v.points[1].tensors[0].measuredWrites = 0;
    v.elementBytes = 4;
    refused(
      ['report', simple, '--front', frontPath, '--verify', write('v3.json', v), '-o', out],
      /v3\.json: elementBytes: the verify file measured 4-byte elements, the front has 1-byte elements$/,
      out,
    );
    refused(
      ['report', simple, '--verify', join(dir, 'none.json'), '-o', out],
      /none\.json: no such file$/,
      out,
    );
  });

  it('refuses bad flags before any search', () => {
    const out = join(dir, 'flags.html');
    refused(['report', simple], /'report' needs -o FILE \(\.html\)/);
    refused(['report', simple, '-o', join(dir, 'r.pdf')], /-o: expected a file ending in \.html/);
    refused(
      ['report', simple, '--front', frontPath, '--space', 'seed', '-o', out],
      /--space: applies when report searches/,
      out,
    );
    refused(
      ['report', simple, '--front', frontPath, '--width', '2', '-o', out],
      /--width: the front file has 1-byte elements, not 2$/,
      out,
    );
    refused(
      ['report', simple, '--front', frontPath, '--budget', '10B', '-o', out],
      /--budget: 10 B is below the smallest feasible schedule/,
      out,
    );
    refused(['report', simple, simple, '-o', out], /'report' takes one model/, out);
  });
});

describe('--graph', () => {
  it('draws the evaluated schedule with its segments and predicted traffic', () => {
    const svg = join(dir, 'eval.svg');
    const r = memsched('eval', simple, '--schedule', frontPath, '--point', '0', '--graph', svg);
    expect(r.code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('<title>conv1</title>');
    expect(text).toMatch(/id="layer&#45;1" class="node">\s*<title>conv2<\/title>/);
    expect(text).toMatch(/>predicted DRAM: [\d.]+k?<\/text>/);
    const dot = join(dir, 'eval.dot');
    expect(memsched('eval', simple, '--baseline', '--graph', dot).code).toBe(0);
    // the baseline reads each input, weights and output once: conv1 400 + 80 + writes 2,592
    expect(readFileSync(dot, 'utf8')).toContain('predicted DRAM: 3.07k');
  });

  it('draws the point explore chose, and needs a budget for it', () => {
    const png = join(dir, 'chosen.png');
    const r = memsched('explore', simple, '--budget', '1KiB', '--graph', png);
    expect(r.code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    refused(
      ['explore', simple, '--graph', join(dir, 'g.svg')],
      /--graph draws the point chosen for the budget: give --budget SIZE$/,
    );
    refused(
      ['eval', simple, '--baseline', '--graph', join(dir, 'g.pdf')],
      /--graph: expected a file ending in \.svg, \.png or \.dot/,
    );
  });
});
