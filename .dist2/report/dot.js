// The network graph in Graphviz dot.
import { shapeText } from '../ir/network.js';
import { layerType, tensorShapes } from '../ir/stats.js';
/** A dot string; a newline in it becomes a line break of the label. */
function quote(s) {
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
/** The id a layer's node gets in the SVG with `layerIds`. */
export function layerNodeId(index) {
    return `layer-${index}`;
}
export function networkDot(net, decoration = {}) {
    const shapes = tensorShapes(net);
    const lines = [
        `digraph ${quote(net.name)} {`,
        '  rankdir=TB;',
        '  node [shape=box, fontname="Helvetica"];',
    ];
    if (decoration.caption !== undefined)
        lines.push(`  label=${quote(decoration.caption)}; labelloc=b; fontname="Helvetica";`);
    if (decoration.fill)
        lines.push('  node [style=filled, fillcolor=white];');
    for (const t of net.inputs)
        lines.push(`  ${quote(t.name)} [shape=ellipse, label=${quote(`${t.name}\n${shapeText(t.shape)}`)}];`);
    const clustered = new Map();
    decoration.clusters?.forEach((c, i) => {
        for (const l of c.layers)
            clustered.set(l, i);
    });
    const layerLines = new Map();
    net.layers.forEach((l, i) => {
        const type = layerType(l, shapes.get(l.inputs[0])?.c ?? 0);
        const post = l.post.length > 0 ? ` + ${l.post.map((p) => p.op).join(' + ')}` : '';
        const note = decoration.note?.get(l.name);
        const label = `${l.name}\n${type}${post}\n${shapeText(l.shape)}${note === undefined ? '' : `\n${note}`}`;
        const attrs = [`label=${quote(label)}`];
        const fill = decoration.fill?.get(l.name);
        if (fill !== undefined)
            attrs.push(`fillcolor=${quote(fill)}`);
        if (decoration.layerIds)
            attrs.push(`id=${quote(layerNodeId(i))}`);
        layerLines.set(l.name, `${quote(l.name)} [${attrs.join(', ')}];`);
    });
    for (const l of net.layers)
        if (!clustered.has(l.name))
            lines.push(`  ${layerLines.get(l.name)}`);
    decoration.clusters?.forEach((c, i) => {
        lines.push(`  subgraph ${quote(`cluster_${i}`)} {`, `    label=${quote(c.label)}; style=filled; fillcolor=${quote(c.fill)}; color="#888888";`, ...c.layers.map((l) => `    ${layerLines.get(l)}`), '  }');
    });
    for (const l of net.layers)
        for (const t of l.inputs)
            lines.push(`  ${quote(t)} -> ${quote(l.name)};`);
    for (const o of net.outputs) {
        lines.push(`  ${quote(`out:${o}`)} [shape=ellipse, label="output"];`);
        lines.push(`  ${quote(o)} -> ${quote(`out:${o}`)};`);
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=dot.js.map