// The network graph of a schedule: segments coloured, each layer's predicted DRAM traffic written on
// it; laid out and drawn as SVG by Graphviz (compiled to WebAssembly, no browser needed).

import type { Network } from '../ir/network.js';
import type { NetworkResult } from '../model/evaluate.js';
import type { SegmentResult } from '../model/result.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { Segment } from '../model/segment.js';
import { networkDot } from './dot.js';
import { compact } from './table.js';

/** Twelve light colours that keep black text readable; segments take them in turn. */
export const segmentPalette = [
  '#8dd3c7',
  '#ffffb3',
  '#bebada',
  '#fb8072',
  '#80b1d3',
  '#fdb462',
  '#b3de69',
  '#fccde5',
  '#d9d9d9',
  '#bc80bd',
  '#ccebc5',
  '#ffed6f',
] as const;

export function segmentColour(index: number): string {
  return segmentPalette[index % segmentPalette.length]!;
}

/** Half way to white: the box around a fused segment, lighter than its layers. */
function lighter(hex: string): string {
  const c = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `#${c
    .map((v) =>
      Math.round((v + 255) / 2)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export interface LayerTraffic {
  /** Elements read from DRAM for this layer: its DRAM inputs, its weights, its partial sums. */
  reads: number;
  /** Elements this layer writes to DRAM (its output, when it ends a segment or is read after it too). */
  writes: number;
}

/** Each buffer's DRAM traffic counted to the layer that reads (inputs, weights) or produces it. */
export function layerTraffic(segments: Segment[], results: SegmentResult[]): Map<string, LayerTraffic> {
  const traffic = new Map<string, LayerTraffic>();
  segments.forEach((seg, i) => {
    for (const l of seg.layers) traffic.set(l.name, { reads: 0, writes: 0 });
    const byId = new Map(results[i]!.buffers.map((b) => [b.id, b]));
    for (const b of seg.buffers) {
      const r = byId.get(b.id)!;
      const t = traffic.get(b.layer)!;
      t.reads += r.dramReads;
      t.writes += r.dramWrites;
    }
  });
  return traffic;
}

/** The text a layer's node carries: its predicted DRAM accesses (reads + writes, elements). */
export function trafficNote(t: LayerTraffic): string {
  return `predicted DRAM: ${compact(t.reads + t.writes)}`;
}

export interface ScheduleDotOptions {
  caption?: string;
  /** Boxes around fused segments (the HTML report recolours one layout for every point: none there). */
  clusters?: boolean;
  layerIds?: boolean;
}

/** The dot graph of a schedule; `segments` and `result` are its checked segments and its evaluation. */
export function scheduleDot(
  net: Network,
  sched: NetworkSchedule,
  segments: Segment[],
  result: NetworkResult,
  options: ScheduleDotOptions = {},
): string {
  const fill = new Map<string, string>();
  const note = new Map<string, string>();
  const clusters: { label: string; layers: string[]; fill: string }[] = [];
  sched.segments.forEach((s, i) => {
    for (const l of s.layers) fill.set(l, segmentColour(i));
    if (options.clusters && s.layers.length > 1)
      clusters.push({ label: `segment ${i + 1}`, layers: s.layers, fill: lighter(segmentColour(i)) });
  });
  for (const [layer, t] of layerTraffic(segments, result.segments)) note.set(layer, trafficNote(t));
  return networkDot(net, {
    caption:
      options.caption ??
      `${net.name}: ${sched.segments.length} segments (colours); per layer its predicted DRAM accesses (elements read + written)`,
    fill,
    note,
    ...(options.clusters ? { clusters } : {}),
    layerIds: options.layerIds ?? true,
  });
}

let viz: Promise<{ renderString(dot: string, options: { format: string }): string }> | undefined;

/** The dot graph laid out and drawn as an SVG document by Graphviz. */
export async function renderDotSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  return (await viz).renderString(dot, { format: 'svg' });
}
