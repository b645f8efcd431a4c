// A small fluent builder for the zoo: it keeps a cursor on the last tensor so chains read top to bottom,
// and `from` jumps back for branches. Zoo networks are shape-only, so no weights are ever attached.
import { buildNetwork } from '../../ir/build.js';
export const relu = { op: 'relu' };
/** torchvision's ReLU6, exported to ONNX as Clip(0, 6). */
export const relu6 = { op: 'clip', min: 0, max: 6 };
export const sigmoid = { op: 'sigmoid' };
const pair = (n) => [n, n];
const pads = (n) => ({ top: n, left: n, bottom: n, right: n });
export class NetBuilder {
    name;
    input;
    specs = [];
    cursor;
    constructor(name, input) {
        this.name = name;
        this.input = input;
        this.cursor = input.name;
    }
    /** The tensor the next layer consumes by default. */
    get last() {
        return this.cursor;
    }
    /** Moves the cursor, e.g. back to a block's input to build its shortcut. */
    from(tensor) {
        this.cursor = tensor;
        return this;
    }
    push(spec) {
        this.specs.push(spec);
        this.cursor = spec.name;
        return this;
    }
    conv(name, outChannels, kernel, o = {}) {
        return this.push({
            kind: 'conv',
            name,
            inputs: [o.input ?? this.cursor],
            post: o.post ?? [],
            outChannels,
            kernel: pair(kernel),
            stride: pair(o.stride ?? 1),
            dilation: pair(o.dilation ?? 1),
            pads: pads(o.pad ?? 0),
            groups: o.groups ?? 1,
            hasBias: o.bias ?? true,
            fullyConnected: false,
        });
    }
    /** Fully connected (Gemm / InnerProduct): build.ts sets the kernel to the input's extent. */
    fc(name, outChannels, o = {}) {
        return this.push({
            kind: 'conv',
            name,
            inputs: [o.input ?? this.cursor],
            post: o.post ?? [],
            outChannels,
            kernel: [1, 1],
            stride: [1, 1],
            dilation: [1, 1],
            pads: pads(0),
            groups: 1,
            hasBias: true,
            fullyConnected: true,
        });
    }
    pool(name, mode, kernel, o, global) {
        return this.push({
            kind: 'pool',
            name,
            inputs: [o.input ?? this.cursor],
            post: [],
            mode,
            kernel: pair(kernel),
            stride: pair(o.stride ?? kernel),
            pads: pads(o.pad ?? 0),
            ceilMode: o.ceilMode ?? false,
            countIncludePad: o.countIncludePad ?? false,
            global,
        });
    }
    /** Stride defaults to the kernel, as in PyTorch. */
    maxPool(name, kernel, o = {}) {
        return this.pool(name, 'max', kernel, o, false);
    }
    avgPool(name, kernel, o = {}) {
        return this.pool(name, 'avg', kernel, o, false);
    }
    globalAvgPool(name, o = {}) {
        return this.pool(name, 'avg', 1, o, true);
    }
    add(name, inputs, post = []) {
        return this.push({ kind: 'eltwise', name, inputs, post, op: 'add' });
    }
    concat(name, inputs) {
        return this.push({ kind: 'concat', name, inputs, post: [] });
    }
    /** Channels [start, end) of the input. */
    slice(name, start, end, o = {}) {
        return this.push({ kind: 'slice', name, inputs: [o.input ?? this.cursor], post: [], start, end });
    }
    softmax(name, o = {}) {
        return this.push({ kind: 'softmax', name, inputs: [o.input ?? this.cursor], post: [] });
    }
    build(outputs) {
        return buildNetwork(this.name, [this.input], this.specs, outputs);
    }
}
//# sourceMappingURL=builder.js.map