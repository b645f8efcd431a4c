// The self-contained HTML report: one file with Vega, the data, the graph and the page's script inline,
// so it opens offline from file:// (no CDN, no fetch).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import type { Network } from '../ir/network.js';
import { combineSegments } from '../model/evaluate.js';
import type { NetworkSchedule } from '../model/schedule.js';
import type { FrontFile } from './front.js';
import { fusionText } from './front.js';
import { renderDotSvg, scheduleDot, segmentPalette } from './graph.js';
import { type FrontEvaluation, reportData } from './html-data.js';
import { pageScript } from './html-script.js';
import type { VerifyFile } from './html-verify.js';
import { inspectText } from './inspect.js';
import { loopNest } from './loopnest.js';
import { frontPlotSpec } from './plot.js';
import { compact, grouped } from './table.js';
import { bytesText } from './units.js';

/** Functions the page shares with the CLI, inlined from their source (each uses only its own body). */
export const pageFunctions = [loopNest, compact, grouped, bytesText];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Text inside <script>: nothing in it may close the element or open an HTML comment. */
const scriptText = (js: string) => js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');

/** JSON inside <script type="application/json">, with no '<' left to end it. */
const jsonText = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

function vegaSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('vega')), 'vega.min.js'), 'utf8');
}

/** The front plot of plot.ts, with a layer for the selected point (named data the page sets) and the verified points. */
function plotSpec(front: FrontFile, verified: number[]): TopLevelSpec {
  const spec = frontPlotSpec([{ label: front.network, file: front }], {
    yAxis: 'accesses',
    width: 620,
    height: 380,
    // one front: its colour needs no legend
    frontLegend: false,
  });
  const layers = (spec as { layer: unknown[] }).layer;
  const x = { field: 'bytes', type: 'quantitative' } as const;
  const y = { field: 'y', type: 'quantitative' } as const;
  if (verified.length > 0)
    layers.push({
      name: 'verified',
      data: {
        values: verified.map((i) => ({
          point: i,
          bytes: front.front[i]!.bytes,
          y: front.front[i]!.accesses,
        })),
      },
      mark: { type: 'point', shape: 'square', filled: false, size: 200, strokeWidth: 2, color: '#1a7f37' },
      encoding: { x, y },
    });
  layers.push({
    name: 'selected',
    data: { name: 'selection' },
    mark: { type: 'point', shape: 'circle', filled: false, size: 420, strokeWidth: 3, color: '#000' },
    encoding: { x, y },
  });
  return {
    ...spec,
    title: {
      text: `Pareto front: ${front.network}`,
      subtitle: `on-chip memory against DRAM accesses, predicted by the model (${front.space} space, ${front.elementBytes}-byte elements); marker: deepest fused segment`,
    },
  } as TopLevelSpec;
}

function graphSvgInline(svg: string): string {
  // the XML prolog and doctype are for standalone files; inline SVG starts at <svg
  return svg.slice(svg.indexOf('<svg'));
}

export interface ReportOptions {
  /** The command that made the report, shown in it. */
  command?: string;
  verify?: VerifyFile;
}

/** The report as one HTML document. `evaluation` is the front checked against the network. */
export async function reportHtml(
  net: Network,
  front: FrontFile,
  evaluation: FrontEvaluation,
  options: ReportOptions = {},
): Promise<string> {
  const data = reportData(net, front, evaluation, options.verify);
  const detail = evaluation.detail(data.selected);
  const sched: NetworkSchedule = front.front[data.selected]!.schedule;
  const dot = scheduleDot(net, sched, detail.segments, combineSegments(detail.results, front.elementBytes), {
    caption: 'segments in colours; in each layer its predicted DRAM accesses (elements read + written)',
    layerIds: true,
  });
  const graph = graphSvgInline(await renderDotSvg(dot));
  const verified = [...new Set(data.verify.flatMap((v) => (v.point === null ? [] : [v.point])))];
  const vega = compile(plotSpec(front, verified)).spec;
  const summary = inspectText(data.network);
  const t = data.network.totals;
  const title = `memsched report: ${net.name}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 Helvetica, Arial, "DejaVu Sans", sans-serif; margin: 0 auto; padding: 0 1.5em 3em; max-width: 1400px; color: #222; }
h1 { font-size: 1.5em; margin: 0.8em 0 0.2em; }
h2 { font-size: 1.2em; margin: 1.4em 0 0.4em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
.note { color: #555; }
pre { font: 12px/1.35 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f6f6f6; padding: 0.6em; overflow-x: auto; margin: 0.3em 0; }
.row { display: flex; gap: 2em; flex-wrap: wrap; align-items: flex-start; }
.row > section { min-width: 0; }
#front-col { flex: 0 1 820px; }
#summary-col { flex: 1 1 380px; }
#graph-col { flex: 1 1 380px; }
#graph { max-height: 85vh; overflow: auto; border: 1px solid #ddd; padding: 4px; }
#graph svg { max-width: 100%; height: auto; }
#graph .node { cursor: pointer; }
#detail { flex: 2 1 640px; }
table.kv td { padding: 2px 10px 2px 0; vertical-align: top; }
table.kv td:first-child { color: #555; white-space: nowrap; }
table.data { border-collapse: collapse; margin: 0.3em 0 1em; font-size: 13px; }
table.data th, table.data td { padding: 2px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: middle; white-space: nowrap; }
table.data th { background: #f0f0f0; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr[data-segment], tr[data-point] { cursor: pointer; }
tr.selected td { background: #fff3c4; }
#points { position: relative; }
#point-table thead th { position: sticky; top: 0; }
.bar { width: 80px; height: 10px; background: #f2f2f2; display: flex; }
.bar span { display: block; height: 100%; }
.on-chip { background: #4c78a8; } .reads { background: #f58518; } .writes { background: #54a24b; }
.key { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 6px; }
.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #888; margin-right: 6px; vertical-align: -1px; }
.ok { color: #1a7f37; } .bad { color: #b00; font-weight: 600; }
#tip { position: absolute; background: #fff; border: 1px solid #999; padding: 4px 8px; font-size: 12px; pointer-events: none; box-shadow: 1px 1px 4px #0003; }
.scroll { max-height: 60vh; overflow: auto; }
details > summary { cursor: pointer; margin: 0.2em 0; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">Every number here is predicted by memsched's model unless it is labelled measured.${options.command ? ` Made by <code>${escapeHtml(options.command)}</code>.` : ''}</p>

<h2>Network</h2>
<p>${escapeHtml(net.name)}: ${t.layers} layers, ${grouped(t.macs)} MACs, ${grouped(t.parameters)} parameters, ${grouped(t.activations)} activation elements; input ${escapeHtml(data.network.inputs.map((i) => `${i.name} ${i.shape}`).join(', '))}, output ${escapeHtml(data.network.outputs.map((o) => `${o.name} ${o.shape}`).join(', '))}.</p>
<details><summary>per-layer table (memsched inspect)</summary><pre>${escapeHtml(summary)}</pre></details>

<div class="row">
<section id="front-col">
<h2>Pareto front</h2>
<p class="note">${front.front.length} points (${escapeHtml(front.space)} space, ${front.elementBytes}-byte elements, ${escapeHtml(fusionText(front))}). Computing every element once takes ${grouped(data.leastMacs)} MACs; a point's recompute factor is its MACs over these. Baseline (layer by layer, whole feature maps on chip): ${grouped(front.baseline.accesses)} accesses with ${bytesText(front.baseline.bytes)} on chip; lower bound ${grouped(front.lowerBound.accesses)} accesses. Hover over a point for its numbers, click it to select it.</p>
<div id="front"></div>
<details id="points-details"><summary>every point (predicted): on-chip bytes, DRAM accesses, MACs, segments and fused depth; click a row to select it</summary><div id="points" class="scroll"></div></details>
<p>Point <input id="point-input" type="number" min="0" value="${data.selected}" style="width:6em"> <button id="prev">previous</button> <button id="next">next</button> <span class="note">(previous: fewer on-chip bytes; next: fewer DRAM accesses)</span></p>
</section>
<section id="summary-col">
<h2>Selected point</h2>
<div id="point-summary"></div>
</section>
</div>
<div class="row">
<section id="graph-col">
<h3>Network graph</h3>
<div id="graph">${graph}</div>
</section>
<section id="detail">
<h3>Segments</h3>
<p class="note">Colours as in the graph; click a row or a layer for its loop nest.</p>
<div id="segments" class="scroll"></div>
<h3>Loop nests</h3>
<p class="note"><code>store B</code>: buffer B starts empty on each entry into that body; <code>fill B</code>: the part of B's demand not yet on chip is loaded from DRAM or computed. Between store and fill nothing is loaded or computed twice. The output is written to DRAM when its store level's body ends. Edge tiles are smaller. Open first: the largest segment, which sets the on-chip memory.</p>
<div id="nests" class="scroll"></div>
</section>
</div>
<div class="row">
<section>
<h3>On-chip buffers (predicted bytes)</h3>
<div id="buffers" class="scroll"></div>
</section>
<section>
<h3>DRAM traffic per tensor (predicted, elements)</h3>
<div id="tensors" class="scroll"></div>
</section>
</div>
<h3 id="verify-title">Measured against predicted</h3>
<div id="verify"></div>
<div id="verify-other"></div>
<div id="tip" hidden></div>

<script type="application/json" id="memsched-data">${jsonText({ ...data, palette: segmentPalette })}</script>
<script type="application/json" id="memsched-plot">${jsonText(vega)}</script>
<script>${scriptText(vegaSource())}</script>
<script>
${scriptText(pageFunctions.map((f) => f.toString()).join('\n'))}
${scriptText(pageScript)}
</script>
</body>
</html>
`;
}
