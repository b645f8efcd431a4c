// The Halide backend: per network schedule a Halide 14 generator (C++17) with one pipeline per segment,
// a runner that reads weights.bin / input.bin, calls the ahead-of-time compiled pipelines and writes
// output.bin, and a Makefile. Each segment prints from its lowered loop nest (lowerSegment): the
// segment's output copy-out Func is split by the tile sizes and reordered in the loop order down to the
// output's fill level; the loops below it are the last layer's own (its reduction's update, the zi loop
// an RVar split); every buffer becomes a Func computed at its fill level and stored at its store level
// (store above fill: Halide's sliding window). DRAM inputs and weights pass through copy Funcs, so the
// copies' stores are the DRAM reads; the copy-out Func's stores are the DRAM writes. Built with
// `--trace`, the pipelines trace those stores and the runner counts them (docs/halide.md).
import { InputError } from '../ir/errors.js';
import { tensorShapes } from '../ir/stats.js';
import { dramViews, storageOf } from '../ir/views.js';
import { nestInput } from '../lower/input.js';
import { lowerSegment } from '../lower/nest.js';
import { programName, weightsFile } from './c.js';
import { refuseCodegenGaps } from './refusals.js';
/** Where Debian's libhalide14-0-dev puts the headers. */
export const halideInclude = '/usr/include/halide14';
export const halideLibs = ['-lHalide14', '-ldl', '-lpthread'];
/** Warnings are errors in memsched's own code; Halide's headers are system headers (they warn under -Wextra). */
export const halideCxxFlags = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-isystem', halideInclude];
/** A float as a C++ float literal (infinities through std::numeric_limits). */
function fl(v) {
    if (v === Number.POSITIVE_INFINITY)
        return 'std::numeric_limits<float>::infinity()';
    if (v === Number.NEGATIVE_INFINITY)
        return '-std::numeric_limits<float>::infinity()';
    if (!Number.isFinite(v))
        throw new InputError(`cannot generate Halide for the parameter ${v}`);
    const t = Math.fround(v).toPrecision(9);
    return `${/[.e]/.test(t) ? t : `${t}.0`}f`;
}
/** Statements applying a layer's folded point-wise operators to the Expr variable `v`. */
function postLines(v, post) {
    return post.map((p) => {
        switch (p.op) {
            case 'relu':
                return `${v} = max(${v}, 0.0f);`;
            case 'clip': {
                let e = v;
                if (p.min !== Number.NEGATIVE_INFINITY)
                    e = `max(${e}, ${fl(p.min)})`;
                if (p.max !== Number.POSITIVE_INFINITY)
                    e = `min(${e}, ${fl(p.max)})`;
                return `${v} = ${e};`;
            }
            case 'sigmoid':
                return `${v} = 1.0f / (1.0f + exp(-${v}));`;
            case 'hardsigmoid':
                return `${v} = max(0.0f, min(1.0f, ${fl(p.alpha)} * ${v} + ${fl(p.beta)}));`;
            case 'hardswish':
                return `${v} = ${v} * max(0.0f, min(6.0f, ${v} + 3.0f)) / 6.0f;`;
            case 'silu':
                return `${v} = ${v} / (1.0f + exp(-${v}));`;
            default:
                throw new Error(`internal: point-wise operator ${p.op}`);
        }
    });
}
/** `a * b + c` as short text for integer constants. */
function affineIndex(v, scale, offset) {
    const s = scale === 1 ? v : `${v} * ${scale}`;
    return offset === 0 ? s : offset > 0 ? `${s} + ${offset}` : `${s} - ${-offset}`;
}
const outerVar = { x: 'xo', y: 'yo', zo: 'co', zi: 'rzo' };
const innerVar = { x: 'xi', y: 'yi', zo: 'ci', zi: 'rzi' };
const pureVar = { x: 'x', y: 'y', zo: 'c' };
/** The loops of more than one tile between a store level and a fill level (depths), outermost first. */
export function reuseLoops(nest, storeDepth, fillDepth) {
    return nest.loops
        .slice(storeDepth, fillDepth)
        .filter((l) => l.tiles > 1)
        .map((l) => l.dim);
}
/**
 * The reuse loops along which a buffer's box may move: weights only along the channel loops (they
 * have no spatial extent), any other buffer along any.
 */
function movingLoops(b, reuse) {
    return b.role === 'weights' ? reuse.filter((l) => l === 'zo' || l === 'zi') : reuse;
}
/** A store level Halide keeps as the schedule says: its box moves along one spatial loop at most. */
function keptByHalide(moving) {
    return moving.length === 0 || (moving.length === 1 && (moving[0] === 'x' || moving[0] === 'y'));
}
/**
 * The levels each buffer's Func gets, consumers first. Halide 14 slides a Func along one loop: a buffer
 * whose box moves along more loops between its store and fill levels, or along a channel loop, is
 * computed at its store level instead (each element still computed or loaded once per store instance,
 * as the model counts, in a larger box; on random schedules Halide computed wrong values when left to
 * slide such buffers). A producer is computed no deeper than its readers.
 */
export function halideLevels(seg, nest) {
    const F = nest.buffers.find((b) => b.role === 'output').storeDepth;
    const levels = nest.buffers.map((b) => ({ store: b.storeDepth, fill: b.fillDepth }));
    const index = new Map(nest.buffers.map((b, i) => [b.id, i]));
    for (let i = nest.buffers.length - 1; i >= 0; i--) {
        const b = nest.buffers[i];
        if (b.role === 'output') {
            levels[i] = { store: F, fill: F };
            continue;
        }
        const readers = b.role === 'weights' ? [seg.buffers[i].layer] : b.readers;
        const compute = readers.map((r) => (r === seg.last.name ? 4 : levels[index.get(r)].fill));
        let fill = Math.min(b.fillDepth, ...compute);
        const store = Math.min(b.storeDepth, fill);
        const reuse = reuseLoops(nest, store, fill);
        if (!keptByHalide(movingLoops(b, reuse)))
            fill = store;
        const at = (d) => (d === 0 ? 'root' : nest.loops[d - 1].dim);
        levels[i] = {
            store,
            fill,
            ...(fill !== b.fillDepth || store !== b.storeDepth
                ? {
                    note: store === b.storeDepth && fill === store
                        ? `${b.id}: computed at its store level '${at(store)}' instead of '${b.fill}' (its box moves along ${reuse.join(', ')}; Halide slides a Func along one spatial loop)`
                        : `${b.id}: stored at '${at(store)}' and computed at '${at(fill)}' instead of '${b.store}' and '${b.fill}' (no deeper than its reader)`,
                }
                : {}),
        };
    }
    return levels;
}
/**
 * Why Halide cannot run this segment's schedule as the model counts it, or undefined: the reduction
 * loop around the output's store level (partial sums through DRAM: Halide finishes a Func's reduction
 * where it computes it).
 */
export function halideRefusal(nest, outputStore) {
    const outside = nest.loops.slice(0, outputStore).find((l) => l.dim === 'zi' && l.tiles > 1);
    if (outside !== undefined)
        return `its reduction loop 'zi' (${outside.tiles} tiles) is outside the output's store level (partial sums through DRAM); Halide finishes a Func's reduction where it computes it (store the output above 'zi', or use a full zi tile)`;
    return undefined;
}
/**
 * Why Halide's counts of a segment may differ from the model's, one line each (empty: the features
 * docs/halide.md lists as exact). Not a prediction that they differ: the cases where they can.
 */
export function halideInexact(seg, nest) {
    const why = [];
    const F = nest.buffers.find((b) => b.role === 'output').storeDepth;
    const levels = halideLevels(seg, nest);
    nest.buffers.forEach((b, i) => {
        if (levels[i].store < b.storeDepth)
            why.push(`${b.id}: stored above its level, where its reader is computed (kept longer than the model keeps it)`);
    });
    for (const l of seg.layers) {
        if (l.kind === 'concat')
            why.push(`${l.name}: concat (Halide's bounds are a box: a tile inside one input's channels still needs a channel of the others)`);
        if (l.kind === 'conv' || l.kind === 'pool') {
            const d = l.kind === 'conv' ? l.dilation : [1, 1];
            if ([0, 1].some((k) => (l.kernel[k] - 1) * d[k] + 1 < l.stride[k]))
                why.push(`${l.name}: windows with gaps between them (Halide slides over the gaps too)`);
        }
        if (l.kind === 'shuffle')
            why.push(`${l.name}: channel shuffle (Halide bounds the shuffled channels by their hull)`);
    }
    // a reader sliding too: Halide 14 slid only the reader on the schedules tried
    const sliding = (i) => reuseLoops(nest, levels[i].store, levels[i].fill).length > 0;
    for (const [i, b] of nest.buffers.entries())
        if (b.role !== 'weights' && b.role !== 'output' && sliding(i)) {
            const reader = nest.buffers.find((r, ri) => r.role !== 'weights' && b.readers.includes(r.id) && sliding(ri));
            if (reader !== undefined)
                why.push(`${b.id}: kept along a loop, as is its reader ${reader.id} (Halide slides the reader only)`);
        }
    const last = seg.last;
    const wi = nest.buffers.findIndex((b) => b.role === 'weights' && b.id === `${last.name}:weights`);
    const w = nest.buffers[wi];
    if (last.kind === 'conv' && last.hasBias && w !== undefined && levels[wi].fill > F)
        why.push(`${w.id}: filled below the output's store level (Halide reads the bias where the sums finish)`);
    if (nest.loops.some((l) => l.warmup > 0))
        why.push("warm-up loops (Halide's sliding window warms up on its own)");
    return why;
}
function segmentText(si, seg, nest, shapes) {
    const P = `s${si}`;
    const lines = [];
    const args = [];
    const funcs = [];
    const last = seg.last;
    const lastIsConv = last.kind === 'conv';
    const outIndex = seg.buffers.findIndex((b) => b.role === 'output');
    // the output tile is computed where it is stored: its reduction complete inside, the loops between
    // its store and fill levels (where the model keeps it on chip) are the last layer's own
    const F = nest.buffers[outIndex].storeDepth;
    const refusal = halideRefusal(nest, F);
    if (refusal !== undefined)
        throw new InputError(`segments[${si}]: ${refusal}`);
    const nontrivial = (d) => nest.loops[d - 1].tiles > 1;
    const tileStage = lastIsConv ? `${P}_acc` : `${P}_b${outIndex}`;
    /** The Halide loop level of a memsched level depth (a loop of one tile is its enclosing level). */
    const level = (depth) => {
        let d = depth;
        while (d > 0 && !nontrivial(d))
            d--;
        if (d === 0)
            return 'LoopLevel::root()';
        const v = outerVar[nest.loops[d - 1].dim];
        return d <= F ? `LoopLevel(${P}_out, ${v})` : `LoopLevel(${tileStage}, ${v})`;
    };
    const eff = halideLevels(seg, nest);
    const notes = eff.flatMap((l) => (l.note === undefined ? [] : [`segment ${si} ${l.note}`]));
    // the Func of each tensor the segment reads or computes
    const funcOf = new Map();
    const declare = (name) => lines.push(`Func ${name}("${name}");`);
    const bounds = (p, dims) => lines.push(dims
        .map((n, i) => {
        const stride = dims.slice(0, i).reduce((a, b) => a * b, 1);
        return `${p}.dim(${i}).set_bounds(0, ${n}).set_stride(${stride});`;
    })
        .join(' '));
    seg.buffers.forEach((b, bi) => {
        const f = `${P}_b${bi}`;
        if (b.role === 'input') {
            const s = shapes.get(b.tensor);
            const p = `${P}_in${bi}`;
            lines.push(`ImageParam ${p}(Float(32), 3, "${p}");`);
            bounds(p, [s.w, s.h, s.c]);
            declare(f);
            lines.push(`${f}(x, y, c) = ${p}(x, y, c);`);
            args.push({ param: p, tensor: b.tensor });
            funcOf.set(b.tensor, f);
            funcs.push({ buffer: b, counted: [f], box: f });
        }
        else if (b.role === 'weights') {
            const l = seg.layers.find((x) => x.name === b.layer);
            const p = `${P}_w${bi}`;
            const counted = [f];
            if (l.kind === 'conv') {
                const cpg = shapes.get(l.inputs[0]).c / l.groups;
                lines.push(`ImageParam ${p}(Float(32), 4, "${p}");`);
                bounds(p, [l.kernel[1], l.kernel[0], cpg, l.outChannels]);
                declare(f);
                lines.push(`${f}(x, y, c, n) = ${p}(x, y, c, n);`);
                args.push({ param: p, weightsOf: l.name });
            }
            else {
                lines.push(`ImageParam ${p}(Float(32), 1, "${p}");`);
                bounds(p, [l.shape.c]);
                declare(f);
                lines.push(`${f}(c) = ${p}(c);`);
                args.push({ param: p, weightsOf: l.name });
            }
            if (l.kind === 'affine' || (l.kind === 'conv' && l.hasBias)) {
                const pb = `${P}_bias${bi}`;
                lines.push(`ImageParam ${pb}(Float(32), 1, "${pb}");`);
                bounds(pb, [l.shape.c]);
                declare(`${f}_bias`);
                lines.push(`${f}_bias(c) = ${pb}(c);`);
                args.push({ param: pb, weightsOf: l.name, bias: true });
                counted.push(`${f}_bias`);
            }
            funcs.push({ buffer: b, counted, box: f });
        }
        else {
            funcOf.set(b.tensor, f);
            funcs.push({ buffer: b, counted: b.role === 'output' ? [`${P}_out`] : [f], box: f });
        }
    });
    const weightsFunc = (l) => `${P}_b${seg.buffers.findIndex((b) => b.role === 'weights' && b.layer === l.name)}`;
    // the layers, producers first
    for (const l of seg.layers) {
        const f = funcOf.get(l.name);
        const v = `${f}_v`;
        const ins = l.inputs.map((t) => ({ func: funcOf.get(t), shape: shapes.get(t) }));
        const a = ins[0];
        /** Input element (x, y, ch) of the first input, zero (or `outside`) beyond its borders. */
        const at = (x, y, ch, outside, padded) => padded
            ? `at(${a.func}, ${a.shape.w}, ${a.shape.h}, ${x}, ${y}, ${ch}, ${outside})`
            : `${a.func}(${x}, ${y}, ${ch})`;
        const windowed = (k, s, d) => {
            const pads = 'pads' in l ? l.pads : { top: 0, left: 0, bottom: 0, right: 0 };
            const reachW = (l.shape.w - 1) * s[1] - pads.left + (k[1] - 1) * d[1];
            const reachH = (l.shape.h - 1) * s[0] - pads.top + (k[0] - 1) * d[0];
            return pads.top + pads.left > 0 || reachW >= a.shape.w || reachH >= a.shape.h;
        };
        declare(f);
        switch (l.kind) {
            case 'conv': {
                const cpg = a.shape.c / l.groups;
                const opg = l.outChannels / l.groups;
                const r = `${f}_r`;
                const acc = l === last ? tileStage : `${f}_acc`;
                const padded = windowed(l.kernel, l.stride, l.dilation);
                const ix = affineIndex('x', l.stride[1], -l.pads.left);
                const iy = affineIndex('y', l.stride[0], -l.pads.top);
                const kx = affineIndex(`${r}.x`, l.dilation[1], 0);
                const ky = affineIndex(`${r}.y`, l.dilation[0], 0);
                const ch = l.groups === 1 ? `${r}.z` : `(c / ${opg}) * ${cpg} + ${r}.z`;
                lines.push(`RDom ${r}(0, ${l.kernel[1]}, 0, ${l.kernel[0]}, 0, ${cpg}, "${r}");`, `Func ${acc}("${acc}");`, `${acc}(x, y, c) = 0.0f;`, `${acc}(x, y, c) += ${weightsFunc(l)}(${r}.x, ${r}.y, ${r}.z, c) * ${at(`${ix} + ${kx}`, `${iy} + ${ky}`, ch, '0.0f', padded)};`, `Expr ${v} = ${acc}(x, y, c)${l.hasBias ? ` + ${weightsFunc(l)}_bias(c)` : ''};`);
                if (l !== last)
                    lines.push(`${acc}.compute_at(${f}, Var::outermost());`);
                break;
            }
            case 'pool': {
                const r = `${f}_r`;
                const padded = windowed(l.kernel, l.stride, [1, 1]);
                const ix = `${affineIndex('x', l.stride[1], -l.pads.left)} + ${r}.x`;
                const iy = `${affineIndex('y', l.stride[0], -l.pads.top)} + ${r}.y`;
                lines.push(`RDom ${r}(0, ${l.kernel[1]}, 0, ${l.kernel[0]}, "${r}");`);
                if (l.mode === 'max')
                    lines.push(`Expr ${v} = maximum(${at(ix, iy, 'c', fl(Number.NEGATIVE_INFINITY), padded)});`);
                else {
                    const { w: W, h: H } = a.shape;
                    const x0 = affineIndex('x', l.stride[1], -l.pads.left);
                    const y0 = affineIndex('y', l.stride[0], -l.pads.top);
                    // the window clipped to the padded input, then (without count_include_pad) to the input
                    const count = l.countIncludePad
                        ? `(min(${y0} + ${l.kernel[0]}, ${H + l.pads.bottom}) - (${y0})) * (min(${x0} + ${l.kernel[1]}, ${W + l.pads.right}) - (${x0}))`
                        : `(min(${y0} + ${l.kernel[0]}, ${H}) - max(${y0}, 0)) * (min(${x0} + ${l.kernel[1]}, ${W}) - max(${x0}, 0))`;
                    lines.push(`Expr ${v} = sum(${at(ix, iy, 'c', '0.0f', padded)}) / cast<float>(${count});`);
                }
                break;
            }
            case 'affine':
                lines.push(`Expr ${v} = ${weightsFunc(l)}(c) * ${a.func}(x, y, c) + ${weightsFunc(l)}_bias(c);`);
                break;
            case 'eltwise': {
                const spread = l.shape.h * l.shape.w > 1;
                const terms = ins.map((i) => i.shape.h * i.shape.w === 1 && spread ? `${i.func}(0, 0, c)` : `${i.func}(x, y, c)`);
                const e = l.op === 'max'
                    ? terms.reduce((p, t) => `max(${p}, ${t})`)
                    : terms.join(l.op === 'add' ? ' + ' : ' * ');
                lines.push(`Expr ${v} = ${e};`);
                break;
            }
            case 'concat': {
                let offset = 0;
                const parts = [];
                ins.forEach((i, k) => {
                    const ch = `clamp(${affineIndex('c', 1, -offset)}, 0, ${i.shape.c - 1})`;
                    const e = `${i.func}(x, y, ${ch})`;
                    offset += i.shape.c;
                    parts.push(k === ins.length - 1 ? e : `c < ${offset}, ${e}`);
                });
                lines.push(`Expr ${v} = ${parts.length === 1 ? parts[0] : `select(${parts.join(', ')})`};`);
                break;
            }
            case 'slice':
                lines.push(`Expr ${v} = ${a.func}(x, y, ${affineIndex('c', 1, l.start)});`);
                break;
            case 'lrn': {
                const r = `${f}_r`;
                const before = Math.floor((l.size - 1) / 2);
                const j = affineIndex(`${r}.x`, 1, -before);
                lines.push(`RDom ${r}(0, ${l.size}, "${r}");`, `Expr ${f}_j = c + ${j};`, `Expr ${f}_e = ${a.func}(x, y, clamp(${f}_j, 0, ${a.shape.c - 1}));`, `Expr ${f}_sq = sum(select(${f}_j >= 0 && ${f}_j < ${a.shape.c}, ${f}_e * ${f}_e, 0.0f));`, `Expr ${v} = ${a.func}(x, y, c) / pow(${fl(l.k)} + ${fl(l.alpha / l.size)} * ${f}_sq, ${fl(l.beta)});`);
                break;
            }
            case 'softmax': {
                const r = `${f}_r`;
                lines.push(`RDom ${r}(0, ${a.shape.c}, "${r}");`, `Func ${f}_max("${f}_max"), ${f}_sum("${f}_sum");`, `${f}_max(x, y) = maximum(${a.func}(x, y, ${r}.x));`, `${f}_sum(x, y) = sum(exp(${a.func}(x, y, ${r}.x) - ${f}_max(x, y)));`, `Expr ${v} = exp(${a.func}(x, y, c) - ${f}_max(x, y)) / ${f}_sum(x, y);`);
                break;
            }
            case 'shuffle': {
                const pg = a.shape.c / l.groups;
                lines.push(`Expr ${v} = ${a.func}(x, y, (c % ${l.groups}) * ${pg} + c / ${l.groups});`);
                break;
            }
        }
        lines.push(...postLines(v, l.post), `${f}(x, y, c) = ${v};`);
    }
    // the copy-out stage: the segment's output to DRAM, split and reordered down to the output's fill level
    const out = `${P}_out`;
    const os = last.shape;
    lines.push(`Func ${out}("${out}");`, `${out}(x, y, c) = ${funcOf.get(last.name)}(x, y, c);`);
    lines.push([os.w, os.h, os.c]
        .map((n, i) => `${out}.output_buffer().dim(${i}).set_bounds(0, ${n}).set_stride(${[1, os.w, os.w * os.h][i]});`)
        .join(' '));
    lines.push(`// schedule: tile x${nest.loops.map((l) => `${l.dim}${l.tile}`).join(' ')}; loops ${nest.loops.map((l) => l.dim).join(' > ')}`);
    const splitDims = (from, to) => {
        const split = [];
        for (let d = from; d <= to; d++)
            if (nontrivial(d))
                split.push(nest.loops[d - 1].dim);
        return split;
    };
    const guard = 'TailStrategy::GuardWithIf';
    const splitText = (dims, r) => dims
        .map((dim) => {
        const t = nest.loops.find((l) => l.dim === dim).tile;
        const v = dim === 'zi' ? `${r}.z` : pureVar[dim];
        return `.split(${v}, ${outerVar[dim]}, ${innerVar[dim]}, ${t}, ${guard})`;
    })
        .join('');
    const inner = (dims) => ['x', 'y', 'zo'].map((d) => (dims.includes(d) ? innerVar[d] : pureVar[d]));
    const outerOf = (dims) => [...dims].reverse().map((d) => outerVar[d]);
    const outDims = splitDims(1, F);
    lines.push(`${out}${splitText(outDims, '')}.reorder(${[...inner(outDims), ...outerOf(outDims)].join(', ')});`);
    const outTile = funcOf.get(last.name);
    lines.push(`${outTile}.compute_at(${level(F)}).store_at(${level(F)});`);
    const tileDims = splitDims(F + 1, 4);
    if (lastIsConv) {
        const r = `${outTile}_r`;
        const rz = tileDims.includes('zi') ? 'rzi' : `${r}.z`;
        lines.push(`${tileStage}.compute_at(${outTile}, Var::outermost());`, `${tileStage}.update()${splitText(tileDims, r)}.reorder(${[`${r}.x`, `${r}.y`, rz, ...inner(tileDims), ...outerOf(tileDims)].join(', ')});`);
    }
    else if (tileDims.length > 0)
        lines.push(`${outTile}${splitText(tileDims, '')}.reorder(${[...inner(tileDims), ...outerOf(tileDims)].join(', ')});`);
    // every other buffer: computed at its fill level, stored at its store level
    seg.buffers.forEach((b, bi) => {
        if (b.role === 'output')
            return;
        const f = `${P}_b${bi}`;
        const { store, fill } = eff[bi];
        lines.push(`${f}.compute_at(${level(fill)}).store_at(${level(store)}); // ${b.id}`);
        if (b.role === 'weights' && funcs[bi].counted.length > 1) {
            // the bias is read where the last layer finishes its sums: no deeper than the output's fill level
            const cap = b.layer === last.name ? F : 4;
            lines.push(`${f}_bias.compute_at(${level(Math.min(fill, cap))}).store_at(${level(Math.min(store, cap))});`);
        }
    });
    // Vectorization, only in the untraced build (lanes change nothing the counts see), chosen per Func;
    // measured on the bench's points (Intel Xeon with AVX-512, one thread; docs/halide.md):
    // - along x, 8 wide, only where a Func computes rows at least 32 wide: on MobileNetV2's 4 MiB point
    //   (fused rows 14 and 28 wide) vectorizing them made those segments 1.5-2.7x slower than scalar
    //   code, rows of 56 gained a quarter, the traffic-sign detector's rows (313 to 1280) gain 2.9x; 16
    //   lanes: 3-10 % faster on the traffic-sign points, 5 % slower on MobileNetV2's (kept at 8). VGG-16's
    //   3x3 layers tiled 8 to 28 wide lost by this threshold (a per-layer threshold is not done yet);
    // - else a convolution's output channels, 8 wide, where the channel tile is a multiple of 8 that
    //   divides the channels (with a tail Halide 14 wrote past the accumulator: a segmentation fault on
    //   MobileNetV2's 7x7 layers tiled by 18 of 160 channels), with the accumulator stored channels
    //   innermost and the weights output channels innermost: stored as the tensors are, the lanes were
    //   gathers x*y apart and the 1x1 layers of 7x7 and 14x14 tiles ran 5-7x slower than scalar code;
    //   so stored, they run 1.5-5x faster than scalar code.
    const fast = [];
    const minWidth = 32;
    const vec = (f, v) => `${f}.vectorize(${v}, 8, ${guard});`;
    const split = (d) => outDims.includes(d) || tileDims.includes(d);
    const xExtent = split('x') ? nest.loops.find((l) => l.dim === 'x').tile : seg.dims.x;
    const cExtent = split('zo') ? nest.loops.find((l) => l.dim === 'zo').tile : seg.dims.zo;
    const vx = tileDims.includes('x') ? 'xi' : 'x';
    const vc = tileDims.includes('zo') ? 'ci' : 'c';
    // Halide 14 does not fold a sliding window along x that is read by a vector loop along x, and warns
    // (a VGG-16 point failed to build so): such a Func and its readers are not vectorized along x
    const xDepth = nest.loops.findIndex((l) => l.dim === 'x' && l.tiles > 1) + 1;
    const slidesX = (bi) => xDepth > 0 && xDepth <= eff[bi].fill && xDepth > eff[bi].store;
    const readsSlidingX = (layer) => seg.buffers.some((b, bi) => b.role !== 'weights' && b.readers.includes(layer) && slidesX(bi));
    const alongX = xExtent >= minWidth && !readsSlidingX(last.name);
    if (lastIsConv) {
        const r = `${outTile}_r`;
        const rz = tileDims.includes('zi') ? 'rzi' : `${r}.z`;
        const channelsWhole = cExtent % 8 === 0 && (!split('zo') || seg.dims.zo % cExtent === 0);
        const v = alongX ? vx : channelsWhole ? vc : undefined;
        if (v !== undefined) {
            const rest = inner(tileDims).filter((d) => d !== v);
            fast.push(`${tileStage}.update().reorder(${[v, `${r}.x`, `${r}.y`, rz, ...rest, ...outerOf(tileDims)].join(', ')});`, vec(`${tileStage}.update()`, v));
            if (v === vc)
                fast.push(`${tileStage}.reorder_storage(c, x, y);`, `${weightsFunc(last)}.reorder_storage(n, x, y, c);`);
        }
        if (alongX)
            fast.push(vec(tileStage, 'x'), vec(outTile, 'x'));
    }
    else if (alongX)
        fast.push(vec(outTile, vx));
    if (alongX)
        fast.push(vec(out, outDims.includes('x') ? 'xi' : 'x'));
    // a producer's row per computation: the tensor's where the x loop runs inside its Halide compute
    // level, else its box's (the window of one x tile); none where it slides along x (see above)
    const width = (bi, w) => {
        if (slidesX(bi))
            return 0;
        if (xDepth === 0 || xDepth > eff[bi].fill)
            return w;
        return nest.buffers[bi].extents[2];
    };
    seg.buffers.forEach((b, bi) => {
        if (b.role === 'input' && width(bi, shapes.get(b.tensor).w) >= minWidth)
            fast.push(vec(`${P}_b${bi}`, 'x'));
        const l = b.role === 'weights' ? undefined : seg.layers.find((x) => x.name === b.tensor);
        if (l === undefined || l === last || width(bi, l.shape.w) < minWidth || readsSlidingX(l.name))
            return;
        const f = `${P}_b${bi}`;
        if (l.kind === 'conv') {
            const r = `${f}_r`;
            fast.push(`${f}_acc.update().reorder(x, ${r}.x, ${r}.y, ${r}.z, y, c);`, vec(`${f}_acc.update()`, 'x'), vec(`${f}_acc`, 'x'));
        }
        fast.push(vec(f, 'x'));
    });
    lines.push('if (!trace) {', ...fast.map((l) => `  ${l}`), '}', 'if (trace) {', ...funcs.flatMap((fb) => [
        ...fb.counted.map((c) => `  ${c}.trace_stores();`),
        ...(fb.buffer.role === 'weights' ? fb.counted.slice(1).map((c) => `  ${c}.trace_realizations();`) : []),
        `  ${fb.box}.trace_realizations();`,
    ]), '}');
    const argList = args.map((a) => a.param).join(', ');
    lines.push(`${out}.compile_to_static_library(dir + "/seg${si}", {${argList}}, "seg${si}", target.with_feature(Target::NoRuntime));`);
    return { lines, funcs, args, notes };
}
function generatorText(name, segs) {
    return [
        `// memsched codegen --target halide: ${name}. A Halide 14 generator: ./generator DIR [--trace] writes`,
        '// DIR/segN.a + DIR/segN.h per segment and DIR/runtime.o (--trace: the copy stages trace their stores).',
        '#include <cstring>',
        '#include <limits>',
        '#include <string>',
        '#include "Halide.h"',
        'using namespace Halide;',
        '',
        ...(segs.some((t) => t.lines.some((l) => /\bat\(/.test(l)))
            ? [
                '// A tensor element, or `outside` beyond its borders: the index is clamped, so padding is never read.',
                'static Expr at(const Func &f, int w, int h, Expr x, Expr y, Expr c, Expr outside) {',
                '  return select(x >= 0 && x < w && y >= 0 && y < h, f(clamp(x, 0, w - 1), clamp(y, 0, h - 1), c), outside);',
                '}',
                '',
            ]
            : []),
        'int main(int argc, char **argv) {',
        '  if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--trace") != 0)) {',
        '    fprintf(stderr, "usage: %s DIR [--trace]\\n", argv[0]);',
        '    return 2;',
        '  }',
        '  const std::string dir = argv[1];',
        '  const bool trace = argc == 3;',
        '  (void)trace;',
        '  const Target target = get_host_target();',
        '  Var x("x"), y("y"), c("c"), n("n"), xo("xo"), xi("xi"), yo("yo"), yi("yi"), co("co"), ci("ci");',
        '  RVar rzo("rzo"), rzi("rzi");',
        ...segs.flatMap((s, i) => [`  { // segment ${i}`, ...s.lines.map((l) => `    ${l}`), '  }']),
        '  compile_standalone_runtime(dir + "/runtime.o", target);',
        '  return 0;',
        '}',
        '',
    ].join('\n');
}
function runnerText(name, net, shapes, segments, texts) {
    const tensors = [...net.inputs.map((t) => t.name), ...segments.map((s) => s.last.name)];
    const tensorVar = new Map(tensors.map((t, i) => [t, `t${i}`]));
    // a view lives in the tensor holding its storage: a crop of its channels, shifted to start at 0
    const inDram = new Set(tensors);
    const views = dramViews(net);
    const storage = tensors.map((t) => storageOf(views, t, (x) => inDram.has(x)));
    const layerIndex = new Map(net.layers.map((l, i) => [l.name, i]));
    const lines = [
        `// memsched codegen --target halide: ${name}. ./${name} weights.bin input.bin output.bin [RUNS]`,
        '// runs the segments RUNS times (default 1) and prints JSON: the seconds of each run (the pipelines',
        '// alone, no file I/O) and, for pipelines generated with --trace, the stores counted per Func and the',
        '// largest box each Func was realized with.',
        '#include <algorithm>',
        '#include <chrono>',
        '#include <cstdio>',
        '#include <cstdlib>',
        '#include <map>',
        '#include <string>',
        '#include <vector>',
        '#include "HalideBuffer.h"',
        '#include "HalideRuntime.h"',
        ...segments.flatMap((seg, i) => (seg.view ? [] : [`#include "seg${i}.h"`])),
        'using Halide::Runtime::Buffer;',
        '',
        'static std::map<const char *, long long> stores;',
        'static std::map<const char *, std::vector<int>> boxes;',
        '',
        'static int count_trace(void *, const halide_trace_event_t *e) {',
        '  if (e->event == halide_trace_store) {',
        '    stores[e->func] += e->type.lanes;',
        '  } else if (e->event == halide_trace_begin_realization) {',
        '    std::vector<int> &b = boxes[e->func];',
        '    b.resize(e->dimensions / 2);',
        '    for (int i = 0; i < e->dimensions / 2; i++) b[i] = std::max(b[i], e->coordinates[2 * i + 1]);',
        '  }',
        '  return 0;',
        '}',
        '',
        'static FILE *open_file(const char *name, const char *mode) {',
        '  FILE *f = fopen(name, mode);',
        '  if (!f) {',
        '    fprintf(stderr, "%s: cannot open\\n", name);',
        '    exit(2);',
        '  }',
        '  return f;',
        '}',
        '',
        'static void read_floats(FILE *f, const char *name, Buffer<float> &b) {',
        '  if (fread(b.data(), sizeof(float), b.number_of_elements(), f) != b.number_of_elements()) {',
        '    fprintf(stderr, "%s: too short\\n", name);',
        '    exit(2);',
        '  }',
        '}',
        '',
        'static void expect_end(FILE *f, const char *name) {',
        '  if (fgetc(f) != EOF) {',
        '    fprintf(stderr, "%s: longer than expected\\n", name);',
        '    exit(2);',
        '  }',
        '  fclose(f);',
        '}',
        '',
        'static void check(int status, const char *segment) {',
        '  if (status != 0) {',
        '    fprintf(stderr, "%s failed: Halide error %d\\n", segment, status);',
        '    exit(1);',
        '  }',
        '}',
        '',
        'int main(int argc, char **argv) {',
        '  if (argc < 4 || argc > 5 || (argc == 5 && atoi(argv[4]) < 1)) {',
        '    fprintf(stderr, "usage: %s weights.bin input.bin output.bin [RUNS]\\n", argv[0]);',
        '    return 2;',
        '  }',
        '  const int runs = argc == 5 ? atoi(argv[4]) : 1;',
        '  halide_set_custom_trace(count_trace);',
        '  FILE *f = open_file(argv[1], "rb");',
    ];
    net.layers.forEach((l, i) => {
        if (l.kind === 'conv') {
            const cpg = shapes.get(l.inputs[0]).c / l.groups;
            lines.push(`  Buffer<float> w${i}(${l.kernel[1]}, ${l.kernel[0]}, ${cpg}, ${l.outChannels}); // ${l.name.replace(/[^\w.:@+-]/g, '_')}`);
            lines.push(`  read_floats(f, argv[1], w${i});`);
            if (l.hasBias)
                lines.push(`  Buffer<float> b${i}(${l.outChannels});`, `  read_floats(f, argv[1], b${i});`);
        }
        else if (l.kind === 'affine')
            lines.push(`  Buffer<float> w${i}(${l.shape.c}), b${i}(${l.shape.c});`, `  read_floats(f, argv[1], w${i});`, `  read_floats(f, argv[1], b${i});`);
    });
    lines.push('  expect_end(f, argv[1]);', '  f = open_file(argv[2], "rb");');
    tensors.forEach((t, i) => {
        const s = shapes.get(t);
        if (storage[i].in === t)
            lines.push(`  Buffer<float> t${i}(${s.w}, ${s.h}, ${s.c});`);
    });
    tensors.forEach((t, i) => {
        const { in: owner, channel } = storage[i];
        if (owner !== t)
            lines.push(`  Buffer<float> t${i} = ${tensorVar.get(owner)}.cropped(2, ${channel}, ${shapes.get(t).c}).translated(2, ${-channel}); // ${t.replace(/[^\w.:@+-]/g, '_')}: in ${owner.replace(/[^\w.:@+-]/g, '_')}`);
    });
    net.inputs.forEach((_, i) => {
        lines.push(`  read_floats(f, argv[2], t${i});`);
    });
    lines.push('  expect_end(f, argv[2]);', '  std::vector<double> seconds;', '  for (int run = 0; run < runs; run++) {', '    const auto start = std::chrono::steady_clock::now();');
    segments.forEach((seg, si) => {
        const text = texts[si];
        if (text === undefined)
            return;
        const args = text.args.map((a) => {
            if (a.tensor !== undefined)
                return tensorVar.get(a.tensor);
            return `${a.bias ? 'b' : 'w'}${layerIndex.get(a.weightsOf)}`;
        });
        args.push(tensorVar.get(seg.last.name));
        lines.push(`    check(seg${si}(${args.map((a) => `${a}.raw_buffer()`).join(', ')}), "segment ${si}");`);
    });
    lines.push('    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());', '  }', '  // the same Func name may come with several pointers: merged by name', '  std::map<std::string, long long> counted;', '  std::map<std::string, std::vector<int>> box;', '  for (const auto &s : stores) counted[s.first] += s.second;', '  for (const auto &b : boxes) {', '    std::vector<int> &m = box[b.first];', '    m.resize(b.second.size());', '    for (size_t i = 0; i < m.size(); i++) m[i] = std::max(m[i], b.second[i]);', '  }', '  printf("{\\"format\\":\\"memsched.halide-run\\",\\"version\\":1,\\"seconds\\":[");', '  for (size_t i = 0; i < seconds.size(); i++) printf("%s%.9f", i ? "," : "", seconds[i]);', '  printf("],\\"stores\\":{");', '  bool first = true;', '  for (const auto &s : counted) {', '    printf("%s\\"%s\\":%lld", first ? "" : ",", s.first.c_str(), s.second);', '    first = false;', '  }', '  printf("},\\"boxes\\":{");', '  first = true;', '  for (const auto &b : box) {', '    printf("%s\\"%s\\":[", first ? "" : ",", b.first.c_str());', '    for (size_t i = 0; i < b.second.size(); i++) printf("%s%d", i ? "," : "", b.second[i]);', '    printf("]");', '    first = false;', '  }', '  printf("}}\\n");', '  f = open_file(argv[3], "wb");');
    for (const o of net.outputs) {
        const v = tensorVar.get(o);
        lines.push(`  fwrite(${v}.data(), sizeof(float), ${v}.number_of_elements(), f);`);
    }
    lines.push('  if (fclose(f) != 0) {', '    fprintf(stderr, "%s: cannot write\\n", argv[3]);', '    return 2;', '  }', '  return 0;', '}', '');
    return lines.join('\n');
}
/** The generator's compile command (generator.cpp to generator). */
export function generatorCommand(cxx) {
    return [cxx, ...halideCxxFlags, '-O1', 'generator.cpp', '-o', 'generator', ...halideLibs];
}
/** The runner's compile command, linking the segments' libraries and the Halide runtime. */
export function runnerCommand(cxx, name, libs) {
    return [
        cxx,
        ...halideCxxFlags,
        '-O2',
        '-I.',
        'runner.cpp',
        ...libs,
        'runtime.o',
        '-o',
        name,
        '-ldl',
        '-lpthread',
    ];
}
function makefileText(name, pipelines) {
    const libs = pipelines.map((i) => `seg${i}.a`).join(' ');
    const cmd = (c) => c.map((a) => (a === 'g++' ? '$(CXX)' : a)).join(' ');
    return [
        `# memsched codegen --target halide: ${name}. 'make' builds the generator, runs it (one static library`,
        "# per segment and the Halide runtime) and links the runner; 'make run' runs on input.bin. Needs Halide 14",
        '# (Debian: apt-get install libhalide14-0-dev). TRACE=--trace makes the pipelines count their copies.',
        'CXX ?= g++',
        'TRACE ?=',
        '',
        `${name}: runner.cpp runtime.o`,
        `\t${cmd(runnerCommand('g++', name, libs.split(' ')))}`,
        '',
        `runtime.o ${libs}: generator`,
        '\t./generator . $(TRACE)',
        '',
        'generator: generator.cpp',
        `\t${cmd(generatorCommand('g++'))}`,
        '',
        `run: ${name}`,
        `\t./${name} weights.bin input.bin output.bin`,
        '',
        '.PHONY: run',
        '',
    ].join('\n');
}
/**
 * The Halide program of a schedule of `net` (checked and predicted by checkAndEvaluate); every
 * convolution and affine layer must carry weights (runnableNetwork). Schedules Halide cannot run as the
 * model counts them are refused (halideRefusal) with an InputError naming the segment.
 */
export function generateHalide(net, sched, { segments, predicted }, options = {}) {
    refuseCodegenGaps(sched, segments, 'Halide');
    const shapes = tensorShapes(net);
    const name = programName(net.name);
    // a view has no pipeline: its readers read its producers' tensors (docs/execution-model.md, "Views")
    const texts = segments.map((seg, si) => seg.view
        ? undefined
        : segmentText(si, seg, lowerSegment(nestInput(seg, sched.segments[si], predicted.segments[si], sched.elementBytes)), shapes));
    const pipelines = segments.flatMap((seg, si) => (seg.view ? [] : [si]));
    return {
        name,
        generator: generatorText(name, texts.flatMap((t) => (t ? [t] : []))),
        runner: runnerText(name, net, shapes, segments, texts),
        makefile: makefileText(name, pipelines),
        ...(options.weights === false ? {} : { weights: weightsFile(net) }),
        inputs: net.inputs.map((t) => ({ name: t.name, shape: t.shape })),
        outputs: net.outputs.map((t) => ({ name: t, shape: shapes.get(t) })),
        segments: segments.map((seg, si) => ({
            layers: seg.layers.map((l) => l.name),
            buffers: texts[si]?.funcs ?? seg.buffers.map((b) => ({ buffer: b, counted: [], box: '' })),
            pipeline: !seg.view,
        })),
        layers: new Map(net.layers.map((l) => [l.name, l])),
        predicted,
        notes: texts.flatMap((t) => t?.notes ?? []),
    };
}
/** halideInexact of every segment of a checked schedule, each line naming its segment. */
export function halideInexactText({ segments, predicted }, sched) {
    return segments.flatMap((seg, si) => seg.view
        ? []
        : halideInexact(seg, lowerSegment(nestInput(seg, sched.segments[si], predicted.segments[si], sched.elementBytes))).map((w) => `segment ${si} ${w}`));
}
//# sourceMappingURL=halide.js.map