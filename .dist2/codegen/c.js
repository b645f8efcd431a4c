// The C backend: one self-contained C99 program per network schedule. The scratchpad is one static array
// of the schedule's peak on-chip size (in elements), carved per segment into the buffers, each a box of
// the model's predicted extents with circular addressing. Every segment becomes a loop nest with the
// schedule's tile sizes and loop order; each buffer is reset at its store level and filled at its fill
// level; the last layer computes at the innermost level (a loop with warm-up iterations starts at its
// first warm-up tile: see RuntimeFeatures.warmup in runtime.ts; a segment in strips runs the nest once per
// strip, and a raster line buffer is one run per channel: RuntimeFeatures.strips and .raster). An
// intermediate also read after its segment (or a network output: exported) has a tensor in DRAM, and
// after each fill its producer computes, export_fill writes what was computed there. The
// program counts what it moves and computes
// and prints the counts as JSON (format in docs/verify-format.md; the order of the numbers is the
// order of `segments[].buffers` here).
import { InputError } from '../ir/errors.js';
import { weightsShape } from '../ir/network.js';
import { tensorShapes } from '../ir/stats.js';
import { dramViews, storageOf } from '../ir/views.js';
import { nestInput } from '../lower/input.js';
import { lowerSegment } from '../lower/nest.js';
import { stripRanges } from '../model/schedule.js';
import { hasExports, hasJoins } from '../model/segment.js';
import { deterministicWeights } from '../reference/weights.js';
import { int8LayerC, int8WeightsFile, tensorScalesC } from './int8.js';
import { releaseHeader, releaseMain } from './release.js';
import { convShapeKey, releaseRuntimeC, runtimeC, runtimeTypesC } from './runtime.js';
/** Seed of the weights given to networks that come without them. */
export const weightsSeed = 1;
/**
 * The network with weights: its own when every convolution and affine layer has them, else seeded
 * ones (deterministicWeights).
 */
export function runnableNetwork(net) {
    const complete = net.layers.every((l) => l.kind === 'conv'
        ? l.weights !== undefined && (!l.hasBias || l.bias !== undefined)
        : l.kind !== 'affine' || (l.scale !== undefined && l.shift !== undefined));
    return complete ? net : deterministicWeights(net, weightsSeed);
}
/** A name safe inside a C comment. */
function commentText(s) {
    return s.replace(/[^A-Za-z0-9_.:@+/ -]/g, '_');
}
/** The program's file names (name.c, name): the network's name made safe. */
export function programName(name) {
    const stem = name.replace(/[^A-Za-z0-9_-]/g, '_');
    return stem === '' ? 'network' : stem;
}
function cDouble(v) {
    if (v === Number.POSITIVE_INFINITY)
        return 'INFINITY';
    if (v === Number.NEGATIVE_INFINITY)
        return '-INFINITY';
    if (!Number.isFinite(v))
        throw new InputError(`cannot generate C for the parameter ${v}`);
    return Number.isInteger(v) ? `${v}.0` : v.toPrecision(17);
}
const kindNames = {
    conv: 'KIND_CONV',
    pool: 'KIND_POOL',
    eltwise: 'KIND_ELTWISE',
    concat: 'KIND_CONCAT',
    slice: 'KIND_SLICE',
    lrn: 'KIND_LRN',
    softmax: 'KIND_SOFTMAX',
    shuffle: 'KIND_SHUFFLE',
    affine: 'KIND_AFFINE',
};
function postEntry(p) {
    switch (p.op) {
        case 'relu':
            return '{OP_RELU, 0.0, 0.0}';
        case 'clip':
            return `{OP_CLIP, ${cDouble(p.min)}, ${cDouble(p.max)}}`;
        case 'sigmoid':
            return '{OP_SIGMOID, 0.0, 0.0}';
        case 'hardsigmoid':
            return `{OP_HARDSIGMOID, ${cDouble(p.alpha)}, ${cDouble(p.beta)}}`;
        case 'hardswish':
            return '{OP_HARDSWISH, 0.0, 0.0}';
        case 'silu':
            return '{OP_SILU, 0.0, 0.0}';
    }
}
function convShape(l) {
    return {
        kh: l.kernel[0],
        kw: l.kernel[1],
        sh: l.stride[0],
        sw: l.stride[1],
        dh: l.dilation[0],
        dw: l.dilation[1],
        pt: l.pads.top,
        pl: l.pads.left,
    };
}
function layerFields(l, shapes, convShapes) {
    const f = [];
    switch (l.kind) {
        case 'conv': {
            const cin = shapes.get(l.inputs[0]).c;
            f.push(`.shape = ${convShapes.get(convShapeKey(convShape(l)))}`, `.kh = ${l.kernel[0]}, .kw = ${l.kernel[1]}, .sh = ${l.stride[0]}, .sw = ${l.stride[1]}`, `.dh = ${l.dilation[0]}, .dw = ${l.dilation[1]}`, `.pt = ${l.pads.top}, .pl = ${l.pads.left}, .pb = ${l.pads.bottom}, .pr = ${l.pads.right}`, `.groups = ${l.groups}, .has_bias = ${l.hasBias ? 1 : 0}`, `.nweights = ${l.outChannels * (cin / l.groups) * l.kernel[0] * l.kernel[1]}`);
            break;
        }
        case 'pool':
            f.push(`.kh = ${l.kernel[0]}, .kw = ${l.kernel[1]}, .sh = ${l.stride[0]}, .sw = ${l.stride[1]}`, `.pt = ${l.pads.top}, .pl = ${l.pads.left}, .pb = ${l.pads.bottom}, .pr = ${l.pads.right}`, `.pool_max = ${l.mode === 'max' ? 1 : 0}, .count_include_pad = ${l.countIncludePad ? 1 : 0}`);
            break;
        case 'eltwise':
            f.push(`.elt_op = ${l.op === 'add' ? 'ELT_ADD' : l.op === 'mul' ? 'ELT_MUL' : 'ELT_MAX'}`);
            break;
        case 'slice':
            f.push(`.start = ${l.start}`);
            break;
        case 'lrn':
            f.push(`.lrn_size = ${l.size}, .lrn_alpha = ${cDouble(l.alpha)}, .lrn_beta = ${cDouble(l.beta)}, .lrn_k = ${cDouble(l.k)}`);
            break;
        case 'shuffle':
            f.push(`.shuffle_groups = ${l.groups}`);
            break;
        case 'affine':
            // the scale is read as a 1x1 kernel's one weight, the shift as its bias
            f.push(`.kh = 1, .kw = 1, .has_bias = 1, .nweights = ${l.shape.c}`);
            break;
        default:
            break;
    }
    return f;
}
/** The weights file: every convolution's weights then bias, every affine layer's scale then shift, in network order. */
export function weightsFile(net) {
    const shapes = tensorShapes(net);
    const parts = [];
    for (const l of net.layers) {
        if (l.kind === 'affine') {
            if (l.scale === undefined || l.shift === undefined)
                throw new InputError('needs a scale and a shift, has none (see runnableNetwork for seeded ones)', {
                    node: l.name,
                });
            parts.push(l.scale, l.shift);
            continue;
        }
        if (l.kind !== 'conv')
            continue;
        const cin = shapes.get(l.inputs[0]).c;
        const n = l.outChannels * (cin / l.groups) * l.kernel[0] * l.kernel[1];
        if (l.weights === undefined || l.weights.length !== n)
            throw new InputError(`needs ${n} weights, has ${l.weights?.length ?? 'none'} (see runnableNetwork for seeded weights)`, { node: l.name });
        parts.push(l.weights);
        if (l.hasBias) {
            if (l.bias === undefined || l.bias.length !== l.outChannels)
                throw new InputError(`needs ${l.outChannels} biases, has ${l.bias?.length ?? 'none'}`, {
                    node: l.name,
                });
            parts.push(l.bias);
        }
    }
    const total = parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total * 4);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of parts)
        for (let i = 0; i < p.length; i++, at += 4)
            view.setFloat32(at, p[i], true);
    return out;
}
const rangeVars = { x: ['x0', 'x1'], y: ['y0', 'y1'], zo: ['c0', 'c1'], zi: ['r0', 'r1'] };
/** The loop of a dimension in a lowered segment. */
function loopOf(nest, dim) {
    return nest.loops.find((l) => l.dim === dim);
}
/**
 * Per activation tensor of a segment with a warm-up loop, the lowest virtual coordinate its demand can
 * reach along rows and columns, negated (0 along a loop without warm-up): from the last layer's first
 * warm-up tile through each reader's windows, which are not clipped below 0 there.
 */
function virtualMargins(seg, nest) {
    const [y, x] = [loopOf(nest, 'y'), loopOf(nest, 'x')];
    const margins = new Map([[seg.last.name, [-y.start, -x.start]]]);
    const virtual = [y.warmup > 0, x.warmup > 0];
    for (const l of [...seg.layers].reverse()) {
        const out = margins.get(l.name) ?? [0, 0];
        // a 1x1 input of a larger output is broadcast (read at 0 along both dimensions)
        const spreads = l.shape.h > 1 || l.shape.w > 1;
        for (const t of l.inputs) {
            const m = margins.get(t) ?? [0, 0];
            const shape = seg.shapes.get(t);
            for (const k of [0, 1]) {
                if (!virtual[k])
                    continue;
                // the lowest position's window starts lowest
                const low = l.kind === 'conv' || l.kind === 'pool'
                    ? out[k] * l.stride[k] + (k === 0 ? l.pads.top : l.pads.left)
                    : l.kind === 'eltwise' && shape.h === 1 && shape.w === 1 && spreads
                        ? 0
                        : out[k];
                m[k] = Math.max(m[k], low);
            }
            margins.set(t, m);
        }
    }
    return margins;
}
/**
 * The tile loops of a lowered segment; `enter(k)` / `exit(k)` give the statements at the start and end
 * of each level-k body (0: root). A loop with warm-up starts at its first warm-up tile; outside it, its
 * range covers them too. In strips, the nest runs once per strip (after the statements `once`), the x
 * loop over the strip's columns.
 */
function loopNest(nest, enter, exit, strips, once = []) {
    const lines = [];
    const emit = (depth, indent) => {
        for (const l of enter(depth))
            lines.push(`${indent}${l}`);
        const loop = nest.loops[depth];
        if (loop !== undefined && strips !== undefined && loop.dim === 'x') {
            const { tile: t, warmup: w } = loop;
            lines.push(`${indent}for (int tx = ${-w}; tx < s.xtiles; tx++) { /* x tiles of ${t} in the strip */`, `${indent}  r.x0 = s.xlo + tx * ${t};`, `${indent}  r.x1 = r.x0 + ${t} < s.xhi ? r.x0 + ${t} : s.xhi;`);
            emit(depth + 1, `${indent}  `);
            lines.push(`${indent}}`, `${indent}r.x0 = s.xlo${w > 0 ? ` - ${w * t}` : ''};`, `${indent}r.x1 = s.xhi;`);
        }
        else if (loop !== undefined) {
            const [lo, hi] = rangeVars[loop.dim];
            const { tile: t, extent: d } = loop;
            const v = `t${loop.dim}`;
            lines.push(`${indent}for (int ${v} = ${-loop.warmup}; ${v} < ${loop.tiles}; ${v}++) { /* ${loop.dim} tiles of ${t} */`);
            lines.push(`${indent}  r.${lo} = ${v} * ${t};`);
            lines.push(`${indent}  r.${hi} = r.${lo} + ${t} < ${d} ? r.${lo} + ${t} : ${d};`);
            emit(depth + 1, `${indent}  `);
            lines.push(`${indent}}`);
            lines.push(`${indent}r.${lo} = ${loop.start};`);
            lines.push(`${indent}r.${hi} = ${d};`);
        }
        for (const l of exit(depth))
            lines.push(`${indent}${l}`);
    };
    if (strips === undefined)
        emit(0, '  ');
    else {
        const { size: n, count, width } = strips;
        const x = loopOf(nest, 'x');
        lines.push(...once.map((l) => `  ${l}`), `  for (int k = 0; k < ${count}; k++) { /* strips of ${n} columns */`, `    strip_begin(&s, &r, k * ${n}, k * ${n} + ${n} < ${width} ? k * ${n} + ${n} : ${width}, ${x.tile}, ${x.warmup});`);
        emit(0, '    ');
        lines.push('  }');
    }
    return lines;
}
function roleName(b) {
    return `ROLE_${b.role.toUpperCase()}`;
}
/**
 * Slots of a buffer's box as the runtime lays it out: the product of its extents; weights hold per
 * output channel its input channels' kernel taps and a bias slot (the generated program's own rule,
 * held against the model's bytes).
 */
function boxSlots(extents, weights, raster) {
    // a raster line buffer: per channel one run
    if (raster !== undefined)
        return extents[0] * raster;
    if (weights === undefined)
        return extents.reduce((a, b) => a * b, 1);
    return extents[0] * (extents[1] * weights.kernelArea + (weights.bias ? 1 : 0));
}
/**
 * A segment's schedule and the model's prediction for it, lowered, each box as the program lays it out
 * (its own rule, which the carving then holds against the model's bytes).
 */
function lowered(seg, s, result, elementBytes, shapes) {
    const input = nestInput(seg, s, result, elementBytes);
    input.buffers.forEach((b, bi) => {
        const owner = seg.layers.find((l) => l.name === seg.buffers[bi].layer);
        const ws = b.role === 'weights' ? weightsShape(owner, shapes.get(owner.inputs[0]).c) : undefined;
        b.slots = boxSlots(b.extents, ws, b.raster);
    });
    return lowerSegment(input);
}
/**
 * The kernel of a convolution. The verification build: a fused producer reduces over all its input
 * channels; the last layer with one group, a reduction tile narrower than 8 and an output-channel tile
 * of at least 4 and wider (VDSR's schedules mostly have zi = 1) updates the tile's output channels at
 * once for each input element. The release build also updates output channels at once (output channels
 * in vector lanes: no horizontal sums, each input element broadcast to every channel of the tile) where
 * a layer computes 8 or more of a group together (a producer: its channels; the last layer: its tile),
 * and each output's reduction is short (under 256 products) or 1x1; the weights buffer's layout follows.
 */
function convMode(seg, s, l, release, shapes) {
    if (l.kind !== 'conv')
        return 'CONV_DOT';
    const last = l === seg.last;
    if (last && l.groups === 1 && s.tile.zi < 8 && s.tile.zo >= 4 && s.tile.zo > s.tile.zi)
        return 'CONV_AXPY';
    // measured: 3x3 reductions over 64 channels and more (VDSR, VGG-16) run faster as dot products; 1x1
    // ones (MobileNetV2) and short ones (first layers, the traffic detector's) in lanes
    const reduction = (shapes.get(l.inputs[0]).c / l.groups) * l.kernel[0] * l.kernel[1];
    const inLanes = release &&
        l.outChannels / l.groups >= 8 &&
        channelsTogether(seg, s, l) >= 8 &&
        ((l.kernel[0] === 1 && l.kernel[1] === 1) || reduction < 256);
    if (last || !inLanes)
        return inLanes ? 'CONV_AXPY' : 'CONV_DOT';
    // a producer writes channels innermost: not where the last layer reads rows of columns per channel
    return rowsPerChannel(seg, s, release, shapes) ? 'CONV_DOT' : 'CONV_AXPY';
}
/**
 * The output channels a layer computes together: the last layer its zo tile; a producer that the last
 * convolution (one group) reduces over in slices of zi, zi of them (a channel at a time at the traffic
 * detector's front points); one the last layer reads channel for channel, zo; the others all of theirs.
 */
function channelsTogether(seg, s, l) {
    if (l === seg.last)
        return s.tile.zo;
    if (!seg.last.inputs.includes(l.name))
        return l.outChannels;
    return seg.last.kind === 'conv' && seg.last.groups === 1 ? s.tile.zi : s.tile.zo;
}
/** Whether the last convolution reduces one channel at a time in its dot kernel: the activations it reads
 * are then held as rows of columns per channel (a row of positions in adjacent slots). */
function rowsPerChannel(seg, s, release, shapes) {
    return (seg.last.kind === 'conv' && convMode(seg, s, seg.last, release, shapes) === 'CONV_DOT' && s.tile.zi === 1);
}
/**
 * The part of main() reading the weights, allocating the tensors in DRAM and reading the inputs (both
 * builds): the tables weighted, net_inputs and dram_owned have the given lengths; `placements` point the
 * views' tensors into their storage; `readInput` reads net_inputs[i] from f.
 */
export function loadLines(weighted, inputs, owned, placements, readInput = '    read_floats(f, argv[2], t->data, tensor_elements(t));', readWeights = [
    '    L->w = (float *)xcalloc(L->nweights, sizeof(float));',
    '    read_floats(f, argv[1], L->w, L->nweights);',
    '    if (L->has_bias) {',
    '      L->bias = (float *)xcalloc(tensors[L->out].c, sizeof(float));',
    '      read_floats(f, argv[1], L->bias, tensors[L->out].c);',
    '    }',
]) {
    return [
        '  f = open_file(argv[1], "rb");',
        `  for (i = 0; i < ${weighted}; i++) {`,
        '    Layer *L = &layers[weighted[i]];',
        ...readWeights,
        '  }',
        '  expect_end(f, argv[1]);',
        `  for (i = 0; i < ${owned}; i++) {`,
        '    Tensor *t = &tensors[dram_owned[i]];',
        '    t->data = xcalloc(tensor_elements(t), sizeof(*t->data));',
        '  }',
        ...placements,
        '  f = open_file(argv[2], "rb");',
        `  for (i = 0; i < ${inputs}; i++) {`,
        '    Tensor *t = &tensors[net_inputs[i]];',
        readInput,
        '  }',
        '  expect_end(f, argv[2]);',
    ];
}
/** The part of main() writing the network's outputs (both builds). */
export function writeLines(outputs) {
    return [
        '  f = open_file(argv[3], "wb");',
        `  for (i = 0; i < ${outputs}; i++)`,
        '    write_floats(f, tensors[net_outputs[i]].data, tensor_elements(&tensors[net_outputs[i]]));',
        '  if (fclose(f) != 0) {',
        '    fprintf(stderr, "%s: cannot write\\n", argv[3]);',
        '    return 2;',
        '  }',
    ];
}
/**
 * Generates the C program for a schedule of `net`, checked and predicted by the model (checkAndEvaluate):
 * the program carves the predicted buffers and holds its counters against the prediction. Every
 * convolution of `net` must carry weights (use runnableNetwork). `release`: the release build of the
 * same loop nests instead (release.ts, docs/release-c.md).
 */
export function generateC(net, sched, { segments, predicted }, options = {}) {
    const { int8 } = options;
    const release = options.release === true || int8 !== undefined;
    const shapes = tensorShapes(net);
    const weights = options.weights === false ? undefined : int8 ? int8WeightsFile(int8) : weightsFile(net);
    const tensorIndex = new Map();
    const tensorList = [];
    for (const t of net.inputs) {
        tensorIndex.set(t.name, tensorList.length);
        tensorList.push({ name: t.name, shape: t.shape });
    }
    for (const l of net.layers) {
        tensorIndex.set(l.name, tensorList.length);
        tensorList.push({ name: l.name, shape: l.shape });
    }
    const layerIndex = new Map(net.layers.map((l, i) => [l.name, i]));
    const w = sched.elementBytes;
    const scratch = Math.max(1, predicted.onChipBytes / w);
    // a view segment has no loops: its readers find its elements in its producers' tensors
    const nests = segments.map((seg, si) => seg.view
        ? undefined
        : lowered(seg, sched.segments[si], predicted.segments[si], sched.elementBytes, shapes));
    // Each distinct convolution shape gets its own kernels (constants the compiler can fold).
    const convShapes = new Map();
    const shapeList = [];
    for (const l of net.layers)
        if (l.kind === 'conv') {
            const c = convShape(l);
            if (!convShapes.has(convShapeKey(c))) {
                convShapes.set(convShapeKey(c), shapeList.length);
                shapeList.push(c);
            }
        }
    const hasAffine = net.layers.some((l) => l.kind === 'affine');
    const warm = nests.some((n) => n?.loops.some((l) => l.warmup > 0));
    // strips and raster line buffers
    const striped = sched.segments.some((s, si) => !segments[si].view && s.strips !== undefined);
    const raster = nests.some((n) => n?.buffers.some((b) => b.raster !== undefined));
    const out = [];
    if (release)
        out.push(...releaseHeader(commentText(net.name), programName(net.name), segments.length, w, int8 !== undefined));
    else
        out.push(`/* memsched: ${commentText(net.name)}, ${segments.length} segments, ${w}-byte elements (computed as float32).`, ` * Generated by memsched codegen from a schedule; build: cc -std=c99 -O2 -o ${programName(net.name)} ${programName(net.name)}.c -lm`, ` * run: ./${programName(net.name)} weights.bin input.bin output.bin  (files of little-endian float32; see docs/verify-format.md)`, " * The scratchpad is the static array below, of the schedule's peak on-chip size (SCRATCH); every DRAM access", ' * goes through the copy helpers, which count it; the counts are printed as JSON. */');
    out.push(runtimeTypesC({ warmup: warm, release, strips: striped, raster, int8: int8 !== undefined }), ...(hasAffine ? ['enum { KIND_AFFINE = KIND_SHUFFLE + 1 };'] : []), `#define SCRATCH ${scratch}`, `#define FUSED ${segments.some((seg) => seg.layers.length > 1) ? 1 : 0} /* some segment computes intermediates */`, `#define PLANNING ${nests.some((n) => n?.buffers.some((b) => b.demand === 'planned')) ? 1 : 0} /* some demand needs the planning pass */`, `#define EXPORTS ${segments.some(hasExports) ? 1 : 0} /* some segment writes an intermediate to DRAM too (export_fill) */`, `/* on-chip: ${predicted.onChipBytes} bytes (predicted peak) = ${scratch} elements */`, '/* the arrays at least a vector long: a smaller one makes gcc warn about vector loads it cannot rule', '   out (the slots beyond SCRATCH are never used) */', ...(int8
        ? [
            '/* (int8: and PATCH_BLOCK spare slots, never used, that a block of the last weights row may read past it) */',
            '#define SCRATCH_ARRAY ((SCRATCH < 16 ? 16 : SCRATCH) + 64)',
        ]
        : ['#define SCRATCH_ARRAY (SCRATCH < 16 ? 16 : SCRATCH)']), ...(release
        ? [
            '#if defined(__GNUC__) /* whole cache lines: rows of weights at multiples of 16 slots load whole vectors */',
            'static elem scratch[SCRATCH_ARRAY] __attribute__((aligned(64)));',
            '#else',
            'static elem scratch[SCRATCH_ARRAY];',
            '#endif',
        ]
        : [
            'static float scratch[SCRATCH_ARRAY];',
            '/* which element each slot holds (element index + 1), to check every read; not part of the scratchpad */',
            'static int tag[SCRATCH_ARRAY];',
        ]), '', `static Tensor tensors[${tensorList.length}] = {`, ...tensorList.map((t) => `  {${t.shape.c}, ${t.shape.h}, ${t.shape.w}, 0, ${t.shape.c}${int8 ? ', 0' : ''}}, /* ${commentText(t.name)} */`), '};', ...(int8
        ? [
            tensorScalesC(int8, tensorList.map((t) => t.name)),
        ]
        : []), '');
    const requantised = net.layers.map((l, i) => int8 ? int8LayerC(int8.layers.get(l.name), i) : { decls: [], fields: [] });
    net.layers.forEach((l, i) => {
        out.push(`static const int in_${i}[] = {${l.inputs.map((t) => tensorIndex.get(t)).join(', ')}};`);
        if (l.post.length > 0)
            out.push(`static const Post post_${i}[] = {${l.post.map(postEntry).join(', ')}};`);
        out.push(...requantised[i].decls);
    });
    out.push(`static Layer layers[${net.layers.length}] = {`);
    net.layers.forEach((l, i) => {
        const fields = [
            `.kind = ${kindNames[l.kind]}, .out = ${tensorIndex.get(l.name)}, .nin = ${l.inputs.length}, .in = in_${i}`,
            ...layerFields(l, shapes, convShapes),
            ...requantised[i].fields,
        ];
        if (l.post.length > 0)
            fields.push(`.npost = ${l.post.length}, .post = post_${i}`);
        out.push(`  /* ${commentText(l.name)} */`, `  {${fields.join(', ')}},`);
    });
    const features = {
        affine: hasAffine,
        shared: segments.some((seg) => seg.buffers.some((b) => b.role === 'input' && b.readers.length > 1)),
        warmup: warm,
        dag: segments.some(hasJoins),
        strips: striped,
        raster,
        int8: int8 !== undefined,
    };
    out.push('};', '', release ? releaseRuntimeC(shapeList, features) : runtimeC(shapeList, features), '');
    const programSegments = [];
    let biasSlots = 0; // the most biases one segment's weights buffers hold
    let partialSlots = 0; // the largest output buffer of a reduction in tiles
    segments.forEach((seg, si) => {
        const s = sched.segments[si];
        const result = predicted.segments[si];
        const local = new Map(seg.layers.map((l, i) => [l.name, i]));
        const bufferIndex = new Map(seg.buffers.map((b, i) => [b.id, i]));
        // one buffer per DRAM input, whatever the layers reading it
        const inputIndex = new Map(seg.buffers.flatMap((b, i) => (b.role === 'input' ? [[b.tensor, i]] : [])));
        const lastName = seg.last.name;
        const nest = nests[si];
        programSegments.push({ layers: seg.layers.map((l) => l.name), buffers: seg.buffers });
        if (nest === undefined) {
            // counters of nothing, in the format of seg_close (release: of the counting build's)
            const zero = release ? '[0,0,0,0]' : '[0,0,0,[0,0,0]]';
            const zeros = seg.buffers.map(() => zero).join(',');
            const counters = `  printf("${si > 0 ? ',' : ''}{\\"buffers\\":[${zeros}],\\"macs\\":[0]${release ? '' : ',\\"seconds\\":0'}}");`;
            out.push(`/* segment ${si}: ${commentText(lastName)}, a view: nothing moved or computed */`, `static void segment_${si}(void) {`, ...(release ? ['#ifdef MEMSCHED_COUNT', counters, '#endif'] : [counters]), '}', '');
            return;
        }
        const margins = warm ? virtualMargins(seg, nest) : undefined;
        const strips = stripRanges(s, seg.dims.x);
        const loops = s.strips === undefined ? undefined : { size: s.strips.x, count: strips.length, width: seg.dims.x };
        const descs = [];
        // activations the last layer reads: rows of columns per channel (rowsPerChannel); otherwise
        // channels innermost
        const lastConv = rowsPerChannel(seg, s, release, shapes);
        const layoutOf = (b) => lastConv && (b.role === 'input' || b.role === 'intermediate') && b.demand === 'last'
            ? 'LAYOUT_CHW'
            : 'LAYOUT_HWC';
        let segmentBiases = 0;
        seg.buffers.forEach((sb, bi) => {
            const b = nest.buffers[bi];
            const ext = [...b.extents, 0, 0, 0].slice(0, 3);
            const owner = net.layers[layerIndex.get(sb.layer)];
            if (b.role === 'weights' && (owner.kind === 'affine' || (owner.kind === 'conv' && owner.hasBias)))
                segmentBiases += b.extents[0];
            const m = b.role === 'weights' ? undefined : margins?.get(sb.tensor);
            const virt = margins === undefined ? '' : `, {0, ${m?.[0] ?? 0}, ${m?.[1] ?? 0}}`;
            const run = raster ? `, ${b.raster ?? -1}` : '';
            // weights stored at root stay across the strips: their store instance has every strip's fills
            const fills = b.fillsPerStore * (b.role === 'weights' && b.storeDepth === 0 ? strips.length : 1);
            descs.push(`  /* ${commentText(b.id)}: ${b.role}${b.exported ? ' (written to DRAM as computed)' : ''}, store ${b.store}, fill ${b.fill}, ${b.raster === undefined ? `extents ${b.extents.join('x')}` : `raster line buffer: ${b.extents[0]} channels x a run of ${b.raster} (band ${b.extents[2]})`}, ${b.slots} slots at ${b.offset} */`, `  {${roleName(sb)}, ${b.role === 'weights' ? -1 : tensorIndex.get(sb.tensor)}, ${local.get(sb.layer)}, ${b.storeDepth}, ${b.fillDepth}, DEMAND_${b.demand.toUpperCase()}, ${layoutOf(b)}, {${ext.join(', ')}}, ${b.offset}, ${fills}${virt}${run}},`);
        });
        biasSlots = Math.max(biasSlots, segmentBiases);
        const last = seg.last;
        if (last.kind === 'conv' && s.tile.zi < shapes.get(last.inputs[0]).c / last.groups)
            partialSlots = Math.max(partialSlots, nest.buffers.find((b) => b.role === 'output').slots);
        if (nest.slots * w !== result.onChipBytes)
            throw new Error(`internal: segment ${si} carves ${nest.slots * w} bytes, the model predicts ${result.onChipBytes}`);
        out.push(`/* segment ${si}: ${commentText(s.layers.join(' + '))}; tile x${s.tile.x} y${s.tile.y} zo${s.tile.zo} zi${s.tile.zi}, loops ${s.order.join(' > ')} */`, `static const BufDesc seg${si}_buf[] = {`, ...descs, '};');
        seg.layers.forEach((l, li) => {
            const ops = l.inputs.map((t) => (local.has(t) ? bufferIndex.get(t) : inputIndex.get(t)));
            out.push(`static const int seg${si}_op${li}[] = {${ops.join(', ')}};`);
        });
        out.push(`static const SegLayerDesc seg${si}_layer[] = {`);
        seg.layers.forEach((l, li) => {
            const wb = l.kind === 'conv' || l.kind === 'affine' ? bufferIndex.get(`${l.name}:weights`) : -1;
            out.push(`  {${layerIndex.get(l.name)}, ${bufferIndex.get(l.name)}, ${wb}, ${convMode(seg, s, l, release, shapes)}, seg${si}_op${li}}, /* ${commentText(l.name)} */`);
        });
        out.push('};', `static const SegDesc seg${si} = {${seg.buffers.length}, ${seg.layers.length}, seg${si}_buf, seg${si}_layer};`, '', `static void segment_${si}(void) {`, '  Seg s;', ...(nest.buffers.some((b) => b.demand === 'planned' && b.role !== 'intermediate') ? ['  Box d;'] : []), `  Region r = {0, ${seg.dims.zo}, ${loopOf(nest, 'y').start}, ${seg.dims.y}, ${loopOf(nest, 'x').start}, ${seg.dims.x}, 0, ${seg.dims.zi}};`, `  seg_open(&s, &seg${si}, ${si});`);
        const name = (i) => commentText(seg.buffers[i].id);
        const kind = (i) => nest.buffers[i].demand;
        const role = (i) => nest.buffers[i].role;
        const stores = (k) => nest.levels[k].stores;
        const fills = (k) => nest.levels[k].fills;
        if (nest.buffers.some((b) => b.demand === 'planned')) {
            out.push('  /* planning pass: the demands of the buffers read by fused producers and filled further out */');
            out.push(...loopNest(nest, (k) => [
                ...stores(k)
                    .filter((i) => role(i) === 'intermediate')
                    .map((i) => `plan_reset(&s, ${i}); /* ${name(i)} */`),
                ...fills(k)
                    .filter((i) => kind(i) !== 'last')
                    .map((i) => `plan_open(&s, ${i}); /* ${name(i)} */`),
            ], (k) => fills(k)
                .filter((i) => kind(i) !== 'last' || role(i) === 'intermediate')
                .reverse()
                .map((i) => `plan_close(&s, ${i}, &r); /* ${name(i)} */`), loops), '  plan_done(&s);');
        }
        // At a fill event: intermediates' bookkeeping consumers first (it gives the demands of their
        // producers' online inputs), then inputs filled and intermediates computed producers first.
        const demandOf = (i, box) => kind(i) === 'last'
            ? `demand_last(&s, ${i}, &r, ${box});`
            : kind(i) === 'planned'
                ? `plan_next(&s.b[${i}], ${box});`
                : `${box.slice(1)} = s.b[${i}].acc;`;
        // in strips, weights stored at root are present for the whole segment: emptied once
        const acrossStrips = (i) => loops !== undefined && role(i) === 'weights' && nest.buffers[i].storeDepth === 0;
        const store = (i) => `reset(&s, ${i}); /* ${name(i)}: store */`;
        out.push('  /* the run */');
        out.push(...loopNest(nest, (k) => [
            ...stores(k)
                .filter((i) => !acrossStrips(i))
                .map(store),
            ...fills(k)
                .filter((i) => kind(i) === 'online')
                .map((i) => `box_clear(&s.b[${i}].acc); /* ${name(i)}: demand from its reader, below */`),
            ...fills(k)
                .filter((i) => role(i) === 'intermediate')
                .reverse()
                .map((i) => `${demandOf(i, `&s.b[${i}].dem`)} fill_begin(&s, ${i}); /* ${name(i)} */`),
            ...fills(k).flatMap((i) => role(i) === 'intermediate'
                ? [
                    `fill_end(&s, ${i}); /* ${name(i)}: computed */`,
                    // read after the segment too: what was computed goes to DRAM as well
                    ...(nest.buffers[i].exported
                        ? [`export_fill(&s, ${i}); /* ${name(i)}: written to DRAM as computed */`]
                        : []),
                ]
                : kind(i) === 'last'
                    ? `fill_last(&s, ${i}, &r); /* ${name(i)}: fill */`
                    : kind(i) === 'planned'
                        ? `plan_next(&s.b[${i}], &d); fill(&s, ${i}, &d); /* ${name(i)}: fill */`
                        : `fill(&s, ${i}, &s.b[${i}].acc); /* ${name(i)}: fill */`),
            ...(k === 4 ? [`compute_last(&s, &r); /* ${commentText(lastName)} */`] : []),
        ], () => [], loops, stores(0).filter(acrossStrips).map(store)), '  seg_close(&s);', '}', '');
    });
    const weighted = net.layers
        .map((l, i) => (l.kind === 'conv' || l.kind === 'affine' ? i : -1))
        .filter((i) => i >= 0);
    const list = (xs) => `{${xs.length > 0 ? xs.join(', ') : '-1'}}`;
    const inputs = net.inputs.map((t) => tensorIndex.get(t.name));
    const outputs = net.outputs.map((t) => tensorIndex.get(t));
    // Tensors in DRAM: the network's inputs, the segments' outputs and the intermediates they write to
    // DRAM too (exported), each in a storage of its own or, for the slices and concats that are views,
    // inside another (src/ir/views.ts)
    const inDram = new Set([
        ...net.inputs.map((t) => t.name),
        ...segments.flatMap((seg) => [
            seg.last.name,
            ...seg.buffers.flatMap((b) => (b.exported ? [b.tensor] : [])),
        ]),
    ]);
    const views = dramViews(net);
    const placed = [...inDram].map((t) => ({ t, at: storageOf(views, t, (x) => inDram.has(x)) }));
    const owned = placed.filter((p) => p.at.in === p.t).map((p) => tensorIndex.get(p.t));
    const placements = placed
        .filter((p) => p.at.in !== p.t)
        .map(({ t, at }) => {
        // channels outermost (verification), or innermost with the owner's channels as the pitch (release)
        const { h, w } = shapes.get(t);
        const owner = tensorIndex.get(at.in);
        const offset = release ? at.channel : at.channel * h * w;
        const pitch = release ? ` tensors[${tensorIndex.get(t)}].pitch = tensors[${owner}].c;` : '';
        return `  tensors[${tensorIndex.get(t)}].data = tensors[${owner}].data + (size_t)${offset};${pitch} /* ${commentText(t)}: in ${commentText(at.in)} from channel ${at.channel} */`;
    });
    out.push(`static const int weighted[] = ${list(weighted)};`, `static const int net_inputs[] = ${list(inputs)};`, `static const int net_outputs[] = ${list(outputs)};`, `static const int dram_owned[] = ${list(owned)};`, '');
    if (release)
        out.push(...releaseMain(weighted.length, inputs.length, owned.length, placements, outputs.length, segments.flatMap((seg, si) => (seg.view ? [] : [si])), segments.length, int8 !== undefined));
    else
        out.push('int main(int argc, char **argv) {', '  FILE *f;', '  int i;', '  if (argc != 4) {', '    fprintf(stderr, "usage: %s weights.bin input.bin output.bin\\n", argv[0]);', '    return 2;', '  }', ...loadLines(weighted.length, inputs.length, owned.length, placements), '  printf("{\\"format\\":\\"memsched.counters\\",\\"version\\":1,\\"segments\\":[");', ...segments.map((_, si) => `  segment_${si}();`), '  printf("],\\"conflicts\\":%lld}\\n", conflicts);', ...writeLines(outputs.length), '  return conflicts ? 3 : 0;', '}', '');
    return {
        name: programName(net.name),
        source: out.join('\n'),
        ...(weights ? { weights } : {}),
        inputs: net.inputs.map((t) => ({ name: t.name, shape: t.shape })),
        outputs: net.outputs.map((t) => ({ name: t, shape: shapes.get(t) })),
        segments: programSegments,
        layers: new Map(net.layers.map((l) => [l.name, l])),
        predicted,
        biasSlots,
        partialSlots,
    };
}
//# sourceMappingURL=c.js.map