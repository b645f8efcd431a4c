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
export declare const DEFAULT_DOMAINS: Set<string>;
/** An error at the node (or at the graph, without one). */
export declare function fail(info: NodeInfo | undefined, message: string): never;
/** Runs an IR check, reporting its failure at the ONNX node (the IR names the layer, which may differ). */
export declare function atNode<T>(info: NodeInfo, f: () => T): T;
/** Fails at the node with `message` unless `condition` holds. */
export declare function need(condition: unknown, info: NodeInfo | undefined, message: string): asserts condition;
