import type { LabelledFront, PlotYAxis } from '../report/plot.js';
import type { Command } from './common.js';
export interface PlotTarget {
    file: string;
    kind: 'svg' | 'png';
}
/** The output file of a plot, refused unless it ends in .svg or .png and can be written. */
export declare function plotTarget(file: string, flag?: string): PlotTarget;
/** Renders first and writes after, so a failure leaves no file behind. */
export declare function writePlot(target: PlotTarget, fronts: LabelledFront[], yAxis: PlotYAxis): Promise<void>;
export declare const plotCommand: Command;
