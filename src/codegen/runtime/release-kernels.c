// The release build's own convolution kernels: for a convolution reducing over input channels stored
// innermost (fused producers, and a last layer in the dot kernel) where three output channels or more
// are computed together, four output channels (eight under AVX-512) and three neighbouring positions at
// once, eight input channels to a vector (sixteen), so that each input vector serves every output
// channel of the block and each weight vector three positions (the shared conv_row takes one output
// channel); output channels in vector lanes (axpy); depthwise convolutions.

/* ---- post-ops ---- */

/* apply_post on v[0..n) in place; a lone ReLU (most layers that have any) as a loop the compiler
   vectorises, a lone sigmoid in float. */
static void post_run(const Layer *L, float *v, int n) {
  int i;
  if (L->npost == 1 && L->post[0].op == OP_RELU)
    for (i = 0; i < n; i++) v[i] = v[i] < 0 ? 0 : v[i];
  else if (L->npost == 1 && L->post[0].op == OP_CLIP && (float)L->post[0].a == L->post[0].a &&
           (float)L->post[0].b == L->post[0].b) { /* bounds that are floats: the same as in double */
    const float a = (float)L->post[0].a, b = (float)L->post[0].b;
    for (i = 0; i < n; i++) v[i] = v[i] < a ? a : (v[i] > b ? b : v[i]);
  } else if (L->npost == 1 && L->post[0].op == OP_SIGMOID) /* in float: within an ulp or two of double */
    for (i = 0; i < n; i++) v[i] = 1.0f / (1.0f + expf(-v[i]));
  else if (L->npost > 0)
    for (i = 0; i < n; i++) v[i] = apply_post_ops(L, v[i]);
}

/* ---- convolution: blocks of output channels ---- */

#if VECTORS
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4), may_alias)); /* any float address */
#define V8_LOAD(p) (*(const v8u *)(p))
#define V8_STORE(p, v) (*(v8u *)(p) = (v))
/* a += b * c, fused where the target has FMA (ISO C mode leaves GCC's contraction off) */
#if defined(__FMA__) && defined(__AVX__)
#include <immintrin.h>
#define V8_FMA(a, b, c) ((a) = (v8)_mm256_fmadd_ps((__m256)(b), (__m256)(c), (__m256)(a)))
/* keeps a vector in a register: GCC otherwise may load it again for every use (up to two loads a
   multiply-add, more than the load ports sustain) */
#define V8_KEEP(a) __asm__("" : "+x"(a))
#else
#define V8_FMA(a, b, c) ((a) += (b) * (c))
#define V8_KEEP(a) ((void)0)
#endif

/* The vectors conv_block3 reduces in (vr, VR lanes), and the output channels it takes at once
   (CONV_CHANNELS, below). VR_FIRST(p, n) loads the first n < VR elements and zeroes the other lanes
   without touching their memory (AVX's vmaskmov, AVX-512's masked loads), so that a piece's last n mod
   VR elements take one more vector step rather than conv_block_tail's scalar loop (a kernel row of 6
   taps of 6 channels: 36 elements, 4 of them past the last whole vector); undefined without masked
   loads. Under AVX-512: sixteen lanes and eight output channels, 24 sums in its 32 registers, so that
   each input vector (streamed from L2 on VDSR's and VGG-16's layers) serves twice the channels. */
#if defined(__AVX512F__)
typedef float vr __attribute__((vector_size(64)));
typedef float vru __attribute__((vector_size(64), aligned(4), may_alias));
#define VR 16
#define VR_LOAD(p) ((vr)(*(const vru *)(p)))
#define VR_FIRST(p, n) ((vr)_mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), (p)))
#define VR_FMA(a, b, c) ((a) = (vr)_mm512_fmadd_ps((__m512)(b), (__m512)(c), (__m512)(a)))
#define VR_KEEP(a) __asm__("" : "+v"(a))
static float sumr(const vr *v) { return _mm512_reduce_add_ps((__m512)*v); }
#else
typedef v8 vr;
#define VR 8
#define VR_LOAD(p) V8_LOAD(p)
#if defined(__FMA__) && defined(__AVX__)
typedef int v8i __attribute__((vector_size(32)));
#define VR_FIRST(p, n) ((vr)_mm256_maskload_ps((p), (__m256i)((v8i){0, 1, 2, 3, 4, 5, 6, 7} < (n))))
#endif
#define VR_FMA(a, b, c) V8_FMA(a, b, c)
#define VR_KEEP(a) V8_KEEP(a)

static float sumr(const vr *v) {
  const v8 a = *v;
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}
#endif
#endif

/* Output channels conv_block computes at once, at most. */
#if VECTORS && defined(__AVX512F__)
#define CONV_CHANNELS 8
#else
#define CONV_CHANNELS 4
#endif

#if VECTORS
/* Whether a layer's positions are whole kernel rows of contiguous slots: the input buffer holds just the
   reduction's channels at a position and the weights buffer just those per tap, so that the channels of
   neighbouring taps along x are adjacent in both (where the input's columns do not wrap). */
static int row_taps(const Seg *s, const SegLayer *sl) {
  return sl->L->dw == 1 && s->b[sl->op[0].buf].xstep == sl->red && s->b[sl->wbuf].wt == sl->red;
}

/* Whether conv_block applies: input channels innermost, weights [out][tap][in], reductions of 8 or more
   (over the channels, or over a kernel row's taps and channels). */
static int blocked(const Seg *s, const SegLayer *sl) {
  return sl->L->kind == KIND_CONV && sl->mode == CONV_DOT && s->b[sl->op[0].buf].xstep != 1 &&
         (sl->red >= 8 || (row_taps(s, sl) && sl->L->kw * sl->red >= 8));
}

#ifndef VR_FIRST
/* r[q][j] += the products conv_block3's vectors leave out: the last (n mod 8) elements of each piece (targets
   without masked loads). */
static void conv_block_tail(const Seg *s, const SegLayer *sl, const float *const *w, const int *ys, const int *xs,
                            int m, const Piece *p, int np, int kxe, float r[3][CONV_CHANNELS]) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf];
  const float *is = scratch + in->offset;
  const i64 ws = s->b[sl->wbuf].wt;
  int ky, kx, k, i, q, j;
  for (ky = sl->kya[ys[0]]; ky <= sl->kyb[ys[0]]; ky++)
    for (kx = sl->kxa[xs[0]]; kx <= kxe; kx++) {
      const i64 t = (i64)(ky * L->kw + kx) * ws;
      for (q = 0; q < m; q++) {
        const float *u = is + wrapped(in, in->am[1][ys[q] * L->sh - L->pt + ky * L->dh] + in->am[2][xs[q] * L->sw - L->pl + kx * L->dw]);
        for (k = 0; k < np; k++)
          for (i = p[k].n & ~7; i < p[k].n; i++)
            for (j = 0; j < CONV_CHANNELS; j++) r[q][j] += u[p[k].a + i] * w[j][t + p[k].b + i];
      }
    }
}
#endif

/* The products of the weights at ep (one output channel) with the m input vectors g0..g2 of conv_block3's
   step, into that channel's accumulators a0..a2 (one per position). */
#define CONV_OUT(LD, ep, a0, a1, a2)                                                                       \
  do {                                                                                                     \
    vr e = LD(ep + i);                                                                                     \
    VR_KEEP(e);                                                                                            \
    VR_FMA(a0, g0, e);                                                                                     \
    if (M > 1) {                                                                                           \
      VR_FMA(a1, g1, e);                                                                                   \
      VR_FMA(a2, g2, e);                                                                                   \
    }                                                                                                      \
  } while (0)

/* One step of conv_block3's reduction at element i of the current piece: LD(p) loads a vector of it. */
#define CONV_STEP(LD)                                                                                      \
  do {                                                                                                     \
    vr g0 = LD(f0 + i), g1 = g0, g2 = g0;                                                                  \
    VR_KEEP(g0);                                                                                           \
    if (M > 1) {                                                                                           \
      g1 = LD(f1 + i);                                                                                     \
      g2 = LD(f2 + i);                                                                                     \
      VR_KEEP(g1);                                                                                         \
      VR_KEEP(g2);                                                                                         \
    }                                                                                                      \
    CONV_OUT(LD, e0, a00, a10, a20);                                                                       \
    if (N >= 2) CONV_OUT(LD, e1, a01, a11, a21);                                                           \
    if (N >= 4) {                                                                                          \
      CONV_OUT(LD, e2, a02, a12, a22);                                                                     \
      CONV_OUT(LD, e3, a03, a13, a23);                                                                     \
    }                                                                                                      \
    if (N >= 8) {                                                                                          \
      CONV_OUT(LD, e4, a04, a14, a24);                                                                     \
      CONV_OUT(LD, e5, a05, a15, a25);                                                                     \
      CONV_OUT(LD, e6, a06, a16, a26);                                                                     \
      CONV_OUT(LD, e7, a07, a17, a27);                                                                     \
    }                                                                                                      \
  } while (0)
#ifdef VR_FIRST
#define VR_TAIL(p) VR_FIRST(p, rest)
#endif

/* r[q][j] = for output channel j < N (1, 2 or 4; a constant once inlined) of the weight rows w and the m <= M
   positions (ys[q], xs[q]) (M 1 or 3, a constant too), whose kernel taps inside the input are the same, the
   sums over the reduction pieces p of the taps kx up to kxe (the last tap, or the first where p covers a
   whole kernel row); r[q][j] for j >= N or q >= m is not meaningful. Up to twelve sums of VR lanes stay
   in registers over every tap and input channel (each input vector serves N output channels, each weight
   vector M positions; one position alone, as a stream of single columns has, computes no copies of it).
   A piece's last n mod VR elements: one masked step where the target has masked loads (VR_FIRST), else
   conv_block_tail (tail: some piece has them). */
static inline __attribute__((always_inline)) void conv_block3(const int N, const int M, const Seg *s, const SegLayer *sl,
                                                             const float *const *w, const int *ys, const int *xs,
                                                             int m, const Piece *p, int np, int kxe, int tail,
                                                             float r[3][CONV_CHANNELS]) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf];
  const float *is = scratch + in->offset;
  const int *my = in->am[1], *mx = in->am[2], kxa = sl->kxa[xs[0]];
  const int y0 = ys[0] * L->sh - L->pt, y1 = ys[m > 1] * L->sh - L->pt, y2 = ys[m > 2 ? 2 : 0] * L->sh - L->pt;
  const int x0 = xs[0] * L->sw - L->pl, x1 = xs[m > 1] * L->sw - L->pl, x2 = xs[m > 2 ? 2 : 0] * L->sw - L->pl;
  const i64 ws = s->b[sl->wbuf].wt;
  vr a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0}, a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0}, a20 = {0}, a21 = {0},
     a22 = {0}, a23 = {0};
  vr a04 = {0}, a05 = {0}, a06 = {0}, a07 = {0}, a14 = {0}, a15 = {0}, a16 = {0}, a17 = {0}, a24 = {0}, a25 = {0},
     a26 = {0}, a27 = {0};
  int ky, kx, k, i;
  for (ky = sl->kya[ys[0]]; ky <= sl->kyb[ys[0]]; ky++) {
#if MEMSCHED_WITH_RASTER
    /* rows as slot offsets: a raster line buffer's position wraps, once per tap and position */
    const int row0 = my[y0 + ky * L->dh], row1 = my[y1 + ky * L->dh], row2 = my[y2 + ky * L->dh];
#else
    const float *row0 = is + my[y0 + ky * L->dh], *row1 = is + my[y1 + ky * L->dh], *row2 = is + my[y2 + ky * L->dh];
#endif
    for (kx = kxa; kx <= kxe; kx++) {
#if MEMSCHED_WITH_RASTER
      const float *u0 = is + wrapped(in, row0 + mx[x0 + kx * L->dw]), *u1 = is + wrapped(in, row1 + mx[x1 + kx * L->dw]),
                  *u2 = is + wrapped(in, row2 + mx[x2 + kx * L->dw]);
#else
      const float *u0 = row0 + mx[x0 + kx * L->dw], *u1 = row1 + mx[x1 + kx * L->dw], *u2 = row2 + mx[x2 + kx * L->dw];
#endif
      const i64 t = (i64)(ky * L->kw + kx) * ws;
      for (k = 0; k < np; k++) {
        const int len = p[k].n & ~(VR - 1);
        const float *f0 = u0 + p[k].a, *f1 = u1 + p[k].a, *f2 = u2 + p[k].a;
        const float *e0 = w[0] + t + p[k].b, *e1 = w[1] + t + p[k].b, *e2 = w[2] + t + p[k].b, *e3 = w[3] + t + p[k].b;
#if CONV_CHANNELS > 4
        const float *e4 = w[4] + t + p[k].b, *e5 = w[5] + t + p[k].b, *e6 = w[6] + t + p[k].b, *e7 = w[7] + t + p[k].b;
#else /* N is at most 4 */
        const float *e4 = e0, *e5 = e0, *e6 = e0, *e7 = e0;
#endif
        for (i = 0; i < len; i += VR) CONV_STEP(VR_LOAD);
#ifdef VR_FIRST
        if (i < p[k].n) {
          const int rest = p[k].n - i;
          CONV_STEP(VR_TAIL);
        }
#endif
      }
    }
  }
  r[0][0] = sumr(&a00), r[0][1] = sumr(&a01), r[0][2] = sumr(&a02), r[0][3] = sumr(&a03);
  r[1][0] = sumr(&a10), r[1][1] = sumr(&a11), r[1][2] = sumr(&a12), r[1][3] = sumr(&a13);
  r[2][0] = sumr(&a20), r[2][1] = sumr(&a21), r[2][2] = sumr(&a22), r[2][3] = sumr(&a23);
#if CONV_CHANNELS > 4
  if (N >= 8) {
    r[0][4] = sumr(&a04), r[0][5] = sumr(&a05), r[0][6] = sumr(&a06), r[0][7] = sumr(&a07);
    r[1][4] = sumr(&a14), r[1][5] = sumr(&a15), r[1][6] = sumr(&a16), r[1][7] = sumr(&a17);
    r[2][4] = sumr(&a24), r[2][5] = sumr(&a25), r[2][6] = sumr(&a26), r[2][7] = sumr(&a27);
  }
#endif
#ifdef VR_FIRST
  (void)tail;
#else
  if (tail) conv_block_tail(s, sl, w, ys, xs, m, p, np, kxe, r);
#endif
}

/* conv_block3 for n output channels and m positions (5 to 7 channels: 8, the others' sums unused). */
static void conv_block_n(int n, int m, const Seg *s, const SegLayer *sl, const float *const *w, const int *ys,
                         const int *xs, const Piece *p, int np, int kxe, int tail, float r[3][CONV_CHANNELS]) {
  if (m == 1 && n == 1) conv_block3(1, 1, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
  else if (m == 1 && n == 2) conv_block3(2, 1, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
  else if (m == 1 && n <= 4) conv_block3(4, 1, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
#if CONV_CHANNELS > 4
  else if (m == 1) conv_block3(8, 1, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
#endif
  else if (n == 1) conv_block3(1, 3, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
  else if (n == 2) conv_block3(2, 3, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
  else if (n <= 4) conv_block3(4, 3, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
#if CONV_CHANNELS > 4
  else conv_block3(8, 3, s, sl, w, ys, xs, m, p, np, kxe, tail, r);
#endif
}

/* res[j][(y - ya) * (xb - xa + 1) + x - xa] = for output channels o + j (j < n <= 4, one group) and the
   positions of rows ya..yb, columns xa..xb, the sums over the reduction pieces p and the kernel taps
   inside the input. Positions in rows-then-columns order three at a time while their taps are the same
   (so a box one or two columns wide still takes three, from the next rows); a kernel row as one piece
   where its slots are contiguous. */
static void conv_block(const Seg *s, const SegLayer *sl, int o, int n, int ya, int yb, int xa, int xb,
                       const Piece *p, int np, float *const *res) {
  const Layer *L = sl->L;
  const Buf *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  const int rows = np == 1 && p[0].n == sl->red && row_taps(s, sl);
  const float *w[CONV_CHANNELS];
  int ys[3], xs[3], tail = 0, y = ya, x = xa, e = 0, k, q, j, m;
  float r[3][CONV_CHANNELS];
  for (j = 0; j < CONV_CHANNELS; j++) w[j] = scratch + wb->offset + wb->am[0][o + (j < n ? j : 0)];
  for (k = 0; k < np; k++) tail |= p[k].n & 7;
  while (y <= yb) {
    int kxa, kxb, whole = rows;
    for (m = 0; m < 3 && y <= yb; m++) {
      if (m > 0 && (sl->kya[y] != sl->kya[ys[0]] || sl->kyb[y] != sl->kyb[ys[0]] || sl->kxa[x] != sl->kxa[xs[0]] ||
                    sl->kxb[x] != sl->kxb[xs[0]]))
        break;
      ys[m] = y;
      xs[m] = x;
      if (++x > xb) {
        x = xa;
        y++;
      }
    }
    kxa = sl->kxa[xs[0]];
    kxb = sl->kxb[xs[0]];
    for (q = 0; q < m && whole; q++) {
      const int c = xs[q] * L->sw - L->pl;
      whole = in->am[2][c + kxb] - in->am[2][c + kxa] == (kxb - kxa) * in->xstep;
    }
    if (whole) {
      const Piece row = {p[0].a, p[0].b, (kxb - kxa + 1) * p[0].n};
      conv_block_n(n, m, s, sl, w, ys, xs, &row, 1, kxa, row.n & 7, r);
    } else
      conv_block_n(n, m, s, sl, w, ys, xs, p, np, kxb, tail, r);
    for (q = 0; q < m; q++)
      for (j = 0; j < n; j++) res[j][e + q] = r[q][j];
    e += m;
  }
}

/* Output channels o.. computed together by conv_block: at most CONV_CHANNELS, up to c1, within o's group. */
static int channel_block(const SegLayer *sl, int o, int c1) {
  int n = c1 - o, g = (o / sl->pgo + 1) * sl->pgo - o;
  if (n > g) n = g;
  return n < CONV_CHANNELS ? n : CONV_CHANNELS;
}

#endif

/* ---- convolution: output channels innermost, several positions ---- */

/* Positions one axpy_block call takes. */
#define AXPY_POSITIONS 6

#if VECTORS
#define V8_SPLAT(e) ((v8){(e), (e), (e), (e), (e), (e), (e), (e)})
#define V4_SPLAT(e) ((v4){(e), (e), (e), (e)})

/* The vectors of axpy_runs: sixteen lanes under AVX-512 (32 registers: 6 positions x 4 vectors of sums,
   4 weight vectors and a broadcast), else eight (16 registers: 6 x 2 sums, 2 weights, a broadcast). */
#if defined(__AVX512F__)
#include <immintrin.h>
typedef float va __attribute__((vector_size(64)));
typedef float vau __attribute__((vector_size(64), aligned(4), may_alias));
#define VA 16
#define VA_BLOCK 4
#define VA_FMA(a, b, c) ((a) = (va)_mm512_fmadd_ps((__m512)(b), (__m512)(c), (__m512)(a)))
#define VA_SPLAT(e) ((va)_mm512_set1_ps(e))
#define VA_MASKED 1
#define VA_LAST(p, n) ((va)_mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), (p)))
#define VA_STORE_LAST(p, v, n) _mm512_mask_storeu_ps((p), (__mmask16)((1u << (n)) - 1), (__m512)(v))
#else
typedef v8 va;
typedef v8u vau;
#define VA 8
#define VA_BLOCK 2
#define VA_FMA(a, b, c) V8_FMA(a, b, c)
#define VA_SPLAT(e) V8_SPLAT(e)
#endif
#define VA_LOAD(p) ((va)(*(const vau *)(p)))
#define VA_STORE(p, v) (*(vau *)(p) = (v))
#ifndef VA_MASKED
#define VA_LAST(p, n) VA_LOAD(p)
#define VA_STORE_LAST(p, v, n) VA_STORE(p, v)
#endif

/* axpy_run's sums of position q (a##q##v for vector v < V) and the pointer to its input elements. */
#define AXPY_SUMS(q)                                                                                       \
  va a##q##0 = {0}, a##q##1 = {0}, a##q##2 = {0}, a##q##3 = {0};                                           \
  const float *x##q = is
#define AXPY_LOAD(q)                                                                                       \
  if (Q > q) {                                                                                             \
    float *p = out[q] + o;                                                                                 \
    a##q##0 = V > 1 ? VA_LOAD(p) : VA_LAST(p, last);                                                       \
    if (V > 1) a##q##1 = V > 2 ? VA_LOAD(p + VA) : VA_LAST(p + VA, last);                                  \
    if (V > 2) a##q##2 = V > 3 ? VA_LOAD(p + 2 * VA) : VA_LAST(p + 2 * VA, last);                          \
    if (V > 3) a##q##3 = VA_LAST(p + 3 * VA, last);                                                        \
  }
#define AXPY_TAP(q)                                                                                        \
  if (Q > q) x##q = is + tin[q * n + t] + i0
#define AXPY_FMA(q)                                                                                        \
  if (Q > q) {                                                                                             \
    const va b = VA_SPLAT(x##q[i]);                                                                        \
    VA_FMA(a##q##0, b, e0);                                                                                \
    if (V > 1) VA_FMA(a##q##1, b, e1);                                                                     \
    if (V > 2) VA_FMA(a##q##2, b, e2);                                                                     \
    if (V > 3) VA_FMA(a##q##3, b, e3);                                                                     \
  }
#define AXPY_STORE(q)                                                                                      \
  if (Q > q) {                                                                                             \
    float *p = out[q] + o;                                                                                 \
    if (V > 1) VA_STORE(p, a##q##0);                                                                       \
    else VA_STORE_LAST(p, a##q##0, last);                                                                  \
    if (V > 2) VA_STORE(p + VA, a##q##1);                                                                  \
    else if (V == 2) VA_STORE_LAST(p + VA, a##q##1, last);                                                 \
    if (V > 3) VA_STORE(p + 2 * VA, a##q##2);                                                              \
    else if (V == 3) VA_STORE_LAST(p + 2 * VA, a##q##2, last);                                             \
    if (V == 4) VA_STORE_LAST(p + 3 * VA, a##q##3, last);                                                  \
  }

/* V vectors of output channels from o for Q <= 6 positions (V <= VA_BLOCK and Q constants once inlined:
   the sums are registers), where the input channels have adjacent slots and their weight rows a constant
   stride wstep (the usual case: no wrap in either buffer): pointers step through them, no slot table is
   read in the loop. The last vector holds `last` channels (masked under AVX-512; VA otherwise). */
static inline __attribute__((always_inline)) void axpy_run(const int Q, const int V, float *const *out, int o,
                                                           const float *is, const float *ws, const i64 *tin,
                                                           const i64 *twt, int n, i64 i0, i64 w0, i64 wstep,
                                                           int count, int last) {
  int t, i;
  AXPY_SUMS(0);
  AXPY_SUMS(1);
  AXPY_SUMS(2);
  AXPY_SUMS(3);
  AXPY_SUMS(4);
  AXPY_SUMS(5);
  (void)last;
  AXPY_LOAD(0) AXPY_LOAD(1) AXPY_LOAD(2) AXPY_LOAD(3) AXPY_LOAD(4) AXPY_LOAD(5)
  for (t = 0; t < n; t++) {
    const float *w = ws + twt[t] + w0 + o;
    AXPY_TAP(0);
    AXPY_TAP(1);
    AXPY_TAP(2);
    AXPY_TAP(3);
    AXPY_TAP(4);
    AXPY_TAP(5);
    for (i = 0; i < count; i++, w += wstep) {
      const va e0 = V > 1 ? VA_LOAD(w) : VA_LAST(w, last);
      const va e1 = V > 2 ? VA_LOAD(w + VA) : V == 2 ? VA_LAST(w + VA, last) : e0;
      const va e2 = V > 3 ? VA_LOAD(w + 2 * VA) : V == 3 ? VA_LAST(w + 2 * VA, last) : e0;
      const va e3 = V == 4 ? VA_LAST(w + 3 * VA, last) : e0;
      AXPY_FMA(0) AXPY_FMA(1) AXPY_FMA(2) AXPY_FMA(3) AXPY_FMA(4) AXPY_FMA(5)
    }
  }
  AXPY_STORE(0) AXPY_STORE(1) AXPY_STORE(2) AXPY_STORE(3) AXPY_STORE(4) AXPY_STORE(5)
}

/* axpy_run over the output channels [0, len): blocks of VA_BLOCK vectors, then the rest in one block (its
   last vector masked under AVX-512; whole vectors only otherwise). Returns the output channels done. */
static inline __attribute__((always_inline)) int axpy_runs(const int Q, float *const *out, const float *is,
                                                           const float *ws, const i64 *tin, const i64 *twt, int n,
                                                           i64 i0, i64 w0, i64 wstep, int count, int len) {
  int o = 0, rest, nv;
  for (; o + VA * VA_BLOCK <= len; o += VA * VA_BLOCK)
    axpy_run(Q, VA_BLOCK, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, VA);
  rest = len - o;
#ifdef VA_MASKED
  nv = (rest + VA - 1) / VA;
#else
  nv = rest / VA;
#endif
  if (nv == 0) return o;
  rest = rest - (nv - 1) * VA < VA ? rest - (nv - 1) * VA : VA;
  switch (nv) {
  case 1: axpy_run(Q, 1, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest); break;
#if VA_BLOCK > 2
  case 2: axpy_run(Q, 2, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest); break;
  case 3: axpy_run(Q, 3, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest); break;
  default: axpy_run(Q, VA_BLOCK, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest); break;
#endif
  }
  return o + (nv - 1) * VA + rest;
}

/* axpy_block for Q positions (a constant once inlined, so the sums are registers): sixteen output
   channels at a time (Q = 6: twelve sums, two weight vectors and a broadcast input), then eight, then
   the last eight again for what is left (or four, under eight channels). Returns the output channels
   done. */
static inline __attribute__((always_inline)) int axpy_vectors(const int Q, float *const *out, const float *is,
                                                              const float *ws, const i64 *tin, const i64 *twt,
                                                              int n, const int *mi, const int *mw, int r0, int r1,
                                                              int len) {
  int o = 0, t, i, q;
  if (r1 - r0 > 1 && mi[r1 - 1] - mi[r0] == r1 - 1 - r0 &&
      mw[r1 - 1] - mw[r0] == (i64)(r1 - 1 - r0) * (mw[r0 + 1] - mw[r0]))
    o = axpy_runs(Q, out, is, ws, tin, twt, n, mi[r0], mw[r0], mw[r0 + 1] - mw[r0], r1 - r0, len);
  for (; o + 16 <= len; o += 16) {
    v8 a[AXPY_POSITIONS][2];
    for (q = 0; q < Q; q++) {
      a[q][0] = V8_LOAD(out[q] + o);
      a[q][1] = V8_LOAD(out[q] + o + 8);
    }
    for (t = 0; t < n; t++) {
      const float *w = ws + twt[t] + o;
      for (i = r0; i < r1; i++) {
        const v8 w0 = V8_LOAD(w + mw[i]), w1 = V8_LOAD(w + mw[i] + 8);
        for (q = 0; q < Q; q++) {
          const v8 e = V8_SPLAT(is[tin[q * n + t] + mi[i]]);
          V8_FMA(a[q][0], e, w0);
          V8_FMA(a[q][1], e, w1);
        }
      }
    }
    for (q = 0; q < Q; q++) {
      V8_STORE(out[q] + o, a[q][0]);
      V8_STORE(out[q] + o + 8, a[q][1]);
    }
  }
  for (; o + 8 <= len; o += 8) {
    v8 a[AXPY_POSITIONS];
    for (q = 0; q < Q; q++) a[q] = V8_LOAD(out[q] + o);
    for (t = 0; t < n; t++) {
      const float *w = ws + twt[t] + o;
      for (i = r0; i < r1; i++) {
        const v8 w0 = V8_LOAD(w + mw[i]);
        for (q = 0; q < Q; q++) V8_FMA(a[q], V8_SPLAT(is[tin[q * n + t] + mi[i]]), w0);
      }
    }
    for (q = 0; q < Q; q++) V8_STORE(out[q] + o, a[q]);
  }
  if (o < len && len >= 8) { /* the last eight channels, adding only the lanes past o */
    const int b = len - 8;
    v8 a[AXPY_POSITIONS];
    for (q = 0; q < Q; q++) a[q] = (v8){0, 0, 0, 0, 0, 0, 0, 0};
    for (t = 0; t < n; t++) {
      const float *w = ws + twt[t] + b;
      for (i = r0; i < r1; i++) {
        const v8 w0 = V8_LOAD(w + mw[i]);
        for (q = 0; q < Q; q++) V8_FMA(a[q], V8_SPLAT(is[tin[q * n + t] + mi[i]]), w0);
      }
    }
    for (q = 0; q < Q; q++)
      for (i = o - b; i < 8; i++) out[q][b + i] += a[q][i];
    o = len;
  }
  for (; o + 4 <= len; o += 4) {
    v4 a[AXPY_POSITIONS];
    for (q = 0; q < Q; q++) a[q] = V4_LOAD(out[q] + o);
    for (t = 0; t < n; t++) {
      const float *w = ws + twt[t] + o;
      for (i = r0; i < r1; i++) {
        const v4 w0 = V4_LOAD(w + mw[i]);
        for (q = 0; q < Q; q++) a[q] += V4_SPLAT(is[tin[q * n + t] + mi[i]]) * w0;
      }
    }
    for (q = 0; q < Q; q++) V4_STORE(out[q] + o, a[q]);
  }
  return o;
}
#endif

/* out[q][0..len) (q < m <= AXPY_POSITIONS) += the products of position q's n taps' input elements (slots
   tin[q * n + t] + mi[i]) and their weights (ws + twt[t] + mw[i], contiguous over the output channels) for
   the input channels [r0, r1): each weight vector loaded serves every position, and the partial sums
   stay in registers over every tap and input channel. */
static void axpy_block(float *const *out, int m, const float *is, const float *ws, const i64 *tin, const i64 *twt,
                       int n, const int *mi, const int *mw, int r0, int r1, int len) {
  int o = 0, t, i, q;
#if VECTORS
  switch (m) {
  case 6: o = axpy_vectors(6, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  case 5: o = axpy_vectors(5, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  case 4: o = axpy_vectors(4, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  case 3: o = axpy_vectors(3, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  case 2: o = axpy_vectors(2, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  default: o = axpy_vectors(1, out, is, ws, tin, twt, n, mi, mw, r0, r1, len); break;
  }
#endif
  for (; o < len; o++)
    for (q = 0; q < m; q++) {
      float a = out[q][o];
      for (t = 0; t < n; t++)
        for (i = r0; i < r1; i++) a += is[tin[q * n + t] + mi[i]] * ws[twt[t] + o + mw[i]];
      out[q][o] = a;
    }
}

/* ---- depthwise convolution: channels in vectors ---- */

#if VECTORS && FUSED
/* Taps dw_row keeps in registers, at most. */
#define DW_TAPS 25

/* Whether dw_row applies: each output channel reads its own input channel, channels innermost. */
static int depthwise(const Seg *s, const SegLayer *sl) {
  return sl->L->kind == KIND_CONV && sl->mode == CONV_DOT && sl->red == 1 && sl->pgo == 1 &&
         s->b[sl->op[0].buf].xstep != 1 && sl->K <= DW_TAPS;
}

/* Whether channels c..c + 7 have adjacent slots in the layer's input and in its output buffer b. */
static int depthwise_slots(const Seg *s, const SegLayer *sl, const Buf *b, int c) {
  const Buf *in = &s->b[sl->op[0].buf];
  return in->am[0][c + 7] == in->am[0][c] + 7 && b->am[0][c + 7] == b->am[0][c] + 7;
}

/* The rows (c + l, y) for l < 8, columns xa..xb, of the depthwise layer's output buffer b: the eight
   channels' weights gathered into vectors once, then per position one multiply-add a tap. */
static void dw_row(const Seg *s, const SegLayer *sl, Buf *b, int c, int y, int xa, int xb) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int y0 = y * L->sh - L->pt, kya = sl->kya[y], kyb = sl->kyb[y], *mx = in->am[2];
  const float *is = scratch + in->offset + in->am[0][c];
  float *out = scratch + b->offset + b->am[0][c];
  v8 w[DW_TAPS], bias = {0, 0, 0, 0, 0, 0, 0, 0};
  float v[8];
  int t, l, x, ky, kx;
  for (l = 0; l < 8; l++) {
    const float *wl = scratch + wb->offset + wb->am[0][c + l] + wb->am[1][0];
    for (t = 0; t < sl->K; t++) w[t][l] = wl[(i64)t * wb->wt];
    bias[l] = bias_of(L, wb, c + l);
  }
  for (x = xa; x <= xb; x++) {
    const int x0 = x * L->sw - L->pl, kxa = sl->kxa[x], kxb = sl->kxb[x];
    v8 a = {0, 0, 0, 0, 0, 0, 0, 0};
    for (ky = kya; ky <= kyb; ky++) {
      const int row = in->am[1][y0 + ky * L->dh];
      for (kx = kxa; kx <= kxb; kx++) V8_FMA(a, V8_LOAD(is + wrapped(in, row + mx[x0 + kx * L->dw])), w[ky * L->kw + kx]);
    }
    V8_STORE(v, a + bias);
    post_run(L, v, 8);
    memcpy(out + wrapped(b, b->am[1][y] + b->am[2][x]), v, sizeof v);
  }
}
#endif
