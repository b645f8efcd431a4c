// `memsched export`: the network as an ONNX file, with its weights or seeded ones, for other runtimes.
import { runnableNetwork } from '../codegen/c.js';
import { loadNetwork } from '../frontends/index.js';
import { exportOnnx, exportOpset } from '../frontends/onnx/export.js';
import { InputError } from '../ir/errors.js';
import { checkWritable, writeFileAtomic } from '../util/files.js';
import { oneModel } from './common.js';
export const exportCommand = {
    name: 'export',
    usage: `  export <model>      the network as ONNX (opset ${exportOpset}, batch 1), with seeded weights if it has none
      -o FILE           the .onnx file to write`,
    flags: { o: { type: 'string', short: 'o' } },
    run(flags, positionals) {
        const out = flags['o'];
        if (typeof out !== 'string')
            throw new InputError("'export' needs -o FILE (.onnx)");
        const model = oneModel(positionals, 'export');
        checkWritable(out);
        const loaded = loadNetwork(model);
        const net = runnableNetwork(loaded);
        const bytes = exportOnnx(net);
        writeFileAtomic(out, bytes);
        if (net !== loaded)
            console.error(`memsched: ${model} has no weights: ${out} holds seeded ones`);
        return 0;
    },
};
//# sourceMappingURL=export.js.map