// `--graph` of explore and eval: the network graph of one schedule. The drawing libraries load only when
// something is drawn.
import { extname } from 'node:path';
import { InputError } from '../ir/errors.js';
import { evaluateSchedule } from '../model/evaluate.js';
import { checkSchedule } from '../model/validate.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
/** The output file of a graph, refused unless it ends in .svg, .png or .dot and can be written. */
export function graphTarget(file) {
    const kind = extname(file).toLowerCase().slice(1);
    if (kind !== 'svg' && kind !== 'png' && kind !== 'dot')
        throw new InputError(`--graph: expected a file ending in .svg, .png or .dot, got '${file}'`);
    checkWritable(file);
    return { file, kind };
}
/** The network graph of a schedule, segments coloured, layers with their predicted DRAM traffic. */
export async function writeGraph(target, net, sched) {
    const { renderDotSvg, scheduleDot } = await import('../report/graph.js');
    const dot = scheduleDot(net, sched, checkSchedule(net, sched), evaluateSchedule(net, sched), {
        clusters: true,
    });
    if (target.kind === 'dot')
        return writeFileAtomic(target.file, dot);
    const svg = await renderDotSvg(dot);
    if (target.kind === 'svg')
        return writeFileAtomic(target.file, svg);
    const { renderPng } = await import('../report/plot.js');
    writeFileAtomic(target.file, renderPng(svg));
}
//# sourceMappingURL=graph.js.map