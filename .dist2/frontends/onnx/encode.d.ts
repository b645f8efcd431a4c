export type Obj = Record<string, unknown>;
export declare const attr: {
    int: (name: string, i: number) => Obj;
    ints: (name: string, ints: readonly number[]) => Obj;
    float: (name: string, f: number) => Obj;
    floats: (name: string, floats: readonly number[]) => Obj;
    str: (name: string, s: string) => Obj;
    tensor: (name: string, t: Obj) => Obj;
};
export declare function node(op: string, input: readonly string[], output: readonly string[], attribute?: Obj[], name?: string): Obj;
/**
 * A float tensor; `values` omitted gives a shape-only tensor, `raw` stores it in raw_data (little-endian
 * float32, as ONNX defines raw_data) rather than float_data.
 */
export declare function floats(name: string, dims: readonly number[], values?: ArrayLike<number>, raw?: boolean): Obj;
export type Int64 = number | {
    low: number;
    high: number;
    unsigned: boolean;
};
export declare function int64s(name: string, values: Int64[], dims?: number[]): Obj;
/** A float tensor's name, element type and dims (a string dim is symbolic). */
export declare function valueInfo(name: string, dims: readonly (number | string)[]): Obj;
export interface GraphSpec {
    name: string;
    nodes: Obj[];
    inputs: Obj[];
    outputs: Obj[];
    inits: Obj[];
}
/** The model around a graph: IR version 8 (ONNX 1.10 on), the default domain at `opset`. */
export declare function encodeGraph(graph: GraphSpec, opset: number, producer: string): Uint8Array;
