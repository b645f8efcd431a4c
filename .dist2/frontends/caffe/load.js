// Caffe network (prototxt, optionally with .caffemodel weights) to the memsched IR.
// Point-wise layers (ReLU, Sigmoid) and per-channel affine layers (BatchNorm, Scale) are folded into the
// layer producing their input (BatchNorm and Scale become an affine layer where they cannot be); Split
// and Dropout only alias blobs. Caffe blob names are reused in place (top == bottom), so the converter
// tracks which IR tensor currently holds each blob.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildNetwork } from '../../ir/build.js';
import { InputError } from '../../ir/errors.js';
import { affineParameters, foldAffine, takesAffine } from '../../ir/fold.js';
import { blobDims, decodeCaffemodel } from './caffemodel.js';
import { parseTextFormat, TextFields } from './prototxt.js';
// V1LayerParameter.LayerType: enum name, number, and the string type of the current format.
const v1Types = [
    ['NONE', 0, ''],
    ['ACCURACY', 1, 'Accuracy'],
    ['BNLL', 2, 'BNLL'],
    ['CONCAT', 3, 'Concat'],
    ['CONVOLUTION', 4, 'Convolution'],
    ['DATA', 5, 'Data'],
    ['DROPOUT', 6, 'Dropout'],
    ['EUCLIDEAN_LOSS', 7, 'EuclideanLoss'],
    ['FLATTEN', 8, 'Flatten'],
    ['HDF5_DATA', 9, 'HDF5Data'],
    ['HDF5_OUTPUT', 10, 'HDF5Output'],
    ['IM2COL', 11, 'Im2col'],
    ['IMAGE_DATA', 12, 'ImageData'],
    ['INFOGAIN_LOSS', 13, 'InfogainLoss'],
    ['INNER_PRODUCT', 14, 'InnerProduct'],
    ['LRN', 15, 'LRN'],
    ['MULTINOMIAL_LOGISTIC_LOSS', 16, 'MultinomialLogisticLoss'],
    ['POOLING', 17, 'Pooling'],
    ['RELU', 18, 'ReLU'],
    ['SIGMOID', 19, 'Sigmoid'],
    ['SOFTMAX', 20, 'Softmax'],
    ['SOFTMAX_LOSS', 21, 'SoftmaxWithLoss'],
    ['SPLIT', 22, 'Split'],
    ['TANH', 23, 'TanH'],
    ['WINDOW_DATA', 24, 'WindowData'],
    ['ELTWISE', 25, 'Eltwise'],
    ['POWER', 26, 'Power'],
    ['SIGMOID_CROSS_ENTROPY_LOSS', 27, 'SigmoidCrossEntropyLoss'],
    ['HINGE_LOSS', 28, 'HingeLoss'],
    ['MEMORY_DATA', 29, 'MemoryData'],
    ['ARGMAX', 30, 'ArgMax'],
    ['THRESHOLD', 31, 'Threshold'],
    ['DUMMY_DATA', 32, 'DummyData'],
    ['SLICE', 33, 'Slice'],
    ['MVN', 34, 'MVN'],
    ['ABSVAL', 35, 'AbsVal'],
    ['SILENCE', 36, 'Silence'],
    ['CONTRASTIVE_LOSS', 37, 'ContrastiveLoss'],
    ['EXP', 38, 'Exp'],
    ['DECONVOLUTION', 39, 'Deconvolution'],
];
const v1TypeNames = [];
for (const [name, n] of v1Types)
    v1TypeNames[n] = name;
const v1TypeOf = new Map(v1Types.map(([name, , type]) => [name, type]));
/** Layer types whose parameters are blobs (weights, statistics). */
const weightedTypes = new Set(['Convolution', 'InnerProduct', 'BatchNorm', 'Scale']);
const dataTypes = new Set(['Data', 'ImageData', 'HDF5Data', 'WindowData', 'AnnotatedData', 'VideoData']);
/**
 * Reads a Caffe network. When `caffemodelPath` is not given, a `.caffemodel` with the prototxt's base
 * name in the same folder is used if it exists.
 */
export function loadCaffeFile(prototxtPath, caffemodelPath) {
    const text = readFile(prototxtPath, 'utf8');
    let modelPath = caffemodelPath;
    if (modelPath === undefined) {
        const parsed = path.parse(prototxtPath);
        const candidate = path.join(parsed.dir, `${parsed.name}.caffemodel`);
        if (existsSync(candidate))
            modelPath = candidate;
    }
    const bytes = modelPath === undefined ? undefined : readFile(modelPath);
    return loadCaffe(text, prototxtPath, bytes, modelPath);
}
function readFile(file, encoding) {
    try {
        return encoding === undefined ? readFileSync(file) : readFileSync(file, encoding);
    }
    catch (e) {
        const code = e.code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : e.message;
        throw new InputError(`cannot read the file: ${why}`, { file });
    }
}
/**
 * Converts a Caffe prototxt (text) with optional caffemodel bytes. `file` and `caffemodelFile` name the
 * sources in errors.
 */
export function loadCaffe(prototxt, file, caffemodel, caffemodelFile) {
    const net = new TextFields(parseTextFormat(prototxt, file), { file });
    const model = caffemodel === undefined ? undefined : decodeCaffemodel(caffemodel, caffemodelFile ?? file);
    const layers = readLayers(net, file, model?.blobs, caffemodelFile ?? file);
    const converter = new Converter(layers);
    converter.headerInputs(net);
    for (const layer of layers)
        converter.convert(layer);
    const name = net.string('name') || path.parse(file).name;
    try {
        return buildNetwork(name, converter.inputs, converter.specs);
    }
    catch (e) {
        if (e instanceof InputError)
            throw e.inFile(file);
        throw e;
    }
}
function readLayers(net, file, modelBlobs, modelFile) {
    const current = net.subs('layer');
    const legacy = net.subs('layers');
    if (current.length > 0 && legacy.length > 0)
        net.fail(`the file mixes 'layer' and old-style 'layers' entries`, net.at('layers'));
    const layers = [];
    const seen = new Set();
    for (const raw of current.length > 0 ? current : legacy) {
        const name = raw.string('name') ?? '';
        const fields = raw.withNode(name || undefined);
        if (name === '')
            fields.fail('a layer has no name', raw.at());
        // Train and test variants of a layer may share a name, so names are checked after the phase filter.
        if (!inTestPhase(fields))
            continue;
        if (seen.has(name))
            fields.fail(`two layers are named '${name}'`, raw.at('name'));
        seen.add(name);
        const type = layerType(fields);
        const inline = fields.subs('blobs').map((b, i) => textBlob(b, i));
        const blobs = modelBlobs?.get(name) ?? (inline.length > 0 ? inline : undefined);
        layers.push({
            name,
            type,
            bottoms: fields.strings('bottom'),
            tops: fields.strings('top'),
            fields,
            blobs,
        });
    }
    if (layers.length === 0)
        throw new InputError('the file defines no layers', { file });
    // Weights are all there or all absent: a partly initialised network could be scheduled but not run.
    const weighted = layers.filter((l) => weightedTypes.has(l.type));
    const missing = weighted.find((l) => l.blobs === undefined);
    if (missing !== undefined) {
        if (modelBlobs !== undefined)
            throw new InputError(`the caffemodel ${modelFile} has no parameters for this ${missing.type} layer`, {
                file,
                node: missing.name,
            });
        const withBlobs = weighted.find((l) => l.blobs !== undefined);
        if (withBlobs !== undefined)
            throw new InputError(`this ${missing.type} layer has no parameter blobs while layer '${withBlobs.name}' has`, { file, node: missing.name });
    }
    return layers;
}
/** Deploy semantics: the net state is phase TEST. */
function inTestPhase(layer) {
    const phases = (rules) => rules.map((r) => r.enumName('phase', ['TRAIN', 'TEST'], ''));
    const include = phases(layer.subs('include'));
    const exclude = phases(layer.subs('exclude'));
    if (include.length > 0 && !include.some((p) => p === '' || p === 'TEST'))
        return false;
    return !exclude.includes('TEST');
}
function layerType(layer) {
    const f = layer.all('type');
    if (f.length === 0)
        layer.fail('the layer has no type', layer.at());
    if (f.length > 1)
        layer.fail(`'type' is given ${f.length} times`, f[1]);
    const v = f[0].value;
    if (v.kind === 'string')
        return v.value;
    // Old-style layers give the type as an enum, by name or number.
    return v1TypeOf.get(layer.enumOf(f[0], v1TypeNames)) ?? '';
}
function textBlob(b, index) {
    const data = b.has('data') ? b.floats('data') : b.floats('double_data');
    const shape = b.has('shape') ? { dim: b.sub('shape').ints('dim') } : undefined;
    const dims = blobDims({
        shape,
        num: b.int('num'),
        channels: b.int('channels'),
        height: b.int('height'),
        width: b.int('width'),
    });
    if (data.length === 0)
        b.fail(`blob ${index} has no values`, b.at());
    return { dims, data: Float32Array.from(data) };
}
/** Converts layers one by one in file order (Caffe requires bottoms to be produced before use). */
class Converter {
    all;
    inputs = [];
    specs = [];
    specByName = new Map();
    /** The IR tensor currently holding each Caffe blob. */
    producer = new Map();
    /** Blobs whose producer was changed by a folded layer writing another blob: name -> that layer. */
    stale = new Map();
    channels = new Map();
    /** IR tensors read by some layer: folding into their producer would change what those layers see. */
    consumed = new Set();
    usedNames = new Set();
    layer;
    layerNames;
    /** Index of the layer being converted in `all`. */
    at = -1;
    /** @param all every Caffe layer, in file order (their names are kept for their IR layers). */
    constructor(all) {
        this.all = all;
        this.layerNames = new Set(all.map((l) => l.name));
    }
    fail(message, at) {
        return this.layer.fields.fail(message, at);
    }
    headerInputs(net) {
        const names = net.strings('input');
        const dims = net.ints('input_dim');
        const shapes = net.subs('input_shape');
        if (names.length === 0) {
            if (dims.length > 0 || shapes.length > 0)
                net.fail(`'input_dim'/'input_shape' without 'input'`, net.at());
            return;
        }
        if (shapes.length > 0) {
            if (dims.length > 0)
                net.fail(`both 'input_dim' and 'input_shape' are given`, net.at('input_dim'));
            if (shapes.length !== names.length)
                net.fail(`${names.length} inputs but ${shapes.length} 'input_shape' entries`, net.at('input_shape'));
            names.forEach((n, i) => {
                this.addInput(n, shapeFromDims(shapes[i].ints('dim'), net.withNode(n), shapes[i].at()), net);
            });
            return;
        }
        if (dims.length !== 4 * names.length)
            net.fail(`${names.length === 1 ? '1 input needs' : `${names.length} inputs need`} ${4 * names.length} 'input_dim' values, got ${dims.length}`, net.at('input_dim'));
        names.forEach((n, i) => {
            this.addInput(n, shapeFromDims(dims.slice(4 * i, 4 * i + 4), net.withNode(n), net.at('input_dim')), net);
        });
    }
    addInput(name, shape, where) {
        if (this.producer.has(name))
            where.withNode(name).fail(`input '${name}' is declared twice`);
        this.inputs.push({ name, shape });
        this.producer.set(name, name);
        this.channels.set(name, shape.c);
        this.usedNames.add(name);
    }
    convert(layer) {
        this.layer = layer;
        this.at = this.all.indexOf(layer);
        switch (layer.type) {
            case 'Input':
                this.input();
                return;
            case 'DummyData':
                this.dummyData();
                return;
            case 'MemoryData':
                this.memoryData();
                return;
            case 'Convolution':
                this.convolution();
                return;
            case 'InnerProduct':
                this.innerProduct();
                return;
            case 'Pooling':
                this.pooling();
                return;
            case 'ReLU': {
                const slope = layer.fields.sub('relu_param').float('negative_slope', 0);
                if (slope !== 0)
                    this.fail(`leaky ReLU (negative_slope ${slope}) is not supported`);
                this.pointwise({ op: 'relu' });
                return;
            }
            case 'ReLU6':
                this.pointwise({ op: 'clip', min: 0, max: 6 });
                return;
            case 'Clip': {
                const p = layer.fields.sub('clip_param');
                if (!p.has('min') || !p.has('max'))
                    this.fail(`a Clip layer needs 'clip_param { min max }'`);
                this.pointwise({ op: 'clip', min: p.float('min', 0), max: p.float('max', 0) });
                return;
            }
            case 'Sigmoid':
                this.pointwise({ op: 'sigmoid' });
                return;
            case 'BatchNorm':
                this.batchNorm();
                return;
            case 'Scale':
                this.scale();
                return;
            case 'Eltwise':
                this.eltwise();
                return;
            case 'Concat':
                this.concat();
                return;
            case 'Slice':
                this.slice();
                return;
            case 'Split':
                this.alias(1, undefined);
                return;
            case 'Dropout':
                this.alias(1, 1);
                return;
            case 'LRN':
                this.lrn();
                return;
            case 'Softmax':
                this.softmax();
                return;
            default:
                if (dataTypes.has(layer.type))
                    this.fail(`a ${layer.type} layer gives no input shape; use an Input layer or 'input'/'input_dim' (a deploy prototxt)`);
                this.fail(`unsupported layer type '${layer.type}'`, layer.fields.at('type'));
                return;
        }
    }
    // ---- blobs and names ----
    arity(bottoms, tops) {
        const { name, type } = this.layer;
        const check = (n, got, what) => {
            if (n !== undefined && got !== n)
                this.fail(`a ${type} layer takes ${n} ${what}${n === 1 ? '' : 's'}, '${name}' has ${got}`);
        };
        check(bottoms, this.layer.bottoms.length, 'bottom');
        check(tops, this.layer.tops.length, 'top');
        if (this.layer.tops.length === 0)
            this.fail(`the layer has no top`);
    }
    /** The IR tensor holding a bottom blob. */
    lookup(blob) {
        const at = this.layer.fields
            .all('bottom')
            .find((f) => f.value.kind === 'string' && f.value.value === blob);
        const by = this.stale.get(blob);
        if (by !== undefined)
            this.fail(`bottom '${blob}' is read after layer '${by}' was folded into its producer; this is not supported`, at);
        const t = this.producer.get(blob);
        if (t === undefined)
            this.fail(`bottom '${blob}' is produced by no earlier layer or input`, at);
        return t;
    }
    /** The IR tensor holding a bottom blob, marked as read by a layer of the IR. */
    read(blob) {
        const t = this.lookup(blob);
        this.consumed.add(t);
        return t;
    }
    inChannels(tensor) {
        return this.channels.get(tensor);
    }
    /** A name not taken by an IR layer or input, nor by another Caffe layer (its own name is fine). */
    uniqueName(base) {
        const taken = (n) => this.usedNames.has(n) || (n !== this.layer.name && this.layerNames.has(n));
        let name = base;
        for (let i = 2; taken(name); i++)
            name = `${base}_${i}`;
        this.usedNames.add(name);
        return name;
    }
    emit(spec, top, channels) {
        this.specs.push(spec);
        this.specByName.set(spec.name, spec);
        this.channels.set(spec.name, channels);
        this.write(top, spec.name);
    }
    write(blob, tensor) {
        this.producer.set(blob, tensor);
        this.stale.delete(blob);
    }
    base() {
        return {
            name: this.uniqueName(this.layer.name),
            inputs: this.layer.bottoms.map((b) => this.read(b)),
            post: [],
        };
    }
    /**
     * The layer producing the single bottom, which this layer folds into. Nothing may have read the
     * producer's output yet, and other blobs it held are no longer valid afterwards.
     */
    foldTarget(what) {
        this.arity(1, 1);
        const bottom = this.layer.bottoms[0];
        const tensor = this.lookup(bottom);
        const spec = this.specByName.get(tensor);
        if (spec === undefined)
            this.fail(`${what} directly on the network input '${bottom}' is not supported`);
        if (this.consumed.has(tensor))
            this.fail(`${what} cannot be folded into layer '${spec.name}': its output is also read before this layer`);
        const top = this.layer.tops[0];
        for (const [blob, t] of this.producer)
            if (t === tensor && blob !== top) {
                this.producer.delete(blob);
                this.stale.set(blob, this.layer.name);
            }
        this.write(top, tensor);
        return spec;
    }
    alias(bottoms, tops) {
        this.arity(bottoms, tops);
        // Not a read: a ReLU after an in-place Dropout still folds into the layer before.
        const t = this.lookup(this.layer.bottoms[0]);
        for (const top of this.layer.tops)
            this.write(top, t);
    }
    /** The parameter blobs, checking there are between `min` and `max` of them. */
    blobs(min, max = min) {
        const blobs = this.layer.blobs;
        if (blobs === undefined)
            return undefined;
        if (blobs.length < min || blobs.length > max)
            this.fail(`expects ${min === max ? min : `${min} to ${max}`} parameter blob${max === 1 ? '' : 's'}, found ${blobs.length}`);
        return blobs;
    }
    // ---- inputs ----
    input() {
        const shapes = this.layer.fields.sub('input_param').subs('shape');
        const tops = this.layer.tops;
        if (tops.length === 0)
            this.fail('the Input layer has no top');
        if (shapes.length === 0)
            this.fail(`the Input layer has no 'input_param { shape { ... } }'`);
        if (shapes.length !== 1 && shapes.length !== tops.length)
            this.fail(`${tops.length} tops but ${shapes.length} shapes`);
        tops.forEach((top, i) => {
            const s = shapes[shapes.length === 1 ? 0 : i];
            this.addInput(top, shapeFromDims(s.ints('dim'), this.layer.fields, s.at()), this.layer.fields);
        });
    }
    dummyData() {
        const p = this.layer.fields.sub('dummy_data_param');
        const shapes = p.subs('shape');
        this.layer.tops.forEach((top, i) => {
            let shape;
            if (shapes.length > 0) {
                const s = shapes[shapes.length === 1 ? 0 : i];
                if (s === undefined)
                    this.fail(`${this.layer.tops.length} tops but ${shapes.length} shapes`);
                shape = shapeFromDims(s.ints('dim'), this.layer.fields, s.at());
            }
            else {
                const pick = (field) => {
                    const v = p.ints(field);
                    const x = v[v.length === 1 ? 0 : i];
                    if (x === undefined)
                        this.fail(`'${field}' is missing for top ${i}`, p.at(field));
                    return x;
                };
                shape = shapeFromDims([pick('num'), pick('channels'), pick('height'), pick('width')], this.layer.fields, p.at());
            }
            this.addInput(top, shape, this.layer.fields);
        });
    }
    memoryData() {
        const p = this.layer.fields.sub('memory_data_param');
        const dims = ['channels', 'height', 'width'].map((f) => p.int(f) ?? this.fail(`'${f}' is missing`, p.at()));
        this.addInput(this.layer.tops[0] ?? this.fail('the layer has no top'), shapeFromDims(dims, this.layer.fields, p.at()), this.layer.fields);
    }
    // ---- computing layers ----
    convolution() {
        this.arity(1, 1);
        const p = this.layer.fields.sub('convolution_param');
        const outChannels = positiveInt(p, 'num_output');
        const hasBias = p.bool('bias_term', true);
        const axis = p.int('axis', 1);
        if (axis !== 1)
            this.fail(`convolution over axis ${axis} is not supported (only 1, channels)`, p.at('axis'));
        const kernel = pairOf(p, 'kernel_size', 'kernel_h', 'kernel_w', undefined, 1);
        const stride = pairOf(p, 'stride', 'stride_h', 'stride_w', 1, 1);
        const pad = pairOf(p, 'pad', 'pad_h', 'pad_w', 0, 0);
        const dilation = pairOf(p, 'dilation', undefined, undefined, 1, 1);
        const groups = p.int('group', 1);
        if (groups < 1)
            this.fail(`group must be at least 1, got ${groups}`, p.at('group'));
        const blobs = this.blobs(hasBias ? 2 : 1);
        const base = this.base();
        const spec = {
            kind: 'conv',
            ...base,
            outChannels,
            kernel,
            stride,
            dilation,
            pads: symmetric(pad),
            groups,
            hasBias,
            fullyConnected: false,
        };
        if (blobs !== undefined) {
            spec.weights = blobs[0].data;
            if (hasBias)
                spec.bias = blobs[1].data;
        }
        this.emit(spec, this.layer.tops[0], outChannels);
    }
    innerProduct() {
        this.arity(1, 1);
        const p = this.layer.fields.sub('inner_product_param');
        const outChannels = positiveInt(p, 'num_output');
        const hasBias = p.bool('bias_term', true);
        const axis = p.int('axis', 1);
        if (axis !== 1)
            this.fail(`InnerProduct over axis ${axis} is not supported (only 1)`, p.at('axis'));
        const transpose = p.bool('transpose', false);
        const blobs = this.blobs(hasBias ? 2 : 1);
        const spec = {
            kind: 'conv',
            ...this.base(),
            outChannels,
            kernel: [1, 1],
            stride: [1, 1],
            dilation: [1, 1],
            pads: symmetric([0, 0]),
            groups: 1,
            hasBias,
            fullyConnected: true,
        };
        if (blobs !== undefined) {
            let weights = blobs[0].data;
            // transpose: the blob is [inputs][outputs] instead of [outputs][inputs].
            if (transpose) {
                const inputs = weights.length / outChannels;
                if (!Number.isInteger(inputs))
                    this.fail(`weights have ${weights.length} values, not a multiple of num_output ${outChannels}`);
                const t = new Float32Array(weights.length);
                for (let i = 0; i < inputs; i++)
                    for (let o = 0; o < outChannels; o++)
                        t[o * inputs + i] = weights[i * outChannels + o];
                weights = t;
            }
            spec.weights = weights;
            if (hasBias)
                spec.bias = blobs[1].data;
        }
        this.emit(spec, this.layer.tops[0], outChannels);
    }
    pooling() {
        this.arity(1, 1);
        const p = this.layer.fields.sub('pooling_param');
        const mode = p.enumName('pool', ['MAX', 'AVE', 'STOCHASTIC'], 'MAX');
        if (mode === 'STOCHASTIC')
            this.fail('stochastic pooling is not supported', p.at('pool'));
        const global = p.bool('global_pooling', false);
        if (global && (p.has('kernel_size') || p.has('kernel_h') || p.has('kernel_w')))
            this.fail('global pooling must not give a kernel size', p.at('kernel_size'));
        const kernel = global ? [1, 1] : pairOf(p, 'kernel_size', 'kernel_h', 'kernel_w', undefined, 1);
        const stride = pairOf(p, 'stride', 'stride_h', 'stride_w', 1, 1);
        const pad = pairOf(p, 'pad', 'pad_h', 'pad_w', 0, 0);
        if (global && (pad[0] !== 0 || pad[1] !== 0 || stride[0] !== 1 || stride[1] !== 1))
            this.fail('global pooling takes no padding and stride 1', p.at());
        // Some Caffe forks let pooling round down; the original always rounds up.
        const ceilMode = p.enumName('round_mode', ['CEIL', 'FLOOR'], 'CEIL') === 'CEIL';
        const inputs = this.base();
        const spec = {
            kind: 'pool',
            ...inputs,
            mode: mode === 'MAX' ? 'max' : 'avg',
            kernel,
            stride,
            pads: symmetric(pad),
            ceilMode,
            countIncludePad: true,
            global,
        };
        this.emit(spec, this.layer.tops[0], this.inChannels(inputs.inputs[0]));
    }
    pointwise(op) {
        const spec = this.foldTarget(`a ${this.layer.type} layer`);
        spec.post.push(op);
    }
    /**
     * Where a BatchNorm or Scale goes: folded into the convolution (or affine layer) producing its bottom
     * when nothing else has read that output and no point-wise operator comes between, otherwise a layer
     * of its own (after a Concat, Eltwise or Pooling, as in DenseNet's pre-activation blocks).
     */
    affineTarget() {
        this.arity(1, 1);
        const tensor = this.lookup(this.layer.bottoms[0]);
        const spec = this.specByName.get(tensor);
        const channels = this.inChannels(tensor);
        const top = this.layer.tops[0];
        // a blob holding the producer's output that a later layer reads: folding would change what it sees
        const readLater = [...this.producer].some(([blob, t]) => t === tensor && blob !== top && this.readLater(blob));
        const foldable = takesAffine(spec) && !this.consumed.has(tensor) && !readLater;
        if (!foldable)
            return { fold: undefined, channels, owner: this.layer.bottoms[0] };
        this.foldTarget(`a ${this.layer.type} layer`);
        return { fold: spec, channels, owner: spec.name };
    }
    /** Whether a layer after the current one reads `blob` before some layer writes it anew. */
    readLater(blob) {
        for (const l of this.all.slice(this.at + 1)) {
            if (l.bottoms.includes(blob))
                return true;
            if (l.tops.includes(blob))
                return false;
        }
        return false;
    }
    checkChannels(target, blob, index) {
        if (blob.data.length !== target.channels)
            this.fail(`blob ${index} has ${blob.data.length} values, but '${target.owner}' has ${target.channels} channels`);
        return blob.data;
    }
    apply(target, affine) {
        const { fold } = target;
        if (fold === undefined) {
            const base = this.base();
            const spec = { kind: 'affine', ...base, ...affineParameters(affine, target.channels) };
            this.emit(spec, this.layer.tops[0], target.channels);
            return;
        }
        try {
            foldAffine(fold, affine);
        }
        catch (e) {
            if (e instanceof InputError)
                this.fail(e.message);
            throw e;
        }
    }
    batchNorm() {
        const p = this.layer.fields.sub('batch_norm_param');
        const eps = p.float('eps', 1e-5);
        const target = this.affineTarget();
        const blobs = this.blobs(3);
        if (blobs === undefined) {
            this.apply(target, 'shapeOnly');
            return;
        }
        const mean = this.checkChannels(target, blobs[0], 0);
        const variance = this.checkChannels(target, blobs[1], 1);
        const factorBlob = blobs[2].data;
        if (factorBlob.length !== 1)
            this.fail(`blob 2 (the moving-average factor) has ${factorBlob.length} values, expected 1`);
        // Caffe stores running sums; the third blob is their weight (0 means no statistics: use 0).
        const factor = factorBlob[0] === 0 ? 0 : 1 / factorBlob[0];
        const n = target.channels;
        const scale = new Float32Array(n);
        const shift = new Float32Array(n);
        for (let c = 0; c < n; c++) {
            const s = 1 / Math.sqrt(variance[c] * factor + eps);
            scale[c] = s;
            shift[c] = -mean[c] * factor * s;
        }
        this.apply(target, { scale, shift });
    }
    scale() {
        if (this.layer.bottoms.length === 2)
            this.fail('a Scale layer with a second bottom (the scale as input) is not supported');
        const p = this.layer.fields.sub('scale_param');
        const axis = p.int('axis', 1);
        const numAxes = p.int('num_axes', 1);
        if (axis !== 1 || numAxes !== 1)
            this.fail(`only per-channel Scale (axis 1, num_axes 1) is supported, got axis ${axis}, num_axes ${numAxes}`);
        const biasTerm = p.bool('bias_term', false);
        const target = this.affineTarget();
        const blobs = this.blobs(biasTerm ? 2 : 1);
        if (blobs === undefined) {
            // a convolution gains a bias only from a shift; an affine layer of its own is needed either way
            if (biasTerm || target.fold === undefined)
                this.apply(target, 'shapeOnly');
            return;
        }
        const scale = this.checkChannels(target, blobs[0], 0);
        const shift = biasTerm ? this.checkChannels(target, blobs[1], 1) : undefined;
        this.apply(target, shift === undefined ? { scale } : { scale, shift });
    }
    eltwise() {
        this.arity(undefined, 1);
        if (this.layer.bottoms.length < 2)
            this.fail(`an Eltwise layer needs at least 2 bottoms, got ${this.layer.bottoms.length}`);
        const p = this.layer.fields.sub('eltwise_param');
        const operation = p.enumName('operation', ['PROD', 'SUM', 'MAX'], 'SUM');
        const coeff = p.floats('coeff');
        if (coeff.some((c) => c !== 1))
            this.fail(`Eltwise coefficients other than 1 are not supported: [${coeff.join(', ')}]`, p.at('coeff'));
        const base = this.base();
        const op = operation === 'PROD' ? 'mul' : operation === 'SUM' ? 'add' : 'max';
        this.emit({ kind: 'eltwise', ...base, op }, this.layer.tops[0], this.inChannels(base.inputs[0]));
    }
    concat() {
        this.arity(undefined, 1);
        if (this.layer.bottoms.length === 0)
            this.fail('a Concat layer needs at least one bottom');
        const p = this.layer.fields.sub('concat_param');
        const axis = p.has('axis') ? p.int('axis', 1) : p.int('concat_dim', 1);
        if (axis !== 1)
            this.fail(`concatenation along axis ${axis} is not supported (only 1, channels)`, p.at());
        const base = this.base();
        const channels = base.inputs.reduce((n, t) => n + this.inChannels(t), 0);
        this.emit({ kind: 'concat', ...base }, this.layer.tops[0], channels);
    }
    slice() {
        this.arity(1, undefined);
        const p = this.layer.fields.sub('slice_param');
        const axis = p.has('axis') ? p.int('axis', 1) : p.int('slice_dim', 1);
        if (axis !== 1)
            this.fail(`slicing along axis ${axis} is not supported (only 1, channels)`, p.at());
        const input = this.read(this.layer.bottoms[0]);
        const c = this.inChannels(input);
        const tops = this.layer.tops;
        let points = p.ints('slice_point');
        if (points.length > 0) {
            if (points.length !== tops.length - 1)
                this.fail(`${points.length} slice points for ${tops.length} tops (need ${tops.length - 1})`, p.at('slice_point'));
            if (points.some((x, i) => x <= (i === 0 ? 0 : points[i - 1]) || x >= c))
                this.fail(`slice points [${points.join(', ')}] must increase strictly inside (0, ${c})`, p.at('slice_point'));
        }
        else {
            if (c % tops.length !== 0)
                this.fail(`${c} channels do not split equally into ${tops.length} tops`);
            points = tops.slice(1).map((_, i) => ((i + 1) * c) / tops.length);
        }
        const bounds = [0, ...points, c];
        tops.forEach((top, i) => {
            // One IR layer per top: a single top keeps the layer's name, several are named layer/top.
            const name = this.uniqueName(tops.length === 1 ? this.layer.name : `${this.layer.name}/${top}`);
            const start = bounds[i];
            const end = bounds[i + 1];
            this.emit({ kind: 'slice', name, inputs: [input], post: [], start, end }, top, end - start);
        });
    }
    lrn() {
        this.arity(1, 1);
        const p = this.layer.fields.sub('lrn_param');
        const region = p.enumName('norm_region', ['ACROSS_CHANNELS', 'WITHIN_CHANNEL'], 'ACROSS_CHANNELS');
        if (region !== 'ACROSS_CHANNELS')
            this.fail('LRN within a channel is not supported', p.at('norm_region'));
        const size = p.int('local_size', 5);
        if (size < 1 || size % 2 === 0)
            this.fail(`LRN local_size must be a positive odd number, got ${size}`, p.at('local_size'));
        const base = this.base();
        this.emit({
            kind: 'lrn',
            ...base,
            size,
            alpha: p.float('alpha', 1),
            beta: p.float('beta', 0.75),
            k: p.float('k', 1),
        }, this.layer.tops[0], this.inChannels(base.inputs[0]));
    }
    softmax() {
        this.arity(1, 1);
        const axis = this.layer.fields.sub('softmax_param').int('axis', 1);
        if (axis !== 1)
            this.fail(`softmax over axis ${axis} is not supported (only 1, channels)`);
        const base = this.base();
        this.emit({ kind: 'softmax', ...base }, this.layer.tops[0], this.inChannels(base.inputs[0]));
    }
}
/** N,C,H,W (batch ignored: the IR is at batch 1) or C,H,W. */
function shapeFromDims(dims, where, at) {
    if (dims.length !== 3 && dims.length !== 4)
        where.fail(`an input shape needs 3 (C,H,W) or 4 (N,C,H,W) dims, got [${dims.join(', ')}]`, at);
    if (dims.some((d) => !Number.isInteger(d) || d < 1))
        where.fail(`input dims must be positive integers, got [${dims.join(', ')}]`, at);
    const [c, h, w] = dims.slice(-3);
    return { c, h, w };
}
function positiveInt(p, field) {
    const v = p.int(field);
    if (v === undefined)
        p.fail(`'${field}' is missing`, p.at());
    if (v < 1)
        p.fail(`'${field}' must be positive, got ${v}`, p.at(field));
    return v;
}
/**
 * A [height, width] setting given as a repeated `both` (one value for both, or height then width)
 * or as the `h`/`w` pair; `fallback` undefined means it is required.
 */
function pairOf(p, both, h, w, fallback, min) {
    let pair;
    const hasHW = h !== undefined && w !== undefined && (p.has(h) || p.has(w));
    if (hasHW) {
        if (p.has(both))
            p.fail(`give either '${both}' or '${h}'/'${w}', not both`, p.at(both));
        const hv = p.int(h);
        const wv = p.int(w);
        if (hv === undefined || wv === undefined)
            p.fail(`'${h}' and '${w}' must be given together`, p.at(h) ?? p.at(w));
        pair = [hv, wv];
    }
    else {
        const values = p.ints(both);
        if (values.length === 0) {
            if (fallback === undefined)
                p.fail(`'${both}' is missing`, p.at());
            pair = [fallback, fallback];
        }
        else if (values.length === 1)
            pair = [values[0], values[0]];
        else if (values.length === 2)
            pair = [values[0], values[1]];
        else
            return p.fail(`'${both}' takes 1 or 2 values (2-D only), got ${values.length}`, p.at(both));
    }
    if (pair[0] < min || pair[1] < min)
        p.fail(`'${both}' must be at least ${min}, got [${pair.join(', ')}]`, p.at(hasHW ? h : both));
    return pair;
}
function symmetric(pad) {
    return { top: pad[0], left: pad[1], bottom: pad[0], right: pad[1] };
}
//# sourceMappingURL=load.js.map