import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNetwork } from '../../src/frontends/index.js';
import { baselineSchedule, evaluateSchedule } from '../../src/model/evaluate.js';
import type { FrontFile } from '../../src/report/front.js';
import { memsched, repo, shared } from './helpers.js';

const simple = join(shared, 'networks/caffe/simple/simple.prototxt');
const dir = mkdtempSync(join(tmpdir(), 'memsched-explore-'));

describe('memsched explore', () => {
  it('prints the front, picks the point for the budget and writes schedules eval agrees with', () => {
    const out = join(dir, 'front.json');
    const r = memsched('explore', simple, '--budget', '1KiB', '--width', '2', '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/front: \d+ points \(predicted by the model\)/);
    expect(r.stdout).toMatch(/chains of up to 2 layers fused/);
    expect(r.stdout).toMatch(/chosen for the budget 1 KiB \(\*\): point \d+/);
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    expect(front.format).toBe('memsched.front');
    const net = loadNetwork(simple);
    let prev: { bytes: number; accesses: number } | undefined;
    for (const p of front.front) {
      const e = evaluateSchedule(net, p.schedule);
      expect([e.onChipBytes, e.dramAccesses, e.macs]).toEqual([p.bytes, p.accesses, p.macs]);
      if (prev) expect(p.bytes > prev.bytes && p.accesses < prev.accesses).toBe(true);
      prev = p;
    }
    const chosen = front.front[front.chosen!]!;
    expect(chosen.bytes).toBeLessThanOrEqual(1024);
    expect(front.front[front.chosen! + 1]?.bytes ?? Number.POSITIVE_INFINITY).toBeGreaterThan(1024);
    // fusing conv1 and conv2 goes below the layer-by-layer floor (the baseline's accesses), with less
    // memory than the baseline; the lower bound is reached: input, weights and output moved once
    expect(front.front.at(-1)!.accesses).toBeLessThan(front.baseline.accesses);
    expect(front.front.at(-1)!.accesses).toBe(front.lowerBound.accesses);
    expect(front.front.at(-1)!.bytes).toBeLessThan(front.baseline.bytes);
    expect(front.front.at(-1)!.segments).toBe(1);
    const ev = memsched('eval', simple, '--schedule', out);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toContain(`(${chosen.bytes.toLocaleString('en-US')} B, largest segment)`);
  });

  it('says when the budget is too small, and what the smallest schedule needs', () => {
    const r = memsched('explore', simple, '--budget', '8B');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--budget: 8 B is below the smallest feasible schedule \(\d+ B\)/);
  });

  it('keeps to a recomputation limit: with 1, every point computes the network’s MACs once', () => {
    const out = join(dir, 'no-recompute.json');
    const r = memsched('explore', 'zoo:traffic', '--max-recompute', '1', '--space', 'seed', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/chains of up to 8 layers fused without recomputation/);
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    expect(front.maxRecompute).toBe(1);
    const net = loadNetwork('zoo:traffic');
    const least = evaluateSchedule(net, baselineSchedule(net, 1)).macs;
    expect(front.front.every((p) => p.macs === least)).toBe(true);
    expect(front.front.some((p) => p.segments < net.layers.length)).toBe(true);
    expect(memsched('explore', simple, '--max-recompute', '0.5').stderr).toMatch(
      /--max-recompute: expected a factor of at least 1 \(1: no recomputation\), got '0.5'/,
    );
  });

  it('refuses options that do not exist yet or are malformed', () => {
    expect(memsched('explore', simple, '--max-fuse', '0').stderr).toMatch(
      /--max-fuse: expected a positive integer, got '0'/,
    );
    expect(memsched('explore', simple, '--budget', 'lots').stderr).toMatch(/--budget: expected a size/);
    expect(memsched('explore', simple, '--space', 'tiny').stderr).toMatch(/--space: expected full or seed/);
  });
});

describe('memsched explore is deterministic', () => {
  it('writes the same front with one and with two worker threads', () => {
    const one = join(dir, 'one.json');
    const two = join(dir, 'two.json');
    expect(memsched('explore', 'zoo:traffic', '--space', 'seed', '--threads', '1', '-o', one).code).toBe(0);
    expect(memsched('explore', 'zoo:traffic', '--space', 'seed', '--threads', '2', '-o', two).code).toBe(0);
    const strip = (f: string) => JSON.parse(readFileSync(f, 'utf8')).front;
    expect(strip(two)).toEqual(strip(one));
  });
});

describe('memsched explore interrupted', () => {
  it('stops on Ctrl-C with exit code 130 and leaves no front file', async () => {
    const out = join(dir, 'interrupted.json');
    const child = spawn(process.execPath, [
      join(repo, 'dist/cli/main.js'),
      'explore',
      'zoo:vgg16',
      '-o',
      out,
    ]);
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    setTimeout(() => child.kill('SIGINT'), 1500);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/memsched: interrupted/);
    expect(existsSync(out)).toBe(false);
  });
});
