// ONNX frontend: turns an ONNX model into the network IR at batch 1.
// Constants, and the shape arithmetic exporters derive from Shape, are evaluated while loading;
// Identity/Dropout become aliases; point-wise operators (also when written out as several nodes),
// batch-norm (an affine layer where it cannot be), constant Add/Sub/Mul/Div, Pad and Flatten/Reshape
// are folded into neighbouring layers, so every IR layer is one real operation. Anything that cannot be
// represented exactly is an error.
//
// The parts, in the order a model meets them: decode.ts reads the protobuf and tensor data (external
// files, float16/bfloat16); graph.ts orders the nodes, drops Identity/Dropout and binds the inputs to
// batch 1; converter.ts holds the conversion's state (values.ts: what each ONNX name stands for) and
// sends each node to its operator family in ops/ (ops/index.ts lists them), which read attributes
// through attributes.ts and fail through node.ts; constfold.ts evaluates constant subgraphs.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../../ir/errors.js';
import { Converter } from './converter.js';
import { ioReason, readModel } from './decode.js';
/** Reads and converts an ONNX file; external tensor data is looked up next to it. */
export function loadOnnxFile(path) {
    let bytes;
    try {
        bytes = readFileSync(path);
    }
    catch (e) {
        throw new InputError(`cannot read the model: ${ioReason(e)}`, { file: path });
    }
    return loadOnnx(bytes, path, dirname(path));
}
/**
 * Converts ONNX bytes. `file` names the model in errors (and the network); `baseDir` is where
 * external data files are resolved (without it, a model with external data is an error).
 */
export function loadOnnx(bytes, file, baseDir) {
    try {
        const model = readModel(bytes);
        return new Converter(model, networkName(file), baseDir).convert();
    }
    catch (e) {
        if (e instanceof InputError)
            throw printable(e.inFile(file));
        throw e;
    }
}
/** Names come from the file and may hold control characters; errors must stay one line. */
function printable(e) {
    const clean = (s) => Array.from(s, (ch) => {
        const code = ch.charCodeAt(0);
        return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
    }).join('');
    const message = clean(e.message);
    const node = e.node === undefined ? undefined : clean(e.node);
    if (message === e.message && node === e.node)
        return e;
    return new InputError(message, { file: e.file, node });
}
function networkName(file) {
    return basename(file).replace(/\.onnx$/i, '') || 'onnx';
}
//# sourceMappingURL=load.js.map