// Seeded weights for shape-only networks, so their schedules can still be verified by running them.
/** FNV-1a over the text's UTF-16 units: turns a (seed, tensor name) pair into a 32-bit state. */
function hash(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
}
/** Marsaglia's xorshift32; values uniform in [-bound, bound). */
function uniformValues(key, count, bound) {
    let state = hash(key) || 1;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        out[i] = (state / 0x100000000) * 2 * bound - bound;
    }
    return out;
}
/**
 * A copy of the network where every convolution gets pseudo-random weights and biases (existing ones
 * are replaced), every affine layer a scale in [0.5, 1.5] and a shift in [-0.5, 0.5], uniform in +-1/sqrt(fan-in) like PyTorch's default initialisation, so activations
 * stay finite through deep networks. Each tensor's values depend only on the seed and the tensor's
 * name (the shared-weight key when there is one), so shared tensors stay equal and editing one layer
 * leaves the others' values unchanged.
 */
export function deterministicWeights(net, seed) {
    const shapes = new Map(net.inputs.map((t) => [t.name, t.shape]));
    for (const l of net.layers)
        shapes.set(l.name, l.shape);
    // Layers sharing a stored tensor get the very same array (shared tensors have one size, but a
    // malformed file could disagree, so the size is part of the key).
    const shared = new Map();
    const draw = (sharedKey, ownKey, count, bound) => {
        if (sharedKey === undefined)
            return uniformValues(`${seed}:${ownKey}`, count, bound);
        const key = `${seed}:shared ${sharedKey}:${count}`;
        let values = shared.get(key);
        if (values === undefined) {
            values = uniformValues(key, count, bound);
            shared.set(key, values);
        }
        return values;
    };
    const layers = net.layers.map((layer) => {
        if (layer.kind === 'affine') {
            // a scale around 1 and a small shift, like a trained batch-norm's
            const c = layer.shape.c;
            const scale = uniformValues(`${seed}:${layer.name} scale`, c, 0.5).map((v) => 1 + v);
            return { ...layer, scale, shift: uniformValues(`${seed}:${layer.name} shift`, c, 0.5) };
        }
        if (layer.kind !== 'conv')
            return layer;
        const inC = shapes.get(layer.inputs[0]).c;
        const fanIn = (inC / layer.groups) * layer.kernel[0] * layer.kernel[1];
        const bound = 1 / Math.sqrt(fanIn);
        const { weights: _w, bias: _b, ...rest } = layer;
        const weights = draw(layer.sharedWeights, `${layer.name} weights`, layer.outChannels * fanIn, bound);
        if (!layer.hasBias)
            return { ...rest, weights };
        return { ...rest, weights, bias: draw(layer.sharedBias, `${layer.name} bias`, layer.outChannels, bound) };
    });
    return { ...net, layers };
}
//# sourceMappingURL=weights.js.map