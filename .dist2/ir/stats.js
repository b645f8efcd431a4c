// Per-layer and whole-network figures: shapes, MACs, parameters, activations.
import { InputError } from './errors.js';
/**
 * A count, refused once past 2^53, where doubles stop being exact: a printed count is never rounded.
 * buildNetwork's size limits keep real networks far below it.
 */
export function exactCount(n, what, node) {
    if (!Number.isSafeInteger(n))
        throw new InputError(`${what} is ${n > 0 ? 'beyond 2^53' : 'not a count'}, where counts stop being exact`, {
            node,
        });
    return n;
}
/** The exact product of counts (each partial product is at most the result). */
export function exactProduct(factors, what, node) {
    return factors.reduce((p, f) => exactCount(p * f, what, node), 1);
}
/** The exact sum of counts. */
export function exactSum(terms, what, node) {
    return terms.reduce((a, b) => exactCount(a + b, what, node), 0);
}
/** The shape of every tensor, by name. */
export function tensorShapes(net) {
    const m = new Map();
    for (const t of net.inputs)
        m.set(t.name, t.shape);
    for (const l of net.layers)
        m.set(l.name, l.shape);
    return m;
}
/** For every tensor, the layers that read it (in network order). */
export function consumersOf(net) {
    const m = new Map();
    for (const l of net.layers)
        for (const t of new Set(l.inputs)) {
            const list = m.get(t) ?? [];
            list.push(l);
            m.set(t, list);
        }
    return m;
}
/** Per layer (by index in the network's order), the layers whose outputs it reads. */
export function layerProducers(net) {
    const index = new Map(net.layers.map((l, i) => [l.name, i]));
    return net.layers.map((l) => [...new Set(l.inputs.flatMap((t) => (index.has(t) ? [index.get(t)] : [])))]);
}
/** Display name of a layer's type; `inChannels` tells depthwise from grouped convolutions. */
export function layerType(l, inChannels) {
    switch (l.kind) {
        case 'conv':
            if (l.fullyConnected)
                return 'fc';
            if (l.groups > 1)
                return l.groups === inChannels ? 'conv-dw' : 'conv-group';
            return 'conv';
        case 'pool':
            return `${l.global ? 'global-' : ''}${l.mode}pool`;
        case 'eltwise':
            return l.op;
        default:
            return l.kind;
    }
}
export function layerStats(l, shapes) {
    const inputShapes = l.inputs.map((t) => shapes.get(t));
    let macs = 0;
    let weightElements = 0;
    let biasElements = 0;
    if (l.kind === 'conv') {
        const cin = inputShapes[0].c;
        // Output channels per group first: groups divide them, so every partial product is exact.
        weightElements = exactProduct([l.outChannels / l.groups, cin, l.kernel[0], l.kernel[1]], 'the weight count', l.name);
        biasElements = l.hasBias ? l.outChannels : 0;
        macs = exactProduct([l.shape.h, l.shape.w, weightElements], 'the MAC count', l.name);
    }
    else if (l.kind === 'affine') {
        // scale and shift per channel, as weight and bias
        weightElements = l.shape.c;
        biasElements = l.shape.c;
    }
    return {
        name: l.name,
        kind: layerType(l, inputShapes[0]?.c ?? 0),
        inputShapes,
        outputShape: l.shape,
        macs,
        weightElements,
        biasElements,
        outputElements: exactProduct([l.shape.c, l.shape.h, l.shape.w], 'the output size', l.name),
    };
}
export function networkStats(net) {
    const shapes = tensorShapes(net);
    const layers = net.layers.map((l) => layerStats(l, shapes));
    const sum = (f, what) => exactSum(layers.map(f), what);
    const counted = new Set();
    const once = (key, n) => {
        if (key === undefined)
            return n;
        if (counted.has(key))
            return 0;
        counted.add(key);
        return n;
    };
    const parameters = exactSum(net.layers.flatMap((l, i) => {
        const s = layers[i];
        if (l.kind === 'conv')
            return [once(l.sharedWeights, s.weightElements), once(l.sharedBias, s.biasElements)];
        return [s.weightElements, s.biasElements];
    }), 'the parameter count');
    return {
        layers,
        macs: sum((s) => s.macs, 'the MAC count'),
        parameters,
        activations: sum((s) => s.outputElements, 'the activation count'),
        inputElements: exactSum(net.inputs.map((t) => exactProduct([t.shape.c, t.shape.h, t.shape.w], 'the input size')), 'the input size'),
    };
}
//# sourceMappingURL=stats.js.map