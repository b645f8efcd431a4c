// A node as the conversion sees it, and the errors that name it.

import { InputError } from '../../ir/errors.js';
import type { Node } from './schema.js';

export interface NodeInfo {
  node: Node;
  op: string;
  /** The node's name, or op type and index in the file when unnamed: used in errors. */
  label: string;
  index: number;
  /** Inputs with Identity/Dropout aliases resolved; '' marks an omitted optional input. */
  inputs: string[];
  outputs: string[];
}

/** The domains of the standard operators; any other domain is a custom operator we do not know. */
export const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

/** An error at the node (or at the graph, without one). */
export function fail(info: NodeInfo | undefined, message: string): never {
  throw new InputError(message, { node: info?.label });
}

/** Runs an IR check, reporting its failure at the ONNX node (the IR names the layer, which may differ). */
export function atNode<T>(info: NodeInfo, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InputError && e.node !== info.label)
      throw new InputError(e.message, { node: info.label });
    throw e;
  }
}

/** Fails at the node with `message` unless `condition` holds. */
export function need(condition: unknown, info: NodeInfo | undefined, message: string): asserts condition {
  if (!condition) fail(info, message);
}
