// `memsched plot` and `explore --plot`: front files drawn as SVG or PNG. The plotting libraries take half
// a second to load, so they are imported only when a plot is written.

import { existsSync, readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../ir/errors.js';
import type { FrontFile } from '../report/front.js';
import { frontFormat } from '../report/front.js';
import type { LabelledFront, PlotYAxis } from '../report/plot.js';
import { writeFileAtomic } from './output.js';

export interface PlotTarget {
  file: string;
  kind: 'svg' | 'png';
}

export const plotFlags = {
  o: { type: 'string', short: 'o' },
  labels: { type: 'string' },
  y: { type: 'string' },
} as const;

/** The output file of a plot, refused unless it ends in .svg or .png. */
export function plotTarget(file: string, flag = '--plot'): PlotTarget {
  const kind = extname(file).toLowerCase().slice(1);
  if (kind !== 'svg' && kind !== 'png')
    throw new InputError(`${flag}: expected a file ending in .svg or .png, got '${file}'`);
  return { file, kind };
}

/** Renders first and writes after, so a failure leaves no file behind. */
export async function writePlot(
  target: PlotTarget,
  fronts: LabelledFront[],
  yAxis: PlotYAxis,
): Promise<void> {
  const { frontPlotSpec, renderPng, renderSvg } = await import('../report/plot.js');
  const svg = await renderSvg(frontPlotSpec(fronts, { yAxis }));
  writeFileAtomic(target.file, target.kind === 'svg' ? svg : renderPng(svg));
}

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/** A front file written by `explore -o`, checked as far as the plot reads it. */
export function readFront(file: string): FrontFile {
  if (!existsSync(file)) throw new InputError('no such file', { file });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`not a front file (not JSON: ${(e as Error).message})`, { file });
  }
  const f = json as Partial<FrontFile> | null;
  if (typeof f !== 'object' || f === null || f.format !== frontFormat)
    throw new InputError(`not a front file (format '${frontFormat}', written by explore -o)`, { file });
  const broken = (what: string) => new InputError(`broken front file: ${what}`, { file });
  if (!Array.isArray(f.front) || f.front.length === 0) throw broken('no points');
  f.front.forEach((p, i) => {
    if (!finite(p?.bytes) || !finite(p?.accesses) || p.bytes <= 0 || p.accesses <= 0)
      throw broken(`point ${i} needs positive bytes and accesses`);
  });
  if (!finite(f.elementBytes)) throw broken('no elementBytes');
  if (!finite(f.baseline?.bytes) || !finite(f.baseline?.accesses)) throw broken('no baseline');
  if (!finite(f.lowerBound?.accesses)) throw broken('no lowerBound');
  if (f.chosen !== undefined && (!Number.isInteger(f.chosen) || f.front[f.chosen] === undefined))
    throw broken(`chosen: ${f.chosen} is not a point`);
  if (f.budgetBytes !== undefined && !finite(f.budgetBytes)) throw broken('budgetBytes is not a number');
  return f as FrontFile;
}

/** `memsched plot a.json b.json [--labels A,B] [--y accesses|bytes] -o out.svg|out.png` */
export async function plotCommand(
  flags: Record<string, string | boolean | undefined>,
  files: string[],
): Promise<void> {
  if (files.length === 0)
    throw new InputError("'plot' takes one or more front files (written by explore -o)");
  if (typeof flags['o'] !== 'string') throw new InputError("'plot' needs -o FILE (.svg or .png)");
  const target = plotTarget(flags['o'], '-o');
  const y = flags['y'] ?? 'accesses';
  if (y !== 'accesses' && y !== 'bytes') throw new InputError(`--y: expected accesses or bytes, got '${y}'`);
  let labels: string[];
  if (typeof flags['labels'] === 'string') {
    labels = flags['labels'].split(',').map((l) => l.trim());
    if (labels.length !== files.length)
      throw new InputError(`--labels: ${labels.length} labels for ${files.length} front files`);
    const twice = labels.find((l, i) => labels.indexOf(l) !== i);
    if (twice !== undefined) throw new InputError(`--labels: '${twice}' given twice`);
    if (labels.includes('')) throw new InputError('--labels: empty label');
  } else {
    labels = files.map((f) => basename(f, extname(f)));
    // same names in different folders: the paths tell them apart
    if (new Set(labels).size < labels.length) labels = files;
  }
  const fronts = files.map((file, i) => ({ label: labels[i]!, file: readFront(file) }));
  await writePlot(target, fronts, y);
}
