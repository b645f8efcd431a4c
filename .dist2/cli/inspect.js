// `memsched inspect`: the per-layer table of a model, or its summary as JSON, and its graph.
import { loadNetwork } from '../frontends/index.js';
import { networkDot } from '../report/dot.js';
import { inspectText, summarizeNetwork } from '../report/inspect.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { oneModel } from './common.js';
export const inspectCommand = {
    name: 'inspect',
    usage: `  inspect <model>     per-layer table: shapes, kernels, MACs, parameters
      --json            print the summary as JSON
      --dot FILE        write the network graph (Graphviz dot)`,
    flags: { json: { type: 'boolean' }, dot: { type: 'string' } },
    run(flags, positionals) {
        const dot = flags['dot'];
        if (typeof dot === 'string')
            checkWritable(dot);
        const net = loadNetwork(oneModel(positionals, 'inspect'));
        const summary = summarizeNetwork(net);
        if (typeof dot === 'string')
            writeFileAtomic(dot, networkDot(net));
        console.log(flags['json'] ? JSON.stringify(summary, null, 2) : inspectText(summary));
        return 0;
    },
};
//# sourceMappingURL=inspect.js.map