// The self-contained HTML report: one file with Vega, the data, the graph and the page's script inline,
// so it opens offline from file:// (no CDN, no fetch).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { compile } from 'vega-lite';
import { combineSegments } from '../model/evaluate.js';
import { fusionText } from './front.js';
import { renderDotSvg, scheduleDot, segmentPalette } from './graph.js';
import { reportData } from './html-data.js';
import { inspectText } from './inspect.js';
import { frontPlotSpec } from './plot.js';
import { grouped } from './table.js';
import { bytesText } from './units.js';
/** The page's script and style, real files next to this one (copied into dist/ by the build). */
const pageFile = (name) => readFileSync(new URL(`page/${name}`, import.meta.url), 'utf8');
/**
 * The page's modules (paths from page/), each after those it imports: the loop-nest lowering every
 * printer shares, then the page's own; page.js, the page's script, last.
 */
const pageModules = ['format.js', '../../lower/nest.js', 'loopnest.js', 'page.js'];
/**
 * ES modules as the text of one classic script, as the one-file page has nothing to import from. Each
 * may import only modules before it in the list, which are then in its scope: its imports and `export`
 * keywords go, nothing else changes.
 */
export function embedModules(modules) {
    const bodies = modules.map((name, k) => {
        const text = pageFile(name).replace(/^import \{[^}]*\} from '(\.\.?\/[\w/.-]+\.js)';\n/gm, (_, from) => {
            const module = posix.join(posix.dirname(name), from);
            if (!modules.slice(0, k).includes(module))
                throw new Error(`page/${name} imports ${module}, which is not among the modules before it`);
            return '';
        });
        const body = text.replace(/^export (?=function |const )/gm, '');
        const left = /^(import|export)\b.*/m.exec(body);
        if (left)
            throw new Error(`page/${name}: cannot embed '${left[0]}'`);
        return body;
    });
    return bodies.join('\n');
}
const pageStyle = () => pageFile('page.css');
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
/** Text inside <script>: nothing in it may close the element or open an HTML comment. */
const scriptText = (js) => js.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
/** JSON inside <script type="application/json">, with no '<' left to end it. */
const jsonText = (v) => JSON.stringify(v).replace(/</g, '\\u003c');
function vegaSource() {
    const require = createRequire(import.meta.url);
    return readFileSync(join(dirname(require.resolve('vega')), 'vega.min.js'), 'utf8');
}
/** The front plot of plot.ts, with a layer for the selected point (named data the page sets) and the verified points. */
function plotSpec(front, verified) {
    const spec = frontPlotSpec([{ label: front.network, file: front }], {
        yAxis: 'accesses',
        width: 620,
        height: 380,
        // one front: its colour needs no legend
        frontLegend: false,
    });
    const layers = spec.layer;
    const x = { field: 'bytes', type: 'quantitative' };
    const y = { field: 'y', type: 'quantitative' };
    if (verified.length > 0)
        layers.push({
            name: 'verified',
            data: {
                values: verified.map((i) => ({
                    point: i,
                    bytes: front.front[i].bytes,
                    y: front.front[i].accesses,
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
    };
}
function graphSvgInline(svg) {
    // the XML prolog and doctype are for standalone files; inline SVG starts at <svg
    return svg.slice(svg.indexOf('<svg'));
}
/** The report as one HTML document. `evaluation` is the front checked against the network. */
export async function reportHtml(net, front, evaluation, options = {}) {
    const data = reportData(net, front, evaluation, options.verify);
    const detail = evaluation.detail(data.selected);
    const sched = front.front[data.selected].schedule;
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
${pageStyle()}</style>
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
'use strict';
(() => {
${scriptText(embedModules(pageModules))}})();
</script>
</body>
</html>
`;
}
//# sourceMappingURL=html.js.map