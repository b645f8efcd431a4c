import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrontFile } from '../../src/formats/front.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { baselineSchedule, evaluateSchedule } from '../../src/model/evaluate.js';
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
    expect(r.stdout).toMatch(/segments of up to 2 layers fused/);
    expect(r.stdout).toMatch(/chosen for the budget 1 KiB \(\*\): point \d+/);
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    expect(front.format).toBe('memsched.front');
    expect(front.segmentSets).toBe('dag');
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

  it('adds streaming schedules (strips, raster line buffers): the simulator and both C builds agree', () => {
    const out = join(dir, 'streaming.json');
    expect(memsched('explore', simple, '--width', '2', '-o', out).code).toBe(0);
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    const streamed = front.front.flatMap((p, i) =>
      p.schedule.segments.some((s) => s.strips !== undefined) ? [i] : [],
    );
    expect(streamed.length).toBeGreaterThan(0);
    for (const i of streamed) {
      const ev = memsched('eval', simple, '--schedule', out, '--point', String(i), '--check');
      expect(ev.code).toBe(0);
      expect(ev.stdout).toMatch(/simulator check: 1 of 1 segments simulated and equal to the prediction/);
    }
    // the verification C build and the release build run them as predicted
    const v = memsched('verify', simple, '--front', out, '--points', String(streamed[0]));
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/: ok; output max \|error\|/);
    const rel = memsched(
      'verify',
      simple,
      '--front',
      out,
      '--points',
      String(streamed[0]),
      '--release',
      '--json',
    );
    expect(rel.stderr).toBe('');
    expect(rel.code).toBe(0);
    const [p] = (JSON.parse(rel.stdout) as { points: { ok: boolean; mismatches: string[] }[] }).points;
    expect(p!.mismatches).toEqual([]);
    expect(p!.ok).toBe(true);
    // without them, no point has strips
    const none = join(dir, 'no-streaming.json');
    expect(memsched('explore', simple, '--width', '2', '--max-strips', '0', '-o', none).code).toBe(0);
    const plain = JSON.parse(readFileSync(none, 'utf8')) as FrontFile;
    expect(plain.front.some((p) => p.schedule.segments.some((s) => s.strips !== undefined))).toBe(false);
    expect(plain.front.at(-1)!.accesses).toBeGreaterThanOrEqual(front.front.at(-1)!.accesses);
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
    expect(r.stdout).toMatch(
      /segments of up to 4 layers fused, intermediates with their own levels in segments up to 4 layers without recomputation/,
    );
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    expect(front.maxRecompute).toBe(1);
    const net = loadNetwork('zoo:traffic');
    const least = evaluateSchedule(net, baselineSchedule(net, 1)).macs;
    expect(front.front.every((p) => p.macs === least)).toBe(true);
    expect(front.front.some((p) => p.segments < net.layers.length)).toBe(true);
    expect(memsched('explore', simple, '--max-recompute', '0.5').stderr).toMatch(
      /--max-recompute: expected a factor of at least 1 \(1: no recomputation\) or none \(no limit\), got '0.5'/,
    );
  });

  it('gives intermediates their own levels up to 4 layers by default on networks of at most 8 layers only', () => {
    const small = memsched('explore', 'zoo:traffic', '--space', 'seed', '--budget', '64KiB');
    expect(small.stdout).toMatch(
      /segments of up to 4 layers fused, intermediates with their own levels in segments up to 4 layers/,
    );
    // the chosen point's tiles grown within the budget (src/dse/retile.ts): 8x fewer steps
    expect(small.stdout).toContain(
      'its loops take 73,600 innermost steps; with larger tiles within the budget, 9,200 for no more accesses',
    );
    // AlexNet has 12 layers: pairs only, unless told
    const large = memsched(
      'explore',
      'zoo:alexnet',
      '--space',
      'seed',
      '--max-fuse',
      '3',
      '--budget',
      '1MiB',
    );
    expect(large.code).toBe(0);
    expect(large.stdout).not.toMatch(/their own levels/);
  });

  it('gives intermediates their own levels in deeper segments when told', () => {
    const own = join(dir, 'own-levels.json');
    const r = memsched('explore', 'zoo:traffic', '--space', 'seed', '--own-levels', '4', '-o', own);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/intermediates with their own levels in segments up to 4 layers/);
    const front = JSON.parse(readFileSync(own, 'utf8')) as FrontFile;
    expect(front.ownLevelsUpTo).toBe(4);
    const net = loadNetwork('zoo:traffic');
    const intermediates = (s: FrontFile['front'][number]['schedule']['segments'][number]) =>
      s.layers.slice(0, -1).map((l) => `${s.buffers[l]!.store}/${s.buffers[l]!.fill}`);
    // some point fuses three layers or more with intermediates at different levels (shared levels cannot)
    expect(
      front.front.some((p) =>
        p.schedule.segments.some((s) => s.layers.length > 2 && new Set(intermediates(s)).size > 1),
      ),
    ).toBe(true);
    for (const p of front.front.slice(0, 20)) {
      const e = evaluateSchedule(net, p.schedule);
      expect([e.onChipBytes, e.dramAccesses]).toEqual([p.bytes, p.accesses]);
    }
  });

  it('caps recomputation at 1.1x each segment’s least MACs by default; none lifts the cap', () => {
    const capped = join(dir, 'capped.json');
    const free = join(dir, 'free.json');
    const r = memsched('explore', 'zoo:traffic', '--space', 'seed', '--budget', '64KiB', '-o', capped);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /segments of up to 4 layers fused, intermediates with their own levels in segments up to 4 layers, each computing at most 1\.1x its least MACs/,
    );
    const n = memsched('explore', 'zoo:traffic', '--space', 'seed', '--max-recompute', 'none', '-o', free);
    expect(n.code).toBe(0);
    expect(n.stdout).toMatch(
      /segments of up to 4 layers fused, intermediates with their own levels in segments up to 4 layers, recomputation not limited/,
    );
    const net = loadNetwork('zoo:traffic');
    const base = evaluateSchedule(net, baselineSchedule(net, 1));
    // the least MACs of a segment: each of its layers computed once, as layer by layer
    const leastOf = new Map(base.segments.map((s, k) => [net.layers[k]!.name, s.macs]));
    const worst = (f: FrontFile) =>
      Math.max(
        ...f.front.flatMap((p) => {
          const e = evaluateSchedule(net, p.schedule);
          expect(e.macs).toBe(p.macs);
          return p.schedule.segments.map((s, k) => {
            const least = s.layers.reduce((m, l) => m + leastOf.get(l)!, 0);
            if (s.layers.length === 1 || least === 0) expect(e.segments[k]!.macs).toBe(least);
            // layers without MACs (slices) compute nothing however often they run
            return least === 0 ? 1 : e.segments[k]!.macs / least;
          });
        }),
      );
    const withCap = JSON.parse(readFileSync(capped, 'utf8')) as FrontFile;
    const without = JSON.parse(readFileSync(free, 'utf8')) as FrontFile;
    expect(withCap.maxRecompute).toBe(1.1);
    expect(without.maxRecompute).toBe('none');
    expect(withCap.baseline.macs).toBe(base.macs);
    // the cap binds: without it fused segments recompute several times over
    expect(worst(without)).toBeGreaterThan(5);
    expect(worst(withCap)).toBeGreaterThan(1);
    expect(worst(withCap)).toBeLessThanOrEqual(1.1);
    expect(withCap.front.some((p) => p.schedule.segments.some((s) => s.layers.length === 2))).toBe(true);
  });

  it('prints per point its segments, deepest fused segment, MACs and recompute factor', () => {
    const out = join(dir, 'table.json');
    const r = memsched('explore', simple, '--budget', '1KiB', '-o', out);
    expect(r.code).toBe(0);
    const front = JSON.parse(readFileSync(out, 'utf8')) as FrontFile;
    const lines = r.stdout.split('\n');
    const header = lines.find((l) => l.includes('DRAM accesses') && l.includes('#'))!;
    expect(header.trim().split(/\s{2,}/)).toEqual([
      '#',
      'on chip',
      'DRAM accesses',
      'DRAM bytes',
      'x baseline accesses',
      'segments',
      'max fused',
      'MACs',
      'recompute',
    ]);
    const rows = lines
      .filter((l) => /^[* ] +\d+ /.test(l))
      .map((l) =>
        l
          .slice(1)
          .trim()
          .split(/\s{2,}/),
      );
    expect(rows.length).toBeGreaterThan(10);
    let fused = 0;
    for (const row of rows) {
      const p = front.front[Number(row[0])]!;
      const depth = Math.max(...p.schedule.segments.map((s) => s.layers.length));
      if (depth > 1) fused++;
      expect(row.slice(5)).toEqual([
        String(p.schedule.segments.length),
        String(depth),
        p.macs.toLocaleString('en-US'),
        `${(p.macs / front.baseline.macs!).toFixed(2)}x`,
      ]);
    }
    expect(fused).toBeGreaterThan(0);
    // SimpleNet's MACs, every element computed once (its two convolutions: 170,784)
    expect(front.baseline.macs).toBe(170784);
    expect(r.stdout).toContain('recompute: its MACs over 170,784 (every element computed once)');
    const chosen = front.front[front.chosen!]!;
    expect(r.stdout).toContain(
      `; ${chosen.macs.toLocaleString('en-US')} MACs (${(chosen.macs / 170784).toFixed(2)}x)`,
    );
  });

  it('searches only runs of the layer order when told (--segments runs), and says so', () => {
    const runs = join(dir, 'runs.json');
    const r = memsched('explore', simple, '--segments', 'runs', '-o', runs);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/segments of up to 2 layers fused, runs of the layer order only/);
    expect((JSON.parse(readFileSync(runs, 'utf8')) as FrontFile).segmentSets).toBe('runs');
  });

  it('searches segments with several outputs when told (--max-fuse-outputs N), and says so', () => {
    const out = join(dir, 'outputs.json');
    const r = memsched('explore', simple, '--max-fuse-outputs', '2', '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /those with several outputs \(an intermediate read after the segment too\) up to 2/,
    );
    expect((JSON.parse(readFileSync(out, 'utf8')) as FrontFile).maxFuseOutputs).toBe(2);
    // 0 (the default) searches none and says nothing
    const none = memsched('explore', simple, '--max-fuse-outputs', '0');
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/several outputs/);
    expect(memsched('explore', simple, '--max-fuse-outputs', '1.5').stderr).toBe(
      "memsched: error: --max-fuse-outputs: expected a whole number (0: none), got '1.5'\n",
    );
  });

  it('refuses options that do not exist yet or are malformed', () => {
    expect(memsched('explore', simple, '--max-fuse', '0').stderr).toMatch(
      /--max-fuse: expected a positive integer, got '0'/,
    );
    expect(memsched('explore', simple, '--max-fuse-joins', '2.5').stderr).toMatch(
      /--max-fuse-joins: expected a positive integer, got '2.5'/,
    );
    expect(memsched('explore', simple, '--own-levels', '0').stderr).toMatch(
      /--own-levels: expected a positive integer, got '0'/,
    );
    expect(memsched('explore', simple, '--budget', 'lots').stderr).toMatch(/--budget: expected a size/);
    expect(memsched('explore', simple, '--space', 'tiny').stderr).toMatch(/--space: expected full or seed/);
    expect(memsched('explore', simple, '--segments', 'chains').stderr).toBe(
      "memsched: error: --segments: expected dag or runs, got 'chains'\n",
    );
    for (const [command, value] of [
      ['explore', 'lots'],
      ['explore', '0.99'],
      ['report', 'unlimited'],
    ]) {
      const extra = command === 'report' ? ['-o', join(dir, 'r.html')] : [];
      const r = memsched(command!, simple, '--max-recompute', value!, ...extra);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `memsched: error: --max-recompute: expected a factor of at least 1 (1: no recomputation) or none (no limit), got '${value}'\n`,
      );
    }
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });
});

describe('memsched explore is deterministic', () => {
  it('writes the same front with one and with two search processes', () => {
    const one = join(dir, 'one.json');
    const two = join(dir, 'two.json');
    expect(memsched('explore', 'zoo:traffic', '--space', 'seed', '--threads', '1', '-o', one).code).toBe(0);
    expect(memsched('explore', 'zoo:traffic', '--space', 'seed', '--threads', '2', '-o', two).code).toBe(0);
    const strip = (f: string) => JSON.parse(readFileSync(f, 'utf8')).front;
    expect(strip(two)).toEqual(strip(one));
  });

  it('does so where segments ending at one layer share their tables (suffix groups, residual blocks)', () => {
    const one = join(dir, 'res-one.json');
    const two = join(dir, 'res-two.json');
    const args = ['explore', 'zoo:resnet18', '--max-fuse', '4'];
    expect(memsched(...args, '--threads', '1', '-o', one).code).toBe(0);
    expect(memsched(...args, '--threads', '2', '-o', two).code).toBe(0);
    const front = (f: string) => JSON.parse(readFileSync(f, 'utf8')).front;
    expect(front(one).length).toBeGreaterThan(100);
    expect(front(two)).toEqual(front(one));
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
