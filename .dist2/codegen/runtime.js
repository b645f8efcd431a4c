// The part of every generated C program that does not depend on the schedule, kept as C files in
// runtime/ (types.h, then the functions in the order of runtimeFiles) and copied into each program: the
// scratchpad's bookkeeping (tags, presence, live spans), the copy helpers that count DRAM traffic, the
// planning pass that finds the demands of buffers read by fused producers, and the layer kernels.
// Convolutions get kernels per distinct shape, with kernel size, stride, dilation and padding as
// constants: those are generated here. The schedule itself (the loop nests, the buffers' levels, layouts
// and carving, the kernel variant of each convolution) is emitted by c.ts.
//
// What only some programs need is in blocks `#if MEMSCHED_WITH_<FEATURE>` .. (`#elif`, `#else`)
// `#endif`, whole lines, resolved here when a program is written (the directive lines and the branches
// not taken are dropped), so a program carries no text it does not use; any other preprocessor line
// (`#if VECTORS`, `#if FUSED`, ...) is the program's own and passes through. So the files are plain C
// to C tooling: the tests compile them as they are, with -DMEMSCHED_WITH_<FEATURE>=0 or 1, in every
// combination (test/codegen/runtime-files.test.ts).
// A file starts with `//` lines saying what it holds, then a blank line; those are not copied.
// The release build (release.ts, docs/release-c.md) takes the same files resolved with the `release`
// feature, which leaves out the verification's bookkeeping, and its own release-*.c (releaseFiles).
//
// Demands follow docs/execution-model.md: a buffer read by the segment's last layer demands, at a fill
// event, the hull of the last layer's reads over the tiles of the loops inside the fill level (closed
// form: every window is monotone in the output position, so the hull over a range of positions is the
// window of its first and last non-empty position). A buffer read by a fused producer demands the hull
// of what the producer computes there, which depends on what the producer's output buffer already
// holds. When the buffer is filled at the level where its producer computes ("online"), that hull is
// found at the same event, consumers first: an intermediate's bookkeeping runs before its producer's
// inputs are filled, and its computation after. When it is filled further out ("planned"), a planning
// pass runs the loop nest over the intermediates' bookkeeping alone beforehand and records each demand.
// A buffer read by several layers (a DRAM input, or an intermediate of a DAG segment) is planned too:
// the planning pass joins every reader's reads, the last layer's tiles included when it is one of them,
// so a reader that computes nothing new at an event adds nothing and the others still demand theirs.
//
// Speed without giving up a count: presence is tracked per element (the index of the last fill that
// demanded it), but scanned row by row, and what is not present is brought in as runs of a row. A
// demand equal to the buffer's previous one in the same store instance is a no-op (everything is
// present and was demanded by the fill just before, so nothing is kept either); fill indices count
// distinct consecutive demands. Reads are checked against the tags as the hull of each computation's
// reads, skipped when that box was checked already and no slot of the buffer has been written since.
// Activations are stored channels innermost, so a convolution's reduction runs over contiguous slots
// (or, read by a last layer reducing one channel at a time, rows of columns, so a row of positions
// does); sums run in float over independent lanes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/** The marker macro of each feature in the runtime files. */
const markers = {
    MEMSCHED_WITH_AFFINE: 'affine',
    MEMSCHED_WITH_SHARED: 'shared',
    MEMSCHED_WITH_WARMUP: 'warmup',
    MEMSCHED_WITH_DAG: 'dag',
    MEMSCHED_WITH_STRIPS: 'strips',
    MEMSCHED_WITH_RASTER: 'raster',
    MEMSCHED_WITH_RELEASE: 'release',
    MEMSCHED_WITH_INT8: 'int8',
};
const markerPrefix = 'MEMSCHED_WITH_';
/** The folder of the runtime files (beside this module in src/ and, copied by the build, in dist/). */
export const runtimeFolder = fileURLToPath(new URL('./runtime/', import.meta.url));
/** The functions' files in program order; the convolution kernels generated per shape come between. */
export const runtimeFiles = {
    beforeKernels: ['base.c', 'windows.c', 'boxes.c', 'spans.c', 'presence.c', 'copies.c', 'layers.c'],
    afterKernels: ['kernels.c', 'fills.c', 'planning.c', 'segments.c', 'files.c'],
};
const sources = new Map();
function runtimeSource(file) {
    let text = sources.get(file);
    if (text === undefined) {
        const path = runtimeFolder + file;
        try {
            text = readFileSync(path, 'utf8');
        }
        catch (e) {
            throw new Error(`cannot read the C runtime file ${path} (${e.code}; npm run build copies src/codegen/runtime into dist)`);
        }
        sources.set(file, text);
    }
    return text;
}
/** The value of a feature condition: markers, each maybe negated, joined by && (binding first) and ||. */
function featureCondition(expr, on, where) {
    return expr.split('||').some((any) => any.split('&&').every((term) => {
        const m = /^\s*(!?)\s*(\w+)\s*$/.exec(term);
        const feature = m ? markers[m[2]] : undefined;
        if (!m || feature === undefined)
            throw new Error(`internal: ${where}: not a feature condition: ${expr.trim()}`);
        return (on[feature] ?? false) !== (m[1] === '!');
    }));
}
/**
 * A runtime file's text for a program with these features: the leading `//` note dropped, the feature
 * blocks resolved, every other line as it is. `name` names the file in errors.
 */
export function resolveFeatures(text, features, name) {
    const lines = text.split('\n');
    let first = 0;
    while (lines[first]?.startsWith('//'))
        first++;
    if (first > 0 && lines[first++] !== '')
        throw new Error(`internal: ${name}: the note must end with a blank line`);
    // per open #if: a feature block (taking its current branch or not, some branch taken) or the program's own
    const open = [];
    const out = [];
    for (let i = first; i < lines.length; i++) {
        const line = lines[i];
        const where = `${name}:${i + 1}`;
        const d = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(line);
        const opens = d?.[1] === 'if' || d?.[1] === 'ifdef' || d?.[1] === 'ifndef';
        const marked = line.includes(markerPrefix);
        const top = open[open.length - 1];
        if (d && !opens && top === undefined)
            throw new Error(`internal: ${where}: #${d[1]} without #if`);
        if (d?.[1] === 'if' && marked) {
            const value = featureCondition(d[2], features, where);
            open.push({ feature: true, taking: value, taken: value });
            continue;
        }
        if (d && !opens && top?.feature) {
            if (d[1] === 'elif') {
                const value = featureCondition(d[2], features, where);
                top.taking = !top.taken && value;
                top.taken ||= value;
            }
            else if (d[1] === 'else') {
                top.taking = !top.taken;
                top.taken = true;
            }
            else
                open.pop();
            continue;
        }
        if (marked)
            throw new Error(`internal: ${where}: a feature marker outside #if or #elif of its own`);
        if (opens)
            open.push({ feature: false, taking: true, taken: true });
        else if (d?.[1] === 'endif')
            open.pop();
        if (open.every((o) => o.taking))
            out.push(line);
    }
    if (open.length > 0)
        throw new Error(`internal: ${name}: #if without #endif`);
    return out.join('\n');
}
/** A runtime file as a program with these features has it. */
export function runtimeFile(file, features) {
    return resolveFeatures(runtimeSource(file), features, file);
}
/** Types and constants, before the generated tables. */
export function runtimeTypesC(features = {}) {
    return runtimeFile('types.h', features);
}
export function convShapeKey(c) {
    return [c.kh, c.kw, c.sh, c.sw, c.dh, c.dw, c.pt, c.pl].join(',');
}
/** A sum as a balanced tree of additions (a chain would wait on every one). */
function balanced(terms) {
    if (terms.length === 1)
        return terms[0];
    const half = Math.ceil(terms.length / 2);
    return `(${balanced(terms.slice(0, half))}) + (${balanced(terms.slice(half))})`;
}
/** Kernels with every tap written out up to this many taps (beyond, loops). */
const unrolledTaps = 25;
/**
 * The convolution sum of P neighbouring output positions x, x + 1, .. of one output channel whose kernel
 * taps lie inside the input alike: each weight loaded serves all of them. With GNU C vector types
 * (GCC, Clang) eight lanes per position in two vector registers, then four, then one; plain C otherwise.
 * One input channel (VDSR's first layer, depthwise layers, reduction tiles of 1): one product per tap,
 * every tap written out when all lie inside the input.
 */
function convDotFunction(P, q, c, raster) {
    const pos = Array.from({ length: P }, (_, i) => i);
    const each = (f, sep = ' ') => pos.map(f).join(sep);
    // Rows as pointers, or (a program with raster line buffers) as slot offsets, each position's wrapped
    // once for all its channels (wrapped is the identity on a box).
    const rows = raster ? 'int' : 'float';
    const rowAt = (base, offset) => (raster ? offset : `${base} + ${offset}`);
    const tap = (base, row, col) => raster ? `${base}[wrapped(in, ${row} + ${col})]` : `${row}[${col}]`;
    const at = (base, row, col) => raster ? `${base} + wrapped(in, ${row} + ${col})` : `${row} + ${col}`;
    const taps = [];
    for (let ky = 0; ky < c.kh; ky++)
        for (let kx = 0; kx < c.kw; kx++)
            taps.push([ky, kx]);
    const cols = [...new Set(pos.flatMap((i) => taps.map(([, kx]) => i * c.sw + kx * c.dw)))].sort((a, b) => a - b);
    const full = c.kh * c.kw > unrolledTaps
        ? ''
        : `    if (kya == 0 && kyb == ${c.kh - 1} && kxa == 0 && kxb == ${c.kw - 1}) { /* every tap inside the input */
      const ${rows} ${Array.from({ length: c.kh }, (_, ky) => `${raster ? '' : '*'}R${ky} = ${rowAt('ip', `my[y0${ky ? ` + ${ky * c.dh}` : ''}]`)}`).join(', ')};
      const int ${cols.map((d) => `C${d} = mx[x0${d ? ` + ${d}` : ''}]`).join(', ')};
${each((i) => `      res[${i}] = ${balanced(taps.map(([ky, kx], t) => `${tap('ip', `R${ky}`, `C${i * c.sw + kx * c.dw}`)} * w[${t ? `${t} * ws` : '0'}]`))};`, '\n')}
      return;
    }
`;
    return `static void conv_dot${P}_${q}(const Seg *s, const SegLayer *sl, int o, int y, int x, const Piece *p, int np, float *res) {
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const float *wo = scratch + wb->offset + wb->am[0][o], *is = scratch + in->offset;
  const int *my = in->am[1], *mx = in->am[2];
  const int y0 = y * ${c.sh} - ${c.pt}, x0 = x * ${c.sw} - ${c.pl}, kya = sl->kya[y], kyb = sl->kyb[y], kxa = sl->kxa[x], kxb = sl->kxb[x];
  const i64 ws = wb->wt;
#if VECTORS
  v4 ${each((i) => `a${i} = {0, 0, 0, 0}, b${i} = {0, 0, 0, 0}`, ', ')};
#endif
  float ${each((i) => `r${i} = 0`, ', ')};
  int ky, kx, k, i;
  if (np == 1 && p[0].n == 1) {
    const float *ip = is + p[0].a, *w = wo + p[0].b;
${full}    for (ky = kya; ky <= kyb; ky++) {
      const ${rows} ${raster ? '' : '*'}row = ${rowAt('ip', `my[y0 + ky * ${c.dh}]`)};
      const float *wt = w + (i64)ky * ${c.kw} * ws;
      for (kx = kxa; kx <= kxb; kx++) {
${each((i) => `        r${i} += ${tap('ip', 'row', `mx[x0 + ${i * c.sw} + kx * ${c.dw}]`)} * wt[kx * ws];`, '\n')}
      }
    }
${each((i) => `    res[${i}] = r${i};`, '\n')}
    return;
  }
  for (ky = kya; ky <= kyb; ky++) {
    const ${rows} ${raster ? '' : '*'}row = ${rowAt('is', `my[y0 + ky * ${c.dh}]`)};
    for (kx = kxa; kx <= kxb; kx++) {
      const float ${each((i) => `*at${i} = ${at('is', 'row', `mx[x0 + ${i * c.sw} + kx * ${c.dw}]`)}`, ', ')};
      const float *wt = wo + (i64)(ky * ${c.kw} + kx) * ws;
      for (k = 0; k < np; k++) {
        const float ${each((i) => `*u${i} = at${i} + p[k].a`, ', ')}, *v = wt + p[k].b;
        const int n = p[k].n;
        i = 0;
#if VECTORS
        for (; i + 8 <= n; i += 8) {
          const v4 w0 = V4_LOAD(v + i), w1 = V4_LOAD(v + i + 4);
${each((i) => `          a${i} += V4_LOAD(u${i} + i) * w0;\n          b${i} += V4_LOAD(u${i} + i + 4) * w1;`, '\n')}
        }
        for (; i + 4 <= n; i += 4) {
          const v4 w0 = V4_LOAD(v + i);
${each((i) => `          a${i} += V4_LOAD(u${i} + i) * w0;`, '\n')}
        }
#endif
        for (; i < n; i++) {
${each((i) => `          r${i} += u${i}[i] * v[i];`, '\n')}
        }
      }
    }
  }
#if VECTORS
${each((i) => `  a${i} += b${i};\n  r${i} += (a${i}[0] + a${i}[1]) + (a${i}[2] + a${i}[3]);`, '\n')}
#endif
${each((i) => `  res[${i}] = r${i};`, '\n')}
}
`;
}
/**
 * The kernels of one convolution shape, and conv_row_q: a row of output positions, three at a time. A
 * convolution with stride 1 over one input channel whose columns are adjacent slots (stored rows of
 * columns, for VDSR's schedules with reduction tiles of 1) takes four positions at a time in a vector
 * while their taps lie inside the input and their input columns do not wrap.
 */
function convShapeC(q, c, raster) {
    const taps = [];
    for (let ky = 0; ky < c.kh; ky++)
        for (let kx = 0; kx < c.kw; kx++)
            taps.push([ky, kx]);
    const span = 3 + (c.kw - 1) * c.dw;
    const xvec = c.sw === 1 && c.kh * c.kw <= unrolledTaps
        ? `#if VECTORS
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int one = xb - xa >= 3 && np == 1 && p[0].n == 1 && in->xstep == 1 && sl->kya[y] == 0 && sl->kyb[y] == ${c.kh - 1};
  const float *w = scratch + wb->offset + wb->am[0][o] + p[0].b, ${Array.from({ length: c.kh }, (_, ky) => `*R${ky} = 0`).join(', ')};
  const int *mx = in->am[2], y0 = y * ${c.sh} - ${c.pt};
  const i64 ws = wb->wt;
  (void)ws; /* a 1x1 kernel has one weight */
  if (one) {
    const float *ip = scratch + in->offset + p[0].a;
${Array.from({ length: c.kh }, (_, ky) => `    R${ky} = ip + in->am[1][y0${ky ? ` + ${ky * c.dh}` : ''}];`).join('\n')}
  }
#endif
`
        : '';
    const xblock = xvec === ''
        ? ''
        : `#if VECTORS
    if (one && x + 3 <= xb && sl->kxa[x] == 0 && sl->kxb[x] == ${c.kw - 1} && sl->kxa[x + 3] == 0 &&
        sl->kxb[x + 3] == ${c.kw - 1} && mx[x - ${c.pl} + ${span}] == mx[x - ${c.pl}] + ${span}) {
      const int c0 = mx[x - ${c.pl}];
      v4 a = {0, 0, 0, 0}, b = {0, 0, 0, 0};
${taps.map(([ky, kx], t) => `      ${t % 2 ? 'b' : 'a'} += V4_LOAD(R${ky} + c0${kx ? ` + ${kx * c.dw}` : ''}) * w[${t ? `${t} * ws` : '0'}];`).join('\n')}
      V4_STORE(res + (x - xa), a + b);
      x += 4;
      continue;
    }
#endif
`;
    return `/* convolutions ${c.kh}x${c.kw}, stride ${c.sh}x${c.sw}, dilation ${c.dh}x${c.dw}, padding ${c.pt} top ${c.pl} left */
${[1, 2, 3].map((P) => convDotFunction(P, q, c, raster)).join('\n')}
static void conv_row_${q}(const Seg *s, const SegLayer *sl, int o, int y, int xa, int xb, const Piece *p, int np, float *res) {
  int x = xa;
${xvec}  while (x <= xb) {
    int m = 1;
${xblock}    while (m < 3 && x + m <= xb && sl->kxa[x + m] == sl->kxa[x] && sl->kxb[x + m] == sl->kxb[x]) m++;
    if (m == 3) conv_dot3_${q}(s, sl, o, y, x, p, np, res + (x - xa));
    else if (m == 2) conv_dot2_${q}(s, sl, o, y, x, p, np, res + (x - xa));
    else conv_dot1_${q}(s, sl, o, y, x, p, np, res + (x - xa));
    x += m;
  }
}
`;
}
/**
 * The kernels of every convolution shape and conv_row choosing them by the layer's shape; `raster`: they
 * read raster line buffers too (docs/execution-model.md), wrapping each tap's position once.
 */
function convKernelsC(shapes, raster) {
    return `
${shapes.map((c, q) => convShapeC(q, c, raster)).join('\n')}
/* Output elements (o, y, xa..xb) of a convolution: the sums over the reduction pieces p. */
static void conv_row(const Seg *s, const SegLayer *sl, int o, int y, int xa, int xb, const Piece *p, int np, float *res) {
${shapes.length === 0 ? '  (void)s; (void)o; (void)y; (void)xa; (void)xb; (void)p; (void)np; (void)res; /* a network without convolutions */\n' : ''}  switch (sl->L->shape) {
${shapes.map((_, q) => `  case ${q}: conv_row_${q}(s, sl, o, y, xa, xb, p, np, res); return;`).join('\n')}
  default: fail("internal: a convolution without its kernels");
  }
}
`;
}
/**
 * The release build's functions (release.ts), in program order: the shared files resolved with the
 * `release` feature (which leaves out the verification's bookkeeping), and its own release-*.c.
 */
export const releaseFiles = {
    beforeKernels: [
        'base.c',
        'files.c',
        'windows.c',
        'boxes.c',
        'presence.c',
        'release-presence.c',
        'release-copies.c',
        'layers.c',
    ],
    afterKernels: [
        'kernels.c',
        'release-kernels.c',
        'release-dot.c',
        'release-blocks.c',
        'fills.c',
        'release-fills.c',
        'planning.c',
        'segments.c',
    ],
};
/** A runtime file of the release build; the dot kernel twice, for eight lanes and for sixteen (AVX-512). */
function releaseFile(file, on) {
    if (file !== 'release-dot.c')
        return runtimeFile(file, on);
    const dot = runtimeFile(file, on);
    return [
        '#define DOT_LANES 8',
        dot,
        '#undef DOT_LANES',
        '#if defined(__AVX512F__)',
        '#define DOT_LANES 16',
        dot,
        '#undef DOT_LANES',
        '#endif',
    ].join('\n');
}
/** The float kernels, which the int8 build replaces by int8.c. */
const floatKernels = new Set(['release-kernels.c', 'release-dot.c', 'release-blocks.c']);
/**
 * The release build's functions, after the generated tables: the convolution kernels are the
 * verification's; in int8, int8.c's instead.
 */
export function releaseRuntimeC(shapes, features = {}) {
    const on = { ...features, release: true };
    const after = on.int8
        ? releaseFiles.afterKernels.flatMap((f) => floatKernels.has(f) ? [] : f === 'kernels.c' ? [f, 'int8.c'] : [f])
        : releaseFiles.afterKernels;
    return [
        ...releaseFiles.beforeKernels.map((f) => runtimeFile(f, on)),
        ...(on.int8 ? [] : [convKernelsC(shapes, on.raster ?? false)]),
        ...after.map((f) => releaseFile(f, on)),
    ].join('\n');
}
/**
 * The functions; they use the tables the generator emits between the two parts. `shapes`: the distinct
 * convolution shapes of the network (Layer.shape indexes them), each given its own kernels.
 */
export function runtimeC(shapes, features = {}) {
    return [
        ...runtimeFiles.beforeKernels.map((f) => runtimeFile(f, features)),
        convKernelsC(shapes, features.raster ?? false),
        ...runtimeFiles.afterKernels.map((f) => runtimeFile(f, features)),
    ].join('\n');
}
//# sourceMappingURL=runtime.js.map