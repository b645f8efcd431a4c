// Constant folding of the small integer subgraphs exporters write to compute Reshape targets, Slice
// bounds and Split sizes from Shape (as onnx-simplifier does). With the input shape fixed, every such
// value is a constant; evaluating it here lets the conversion see plain constants.
import { InputError } from '../../ir/errors.js';
import { DataType } from './schema.js';
/** Operators evaluated when every input is a constant. */
export const FOLDABLE = new Set([
    'Shape',
    'Size',
    'Gather',
    'Unsqueeze',
    'Squeeze',
    'Concat',
    'Slice',
    'Cast',
    'Reshape',
    'Flatten',
    'ConstantOfShape',
    'Expand',
    'Range',
    'Add',
    'Sub',
    'Mul',
    'Div',
    'Mod',
    'Min',
    'Max',
    'Neg',
    'Abs',
    'Floor',
    'Ceil',
    'Sqrt',
    'Equal',
    'Less',
    'Greater',
    'Not',
    'And',
    'Or',
    'Where',
    'ReduceProd',
]);
const FLOAT_TYPES = new Set([DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16]);
function product(dims) {
    return dims.reduce((a, b) => a * b, 1);
}
function values(t) {
    return t.floats ?? t.ints ?? [];
}
function make(dims, data, float) {
    return float ? { dims, floats: Float32Array.from(data) } : { dims, ints: Array.from(data) };
}
function intList(t, what) {
    if (t === undefined)
        throw new InputError(`the ${what} is missing`);
    const v = Array.from(values(t));
    if (!v.every(Number.isInteger))
        throw new InputError(`the ${what} must be integers`);
    return v;
}
/** An optional list input (axes, shapes) as integers, undefined when omitted. */
function listIn(t, what) {
    return t === undefined ? undefined : intList(t, what);
}
function axis(a, rank, op) {
    const n = a < 0 ? a + rank : a;
    if (!Number.isInteger(n) || n < 0 || n >= rank)
        throw new InputError(`${op} axis ${a} is out of range for rank ${rank}`);
    return n;
}
/** Row-major strides. */
function strides(dims) {
    const s = dims.map(() => 1);
    for (let i = dims.length - 2; i >= 0; i--)
        s[i] = s[i + 1] * dims[i + 1];
    return s;
}
/** Multidirectional (numpy) broadcasting of several operands; f gets one element of each. */
function broadcast(op, ts, float, f) {
    const rank = Math.max(...ts.map((t) => t.dims.length));
    const padded = ts.map((t) => [...Array(rank - t.dims.length).fill(1), ...t.dims]);
    const dims = Array.from({ length: rank }, (_, d) => {
        const sizes = new Set(padded.map((p) => p[d]).filter((s) => s !== 1));
        if (sizes.size > 1)
            throw new InputError(`${op} cannot broadcast ${ts.map((t) => `[${t.dims.join(', ')}]`).join(' and ')}`);
        return sizes.size === 0 ? 1 : [...sizes][0];
    });
    const out = strides(dims);
    const ins = padded.map((p) => strides(p).map((s, d) => (p[d] === 1 ? 0 : s)));
    const data = ts.map(values);
    const result = new Array(product(dims));
    for (let i = 0; i < result.length; i++) {
        const args = ins.map((st, k) => {
            let offset = 0;
            for (let d = 0; d < rank; d++)
                offset += (Math.floor(i / out[d]) % dims[d]) * st[d];
            return data[k][offset];
        });
        result[i] = f(args);
    }
    return make(dims, result, float);
}
const ARITHMETIC = {
    Add: (a, b) => a + b,
    Sub: (a, b) => a - b,
    Mul: (a, b) => a * b,
    // Integer division truncates, as in C and onnxruntime.
    Div: (a, b, float) => (float ? a / b : Math.trunc(a / b)),
    Mod: (a, b, float) => (float ? a % b : a - Math.floor(a / b) * b),
};
const COMPARISON = {
    Equal: (a, b) => a === b,
    Less: (a, b) => a < b,
    Greater: (a, b) => a > b,
    And: (a, b) => a !== 0 && b !== 0,
    Or: (a, b) => a !== 0 || b !== 0,
};
const UNARY = {
    Neg: (a) => -a,
    Abs: Math.abs,
    Floor: Math.floor,
    Ceil: Math.ceil,
    Sqrt: Math.sqrt,
    Not: (a) => (a === 0 ? 1 : 0),
};
/** Slices one tensor along several axes; bounds are clamped as ONNX specifies (steps may be negative). */
function slice(t, starts, ends, axes, steps) {
    const rank = t.dims.length;
    const ranges = t.dims.map((d) => ({ start: 0, step: 1, count: d }));
    axes.forEach((a, j) => {
        const ax = axis(a, rank, 'Slice');
        const d = t.dims[ax];
        const step = steps[j] ?? 1;
        if (step === 0)
            throw new InputError('Slice step 0');
        const norm = (v) => (v < 0 ? v + d : v);
        const [lo, hi] = step > 0 ? [0, d] : [-1, d - 1];
        const s = Math.min(Math.max(norm(starts[j]), lo), hi);
        const e = Math.min(Math.max(norm(ends[j]), lo), hi);
        const count = Math.max(0, Math.ceil((e - s) / step));
        ranges[ax] = { start: s, step, count };
    });
    const dims = ranges.map((r) => r.count);
    const st = strides(t.dims);
    const out = strides(dims);
    const data = values(t);
    const result = Array.from({ length: product(dims) }, (_, i) => {
        let offset = 0;
        ranges.forEach((r, d) => {
            offset += (r.start + (Math.floor(i / out[d]) % dims[d]) * r.step) * st[d];
        });
        return data[offset];
    });
    return make(dims, result, t.floats !== undefined);
}
function castTo(t, to) {
    if (FLOAT_TYPES.has(to))
        return make(t.dims, values(t), true);
    if (to === DataType.BOOL)
        return make(t.dims, Array.from(values(t), (v) => (v !== 0 ? 1 : 0)), false);
    if (to === DataType.STRING || to === DataType.UNDEFINED)
        throw new InputError(`Cast to data type ${to} is not supported`);
    return make(t.dims, Array.from(values(t), Math.trunc), false);
}
/** Dims of a Reshape target with 0 (copy, unless allowzero) and -1 (infer) resolved. */
export function reshapeDims(from, target, allowZero) {
    const dims = target.map((t, i) => (t === 0 && !allowZero ? (from[i] ?? -2) : t));
    const total = product(from);
    const unknown = dims.filter((d) => d === -1).length;
    const text = `cannot reshape [${from.join(', ')}] to [${target.join(', ')}]`;
    if (unknown > 1 || dims.some((d) => d < -1))
        throw new InputError(text);
    if (unknown === 1) {
        const known = product(dims.filter((d) => d !== -1));
        if (known === 0 || total % known !== 0)
            throw new InputError(text);
        dims[dims.indexOf(-1)] = total / known;
    }
    if (product(dims) !== total)
        throw new InputError(text);
    return dims;
}
/**
 * Evaluates one node on constant inputs ('' inputs are omitted optional ones, undefined here).
 * Axes, bounds and targets come from the input when given, else from the attribute (the form of
 * opsets before 10 or 13), so a file of any opset evaluates.
 */
export function evaluate(op, inputs, attrs) {
    const x = inputs[0];
    if (x === undefined)
        throw new InputError(`${op} has no input`);
    const float = inputs.some((t) => t?.floats !== undefined);
    const rank = x.dims.length;
    const arithmetic = ARITHMETIC[op];
    if (arithmetic) {
        const y = inputs[1];
        if (y === undefined)
            throw new InputError(`${op} needs two inputs`);
        return broadcast(op, [x, y], float, ([a, b]) => arithmetic(a, b, float));
    }
    const comparison = COMPARISON[op];
    if (comparison) {
        const y = inputs[1];
        if (y === undefined)
            throw new InputError(`${op} needs two inputs`);
        return broadcast(op, [x, y], false, ([a, b]) => (comparison(a, b) ? 1 : 0));
    }
    const unary = UNARY[op];
    if (unary)
        return make(x.dims, Array.from(values(x), unary), x.floats !== undefined);
    switch (op) {
        case 'Min':
        case 'Max': {
            const pick = op === 'Min' ? Math.min : Math.max;
            return broadcast(op, inputs.filter((t) => t !== undefined), float, (v) => pick(...v));
        }
        case 'Where': {
            const [c, a, b] = inputs;
            if (c === undefined || a === undefined || b === undefined)
                throw new InputError('Where needs three inputs');
            return broadcast(op, [c, a, b], a.floats !== undefined || b.floats !== undefined, ([k, p, q]) => k !== 0 ? p : q);
        }
        case 'Shape': {
            const start = axisClamp(attrs.int('start', 0), rank);
            const end = axisClamp(attrs.has('end') ? attrs.int('end', rank) : rank, rank);
            const dims = x.dims.slice(start, Math.max(start, end));
            return { dims: [dims.length], ints: dims };
        }
        case 'Size':
            return { dims: [], ints: [product(x.dims)] };
        case 'Cast':
            return castTo(x, attrs.int('to', DataType.UNDEFINED));
        case 'Gather': {
            const indices = inputs[1];
            if (indices === undefined)
                throw new InputError('Gather has no indices');
            const ax = axis(attrs.int('axis', 0), rank, 'Gather');
            const d = x.dims[ax];
            const outer = product(x.dims.slice(0, ax));
            const inner = product(x.dims.slice(ax + 1));
            const data = values(x);
            const result = [];
            const picks = intList(indices, 'Gather indices').map((i) => {
                if (i < -d || i >= d)
                    throw new InputError(`Gather index ${i} is out of range for ${d}`);
                return i < 0 ? i + d : i;
            });
            for (let o = 0; o < outer; o++)
                for (const i of picks)
                    for (let k = 0; k < inner; k++)
                        result.push(data[(o * d + i) * inner + k]);
            const dims = [...x.dims.slice(0, ax), ...indices.dims, ...x.dims.slice(ax + 1)];
            return make(dims, result, x.floats !== undefined);
        }
        case 'Unsqueeze': {
            const axes = listIn(inputs[1], 'Unsqueeze axes') ?? attrs.ints('axes') ?? [];
            const outRank = rank + axes.length;
            const at = new Set(axes.map((a) => axis(a, outRank, 'Unsqueeze')));
            const rest = [...x.dims];
            const dims = Array.from({ length: outRank }, (_, d) => (at.has(d) ? 1 : rest.shift()));
            return { ...x, dims };
        }
        case 'Squeeze': {
            const given = listIn(inputs[1], 'Squeeze axes') ?? attrs.ints('axes');
            const at = new Set((given ?? x.dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => axis(a, rank, 'Squeeze')));
            for (const a of at)
                if (x.dims[a] !== 1)
                    throw new InputError(`Squeeze axis ${a} has size ${x.dims[a]}`);
            return { ...x, dims: x.dims.filter((_, i) => !at.has(i)) };
        }
        case 'Concat': {
            const parts = inputs.filter((t) => t !== undefined);
            const ax = axis(attrs.int('axis', 0), rank, 'Concat');
            for (const p of parts)
                if (p.dims.length !== rank || p.dims.some((d, i) => i !== ax && d !== x.dims[i]))
                    throw new InputError(`Concat of constants with dims [${x.dims.join(', ')}] and [${p.dims.join(', ')}]`);
            const outer = product(x.dims.slice(0, ax));
            const result = [];
            for (let o = 0; o < outer; o++)
                for (const p of parts) {
                    const block = product(p.dims.slice(ax));
                    const data = values(p);
                    for (let k = 0; k < block; k++)
                        result.push(data[o * block + k]);
                }
            const dims = [...x.dims];
            dims[ax] = parts.reduce((n, p) => n + p.dims[ax], 0);
            return make(dims, result, float);
        }
        case 'Slice': {
            if (inputs.length === 1) {
                const starts = attrs.ints('starts') ?? [];
                return slice(x, starts, attrs.ints('ends') ?? [], attrs.ints('axes') ?? starts.map((_, i) => i), []);
            }
            const starts = intList(inputs[1], 'Slice starts');
            const ends = intList(inputs[2], 'Slice ends');
            const axes = inputs[3] ? intList(inputs[3], 'Slice axes') : starts.map((_, i) => i);
            const steps = inputs[4] ? intList(inputs[4], 'Slice steps') : [];
            if (ends.length !== starts.length || axes.length !== starts.length)
                throw new InputError('Slice starts, ends and axes differ in length');
            return slice(x, starts, ends, axes, steps);
        }
        case 'Reshape': {
            const target = listIn(inputs[1], 'Reshape target shape') ?? attrs.ints('shape') ?? [];
            return { ...x, dims: reshapeDims(x.dims, target, attrs.int('allowzero', 0) !== 0) };
        }
        case 'Flatten': {
            const ax = attrs.int('axis', 1);
            const a = ax < 0 ? ax + rank : ax;
            return { ...x, dims: [product(x.dims.slice(0, a)), product(x.dims.slice(a))] };
        }
        case 'ConstantOfShape': {
            const dims = intList(x, 'ConstantOfShape shape');
            const value = attrs.tensor('value') ?? { dims: [1], floats: new Float32Array([0]) };
            const v = values(value)[0] ?? 0;
            return make(dims, new Array(product(dims)).fill(v), value.floats !== undefined);
        }
        case 'Expand': {
            const shape = intList(inputs[1], 'Expand shape');
            const ones = { dims: shape, ints: new Array(product(shape)).fill(1) };
            return broadcast(op, [x, ones], x.floats !== undefined, ([a]) => a);
        }
        case 'Range': {
            const [start, limit, delta] = [0, 1, 2].map((i) => {
                const t = inputs[i];
                if (t === undefined || product(t.dims) !== 1)
                    throw new InputError('Range needs three scalars');
                return values(t)[0];
            });
            const count = Math.max(0, Math.ceil((limit - start) / delta));
            return make([count], Array.from({ length: count }, (_, i) => start + i * delta), float);
        }
        case 'ReduceProd': {
            const given = listIn(inputs[1], 'ReduceProd axes') ?? attrs.ints('axes');
            if (given !== undefined &&
                given.length > 0 &&
                !(rank === 1 && given.every((a) => axis(a, 1, op) === 0)))
                throw new InputError('ReduceProd of a constant is supported over all axes only');
            const keep = attrs.int('keepdims', 1) !== 0;
            return make(keep ? x.dims.map(() => 1) : [], [product(Array.from(values(x)))], x.floats !== undefined);
        }
    }
    throw new InputError(`${op} of constants cannot be evaluated`);
}
/** Shape's start/end: negative counts from the end, then clamped to [0, rank]. */
function axisClamp(a, rank) {
    return Math.min(Math.max(a < 0 ? a + rank : a, 0), rank);
}
//# sourceMappingURL=constfold.js.map