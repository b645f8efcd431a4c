// What `memsched inspect` shows: a per-layer table and its machine-readable twin.
import { shapeText } from '../ir/network.js';
import { exactSum, networkStats } from '../ir/stats.js';
import { grouped, renderTable } from './table.js';
function postText(p) {
    if (p.op === 'clip')
        return p.min === 0 && p.max === 6 ? 'relu6' : `clip(${p.min},${p.max})`;
    return p.op;
}
function geometry(l) {
    if (l.kind !== 'conv' && l.kind !== 'pool')
        return {};
    const g = {
        kernel: [l.kernel[0], l.kernel[1]],
        stride: [l.stride[0], l.stride[1]],
        pads: [l.pads.top, l.pads.left, l.pads.bottom, l.pads.right],
    };
    if (l.kind === 'conv') {
        g.dilation = [l.dilation[0], l.dilation[1]];
        g.groups = l.groups;
    }
    return g;
}
export function summarizeNetwork(net) {
    const stats = networkStats(net);
    const byName = new Map(net.layers.map((l) => [l.name, l]));
    return {
        name: net.name,
        inputs: net.inputs.map((t) => ({ name: t.name, shape: shapeText(t.shape) })),
        outputs: net.outputs.map((o) => ({ name: o, shape: shapeText(byName.get(o).shape) })),
        hasWeights: net.layers.some((l) => (l.kind === 'conv' && l.weights !== undefined) || (l.kind === 'affine' && l.scale !== undefined)),
        layers: stats.layers.map((s, i) => {
            const l = net.layers[i];
            return {
                name: s.name,
                type: s.kind,
                inputs: l.inputs,
                inputShapes: s.inputShapes.map(shapeText),
                outputShape: shapeText(s.outputShape),
                ...geometry(l),
                post: l.post.map(postText),
                macs: s.macs,
                weightElements: s.weightElements,
                biasElements: s.biasElements,
                outputElements: s.outputElements,
            };
        }),
        totals: {
            layers: net.layers.length,
            macs: stats.macs,
            parameters: stats.parameters,
            activations: stats.activations,
        },
    };
}
function kernelText(s) {
    if (!s.kernel || !s.stride)
        return '';
    const k = s.kernel[0] === s.kernel[1] ? `${s.kernel[0]}` : `${s.kernel[0]}x${s.kernel[1]}`;
    const st = s.stride[0] === s.stride[1] ? `${s.stride[0]}` : `${s.stride[0]}x${s.stride[1]}`;
    const parts = [`k${k}`, `s${st}`];
    if (s.pads?.some((p) => p > 0)) {
        const [t, l, b, r] = s.pads;
        parts.push(t === b && l === r && t === l ? `p${t}` : `p${t},${l},${b},${r}`);
    }
    if (s.dilation && (s.dilation[0] > 1 || s.dilation[1] > 1))
        parts.push(`d${s.dilation[0]}`);
    if (s.groups && s.groups > 1)
        parts.push(`g${s.groups}`);
    return parts.join(' ');
}
/** The per-layer table with totals, as `memsched inspect` prints it. */
export function inspectText(summary) {
    const rows = summary.layers.map((s, i) => [
        String(i + 1),
        s.name,
        s.type + (s.post.length > 0 ? `+${s.post.join('+')}` : ''),
        `${s.inputShapes.join(', ')} -> ${s.outputShape}`,
        kernelText(s),
        grouped(s.macs),
        grouped(exactSum([s.weightElements, s.biasElements], 'the parameter count', s.name)),
        grouped(s.outputElements),
    ]);
    const table = renderTable(['#', 'layer', 'type', 'input -> output (CxHxW)', 'kernel', 'MACs', 'params', 'activations'], rows, ['right', 'left', 'left', 'left', 'left', 'right', 'right', 'right']);
    const t = summary.totals;
    const affine = summary.layers.some((s) => s.type === 'affine');
    const io = (xs) => xs.map((x) => `${x.name} ${x.shape}`).join(', ');
    return [
        `network ${summary.name}: ${t.layers} layers, input ${io(summary.inputs)}, output ${io(summary.outputs)}`,
        '',
        table,
        '',
        `total: ${grouped(t.macs)} MACs, ${grouped(t.parameters)} parameters (weights + biases${affine ? ', affine scales + shifts' : ''}), ${grouped(t.activations)} activation elements`,
        ...(affine ? ['affine layers (unfolded batch-norm) count 0 MACs, as published MAC counts do'] : []),
        summary.hasWeights ? 'weights: present' : 'weights: none (shape-only network)',
    ].join('\n');
}
//# sourceMappingURL=inspect.js.map