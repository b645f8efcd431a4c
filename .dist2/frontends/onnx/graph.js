// Canonicalisation of the graph before any operator converts: the nodes in dependency order, Identity
// and Dropout replaced by aliases of their input, and the graph inputs' shapes bound to batch 1.
import { InputError } from '../../ir/errors.js';
import { dimsText, dimText } from './dims.js';
import { DEFAULT_DOMAINS, fail, need } from './node.js';
/** Nodes in dependency order (the file's order where possible); rejects undefined inputs and cycles. */
export function sortNodes(graph, known) {
    const infos = graph.node.map((node, index) => ({
        node,
        op: node.op_type ?? '',
        label: label(node, index),
        index,
        inputs: node.input,
        outputs: node.output,
    }));
    const producer = new Map();
    infos.forEach((info, i) => {
        need(info.op, info, 'the node has no op_type');
        for (const o of info.outputs) {
            if (!o)
                continue;
            need(!producer.has(o) && !known(o), info, `value '${o}' is produced twice (by this node and ${producer.has(o) ? `node '${infos[producer.get(o)].label}'` : 'as a graph input or initializer'})`);
            producer.set(o, i);
        }
    });
    const pending = infos.map(() => 0);
    const dependents = infos.map(() => []);
    infos.forEach((info, i) => {
        for (const t of new Set(info.inputs)) {
            if (!t || known(t))
                continue;
            const p = producer.get(t);
            need(p !== undefined, info, `input '${t}' is not a graph input, an initializer or the output of any node`);
            pending[i] += 1;
            dependents[p].push(i);
        }
    });
    // Kahn's algorithm; the smallest index first keeps an already sorted file in its order.
    const ready = new MinHeap();
    pending.forEach((n, i) => {
        if (n === 0)
            ready.push(i);
    });
    const order = [];
    while (ready.size > 0) {
        const i = ready.pop();
        order.push(infos[i]);
        for (const d of dependents[i]) {
            pending[d] -= 1;
            if (pending[d] === 0)
                ready.push(d);
        }
    }
    if (order.length < infos.length) {
        const stuck = infos.filter((_, i) => pending[i] > 0);
        fail(stuck[0], `the graph has a cycle through ${stuck
            .slice(0, 5)
            .map((s) => `'${s.label}'`)
            .join(', ')}`);
    }
    return order;
}
function label(node, index) {
    return node.name || `${node.op_type || 'node'}_${index}`;
}
/** Drops Identity and Dropout (inference), pointing their consumers at the source tensor. */
export function removeAliases(order, graph, aliases) {
    const resolve = (name) => aliases.get(name) ?? name;
    const used = new Set([...order.flatMap((n) => n.inputs), ...graph.output.map((o) => o.name ?? '')]);
    const kept = [];
    for (const info of order) {
        const domainOk = DEFAULT_DOMAINS.has(info.node.domain ?? '');
        if (domainOk && (info.op === 'Identity' || info.op === 'Dropout')) {
            need(info.inputs[0], info, `${info.op} has no input`);
            need(info.outputs[0], info, `${info.op} has no output`);
            if (info.op === 'Dropout')
                need(!info.outputs[1] || !used.has(info.outputs[1]), info, `the mask output of Dropout is not supported`);
            aliases.set(info.outputs[0], resolve(info.inputs[0]));
            continue;
        }
        kept.push(info);
    }
    for (const info of kept)
        info.inputs = info.inputs.map((t) => (t ? resolve(t) : t));
    return kept;
}
/** Batch bound to 1: [N,C,H,W] gives C x H x W, [N,F] gives F x 1 x 1. */
export function inputShape(vi) {
    const what = `input '${vi.name}'`;
    const tensorType = vi.type?.tensor_type;
    if (tensorType === undefined)
        throw new InputError(`${what} is not a tensor`);
    const dims = tensorType.shape?.dim;
    if (dims === undefined)
        throw new InputError(`${what} has no shape`);
    const text = dimsText(dims.map(dimText));
    if (dims.length !== 4 && dims.length !== 2)
        throw new InputError(`${what} has shape ${text}; only [N,C,H,W] and [N,F] inputs are supported`);
    const batch = dims[0].dim_value;
    if (batch !== undefined && batch !== 1)
        throw new InputError(`${what} has batch size ${batch}; only batch 1 (or a symbolic batch) is supported`);
    const rest = dims.slice(1).map((d) => d.dim_value);
    if (!rest.every((d) => d !== undefined && Number.isInteger(d) && d > 0))
        throw new InputError(`${what} has shape ${text}; every dimension but the batch must be a known positive size`);
    const [c, h, w] = rest;
    return dims.length === 4
        ? { shape: { c: c, h: h, w: w }, rank: 4 }
        : { shape: { c: c, h: 1, w: 1 }, rank: 2 };
}
/** A binary heap of indices, smallest first. */
class MinHeap {
    items = [];
    get size() {
        return this.items.length;
    }
    push(v) {
        const a = this.items;
        a.push(v);
        let i = a.length - 1;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (a[p] <= v)
                break;
            a[i] = a[p];
            i = p;
        }
        a[i] = v;
    }
    pop() {
        const a = this.items;
        const top = a[0];
        const last = a.pop();
        if (a.length > 0) {
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                if (l >= a.length)
                    break;
                const r = l + 1;
                const c = r < a.length && a[r] < a[l] ? r : l;
                if (a[c] >= last)
                    break;
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
        }
        return top;
    }
}
//# sourceMappingURL=graph.js.map