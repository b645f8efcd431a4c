// A segment: layers executed together, and the on-chip buffers that executing them needs.
import { InputError } from '../ir/errors.js';
import { consumersOf, tensorShapes } from '../ir/stats.js';
import { dramViews } from '../ir/views.js';
/** Whether some intermediate is read by several layers of the segment (a join inside it: a DAG segment). */
export function hasJoins(seg) {
    return seg.buffers.some((b) => b.role === 'intermediate' && b.readers.length > 1);
}
/** Whether the segment writes some intermediate to DRAM too (a segment with several outputs). */
export function hasExports(seg) {
    return seg.buffers.some((b) => b.exported);
}
/** Whether every DRAM input and intermediate of the segment is read by one of its layers only. */
export function isChain(seg) {
    return seg.buffers.every((b) => (b.role !== 'intermediate' && b.role !== 'input') || b.readers.length <= 1);
}
/** A DRAM input's buffer is named after the first layer of the segment reading it. */
export function inputBufferId(tensor, firstReader) {
    return `${tensor}@${firstReader}`;
}
/** The buffer of DRAM input `tensor` in a segment (one per tensor, whatever its readers). */
export function inputBufferOf(seg, tensor) {
    return seg.buffers.find((b) => b.role === 'input' && b.tensor === tensor);
}
export function weightsBufferId(layer) {
    return `${layer}:weights`;
}
/** Channels the last layer reduces over per output element (1 for layers without reduction). */
export function reductionSize(layer, inputChannels) {
    return layer.kind === 'conv' ? inputChannels / layer.groups : 1;
}
/**
 * Checks that the named layers form a segment and lists its buffers: every layer but the last is read
 * inside the segment (and may be read after it too, or be a network output: then it is written to DRAM
 * as computed, `exported`), no path leaves the segment and comes back, and an exported intermediate is
 * computed whole (see readsWhole). Errors name the field `where` (e.g. `segments[2]`).
 */
export function analyzeSegment(net, names, where = 'segment') {
    const index = new Map(net.layers.map((l, i) => [l.name, i]));
    if (names.length === 0)
        throw new InputError(`${where}.layers: the segment has no layers`);
    const seen = new Set();
    for (const n of names) {
        if (!index.has(n))
            throw new InputError(`${where}.layers: unknown layer '${n}'`);
        if (seen.has(n))
            throw new InputError(`${where}.layers: layer '${n}' is listed twice`);
        seen.add(n);
    }
    const layers = [...names]
        .sort((a, b) => index.get(a) - index.get(b))
        .map((n) => net.layers[index.get(n)]);
    const consumers = consumersOf(net);
    const outputs = new Set(net.outputs);
    const last = layers.at(-1);
    const exported = new Set();
    for (const l of layers.slice(0, -1)) {
        const users = consumers.get(l.name) ?? [];
        const inside = users.filter((u) => seen.has(u.name));
        if (inside.length === 0)
            throw new InputError(`${where}.layers: nothing in the segment reads the output of '${l.name}'; only the last layer, '${last.name}', may have no reader in it`);
        if (outputs.has(l.name) || users.length !== inside.length)
            exported.add(l.name);
    }
    const shapes = tensorShapes(net);
    if (exported.size > 0) {
        // no path from an exported intermediate through layers outside comes back in
        const outside = [...exported].flatMap((t) => consumers.get(t).filter((u) => !seen.has(u.name)));
        const reached = new Set(outside.map((u) => u.name));
        for (let k = 0; k < outside.length; k++)
            for (const u of consumers.get(outside[k].name) ?? []) {
                if (seen.has(u.name))
                    throw new InputError(`${where}.layers: '${u.name}' reads, through '${outside[k].name}' outside the segment, an output of the segment: a segment must run in one piece`);
                if (!reached.has(u.name)) {
                    reached.add(u.name);
                    outside.push(u);
                }
            }
        const whole = wholeOutputs(layers, seen, consumers, shapes);
        for (const t of exported)
            if (!whole.has(t))
                throw new InputError(`${where}.layers: '${t}' is read after the segment, but its readers in the segment do not read all of it (a stride longer than the kernel, or a slice): only what they read would be computed`);
    }
    const buffers = [];
    const inputs = new Map();
    const readersOf = (t) => layers.filter((l) => l.inputs.includes(t)).map((l) => l.name);
    for (const l of layers) {
        for (const t of new Set(l.inputs))
            if (!seen.has(t) && !inputs.has(t)) {
                const b = {
                    id: inputBufferId(t, l.name),
                    role: 'input',
                    tensor: t,
                    layer: l.name,
                    readers: readersOf(t),
                };
                inputs.set(t, b);
                buffers.push(b);
            }
        if (l.kind === 'conv' || l.kind === 'affine')
            buffers.push({
                id: weightsBufferId(l.name),
                role: 'weights',
                tensor: l.name,
                layer: l.name,
                readers: [l.name],
            });
    }
    for (const l of layers)
        buffers.push({
            id: l.name,
            role: l === last ? 'output' : 'intermediate',
            tensor: l.name,
            layer: l.name,
            readers: l === last ? [] : readersOf(l.name),
            ...(exported.has(l.name) ? { exported: true } : {}),
        });
    const segShapes = new Map();
    for (const l of layers) {
        segShapes.set(l.name, l.shape);
        for (const t of l.inputs)
            segShapes.set(t, shapes.get(t));
    }
    const lastIn = shapes.get(last.inputs[0]);
    return {
        layers,
        last,
        dims: { x: last.shape.w, y: last.shape.h, zo: last.shape.c, zi: reductionSize(last, lastIn.c) },
        buffers,
        shapes: segShapes,
        view: layers.length === 1 && dramViews(net).views.has(last.name),
    };
}
/**
 * The layers of the segment whose whole output it computes, whatever the schedule: the last, and a layer
 * some reader of which computes its whole output and reads all of its input for it. Tiles demand the
 * hull of their windows, so a reader whose kernel spans at least its stride, whose last window reaches
 * the input's end and which reads every channel reads the whole input for any tiling.
 */
function wholeOutputs(layers, seen, consumers, shapes) {
    const whole = new Set([layers.at(-1).name]);
    for (const l of [...layers].reverse().slice(1))
        if ((consumers.get(l.name) ?? []).some((r) => seen.has(r.name) && whole.has(r.name) && readsWhole(r, shapes.get(l.name))))
            whole.add(l.name);
    return whole;
}
/** Whether computing all of `reader`'s output reads all of its input of this shape. */
function readsWhole(reader, input) {
    if (reader.kind === 'slice')
        return reader.start === 0 && reader.end === input.c;
    if (reader.kind !== 'conv' && reader.kind !== 'pool')
        return true;
    const dilation = reader.kind === 'conv' ? reader.dilation : [1, 1];
    const along = (a, size, out, pad) => {
        const extent = (reader.kernel[a] - 1) * dilation[a] + 1;
        return extent >= reader.stride[a] && (out - 1) * reader.stride[a] - pad + extent >= size;
    };
    return (along(0, input.h, reader.shape.h, reader.pads.top) && along(1, input.w, reader.shape.w, reader.pads.left));
}
/** What a view segment (Segment.view) costs, whatever its schedule: nothing moved, held or computed. */
export function viewResult(seg) {
    return {
        buffers: seg.buffers.map((b) => ({
            id: b.id,
            role: b.role,
            tensor: b.tensor,
            extents: [0, 0, 0],
            bytes: 0,
            filled: 0,
            dramReads: 0,
            dramWrites: 0,
        })),
        dramReads: 0,
        dramWrites: 0,
        onChipBytes: 0,
        layerMacs: { [seg.last.name]: 0 },
        macs: 0,
        view: true,
    };
}
//# sourceMappingURL=segment.js.map