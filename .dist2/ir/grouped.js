// Branches that are one grouped convolution: a tensor sliced into equal channel groups, one convolution
// per group (the same in all but its weights), and a concat of their outputs in order compute exactly a
// grouped convolution with the branches' weights one after another. As one layer the pattern is a chain
// (a segment can fuse it) and its slices and concat copy nothing through DRAM. The traffic-sign net's
// conv3 is such a pair of branches (Caffe's way of writing a grouped convolution).
function sameConv(a, b) {
    return (a.outChannels === b.outChannels &&
        a.kernel[0] === b.kernel[0] &&
        a.kernel[1] === b.kernel[1] &&
        a.stride[0] === b.stride[0] &&
        a.stride[1] === b.stride[1] &&
        a.dilation[0] === b.dilation[0] &&
        a.dilation[1] === b.dilation[1] &&
        a.pads.top === b.pads.top &&
        a.pads.left === b.pads.left &&
        a.pads.bottom === b.pads.bottom &&
        a.pads.right === b.pads.right &&
        a.groups === b.groups &&
        a.hasBias === b.hasBias &&
        a.fullyConnected === b.fullyConnected &&
        (a.weights === undefined) === (b.weights === undefined) &&
        (a.bias === undefined) === (b.bias === undefined) &&
        JSON.stringify(a.post) === JSON.stringify(b.post));
}
function concatenated(parts) {
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
}
/**
 * The layers with every concat of sliced convolution branches that is a grouped convolution replaced by
 * that convolution, named as the concat (its consumers read the same tensor). Only whole patterns: the
 * slices cover the tensor in order in equal parts, each slice and branch feeds only the next step and is
 * no network output, and the branches differ in nothing but their weights (nor share them with others).
 */
export function mergeGroupedBranches(layers, outputs, inputs) {
    const byName = new Map(layers.map((l) => [l.name, l]));
    const readers = new Map();
    for (const l of layers)
        for (const t of l.inputs)
            readers.set(t, (readers.get(t) ?? 0) + 1);
    const isOutput = new Set(outputs);
    const shapeOf = (t) => byName.get(t)?.shape ?? inputs.get(t);
    const removed = new Set();
    const merged = new Map();
    for (const k of layers) {
        if (k.kind !== 'concat' || k.inputs.length < 2)
            continue;
        const branches = k.inputs.map((t) => byName.get(t));
        if (!branches.every((b) => b?.kind === 'conv'))
            continue;
        const slices = branches.map((b) => (b.inputs.length === 1 ? byName.get(b.inputs[0]) : undefined));
        if (!slices.every((s) => s?.kind === 'slice'))
            continue;
        const source = slices[0].inputs[0];
        const g = branches.length;
        const width = shapeOf(source).c / g;
        const whole = Number.isInteger(width) &&
            slices.every((s, i) => s.kind === 'slice' && s.inputs[0] === source && s.start === i * width && s.end === (i + 1) * width);
        const private_ = [...branches, ...slices].every((l) => readers.get(l.name) === 1 && !isOutput.has(l.name));
        const alike = branches.every((b) => sameConv(b, branches[0]) && b.sharedWeights === undefined && b.sharedBias === undefined);
        if (!whole || !private_ || !alike)
            continue;
        const first = branches[0];
        const conv = {
            kind: 'conv',
            name: k.name,
            inputs: [source],
            post: first.post,
            outChannels: first.outChannels * g,
            kernel: first.kernel,
            stride: first.stride,
            dilation: first.dilation,
            pads: first.pads,
            groups: first.groups * g,
            hasBias: first.hasBias,
            fullyConnected: first.fullyConnected,
            shape: k.shape,
            ...(first.weights ? { weights: concatenated(branches.map((b) => b.weights)) } : {}),
            ...(first.bias ? { bias: concatenated(branches.map((b) => b.bias)) } : {}),
        };
        // the concat's own point-wise operators apply after the branches' (none in practice)
        if (k.post.length > 0)
            conv.post = [...first.post, ...k.post];
        merged.set(k.name, conv);
        for (const l of [...branches, ...slices])
            removed.add(l.name);
    }
    if (merged.size === 0)
        return layers;
    return layers.filter((l) => !removed.has(l.name)).map((l) => merged.get(l.name) ?? l);
}
//# sourceMappingURL=grouped.js.map