// `memsched explore`: the Pareto front of on-chip memory versus DRAM accesses, as a table, a front file,
// a plot, and the graph of the point chosen for a budget.
import { defaultMaxRecompute, defaultMaxTiledFuse } from '../dse/explore.js';
import { retileSchedule, scheduleSteps } from '../dse/retile.js';
import { defaultMaxStrips } from '../dse/streaming.js';
import { frontFileOf, frontFileText } from '../formats/front.js';
import { loadNetwork } from '../frontends/index.js';
import { InputError } from '../ir/errors.js';
import { frontText } from '../report/front.js';
import { grouped } from '../report/table.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { budgetFlag, chooseForBudget, exploreWithProgress, oneModel, widthFlag } from './common.js';
import { graphTarget, writeGraph } from './graph.js';
import { plotTarget, writePlot } from './plot.js';
import { searchFlags, searchOptions } from './search-flags.js';
export const exploreCommand = {
    name: 'explore',
    usage: `  explore <model>     the Pareto front of on-chip memory versus DRAM accesses (layer fusion included)
      --budget SIZE     pick the point with the fewest accesses within SIZE (e.g. 256KiB)
      --width 1|2|4     element width in bytes (default 1)
      --space full|seed every tile size, or the paper tool's space: powers of two, one tile loop
                        innermost, no reuse except line buffers between fused layers, weights stored no
                        deeper than data, only convolutions fused (default full)
      --max-fuse N      fuse at most N layers a segment (default: no limit; 1: layer by layer)
      --max-fuse-joins N  fuse segments with joins (a tensor several of their layers read: residual,
                        inverted-residual, concat blocks) of at most N layers (default 12)
      --max-fuse-outputs N  also fuse segments with several outputs (an intermediate read after the
                        segment too, written to DRAM as computed: a block's output fused with the next
                        block's first layers) of at most N layers (default 0: none; 5 finds what
                        longer ones find on ResNet-50 and MobileNetV2, at 1.5-2x the search time)
      --segments dag|runs  a segment is any part of the layer graph with one output that no path
                        leaves and re-enters (a branch fused with its join while a parallel branch
                        runs apart), or only runs of the network's layer order (faster on networks
                        with wide branching, such as GoogLeNet; default dag)
      --own-levels N    search segments of up to N layers with each intermediate at its own store and
                        fill levels too (default 2, on networks of at most 8 layers 4; each more layer
                        costs about 3x the time)
      --max-recompute F only schedules computing at most F times each segment's least MACs
                        (1: fused layers never recompute; none: no limit; default ${defaultMaxRecompute})
      --max-strips N    also stream each fused segment's rows through raster line buffers, cut into
                        1 to N vertical strips (default ${defaultMaxStrips}; 0: no streaming schedules)
      --max-tiled-fuse N  search chains (every tensor read by one layer) of more than N layers over
                        streaming schedules only (default ${defaultMaxTiledFuse}, or --own-levels if larger;
                        --max-strips 0: all tiled)
      -o FILE           write every point with its schedule (read by eval --schedule FILE --point N)
      --threads N       search processes (default: all cores; the result does not depend on it)
      --plot FILE       plot the front (.svg or .png)
      --graph FILE      the network graph of the chosen point (.svg, .png or .dot; needs --budget)`,
    flags: {
        budget: { type: 'string' },
        width: { type: 'string' },
        o: { type: 'string', short: 'o' },
        plot: { type: 'string' },
        graph: { type: 'string' },
        ...searchFlags,
    },
    async run(flags, positionals) {
        const net = loadNetwork(oneModel(positionals, 'explore'));
        const w = widthFlag(flags['width']) ?? 1;
        const search = searchOptions(flags);
        const budget = budgetFlag(flags['budget']);
        // bad output files are refused before the search, not after
        const out = flags['o'];
        if (typeof out === 'string')
            checkWritable(out);
        const plot = typeof flags['plot'] === 'string' ? plotTarget(flags['plot']) : undefined;
        if (typeof flags['graph'] === 'string' && budget === undefined)
            throw new InputError('--graph draws the point chosen for the budget: give --budget SIZE');
        const graph = typeof flags['graph'] === 'string' ? graphTarget(flags['graph']) : undefined;
        const t0 = process.hrtime.bigint();
        const result = await exploreWithProgress(net, { ...search, elementBytes: w });
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const file = frontFileOf(result);
        if (budget !== undefined) {
            const chosen = chooseForBudget(file, budget);
            file.budgetBytes = budget;
            file.chosen = chosen;
        }
        if (typeof out === 'string')
            writeFileAtomic(out, frontFileText(file));
        if (plot)
            await writePlot(plot, [{ label: `${file.network} (${file.space}, ${w}-byte)`, file }], 'accesses');
        if (graph && file.chosen !== undefined)
            await writeGraph(graph, net, file.front[file.chosen].schedule);
        console.log(frontText(file, seconds));
        if (file.chosen !== undefined && budget !== undefined) {
            const point = file.front[file.chosen].schedule;
            const steps = scheduleSteps(net, point);
            const fewer = scheduleSteps(net, retileSchedule(net, point, budget));
            if (fewer < steps)
                console.log(`its loops take ${grouped(steps)} innermost steps; with larger tiles within the budget, ${grouped(fewer)} for no more accesses (memsched retile: faster code for the same point)`);
        }
        return 0;
    },
};
//# sourceMappingURL=explore.js.map