// ONNX export: a network with weights written as an ONNX model (opset 17, NCHW, batch 1, float32) that
// computes what the reference inference computes, so that other runtimes can run the very network
// memsched schedules. It is the inverse of the loader: loading the file back gives the same layers.
// Every IR tensor is a 4-D [1, C, H, W] value named as the tensor, and each layer's node is named as the
// layer; a fully connected layer is a Gemm between a Flatten and a Reshape back to 4-D (a grouped one, a
// Conv over its whole input). Point-wise operators follow their layer's node, SiLU as Sigmoid and Mul; a
// channel shuffle is Reshape-Transpose-Reshape; an affine layer is a BatchNormalization with mean 0,
// variance 1 and epsilon 0 (scale and shift exactly). Forms that load back as other layers computing the
// same: a product of three or more maps (a chain of Mul), an affine layer after a convolution nothing
// else reads (folded into it), a slice of all channels (a view).
import { InputError } from '../../ir/errors.js';
import { attr, encodeGraph, floats, int64s, node, valueInfo } from './encode.js';
/** The opset the export writes: HardSwish needs 14; 17 is read by every recent runtime. */
export const exportOpset = 17;
const dims4 = (s) => [1, s.c, s.h, s.w];
/** The layer that has no weights (a shape-only model), or undefined when every one has them. */
function layerWithoutWeights(net) {
    return net.layers.find((l) => l.kind === 'conv'
        ? l.weights === undefined || (l.hasBias && l.bias === undefined)
        : l.kind === 'affine' && (l.scale === undefined || l.shift === undefined));
}
/** The network as ONNX model bytes; a network without weights is refused, naming the first such layer. */
export function exportOnnx(net) {
    const missing = layerWithoutWeights(net);
    if (missing !== undefined)
        throw new InputError(`has no ${missing.kind === 'affine' ? 'scale and shift' : 'weights'}: a shape-only network cannot be exported (seed weights first)`, { node: missing.name });
    const w = new Writer(net);
    for (const layer of net.layers)
        w.layer(layer);
    const shapes = new Map(net.layers.map((l) => [l.name, l.shape]));
    return encodeGraph({
        name: net.name,
        nodes: w.nodes,
        inits: w.inits,
        inputs: net.inputs.map((t) => valueInfo(t.name, dims4(t.shape))),
        outputs: net.outputs.map((o) => valueInfo(o, dims4(shapes.get(o)))),
    }, exportOpset, 'memsched');
}
class Writer {
    nodes = [];
    inits = [];
    /** Every name given out: node names and value names (the loader names layers after their nodes). */
    taken = new Set();
    /** Initializers of weights several layers share, by their sharing key and dims. */
    shared = new Map();
    shapes = new Map();
    constructor(net) {
        for (const t of net.inputs) {
            this.taken.add(t.name);
            this.shapes.set(t.name, t.shape);
        }
        for (const l of net.layers) {
            this.taken.add(l.name);
            this.shapes.set(l.name, l.shape);
        }
    }
    /** A fresh name derived from `base`. */
    fresh(base) {
        let name = base;
        for (let k = 2; this.taken.has(name); k++)
            name = `${base}_${k}`;
        this.taken.add(name);
        return name;
    }
    add(op, inputs, outputs, attributes, name) {
        this.nodes.push(node(op, inputs, outputs, attributes, name));
    }
    init(tensor) {
        this.inits.push(tensor);
        return tensor['name'];
    }
    floatInit(base, dims, values, sharedKey) {
        if (sharedKey === undefined)
            return this.init(floats(this.fresh(base), dims, values));
        const key = `${sharedKey} ${dims.join('x')}`;
        let name = this.shared.get(key);
        if (name === undefined) {
            name = this.init(floats(this.fresh(base), dims, values));
            this.shared.set(key, name);
        }
        return name;
    }
    intsInit(base, values) {
        return this.init(int64s(this.fresh(base), values));
    }
    inputShape(layer) {
        return this.shapes.get(layer.inputs[0]);
    }
    layer(layer) {
        // The layer's own node writes `raw`; its point-wise operators turn that into the tensor `layer.name`.
        const raw = layer.post.length === 0 ? layer.name : this.fresh(`${layer.name}/raw`);
        switch (layer.kind) {
            case 'conv':
                this.conv(layer, raw);
                break;
            case 'pool':
                this.pool(layer, raw);
                break;
            case 'eltwise':
                this.eltwise(layer, raw);
                break;
            case 'concat':
                this.add('Concat', layer.inputs, [raw], [attr.int('axis', 1)], layer.name);
                break;
            case 'slice': {
                const starts = this.intsInit(`${layer.name}/starts`, [layer.start]);
                const ends = this.intsInit(`${layer.name}/ends`, [layer.end]);
                const axes = this.intsInit(`${layer.name}/axes`, [1]);
                this.add('Slice', [layer.inputs[0], starts, ends, axes], [raw], [], layer.name);
                break;
            }
            case 'lrn':
                this.add('LRN', layer.inputs, [raw], [
                    attr.int('size', layer.size),
                    attr.float('alpha', layer.alpha),
                    attr.float('beta', layer.beta),
                    attr.float('bias', layer.k),
                ], layer.name);
                break;
            case 'softmax':
                this.add('Softmax', layer.inputs, [raw], [attr.int('axis', 1)], layer.name);
                break;
            case 'shuffle': {
                const { c, h, w } = layer.shape;
                const g = layer.groups;
                const grouped = this.fresh(`${layer.name}/grouped`);
                const transposed = this.fresh(`${layer.name}/transposed`);
                const to5 = this.intsInit(`${layer.name}/grouped_shape`, [1, g, c / g, h, w]);
                const to4 = this.intsInit(`${layer.name}/shape`, [1, c, h, w]);
                this.add('Reshape', [layer.inputs[0], to5], [grouped], [], this.fresh(`${layer.name}/Reshape`));
                this.add('Transpose', [grouped], [transposed], [attr.ints('perm', [0, 2, 1, 3, 4])], this.fresh(`${layer.name}/Transpose`));
                // The loader names the shuffle after the Reshape that completes it.
                this.add('Reshape', [transposed, to4], [raw], [], layer.name);
                break;
            }
            case 'affine':
                this.affine(layer, raw);
                break;
        }
        this.post(layer, raw);
    }
    conv(layer, out) {
        const x = this.inputShape(layer);
        const perGroup = x.c / layer.groups;
        const weights = layer.weights;
        if (layer.fullyConnected && layer.groups === 1) {
            // Flatten, Gemm and a Reshape back to [1, N, 1, 1]: the loader's form of a fully connected layer.
            const k = x.c * x.h * x.w;
            const flat = this.fresh(`${layer.name}/flat`);
            const gemmOut = this.fresh(`${layer.name}/gemm`);
            this.add('Flatten', layer.inputs, [flat], [attr.int('axis', 1)], this.fresh(`${layer.name}/Flatten`));
            const inputs = [
                flat,
                this.floatInit(`${layer.name}.weight`, [layer.outChannels, k], weights, layer.sharedWeights),
            ];
            if (layer.hasBias)
                inputs.push(this.floatInit(`${layer.name}.bias`, [layer.outChannels], layer.bias, layer.sharedBias));
            this.add('Gemm', inputs, [gemmOut], [attr.int('transB', 1)], layer.name);
            const shape = this.intsInit(`${layer.name}/shape`, dims4(layer.shape));
            this.add('Reshape', [gemmOut, shape], [out], [], this.fresh(`${layer.name}/Reshape`));
            return;
        }
        const [kh, kw] = layer.kernel;
        const inputs = [
            layer.inputs[0],
            this.floatInit(`${layer.name}.weight`, [layer.outChannels, perGroup, kh, kw], weights, layer.sharedWeights),
        ];
        if (layer.hasBias)
            inputs.push(this.floatInit(`${layer.name}.bias`, [layer.outChannels], layer.bias, layer.sharedBias));
        const p = layer.pads;
        this.add('Conv', inputs, [out], [
            attr.ints('kernel_shape', [kh, kw]),
            attr.ints('strides', layer.stride),
            attr.ints('dilations', layer.dilation),
            attr.ints('pads', [p.top, p.left, p.bottom, p.right]),
            attr.int('group', layer.groups),
        ], layer.name);
    }
    pool(layer, out) {
        const max = layer.mode === 'max';
        if (layer.global) {
            this.add(max ? 'GlobalMaxPool' : 'GlobalAveragePool', layer.inputs, [out], [], layer.name);
            return;
        }
        const p = layer.pads;
        // ONNX's ceil_mode rounds as memsched does (the last window starts inside the input or the leading
        // padding), and its average with count_include_pad divides by the window clipped to the padded input.
        const attributes = [
            attr.ints('kernel_shape', layer.kernel),
            attr.ints('strides', layer.stride),
            attr.ints('pads', [p.top, p.left, p.bottom, p.right]),
            attr.int('ceil_mode', layer.ceilMode ? 1 : 0),
        ];
        if (!max)
            attributes.push(attr.int('count_include_pad', layer.countIncludePad ? 1 : 0));
        // ONNX Runtime's kernels drop a last window that would start in the trailing padding, but its
        // static shape inference does not, and then fails at the next join: a Reshape to the true shape
        // (a view for the loader) sets it right.
        const x = this.inputShape(layer);
        const naive = (input, d, before, after) => Math.ceil((input + before + after - layer.kernel[d]) / layer.stride[d]) + 1;
        const inferred = layer.ceilMode &&
            (naive(x.h, 0, p.top, p.bottom) !== layer.shape.h || naive(x.w, 1, p.left, p.right) !== layer.shape.w);
        const pooled = inferred ? this.fresh(`${layer.name}/pooled`) : out;
        this.add(max ? 'MaxPool' : 'AveragePool', layer.inputs, [pooled], attributes, layer.name);
        if (inferred) {
            const shape = this.intsInit(`${layer.name}/shape`, dims4(layer.shape));
            this.add('Reshape', [pooled, shape], [out], [], this.fresh(`${layer.name}/Reshape`));
        }
    }
    eltwise(layer, out) {
        // A [1, C, 1, 1] operand broadcasts over [1, C, H, W] in ONNX as in the IR.
        if (layer.op === 'max')
            this.add('Max', layer.inputs, [out], [], layer.name);
        else if (layer.inputs.length === 2)
            this.add(layer.op === 'add' ? 'Add' : 'Mul', layer.inputs, [out], [], layer.name);
        else if (layer.op === 'add')
            this.add('Sum', layer.inputs, [out], [], layer.name);
        else {
            // ONNX's Mul takes two operands: a product of more is a chain, multiplied left to right as the
            // reference does; the last Mul is the layer's node.
            let acc = layer.inputs[0];
            for (const [i, t] of layer.inputs.slice(1).entries()) {
                const last = i === layer.inputs.length - 2;
                const next = last ? out : this.fresh(`${layer.name}/product${i + 1}`);
                this.add('Mul', [acc, t], [next], [], last ? layer.name : this.fresh(`${layer.name}/Mul${i + 1}`));
                acc = next;
            }
        }
    }
    affine(layer, out) {
        const c = layer.shape.c;
        const scale = this.floatInit(`${layer.name}.scale`, [c], layer.scale);
        const shift = this.floatInit(`${layer.name}.shift`, [c], layer.shift);
        const mean = this.floatInit(`${layer.name}.mean`, [c], new Float32Array(c));
        const variance = this.floatInit(`${layer.name}.variance`, [c], new Float32Array(c).fill(1));
        this.add('BatchNormalization', [layer.inputs[0], scale, shift, mean, variance], [out], [attr.float('epsilon', 0)], layer.name);
    }
    /** The layer's point-wise operators, from `raw` to the tensor named as the layer. */
    post(layer, raw) {
        let x = raw;
        for (const [i, op] of layer.post.entries()) {
            const y = i === layer.post.length - 1 ? layer.name : this.fresh(`${layer.name}/${op.op}`);
            this.pointwise(layer.name, op, x, y);
            x = y;
        }
    }
    pointwise(base, p, x, y) {
        const name = (op) => this.fresh(`${base}/${op}`);
        switch (p.op) {
            case 'relu':
                this.add('Relu', [x], [y], [], name('Relu'));
                break;
            case 'sigmoid':
                this.add('Sigmoid', [x], [y], [], name('Sigmoid'));
                break;
            case 'hardswish':
                this.add('HardSwish', [x], [y], [], name('HardSwish'));
                break;
            case 'hardsigmoid':
                this.add('HardSigmoid', [x], [y], [attr.float('alpha', p.alpha), attr.float('beta', p.beta)], name('HardSigmoid'));
                break;
            case 'clip': {
                const min = this.floatInit(`${base}/clip_min`, [], [p.min]);
                const max = this.floatInit(`${base}/clip_max`, [], [p.max]);
                this.add('Clip', [x, min, max], [y], [], name('Clip'));
                break;
            }
            case 'silu': {
                // Swish is not in the default domain before opset 24: x * Sigmoid(x), which the loader folds back.
                const s = this.fresh(`${base}/sigmoid`);
                this.add('Sigmoid', [x], [s], [], name('Sigmoid'));
                this.add('Mul', [x, s], [y], [], name('Mul'));
                break;
            }
        }
    }
}
//# sourceMappingURL=export.js.map