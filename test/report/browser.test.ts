// The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core. It loads the
// file offline, a point of the front is clicked, and the page must show that point's numbers as the
// model predicts them. Screenshots go to test-artifacts/; MEMSCHED_UPDATE_DOCS=1 also writes docs/report.png.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontFile } from '../../src/formats/front.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { nestInput } from '../../src/lower/input.js';
import { baselineSchedule, evaluateSchedule } from '../../src/model/evaluate.js';
import { checkSchedule } from '../../src/model/validate.js';
import { layerTraffic, segmentColour, trafficNote } from '../../src/report/graph.js';
import { loopNest } from '../../src/report/page/loopnest.js';
import { grouped } from '../../src/report/table.js';
import { memsched, repo } from '../cli/helpers.js';

const chromiumPath = '/usr/bin/chromium';
// CI installs Chromium; a machine without it skips this file, saying so, instead of failing it.
const hasChromium = existsSync(chromiumPath);
if (!hasChromium)
  console.warn(
    `browser test skipped: no Chromium at ${chromiumPath} (Debian: apt-get install chromium; CI installs it)`,
  );
const artifacts = join(repo, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const frontPath = join(artifacts, 'traffic-front.json');
const reportPath = join(artifacts, 'report-traffic.html');
const verifiedPath = join(artifacts, 'report-traffic-verified.html');
const net = loadNetwork('zoo:traffic');
const leastMacs = evaluateSchedule(net, baselineSchedule(net, 1)).macs;

let browser: Browser;
let front: FrontFile;

/** A page of the report with everything that went wrong in it collected. */
async function open(file: string, hash = ''): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(file).href + hash);
  await page.waitForSelector('[data-field="point"]');
  return { page, problems };
}

const field = (page: Page, name: string) => page.locator(`[data-field="${name}"]`).textContent();

/** The numbers the page must show for point i, from the model. */
function expected(i: number) {
  const sched = front.front[i]!.schedule;
  const result = evaluateSchedule(net, sched);
  const segments = checkSchedule(net, sched);
  return { sched, result, segments, traffic: layerTraffic(segments, result.segments) };
}

async function expectPointShown(page: Page, i: number): Promise<void> {
  const { sched, result, segments, traffic } = expected(i);
  await expect.poll(() => field(page, 'point')).toBe(String(i));
  expect(await field(page, 'segments')).toBe(String(sched.segments.length));
  expect(await field(page, 'onChipBytes')).toBe(grouped(result.onChipBytes));
  expect(await field(page, 'dramAccesses')).toBe(grouped(result.dramAccesses));
  expect(await field(page, 'dramReads')).toBe(grouped(result.dramReads));
  expect(await field(page, 'dramWrites')).toBe(grouped(result.dramWrites));
  expect(await field(page, 'macs')).toBe(grouped(result.macs));
  // fused depth and recomputation: from the schedule and the model, the least MACs from the baseline
  const depths = sched.segments.map((s) => s.layers.length);
  expect(await field(page, 'maxFused')).toBe(String(Math.max(...depths)));
  expect(await field(page, 'recompute')).toBe(`${(result.macs / leastMacs).toFixed(2)}x`);
  const segmentRows = await page.$$eval('#segment-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent)),
  );
  expect(segmentRows).toEqual(sched.segments.map((s) => [String(s.layers.length), s.layers.join(' + ')]));
  // the point's row in the table of every point, marked
  const pointRow = await page.$$eval('#point-table tr.selected', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
  );
  expect(pointRow).toEqual([
    [
      `${i}${i === front.chosen ? ' *' : ''}`,
      grouped(result.onChipBytes),
      grouped(result.dramAccesses),
      grouped(result.macs),
      `${(result.macs / leastMacs).toFixed(2)}x`,
      String(depths.length),
      String(Math.max(...depths)),
    ],
  ]);
  // the graph: each layer in its segment's colour with its predicted traffic, node layer-i being
  // layer i (Graphviz writes the nodes in an order of its own)
  const nodes = await page.$$eval('#graph g.node[id^="layer-"]', (gs) =>
    gs.map((g) => {
      const texts = g.querySelectorAll('text');
      return {
        id: g.id,
        name: g.querySelector('title')!.textContent,
        fill: g.querySelector('polygon')!.getAttribute('fill'),
        note: texts[texts.length - 1]!.textContent,
      };
    }),
  );
  const index = (id: string) => Number(id.slice('layer-'.length));
  expect(nodes.sort((a, b) => index(a.id) - index(b.id))).toEqual(
    net.layers.map((l, i) => {
      const segment = sched.segments.findIndex((s) => s.layers.includes(l.name));
      return {
        id: `layer-${i}`,
        name: l.name,
        fill: segmentColour(segment),
        note: trafficNote(traffic.get(l.name)!),
      };
    }),
  );
  // per tensor: reads and writes summed over the buffers holding it
  const tensors = new Map<string, [number, number]>();
  segments.forEach((seg, k) => {
    for (const b of seg.buffers) {
      const r = result.segments[k]!.buffers.find((x) => x.id === b.id)!;
      const name = b.role === 'weights' ? `${b.tensor} (weights)` : b.tensor;
      const t = tensors.get(name) ?? [0, 0];
      tensors.set(name, [t[0] + r.dramReads, t[1] + r.dramWrites]);
    }
  });
  const rows = await page.$$eval('#tensor-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)),
  );
  expect(rows).toEqual(
    [...tensors].filter(([, [r, w]]) => r + w > 0).map(([name, [r, w]]) => [name, grouped(r), grouped(w)]),
  );
  // the loop nest opened first: the largest segment's
  const largest = result.segments.reduce(
    (m, s, k) => (s.onChipBytes > result.segments[m]!.onChipBytes ? k : m),
    0,
  );
  const s = sched.segments[largest]!;
  const nest = loopNest(nestInput(segments[largest]!, s, result.segments[largest]!, sched.elementBytes));
  expect(await page.locator(`#nest-${largest}[open] pre`).textContent()).toBe(nest);
}

/** The README's picture: the whole space searched, the chosen point, the graph and segments below the front. */
async function drawDocsPicture(): Promise<void> {
  const full = join(artifacts, 'report-traffic-full.html');
  const r = memsched('report', 'zoo:traffic', '--budget', '4KiB', '-o', relative(repo, full));
  expect(r.stderr).toBe('');
  const { page, problems } = await open(full);
  await page.setViewportSize({ width: 1400, height: 1400 });
  await page.screenshot({ path: join(repo, 'docs/report.png') });
  expect(problems).toEqual([]);
  await page.close();
}

beforeAll(() => {
  // the paper tool's space searches in seconds, and fuses layers at this budget
  const explored = memsched('explore', 'zoo:traffic', '--budget', '4KiB', '--space', 'seed', '-o', frontPath);
  expect(explored.stderr).toBe('');
  front = JSON.parse(readFileSync(frontPath, 'utf8')) as FrontFile;
  expect(memsched('report', 'zoo:traffic', '--front', frontPath, '-o', reportPath).code).toBe(0);
  // a hand-made verify file: point 7 measured as predicted but for one tensor
  const point = 7;
  const { sched, result } = expected(point);
  const tensors = result.segments.flatMap((seg) =>
    seg.buffers
      .filter((b) => b.dramReads + b.dramWrites > 0)
      .map((b) => ({
        buffer: b.id,
        tensor: b.tensor,
        predictedReads: b.dramReads,
        measuredReads: b.dramReads + (b.id === 'data@conv1' ? 5 : 0),
        predictedWrites: b.dramWrites,
        measuredWrites: b.dramWrites,
      })),
  );
  const verify = {
    format: 'memsched.verify',
    version: 1,
    network: 'traffic',
    elementBytes: sched.elementBytes,
    points: [
      {
        point,
        ok: false,
        output: { maxAbsError: 0.5, maxRelError: 0.01 },
        tensors,
        macs: { predicted: result.macs, measured: result.macs },
        scratchpadBytes: { predicted: result.onChipBytes, measured: result.onChipBytes },
        buildSeconds: 1.5,
        runSeconds: 0.25,
      },
      // a program that did not build: nothing measured (memsched verify writes NaN, which JSON makes null)
      {
        point: point + 1,
        ok: false,
        output: { maxAbsError: null, maxRelError: null },
        tensors: [],
        macs: { predicted: 1, measured: null },
        scratchpadBytes: { predicted: 1, measured: null },
        buildSeconds: 0.1,
        runSeconds: 0,
        mismatches: ['the program did not build'],
        error: 'cc: exit code 1',
      },
    ],
  };
  const verifyPath = join(artifacts, 'traffic-verify.json');
  writeFileSync(verifyPath, JSON.stringify(verify));
  const r = memsched(
    'report',
    'zoo:traffic',
    '--front',
    frontPath,
    '--verify',
    verifyPath,
    '-o',
    verifiedPath,
  );
  expect(r.stderr).toBe('');
}, 60_000);

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!hasChromium)('the HTML report in Chromium', () => {
  it('loads offline without errors, shows the chosen point, and shows a clicked point', async () => {
    const { page, problems } = await open(reportPath);
    await expectPointShown(page, front.chosen!);

    // the point marks of the front, in the order of the points; click the one farthest from its neighbours
    const marks = page.locator('#front .front_points_marks path');
    expect(await marks.count()).toBe(front.front.length);
    const boxes = await marks.evaluateAll((ps) =>
      ps.map((p) => {
        const r = p.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
      }),
    );
    const room = (i: number) =>
      Math.min(
        ...boxes.map((b, j) =>
          j === i ? Number.POSITIVE_INFINITY : Math.hypot(b[0]! - boxes[i]![0]!, b[1]! - boxes[i]![1]!),
        ),
      );
    const target = boxes.reduce((best, _, i) => (i !== front.chosen && room(i) > room(best) ? i : best), 0);
    const [x, y] = boxes[target]!;
    await page.mouse.move(x!, y!);
    await expect.poll(() => page.locator('#tip').isVisible()).toBe(true);
    expect(await page.locator('#tip').textContent()).toContain(`point ${target} (predicted)`);
    const t = front.front[target]!;
    expect(await page.locator('#tip').textContent()).toContain(
      `${grouped(t.macs)} MACs = ${(t.macs / leastMacs).toFixed(2)}x the least`,
    );
    await page.mouse.click(x!, y!);
    await expectPointShown(page, target);
    await page.mouse.move(5, 5);

    // a row of the table of every point selects it
    const other = target === 0 ? 1 : 0;
    await page.locator('#points-details summary').click();
    await page.locator(`#point-table tr[data-point="${other}"]`).click();
    await expectPointShown(page, other);
    await page.locator(`#point-table tr[data-point="${target}"]`).click();
    await expectPointShown(page, target);
    expect(await page.locator('#point-table tbody tr').count()).toBe(front.front.length);
    expect(await page.locator('#front').textContent()).toContain('deepest fused segment (layers)');

    // the buttons walk the front
    const [button, next] = target > 0 ? ['#prev', target - 1] : ['#next', target + 1];
    await page.locator(button).click();
    await expectPointShown(page, next);

    await page.screenshot({ path: join(artifacts, 'report-traffic.png') });
    expect(problems).toEqual([]);
    await page.close();
    if (process.env['MEMSCHED_UPDATE_DOCS']) await drawDocsPicture();
  }, 180_000);

  it('shows measured against predicted for a verified point', async () => {
    const { page, problems } = await open(verifiedPath, '#point=7');
    await expectPointShown(page, 7);
    const verify = page.locator('#verify');
    await expect.poll(() => verify.textContent()).toContain('verification FAILED');
    const row = await page.$$eval('#verify tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    const data = row.find((r) => r[0] === 'data@conv1')!;
    const { result } = expected(7);
    const reads = result.segments[0]!.buffers.find((b) => b.id === 'data@conv1')!.dramReads;
    expect(data).toEqual(['data@conv1', 'data', grouped(reads), grouped(reads + 5), '+5', '0', '0', 'equal']);
    const tensorRows = row.filter((r) => r.length === 8 && r[0] !== 'data@conv1');
    expect(tensorRows.length).toBeGreaterThan(5);
    expect(tensorRows.every((r) => r[4] === 'equal' && r[7] === 'equal')).toBe(true);
    expect(row.filter((r) => r.length === 5)).toEqual([
      ['MACs', grouped(result.macs), grouped(result.macs), 'equal', ''],
      ['scratchpad bytes', grouped(result.onChipBytes), grouped(result.onChipBytes), 'equal', ''],
    ]);
    expect(await page.locator('#point-summary').textContent()).toContain('verification failed');
    await page.locator('#verify').screenshot({ path: join(artifacts, 'report-traffic-verify.png') });

    await page.locator('#next').click();
    await expectPointShown(page, 8);
    const failed = await verify.textContent();
    expect(failed).toContain('output max abs error not measured, max rel error not measured');
    expect(failed).toContain('error: cc: exit code 1');
    expect(failed).toContain('the program did not build');
    expect(failed).toMatch(/MACs1not measured-/);
    expect(problems).toEqual([]);
    await page.close();
  });
});
