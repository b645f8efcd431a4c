import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { FrontFile } from '../../src/formats/front.js';
import type { ElementBytes, SegmentSchedule } from '../../src/model/schedule.js';
import type { LabelledFront } from '../../src/report/plot.js';
import { depthClass, frontPlotSpec, plotLayers, renderPng, renderSvg } from '../../src/report/plot.js';

type Row = Record<string, unknown>;

/** What a point of a front without the least MACs and without schedules has: no factor, no depth. */
const unknownDetail = { macs: 1000, recompute: '?', computes: '?', segments: 2, maxFused: null, depth: '?' };

/** A segment of `depth` layers (only its layers matter to a plot). */
const segmentOf = (depth: number): SegmentSchedule => ({
  layers: Array.from({ length: depth }, (_, i) => `l${i}`),
  tile: { x: 1, y: 1, zo: 1, zi: 1 },
  order: ['x', 'y', 'zo', 'zi'],
  buffers: {},
});

/** `points` as [on-chip bytes, DRAM accesses], optionally with their MACs and the depths of their segments. */
function handFront(
  network: string,
  elementBytes: ElementBytes,
  points: [number, number, number?, number[]?][],
  extra: Partial<FrontFile> = {},
): FrontFile {
  return {
    format: 'memsched.front',
    version: 1,
    network,
    space: 'full',
    elementBytes,
    front: points.map(([bytes, accesses, macs, depths]) => ({
      bytes,
      accesses,
      macs: macs ?? 1000,
      segments: depths?.length ?? 2,
      schedule: {
        format: 'memsched.schedule',
        version: 1,
        network,
        elementBytes,
        segments: (depths ?? []).map(segmentOf),
      },
    })),
    baseline: { bytes: 4096, accesses: 1200 },
    lowerBound: { accesses: 800 },
    segmentsSearched: 2,
    ...extra,
  };
}

/** 3 points, budget 512 B choosing the middle one. */
const tiny = handFront(
  'tiny',
  1,
  [
    [100, 5000],
    [300, 2000],
    [1000, 1200],
  ],
  { budgetBytes: 512, chosen: 1 },
);
/** 2 points in 4-byte elements, no budget, another baseline. */
const wide = handFront(
  'tiny',
  4,
  [
    [400, 4000],
    [2000, 1300],
  ],
  { baseline: { bytes: 16384, accesses: 1300 } },
);

function layerOf(spec: ReturnType<typeof frontPlotSpec>, name: string) {
  const layers = (spec as { layer: { name?: string; data: { values: Row[] }; encoding: Row }[] }).layer;
  return layers.find((l) => l.name === name);
}

const rowsOf = (spec: ReturnType<typeof frontPlotSpec>, name: string) =>
  layerOf(spec, name)?.data.values ?? [];

/** The paths of one layer's symbol group in Vega's SVG. */
function symbols(svg: string, name: string): number {
  const start = svg.indexOf(`role-mark ${name}_marks"`);
  if (start < 0) return 0;
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return group.split('<path').length - 1;
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

/** Like tiny, with the least MACs recorded and real segments: layer by layer, a fused pair, a fused chain of 3 recomputing. */
const fused = handFront(
  'tiny',
  1,
  [
    [100, 5000, 1000, [1, 1, 1]],
    [300, 2000, 1000, [2, 1]],
    [1000, 1200, 1250, [3]],
  ],
  { baseline: { bytes: 4096, accesses: 1200, macs: 1000 }, budgetBytes: 2048, chosen: 2 },
);

describe('frontPlotSpec', () => {
  it('holds the points, baseline, lower bound, budget and chosen point of one front', () => {
    const spec = frontPlotSpec([{ label: 'A', file: tiny }], { yAxis: 'accesses' });
    expect(rowsOf(spec, plotLayers.points)).toEqual([
      { label: 'A', point: 0, bytes: 100, accesses: 5000, y: 5000, ...unknownDetail },
      { label: 'A', point: 1, bytes: 300, accesses: 2000, y: 2000, ...unknownDetail },
      { label: 'A', point: 2, bytes: 1000, accesses: 1200, y: 1200, ...unknownDetail },
    ]);
    expect(rowsOf(spec, plotLayers.lines)).toHaveLength(3);
    expect(rowsOf(spec, plotLayers.baseline)).toEqual([
      { label: 'A', bytes: 4096, y: 1200, text: 'baseline' },
    ]);
    expect(rowsOf(spec, plotLayers.bound)).toEqual([{ label: 'A', y: 800, text: 'lower bound' }]);
    expect(rowsOf(spec, plotLayers.budget)).toEqual([{ label: 'A', bytes: 512, text: 'budget 512 B' }]);
    expect(rowsOf(spec, plotLayers.chosen)).toEqual([{ label: 'A', point: 1, bytes: 300, y: 2000 }]);
    expect(spec.title).toMatchObject({ text: 'Pareto front: tiny' });
    // x from 64 B to 8 KiB (room right of the 4 KiB baseline) in powers of two; y in decades with 2 and 5 between (range 800..5000)
    const x = layerOf(spec, plotLayers.points)!.encoding['x'] as Row;
    expect(x['scale']).toMatchObject({ type: 'log', domain: [64, 8192] });
    expect(x['axis']).toMatchObject({ values: [64, 128, 256, 512, 1024, 2048, 4096, 8192] });
    const y = layerOf(spec, plotLayers.points)!.encoding['y'] as Row;
    expect(y['scale']).toMatchObject({ type: 'log', domain: [100, 10000] });
    expect(y['axis']).toMatchObject({ values: [100, 200, 500, 1000, 2000, 5000, 10000], format: '~s' });
  });

  it('overlays fronts, in bytes of DRAM traffic, naming the front where they differ', () => {
    const fronts: LabelledFront[] = [
      { label: 'int8', file: tiny },
      { label: 'fp32', file: wide },
    ];
    const spec = frontPlotSpec(fronts, { yAxis: 'bytes' });
    const points = rowsOf(spec, plotLayers.points);
    expect(points).toHaveLength(5);
    expect(points.filter((p) => p['label'] === 'fp32').map((p) => p['y'])).toEqual([16000, 5200]);
    expect(rowsOf(spec, plotLayers.baseline)).toEqual([
      { label: 'int8', bytes: 4096, y: 1200, text: 'baseline (int8)' },
      { label: 'fp32', bytes: 16384, y: 5200, text: 'baseline (fp32)' },
    ]);
    expect(rowsOf(spec, plotLayers.bound).map((b) => b['y'])).toEqual([800, 3200]);
    // one front has a budget: its label says whose
    expect(rowsOf(spec, plotLayers.budget)).toEqual([
      { label: 'int8', bytes: 512, text: 'budget 512 B (int8)' },
    ]);
    expect(rowsOf(spec, plotLayers.chosen)).toHaveLength(1);
    const enc = layerOf(spec, plotLayers.points)!.encoding;
    expect(enc['color']).toMatchObject({ field: 'label', scale: { domain: ['int8', 'fp32'] } });
    expect(enc['y']).toMatchObject({
      title: 'DRAM traffic',
      axis: { values: [512, 1024, 2048, 4096, 8192, 16384] },
    });
  });

  it('shares what the fronts share and leaves out what they lack', () => {
    const same = handFront('other', 1, [[128, 1500]]);
    const spec = frontPlotSpec(
      [
        { label: 'A', file: handFront('tiny', 1, [[100, 5000]]) },
        { label: 'B', file: same },
      ],
      { yAxis: 'accesses' },
    );
    expect(rowsOf(spec, plotLayers.baseline)).toEqual([
      { label: 'A', bytes: 4096, y: 1200, text: 'baseline' },
    ]);
    expect(rowsOf(spec, plotLayers.bound)).toEqual([{ label: 'A', y: 800, text: 'lower bound' }]);
    expect(layerOf(spec, plotLayers.budget)).toBeUndefined();
    expect(layerOf(spec, plotLayers.chosen)).toBeUndefined();
    expect(spec.title).toMatchObject({ text: 'Pareto fronts: tiny, other' });
  });
});

describe('the MACs and fused depth of each point', () => {
  it('are in the points’ rows, marker shapes and tooltips, and label the chosen point', () => {
    const spec = frontPlotSpec([{ label: 'A', file: fused }], { yAxis: 'accesses' });
    const rows = rowsOf(spec, plotLayers.points).map((r) => [
      r['macs'],
      r['recompute'],
      r['computes'],
      r['segments'],
      r['maxFused'],
      r['depth'],
    ]);
    expect(rows).toEqual([
      [1000, '1.00x', 'every element once', 3, 1, '1'],
      [1000, '1.00x', 'every element once', 2, 2, '2'],
      [1250, '1.25x', 'recomputes', 1, 3, '3'],
    ]);
    const enc = layerOf(spec, plotLayers.points)!.encoding;
    expect(enc['shape']).toMatchObject({
      field: 'depth',
      title: 'deepest fused segment (layers)',
      scale: { domain: ['1', '2', '3'], range: ['circle', 'square', 'triangle-up'] },
    });
    expect(enc['opacity']).toMatchObject({
      field: 'computes',
      scale: { domain: ['every element once', 'recomputes'], range: [1, 0.35] },
    });
    expect((enc['tooltip'] as Row[]).map((t) => t['field'])).toEqual([
      'label',
      'point',
      'bytes',
      'accesses',
      'macs',
      'recompute',
      'segments',
      'maxFused',
    ]);
    expect(rowsOf(spec, plotLayers.chosenLabel)).toEqual([
      // under the budget's label
      {
        label: 'A',
        point: 2,
        bytes: 2048,
        top: 20,
        text: 'chosen: 1.25k MACs (1.25x), deepest segment 3 layers',
      },
    ]);
  });

  it('stacks the chosen points’ lines of fronts sharing a budget, naming the front', () => {
    const spec = frontPlotSpec(
      [
        { label: 'A', file: fused },
        { label: 'B', file: { ...fused, chosen: 1 } },
      ],
      { yAxis: 'accesses' },
    );
    expect(rowsOf(spec, plotLayers.chosenLabel).map((r) => [r['top'], r['text']])).toEqual([
      [20, 'chosen: 1.25k MACs (1.25x), deepest segment 3 layers (A)'],
      [36, 'chosen: 1.00k MACs (1.00x), deepest segment 2 layers (B)'],
    ]);
  });

  it('groups deep segments by doubling, so that a legend has room for them', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 16, 17, 21, 32, 33, 500, undefined].map(depthClass)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5-8',
      '5-8',
      '9-16',
      '9-16',
      '17-32',
      '17-32',
      '17-32',
      '33+',
      '33+',
      '?',
    ]);
  });

  it('draws the depth legend and the chosen point’s MACs', async () => {
    const svg = await renderSvg(frontPlotSpec([{ label: 'A', file: fused }], { yAxis: 'accesses' }));
    const t = texts(svg);
    for (const s of [
      'deepest fused segment (layers)',
      'MACs (predicted)',
      'every element once',
      'recomputes',
      'chosen: 1.25k MACs (1.25x), deepest segment 3 layers',
    ])
      expect(t).toContain(s);
    expect(symbols(svg, plotLayers.points)).toBe(3);
  });

  it('leaves out the legend of the fronts when asked, keeping the depth legend', async () => {
    const spec = frontPlotSpec([{ label: 'A', file: fused }], { yAxis: 'accesses', frontLegend: false });
    expect(layerOf(spec, plotLayers.points)!.encoding['color']).toMatchObject({ legend: null });
    const t = texts(await renderSvg(spec));
    expect(t).not.toContain('A');
    expect(t).toContain('deepest fused segment (layers)');
  });
});

describe('renderSvg and renderPng', () => {
  it('draws a symbol per front point, the titles and byte-sized tick labels', async () => {
    const svg = await renderSvg(
      frontPlotSpec(
        [
          { label: 'int8', file: tiny },
          { label: 'fp32', file: wide },
        ],
        { yAxis: 'accesses' },
      ),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(symbols(svg, plotLayers.points)).toBe(5);
    expect(symbols(svg, plotLayers.baseline)).toBe(2);
    expect(symbols(svg, plotLayers.chosen)).toBe(1);
    const t = texts(svg);
    for (const s of [
      'Pareto front: tiny',
      'on-chip memory',
      'DRAM accesses (elements)',
      '64 B',
      '1 KiB',
      '16 KiB',
      '5k',
      'baseline (int8)',
      'budget 512 B (int8)',
      'int8',
      'fp32',
    ])
      expect(t).toContain(s);
  });

  it('renders a PNG of the requested width with its text drawn', async () => {
    const svg = await renderSvg(frontPlotSpec([{ label: 'A', file: tiny }], { yAxis: 'accesses' }));
    const [, w, h] = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number) as [
      number,
      number,
      number,
    ];
    const png = renderPng(svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([2 * w, 2 * h]);
    const small = renderPng(svg, { width: 600 });
    expect([small.readUInt32BE(16), small.readUInt32BE(20)]).toEqual([600, Math.round((600 * h) / w)]);
    // the title, black on white above the plot, is there only if a font was found
    const image = PNG.sync.read(small);
    let dark = 0;
    for (let y = 0; y < 20; y++)
      for (let x = 0; x < image.width; x++) if (image.data[(y * image.width + x) * 4]! < 100) dark++;
    expect(dark).toBeGreaterThan(100);
  });
});
