// Turns layer specifications into a validated Network: names resolved, cycles rejected, layers put in
// the canonical topological order, every shape inferred and checked.
import { check, InputError } from './errors.js';
import { mergeGroupedBranches } from './grouped.js';
import { elements, shapeText } from './network.js';
/** Output extent of a sliding window: floor (or ceil) of the padded extent over the stride, plus one. */
export function windowOutput(input, kernel, stride, dilation, padBefore, padAfter, ceilMode) {
    const span = input + padBefore + padAfter - ((kernel - 1) * dilation + 1);
    if (span < 0)
        return 0;
    let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
    // With ceil rounding the last window must still start inside the input or the leading padding.
    if (ceilMode && (out - 1) * stride >= input + padBefore)
        out -= 1;
    return out;
}
/**
 * Size limits (also in the README). Real networks stay far below them: the traffic detector's 720 x 1280
 * input, VGG's 25088 x 4096 classifier, VDSR's 2^35 MACs at 256 x 256 (2^40 on a 1920 x 1080 image).
 * Beyond them the search would run for hours and counts could pass 2^53, where doubles stop being
 * exact; the MAC limit leaves the cost model 2^11 of room for recomputation below 2^53.
 */
export const limits = {
    /** Height and width of every tensor, kernel, stride, dilation and padding. */
    extent: 2 ** 14,
    channels: 2 ** 16,
    /** Elements of one tensor (channels x height x width). */
    elements: 2 ** 30,
    /** Multiply-accumulates of the whole network. */
    macs: 2 ** 42,
};
const limitsText = `height and width at most ${limits.extent}, channels at most ${limits.channels}, 2^30 elements per tensor, 2^42 MACs per network`;
function positive(n) {
    return Number.isInteger(n) && n > 0;
}
function checkPair(p, what, node, min) {
    check(p.length === 2 && p.every((v) => Number.isInteger(v) && v >= min), `${what} must be two integers >= ${min}, got [${p.join(', ')}]`, node);
    check(p.every((v) => v <= limits.extent), `${what} [${p.join(', ')}] exceeds the size limit of ${limits.extent}`, node);
}
function checkPads(p, node) {
    const all = [p.top, p.left, p.bottom, p.right];
    check(all.every((v) => Number.isInteger(v) && v >= 0), `padding must be non-negative integers, got [${all.join(', ')}]`, node);
    check(all.every((v) => v <= limits.extent), `padding [${all.join(', ')}] exceeds the size limit of ${limits.extent}`, node);
}
/** Refuses a tensor beyond the size limits, naming it. */
function checkSize(s, what, node) {
    check(s.c <= limits.channels &&
        s.h <= limits.extent &&
        s.w <= limits.extent &&
        s.c * s.h * s.w <= limits.elements, `${what} ${shapeText(s)} exceeds the size limits (${limitsText})`, node);
}
/** Checks one layer against its input shapes and returns it with its output shape (used by frontends). */
export function inferShape(spec, ins) {
    const node = spec.name;
    const arity = (n) => check(ins.length === n, `expects ${n} input${n === 1 ? '' : 's'}, got ${ins.length}`, node);
    switch (spec.kind) {
        case 'conv': {
            arity(1);
            const x = ins[0];
            let layer = spec;
            if (spec.fullyConnected) {
                // A fully connected layer is a convolution whose kernel covers the whole input.
                layer = {
                    ...spec,
                    kernel: [x.h, x.w],
                    stride: [1, 1],
                    dilation: [1, 1],
                    pads: { top: 0, left: 0, bottom: 0, right: 0 },
                };
            }
            check(positive(layer.outChannels), `output channels must be a positive integer`, node);
            check(positive(layer.groups), `groups must be a positive integer`, node);
            checkPair(layer.kernel, 'kernel', node, 1);
            checkPair(layer.stride, 'stride', node, 1);
            checkPair(layer.dilation, 'dilation', node, 1);
            checkPads(layer.pads, node);
            check(x.c % layer.groups === 0 && layer.outChannels % layer.groups === 0, `groups ${layer.groups} must divide input channels ${x.c} and output channels ${layer.outChannels}`, node);
            const h = windowOutput(x.h, layer.kernel[0], layer.stride[0], layer.dilation[0], layer.pads.top, layer.pads.bottom, false);
            const w = windowOutput(x.w, layer.kernel[1], layer.stride[1], layer.dilation[1], layer.pads.left, layer.pads.right, false);
            check(h > 0 && w > 0, `kernel does not fit input ${shapeText(x)}`, node);
            const weightCount = (layer.outChannels * x.c * layer.kernel[0] * layer.kernel[1]) / layer.groups;
            if (layer.weights !== undefined)
                check(layer.weights.length === weightCount, `weights have ${layer.weights.length} elements, expected ${weightCount}`, node);
            if (layer.bias !== undefined)
                check(layer.hasBias && layer.bias.length === layer.outChannels, `bias has ${layer.bias.length} elements, expected ${layer.outChannels}`, node);
            return { ...layer, shape: { c: layer.outChannels, h, w } };
        }
        case 'pool': {
            arity(1);
            const x = ins[0];
            let layer = spec;
            if (spec.global)
                layer = {
                    ...spec,
                    kernel: [x.h, x.w],
                    stride: [1, 1],
                    pads: { top: 0, left: 0, bottom: 0, right: 0 },
                    ceilMode: false,
                };
            checkPair(layer.kernel, 'kernel', node, 1);
            checkPair(layer.stride, 'stride', node, 1);
            checkPads(layer.pads, node);
            check(layer.pads.top < layer.kernel[0] &&
                layer.pads.bottom < layer.kernel[0] &&
                layer.pads.left < layer.kernel[1] &&
                layer.pads.right < layer.kernel[1], `pooling padding must be smaller than the kernel`, node);
            const h = windowOutput(x.h, layer.kernel[0], layer.stride[0], 1, layer.pads.top, layer.pads.bottom, layer.ceilMode);
            const w = windowOutput(x.w, layer.kernel[1], layer.stride[1], 1, layer.pads.left, layer.pads.right, layer.ceilMode);
            check(h > 0 && w > 0, `pooling window does not fit input ${shapeText(x)}`, node);
            return { ...layer, shape: { c: x.c, h, w } };
        }
        case 'eltwise': {
            check(ins.length >= 2, `expects at least 2 inputs, got ${ins.length}`, node);
            // The full-size inputs fix the shape; c x 1 x 1 inputs broadcast over positions.
            const full = ins.reduce((a, b) => (a.h * a.w >= b.h * b.w ? a : b));
            for (const s of ins) {
                const same = s.c === full.c && s.h === full.h && s.w === full.w;
                const perChannel = s.c === full.c && s.h === 1 && s.w === 1;
                check(same || perChannel, `input shapes ${ins.map(shapeText).join(', ')} are neither equal nor per-channel broadcast`, node);
            }
            return { ...spec, shape: { ...full } };
        }
        case 'concat': {
            check(ins.length >= 1, `expects at least 1 input`, node);
            const first = ins[0];
            for (const s of ins)
                check(s.h === first.h && s.w === first.w, `concatenated inputs differ in height/width: ${ins.map(shapeText).join(', ')}`, node);
            return { ...spec, shape: { c: ins.reduce((n, s) => n + s.c, 0), h: first.h, w: first.w } };
        }
        case 'slice': {
            arity(1);
            const x = ins[0];
            check(Number.isInteger(spec.start) &&
                Number.isInteger(spec.end) &&
                0 <= spec.start &&
                spec.start < spec.end, `slice [${spec.start}, ${spec.end}) is empty or negative`, node);
            check(spec.end <= x.c, `slice [${spec.start}, ${spec.end}) exceeds ${x.c} channels`, node);
            return { ...spec, shape: { c: spec.end - spec.start, h: x.h, w: x.w } };
        }
        case 'affine': {
            arity(1);
            const x = ins[0];
            for (const [what, v] of [
                ['scale', spec.scale],
                ['shift', spec.shift],
            ])
                if (v !== undefined)
                    check(v.length === x.c, `${what} has ${v.length} elements, expected ${x.c} (one per channel)`, node);
            check((spec.scale === undefined) === (spec.shift === undefined), 'scale and shift must both be given or both be absent', node);
            return { ...spec, shape: { ...x } };
        }
        case 'lrn':
        case 'softmax':
            arity(1);
            return { ...spec, shape: { ...ins[0] } };
        case 'shuffle': {
            arity(1);
            const x = ins[0];
            check(positive(spec.groups) && x.c % spec.groups === 0, `shuffle groups ${spec.groups} must divide ${x.c} channels`, node);
            return { ...spec, shape: { ...x } };
        }
    }
}
/**
 * The canonical layer order: depth-first from the outputs, each layer placed right after the layers it
 * reads, in operand order. It depends only on the graph (operand order and output order), never on how
 * a file lists its layers, and keeps a chain's layers consecutive so that segments can fuse it.
 * Roots: the outputs in their order, then any other layer nobody reads, by name. Iterative, so a deep
 * network cannot overflow the stack.
 */
function canonicalOrder(specs, roots) {
    const byName = new Map(specs.map((s) => [s.name, s]));
    const state = new Map();
    const order = [];
    const visit = (root) => {
        if (state.has(root.name))
            return;
        // Each frame is a layer and the index of the next operand to visit.
        const stack = [[root, 0]];
        state.set(root.name, 'open');
        while (stack.length > 0) {
            const frame = stack[stack.length - 1];
            const [spec, next] = frame;
            if (next === spec.inputs.length) {
                stack.pop();
                state.set(spec.name, 'done');
                order.push(spec);
                continue;
            }
            frame[1] = next + 1;
            const input = byName.get(spec.inputs[next]);
            if (input === undefined)
                continue;
            const seen = state.get(input.name);
            if (seen === 'open') {
                const cycle = stack.slice(stack.findIndex(([s]) => s.name === input.name)).map(([s]) => s.name);
                throw new InputError(`the graph has a cycle through ${cycle.slice(0, 5).join(', ')}`, {
                    node: cycle[0],
                });
            }
            if (seen === undefined) {
                state.set(input.name, 'open');
                stack.push([input, 0]);
            }
        }
    };
    for (const r of roots)
        visit(byName.get(r));
    const consumed = new Set(specs.flatMap((s) => s.inputs));
    const rest = specs.map((s) => s.name).sort(byCodePoint);
    for (const n of rest)
        if (!consumed.has(n))
            visit(byName.get(n));
    // Layers left over lie on cycles (every one of them is read by another).
    for (const n of rest)
        visit(byName.get(n));
    return order;
}
function byCodePoint(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Validates and shapes a network. `outputs` defaults to the layers nobody consumes.
 * Throws InputError naming the node on any inconsistency.
 */
export function buildNetwork(name, inputs, specs, outputs) {
    check(inputs.length > 0, 'the network has no input');
    check(specs.length > 0, 'the network has no layers');
    const shapes = new Map();
    for (const t of inputs) {
        check(!shapes.has(t.name), `input '${t.name}' is declared twice`);
        check(positive(t.shape.c) && positive(t.shape.h) && positive(t.shape.w), `input '${t.name}' has an invalid shape ${shapeText(t.shape)}`);
        checkSize(t.shape, `input '${t.name}'`);
        shapes.set(t.name, t.shape);
    }
    const names = new Set();
    for (const s of specs) {
        check(s.name.length > 0, 'a layer has an empty name');
        check(!names.has(s.name) && !shapes.has(s.name), `the name is used twice`, s.name);
        names.add(s.name);
    }
    for (const s of specs)
        for (const t of s.inputs)
            check(names.has(t) || shapes.has(t), `input tensor '${t}' is produced by no layer`, s.name);
    if (outputs !== undefined)
        for (const o of outputs)
            check(names.has(o), `output '${o}' is produced by no layer`);
    const consumed = new Set(specs.flatMap((s) => s.inputs));
    // Without declared outputs, the layers nobody reads in the order given (Caffe's output order).
    const sinks = specs.map((s) => s.name).filter((n) => !consumed.has(n));
    const layers = [];
    let macs = 0;
    for (const spec of canonicalOrder(specs, outputs ?? sinks)) {
        const layer = inferShape(spec, spec.inputs.map((t) => shapes.get(t)));
        checkSize(layer.shape, 'the output', layer.name);
        shapes.set(layer.name, layer.shape);
        // Only compared with the limit, so a rounded product past 2^53 does no harm here.
        if (layer.kind === 'conv')
            macs +=
                (elements(layer.shape) * shapes.get(layer.inputs[0]).c * layer.kernel[0] * layer.kernel[1]) /
                    layer.groups;
        check(macs <= limits.macs, `the network needs more than 2^42 multiply-accumulates (${limitsText})`, layer.name);
        layers.push(layer);
    }
    const outs = outputs ?? sinks;
    check(outs.length > 0, 'the network has no output');
    const inputShapes = new Map(inputs.map((t) => [t.name, t.shape]));
    return { name, inputs, layers: mergeGroupedBranches(layers, outs, inputShapes), outputs: outs };
}
//# sourceMappingURL=build.js.map