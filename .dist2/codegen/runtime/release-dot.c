// The release build's dot kernel (conv_block3), included twice (codegen/runtime.ts): DOT_LANES 8 as
// dot8 (4 output channels at most: 12 sums in AVX2's 16 registers), and under AVX-512 DOT_LANES 16 as
// dot16 (8 output channels: 24 sums in its 32 registers, so that each input vector serves twice the
// channels: VDSR's layers stream theirs from L2). Sixteen lanes are slower on short reductions (more
// of each output's sum is the final adding of lanes): conv_block takes dot16 from 256 products an
// output on (dot_wide).

#if VECTORS
#if DOT_LANES == 16
#define vr v16
#define VR 16
#define VR_LOAD V16_LOAD
#define VR_FIRST V16_FIRST
#define VR_FMA V16_FMA
#define VR_KEEP V16_KEEP
#define conv_block3 dot16
#else
#define vr v8
#define VR 8
#define VR_LOAD V8_LOAD
#define VR_FIRST V8_FIRST
#define VR_FMA V8_FMA
#define VR_KEEP V8_KEEP
#define conv_block3 dot8
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
    if (N >= 3) CONV_OUT(LD, e2, a02, a12, a22);                                                           \
    if (N >= 4) CONV_OUT(LD, e3, a03, a13, a23);                                                           \
    if (N >= 6) {                                                                                          \
      CONV_OUT(LD, e4, a04, a14, a24);                                                                     \
      CONV_OUT(LD, e5, a05, a15, a25);                                                                     \
    }                                                                                                      \
    if (N >= 8) {                                                                                          \
      CONV_OUT(LD, e6, a06, a16, a26);                                                                     \
      CONV_OUT(LD, e7, a07, a17, a27);                                                                     \
    }                                                                                                      \
  } while (0)
#define VR_TAIL(p) VR_FIRST(p, rest)

/* r[q][j] = for output channel j < N (1, 2, 3, 4, 6 or 8; a constant once inlined) of the weight rows w and
   the m <= M positions (ys[q], xs[q]) (M 1 or 3, a constant too), whose kernel taps inside the input are
   the same, the sums over the reduction pieces p of the taps kx up to kxe (the last tap, or the first
   where p covers a whole kernel row); r[q][j] for j >= N or q >= m is not meaningful. Up to 3 x N sums
   of VR lanes stay in registers over every tap and input channel (each input vector serves N output
   channels, each weight vector M positions; one position alone, as a stream of single columns has,
   computes no copies of it). A piece's last n mod VR elements: one more step (VR_FIRST). */
static inline __attribute__((always_inline)) void conv_block3(const int N, const int M, const Seg *s, const SegLayer *sl,
                                                             const float *const *w, const int *ys, const int *xs,
                                                             int m, const Piece *p, int np, int kxe,
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
        const float *e4 = w[4] + t + p[k].b, *e5 = w[5] + t + p[k].b, *e6 = w[6] + t + p[k].b, *e7 = w[7] + t + p[k].b;
        for (i = 0; i < len; i += VR) CONV_STEP(VR_LOAD);
        if (i < p[k].n) {
          const int rest = p[k].n - i;
          CONV_STEP(VR_TAIL);
        }
      }
    }
  }
#if DOT_LANES == 16
  v16_sums(N, a00, a01, a02, a03, a04, a05, a06, a07, r[0]);
  if (M > 1) {
    v16_sums(N, a10, a11, a12, a13, a14, a15, a16, a17, r[1]);
    v16_sums(N, a20, a21, a22, a23, a24, a25, a26, a27, r[2]);
  }
#else
  r[0][0] = v8_sum(&a00), r[0][1] = v8_sum(&a01), r[0][2] = v8_sum(&a02), r[0][3] = v8_sum(&a03);
  if (M > 1) {
    r[1][0] = v8_sum(&a10), r[1][1] = v8_sum(&a11), r[1][2] = v8_sum(&a12), r[1][3] = v8_sum(&a13);
    r[2][0] = v8_sum(&a20), r[2][1] = v8_sum(&a21), r[2][2] = v8_sum(&a22), r[2][3] = v8_sum(&a23);
  }
#endif
}

#undef vr
#undef VR
#undef VR_LOAD
#undef VR_FIRST
#undef VR_FMA
#undef VR_KEEP
#undef VR_TAIL
#undef conv_block3
#undef CONV_OUT
#undef CONV_STEP
#endif
