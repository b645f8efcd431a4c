// The part of every generated C program that does not depend on the schedule: the scratchpad's
// bookkeeping (tags, presence, live spans), the copy helpers that count DRAM traffic, the planning pass
// that finds the demands of buffers read by fused producers, and the layer kernels (convolutions get
// kernels per distinct shape, with kernel size, stride, dilation and padding as constants). The schedule
// itself (the loop nests, the buffers' levels, layouts and carving, the kernel variant of each
// convolution) is emitted by c.ts.
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

/**
 * Types and constants, before the generated tables. `warmup`: some segment has a warm-up loop (its
 * additions appear only then, so other programs stay unchanged).
 */
export function runtimeTypesC(warmup = false): string {
  const w = warmupTypesC(warmup);
  return `#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef long long i64;

enum { KIND_CONV, KIND_POOL, KIND_ELTWISE, KIND_CONCAT, KIND_SLICE, KIND_LRN, KIND_SOFTMAX, KIND_SHUFFLE };
enum { OP_RELU, OP_CLIP, OP_SIGMOID, OP_HARDSIGMOID, OP_HARDSWISH, OP_SILU };
enum { ELT_ADD, ELT_MUL, ELT_MAX };
enum { ROLE_INPUT, ROLE_WEIGHTS, ROLE_INTERMEDIATE, ROLE_OUTPUT };
/* where a buffer's demand comes from: the last layer's tiles, its reader's new elements at the same
   event, or the planning pass */
enum { DEMAND_LAST, DEMAND_ONLINE, DEMAND_PLANNED };
/* convolution kernels: reduce over contiguous input channels (weights [out][tap][in]), or update
   contiguous output channels per input element (weights [in][tap][out]) */
enum { CONV_DOT, CONV_AXPY };
/* activations: channels innermost, or rows of columns per channel (for a last layer reducing one
   channel at a time: a row of positions is then contiguous) */
enum { LAYOUT_HWC, LAYOUT_CHW };

typedef struct { int op; double a, b; } Post;

/* A tensor in DRAM (channels x height x width, row-major); data is NULL for tensors that stay on chip. */
typedef struct { int c, h, w; float *data; } Tensor;

typedef struct {
  int kind, out, nin;
  const int *in;
  int kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, has_bias, shape;
  int pool_max, count_include_pad, elt_op, start, shuffle_groups, lrn_size;
  double lrn_alpha, lrn_beta, lrn_k;
  int npost;
  const Post *post;
  i64 nweights;
  float *w, *bias; /* DRAM: [out channels][in channels per group][kh][kw], [out channels] */
} Layer;

/* What one buffer is, from the schedule and the model (extents are the predicted storage box). */
typedef struct {
  int role, tensor, layer, store, fill, demand, layout;
  int ext[3];
  i64 offset, instance_fills;${w.desc}
} BufDesc;

typedef struct { int layer, obuf, wbuf, mode; const int *opbuf; } SegLayerDesc;

typedef struct {
  int nbuf, nlayer;
  const BufDesc *buf;
  const SegLayerDesc *layer;
} SegDesc;

/* Half-open tile ranges of the last layer: output channels, rows, columns, reduction slice. */
typedef struct { int c0, c1, y0, y1, x0, x1, r0, r1; } Region;

/* A box of elements, bounds inclusive, empty when lo[0] > hi[0]. Weights: [out channel, in channel]
   with in channel -1 standing for the bias; the kernel taps always come whole. */
typedef struct { int lo[3], hi[3]; } Box;

/* Per output position of a consumer, the window [lo, hi] it reads along one dimension; non-empty for
   positions first..last, and monotone (both ends never decrease).${w.win}

typedef struct { int buf; Win c, y, x; } Operand;

/* Elements of one row not present at a fill: [c, y, xa..xb] (weights: [o, -, ia..ib]). */
typedef struct { int c, y, xa, xb; } Run;

/* Planned demands, consecutive equal ones counted once. */
typedef struct { Box box; i64 n; } PlanRun;

/* A stretch of a reduction (or of output channels) that is contiguous in both buffers it reads. */
typedef struct { int a, b, n; } Piece;

typedef struct {
  int role, tensor, layer, store, fill, demand, layout;
  int ndim, size[3], ext[3], K, bias;${w.buf}
  i64 offset, slots, instance_fills;
  /* slots: activations offset + am[1][y] + am[2][x] + am[0][c] (channels innermost); weights
     offset + am[0][o] + am[1][i] + tap * wt, the bias of o at offset + wbias + am[0][o] */
  int *am[3];
  int wt, xstep;
  i64 wbias;
  /* index of the last fill that demanded each element (-1: none); present = since the store instance
     began. Fill indices count distinct consecutive demands. */
  int *prev;
  int fills, inst_start, has_last;
  Box dem, last, acc;
  Run *runs;
  int nruns, runcap;
  /* live spans: per dimension, stacks of (fill, hi) with decreasing hi and (fill, lo) with increasing lo */
  int *sidx[3][2], *sval[3][2], stop[3][2];
  int meas[3], ilo[3], ihi[3]; /* measured spans; hull of the store instance's fills so far */
  i64 reads, writes, filled;
  /* tag checks: a box checked at a version (count of fills that wrote a slot) holds until the next */
  i64 version, chk_version;
  Box chk;
  i64 *rowver; /* weights: per output channel, the version its in-channel range rowlo..rowhi was checked at */
  int *rowlo, *rowhi;
  /* the output: slots holding an element not yet written to DRAM, and a list of them */
  unsigned char *dirty;
  i64 *dlist, dn, dcap;
  PlanRun *plan;
  i64 plan_n, plan_cap, plan_at, plan_used;
} Buf;

typedef struct {
  Layer *L;
  int obuf, wbuf, nop, mode;
  Operand *op;
  Box *hull, whull;
  int ic, ih, iw, red, pgo, K;
  int *kya, *kyb, *kxa, *kxb; /* convolutions: per output row / column, the kernel taps inside the input */
  Piece *pieces;
  i64 *tin, *twt; /* the taps of one output position: input slot offsets, weight offsets */
  float *row;     /* sums of a row of output positions */
  i64 macs;
} SegLayer;

typedef struct {
  int index, nbuf, nlayer, last;
  clock_t start;
  Buf *b;
  SegLayer *l;
  unsigned char *accumulated;
} Seg;
`;
}

/** The types' additions for warm-up loops (docs/execution-model.md, "Warm-up loops"). */
function warmupTypesC(on: boolean) {
  return {
    win: on
      ? ` Positions start at -m; virt: a
   dimension with virtual coordinates (a warm-up loop's), where windows are not clipped below 0. */
typedef struct { int first, last, m, virt; int *lo, *hi; } Win;`
      : ` */
typedef struct { int first, last; int *lo, *hi; } Win;`,
    desc: on ? '\n  int virt[3]; /* the lowest virtual coordinate its demand can reach, negated */' : '',
    buf: on
      ? '\n  int virt[3]; /* presence is tracked from coordinate -virt[k] on (virtual elements have no slots) */'
      : '',
  };
}

/** What a convolution kernel is specialised for: kernel, stride, dilation, top and left padding. */
export interface ConvShape {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  pt: number;
  pl: number;
}

export function convShapeKey(c: ConvShape): string {
  return [c.kh, c.kw, c.sh, c.sw, c.dh, c.dw, c.pt, c.pl].join(',');
}

/** A sum as a balanced tree of additions (a chain would wait on every one). */
function balanced(terms: string[]): string {
  if (terms.length === 1) return terms[0]!;
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
function convDotFunction(P: number, q: number, c: ConvShape): string {
  const pos = Array.from({ length: P }, (_, i) => i);
  const each = (f: (i: number) => string, sep = ' ') => pos.map(f).join(sep);
  const taps: [number, number][] = [];
  for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) taps.push([ky, kx]);
  const cols = [...new Set(pos.flatMap((i) => taps.map(([, kx]) => i * c.sw + kx * c.dw)))].sort(
    (a, b) => a - b,
  );
  const full =
    c.kh * c.kw > unrolledTaps
      ? ''
      : `    if (kya == 0 && kyb == ${c.kh - 1} && kxa == 0 && kxb == ${c.kw - 1}) { /* every tap inside the input */
      const float ${Array.from({ length: c.kh }, (_, ky) => `*R${ky} = ip + my[y0${ky ? ` + ${ky * c.dh}` : ''}]`).join(', ')};
      const int ${cols.map((d) => `C${d} = mx[x0${d ? ` + ${d}` : ''}]`).join(', ')};
${each(
  (i) =>
    `      res[${i}] = ${balanced(taps.map(([ky, kx], t) => `R${ky}[C${i * c.sw + kx * c.dw}] * w[${t ? `${t} * ws` : '0'}]`))};`,
  '\n',
)}
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
      const float *row = ip + my[y0 + ky * ${c.dh}], *wt = w + (i64)ky * ${c.kw} * ws;
      for (kx = kxa; kx <= kxb; kx++) {
${each((i) => `        r${i} += row[mx[x0 + ${i * c.sw} + kx * ${c.dw}]] * wt[kx * ws];`, '\n')}
      }
    }
${each((i) => `    res[${i}] = r${i};`, '\n')}
    return;
  }
  for (ky = kya; ky <= kyb; ky++) {
    const float *row = is + my[y0 + ky * ${c.dh}];
    for (kx = kxa; kx <= kxb; kx++) {
      const float ${each((i) => `*at${i} = row + mx[x0 + ${i * c.sw} + kx * ${c.dw}]`, ', ')};
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
function convShapeC(q: number, c: ConvShape): string {
  const taps: [number, number][] = [];
  for (let ky = 0; ky < c.kh; ky++) for (let kx = 0; kx < c.kw; kx++) taps.push([ky, kx]);
  const span = 3 + (c.kw - 1) * c.dw;
  const xvec =
    c.sw === 1 && c.kh * c.kw <= unrolledTaps
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
  const xblock =
    xvec === ''
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
${[1, 2, 3].map((P) => convDotFunction(P, q, c)).join('\n')}
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

function convKernelsC(shapes: ConvShape[]): string {
  return `
${shapes.map((c, q) => convShapeC(q, c)).join('\n')}
/* Output elements (o, y, xa..xb) of a convolution: the sums over the reduction pieces p. */
static void conv_row(const Seg *s, const SegLayer *sl, int o, int y, int xa, int xb, const Piece *p, int np, float *res) {
  switch (sl->L->shape) {
${shapes.map((_, q) => `  case ${q}: conv_row_${q}(s, sl, o, y, xa, xb, p, np, res); return;`).join('\n')}
  default: fail("internal: a convolution without its kernels");
  }
}

/* out[0..len) += the products of the n taps' input elements (slots tin[t] + mi[i]) and their weights
   (ws + twt[t] + mw[i], contiguous over the output channels) for the input channels [r0, r1); the partial
   sums stay in registers over every tap and input channel. */
static void axpy_taps(float *out, const float *is, const float *ws, const i64 *tin, const i64 *twt, int n,
                      const int *mi, const int *mw, int r0, int r1, int len) {
  int o = 0, t, i;
#if VECTORS
  for (; o + 16 <= len; o += 16, out += 16, ws += 16) {
    v4 a = V4_LOAD(out), b = V4_LOAD(out + 4), c = V4_LOAD(out + 8), d = V4_LOAD(out + 12);
    for (t = 0; t < n; t++)
      for (i = r0; i < r1; i++) {
        const float *w = ws + twt[t] + mw[i], e = is[tin[t] + mi[i]];
        const v4 v = {e, e, e, e};
        a += v * V4_LOAD(w);
        b += v * V4_LOAD(w + 4);
        c += v * V4_LOAD(w + 8);
        d += v * V4_LOAD(w + 12);
      }
    V4_STORE(out, a);
    V4_STORE(out + 4, b);
    V4_STORE(out + 8, c);
    V4_STORE(out + 12, d);
  }
  for (; o + 4 <= len; o += 4, out += 4, ws += 4) {
    v4 a = V4_LOAD(out);
    for (t = 0; t < n; t++)
      for (i = r0; i < r1; i++) {
        const float e = is[tin[t] + mi[i]];
        const v4 v = {e, e, e, e};
        a += v * V4_LOAD(ws + twt[t] + mw[i]);
      }
    V4_STORE(out, a);
  }
#endif
  for (; o < len; o++, out++, ws++) {
    float a = out[0];
    for (t = 0; t < n; t++)
      for (i = r0; i < r1; i++) a += is[tin[t] + mi[i]] * ws[twt[t] + mw[i]];
    out[0] = a;
  }
}
`;
}

/** The runtime's additions for affine layers, present only in programs that have one (so others stay unchanged). */
function affineC(on: boolean) {
  const text = (t: string) => (on ? t : '');
  return {
    // an affine layer reads the same channel, row and column of its input
    window: text('  case KIND_AFFINE:\n'),
    // its scale and shift: the one weight and the bias of its channel
    element: text(`  case KIND_AFFINE: {
    const Buf *wb = &s->b[sl->wbuf];
    return scratch[weight_slot(wb, c, 0, 0)] * act(s, sl->op[0].buf, c, y, x) + scratch[weight_slot(wb, c, -1, 0)];
  }
`),
    // one weight per channel, though no MACs are counted for it
    taps: on ? 'o->L->kind == KIND_AFFINE ? 1 : o->K' : 'o->K',
  };
}

/**
 * A planned demand: the fused readers' reads; a DRAM input or an intermediate read by several layers of
 * a segment also joins the last layer's tiles when it is one of them. Only in programs that have such
 * an input (`shared`) or intermediate (`dag`), each text only in programs that need it (so others stay
 * unchanged).
 */
function sharedC(shared: boolean, dag: boolean): string {
  if (!shared && !dag)
    return '  if (b->demand != DEMAND_LAST) d = b->acc;\n  else demand_last(s, bi, r, &d);';
  return [
    '  if (b->demand != DEMAND_LAST) {',
    '    d = b->acc;',
    dag
      ? '    if (b->role != ROLE_WEIGHTS) { /* read by several layers: the last one (if a reader) joins too */'
      : '    if (b->role == ROLE_INPUT) { /* read by several layers: the last one (if a reader) joins too */',
    '      demand_last(s, bi, r, &t);',
    '      box_extend(&d, &t);',
    '    }',
    '  } else demand_last(s, bi, r, &d);',
  ].join('\n');
}

/**
 * The runtime's additions for warm-up loops (docs/execution-model.md, "Warm-up loops"), present only in
 * programs that have one (so others stay unchanged). Along a warm-up loop's dimension, coordinates
 * below 0 are virtual: windows are not clipped below 0 and start at the consumer's lowest virtual
 * position; presence is tracked for virtual elements like for real ones (each activation buffer's
 * presence array starts at its lowest virtual coordinate), so that what is new at a fill is exact, and
 * a producer's reads for its new virtual elements carry demand on. Virtual elements have no slots: they
 * are never loaded, computed, written, kept in a span or counted, and weights are read for real outputs
 * only.
 */
function warmupC(on: boolean) {
  const text = (t: string) => (on ? t : '');
  const pick = (warm: string, plain: string) => (on ? warm : plain);
  return {
    winInit: pick(
      '  w->lo = (int *)xcalloc(w->m + n, sizeof(int)) + w->m;\n  w->hi = (int *)xcalloc(w->m + n, sizeof(int)) + w->m;',
      '  w->lo = (int *)xcalloc(n, sizeof(int));\n  w->hi = (int *)xcalloc(n, sizeof(int));',
    ),
    from: pick('-w->m', '0'),
    below: pick('INT_MIN', '-1'),
    clip: pick('lo < 0 && !w->virt ? 0 : lo', 'lo < 0 ? 0 : lo'),
    m: pick(' - w->m', ''),
    margins: text(`
/* A consumer's windows along a warm-up dimension: from its lowest virtual output position, not clipped below 0. */
static void win_margins(Operand *o, const SegDesc *d, int i) {
  const int *m = d->buf[d->layer[i].obuf].virt, *last = d->buf[d->layer[d->nlayer - 1].obuf].virt;
  o->y.m = m[1];
  o->x.m = m[2];
  o->y.virt = last[1] > 0;
  o->x.virt = last[2] > 0;
}
`),
    // a 1x1 input of a larger output is broadcast (virtual positions read its one element too); of a
    // 1x1 output it is read at the same position (a virtual one reads nothing)
    broadcast: pick(
      `      if (out->h > 1 || out->w > 1) {
        win_const(&o->y, out->h, 0, 0);
        win_const(&o->x, out->w, 0, 0);
      } else {
        win_span(&o->y, out->h, 0, 0, in->h);
        win_span(&o->x, out->w, 0, 0, in->w);
      }`,
      `      win_const(&o->y, out->h, 0, 0);
      win_const(&o->x, out->w, 0, 0);`,
    ),
    marginsCall: text('\n      win_margins(&sl->op[k], d, i);'),
    checkDecl: text('\n  Box v;'),
    checkReal: text('\n  if (b->role != ROLE_WEIGHTS && !(d = real_box(d, &v))) return;'),
    counted: pick(
      `  if (b->role != ROLE_WEIGHTS) /* virtual elements take no storage */
    for (k = 1; k < 3; k++)
      if (lo[k] < 0) lo[k] = 0;
  return lo[1] <= hi[1] && lo[2] <= hi[2];`,
      '  return lo[1] <= hi[1];',
    ),
    keptNote: text(', nor have virtual elements'),
    keptIf: text('y >= 0 && '),
    rows: text(`/* The presence of row (c, y) of an activation buffer, indexed by column from -virt[2] on. */
static int *prev_row(const Buf *b, int c, int y) {
  return b->prev + ((i64)c * (b->size[1] + b->virt[1]) + y + b->virt[1]) * (b->size[2] + b->virt[2]) + b->virt[2];
}

/* Drops the virtual elements of an activation buffer's runs: they only carried demand. */
static void real_runs(Buf *b) {
  int i, n = 0;
  if (b->role == ROLE_WEIGHTS) return;
  for (i = 0; i < b->nruns; i++) {
    Run u = b->runs[i];
    if (u.y < 0 || u.xb < 0) continue;
    if (u.xa < 0) u.xa = 0;
    b->runs[n++] = u;
  }
  b->nruns = n;
}

`),
    realBox:
      text(`/* The real part of an activation box, or NULL if it has none (virtual elements have no slots). */
static const Box *real_box(const Box *d, Box *v) {
  if (d->lo[1] >= 0 && d->lo[2] >= 0) return d;
  *v = *d;
  if (v->lo[1] < 0) v->lo[1] = 0;
  if (v->lo[2] < 0) v->lo[2] = 0;
  return v->lo[1] <= v->hi[1] && v->lo[2] <= v->hi[2] ? v : NULL;
}

`),
    prevRow: pick('prev_row(b, c, y)', 'b->prev + ((i64)c * b->size[1] + y) * b->size[2]'),
    fillReal: text('\n  real_runs(b);'),
    realRun: text(' && u->y >= 0 && u->xb >= 0'),
    realPlanRun: text(' && u.y >= 0 && u.xb >= 0'),
    beginReal: text(
      '\n  real_runs(b); /* the producer computes the real elements, reading weights for them */',
    ),
    lastWeights: text(
      '\n    if (r->y1 <= 0 || r->x1 <= 0) return; /* a warm-up tile: no real output reads them */',
    ),
    lastVirtual: text(
      '\n  if (r->y1 <= 0 || r->x1 <= 0) return; /* a warm-up tile: its outputs are virtual */',
    ),
    prevElements: pick(
      '(i64)b->size[0] * (b->size[1] + b->virt[1]) * (b->size[2] + b->virt[2])',
      '(i64)b->size[0] * b->size[1] * b->size[2]',
    ),
    copyExt: pick(
      '{\n      b->ext[k] = bd->ext[k];\n      b->virt[k] = bd->virt[k];\n    }',
      'b->ext[k] = bd->ext[k];',
    ),
  };
}

/** What a program needs beyond the runtime every program has (the text of the rest stays out of it). */
export interface RuntimeFeatures {
  /** The network has affine layers. */
  affine?: boolean;
  /** Some segment has a DRAM input read by several of its layers. */
  shared?: boolean;
  /** Some segment has a warm-up loop. */
  warmup?: boolean;
  /** Some segment has an intermediate read by several of its layers. */
  dag?: boolean;
}

/**
 * The functions; they use the tables the generator emits between the two parts. `shapes`: the distinct
 * convolution shapes of the network (Layer.shape indexes them), each given its own kernels.
 */
export function runtimeC(
  shapes: ConvShape[],
  { affine = false, shared = false, warmup = false, dag = false }: RuntimeFeatures = {},
): string {
  const a = affineC(affine);
  const v = warmupC(warmup);
  return String.raw`/* GNU C vector types (GCC, Clang) where available; plain C otherwise or with -DMEMSCHED_NO_VECTORS. */
#if defined(__GNUC__) && !defined(MEMSCHED_NO_VECTORS)
#define VECTORS 1
typedef float v4 __attribute__((vector_size(16)));
typedef float v4u __attribute__((vector_size(16), aligned(4), may_alias)); /* any float address */
typedef int v4i __attribute__((vector_size(16)));
typedef int v4iu __attribute__((vector_size(16), aligned(4), may_alias));
#define V4_LOAD(p) (*(const v4u *)(p))
#define V4_STORE(p, v) (*(v4u *)(p) = (v))
#else
#define VECTORS 0
#endif

static i64 conflicts;

static void fail(const char *what) {
  fprintf(stderr, "%s\n", what);
  exit(3);
}

static void *xcalloc(i64 n, i64 size) {
  void *p = calloc((size_t)(n > 0 ? n : 1), (size_t)size);
  if (!p) fail("out of memory");
  return p;
}

static void *xgrow(void *p, i64 *cap, i64 size) {
  *cap = *cap < 16 ? 16 : *cap * 2;
  p = realloc(p, (size_t)(*cap * size));
  if (!p) fail("out of memory");
  return p;
}

static void conflict(const Seg *s, int bi, int c, int y, int x) {
  if (conflicts++ == 0)
    fprintf(stderr, "scratchpad conflict: segment %d, buffer %d does not hold element [%d, %d, %d] where it is read\n",
            s->index, bi, c, y, x);
}

/* ---- windows ---- */

static void win_init(Win *w, int n) {
${v.winInit}
}

static void win_finish(Win *w, int n) {
  int v, prev_lo = ${v.below}, prev_hi = ${v.below};
  w->first = 0;
  w->last = -1;
  for (v = ${v.from}; v < n; v++) {
    if (w->lo[v] > w->hi[v]) continue;
    if (w->last < w->first) w->first = v;
    else if (w->last != v - 1) fail("internal: a window family with a gap");
    if (w->lo[v] < prev_lo || w->hi[v] < prev_hi) fail("internal: a window family that is not monotone");
    prev_lo = w->lo[v];
    prev_hi = w->hi[v];
    w->last = v;
  }
}

static void win_sliding(Win *w, int n, int size, int k, int s, int d, int pad) {
  int v;
  win_init(w, n);
  for (v = ${v.from}; v < n; v++) {
    int lo = v * s - pad, hi = lo + (k - 1) * d;
    w->lo[v] = ${v.clip};
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

/* [v + before, v + after] clipped to [0, size) */
static void win_span(Win *w, int n, int before, int after, int size) {
  int v;
  win_init(w, n);
  for (v = ${v.from}; v < n; v++) {
    int lo = v + before, hi = v + after;
    w->lo[v] = ${v.clip};
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

static void win_const(Win *w, int n, int lo, int hi) {
  int v;
  win_init(w, n);
  for (v = ${v.from}; v < n; v++) {
    w->lo[v] = lo;
    w->hi[v] = hi;
  }
  win_finish(w, n);
}

/* grouped convolution: the first input channel of the output channel's group (the reduction slice is added) */
static void win_groups(Win *w, int n, int pgo, int pgi) {
  int v;
  win_init(w, n);
  for (v = 0; v < n; v++) w->lo[v] = w->hi[v] = (v / pgo) * pgi;
  win_finish(w, n);
}

static void win_free(Win *w) {
  free(w->lo${v.m});
  free(w->hi${v.m});
}

static int win_hull(const Win *w, int a, int b, int *lo, int *hi) {
  int s = a > w->first ? a : w->first, e = b - 1 < w->last ? b - 1 : w->last;
  if (s > e) return 0;
  *lo = w->lo[s];
  *hi = w->hi[e];
  return 1;
}

/* Per output position, the first and last kernel tap that lands inside the input (a > b: none). */
static void kernel_taps(int n, int k, int stride, int pad, int dil, int in, int *first, int *last) {
  int v, m;
  for (v = 0; v < n; v++) {
    int a = k, b = -1;
    for (m = 0; m < k; m++) {
      int i = v * stride - pad + m * dil;
      if (i < 0 || i >= in) continue;
      if (m < a) a = m;
      b = m;
    }
    first[v] = a;
    last[v] = b;
  }
}

static void operand_windows(SegLayer *sl, int k) {
  const Layer *L = sl->L;
  const Tensor *in = &tensors[L->in[k]], *out = &tensors[L->out];
  Operand *o = &sl->op[k];
  int j, off = 0;
  switch (L->kind) {
  case KIND_CONV:
    win_groups(&o->c, out->c, sl->pgo, sl->red);
    win_sliding(&o->y, out->h, in->h, L->kh, L->sh, L->dh, L->pt);
    win_sliding(&o->x, out->w, in->w, L->kw, L->sw, L->dw, L->pl);
    return;
  case KIND_POOL:
    win_span(&o->c, out->c, 0, 0, in->c);
    win_sliding(&o->y, out->h, in->h, L->kh, L->sh, 1, L->pt);
    win_sliding(&o->x, out->w, in->w, L->kw, L->sw, 1, L->pl);
    return;
${a.window}  case KIND_ELTWISE:
    win_span(&o->c, out->c, 0, 0, in->c);
    if (in->h == 1 && in->w == 1) {
${v.broadcast}
      return;
    }
    break;
  case KIND_CONCAT:
    for (j = 0; j < k; j++) off += tensors[L->in[j]].c;
    win_span(&o->c, out->c, -off, -off, in->c);
    break;
  case KIND_SLICE:
    win_span(&o->c, out->c, L->start, L->start, in->c);
    break;
  case KIND_LRN:
    win_span(&o->c, out->c, -((L->lrn_size - 1) / 2), L->lrn_size / 2, in->c);
    break;
  default: /* softmax, shuffle: the whole channel column */
    win_const(&o->c, out->c, 0, in->c - 1);
    break;
  }
  win_span(&o->y, out->h, 0, 0, in->h);
  win_span(&o->x, out->w, 0, 0, in->w);
}
${v.margins}
/* ---- boxes ---- */

static void box_clear(Box *b) {
  int k;
  for (k = 0; k < 3; k++) {
    b->lo[k] = 1;
    b->hi[k] = 0;
  }
}

static int box_empty(const Box *b) { return b->lo[0] > b->hi[0]; }

static int box_eq(const Box *a, const Box *b) {
  return a->lo[0] == b->lo[0] && a->hi[0] == b->hi[0] && a->lo[1] == b->lo[1] && a->hi[1] == b->hi[1] &&
         a->lo[2] == b->lo[2] && a->hi[2] == b->hi[2];
}

/* a inside b */
static int box_within(const Box *a, const Box *b) {
  return b->lo[0] <= a->lo[0] && a->hi[0] <= b->hi[0] && b->lo[1] <= a->lo[1] && a->hi[1] <= b->hi[1] &&
         b->lo[2] <= a->lo[2] && a->hi[2] <= b->hi[2];
}

/* The union of a and b is a box: equal in all dimensions but one, where they overlap or touch. */
static int box_joins(const Box *a, const Box *b) {
  int k, other = -1;
  for (k = 0; k < 3; k++)
    if (a->lo[k] != b->lo[k] || a->hi[k] != b->hi[k]) {
      if (other >= 0) return 0;
      other = k;
    }
  return other < 0 || (b->lo[other] <= a->hi[other] + 1 && a->lo[other] <= b->hi[other] + 1);
}

static void box_extend(Box *d, const Box *s) {
  int k;
  if (box_empty(s)) return;
  if (box_empty(d)) {
    *d = *s;
    return;
  }
  for (k = 0; k < 3; k++) {
    if (s->lo[k] < d->lo[k]) d->lo[k] = s->lo[k];
    if (s->hi[k] > d->hi[k]) d->hi[k] = s->hi[k];
  }
}

/* What operand o reads for the output region r (the hull), or 0 when it reads nothing. */
static int operand_region(const Operand *o, const Region *r, Box *b) {
  int lo, hi;
  if (!win_hull(&o->c, r->c0, r->c1, &lo, &hi)) return 0;
  b->lo[0] = lo + r->r0;
  b->hi[0] = hi + r->r1 - 1;
  if (!win_hull(&o->y, r->y0, r->y1, &b->lo[1], &b->hi[1])) return 0;
  return win_hull(&o->x, r->x0, r->x1, &b->lo[2], &b->hi[2]);
}

#if FUSED
/* What operand o reads for the elements [c, y, xa..xb] with the whole reduction [0, red), or 0 for nothing. */
static int operand_run(const Operand *o, const Run *u, int red, Box *b) {
  if (u->c < o->c.first || u->c > o->c.last || u->y < o->y.first || u->y > o->y.last) return 0;
  b->lo[0] = o->c.lo[u->c];
  b->hi[0] = o->c.hi[u->c] + red - 1;
  b->lo[1] = o->y.lo[u->y];
  b->hi[1] = o->y.hi[u->y];
  return win_hull(&o->x, u->xa, u->xb + 1, &b->lo[2], &b->hi[2]);
}
#endif

/* ---- slots: circular addressing in every dimension of a buffer's box ---- */

static i64 act_slot(const Buf *b, int c, int y, int x) { return b->offset + b->am[1][y] + b->am[2][x] + b->am[0][c]; }

static int act_id(const Buf *b, int c, int y, int x) { return (c * b->size[1] + y) * b->size[2] + x; }

static i64 weight_slot(const Buf *b, int o, int i, int t) {
  return i < 0 ? b->offset + b->wbias + b->am[0][o] : b->offset + b->am[0][o] + b->am[1][i] + (i64)t * b->wt;
}

static int weight_tag(const Buf *b, int o, int i, int t) {
  return i < 0 ? b->size[0] * b->size[1] * b->K + o + 1 : (o * b->size[1] + i) * b->K + t + 1;
}

/* Whether t[k] != e + k for some k < n (adjacent slots holding consecutive elements). */
static int tags_differ(const int *t, int e, int n) {
  int k = 0, bad = 0;
#if VECTORS
  v4i ev = {e, e + 1, e + 2, e + 3}, acc = {0, 0, 0, 0};
  const v4i four = {4, 4, 4, 4};
  for (; k + 4 <= n; k += 4, ev += four) acc |= *(const v4iu *)(t + k) != ev;
  bad = acc[0] | acc[1] | acc[2] | acc[3];
#endif
  for (; k < n; k++) bad |= t[k] != e + k;
  return bad;
}

${v.realBox}/* Every element of the box must be in its slot: what a computation reads is there. */
static void check_box(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  int c, y, x, t, bad = 0;${v.checkDecl}
  if (box_empty(d)) return;${v.checkReal}
  if (b->role == ROLE_WEIGHTS) {
    for (c = d->lo[0]; c <= d->hi[0]; c++) {
      if (b->rowver[c] == b->version && b->rowlo[c] <= d->lo[1] && d->hi[1] <= b->rowhi[c]) continue;
      bad = 0;
      for (y = d->lo[1]; y <= d->hi[1]; y++)
        for (t = 0; t < (y < 0 ? 1 : b->K); t++)
          if (tag[weight_slot(b, c, y, t)] != weight_tag(b, c, y, t)) {
            conflict(s, bi, c, y, t);
            bad = 1;
          }
      if (bad) continue;
      if (b->rowver[c] == b->version && d->lo[1] <= b->rowhi[c] + 1 && d->hi[1] >= b->rowlo[c] - 1) {
        if (d->lo[1] < b->rowlo[c]) b->rowlo[c] = d->lo[1];
        if (d->hi[1] > b->rowhi[c]) b->rowhi[c] = d->hi[1];
      } else {
        b->rowlo[c] = d->lo[1];
        b->rowhi[c] = d->hi[1];
      }
      b->rowver[c] = b->version;
    }
    return;
  }
  if (b->chk_version == b->version && box_within(d, &b->chk)) return;
  if (d->lo[0] == d->hi[0] && d->lo[1] == d->hi[1] && d->lo[2] == d->hi[2]) { /* one element */
    if (tag[act_slot(b, d->lo[0], d->lo[1], d->lo[2])] != act_id(b, d->lo[0], d->lo[1], d->lo[2]) + 1)
      conflict(s, bi, d->lo[0], d->lo[1], d->lo[2]);
    else {
      b->chk = *d;
      b->chk_version = b->version;
    }
    return;
  }
  {
    const int plane = b->size[1] * b->size[2], *mc = b->am[0], *mx = b->am[2];
    const int *tg = tag + b->offset;
    for (y = d->lo[1]; y <= d->hi[1]; y++) {
      const int *row = tg + b->am[1][y];
      if (d->lo[0] == d->hi[0]) { /* one channel: ids consecutive along the row */
        const int *at = row + mc[d->lo[0]];
        int e = act_id(b, d->lo[0], y, d->lo[2]) + 1;
        if (b->xstep == 1 && mx[d->hi[2]] - mx[d->lo[2]] == d->hi[2] - d->lo[2] &&
            !tags_differ(at + mx[d->lo[2]], e, d->hi[2] - d->lo[2] + 1))
          continue;
        for (x = d->lo[2]; x <= d->hi[2]; x++, e++)
          if (at[mx[x]] != e) {
            conflict(s, bi, d->lo[0], y, x);
            bad = 1;
          }
        continue;
      }
      for (x = d->lo[2]; x <= d->hi[2]; x++) {
        const int *at = row + mx[x];
        int e = act_id(b, d->lo[0], y, x) + 1;
        for (c = d->lo[0]; c <= d->hi[0]; c++, e += plane)
          if (at[mc[c]] != e) {
            conflict(s, bi, c, y, x);
            bad = 1;
          }
      }
    }
  }
  if (!bad) {
    /* boxes checked at one version accumulate while their union is a box (e.g. one channel after another) */
    if (b->chk_version == b->version && box_joins(&b->chk, d)) box_extend(&b->chk, d);
    else b->chk = *d;
    b->chk_version = b->version;
  }
}

/* ---- live spans: per dimension, the largest span of elements on chip at once that are demanded at
   this fill or kept for a later one (docs/execution-model.md, storage) ---- */

static int counted(const Buf *b, const Box *d, int *lo, int *hi) {
  int k;
  for (k = 0; k < 3; k++) {
    lo[k] = d->lo[k];
    hi[k] = d->hi[k];
  }
  if (b->role == ROLE_WEIGHTS && lo[1] < 0) lo[1] = 0; /* the bias has no input channel */
${v.counted}
}

/* The fill's own span (lo, hi: its counted box). */
static void span_fill(Buf *b, const int *lo, const int *hi) {
  int k;
  for (k = 0; k < b->ndim; k++)
    if (hi[k] - lo[k] + 1 > b->meas[k]) b->meas[k] = hi[k] - lo[k] + 1;
}

static void span_push(Buf *b, const int *lo, const int *hi, int j) {
  int k;
  for (k = 0; k < b->ndim; k++) {
    int *n = &b->stop[k][0];
    if (b->stop[k][1] == 0 || lo[k] < b->ilo[k]) b->ilo[k] = lo[k];
    if (b->stop[k][0] == 0 || hi[k] > b->ihi[k]) b->ihi[k] = hi[k];
    while (*n > 0 && b->sval[k][0][*n - 1] <= hi[k]) (*n)--;
    b->sidx[k][0][*n] = j;
    b->sval[k][0][(*n)++] = hi[k];
    n = &b->stop[k][1];
    while (*n > 0 && b->sval[k][1][*n - 1] >= lo[k]) (*n)--;
    b->sidx[k][1][*n] = j;
    b->sval[k][1][(*n)++] = lo[k];
  }
}

/* Along dimension k, the hull of the boxes of the fills after fill p (to now); 0 if none counted. */
static int span_query(const Buf *b, int k, int p, int *qlo, int *qhi) {
  int m;
  for (m = 0; m < 2; m++) {
    const int *idx = b->sidx[k][m], top = b->stop[k][m];
    int a = 0, z = top;
    /* p is mostly recent: look at the top of the stack first */
    if (top == 0 || idx[top - 1] <= p) return 0;
    if (top > 4 && idx[top - 4] <= p) a = top - 3;
    while (a < z) {
      int mid = (a + z) / 2;
      if (idx[mid] > p) z = mid;
      else a = mid + 1;
    }
    if (m == 0) *qhi = b->sval[k][m][a];
    else *qlo = b->sval[k][m][a];
  }
  return 1;
}

/* Elements demanded now and kept since an earlier fill p < j - 1 were on chip together with every fill
   in between; they are gathered per p (their bounding box) and measured against those fills at the
   end of the fill: with fill i, an element u spans max(hi_i, u) - min(lo_i, u) + 1, where the fill's
   own span is counted already. */
#define KEPT_GROUPS 8
typedef struct { int n, p[KEPT_GROUPS], lo[KEPT_GROUPS][3], hi[KEPT_GROUPS][3]; } Kept;

static void kept_resolve(Buf *b, Kept *g) {
  int i, k, qlo = 0, qhi = 0; /* set by span_query; initialised for compilers that cannot tell (-O1) */
  for (i = 0; i < g->n; i++)
    for (k = 0; k < b->ndim; k++) {
      /* the fills since p lie in the store instance's hull: if even that cannot widen this span, skip */
      if (b->ihi[k] - g->lo[i][k] + 1 <= b->meas[k] && g->hi[i][k] - b->ilo[k] + 1 <= b->meas[k]) continue;
      if (!span_query(b, k, g->p[i], &qlo, &qhi)) break;
      if (qhi - g->lo[i][k] + 1 > b->meas[k]) b->meas[k] = qhi - g->lo[i][k] + 1;
      if (g->hi[i][k] - qlo + 1 > b->meas[k]) b->meas[k] = g->hi[i][k] - qlo + 1;
    }
  g->n = 0;
}

/* Elements [c, y, xa..xb] (weights: [o, xa..xb]) kept since fill p. */
static void kept_add(Buf *b, Kept *g, int p, int c, int y, int xa, int xb) {
  int i, lo[3], hi[3], k;
  lo[0] = hi[0] = c;
  if (b->role == ROLE_WEIGHTS) {
    lo[1] = xa;
    hi[1] = xb;
    lo[2] = hi[2] = 0;
  } else {
    lo[1] = hi[1] = y;
    lo[2] = xa;
    hi[2] = xb;
  }
  for (i = g->n - 1; i >= 0 && g->p[i] != p; i--) {
  }
  if (i < 0) {
    if (g->n == KEPT_GROUPS) kept_resolve(b, g);
    i = g->n++;
    g->p[i] = p;
    for (k = 0; k < 3; k++) {
      g->lo[i][k] = lo[k];
      g->hi[i][k] = hi[k];
    }
    return;
  }
  for (k = 0; k < 3; k++) {
    if (lo[k] < g->lo[i][k]) g->lo[i][k] = lo[k];
    if (hi[k] > g->hi[i][k]) g->hi[i][k] = hi[k];
  }
}

/* ---- presence: a fill's demand scanned row by row ---- */

static void add_run(Buf *b, int c, int y, int xa, int xb) {
  Run *u;
  if (b->nruns == b->runcap) {
    i64 cap = b->runcap;
    b->runs = (Run *)xgrow(b->runs, &cap, sizeof(Run));
    b->runcap = (int)cap;
  }
  u = &b->runs[b->nruns++];
  u->c = c;
  u->y = y;
  u->xa = xa;
  u->xb = xb;
}

/* Marks the entries P[a..z] of one row as demanded by fill j: runs of absent ones are recorded (to be
   brought in), present ones last demanded before fill j - 1 are kept (the bias, index -1, has no span${v.keptNote}). */
/* From x (at most to z), the entries equal to v (below v) are set to j; returns where they end. */
static int run_equal(int *P, int x, int z, int v, int j) {
#if VECTORS
  const v4i vv = {v, v, v, v}, jj = {j, j, j, j};
  if (z - x >= 8)
  for (; x + 3 <= z; x += 4) {
    const v4i m = *(const v4iu *)(P + x) == vv;
    if (!(m[0] & m[1] & m[2] & m[3])) break;
    *(v4iu *)(P + x) = jj;
  }
#endif
  for (; x <= z && P[x] == v; x++) P[x] = j;
  return x;
}

static int run_below(int *P, int x, int z, int v, int j) {
#if VECTORS
  const v4i vv = {v, v, v, v}, jj = {j, j, j, j};
  if (z - x >= 8)
  for (; x + 3 <= z; x += 4) {
    const v4i m = *(const v4iu *)(P + x) < vv;
    if (!(m[0] & m[1] & m[2] & m[3])) break;
    *(v4iu *)(P + x) = jj;
  }
#endif
  for (; x <= z && P[x] < v; x++) P[x] = j;
  return x;
}

${v.rows}static void scan_row(Buf *b, Kept *g, int *P, int a, int z, int j, int c, int y) {
  const int inst = b->inst_start, recent = j - 1 >= inst ? j - 1 : -2;
  int x = a;
  while (x <= z) {
    int p = P[x], xa = x;
    if (p == recent) x = run_equal(P, x, z, recent, j);
    else if (p < inst) {
      x = run_below(P, x, z, inst, j);
      add_run(b, c, y, xa, x - 1);
    } else {
      x = run_equal(P, x, z, p, j);
      if (xa < 0) xa = 0;
      if (${v.keptIf}xa <= x - 1) kept_add(b, g, p, c, y, xa, x - 1);
    }
  }
}

/* The bookkeeping of a fill of demand d: the runs not present are left in b->runs. Returns 0 when there
   are none; a demand equal to the last one of the store instance has none and cannot widen a span. */
static int fill_scan(Buf *b, const Box *d) {
  Kept g;
  int j = b->fills, c, y, in_span, lo[3], hi[3];
  b->nruns = 0;
  if (box_empty(d) || (b->has_last && box_eq(d, &b->last))) return 0;
  if (b->ext[0] == 0) fail("internal: a demand on a buffer without storage");
  if (j == INT_MAX) fail("internal: too many fills");
  g.n = 0;
  in_span = counted(b, d, lo, hi);
  if (in_span) span_fill(b, lo, hi);
  if (b->role == ROLE_WEIGHTS)
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      scan_row(b, &g, b->prev + (i64)c * (b->size[1] + 1) + 1, d->lo[1], d->hi[1], j, c, 0);
  else
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++)
        scan_row(b, &g, ${v.prevRow}, d->lo[2], d->hi[2], j, c, y);
  if (g.n > 0) kept_resolve(b, &g);
  if (in_span) span_push(b, lo, hi, j);
  b->fills++;
  b->last = *d;
  b->has_last = 1;
  return b->nruns > 0;
}

/* ---- copy helpers: every DRAM element moved is counted here ---- */

static void load_input(Buf *b) {
  const float *src = tensors[b->tensor].data;
  int k, x;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
    int e = act_id(b, u->c, u->y, u->xa);
    for (x = u->xa; x <= u->xb; x++, e++) {
      i64 slot = base + b->am[2][x];
      scratch[slot] = src[e];
      tag[slot] = e + 1;
      b->reads++;
      b->filled++;
    }
  }
}

static void load_weights(const Seg *s, Buf *b) {
  const Layer *L = s->l[b->layer].L;
  int k, i, t;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const int o = u->c;
    for (i = u->xa; i <= u->xb; i++) {
      if (i < 0) {
        i64 slot = weight_slot(b, o, i, 0);
        scratch[slot] = L->bias[o];
        tag[slot] = weight_tag(b, o, i, 0);
        b->reads++;
        b->filled++;
        continue;
      }
      for (t = 0; t < b->K; t++) {
        i64 slot = weight_slot(b, o, i, t);
        scratch[slot] = L->w[((i64)o * b->size[1] + i) * b->K + t];
        tag[slot] = weight_tag(b, o, i, t);
        b->reads++;
        b->filled++;
      }
    }
  }
}

static void write_back(Buf *b, i64 slot) {
  tensors[b->tensor].data[tag[slot] - 1] = scratch[slot];
  b->writes++;
  b->dirty[slot - b->offset] = 0;
}

static void flush(Buf *b) {
  i64 i;
  for (i = 0; i < b->dn; i++)
    if (b->dirty[b->dlist[i] - b->offset]) write_back(b, b->dlist[i]);
  b->dn = 0;
}

/* The list of dirty slots holds stale entries of slots written back since; full, it is compacted. */
static void mark_dirty(Buf *b, i64 slot) {
  b->dirty[slot - b->offset] = 1;
  if (b->dn == b->dcap) {
    i64 i, n = 0;
    for (i = 0; i < b->dn; i++) {
      unsigned char *f = &b->dirty[b->dlist[i] - b->offset];
      if (*f == 1) {
        *f = 2;
        b->dlist[n++] = b->dlist[i];
      }
    }
    for (i = 0; i < n; i++) b->dirty[b->dlist[i] - b->offset] = 1;
    b->dn = n;
    if (n == b->dcap) b->dlist = (i64 *)xgrow(b->dlist, &b->dcap, sizeof(i64));
  }
  b->dlist[b->dn++] = slot;
}

/* The output: what a slot held is written back when another element takes it; partial sums are read back. */
static void bring_in_output(const Seg *s, Buf *b) {
  const float *src = tensors[b->tensor].data;
  int k, x;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
    int e = act_id(b, u->c, u->y, u->xa);
    for (x = u->xa; x <= u->xb; x++, e++) {
      i64 slot = base + b->am[2][x];
      if (b->dirty[slot - b->offset]) write_back(b, slot);
      if (s->accumulated[e]) {
        scratch[slot] = src[e];
        b->reads++;
      }
      mark_dirty(b, slot);
      tag[slot] = e + 1;
      b->filled++;
    }
  }
}

/* ---- layer kernels: everything read comes from the scratchpad ---- */

static float act(const Seg *s, int bi, int c, int y, int x) { return scratch[act_slot(&s->b[bi], c, y, x)]; }

static float apply_post_ops(const Layer *L, float v) {
  int i;
  for (i = 0; i < L->npost; i++) {
    const Post *p = &L->post[i];
    double d = v;
    switch (p->op) {
    case OP_RELU: d = d < 0 ? 0 : d; break;
    case OP_CLIP: d = d < p->a ? p->a : d; d = d > p->b ? p->b : d; break;
    case OP_SIGMOID: d = 1.0 / (1.0 + exp(-d)); break;
    case OP_HARDSIGMOID: d = p->a * d + p->b; d = d < 0 ? 0 : (d > 1 ? 1 : d); break;
    case OP_SILU: d = d / (1.0 + exp(-d)); break;
    default: d = d * (d + 3 < 0 ? 0 : (d + 3 > 6 ? 6 : d + 3)) / 6; break;
    }
    v = (float)d;
  }
  return v;
}

/* The folded point-wise operators; a lone ReLU (most layers that have any) inline. */
static float apply_post(const Layer *L, float v) {
  if (L->npost == 0) return v;
  if (L->npost == 1 && L->post[0].op == OP_RELU) return v < 0 ? 0 : v;
  return apply_post_ops(L, v);
}

/* The reduction [i0, i1) of a group starting at input channel cb, split where the input buffer's or the
   weights' channel slots wrap: piece k covers input slots a.., weight slots b.., n channels. */
static int dot_pieces(const Buf *in, const Buf *wb, int cb, int i0, int i1, Piece *p) {
  int n = 0, i = i0;
  while (i < i1) {
    int a = in->am[0][cb + i], b = wb->am[1][i], len = i1 - i;
    if (in->ext[0] - (cb + i) % in->ext[0] < len) len = in->ext[0] - (cb + i) % in->ext[0];
    if (wb->ext[1] - b < len) len = wb->ext[1] - b;
    p[n].a = a;
    p[n].b = b;
    p[n++].n = len;
    i += len;
  }
  return n;
}

${convKernelsC(shapes)}
/* One output element of a layer without reduction tiles (everything but a convolution's partial sums). */
static float element(const Seg *s, const SegLayer *sl, int c, int y, int x) {
  const Layer *L = sl->L;
  int k, j;
  switch (L->kind) {
  case KIND_POOL: {
    int bi = sl->op[0].buf, y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
    int y1 = y0 + L->kh < sl->ih + L->pb ? y0 + L->kh : sl->ih + L->pb;
    int x1 = x0 + L->kw < sl->iw + L->pr ? x0 + L->kw : sl->iw + L->pr;
    int ya = y0 < 0 ? 0 : y0, yb = y1 < sl->ih ? y1 : sl->ih;
    int xa = x0 < 0 ? 0 : x0, xb = x1 < sl->iw ? x1 : sl->iw, iy, ix;
    double r = L->pool_max ? -INFINITY : 0;
    for (iy = ya; iy < yb; iy++)
      for (ix = xa; ix < xb; ix++) {
        double v = act(s, bi, c, iy, ix);
        if (L->pool_max) r = v > r ? v : r;
        else r += v;
      }
    if (!L->pool_max) r /= L->count_include_pad ? (y1 - y0) * (x1 - x0) : (yb - ya) * (xb - xa);
    return (float)r;
  }
  case KIND_ELTWISE: {
    float r = 0;
    for (k = 0; k < sl->nop; k++) {
      const Tensor *t = &tensors[L->in[k]];
      int one = t->h == 1 && t->w == 1;
      float v = act(s, sl->op[k].buf, c, one ? 0 : y, one ? 0 : x);
      if (k == 0) r = v;
      else if (L->elt_op == ELT_ADD) r = r + v;
      else if (L->elt_op == ELT_MUL) r = r * v;
      else if (v > r) r = v;
    }
    return r;
  }
  case KIND_CONCAT:
    for (k = 0, j = c; k < sl->nop; k++) {
      int n = tensors[L->in[k]].c;
      if (j < n) return act(s, sl->op[k].buf, j, y, x);
      j -= n;
    }
    fail("internal: concat channel out of range");
    return 0;
  case KIND_SLICE:
    return act(s, sl->op[0].buf, c + L->start, y, x);
  case KIND_LRN: {
    int lo = c - (L->lrn_size - 1) / 2, hi = c + L->lrn_size / 2;
    double sq = 0, v;
    if (lo < 0) lo = 0;
    if (hi > sl->ic - 1) hi = sl->ic - 1;
    for (j = lo; j <= hi; j++) {
      v = act(s, sl->op[0].buf, j, y, x);
      sq += v * v;
    }
    v = act(s, sl->op[0].buf, c, y, x);
    return (float)(v / pow(L->lrn_k + L->lrn_alpha / L->lrn_size * sq, L->lrn_beta));
  }
  case KIND_SOFTMAX: {
    double m = -INFINITY, sum = 0;
    for (j = 0; j < sl->ic; j++) {
      double v = act(s, sl->op[0].buf, j, y, x);
      m = v > m ? v : m;
    }
    for (j = 0; j < sl->ic; j++) sum += exp(act(s, sl->op[0].buf, j, y, x) - m);
    return (float)(exp(act(s, sl->op[0].buf, c, y, x) - m) / sum);
  }
  case KIND_SHUFFLE: {
    int g = L->shuffle_groups, pg = sl->ic / g;
    return act(s, sl->op[0].buf, (c % g) * pg + c / g, y, x);
  }
${a.element}  default:
    fail("internal: a convolution computed as an element");
    return 0;
  }
}

/* ---- fills ---- */

/* Makes a demand present: the elements not present are loaded or brought in. */
static void fill(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  if (!fill_scan(b, d)) return;${v.fillReal}
  if (b->role == ROLE_INPUT) load_input(b);
  else if (b->role == ROLE_WEIGHTS) load_weights(s, b);
  else bring_in_output(s, b);
  b->version++;
}

#if FUSED
/* An intermediate, before its producer's inputs are filled: the bookkeeping, and the hull of what the
   producer will read for the elements not present (the demands of its online inputs). */
static void fill_begin(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  Box t;
  int k, i;
  for (k = 0; k < p->nop; k++) box_clear(&p->hull[k]);
  box_clear(&p->whull);
  if (!fill_scan(b, &b->dem)) return;
  for (i = 0; i < b->nruns; i++) {
    const Run *u = &b->runs[i];
    for (k = 0; k < p->nop; k++)
      if (operand_run(&p->op[k], u, p->red, &t)) box_extend(&p->hull[k], &t);
    if (p->wbuf >= 0${v.realRun}) {
      t.lo[0] = t.hi[0] = u->c;
      t.lo[1] = p->L->has_bias ? -1 : 0;
      t.hi[1] = p->red - 1;
      t.lo[2] = t.hi[2] = 0;
      box_extend(&p->whull, &t);
    }
  }
  for (k = 0; k < p->nop; k++)
    if (s->b[p->op[k].buf].demand == DEMAND_ONLINE) box_extend(&s->b[p->op[k].buf].acc, &p->hull[k]);
  if (p->wbuf >= 0 && s->b[p->wbuf].demand == DEMAND_ONLINE) box_extend(&s->b[p->wbuf].acc, &p->whull);${v.beginReal}
}

/* The intermediate's producer computes what was not present; its reads are checked first. */
static void fill_end(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  const Layer *L = p->L;
  int k, x, np = 0, g = -1;
  float bias = 0;
  if (b->nruns == 0) return;
  for (k = 0; k < p->nop; k++) check_box(s, p->op[k].buf, &p->hull[k]);
  if (p->wbuf >= 0) check_box(s, p->wbuf, &p->whull);
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
    int e = act_id(b, u->c, u->y, u->xa);
    if (L->kind == KIND_CONV) {
      const Buf *wb = &s->b[p->wbuf];
      if (u->c / p->pgo != g) {
        g = u->c / p->pgo;
        np = dot_pieces(&s->b[p->op[0].buf], wb, g * p->red, 0, p->red, p->pieces);
      }
      bias = L->has_bias ? scratch[wb->offset + wb->wbias + wb->am[0][u->c]] : 0.0f;
    }
    if (L->kind == KIND_CONV) conv_row(s, p, u->c, u->y, u->xa, u->xb, p->pieces, np, p->row);
    for (x = u->xa; x <= u->xb; x++, e++) {
      i64 slot = base + b->am[2][x];
      float v = L->kind == KIND_CONV ? bias + p->row[x - u->xa] : element(s, p, u->c, u->y, x);
      scratch[slot] = apply_post(L, v);
      tag[slot] = e + 1;
      b->filled++;
      p->macs += (i64)p->red * p->K;
    }
  }
  b->version++;
}

#endif

/* The store level: the buffer starts empty (the output first writes back what it holds). */
static void reset(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  int k;
  if (b->role == ROLE_OUTPUT) flush(b);
  b->inst_start = b->fills;
  b->has_last = 0;
  for (k = 0; k < 3; k++) b->stop[k][0] = b->stop[k][1] = 0;
}

/* The demand of a buffer read (or written) by the last layer for the tiles of region r. */
static void demand_last(const Seg *s, int bi, const Region *r, Box *d) {
  const Buf *b = &s->b[bi];
  const SegLayer *sl = &s->l[s->last];
  Box t;
  int k;
  box_clear(d);
  if (b->role == ROLE_OUTPUT) {
    d->lo[0] = r->c0;
    d->hi[0] = r->c1 - 1;
    d->lo[1] = r->y0;
    d->hi[1] = r->y1 - 1;
    d->lo[2] = r->x0;
    d->hi[2] = r->x1 - 1;
  } else if (b->role == ROLE_WEIGHTS) {${v.lastWeights}
    d->lo[0] = r->c0;
    d->hi[0] = r->c1 - 1;
    d->lo[1] = r->r0 == 0 && b->bias ? -1 : r->r0;
    d->hi[1] = r->r1 - 1;
    d->lo[2] = d->hi[2] = 0;
  } else
    for (k = 0; k < sl->nop; k++)
      if (sl->op[k].buf == bi && operand_region(&sl->op[k], r, &t)) box_extend(d, &t);
}

static void fill_last(Seg *s, int bi, const Region *r) {
  demand_last(s, bi, r, &s->b[bi].dem);
  fill(s, bi, &s->b[bi].dem);
}

#if PLANNING
static void plan_next(Buf *b, Box *d) {
  if (b->plan_at >= b->plan_n) fail("internal: the plan has fewer fills than the run");
  *d = b->plan[b->plan_at].box;
  if (++b->plan_used == b->plan[b->plan_at].n) {
    b->plan_at++;
    b->plan_used = 0;
  }
}
#endif

/* The last layer's convolution of one tile for one reduction slice, output channels innermost. */
static void compute_dot(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf];
  int c, y, x, g = -1, np = 0, first = r->r0 == 0, final = r->r1 == sl->red;
  for (y = r->y0; y < r->y1; y++)
    for (c = r->c0; c < r->c1; c++) {
      const float bias = L->has_bias ? scratch[wb->offset + wb->wbias + wb->am[0][c]] : 0.0f;
      if (c / sl->pgo != g) {
        g = c / sl->pgo;
        np = dot_pieces(&s->b[sl->op[0].buf], wb, g * sl->red, r->r0, r->r1, sl->pieces);
      }
      conv_row(s, sl, c, y, r->x0, r->x1 - 1, sl->pieces, np, sl->row);
      for (x = r->x0; x < r->x1; x++) {
        i64 slot = act_slot(ob, c, y, x);
        float v = (first ? bias : scratch[slot]) + sl->row[x - r->x0];
        scratch[slot] = final ? apply_post(L, v) : v;
      }
    }
}

/* Output channels [c0, c1) split where the output buffer's or the weights' channel slots wrap (weights
   [in][tap][out]): output slots a.., weight slots b... */
static int axpy_pieces(const Buf *ob, const Buf *wb, int c0, int c1, Piece *p) {
  int n = 0, c = c0;
  while (c < c1) {
    int a = ob->am[0][c], b = wb->am[0][c], len = c1 - c;
    if (ob->ext[0] - a < len) len = ob->ext[0] - a;
    if (wb->ext[0] - b < len) len = wb->ext[0] - b;
    p[n].a = a;
    p[n].b = b;
    p[n++].n = len;
    c += len;
  }
  return n;
}

/* The same with one group: every input element read updates the tile's output channels at once, in
   their slots. */
static void compute_axpy(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  const float *is = scratch + in->offset, *ws = scratch + wb->offset;
  const Piece *pc = sl->pieces;
  int y, x, j, k, ky, kx, n, first = r->r0 == 0, final = r->r1 == sl->red;
  int np = axpy_pieces(ob, wb, r->c0, r->c1, sl->pieces);
  for (y = r->y0; y < r->y1; y++)
    for (x = r->x0; x < r->x1; x++) {
      const int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
      float *out = scratch + ob->offset + ob->am[1][y] + ob->am[2][x];
      n = 0;
      for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++)
        for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) {
          sl->tin[n] = (i64)in->am[1][y0 + ky * L->dh] + in->am[2][x0 + kx * L->dw];
          sl->twt[n++] = (i64)(ky * L->kw + kx) * wb->wt;
        }
      for (k = 0; k < np; k++) {
        float *o = out + pc[k].a;
        if (first)
          for (j = 0; j < pc[k].n; j++) o[j] = L->has_bias ? ws[wb->wbias + pc[k].b + j] : 0.0f;
        axpy_taps(o, is, ws + pc[k].b, sl->tin, sl->twt, n, in->am[0], wb->am[1], r->r0, r->r1, pc[k].n);
        if (final && L->npost > 0)
          for (j = 0; j < pc[k].n; j++) o[j] = apply_post(L, o[j]);
      }
    }
}

/* The last layer's computation of one tile for one reduction slice (the innermost level). */
static void compute_last(Seg *s, const Region *r) {
  SegLayer *sl = &s->l[s->last];
  const Layer *L = sl->L;
  Box d;
  int k, c, y, x;
  /* what it reads: a buffer filled here demanded exactly this tile's reads (of all its operands) */
  for (k = 0; k < sl->nop; k++)
    if (s->b[sl->op[k].buf].fill == 4) check_box(s, sl->op[k].buf, &s->b[sl->op[k].buf].dem);
    else if (operand_region(&sl->op[k], r, &d)) check_box(s, sl->op[k].buf, &d);
  if (sl->wbuf >= 0) {
    if (s->b[sl->wbuf].fill == 4) d = s->b[sl->wbuf].dem;
    else demand_last(s, sl->wbuf, r, &d);
    check_box(s, sl->wbuf, &d);
  }
  if (s->b[sl->obuf].fill == 4) d = s->b[sl->obuf].dem;
  else demand_last(s, sl->obuf, r, &d);
  check_box(s, sl->obuf, &d);${v.lastVirtual}
  if (L->kind == KIND_CONV && sl->mode == CONV_AXPY) compute_axpy(s, sl, r);
  else if (L->kind == KIND_CONV) compute_dot(s, sl, r);
  else {
    Buf *ob = &s->b[sl->obuf];
    for (y = r->y0; y < r->y1; y++)
      for (x = r->x0; x < r->x1; x++)
        for (c = r->c0; c < r->c1; c++) scratch[act_slot(ob, c, y, x)] = apply_post(L, element(s, sl, c, y, x));
  }
  /* an output element's reduction tiles come in order: after its first one, partial sums are kept */
  if (r->r0 == 0)
    for (c = r->c0; c < r->c1; c++)
      for (y = r->y0; y < r->y1; y++)
        memset(s->accumulated + act_id(&s->b[sl->obuf], c, y, r->x0), 1, (size_t)(r->x1 - r->x0));
  sl->macs += (i64)(r->c1 - r->c0) * (r->y1 - r->y0) * (r->x1 - r->x0) * (L->kind == KIND_CONV ? (r->r1 - r->r0) * sl->K : 0);
}

static i64 prev_elements(const Buf *b) {
  return b->role == ROLE_WEIGHTS ? (i64)b->size[0] * (b->size[1] + 1) : ${v.prevElements};
}

/* ---- the planning pass: demands of buffers read by fused producers and filled further out ---- */

#if PLANNING
static void plan_reset(Seg *s, int bi) { s->b[bi].inst_start = s->b[bi].fills; }

static void plan_open(Seg *s, int bi) { box_clear(&s->b[bi].acc); }

/* At the end of a fill event's body: the demand is known; an intermediate's producer computes what is
   not present, and its reads extend the demands of its own buffers. */
static void plan_close(Seg *s, int bi, const Region *r) {
  Buf *b = &s->b[bi];
  SegLayer *p;
  Box d, t;
  int c, y, x, k, j = b->fills;
${sharedC(shared, dag)}
  if (b->demand == DEMAND_PLANNED) {
    if (b->plan_n > 0 && box_eq(&b->plan[b->plan_n - 1].box, &d)) b->plan[b->plan_n - 1].n++;
    else {
      if (b->plan_n == b->plan_cap) b->plan = (PlanRun *)xgrow(b->plan, &b->plan_cap, sizeof(PlanRun));
      b->plan[b->plan_n].box = d;
      b->plan[b->plan_n++].n = 1;
    }
  }
  if (b->role != ROLE_INTERMEDIATE || box_empty(&d)) return;
  p = &s->l[b->layer];
  for (c = d.lo[0]; c <= d.hi[0]; c++)
    for (y = d.lo[1]; y <= d.hi[1]; y++) {
      int *P = ${v.prevRow};
      for (x = d.lo[2]; x <= d.hi[2]; x++) {
        Run u;
        if (P[x] >= b->inst_start) {
          P[x] = j;
          continue;
        }
        u.c = c;
        u.y = y;
        u.xa = x;
        while (x <= d.hi[2] && P[x] < b->inst_start) P[x++] = j;
        u.xb = --x;
        for (k = 0; k < p->nop; k++)
          if (operand_run(&p->op[k], &u, p->red, &t)) box_extend(&s->b[p->op[k].buf].acc, &t);
        if (p->wbuf >= 0${v.realPlanRun}) {
          t.lo[0] = t.hi[0] = c;
          t.lo[1] = p->L->has_bias ? -1 : 0;
          t.hi[1] = p->red - 1;
          t.lo[2] = t.hi[2] = 0;
          box_extend(&s->b[p->wbuf].acc, &t);
        }
      }
    }
  b->fills++;
}

static void plan_done(Seg *s) {
  int i;
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    if (b->role != ROLE_INTERMEDIATE) continue;
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    b->fills = b->inst_start = 0;
  }
}
#endif

/* ---- segments ---- */

static void seg_open(Seg *s, const SegDesc *d, int index) {
  int i, k, m;
  i64 end = 0, v;
  s->start = clock();
  s->index = index;
  s->nbuf = d->nbuf;
  s->nlayer = d->nlayer;
  s->last = d->nlayer - 1;
  s->b = (Buf *)xcalloc(d->nbuf, sizeof(Buf));
  s->l = (SegLayer *)xcalloc(d->nlayer, sizeof(SegLayer));
  for (i = 0; i < d->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    Layer *L = &layers[d->layer[i].layer];
    const Tensor *in = &tensors[L->in[0]], *out = &tensors[L->out];
    sl->L = L;
    sl->obuf = d->layer[i].obuf;
    sl->wbuf = d->layer[i].wbuf;
    sl->mode = d->layer[i].mode;
    sl->nop = L->nin;
    sl->ic = in->c;
    sl->ih = in->h;
    sl->iw = in->w;
    sl->red = L->kind == KIND_CONV ? in->c / L->groups : 1;
    sl->pgo = L->kind == KIND_CONV ? out->c / L->groups : 1;
    sl->K = L->kind == KIND_CONV ? L->kh * L->kw : 0;
    sl->op = (Operand *)xcalloc(sl->nop, sizeof(Operand));
    sl->hull = (Box *)xcalloc(sl->nop, sizeof(Box));
    for (k = 0; k < sl->nop; k++) {
      sl->op[k].buf = d->layer[i].opbuf[k];${v.marginsCall}
      operand_windows(sl, k);
    }
    /* kernel taps inside the input, per output row and column */
    sl->kya = (int *)xcalloc(out->h, sizeof(int));
    sl->kyb = (int *)xcalloc(out->h, sizeof(int));
    sl->kxa = (int *)xcalloc(out->w, sizeof(int));
    sl->kxb = (int *)xcalloc(out->w, sizeof(int));
    if (L->kind == KIND_CONV) {
      kernel_taps(out->h, L->kh, L->sh, L->pt, L->dh, in->h, sl->kya, sl->kyb);
      kernel_taps(out->w, L->kw, L->sw, L->pl, L->dw, in->w, sl->kxa, sl->kxb);
    }
    sl->pieces = (Piece *)xcalloc((sl->red > out->c ? sl->red : out->c) + 1, sizeof(Piece));
    sl->row = (float *)xcalloc(out->w, sizeof(float));
    sl->tin = (i64 *)xcalloc(sl->K, sizeof(i64));
    sl->twt = (i64 *)xcalloc(sl->K, sizeof(i64));
  }
  for (i = 0; i < d->nbuf; i++) {
    const BufDesc *bd = &d->buf[i];
    Buf *b = &s->b[i];
    i64 mul[3];
    b->role = bd->role;
    b->tensor = bd->tensor;
    b->layer = bd->layer;
    b->store = bd->store;
    b->fill = bd->fill;
    b->demand = bd->demand;
    b->layout = bd->layout;
    b->offset = bd->offset;
    b->instance_fills = bd->instance_fills;
    b->version = 1;
    b->chk_version = 0;
    for (k = 0; k < 3; k++) ${v.copyExt}
    if (b->role == ROLE_WEIGHTS) {
      const SegLayer *o = &s->l[b->layer];
      b->ndim = 2;
      b->size[0] = tensors[o->L->out].c;
      b->size[1] = o->red;
      b->size[2] = 1;
      b->K = ${a.taps};
      b->bias = o->L->has_bias;
      b->slots = (i64)b->ext[0] * ((i64)b->ext[1] * b->K + b->bias);
      if (o->mode == CONV_AXPY) { /* [in][tap][out], then the biases */
        mul[0] = 1;
        mul[1] = (i64)b->K * b->ext[0];
        b->wt = b->ext[0];
        b->wbias = (i64)b->ext[1] * b->K * b->ext[0];
      } else { /* [out][tap][in] and the bias, per output channel */
        mul[0] = (i64)b->ext[1] * b->K + b->bias;
        mul[1] = 1;
        b->wt = b->ext[1];
        b->wbias = (i64)b->K * b->ext[1];
      }
      mul[2] = 0;
      b->rowver = (i64 *)xcalloc(b->size[0], sizeof(i64));
      b->rowlo = (int *)xcalloc(b->size[0], sizeof(int));
      b->rowhi = (int *)xcalloc(b->size[0], sizeof(int));
    } else {
      const Tensor *t = &tensors[b->tensor];
      b->ndim = 3;
      b->size[0] = t->c;
      b->size[1] = t->h;
      b->size[2] = t->w;
      b->slots = (i64)b->ext[0] * b->ext[1] * b->ext[2];
      if (b->layout == LAYOUT_CHW) {
        mul[0] = (i64)b->ext[1] * b->ext[2];
        mul[1] = b->ext[2];
        mul[2] = 1;
      } else {
        mul[0] = 1;
        mul[1] = (i64)b->ext[2] * b->ext[0];
        mul[2] = b->ext[0];
      }
    }
    b->xstep = (int)mul[2];
    if (b->slots > INT_MAX) fail("internal: a buffer too large for int slots");
    for (k = 0; k < 3; k++) {
      b->am[k] = (int *)xcalloc(b->size[k], sizeof(int));
      for (v = 0; v < b->size[k]; v++) b->am[k][v] = b->ext[k] > 0 ? (int)(v % b->ext[k] * mul[k]) : 0;
    }
    for (k = 0; k < b->ndim; k++) {
      /* the stacks are strictly monotone in values -1..size-1 */
      i64 depth = b->instance_fills < b->size[k] + 1 ? b->instance_fills : b->size[k] + 1;
      for (m = 0; m < 2; m++) {
        b->sidx[k][m] = (int *)xcalloc(depth, sizeof(int));
        b->sval[k][m] = (int *)xcalloc(depth, sizeof(int));
      }
    }
    b->prev = (int *)xcalloc(prev_elements(b), sizeof(int));
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    if (b->role == ROLE_OUTPUT) {
      b->dirty = (unsigned char *)xcalloc(b->slots, 1);
      b->dcap = b->slots + 16;
      b->dlist = (i64 *)xcalloc(b->dcap, sizeof(i64));
      s->accumulated = (unsigned char *)xcalloc(prev_elements(b), 1);
    }
    if (b->offset + b->slots > end) end = b->offset + b->slots;
  }
  /* the buffers are disjoint: a tag changes only in its own buffer's fills (what the check cache relies on) */
  for (i = 0; i < d->nbuf; i++)
    for (k = 0; k < i; k++)
      if (s->b[i].slots > 0 && s->b[k].slots > 0 && s->b[i].offset < s->b[k].offset + s->b[k].slots &&
          s->b[k].offset < s->b[i].offset + s->b[i].slots)
        fail("internal: buffers overlap in the scratchpad");
  if (end > SCRATCH) fail("internal: the buffers do not fit the scratchpad");
  memset(tag, 0, (size_t)end * sizeof(int));
}

static void seg_close(Seg *s) {
  int i, k;
  flush(&s->b[s->l[s->last].obuf]);
  for (i = 0; i < s->nbuf; i++)
    if (s->b[i].plan_at != s->b[i].plan_n) fail("internal: the run missed planned fills");
  printf("%s{\"buffers\":[", s->index ? "," : "");
  for (i = 0; i < s->nbuf; i++) {
    const Buf *b = &s->b[i];
    printf("%s[%lld,%lld,%lld,[", i ? "," : "", b->reads, b->writes, b->filled);
    for (k = 0; k < b->ndim; k++) printf("%s%d", k ? "," : "", b->meas[k]);
    printf("]]");
  }
  printf("],\"macs\":[");
  for (i = 0; i < s->nlayer; i++) printf("%s%lld", i ? "," : "", s->l[i].macs);
  printf("],\"seconds\":%.3f}", (double)(clock() - s->start) / CLOCKS_PER_SEC);
  for (i = 0; i < s->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    for (k = 0; k < sl->nop; k++) {
      win_free(&sl->op[k].c);
      win_free(&sl->op[k].y);
      win_free(&sl->op[k].x);
    }
    free(sl->op);
    free(sl->hull);
    free(sl->kya);
    free(sl->kyb);
    free(sl->kxa);
    free(sl->kxb);
    free(sl->pieces);
    free(sl->row);
    free(sl->tin);
    free(sl->twt);
  }
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    for (k = 0; k < 3; k++) free(b->am[k]);
    for (k = 0; k < b->ndim; k++) {
      free(b->sidx[k][0]);
      free(b->sidx[k][1]);
      free(b->sval[k][0]);
      free(b->sval[k][1]);
    }
    free(b->prev);
    free(b->runs);
    free(b->rowver);
    free(b->rowlo);
    free(b->rowhi);
    free(b->dirty);
    free(b->dlist);
    free(b->plan);
  }
  free(s->accumulated);
  free(s->b);
  free(s->l);
}

/* ---- files: little-endian float32 ---- */

static void read_floats(FILE *f, const char *path, float *dst, i64 n) {
  unsigned char q[4];
  i64 i;
  for (i = 0; i < n; i++) {
    unsigned u;
    if (fread(q, 1, 4, f) != 4) {
      fprintf(stderr, "%s: the file ends early\n", path);
      exit(2);
    }
    u = (unsigned)q[0] | (unsigned)q[1] << 8 | (unsigned)q[2] << 16 | (unsigned)q[3] << 24;
    memcpy(&dst[i], &u, 4);
  }
}

static FILE *open_file(const char *path, const char *mode) {
  FILE *f = fopen(path, mode);
  if (!f) {
    fprintf(stderr, "%s: cannot open\n", path);
    exit(2);
  }
  return f;
}

static void expect_end(FILE *f, const char *path) {
  if (fgetc(f) != EOF) {
    fprintf(stderr, "%s: the file is longer than expected\n", path);
    exit(2);
  }
  fclose(f);
}

static void write_floats(FILE *f, const float *src, i64 n) {
  unsigned char q[4];
  i64 i;
  for (i = 0; i < n; i++) {
    unsigned u;
    memcpy(&u, &src[i], 4);
    q[0] = (unsigned char)u;
    q[1] = (unsigned char)(u >> 8);
    q[2] = (unsigned char)(u >> 16);
    q[3] = (unsigned char)(u >> 24);
    fwrite(q, 1, 4, f);
  }
}

static i64 tensor_elements(const Tensor *t) { return (i64)t->c * t->h * t->w; }
`;
}
