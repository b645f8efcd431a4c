// The network graph in Graphviz dot.

import type { Network } from '../ir/network.js';
import { shapeText } from '../ir/network.js';
import { layerType, tensorShapes } from '../ir/stats.js';

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function networkDot(net: Network): string {
  const shapes = tensorShapes(net);
  const lines = [
    `digraph ${quote(net.name)} {`,
    '  rankdir=TB;',
    '  node [shape=box, fontname="Helvetica"];',
  ];
  for (const t of net.inputs)
    lines.push(`  ${quote(t.name)} [shape=ellipse, label=${quote(`${t.name}\\n${shapeText(t.shape)}`)}];`);
  for (const l of net.layers) {
    const type = layerType(l, shapes.get(l.inputs[0]!)?.c ?? 0);
    const post = l.post.length > 0 ? ` + ${l.post.map((p) => p.op).join(' + ')}` : '';
    lines.push(`  ${quote(l.name)} [label=${quote(`${l.name}\\n${type}${post}\\n${shapeText(l.shape)}`)}];`);
  }
  for (const l of net.layers) for (const t of l.inputs) lines.push(`  ${quote(t)} -> ${quote(l.name)};`);
  for (const o of net.outputs) {
    lines.push(`  ${quote(`out:${o}`)} [shape=ellipse, label="output"];`);
    lines.push(`  ${quote(o)} -> ${quote(`out:${o}`)};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
