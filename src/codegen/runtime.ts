// The part of every generated C program that does not depend on the schedule: the scratchpad's
// bookkeeping (tags, presence, live spans), the copy helpers that count DRAM traffic, the planning pass
// that finds the demands of buffers read by fused producers, and the layer kernels. The schedule itself
// (the loop nests, the buffers' levels, the carving of the scratchpad) is emitted by c.ts.
//
// Demands follow docs/execution-model.md: a buffer read by the segment's last layer demands, at a fill
// event, the hull of the last layer's reads over the tiles of the loops inside the fill level (closed
// form: every window is monotone in the output position, so the hull over a range of positions is the
// window of its first and last non-empty position). A buffer read by a fused producer demands the hull
// of what the producer computes there, which depends on what its own output buffer already holds; the
// planning pass runs the loop nest over that bookkeeping alone, consumer before producer, and records
// every such demand. The executing pass replays the nest and copies or computes exactly the elements of
// each demand that are not present; every count comes from there.

/** Types and constants, before the generated tables. */
export const runtimeTypesC = `#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef long long i64;

enum { KIND_CONV, KIND_POOL, KIND_ELTWISE, KIND_CONCAT, KIND_SLICE, KIND_LRN, KIND_SOFTMAX, KIND_SHUFFLE };
enum { OP_RELU, OP_CLIP, OP_SIGMOID, OP_HARDSIGMOID, OP_HARDSWISH };
enum { ELT_ADD, ELT_MUL, ELT_MAX };
enum { ROLE_INPUT, ROLE_WEIGHTS, ROLE_INTERMEDIATE, ROLE_OUTPUT };

typedef struct { int op; double a, b; } Post;

/* A tensor in DRAM (channels x height x width, row-major); data is NULL for tensors that stay on chip. */
typedef struct { int c, h, w; float *data; } Tensor;

typedef struct {
  int kind, out, nin;
  const int *in;
  int kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, has_bias;
  int pool_max, count_include_pad, elt_op, start, shuffle_groups, lrn_size;
  double lrn_alpha, lrn_beta, lrn_k;
  int npost;
  const Post *post;
  i64 nweights;
  float *w, *bias; /* DRAM: [out channels][in channels per group][kh][kw], [out channels] */
} Layer;

/* What one buffer is, from the schedule and the model (extents are the predicted storage box). */
typedef struct {
  int role, tensor, layer, store, fill, planned;
  int ext[3];
  i64 offset, instance_fills, plan_events;
} BufDesc;

typedef struct { int layer, obuf, wbuf; const int *opbuf; } SegLayerDesc;

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
   positions first..last, and monotone (both ends never decrease). */
typedef struct { int first, last; int *lo, *hi; } Win;

typedef struct { int buf; Win c, y, x; } Operand;

typedef struct {
  int role, tensor, layer, store, fill, planned;
  int ndim, size[3], ext[3], K, bias;
  i64 offset, slots, gstride, instance_fills, plan_events;
  int *mod[3];
  /* index of the last fill that demanded each element (-1: none); present = since the store instance began */
  int *prev;
  int fills, inst_start;
  unsigned char *dirty;
  /* live spans: per dimension, stacks of (fill, hi) with decreasing hi and (fill, lo) with increasing lo */
  int *sidx[3][2], *sval[3][2], stop[3][2];
  int meas[3], ilo[3], ihi[3]; /* measured spans; hull of the store instance's fills so far */
  i64 reads, writes, filled;
  Box *plan;
  i64 plan_n, plan_at;
  Box acc;
} Buf;

typedef struct {
  Layer *L;
  int obuf, wbuf, nop;
  Operand *op;
  Box *hull;
  int ic, ih, iw, red, pgo, K;
  int *tapw; /* convolutions: the taps of one output element inside the input */
  i64 *tapo, macs;
} SegLayer;

typedef struct {
  int index, nbuf, nlayer, last;
  Buf *b;
  SegLayer *l;
  unsigned char *accumulated;
} Seg;
`;

/** The functions; they use the tables the generator emits between the two parts. */
export const runtimeC = String.raw`static i64 conflicts;

static void fail(const char *what) {
  fprintf(stderr, "%s\n", what);
  exit(3);
}

static void *xcalloc(i64 n, i64 size) {
  void *p = calloc((size_t)(n > 0 ? n : 1), (size_t)size);
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
  w->lo = (int *)xcalloc(n, sizeof(int));
  w->hi = (int *)xcalloc(n, sizeof(int));
}

static void win_finish(Win *w, int n) {
  int v, prev_lo = -1, prev_hi = -1;
  w->first = 0;
  w->last = -1;
  for (v = 0; v < n; v++) {
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
  for (v = 0; v < n; v++) {
    int lo = v * s - pad, hi = lo + (k - 1) * d;
    w->lo[v] = lo < 0 ? 0 : lo;
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

/* [v + before, v + after] clipped to [0, size) */
static void win_span(Win *w, int n, int before, int after, int size) {
  int v;
  win_init(w, n);
  for (v = 0; v < n; v++) {
    int lo = v + before, hi = v + after;
    w->lo[v] = lo < 0 ? 0 : lo;
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

static void win_const(Win *w, int n, int lo, int hi) {
  int v;
  win_init(w, n);
  for (v = 0; v < n; v++) {
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
  free(w->lo);
  free(w->hi);
}

static int win_hull(const Win *w, int a, int b, int *lo, int *hi) {
  int s = a > w->first ? a : w->first, e = b - 1 < w->last ? b - 1 : w->last;
  if (s > e) return 0;
  *lo = w->lo[s];
  *hi = w->hi[e];
  return 1;
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
  case KIND_ELTWISE:
    win_span(&o->c, out->c, 0, 0, in->c);
    if (in->h == 1 && in->w == 1) {
      win_const(&o->y, out->h, 0, 0);
      win_const(&o->x, out->w, 0, 0);
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

/* ---- boxes ---- */

static void box_clear(Box *b) {
  int k;
  for (k = 0; k < 3; k++) {
    b->lo[k] = 1;
    b->hi[k] = 0;
  }
}

static int box_empty(const Box *b) { return b->lo[0] > b->hi[0]; }

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

/* What operand o reads for one output element with the whole reduction [0, red). */
static int operand_element(const Operand *o, int c, int y, int x, int red, Box *b) {
  if (c < o->c.first || c > o->c.last || y < o->y.first || y > o->y.last || x < o->x.first || x > o->x.last)
    return 0;
  b->lo[0] = o->c.lo[c];
  b->hi[0] = o->c.hi[c] + red - 1;
  b->lo[1] = o->y.lo[y];
  b->hi[1] = o->y.hi[y];
  b->lo[2] = o->x.lo[x];
  b->hi[2] = o->x.hi[x];
  return 1;
}

/* ---- slots: circular addressing in every dimension of a buffer's box ---- */

static i64 act_slot(const Buf *b, int c, int y, int x) {
  return b->offset + ((i64)b->mod[0][c] * b->ext[1] + b->mod[1][y]) * b->ext[2] + b->mod[2][x];
}

static int act_id(const Buf *b, int c, int y, int x) { return (c * b->size[1] + y) * b->size[2] + x; }

static i64 weight_slot(const Buf *b, int o, int i) {
  return b->offset + b->mod[0][o] * b->gstride + (i < 0 ? (i64)b->ext[1] * b->K : (i64)b->mod[1][i] * b->K);
}

static int weight_tag(const Buf *b, int o, int i, int t) {
  return i < 0 ? b->size[0] * b->size[1] * b->K + o + 1 : (o * b->size[1] + i) * b->K + t + 1;
}

/* Every element of the box must be in its slot: what a computation reads is there. */
static void check_box(const Seg *s, int bi, const Box *d) {
  const Buf *b = &s->b[bi];
  int c, y, x, t;
  if (box_empty(d)) return;
  if (b->role == ROLE_WEIGHTS) {
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++) {
        i64 slot = weight_slot(b, c, y);
        for (t = 0; t < (y < 0 ? 1 : b->K); t++)
          if (tag[slot + t] != weight_tag(b, c, y, t)) conflict(s, bi, c, y, t);
      }
    return;
  }
  for (c = d->lo[0]; c <= d->hi[0]; c++)
    for (y = d->lo[1]; y <= d->hi[1]; y++) {
      i64 row = act_slot(b, c, y, 0);
      int e = act_id(b, c, y, d->lo[2]) + 1;
      for (x = d->lo[2]; x <= d->hi[2]; x++, e++)
        if (tag[row + b->mod[2][x]] != e) conflict(s, bi, c, y, x);
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
  return lo[1] <= hi[1];
}

static void span_fill(Buf *b, const Box *d) {
  int lo[3], hi[3], k;
  if (!counted(b, d, lo, hi)) return;
  for (k = 0; k < b->ndim; k++)
    if (hi[k] - lo[k] + 1 > b->meas[k]) b->meas[k] = hi[k] - lo[k] + 1;
}

static void span_push(Buf *b, const Box *d, int j) {
  int lo[3], hi[3], k;
  if (!counted(b, d, lo, hi)) return;
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

/* Hull of the boxes of the fills after fill p (to now); 0 if none counted. */
static int span_query(const Buf *b, int p, int *qlo, int *qhi) {
  int k, m;
  for (k = 0; k < b->ndim; k++)
    for (m = 0; m < 2; m++) {
      int a = 0, z = b->stop[k][m];
      while (a < z) {
        int mid = (a + z) / 2;
        if (b->sidx[k][m][mid] > p) z = mid;
        else a = mid + 1;
      }
      if (a == b->stop[k][m]) return 0;
      if (m == 0) qhi[k] = b->sval[k][m][a];
      else qlo[k] = b->sval[k][m][a];
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
  int i, k, qlo[3], qhi[3];
  for (i = 0; i < g->n; i++) {
    /* the fills since p lie in the store instance's hull: if even that cannot widen a span, skip */
    for (k = 0; k < b->ndim; k++)
      if (b->ihi[k] - g->lo[i][k] + 1 > b->meas[k] || g->hi[i][k] - b->ilo[k] + 1 > b->meas[k]) break;
    if (k == b->ndim || !span_query(b, g->p[i], qlo, qhi)) continue;
    for (k = 0; k < b->ndim; k++) {
      if (qhi[k] - g->lo[i][k] + 1 > b->meas[k]) b->meas[k] = qhi[k] - g->lo[i][k] + 1;
      if (g->hi[i][k] - qlo[k] + 1 > b->meas[k]) b->meas[k] = g->hi[i][k] - qlo[k] + 1;
    }
  }
  g->n = 0;
}

/* Elements [c, y, xa..xb] (weights: [o, i]) kept since fill p. */
static void kept_add(Buf *b, Kept *g, int p, int c, int y, int xa, int xb) {
  int i;
  for (i = g->n - 1; i >= 0 && g->p[i] != p; i--) {
  }
  if (i < 0) {
    if (g->n == KEPT_GROUPS) kept_resolve(b, g);
    i = g->n++;
    g->p[i] = p;
    g->lo[i][0] = g->hi[i][0] = c;
    g->lo[i][1] = g->hi[i][1] = y;
    g->lo[i][2] = xa;
    g->hi[i][2] = xb;
    return;
  }
  if (c < g->lo[i][0]) g->lo[i][0] = c;
  if (c > g->hi[i][0]) g->hi[i][0] = c;
  if (y < g->lo[i][1]) g->lo[i][1] = y;
  if (y > g->hi[i][1]) g->hi[i][1] = y;
  if (xa < g->lo[i][2]) g->lo[i][2] = xa;
  if (xb > g->hi[i][2]) g->hi[i][2] = xb;
}

/* ---- layer kernels: everything read comes from the scratchpad ---- */

static float act(const Seg *s, int bi, int c, int y, int x) { return scratch[act_slot(&s->b[bi], c, y, x)]; }

static float apply_post(const Layer *L, float v) {
  int i;
  for (i = 0; i < L->npost; i++) {
    const Post *p = &L->post[i];
    double d = v;
    switch (p->op) {
    case OP_RELU: d = d < 0 ? 0 : d; break;
    case OP_CLIP: d = d < p->a ? p->a : d; d = d > p->b ? p->b : d; break;
    case OP_SIGMOID: d = 1.0 / (1.0 + exp(-d)); break;
    case OP_HARDSIGMOID: d = p->a * d + p->b; d = d < 0 ? 0 : (d > 1 ? 1 : d); break;
    default: d = d * (d + 3 < 0 ? 0 : (d + 3 > 6 ? 6 : d + 3)) / 6; break;
    }
    v = (float)d;
  }
  return v;
}

/* The kernel taps of output position (y, x) inside the input: weight index and slot offset within a
   channel of the input buffer. Returns their number. */
static int conv_taps(const Seg *s, const SegLayer *sl, int y, int x) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf];
  const int *my = in->mod[1], *mx = in->mod[2];
  int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl, ky, kx, n = 0;
  for (ky = 0; ky < L->kh; ky++) {
    int iy = y0 + ky * L->dh;
    i64 row;
    if (iy < 0 || iy >= sl->ih) continue;
    row = (i64)my[iy] * in->ext[2];
    for (kx = 0; kx < L->kw; kx++) {
      int ix = x0 + kx * L->dw;
      if (ix < 0 || ix >= sl->iw) continue;
      sl->tapw[n] = ky * L->kw + kx;
      sl->tapo[n++] = row + mx[ix];
    }
  }
  return n;
}

/* Sum over the input channels [r0, r1) of output channel c's group and the n taps of conv_taps; four
   independent partial sums (one chain of additions would wait on every one). */
static double conv_sum(const Seg *s, const SegLayer *sl, int c, int n, int r0, int r1) {
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int *tw = sl->tapw, *mc = in->mod[0] + (c / sl->pgo) * sl->red;
  const i64 *to = sl->tapo, plane = (i64)in->ext[1] * in->ext[2];
  const float *ws = scratch + wb->offset + wb->mod[0][c] * wb->gstride, *is = scratch + in->offset;
  const int *mw = wb->mod[1];
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  int i, t;
  if (n >= 4)
    for (i = r0; i < r1; i++) {
      const float *wk = ws + (i64)mw[i] * wb->K, *ch = is + mc[i] * plane;
      for (t = 0; t + 4 <= n; t += 4) {
        a0 += (double)wk[tw[t]] * ch[to[t]];
        a1 += (double)wk[tw[t + 1]] * ch[to[t + 1]];
        a2 += (double)wk[tw[t + 2]] * ch[to[t + 2]];
        a3 += (double)wk[tw[t + 3]] * ch[to[t + 3]];
      }
      for (; t < n; t++) a0 += (double)wk[tw[t]] * ch[to[t]];
    }
  else
    for (t = 0; t < n; t++) {
      const float *wt = ws + tw[t], *it = is + to[t];
      for (i = r0; i + 4 <= r1; i += 4) {
        a0 += (double)wt[(i64)mw[i] * wb->K] * it[mc[i] * plane];
        a1 += (double)wt[(i64)mw[i + 1] * wb->K] * it[mc[i + 1] * plane];
        a2 += (double)wt[(i64)mw[i + 2] * wb->K] * it[mc[i + 2] * plane];
        a3 += (double)wt[(i64)mw[i + 3] * wb->K] * it[mc[i + 3] * plane];
      }
      for (; i < r1; i++) a0 += (double)wt[(i64)mw[i] * wb->K] * it[mc[i] * plane];
    }
  return (a0 + a1) + (a2 + a3);
}

/* One output element of a layer without reduction tiles (everything but a convolution's partial sums). */
static float element(const Seg *s, const SegLayer *sl, int c, int y, int x) {
  const Layer *L = sl->L;
  int k, j;
  switch (L->kind) {
  case KIND_CONV: {
    double acc = L->has_bias ? scratch[weight_slot(&s->b[sl->wbuf], c, -1)] : 0.0;
    return (float)(acc + conv_sum(s, sl, c, conv_taps(s, sl, y, x), 0, sl->red));
  }
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
  default: {
    int g = L->shuffle_groups, pg = sl->ic / g;
    return act(s, sl->op[0].buf, (c % g) * pg + c / g, y, x);
  }
  }
}

/* ---- copy helpers: every DRAM element moved is counted here ---- */

static void write_back(Buf *b, i64 slot) {
  tensors[b->tensor].data[tag[slot] - 1] = scratch[slot];
  b->writes++;
  b->dirty[slot - b->offset] = 0;
}

static void flush(Buf *b) {
  i64 i;
  for (i = 0; i < b->slots; i++)
    if (b->dirty[i]) write_back(b, b->offset + i);
}

static void bring_in(Seg *s, Buf *b, int c, int y, int x, int e) {
  i64 slot = act_slot(b, c, y, x);
  switch (b->role) {
  case ROLE_INPUT:
    scratch[slot] = tensors[b->tensor].data[e];
    b->reads++;
    break;
  case ROLE_INTERMEDIATE: {
    SegLayer *p = &s->l[b->layer];
    scratch[slot] = apply_post(p->L, element(s, p, c, y, x));
    p->macs += (i64)p->red * p->K;
    break;
  }
  default: /* the output: write back what the slot held, read partial sums back */
    if (b->dirty[slot - b->offset]) write_back(b, slot);
    if (s->accumulated[e]) {
      scratch[slot] = tensors[b->tensor].data[e];
      b->reads++;
    }
    b->dirty[slot - b->offset] = 1;
    break;
  }
  tag[slot] = e + 1;
  b->filled++;
}

/* A producer's reads for the elements of d not yet present must be on chip (checked as their hull). */
static void check_producer(Seg *s, int bi, const Box *d) {
  const Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  Box w, t;
  int c, y, x, k;
  for (k = 0; k < p->nop; k++) box_clear(&p->hull[k]);
  box_clear(&w);
  for (c = d->lo[0]; c <= d->hi[0]; c++)
    for (y = d->lo[1]; y <= d->hi[1]; y++)
      for (x = d->lo[2]; x <= d->hi[2]; x++) {
        if (b->prev[act_id(b, c, y, x)] >= b->inst_start) continue;
        for (k = 0; k < p->nop; k++)
          if (operand_element(&p->op[k], c, y, x, p->red, &t)) box_extend(&p->hull[k], &t);
        if (p->wbuf >= 0) {
          t.lo[0] = t.hi[0] = c;
          t.lo[1] = p->L->has_bias ? -1 : 0;
          t.hi[1] = p->red - 1;
          t.lo[2] = t.hi[2] = 0;
          box_extend(&w, &t);
        }
      }
  for (k = 0; k < p->nop; k++) check_box(s, p->op[k].buf, &p->hull[k]);
  if (p->wbuf >= 0) check_box(s, p->wbuf, &w);
}

/* Makes a demand present: the elements not present are loaded, computed or brought in. */
static void fill(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  Kept g;
  int j = b->fills, c, y, x, t;
  if (box_empty(d)) return;
  if (b->ext[0] == 0) fail("internal: a demand on a buffer without storage");
  g.n = 0;
  span_fill(b, d);
  if (b->role == ROLE_WEIGHTS) {
    const Layer *L = s->l[b->layer].L;
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++) {
        int e = c * (b->size[1] + 1) + y + 1, p = b->prev[e];
        if (p >= b->inst_start) {
          if (y >= 0 && p < j - 1) kept_add(b, &g, p, c, y, 0, 0);
        } else {
          i64 slot = weight_slot(b, c, y);
          if (y < 0) {
            scratch[slot] = L->bias[c];
            tag[slot] = weight_tag(b, c, y, 0);
            b->reads++;
            b->filled++;
          } else
            for (t = 0; t < b->K; t++) {
              scratch[slot + t] = L->w[((i64)c * b->size[1] + y) * b->K + t];
              tag[slot + t] = weight_tag(b, c, y, t);
              b->reads++;
              b->filled++;
            }
        }
        b->prev[e] = j;
      }
  } else {
    if (b->role == ROLE_INTERMEDIATE) check_producer(s, bi, d);
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++) {
        int *prev = b->prev + act_id(b, c, y, 0);
        for (x = d->lo[2]; x <= d->hi[2]; x++) {
          int p = prev[x];
          if (p < b->inst_start)
            bring_in(s, b, c, y, x, act_id(b, c, y, x));
          else if (p < j - 1) {
            int xa = x;
            while (x < d->hi[2] && prev[x + 1] == p) prev[x++] = j;
            kept_add(b, &g, p, c, y, xa, x);
          }
          prev[x] = j;
        }
      }
  }
  kept_resolve(b, &g);
  span_push(b, d, j);
  b->fills++;
}

/* The store level: the buffer starts empty (the output first writes back what it holds). */
static void reset(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  int k;
  if (b->role == ROLE_OUTPUT) flush(b);
  b->inst_start = b->fills;
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
  } else if (b->role == ROLE_WEIGHTS) {
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
  Box d;
  demand_last(s, bi, r, &d);
  fill(s, bi, &d);
}

/* The last layer's computation of one tile for one reduction slice (the innermost level). */
static void compute_last(Seg *s, const Region *r) {
  SegLayer *sl = &s->l[s->last];
  const Layer *L = sl->L;
  Buf *ob = &s->b[sl->obuf];
  Box d;
  int k, c, y, x, first = r->r0 == 0, final = r->r1 == sl->red;
  for (k = 0; k < sl->nop; k++)
    if (operand_region(&sl->op[k], r, &d)) check_box(s, sl->op[k].buf, &d);
  if (sl->wbuf >= 0) {
    demand_last(s, sl->wbuf, r, &d);
    check_box(s, sl->wbuf, &d);
  }
  demand_last(s, sl->obuf, r, &d);
  check_box(s, sl->obuf, &d);
  /* output channels innermost: a convolution's taps depend on the position only */
  for (y = r->y0; y < r->y1; y++)
    for (x = r->x0; x < r->x1; x++) {
      int n = L->kind == KIND_CONV ? conv_taps(s, sl, y, x) : 0;
      for (c = r->c0; c < r->c1; c++) {
        i64 slot = act_slot(ob, c, y, x);
        float v;
        if (L->kind == KIND_CONV) {
          double acc = !first ? scratch[slot] : L->has_bias ? scratch[weight_slot(&s->b[sl->wbuf], c, -1)] : 0.0;
          v = (float)(acc + conv_sum(s, sl, c, n, r->r0, r->r1));
        } else
          v = element(s, sl, c, y, x);
        scratch[slot] = final ? apply_post(L, v) : v;
        s->accumulated[act_id(ob, c, y, x)] = 1;
      }
    }
  sl->macs += (i64)(r->c1 - r->c0) * (r->y1 - r->y0) * (r->x1 - r->x0) * (L->kind == KIND_CONV ? (r->r1 - r->r0) * sl->K : 0);
}

static i64 prev_elements(const Buf *b) {
  return b->role == ROLE_WEIGHTS ? (i64)b->size[0] * (b->size[1] + 1) : (i64)b->size[0] * b->size[1] * b->size[2];
}

/* ---- the planning pass: demands of buffers read by fused producers (only fused segments have them) ---- */

#if PLANNING
static void fill_planned(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  if (b->plan_at >= b->plan_n) fail("internal: the plan has fewer fills than the run");
  fill(s, bi, &b->plan[b->plan_at++]);
}

static void plan_reset(Seg *s, int bi) { s->b[bi].inst_start = s->b[bi].fills; }

static void plan_open(Seg *s, int bi) { box_clear(&s->b[bi].acc); }

/* At the end of a fill event's body: the demand is known; an intermediate's producer computes what is
   not present, and its reads extend the demands of its own buffers. */
static void plan_close(Seg *s, int bi, const Region *r) {
  Buf *b = &s->b[bi];
  SegLayer *p;
  Box d, t;
  int c, y, x, k, j = b->fills;
  if (b->planned) {
    if (b->plan_n >= b->plan_events) fail("internal: more fills than planned");
    d = b->acc;
    b->plan[b->plan_n++] = d;
  } else
    demand_last(s, bi, r, &d);
  if (b->role != ROLE_INTERMEDIATE || box_empty(&d)) return;
  p = &s->l[b->layer];
  for (c = d.lo[0]; c <= d.hi[0]; c++)
    for (y = d.lo[1]; y <= d.hi[1]; y++)
      for (x = d.lo[2]; x <= d.hi[2]; x++) {
        int e = act_id(b, c, y, x);
        if (b->prev[e] < b->inst_start) {
          for (k = 0; k < p->nop; k++)
            if (operand_element(&p->op[k], c, y, x, p->red, &t)) box_extend(&s->b[p->op[k].buf].acc, &t);
          if (p->wbuf >= 0) {
            t.lo[0] = t.hi[0] = c;
            t.lo[1] = p->L->has_bias ? -1 : 0;
            t.hi[1] = p->red - 1;
            t.lo[2] = t.hi[2] = 0;
            box_extend(&s->b[p->wbuf].acc, &t);
          }
        }
        b->prev[e] = j;
      }
  b->fills++;
}

static void plan_done(Seg *s) {
  int i;
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    b->fills = b->inst_start = 0;
    if (b->planned && b->plan_n != b->plan_events) fail("internal: the plan missed fill events");
  }
}
#endif

/* ---- segments ---- */

static void seg_open(Seg *s, const SegDesc *d, int index) {
  int i, k, m;
  i64 total = 0, v;
  s->index = index;
  s->nbuf = d->nbuf;
  s->nlayer = d->nlayer;
  s->last = d->nlayer - 1;
  s->b = (Buf *)xcalloc(d->nbuf, sizeof(Buf));
  s->l = (SegLayer *)xcalloc(d->nlayer, sizeof(SegLayer));
  for (i = 0; i < d->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    Layer *L = &layers[d->layer[i].layer];
    const Tensor *in = &tensors[L->in[0]];
    sl->L = L;
    sl->obuf = d->layer[i].obuf;
    sl->wbuf = d->layer[i].wbuf;
    sl->nop = L->nin;
    sl->ic = in->c;
    sl->ih = in->h;
    sl->iw = in->w;
    sl->red = L->kind == KIND_CONV ? in->c / L->groups : 1;
    sl->pgo = L->kind == KIND_CONV ? tensors[L->out].c / L->groups : 1;
    sl->K = L->kind == KIND_CONV ? L->kh * L->kw : 0;
    sl->tapw = (int *)xcalloc(sl->K, sizeof(int));
    sl->tapo = (i64 *)xcalloc(sl->K, sizeof(i64));
    sl->op = (Operand *)xcalloc(sl->nop, sizeof(Operand));
    sl->hull = (Box *)xcalloc(sl->nop, sizeof(Box));
    for (k = 0; k < sl->nop; k++) {
      sl->op[k].buf = d->layer[i].opbuf[k];
      operand_windows(sl, k);
    }
  }
  for (i = 0; i < d->nbuf; i++) {
    const BufDesc *bd = &d->buf[i];
    Buf *b = &s->b[i];
    b->role = bd->role;
    b->tensor = bd->tensor;
    b->layer = bd->layer;
    b->store = bd->store;
    b->fill = bd->fill;
    b->planned = bd->planned;
    b->offset = bd->offset;
    b->instance_fills = bd->instance_fills;
    b->plan_events = bd->plan_events;
    for (k = 0; k < 3; k++) b->ext[k] = bd->ext[k];
    if (b->role == ROLE_WEIGHTS) {
      const SegLayer *o = &s->l[b->layer];
      b->ndim = 2;
      b->size[0] = tensors[o->L->out].c;
      b->size[1] = o->red;
      b->size[2] = 1;
      b->K = o->K;
      b->bias = o->L->has_bias;
      b->gstride = (i64)b->ext[1] * b->K + b->bias;
      b->slots = b->ext[0] * b->gstride;
    } else {
      const Tensor *t = &tensors[b->tensor];
      b->ndim = 3;
      b->size[0] = t->c;
      b->size[1] = t->h;
      b->size[2] = t->w;
      b->slots = (i64)b->ext[0] * b->ext[1] * b->ext[2];
    }
    for (k = 0; k < b->ndim; k++) {
      /* the stacks are strictly monotone in values -1..size-1 */
      i64 depth = b->instance_fills < b->size[k] + 1 ? b->instance_fills : b->size[k] + 1;
      b->mod[k] = (int *)xcalloc(b->size[k], sizeof(int));
      for (v = 0; v < b->size[k]; v++) b->mod[k][v] = b->ext[k] > 0 ? (int)(v % b->ext[k]) : 0;
      for (m = 0; m < 2; m++) {
        b->sidx[k][m] = (int *)xcalloc(depth, sizeof(int));
        b->sval[k][m] = (int *)xcalloc(depth, sizeof(int));
      }
    }
    b->prev = (int *)xcalloc(prev_elements(b), sizeof(int));
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    if (b->role == ROLE_OUTPUT) {
      b->dirty = (unsigned char *)xcalloc(b->slots, 1);
      s->accumulated = (unsigned char *)xcalloc(prev_elements(b), 1);
    }
    if (b->planned) b->plan = (Box *)xcalloc(b->plan_events, sizeof(Box));
    if (b->offset + b->slots > total) total = b->offset + b->slots;
  }
  if (total > SCRATCH) fail("internal: the buffers do not fit the scratchpad");
  memset(tag, 0, (size_t)total * sizeof(int));
}

static void seg_close(Seg *s) {
  int i, k;
  flush(&s->b[s->l[s->last].obuf]);
  printf("%s{\"buffers\":[", s->index ? "," : "");
  for (i = 0; i < s->nbuf; i++) {
    const Buf *b = &s->b[i];
    printf("%s[%lld,%lld,%lld,[", i ? "," : "", b->reads, b->writes, b->filled);
    for (k = 0; k < b->ndim; k++) printf("%s%d", k ? "," : "", b->meas[k]);
    printf("]]");
  }
  printf("],\"macs\":[");
  for (i = 0; i < s->nlayer; i++) printf("%s%lld", i ? "," : "", s->l[i].macs);
  printf("]}");
  for (i = 0; i < s->nlayer; i++) {
    for (k = 0; k < s->l[i].nop; k++) {
      win_free(&s->l[i].op[k].c);
      win_free(&s->l[i].op[k].y);
      win_free(&s->l[i].op[k].x);
    }
    free(s->l[i].op);
    free(s->l[i].hull);
    free(s->l[i].tapw);
    free(s->l[i].tapo);
  }
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    for (k = 0; k < b->ndim; k++) {
      free(b->mod[k]);
      free(b->sidx[k][0]);
      free(b->sidx[k][1]);
      free(b->sval[k][0]);
      free(b->sval[k][1]);
    }
    free(b->prev);
    free(b->dirty);
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
