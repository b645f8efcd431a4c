import { describe, expect, it } from 'vitest';
import { evaluateSchedule, wholeTileSchedule } from '../../src/model/evaluate.js';
import type { NetworkSchedule } from '../../src/model/schedule.js';
import { checkSchedule } from '../../src/model/validate.js';
import { networkDot } from '../../src/report/dot.js';
import { layerTraffic, renderDotSvg, scheduleDot, segmentPalette } from '../../src/report/graph.js';
import { pool } from '../layers.js';
import { conv, net, schedule, segmentOf } from '../model/fixtures.js';

// in 1x8x8 -> a: conv 3x3 'same' (2) -> b: conv 1x1 (4) -> p: max pool 2x2; [a, b] fused, then p.
const n = net({ c: 1, h: 8, w: 8 }, [conv('a', 'in', 2, 3), conv('b', 'a', 4, 1), pool('p', 'b')]);
const fused = segmentOf(n, ['a', 'b']);
const sched: NetworkSchedule = {
  format: 'memsched.schedule',
  version: 1,
  network: 'test',
  elementBytes: 1,
  segments: [
    schedule(fused, { y: 4 }, ['y', 'x', 'zo', 'zi'], { 'in@a': ['y', 'y'], a: ['y', 'y'], b: ['zo', 'zo'] }),
    wholeTileSchedule(segmentOf(n, ['p'])),
  ],
};
const segments = checkSchedule(n, sched);
const result = evaluateSchedule(n, sched);

describe('the graph of a schedule', () => {
  it('counts each layer the traffic of the buffers it reads or produces', () => {
    // a: input 2 tiles x 5 rows x 8 = 80, weights 2 x (9 + 1) = 20; b: weights 4 x (2 + 1) = 12 and its
    // 4x8x8 output written; p: reads that output once, writes 4x4x4.
    expect(Object.fromEntries(layerTraffic(segments, result.segments))).toEqual({
      a: { reads: 100, writes: 0 },
      b: { reads: 12, writes: 256 },
      p: { reads: 256, writes: 64 },
    });
  });

  it('colours segments, boxes fused ones, and writes the predicted traffic on each layer', () => {
    const dot = scheduleDot(n, sched, segments, result, { clusters: true });
    const [c1, c2] = segmentPalette;
    expect(dot).toContain(
      `"a" [label="a\\nconv\\n2x8x8\\npredicted DRAM: 100", fillcolor="${c1}", id="layer-0"];`,
    );
    expect(dot).toContain(
      `"b" [label="b\\nconv\\n4x8x8\\npredicted DRAM: 268", fillcolor="${c1}", id="layer-1"];`,
    );
    expect(dot).toContain(
      `"p" [label="p\\nmaxpool\\n4x4x4\\npredicted DRAM: 320", fillcolor="${c2}", id="layer-2"];`,
    );
    // one box, around the fused segment only
    expect(dot.match(/subgraph/g)).toHaveLength(1);
    const cluster = dot.slice(dot.indexOf('subgraph'), dot.indexOf('}', dot.indexOf('subgraph')));
    expect(cluster).toContain('label="segment 1"');
    expect(cluster).toContain('"a" [');
    expect(cluster).toContain('"b" [');
    expect(cluster).not.toContain('"p" [');
    expect(dot).toContain('label="test: 2 segments (colours); per layer its predicted DRAM accesses');
  });

  it('leaves the plain graph as it was, with line breaks in the labels', () => {
    const dot = networkDot(n);
    expect(dot).toContain('"in" [shape=ellipse, label="in\\n1x8x8"];');
    expect(dot).toContain('"a" [label="a\\nconv\\n2x8x8"];');
    expect(dot).not.toContain('fillcolor');
    expect(dot).not.toContain('subgraph');
  });

  it('is drawn by Graphviz with a findable node per layer', async () => {
    const svg = await renderDotSvg(scheduleDot(n, sched, segments, result, { clusters: true }));
    expect(svg).toMatch(/^<\?xml/);
    for (const [i, name, fill, note] of [
      [0, 'a', segmentPalette[0], '100'],
      [1, 'b', segmentPalette[0], '268'],
      [2, 'p', segmentPalette[1], '320'],
    ] as const) {
      const start = svg.indexOf(`<g id="layer&#45;${i}" class="node">`);
      expect(start).toBeGreaterThan(0);
      const node = svg.slice(start, svg.indexOf('</g>', start));
      expect(node).toContain(`<title>${name}</title>`);
      expect(node).toContain(`fill="${fill}"`);
      expect(node).toMatch(new RegExp(`>predicted DRAM: ${note}</text>\\s*$`));
    }
    expect(svg).toContain('<title>cluster_0</title>');
  });
});
