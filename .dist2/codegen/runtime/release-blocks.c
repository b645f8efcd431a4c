// The release build's convolution kernels around the dot kernel (release-dot.c): blocks of output
// channels and positions, output channels in vector lanes (axpy), depthwise convolutions.

#if VECTORS
/* Whether conv_block takes sixteen lanes and eight output channels (dot16) for the layer: under
   AVX-512, for outputs of 256 products or more. */
static int dot_wide(const SegLayer *sl) {
#if defined(__AVX512F__)
  return (i64)sl->red * sl->K >= 256;
#else
  (void)sl;
  return 0;
#endif
}

/* The dot kernel for n output channels and m positions (5 to 7 channels: 8, the others' sums unused; 3:
   4, but for three positions in sixteen lanes: VGG-16's first layers take 3 output channels a tile; one
   and two channels their own: VGG-16's conv5_1 at 256 KiB takes one a tile, 45 -> 31 ms in 4 lanes). */
static inline __attribute__((always_inline)) void conv_block_n(int n, int m, const Seg *s, const SegLayer *sl, const float *const *w, const int *ys,
                         const int *xs, const Piece *p, int np, int kxe, float r[3][CONV_CHANNELS]) {
#if defined(__AVX512F__)
  if (dot_wide(sl)) {
    if (m == 1 && n == 1) dot16(1, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (m == 1 && n <= 4) dot16(4, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (m == 1) dot16(8, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (n == 1) dot16(1, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (n == 2) dot16(2, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (n == 3) dot16(3, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (n <= 4) dot16(4, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    else if (n <= 6) dot16(6, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    else dot16(8, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
    return;
  }
#endif
  if (m == 1 && n == 1) dot8(1, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
  else if (m == 1 && n == 2) dot8(2, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
  else if (m == 1) dot8(4, 1, s, sl, w, ys, xs, m, p, np, kxe, r);
  else if (n == 1) dot8(1, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
  else if (n == 2) dot8(2, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
  else dot8(4, 3, s, sl, w, ys, xs, m, p, np, kxe, r);
}

/* res[j][(y - ya) * (xb - xa + 1) + x - xa] = for output channels o + j (j < n, channel_block's, one group) and the
   positions of rows ya..yb, columns xa..xb, the sums over the reduction pieces p and the kernel taps
   inside the input. Positions in rows-then-columns order three at a time while their taps are the same
   (a box one or two columns wide: columns then rows, three from the next rows); a kernel row as one piece
   where its slots are contiguous (VGG-16's conv5_1 at 256 KiB, a reduction tile of half the channels:
   31 -> 29.5 ms). With `direct` (a whole reduction, channels o..o + n - 1 adjacent in
   that buffer: direct_slots), not into res: the finished outputs, bias added and post-ops applied,
   straight into their slots of `direct`, a position's channels one run (no rows of channels to scatter
   afterwards). */
static void conv_block(const Seg *s, const SegLayer *sl, int o, int n, int ya, int yb, int xa, int xb,
                       const Piece *p, int np, float *const *res, const Buf *direct) {
  const Layer *L = sl->L;
  const Buf *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  /* a kernel row one run where the piece is all the input holds at a position and a weights tap holds */
  const int rows = np == 1 && L->dw == 1 && p[0].n == in->xstep && wb->wt == p[0].n;
  /* a box of one or two columns in columns (then rows): the blocks' kernel rows then wrap around a
     circular input's columns alike (VGG-16's first layers, 4 columns held: mixed, 95 % of blocks took
     their taps one by one) */
  const int narrow = xb - xa < 2, w_box = xb - xa + 1;
  const float *w[CONV_CHANNELS];
  int ys[3], xs[3], y = ya, x = xa, q, j, m;
  const int relu = L->npost == 1 && L->post[0].op == OP_RELU; /* (inline: a call per position showed) */
  float r[3][CONV_CHANNELS], bias[CONV_CHANNELS];
  for (j = 0; j < CONV_CHANNELS; j++) w[j] = scratch + wb->offset + wb->am[0][o + (j < n ? j : 0)];
  for (j = 0; direct && j < n; j++) bias[j] = bias_of(L, wb, o + j);
  while (y <= yb && x <= xb) {
    int kxa, kxb, whole = rows;
    for (m = 0; m < 3 && y <= yb && x <= xb; m++) {
      if (m > 0 && !same_taps(sl, ys[0], xs[0], y, x)) break;
      ys[m] = y;
      xs[m] = x;
      if (narrow) {
        if (++y > yb && x < xb) {
          y = ya;
          x++;
        }
      } else if (++x > xb) {
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
      conv_block_n(n, m, s, sl, w, ys, xs, &row, 1, kxa, r);
    } else
      conv_block_n(n, m, s, sl, w, ys, xs, p, np, kxb, r);
    if (direct)
      for (q = 0; q < m; q++) {
        float *out = scratch + direct->offset + wrapped(direct, direct->am[1][ys[q]] + direct->am[2][xs[q]]) +
                     direct->am[0][o];
        if (relu)
          for (j = 0; j < n; j++) out[j] = r[q][j] + bias[j] < 0 ? 0 : r[q][j] + bias[j];
        else {
          for (j = 0; j < n; j++) out[j] = r[q][j] + bias[j];
          post_run(L, out, n);
        }
      }
    else
      for (q = 0; q < m; q++)
        for (j = 0; j < n; j++) res[j][(ys[q] - ya) * w_box + xs[q] - xa] = r[q][j];
  }
}

/* Whether conv_block may write channels o..o + n - 1 of activation buffer b directly: adjacent slots
   at every position (channels innermost, no wrap among them; not a raster line buffer). */
static int direct_slots(const Buf *b, int o, int n) {
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) return 0;
#endif
  return b->xstep != 1 && b->am[0][o + n - 1] == b->am[0][o] + n - 1;
}

/* Output channels o.. computed together by conv_block: at most 8 (dot16) or 4 (dot8), up to c1, within
   o's group. */
static int channel_block(const SegLayer *sl, int o, int c1) {
  const int most = dot_wide(sl) ? 8 : 4;
  int n = c1 - o, g = (o / sl->pgo + 1) * sl->pgo - o;
  if (n > g) n = g;
  return n < most ? n : most;
}

#endif

/* ---- convolution: output channels innermost, several positions ---- */

/* Positions one axpy_block call takes. */
#define AXPY_POSITIONS 6

#if VECTORS
#define V4_SPLAT(e) ((v4){(e), (e), (e), (e)})

/* The vectors of axpy_runs: sixteen lanes under AVX-512 (32 registers: 6 positions x 4 vectors of sums,
   4 weight vectors and a broadcast), else eight (16 registers: 6 x 2 sums, 2 weights, a broadcast). */
#if defined(__AVX512F__)
typedef v16 va;
typedef v16u vau;
#define VA 16
#define VA_BLOCK 4
#define VA_FMA(a, b, c) V16_FMA(a, b, c)
#define VA_SPLAT(e) ((va)_mm512_set1_ps(e))
#define VA_MASKED 1
#define VA_LAST(p, n) V16_FIRST(p, n)
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
    const float *p = (init ? init : out[q]) + o;                                                           \
    a##q##0 = V > 1 ? VA_LOAD(p) : VA_LAST(p, last);                                                       \
    if (V > 1) a##q##1 = V > 2 ? VA_LOAD(p + VA) : VA_LAST(p + VA, last);                                  \
    if (V > 2) a##q##2 = V > 3 ? VA_LOAD(p + 2 * VA) : VA_LAST(p + 2 * VA, last);                          \
    if (V > 3) a##q##3 = VA_LAST(p + 3 * VA, last);                                                        \
  }
#define AXPY_TAP(q)                                                                                        \
  if (Q > q) x##q = is + tin[q * n + t] + i0
#define AXPY_FMA(q)                                                                                        \
  if (Q > q) {                                                                                             \
    const va b = VA_SPLAT(*x##q);                                                                          \
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
   read in the loop. The last vector holds `last` channels (masked under AVX-512; VA otherwise). The sums
   start from out's, or from init's where given (the biases, or zeros). */
static inline __attribute__((always_inline)) void axpy_run(const int Q, const int V, float *const *out, int o,
                                                           const float *is, const float *ws, const i64 *tin,
                                                           const i64 *twt, int n, i64 i0, i64 w0, i64 wstep,
                                                           int count, int last, const float *init) {
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
    /* (the inputs' pointers stepped, not indexed by i: GCC then keeps the loop's values in registers; indexed,
       the traffic detector's three-position loop reloaded three of them from the stack every step: -4.5 %) */
    for (i = 0; i < count; i++, w += wstep) {
      const va e0 = V > 1 ? VA_LOAD(w) : VA_LAST(w, last);
      const va e1 = V > 2 ? VA_LOAD(w + VA) : V == 2 ? VA_LAST(w + VA, last) : e0;
      const va e2 = V > 3 ? VA_LOAD(w + 2 * VA) : V == 3 ? VA_LAST(w + 2 * VA, last) : e0;
      const va e3 = V == 4 ? VA_LAST(w + 3 * VA, last) : e0;
      AXPY_FMA(0) AXPY_FMA(1) AXPY_FMA(2) AXPY_FMA(3) AXPY_FMA(4) AXPY_FMA(5)
      x0++, x1++, x2++, x3++, x4++, x5++;
    }
  }
  AXPY_STORE(0) AXPY_STORE(1) AXPY_STORE(2) AXPY_STORE(3) AXPY_STORE(4) AXPY_STORE(5)
}

/* axpy_run over the output channels [0, len): blocks of VA_BLOCK vectors, then the rest in one block (its
   last vector masked under AVX-512; whole vectors only otherwise). Returns the output channels done. */
static inline __attribute__((always_inline)) int axpy_runs(const int Q, float *const *out, const float *is,
                                                           const float *ws, const i64 *tin, const i64 *twt, int n,
                                                           i64 i0, i64 w0, i64 wstep, int count, int len,
                                                           const float *init) {
  int o = 0, rest, nv;
  for (; o + VA * VA_BLOCK <= len; o += VA * VA_BLOCK)
    axpy_run(Q, VA_BLOCK, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, VA, init);
  rest = len - o;
#ifdef VA_MASKED
  nv = (rest + VA - 1) / VA;
#else
  nv = rest / VA;
#endif
  if (nv == 0) return o;
  rest = rest - (nv - 1) * VA < VA ? rest - (nv - 1) * VA : VA;
  switch (nv) {
  case 1: axpy_run(Q, 1, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest, init); break;
#if VA_BLOCK > 2
  case 2: axpy_run(Q, 2, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest, init); break;
  case 3: axpy_run(Q, 3, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest, init); break;
  default: axpy_run(Q, VA_BLOCK, out, o, is, ws, tin, twt, n, i0, w0, wstep, count, rest, init); break;
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
                                                              int len, const float *init) {
  int o = 0, t, i, q;
  /* (a single input channel is a run too: VGG-16's fc6 at 256 KiB reduces one channel's 49 taps a step) */
  if (r1 - r0 == 1)
    o = axpy_runs(Q, out, is, ws, tin, twt, n, mi[r0], mw[r0], 0, 1, len, init);
  else if (r1 - r0 > 1 && mi[r1 - 1] - mi[r0] == r1 - 1 - r0 &&
           mw[r1 - 1] - mw[r0] == (i64)(r1 - 1 - r0) * (mw[r0 + 1] - mw[r0]))
    o = axpy_runs(Q, out, is, ws, tin, twt, n, mi[r0], mw[r0], mw[r0 + 1] - mw[r0], r1 - r0, len, init);
  for (; o + 16 <= len; o += 16) {
    v8 a[AXPY_POSITIONS][2];
    for (q = 0; q < Q; q++) {
      a[q][0] = V8_LOAD((init ? init : out[q]) + o);
      a[q][1] = V8_LOAD((init ? init : out[q]) + o + 8);
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
    for (q = 0; q < Q; q++) a[q] = V8_LOAD((init ? init : out[q]) + o);
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
      for (i = o - b; i < 8; i++) out[q][b + i] = (init ? init[b + i] : out[q][b + i]) + a[q][i];
    o = len;
  }
  for (; o + 4 <= len; o += 4) {
    v4 a[AXPY_POSITIONS];
    for (q = 0; q < Q; q++) a[q] = V4_LOAD((init ? init : out[q]) + o);
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
   stay in registers over every tap and input channel. Where init is given, out[q][0..len) = init[0..len) +
   the products instead (a reduction's first slice: the biases, or zeros). */
static void axpy_block(float *const *out, int m, const float *is, const float *ws, const i64 *tin, const i64 *twt,
                       int n, const int *mi, const int *mw, int r0, int r1, int len, const float *init) {
  int o = 0, t, i, q;
#if VECTORS
  switch (m) {
  case 6: o = axpy_vectors(6, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  case 5: o = axpy_vectors(5, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  case 4: o = axpy_vectors(4, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  case 3: o = axpy_vectors(3, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  case 2: o = axpy_vectors(2, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  default: o = axpy_vectors(1, out, is, ws, tin, twt, n, mi, mw, r0, r1, len, init); break;
  }
#endif
  for (; o < len; o++)
    for (q = 0; q < m; q++) {
      float a = init ? init[o] : out[q][o];
      for (t = 0; t < n; t++)
        for (i = r0; i < r1; i++) a += is[tin[q * n + t] + mi[i]] * ws[twt[t] + o + mw[i]];
      out[q][o] = a;
    }
}

/* ---- depthwise convolution: channels in vectors ---- */

#if VECTORS && FUSED
/* Taps of the kernels dw_box takes, at most (its tables per position). */
#define DW_TAPS 49

/* Whether dw_box applies, and how: 1 for a depthwise convolution (each output channel reads its own
   input channel, channels innermost), 2 for one reading a single input channel (the traffic detector's
   first layer); weights [tap][out] in either case (tap_major). */
static int channel_rows(const Seg *s, const SegLayer *sl) {
  const Layer *L = sl->L;
  if (L->kind != KIND_CONV || sl->mode != CONV_DOT || sl->red != 1 || sl->K > DW_TAPS || !sl->taps)
    return 0;
  if (sl->pgo == 1 && s->b[sl->op[0].buf].xstep != 1) return 1;
  return L->groups == 1 ? 2 : 0;
}

/* How many of the channels c.. (at most n) have adjacent slots in the layer's weights, its output buffer
   b and, where each reads its own (not `shared`), its input: up to the first wrap; 0 where c and c + 1
   are not adjacent in one of them. */
static int adjacent_channels(const Seg *s, const SegLayer *sl, const Buf *b, int c, int n, int shared) {
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  if (wb->ext[0] - wb->am[0][c] < n) n = wb->ext[0] - wb->am[0][c];
  if (b->ext[0] - b->am[0][c] < n) n = b->ext[0] - b->am[0][c];
  if (!shared && in->ext[0] - in->am[0][c] < n) n = in->ext[0] - in->am[0][c];
  if (n < 1 || wb->am[0][c + n - 1] != wb->am[0][c] + n - 1 || b->am[0][c + n - 1] != b->am[0][c] + n - 1 ||
      (!shared && in->am[0][c + n - 1] != in->am[0][c] + n - 1))
    return 0;
  return n;
}

/* Positions dw_box takes at once, at most: each weight vector loaded serves all of them; and, reading a
   single input channel under AVX-512, in the lanes of a vector (grid_lanes). */
#define DW_POSITIONS 4
#define DW_LANES 16

/* One block of dw_box's work: the input elements of the first position's taps at is + off[t] (position
   q's at + dq[q]), the taps' weights at ws + wo[t], the bias (or none), and the layer's post-op where it
   is applied on the vectors: 1 a clamp to [lo, hi] (a lone ReLU, or a clip to float bounds: MobileNetV2's
   ReLU6), 2 a lone sigmoid. */
typedef struct {
  const float *is, *ws, *bias;
  const i64 *off, *wo;
  i64 dq[DW_POSITIONS];
  int k, post;
  v8 lo, hi;
} DwBlock;

/* The channels g..g + m (m <= 8, the lanes past m masked off) of P positions (a constant once inlined:
   the sums are registers), their own input channels' elements or (SHARED) the one input channel's. */
static inline __attribute__((always_inline)) void dw_positions(const int P, const int SHARED, const DwBlock *d, int g,
                                                               int m, float *const *o) {
  v8 a[DW_POSITIONS], b = {0, 0, 0, 0, 0, 0, 0, 0}, w;
  int q, t;
  if (d->bias && m == 8) b = V8_LOAD(d->bias + g);
  else if (d->bias) b = V8_FIRST(d->bias + g, m);
  for (q = 0; q < P; q++) a[q] = b;
  for (t = 0; t < d->k; t++) {
    const float *x = d->is + d->off[t];
    if (m == 8) w = V8_LOAD(d->ws + d->wo[t] + g);
    else w = V8_FIRST(d->ws + d->wo[t] + g, m);
    for (q = 0; q < P; q++)
      if (SHARED) V8_FMA(a[q], V8_SPLAT(x[d->dq[q]]), w);
      else if (m == 8) V8_FMA(a[q], V8_LOAD(x + d->dq[q] + g), w);
      else V8_FMA(a[q], V8_FIRST(x + d->dq[q] + g, m), w);
  }
  for (q = 0; q < P; q++) {
    if (d->post == 1) {
      a[q] = V8_SELECT(a[q] < d->lo, d->lo, a[q]);
      a[q] = V8_SELECT(a[q] > d->hi, d->hi, a[q]);
    }
    if (m == 8) {
      V8_STORE(o[q] + g, a[q]);
      if (d->post == 2) sigmoid8(o[q] + g);
    } else if (d->post == 2) { /* (sigmoid8 works in memory: a function taking a vector changes the ABI) */
      float last[8];
      V8_STORE(last, a[q]);
      sigmoid8(last);
      V8_STORE_FIRST(o[q] + g, V8_LOAD(last), m);
    } else
      V8_STORE_FIRST(o[q] + g, a[q], m);
  }
}

#if defined(__AVX512F__)
/* dw_positions for sixteen channels g..g + 15 in one vector (AVX-512): half the instructions a tap. */
static inline __attribute__((always_inline)) void dw_positions16(const int P, const int SHARED, const DwBlock *d, int g,
                                                                 float *const *o) {
  const __m512 lo = _mm512_set1_ps(d->lo[0]), hi = _mm512_set1_ps(d->hi[0]);
  v16 a[DW_POSITIONS], b = {0}, w;
  int q, t;
  if (d->bias) b = V16_LOAD(d->bias + g);
  for (q = 0; q < P; q++) a[q] = b;
  for (t = 0; t < d->k; t++) {
    const float *x = d->is + d->off[t];
    w = V16_LOAD(d->ws + d->wo[t] + g);
    for (q = 0; q < P; q++)
      if (SHARED) V16_FMA(a[q], _mm512_set1_ps(x[d->dq[q]]), w);
      else V16_FMA(a[q], V16_LOAD(x + d->dq[q] + g), w);
  }
  for (q = 0; q < P; q++) {
    if (d->post == 1) /* (max and min give their second operand where one is NaN: NaN passes) */
      a[q] = (v16)_mm512_min_ps(hi, _mm512_max_ps(lo, (__m512)a[q]));
    if (d->post == 2) a[q] = sigmoid16(a[q]);
    *(v16u *)(o[q] + g) = a[q];
  }
}

/* For a convolution reading a single input channel, channels 0..N - 1 (N <= 8, a constant once inlined:
   the sums are registers) of up to 16 positions with the same taps, one position a lane (those in `mask`),
   each tap's inputs gathered once for every channel. Lane q's tap (ky, kx) (the k-th row and column of
   the taps) is at slot row[ky][q] + col[kx][q] of the input, less its `wrap` where it passes it (a raster
   line buffer's run; a box's rows and columns wrap apart, in row and col). The traffic detector's first
   layer (6 channels, a 6x6 kernel, fills of 6 rows by 2 columns through a circular box of 16 rows) had
   taken blocks of one or two positions, whose taps' slots were not a constant shift apart, each input
   broadcast to a vector of channels, 6 of 8 lanes used: 4 GMAC/s. Position q's outputs at o + oq[q];
   the sums are added in dw_positions' order. */
static inline __attribute__((always_inline)) void grid_lanes(const int N, const DwBlock *d, __mmask16 mask, int nky,
                                                             int nkx, const __m512i *row, const __m512i *col,
                                                             int wrap, float *o, __m512i oq) {
  const __m512 lo = _mm512_set1_ps(d->lo[0]), hi = _mm512_set1_ps(d->hi[0]);
  const __m512i run = _mm512_set1_epi32(wrap);
  __m512 a[8], v;
  __m512i r, at;
  int c, ky, kx, t = 0;
  for (c = 0; c < N; c++) a[c] = _mm512_set1_ps(d->bias ? d->bias[c] : 0.0f);
  for (ky = 0; ky < nky; ky++) {
    r = row[ky];
    for (kx = 0; kx < nkx; kx++, t++) {
      const float *w = d->ws + d->wo[t];
      at = _mm512_add_epi32(r, col[kx]);
      at = _mm512_mask_sub_epi32(at, _mm512_cmpge_epi32_mask(at, run), at, run);
      v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), mask, at, d->is, sizeof(float));
      for (c = 0; c < N; c++) a[c] = _mm512_fmadd_ps(v, _mm512_set1_ps(w[c]), a[c]);
    }
  }
  for (c = 0; c < N; c++) {
    if (d->post == 1) a[c] = _mm512_min_ps(hi, _mm512_max_ps(lo, a[c]));
    if (d->post == 2) a[c] = (__m512)sigmoid16((v16)a[c]);
    _mm512_mask_i32scatter_ps(o + c, mask, oq, a[c], sizeof(float));
  }
}

/* grid_lanes for the p positions (ys[q], xs[q]) of a block with the same taps and n <= 8 channels, their
   outputs at o[q]. */
static void grid_block(const SegLayer *sl, const Buf *in, const DwBlock *d, int p, int n, const int *ys,
                       const int *xs, float *const *o) {
  const Layer *L = sl->L;
  const int kya = sl->kya[ys[0]], kyb = sl->kyb[ys[0]], kxa = sl->kxa[xs[0]], kxb = sl->kxb[xs[0]];
  int oq[DW_LANES] = {0}, y0[DW_LANES] = {0}, x0[DW_LANES] = {0}, q, k;
  const __mmask16 mask = (__mmask16)((1u << p) - 1);
  int wrap = 0x7fffffff; /* (a box: no wrap) */
  __m512i row[DW_TAPS], col[DW_TAPS], dout, ya, xa;
#if MEMSCHED_WITH_RASTER
  wrap = in->wrap;
#endif
  for (q = 0; q < p; q++) {
    y0[q] = ys[q] * L->sh - L->pt;
    x0[q] = xs[q] * L->sw - L->pl;
    oq[q] = (int)(o[q] - o[0]);
  }
  /* the lanes' rows' and columns' slots, gathered from the input's tables */
  ya = _mm512_loadu_si512(y0);
  xa = _mm512_loadu_si512(x0);
  for (k = kya; k <= kyb; k++)
    row[k - kya] = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask,
                                               _mm512_add_epi32(ya, _mm512_set1_epi32(k * L->dh)), in->am[1], 4);
  for (k = kxa; k <= kxb; k++)
    col[k - kxa] = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), mask,
                                               _mm512_add_epi32(xa, _mm512_set1_epi32(k * L->dw)), in->am[2], 4);
  dout = _mm512_loadu_si512(oq);
#define GRID(N) grid_lanes(N, d, mask, kyb - kya + 1, kxb - kxa + 1, row, col, wrap, o[0], dout)
  switch (n) {
  case 1: GRID(1); break;
  case 2: GRID(2); break;
  case 3: GRID(3); break;
  case 4: GRID(4); break;
  case 5: GRID(5); break;
  case 6: GRID(6); break;
  case 7: GRID(7); break;
  default: GRID(8); break;
  }
#undef GRID
}
#endif

/* dw_positions for P positions, every group of eight channels of n (of sixteen first, under AVX-512). */
static inline __attribute__((always_inline)) void dw_groups(const int P, const int SHARED, const DwBlock *d, int n,
                                                            float *const *o) {
  int g = 0;
#if defined(__AVX512F__)
  for (; g + 16 <= n; g += 16) dw_positions16(P, SHARED, d, g, o);
#endif
  for (; g + 8 <= n; g += 8) dw_positions(P, SHARED, d, g, 8, o);
  if (g < n) dw_positions(P, SHARED, d, g, n - g, o);
}

/* Whether the slots m[a..z] (an input buffer's rows or columns; circular buffers wrap between some)
   lie a constant distance apart (*step). */
static int evenly_spaced(const int *m, int a, int z, i64 *step) {
  int i;
  *step = a < z ? m[a + 1] - m[a] : 0;
  for (i = a + 1; i <= z; i++)
    if (m[i] - m[i - 1] != *step) return 0;
  return 1;
}

/* The input slots (from the channel's) of the taps of position (y, x), kernel rows then columns;
   returns how many. */
static int dw_slots(const Buf *in, const SegLayer *sl, int y, int x, i64 *off) {
  const Layer *L = sl->L;
  const int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
  int k = 0, ky, kx;
  for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++) {
    const int row = in->am[1][y0 + ky * L->dh];
    for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) off[k++] = wrapped(in, row + in->am[2][x0 + kx * L->dw]);
  }
  return k;
}

/* The rows (c + l, y) for l < n and ya <= y <= yb, columns xa..xb, of the layer's output buffer b
   (channel_rows; channels adjacent: adjacent_channels): up to DW_POSITIONS neighbouring positions at a
   time (where the input's rows and columns are evenly spaced and the positions' taps the same part of
   the kernel), their taps' slots found once, then eight channels at a time (the last ones masked), one
   multiply-add a tap, of their own input channel's element or (`shared`) of the one input channel's. A
   weight vector loaded serves every position of the block. */
static void dw_box(const Seg *s, const SegLayer *sl, Buf *b, int c, int n, int shared, int ya, int yb, int xa, int xb) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int w = xb - xa + 1, npos = (yb - ya + 1) * w, *mx = in->am[2];
  /* a lone ReLU, a clip to float bounds or a sigmoid on the vectors, the others per value: post_run at
     every position took 17 % of MobileNetV2's time */
  const int relu = L->npost == 1 && L->post[0].op == OP_RELU;
  const int clip = float_clip(L);
  float *out = scratch + b->offset + b->am[0][c], *o[DW_LANES];
  i64 off[DW_TAPS], wo[DW_TAPS], ys = 0, xs = 0;
  DwBlock d;
  int i, k, p, q, t, x, y, ky, kx, taps[4] = {-1, -1, -1, -1};
  d.is = scratch + in->offset + in->am[0][shared ? 0 : c];
  d.ws = scratch + weight_slot(wb, c, 0, 0);
  d.bias = L->has_bias ? scratch + weight_slot(wb, c, -1, 0) : NULL;
  d.off = off;
  d.wo = wo;
  d.post = relu || clip ? 1 : L->npost == 1 && L->post[0].op == OP_SIGMOID ? 2 : 0;
  d.lo = V8_SPLAT(clip ? (float)L->post[0].a : 0.0f);
  d.hi = V8_SPLAT(clip ? (float)L->post[0].b : HUGE_VALF);
  d.dq[0] = 0;
  for (i = 0; i < npos; i += p) {
    const int y0 = (y = ya + i / w) * L->sh - L->pt;
    /* the block's rows y..rows and columns xlo..xhi, evenly spaced in their slots at its taps */
    int rows = y, xlo = x = xa + i % w, xhi = x;
    if (sl->kya[y] != taps[0] || sl->kyb[y] != taps[1] || sl->kxa[x] != taps[2] || sl->kxb[x] != taps[3]) {
      taps[0] = sl->kya[y]; /* (the taps' weights change at the borders only) */
      taps[1] = sl->kyb[y];
      taps[2] = sl->kxa[x];
      taps[3] = sl->kxb[x];
      for (t = 0, ky = taps[0]; ky <= taps[1]; ky++)
        for (kx = taps[2]; kx <= taps[3]; kx++) wo[t++] = (i64)(ky * L->kw + kx) * wb->wt;
    }
#if defined(__AVX512F__)
    if (shared && n <= 8) { /* the positions with these taps (up to 16), in lanes */
      int gy[DW_LANES], gx[DW_LANES];
      for (p = 0; p < DW_LANES && i + p < npos; p++) {
        gy[p] = ya + (i + p) / w;
        gx[p] = xa + (i + p) % w;
        if (!same_taps(sl, y, x, gy[p], gx[p])) break;
        o[p] = out + wrapped(b, b->am[1][gy[p]] + b->am[2][gx[p]]);
      }
      grid_block(sl, in, &d, p, n, gy, gx, o);
      if (d.post == 0 && L->npost > 0)
        for (q = 0; q < p; q++) post_run(L, o[q], n);
      continue;
    }
#endif
    k = dw_slots(in, sl, y, x, off);
    for (p = 1; p < DW_POSITIONS && i + p < npos; p++) {
      const int yq = ya + (i + p) / w, xq = xa + (i + p) % w;
      if (!same_taps(sl, y, x, yq, xq)) break;
#if MEMSCHED_WITH_RASTER
      if (in->run > 0) { /* a raster line buffer's rows wrap around its run: the taps' slots compared */
        i64 at[DW_TAPS];
        dw_slots(in, sl, yq, xq, at);
        d.dq[p] = at[0] - off[0];
        for (t = 1; t < k && at[t] - off[t] == d.dq[p]; t++) {
        }
        if (t < k) break;
        continue;
      }
#endif
      if (yq > rows) {
        if (!evenly_spaced(in->am[1], y0 + sl->kya[y] * L->dh, yq * L->sh - L->pt + sl->kyb[y] * L->dh, &ys)) break;
        rows = yq;
      }
      if (xq < xlo || xq > xhi) {
        const int a = xq < xlo ? xq : xlo, z = xq > xhi ? xq : xhi;
        if (!evenly_spaced(mx, a * L->sw - L->pl + sl->kxa[x] * L->dw, z * L->sw - L->pl + sl->kxb[x] * L->dw, &xs))
          break;
        xlo = a;
        xhi = z;
      }
      d.dq[p] = (yq - y) * L->sh * ys + (xq - x) * L->sw * xs;
    }
    d.k = k;
    for (q = 0; q < p; q++) o[q] = out + wrapped(b, b->am[1][ya + (i + q) / w] + b->am[2][xa + (i + q) % w]);
    switch (p * 2 + (shared != 0)) {
    case 8: dw_groups(4, 0, &d, n, o); break;
    case 9: dw_groups(4, 1, &d, n, o); break;
    case 6: dw_groups(3, 0, &d, n, o); break;
    case 7: dw_groups(3, 1, &d, n, o); break;
    case 4: dw_groups(2, 0, &d, n, o); break;
    case 5: dw_groups(2, 1, &d, n, o); break;
    case 2: dw_groups(1, 0, &d, n, o); break;
    default: dw_groups(1, 1, &d, n, o); break;
    }
    if (d.post == 0 && L->npost > 0)
      for (q = 0; q < p; q++) post_run(L, o[q], n);
  }
}
#endif
