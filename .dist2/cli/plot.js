// `memsched plot` and `explore --plot`: front files drawn as SVG or PNG. The plotting libraries take half
// a second to load, so they are imported only when a plot is written.
import { basename, extname } from 'node:path';
import { InputError } from '../ir/errors.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { readFront } from './common.js';
/** The output file of a plot, refused unless it ends in .svg or .png and can be written. */
export function plotTarget(file, flag = '--plot') {
    const kind = extname(file).toLowerCase().slice(1);
    if (kind !== 'svg' && kind !== 'png')
        throw new InputError(`${flag}: expected a file ending in .svg or .png, got '${file}'`);
    checkWritable(file);
    return { file, kind };
}
/** Renders first and writes after, so a failure leaves no file behind. */
export async function writePlot(target, fronts, yAxis) {
    const { frontPlotSpec, renderPng, renderSvg } = await import('../report/plot.js');
    const svg = await renderSvg(frontPlotSpec(fronts, { yAxis }));
    writeFileAtomic(target.file, target.kind === 'svg' ? svg : renderPng(svg));
}
export const plotCommand = {
    name: 'plot',
    usage: `  plot <front>...     overlay fronts written by explore -o in one plot
      -o FILE           the plot (.svg or .png)
      --labels A,B      a label per front (default: the file names)
      --y accesses|bytes DRAM traffic in elements (default) or in bytes`,
    flags: {
        o: { type: 'string', short: 'o' },
        labels: { type: 'string' },
        y: { type: 'string' },
    },
    run: plot,
};
/** `memsched plot a.json b.json [--labels A,B] [--y accesses|bytes] -o out.svg|out.png` */
async function plot(flags, files) {
    if (files.length === 0)
        throw new InputError("'plot' takes one or more front files (written by explore -o)");
    if (typeof flags['o'] !== 'string')
        throw new InputError("'plot' needs -o FILE (.svg or .png)");
    const target = plotTarget(flags['o'], '-o');
    const y = flags['y'] ?? 'accesses';
    if (y !== 'accesses' && y !== 'bytes')
        throw new InputError(`--y: expected accesses or bytes, got '${y}'`);
    let labels;
    if (typeof flags['labels'] === 'string') {
        labels = flags['labels'].split(',').map((l) => l.trim());
        if (labels.length !== files.length)
            throw new InputError(`--labels: ${labels.length} labels for ${files.length} front files`);
        const twice = labels.find((l, i) => labels.indexOf(l) !== i);
        if (twice !== undefined)
            throw new InputError(`--labels: '${twice}' given twice`);
        if (labels.includes(''))
            throw new InputError('--labels: empty label');
    }
    else {
        labels = files.map((f) => basename(f, extname(f)));
        // same names in different folders: the paths tell them apart
        if (new Set(labels).size < labels.length)
            labels = files;
    }
    const fronts = files.map((file, i) => ({ label: labels[i], file: readFront(file) }));
    await writePlot(target, fronts, y);
    return 0;
}
//# sourceMappingURL=plot.js.map