import type { TopLevelSpec } from 'vega-lite';
import type { FrontFile } from '../formats/front.js';
export type PlotYAxis = 'accesses' | 'bytes';
export interface LabelledFront {
    label: string;
    file: FrontFile;
}
export interface FrontPlotOptions {
    yAxis: PlotYAxis;
    /** Size of the plotting area in pixels (axes, title and legend come on top). */
    width?: number;
    height?: number;
    /** A legend naming the fronts by colour (default true; one front in a page that names it needs none). */
    frontLegend?: boolean;
}
/** The layers' names; the SVG names each layer's group of marks `<name>_marks`. */
export declare const plotLayers: {
    readonly lines: 'front_lines';
    readonly points: 'front_points';
    readonly bound: 'lower_bound';
    readonly boundLabel: 'lower_bound_label';
    readonly budget: 'budget';
    readonly budgetLabel: 'budget_label';
    readonly baseline: 'baseline';
    readonly baselineLabel: 'baseline_label';
    readonly chosen: 'chosen';
    readonly chosenLabel: 'chosen_label';
};
export declare function depthClass(depth: number | undefined): string;
/**
 * The fronts on log-log axes: on-chip bytes against DRAM accesses (elements) or DRAM bytes, each front
 * a step line (a budget between two points buys the left one) with its points, plus the layer-by-layer
 * baseline, the lower bound on traffic, and the budget with the chosen point where the file has them.
 */
export declare function frontPlotSpec(fronts: LabelledFront[], options: FrontPlotOptions): TopLevelSpec;
/** The spec drawn as an SVG document, without a browser or canvas. */
export declare function renderSvg(spec: TopLevelSpec): Promise<string>;
/** The SVG as a PNG, `width` pixels wide (default: twice the SVG's width, for sharp text). */
export declare function renderPng(svg: string, options?: {
    width?: number;
}): Buffer;
