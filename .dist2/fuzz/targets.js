// What is fuzzed: per parser, its seed inputs, how a case mutates them, and the memsched command that reads
// them. A case is named `target:seed:index` and re-created from that name alone.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Chooser, hashSeed, mutateBytes, mutateJsonText, mutatePng, mutateProtobuf, mutatePrototxt, mutateRawFloats, } from './mutate.js';
import { mutateOnnxModel } from './onnx.js';
/** The checkout (from src/fuzz or dist/fuzz alike). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const networks = resolve(repoRoot, '../shared/networks');
const ownSeeds = join(repoRoot, 'bench/fuzz/seeds');
const cache = new Map();
function seed(path) {
    let b = cache.get(path);
    if (!b) {
        b = new Uint8Array(readFileSync(path));
        cache.set(path, b);
    }
    return b;
}
const net = (p) => seed(join(networks, p));
const own = (p) => seed(join(ownSeeds, p));
const text = (b) => new TextDecoder().decode(b);
const simpleProto = 'caffe/simple/simple.prototxt';
const simpleFiles = () => [
    { name: 'simple.prototxt', data: net(simpleProto) },
    { name: 'simple.caffemodel', data: net('caffe/simple/simple.caffemodel') },
];
const onnxSeeds = [
    'onnx/resnet18.shape.onnx',
    'onnx/squeezenet1_1.shape.onnx',
    'onnx/googlenet.shape.onnx',
    'onnx/mobilenet_v3_small.shape.onnx',
    'onnx/mobilenet_v2.shape.onnx',
];
function onnxArgs(c) {
    const r = c.next();
    if (r < 0.8)
        return ['inspect', 'model.onnx'];
    if (r < 0.9)
        return ['inspect', 'model.onnx', '--json', '--dot', 'g.dot'];
    return ['eval', 'model.onnx', '--baseline'];
}
// A few bytes of external data, for models whose mutation points a tensor at `w.bin`.
const externalData = Uint8Array.from({ length: 64 }, (_, i) => i);
/** Seeded float32 values in [0, 1): the raw input seed of the small Caffe net (1x20x20). */
function rawInput() {
    const c = new Chooser(1);
    const f = Float32Array.from({ length: 400 }, () => c.next());
    return new Uint8Array(f.buffer);
}
// The command lines the flag fuzzer starts from: every command and flag, on the small Caffe net.
const commandLines = [
    ['inspect', 'simple.prototxt'],
    ['inspect', 'simple.prototxt', '--json', '--dot', 'g.dot'],
    ['explore', 'simple.prototxt', '--max-fuse', '2', '--threads', '1', '-o', 'f2.json', '--budget', '1KiB'],
    ['explore', 'simple.prototxt', '--space', 'seed', '--width', '2', '--plot', 'p.svg', '--threads', '1'],
    [
        'explore',
        'simple.prototxt',
        '--max-recompute',
        '1',
        '--graph',
        'g.svg',
        '--budget',
        '200B',
        '--threads',
        '2',
    ],
    ['eval', 'simple.prototxt', '--schedule', 's.json', '--width', '2', '--json'],
    ['eval', 'simple.prototxt', '--baseline', '--width', '1', '--check'],
    ['eval', 'simple.prototxt', '--schedule', 'f.json', '--point', '3', '--graph', 'g.dot'],
    ['plot', 'f.json', 'f.json', '--labels', 'a,b', '--y', 'bytes', '-o', 'p.svg'],
    ['report', 'simple.prototxt', '--front', 'f.json', '--budget', '1KiB', '-o', 'r.html'],
    ['report', 'simple.prototxt', '--front', 'f.json', '--verify', 'v.json', '-o', 'r.html'],
    ['codegen', 'simple.prototxt', '--schedule', 'f.json', '--point', '5', '--target', 'c', '-o', 'out'],
    ['verify', 'simple.prototxt', '--schedule', 's.json', '--json', '--input', 'in.png'],
    // a front of three points: a mutation that drops --points still builds in seconds
    ['verify', 'simple.prototxt', '--front', 'f3.json', '--points', '0', '-o', 'v2.json'],
    ['zoo'],
    ['help'],
];
// Values put where a flag or its value was. Only names inside the case folder: a mutated output flag must
// never name a file of the checkout, the fixtures or the system (the fuzzer may run as root).
const flagValues = [
    '',
    '-1',
    '0',
    '1',
    '2',
    '3',
    '4',
    '8',
    '1.5',
    '1e309',
    'NaN',
    '99999999999',
    '-',
    '--',
    '=',
    'KiB',
    '1KiB',
    '0B',
    '1e3MiB',
    '1 KiB',
    '-5KiB',
    'all',
    'seed',
    'full',
    'c',
    'halide',
    'x',
    '\u00e9',
    'zoo:',
    'zoo:nope',
    'zoo:traffic',
    'missing.json',
    '.',
    'out',
    'f.json',
    's.json',
    'v.json',
    'simple.prototxt',
    'simple.caffemodel',
    'in.png',
    'g.txt',
    'p.pdf',
    'r.htm',
    '0,0,1',
    '1,',
    ',',
    'a,b,c',
    'accesses',
    'bytes',
    '-O3 -march=native',
    '-o x',
    'x.c',
    '--json',
    '--budget',
    '--point',
    '--points',
    '--nope',
    '-x',
    '-o',
    '--o',
    '--help',
];
const flagNames = [
    '--json',
    '--dot',
    '--budget',
    '--width',
    '--space',
    '--max-fuse',
    '--max-recompute',
    '-o',
    '--threads',
    '--plot',
    '--graph',
    '--schedule',
    '--point',
    '--points',
    '--baseline',
    '--check',
    '--labels',
    '--y',
    '--front',
    '--verify',
    '--target',
    '--input',
    '--sanitize',
    '--cflags',
    '--nope',
];
const commands = [
    'inspect',
    'explore',
    'eval',
    'plot',
    'report',
    'codegen',
    'verify',
    'zoo',
    'help',
    'evaluate',
    '',
    '-h',
    '--version',
];
function mutateArgs(c, args) {
    const out = [...args];
    for (let k = c.count(4); k > 0; k--) {
        const i = c.int(0, Math.max(0, out.length - 1));
        switch (c.int(0, 8)) {
            case 0:
                out.splice(i, 1);
                break;
            case 1:
                out.splice(i, 0, out[i] ?? 'x');
                break;
            case 2:
                if (out.length > 1)
                    out.splice(i, 2, ...out.slice(i, i + 2).reverse());
                break;
            case 3:
                out.splice(c.int(0, out.length), 0, c.pick(flagNames), ...(c.chance(0.6) ? [c.pick(flagValues)] : []));
                break;
            case 4:
                if (out[i]?.startsWith('--') && out[i + 1] !== undefined)
                    out.splice(i, 2, `${out[i]}=${c.pick(flagValues)}`);
                else
                    out[i] = c.pick(flagValues);
                break;
            case 5:
                if (out.length > 0)
                    out[0] = c.pick(commands);
                break;
            default:
                out[i] = c.pick(flagValues);
        }
    }
    return out;
}
/** A front file cut to its first points (the point chosen for its budget dropped). */
function firstPoints(front, n) {
    const json = JSON.parse(new TextDecoder().decode(front));
    json.front = json.front.slice(0, n);
    delete json.chosen;
    return new TextEncoder().encode(JSON.stringify(json));
}
function flagCase(c) {
    return {
        files: [
            ...simpleFiles(),
            { name: 'f.json', data: own('simple.front.json') },
            { name: 'f3.json', data: firstPoints(own('simple.front.json'), 3) },
            { name: 's.json', data: own('simple.schedule.json') },
            { name: 'v.json', data: own('simple.verify.json') },
            { name: 'in.png', data: net('caffe/simple/lena_20x20.png') },
        ],
        args: mutateArgs(c, c.pick(commandLines)),
    };
}
export const targets = [
    {
        name: 'onnx-bytes',
        what: 'ONNX files: bytes flipped, cut, inserted, spliced; protobuf fields changed blind (wire format)',
        weight: 18,
        build(c) {
            const s = net(c.pick(onnxSeeds));
            const data = (c.chance(0.5) && mutateProtobuf(c, s)) || mutateBytes(c, s, net(c.pick(onnxSeeds)));
            return { files: [{ name: 'model.onnx', data }], args: onnxArgs(c) };
        },
    },
    {
        name: 'onnx-graph',
        what: 'ONNX models decoded with the frontend schema: dims, attributes, types, names, edges, operators, external data',
        weight: 22,
        build(c) {
            const s = net(c.chance(0.02) ? 'onnx/squeezenet1_1.onnx' : c.pick(onnxSeeds));
            const data = mutateOnnxModel(c, s) ?? mutateBytes(c, s);
            return {
                files: [
                    { name: 'model.onnx', data },
                    { name: 'w.bin', data: externalData },
                ],
                args: onnxArgs(c),
            };
        },
    },
    {
        name: 'prototxt',
        what: 'Caffe prototxt text: tokens dropped, repeated, replaced; blocks dropped or repeated; truncation',
        weight: 18,
        build(c) {
            const r = c.next();
            const file = r < 0.4
                ? simpleProto
                : r < 0.6
                    ? 'caffe/vdsr/VDSR_net_deploy.prototxt'
                    : r < 0.75
                        ? 'caffe/mobilenet_v1/mobilenet_deploy.prototxt'
                        : r < 0.9
                            ? 'caffe/resnet50/ResNet-50-deploy.prototxt'
                            : r < 0.98
                                ? 'caffe/mobilenet_v2/mobilenet_v2_deploy.prototxt'
                                : 'caffe/traffic/traffic.prototxt';
            const source = net(file);
            const data = c.chance(0.9) ? mutatePrototxt(c, text(source)) : mutateBytes(c, source);
            const files = [{ name: 'model.prototxt', data }];
            if (file === simpleProto && c.chance(0.5))
                files.push({ name: 'model.caffemodel', data: net('caffe/simple/simple.caffemodel') });
            return {
                files,
                args: c.chance(0.9) ? ['inspect', 'model.prototxt'] : ['eval', 'model.prototxt', '--baseline'],
            };
        },
    },
    {
        name: 'caffemodel',
        what: 'Caffe weights (.caffemodel beside its prototxt): bytes and protobuf fields',
        weight: 12,
        build(c) {
            const vdsr = c.chance(0.1);
            const proto = net(vdsr ? 'caffe/vdsr/VDSR_net_deploy.prototxt' : simpleProto);
            const s = net(vdsr ? 'caffe/vdsr/VDSR_net_deploy.caffemodel' : 'caffe/simple/simple.caffemodel');
            const data = (c.chance(0.6) && mutateProtobuf(c, s)) || mutateBytes(c, s);
            return {
                files: [
                    { name: 'model.prototxt', data: proto },
                    { name: 'model.caffemodel', data },
                ],
                args: c.chance(0.9) ? ['inspect', 'model.prototxt'] : ['eval', 'model.prototxt', '--baseline'],
            };
        },
    },
    {
        name: 'schedule',
        what: 'schedule JSON (eval, eval --check, codegen)',
        weight: 10,
        build(c) {
            const simple = c.chance(0.85);
            const data = mutateJsonText(c, text(own(simple ? 'simple.schedule.json' : 'traffic.schedule.json')));
            const model = simple ? 'simple.prototxt' : 'zoo:traffic';
            const r = c.next();
            const args = r < 0.7
                ? ['eval', model, '--schedule', 's.json']
                : r < 0.8
                    ? // the traffic net's full check takes minutes: a case must end in seconds
                        ['eval', model, '--schedule', 's.json', '--check', '--check-limit', '20000000']
                    : ['codegen', model, '--schedule', 's.json', '-o', 'out'];
            return { files: [...(simple ? simpleFiles() : []), { name: 's.json', data }], args };
        },
    },
    {
        name: 'front',
        what: 'front JSON written by explore -o (eval --point, plot, report --front, codegen --point)',
        weight: 10,
        build(c) {
            const data = mutateJsonText(c, text(own('simple.front.json')));
            const point = String(c.chance(0.9) ? c.int(0, 49) : c.pick([-1, 50, 1e9]));
            const r = c.next();
            const args = r < 0.45
                ? ['eval', 'simple.prototxt', '--schedule', 'f.json', '--point', point]
                : r < 0.7
                    ? ['plot', 'f.json', '-o', 'p.svg']
                    : r < 0.75
                        ? ['report', 'simple.prototxt', '--front', 'f.json', '-o', 'r.html']
                        : ['codegen', 'simple.prototxt', '--schedule', 'f.json', '--point', point, '-o', 'out'];
            return { files: [...simpleFiles(), { name: 'f.json', data }], args };
        },
    },
    {
        name: 'verify-json',
        what: 'verify JSON written by verify -o (report --verify)',
        weight: 1,
        build(c) {
            return {
                files: [
                    ...simpleFiles(),
                    { name: 'f.json', data: own('simple.front.json') },
                    { name: 'v.json', data: mutateJsonText(c, text(own('simple.verify.json'))) },
                ],
                args: ['report', 'simple.prototxt', '--front', 'f.json', '--verify', 'v.json', '-o', 'r.html'],
            };
        },
    },
    {
        name: 'input',
        what: 'verify --input: PNG chunks (CRCs kept valid) and raw float32 (length, NaN, infinities); builds C when the input is accepted',
        weight: 0.3,
        build(c) {
            const png = c.chance(0.6);
            const data = png
                ? c.chance(0.8)
                    ? mutatePng(c, net('caffe/simple/lena_20x20.png'))
                    : mutateBytes(c, net('caffe/simple/lena_20x20.png'))
                : mutateRawFloats(c, rawInput());
            const name = png ? 'in.png' : 'in.bin';
            return {
                files: [...simpleFiles(), { name: 's.json', data: own('simple.schedule.json') }, { name, data }],
                args: ['verify', 'simple.prototxt', '--schedule', 's.json', '--input', name],
            };
        },
    },
    {
        name: 'flags',
        what: 'command lines of every command with flags dropped, repeated, swapped, given odd values',
        weight: 4,
        build: flagCase,
    },
    {
        name: 'cli',
        what: 'as flags, run in the real memsched process (one process per case)',
        weight: 0.25,
        spawn: true,
        build: flagCase,
    },
];
export function target(name) {
    return targets.find((t) => t.name === name);
}
/** The case `target:seed:index`, the same on every run. */
export function buildCase(t, runSeed, index) {
    return t.build(new Chooser(hashSeed(`${t.name}:${runSeed}:${index}`)));
}
//# sourceMappingURL=targets.js.map