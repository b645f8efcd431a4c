// Reference inference: runs a network layer by layer in float32, the ground truth that generated code
// is checked against.

import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { elements, shapeText } from '../ir/network.js';
import { runLayer, type Tensor } from './layers.js';

export interface RunOptions {
  /** Return every layer's output, not only the network's outputs (for debugging). */
  keepAll?: boolean;
  /** Called after each layer with the layers done and their number. */
  onLayer?: (done: number, total: number) => void;
}

/** One tensor per network input, in the network's order, keyed by input name (as runNetwork takes them). */
export function inputsByName(net: Network, tensors: readonly Tensor[]): Record<string, Tensor> {
  return Object.fromEntries(net.inputs.map((t, i) => [t.name, tensors[i]!]));
}

/**
 * Runs the network on one input tensor per network input (keyed by input name) and returns the
 * network's outputs keyed by name (with `keepAll`, every layer's output). Every convolution must
 * carry weights. It yields to the event loop after each layer, so that a large network's seconds of
 * inference can show progress and be interrupted (Ctrl-C).
 */
export async function runNetwork(
  net: Network,
  inputs: Record<string, Tensor>,
  options: RunOptions = {},
): Promise<Record<string, Tensor>> {
  const values = new Map<string, Tensor>();
  for (const input of net.inputs) {
    const t = inputs[input.name];
    if (t === undefined) throw new InputError(`no tensor given for input '${input.name}'`);
    const s = t.shape;
    if (s.c !== input.shape.c || s.h !== input.shape.h || s.w !== input.shape.w)
      throw new InputError(
        `input '${input.name}' is ${shapeText(s)}, the network expects ${shapeText(input.shape)}`,
      );
    if (t.data.length !== elements(s))
      throw new InputError(
        `input '${input.name}' has ${t.data.length} values, its shape ${shapeText(s)} needs ${elements(s)}`,
      );
    values.set(input.name, t);
  }
  for (const name of Object.keys(inputs))
    if (!net.inputs.some((i) => i.name === name))
      throw new InputError(
        `'${name}' is not an input of the network (inputs: ${net.inputs.map((i) => i.name).join(', ')})`,
      );

  // Drop each tensor after its last consumer so deep networks keep only live tensors.
  const lastUse = new Map<string, number>();
  net.layers.forEach((layer, i) => {
    for (const t of layer.inputs) lastUse.set(t, i);
  });
  const keep = new Set(net.outputs);
  const all: Record<string, Tensor> = {};
  for (const [i, layer] of net.layers.entries()) {
    const xs = layer.inputs.map((t) => values.get(t)!);
    const y = runLayer(layer, xs);
    values.set(layer.name, y);
    if (options.keepAll) all[layer.name] = y;
    for (const t of layer.inputs) if (lastUse.get(t) === i && !keep.has(t)) values.delete(t);
    options.onLayer?.(i + 1, net.layers.length);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (options.keepAll) return all;
  return Object.fromEntries(net.outputs.map((o) => [o, values.get(o)!]));
}
