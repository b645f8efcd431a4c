// Plots of Pareto fronts (front files of `memsched explore -o`): a Vega-Lite spec, rendered to SVG by
// Vega without a browser, and to PNG by resvg.
import { Resvg } from '@resvg/resvg-js';
import { parse, View, Error as vegaErrorLevel } from 'vega';
import { compile } from 'vega-lite';
import { factorText, fusedDepth, recomputeFactor } from './front.js';
import { compact } from './table.js';
/** The layers' names; the SVG names each layer's group of marks `<name>_marks`. */
export const plotLayers = {
    lines: 'front_lines',
    points: 'front_points',
    bound: 'lower_bound',
    boundLabel: 'lower_bound_label',
    budget: 'budget',
    budgetLabel: 'budget_label',
    baseline: 'baseline',
    baselineLabel: 'baseline_label',
    chosen: 'chosen',
    chosenLabel: 'chosen_label',
};
/**
 * The marker of a point's deepest fused segment: one shape per depth up to 4, then per doubling (a
 * legend has room for a few shapes only). Fixed, so that a depth looks the same in every plot.
 */
const depthShapes = [
    ['1', 'circle'],
    ['2', 'square'],
    ['3', 'triangle-up'],
    ['4', 'triangle-down'],
    ['5-8', 'cross'],
    ['9-16', 'triangle-right'],
    ['17-32', 'triangle-left'],
    ['33+', 'wedge'],
    ['?', 'stroke'],
];
export function depthClass(depth) {
    if (depth === undefined)
        return '?';
    if (depth <= 4)
        return String(depth);
    if (depth > 32)
        return '33+';
    const hi = 2 ** Math.ceil(Math.log2(depth));
    return `${hi / 2 + 1}-${hi}`;
}
/** Points computing more MACs than the least (every element once) are drawn faint. */
const computesOnce = 'every element once';
const recomputes = 'recomputes';
/** Listed in order, so the SVG shows the first one installed; resvg reads the same list. */
const fontFamily = 'Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif';
/** A Vega expression printing a byte count in binary units: 1024 -> "1 KiB". */
const binaryBytesLabel = [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
]
    .map(([unit, size]) => `datum.value >= ${size} ? format(datum.value / ${size}, '~r') + ' ${unit}' : `)
    .join('')
    .concat("format(datum.value, '~r') + ' B'");
/**
 * A log domain from the power of `base` at or below the smallest value to the one at or above the
 * largest times base^headroom, with at most 10 ticks: powers of two (spaced so that KiB and MiB fall on
 * ticks where they can), or powers of ten with 2 and 5 between them over a short range.
 */
function logAxis(values, base, headroom = 0) {
    const positive = values.filter((v) => v > 0);
    const log = base === 2 ? Math.log2 : Math.log10;
    let lo = Math.floor(log(Math.min(...positive)) + 1e-9);
    let hi = Math.ceil(log(Math.max(...positive)) + headroom - 1e-9);
    if (hi === lo) {
        lo--;
        hi++;
    }
    const fits = (s) => Math.floor(hi / s) - Math.ceil(lo / s) + 1 <= 10;
    const step = (base === 2 ? [1, 2, 4, 5, 10, 20] : [1, 2, 5, 10]).find(fits) ?? 30;
    const between = base === 10 && hi - lo <= 3 ? [1, 2, 5] : [1];
    const ticks = [];
    for (let e = Math.ceil(lo / step) * step; e <= hi; e += step)
        for (const m of between)
            if (e < hi || m === 1)
                ticks.push(m * base ** e);
    return { domain: [base ** lo, base ** hi], ticks };
}
/** A row per distinct value; its text names the front only when the fronts do not all share it. */
function distinct(fronts, value, key) {
    const seen = new Map();
    let missing = false;
    for (const { label, file } of fronts) {
        const v = value(file);
        if (v === undefined)
            missing = true;
        else if (!seen.has(key(v)))
            seen.set(key(v), { label, value: v, own: false });
    }
    const rows = [...seen.values()];
    if (rows.length > 1 || missing)
        for (const r of rows)
            r.own = true;
    return rows;
}
/**
 * The fronts on log-log axes: on-chip bytes against DRAM accesses (elements) or DRAM bytes, each front
 * a step line (a budget between two points buys the left one) with its points, plus the layer-by-layer
 * baseline, the lower bound on traffic, and the budget with the chosen point where the file has them.
 */
export function frontPlotSpec(fronts, options) {
    if (fronts.length === 0)
        throw new RangeError('frontPlotSpec: no fronts');
    const traffic = (f, accesses) => options.yAxis === 'bytes' ? accesses * f.elementBytes : accesses;
    const labels = fronts.map((f) => f.label);
    const points = fronts.flatMap(({ label, file }) => file.front.map((p, i) => {
        const factor = recomputeFactor(file, p);
        const depth = fusedDepth(p);
        return {
            label,
            point: i,
            bytes: p.bytes,
            accesses: p.accesses,
            y: traffic(file, p.accesses),
            macs: Number.isFinite(p.macs) ? p.macs : null,
            recompute: factorText(factor),
            computes: factor === undefined ? '?' : factor > 1 ? recomputes : computesOnce,
            segments: Number.isFinite(p.segments) ? p.segments : null,
            maxFused: depth ?? null,
            depth: depthClass(depth),
        };
    }));
    const baselines = distinct(fronts, (f) => ({ bytes: f.baseline.bytes, y: traffic(f, f.baseline.accesses) }), (v) => `${v.bytes} ${v.y}`).map((r) => ({ label: r.label, ...r.value, text: r.own ? `baseline (${r.label})` : 'baseline' }));
    const bounds = distinct(fronts, (f) => traffic(f, f.lowerBound.accesses), String).map((r) => ({
        label: r.label,
        y: r.value,
        text: r.own ? `lower bound (${r.label})` : 'lower bound',
    }));
    const budgets = distinct(fronts, (f) => f.budgetBytes, String).map((r) => ({
        label: r.label,
        bytes: r.value,
        text: `budget ${bytesLabel(r.value)}${r.own ? ` (${r.label})` : ''}`,
    }));
    const chosen = fronts.flatMap(({ label, file }) => {
        const p = file.chosen === undefined ? undefined : file.front[file.chosen];
        return p ? [{ label, point: file.chosen, bytes: p.bytes, y: traffic(file, p.accesses) }] : [];
    });
    // under the budget's label at the top (a free strip: fronts fall to the right), one line per front
    const lines = new Map();
    const chosenLabels = fronts.flatMap(({ label, file }) => {
        const row = points.find((p) => p.label === label && p.point === file.chosen);
        if (!row)
            return [];
        const at = file.budgetBytes ?? row.bytes;
        const line = (lines.get(at) ?? 0) + 1;
        lines.set(at, line);
        const macs = row.macs === null ? '?' : compact(row.macs);
        const layers = `${row.maxFused ?? '?'} layer${row.maxFused === 1 ? '' : 's'}`;
        return [
            {
                label,
                point: row.point,
                bytes: at,
                top: 4 + 16 * line,
                text: `chosen: ${macs} MACs (${row.recompute}), deepest segment ${layers}${chosen.length > 1 ? ` (${label})` : ''}`,
            },
        ];
    });
    const xAxis = logAxis([...points.map((p) => p.bytes), ...baselines.map((b) => b.bytes), ...budgets.map((b) => b.bytes)], 2, 
    // half a power of two right of the baseline, for its label
    0.5);
    const yAxis = logAxis([...points.map((p) => p.y), ...baselines.map((b) => b.y), ...bounds.map((b) => b.y)], options.yAxis === 'bytes' ? 2 : 10);
    const x = {
        field: 'bytes',
        type: 'quantitative',
        title: 'on-chip memory',
        scale: { type: 'log', domain: xAxis.domain, nice: false },
        axis: { values: xAxis.ticks, labelExpr: binaryBytesLabel },
    };
    const y = {
        field: 'y',
        type: 'quantitative',
        title: options.yAxis === 'bytes' ? 'DRAM traffic' : 'DRAM accesses (elements)',
        scale: { type: 'log', domain: yAxis.domain, nice: false },
        axis: options.yAxis === 'bytes'
            ? { values: yAxis.ticks, labelExpr: binaryBytesLabel }
            : { values: yAxis.ticks, format: '~s' },
    };
    const color = {
        field: 'label',
        type: 'nominal',
        title: fronts.length > 1 ? 'fronts' : 'front',
        scale: { domain: labels },
        ...(options.frontLegend === false ? { legend: null } : {}),
    };
    const depths = depthShapes.filter(([d]) => points.some((p) => p.depth === d));
    const shape = {
        field: 'depth',
        type: 'nominal',
        title: 'deepest fused segment (layers)',
        scale: { domain: depths.map(([d]) => d), range: depths.map(([, s]) => s) },
    };
    const kinds = [computesOnce, recomputes, '?'].filter((k) => points.some((p) => p.computes === k));
    const opacity = {
        field: 'computes',
        type: 'ordinal',
        title: 'MACs (predicted)',
        scale: { domain: kinds, range: kinds.map((k) => (k === recomputes ? 0.35 : 1)) },
    };
    const dashed = { strokeDash: [6, 4], strokeWidth: 1.5 };
    const networks = [...new Set(fronts.map((f) => f.file.network))];
    const layer = [
        {
            name: plotLayers.lines,
            data: { values: points },
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
            encoding: { x, y, color },
        },
        {
            name: plotLayers.points,
            data: { values: points },
            mark: { type: 'point', filled: true, size: 36 },
            encoding: {
                x,
                y,
                color,
                shape,
                opacity,
                tooltip: [
                    { field: 'label', title: 'front' },
                    { field: 'point', title: 'point' },
                    { field: 'bytes', title: 'on-chip bytes', format: ',' },
                    { field: 'accesses', title: 'DRAM accesses', format: ',' },
                    { field: 'macs', title: 'MACs (predicted)', format: ',' },
                    { field: 'recompute', title: 'MACs over the least' },
                    { field: 'segments', title: 'segments' },
                    { field: 'maxFused', title: 'deepest fused segment (layers)' },
                ],
            },
        },
    ];
    layer.push({
        name: plotLayers.bound,
        data: { values: bounds },
        mark: { type: 'rule', color: '#555', ...dashed },
        encoding: { y },
    }, {
        name: plotLayers.boundLabel,
        data: { values: bounds },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: '#333' },
        encoding: { y, x: { value: 0 }, text: { field: 'text' } },
    });
    if (budgets.length > 0)
        layer.push({
            name: plotLayers.budget,
            data: { values: budgets },
            mark: { type: 'rule', color: '#b00', ...dashed },
            encoding: { x },
        }, {
            name: plotLayers.budgetLabel,
            data: { values: budgets },
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#b00' },
            encoding: { x, y: { value: 0 }, text: { field: 'text' } },
        });
    layer.push({
        name: plotLayers.baseline,
        data: { values: baselines },
        mark: {
            type: 'point',
            shape: 'diamond',
            filled: true,
            opacity: 1,
            size: 110,
            stroke: 'black',
            strokeWidth: 1,
        },
        encoding: { x, y, color },
    }, {
        name: plotLayers.baselineLabel,
        data: { values: baselines },
        mark: { type: 'text', align: 'center', baseline: 'bottom', dy: -9, color: '#333' },
        encoding: { x, y, text: { field: 'text' } },
    });
    if (chosen.length > 0)
        layer.push({
            name: plotLayers.chosen,
            data: { values: chosen },
            mark: { type: 'point', shape: 'circle', filled: false, size: 260, strokeWidth: 2, color: '#b00' },
            encoding: { x, y },
        }, {
            name: plotLayers.chosenLabel,
            data: { values: chosenLabels },
            mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, color: '#b00' },
            encoding: { x, y: { field: 'top', type: 'quantitative', scale: null }, text: { field: 'text' } },
        });
    return {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: {
            text: `Pareto front${networks.length > 1 ? 's' : ''}: ${networks.join(', ')}`,
            subtitle: 'on-chip memory against DRAM traffic as predicted by the model; marker: deepest fused segment',
        },
        width: options.width ?? 560,
        height: options.height ?? 360,
        background: 'white',
        // Vega guesses text widths without a canvas, and too wide: do not let it cut legend labels.
        config: { font: fontFamily, aria: false, legend: { labelLimit: 0, titleLimit: 0 } },
        layer,
    };
}
/** 1024 -> "1 KiB", 1536 -> "1.5 KiB" (the plot's labels; the tables keep two decimals). */
function bytesLabel(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let u = 0;
    while (n >= 1024 && u < units.length - 1) {
        n /= 1024;
        u++;
    }
    return `${Number(n.toPrecision(3))} ${units[u]}`;
}
/** The spec drawn as an SVG document, without a browser or canvas. */
export async function renderSvg(spec) {
    const view = new View(parse(compile(spec).spec), { renderer: 'none', logLevel: vegaErrorLevel });
    try {
        return await view.toSVG();
    }
    finally {
        view.finalize();
    }
}
/** The SVG as a PNG, `width` pixels wide (default: twice the SVG's width, for sharp text). */
export function renderPng(svg, options = {}) {
    const resvg = new Resvg(svg, {
        fitTo: options.width === undefined ? { mode: 'zoom', value: 2 } : { mode: 'width', value: options.width },
        background: 'white',
        // Without system fonts resvg draws no text; with them it takes the first of the SVG's list there is,
        // else any.
        font: { loadSystemFonts: true },
        logLevel: 'off',
    });
    return resvg.render().asPng();
}
//# sourceMappingURL=plot.js.map