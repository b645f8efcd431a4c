// The reference inference on the ONNX fixtures that ship PyTorch's outputs: error and run time.
// VDSR (43.6 GMACs) takes about a minute, too slow for the test suite, so the full set runs here:
// `node dist/bench/reference.js [fixture...]` after `npm run build`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOnnxFile } from '../frontends/onnx/load.js';
import { difference, readRaw, runNetwork, withinTolerance } from '../reference/index.js';
/** The fixtures with NAME.input.bin / NAME.output.bin / NAME.io.json next to NAME.onnx. */
export const onnxFixtures = ['squeezenet1_1', 'mobilenet_v2', 'resnet18', 'vdsr'];
/** NAME.io.json names the data files; their shapes are the network's own (checked by size). */
function ioFile(dir, fixture) {
    const io = JSON.parse(readFileSync(path.join(dir, `${fixture}.io.json`), 'utf8'));
    return { input: path.join(dir, io.input.file), output: path.join(dir, io.output.file) };
}
/** Runs one fixture and compares the output with PyTorch's. */
export async function runOnnxFixture(fixture, dir) {
    const net = loadOnnxFile(path.join(dir, `${fixture}.onnx`));
    const files = ioFile(dir, fixture);
    const input = net.inputs[0];
    const outputName = net.outputs[0];
    const outputShape = net.layers.find((l) => l.name === outputName).shape;
    const x = readRaw(files.input, input.shape);
    const expected = readRaw(files.output, outputShape);
    const start = process.hrtime.bigint();
    const y = (await runNetwork(net, { [input.name]: x }))[outputName];
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const d = difference(y, expected);
    return { fixture, seconds, ...d, ok: withinTolerance(d) };
}
export async function referenceBench(fixtures = onnxFixtures, dir = path.resolve(process.cwd(), '../shared/networks/onnx')) {
    const results = [];
    for (const f of fixtures)
        results.push(await runOnnxFixture(f, dir));
    return results;
}
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
    const names = process.argv.slice(2);
    for (const r of await referenceBench(names.length > 0 ? names : onnxFixtures))
        console.log(`${r.fixture}: ${r.seconds.toFixed(2)} s, max |error| ${r.maxAbs.toExponential(2)}, ` +
            `max |PyTorch| ${r.maxRef.toExponential(2)}, relative ${r.relative.toExponential(2)} ${r.ok ? 'ok' : 'FAIL'}`);
}
//# sourceMappingURL=reference.js.map