// The release build's own convolution kernel, for a convolution reducing over input channels stored
// innermost (every fused producer, and a last layer in the dot kernel) where three output channels or
// more are computed together: four output channels and three neighbouring positions at once, eight input
// channels to a vector, so that each input vector serves four output channels and each weight vector
// three positions (the shared conv_row takes one output channel).

/* ---- convolution: blocks of output channels ---- */

#if VECTORS
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4), may_alias)); /* any float address */
#define V8_LOAD(p) (*(const v8u *)(p))

static float sum8(const v8 *v) {
  const v8 a = *v;
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}
#endif

#if VECTORS
/* Whether conv_block applies: input channels innermost, weights [out][tap][in], reductions of 8 or more. */
static int blocked(const Seg *s, const SegLayer *sl) {
  return sl->L->kind == KIND_CONV && sl->mode == CONV_DOT && s->b[sl->op[0].buf].xstep != 1 && sl->red >= 8;
}

/* res[j][x - xa] = for output channels o + j (j < n <= 4, one group), row y and columns xa..xb, the sums over
   the reduction pieces p and the kernel taps inside the input. Positions three at a time while their taps
   are the same columns of the kernel. */
static void conv_block(const Seg *s, const SegLayer *sl, int o, int n, int y, int xa, int xb, const Piece *p,
                       int np, float *const *res) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const float *is = scratch + in->offset, *wo = scratch + wb->offset;
  const float *w0 = wo + wb->am[0][o], *w1 = n > 1 ? wo + wb->am[0][o + 1] : w0;
  const float *w2 = n > 2 ? wo + wb->am[0][o + 2] : w0, *w3 = n > 3 ? wo + wb->am[0][o + 3] : w0;
  const int y0 = y * L->sh - L->pt, kya = sl->kya[y], kyb = sl->kyb[y], *mx = in->am[2];
  const i64 ws = wb->wt;
  int x = xa, ky, kx, k, i, q, m;
  while (x <= xb) {
    const int kxa = sl->kxa[x], kxb = sl->kxb[x];
    v8 a[3][4];
    float r[3][4];
    m = 1;
    while (m < 3 && x + m <= xb && sl->kxa[x + m] == kxa && sl->kxb[x + m] == kxb) m++;
    for (q = 0; q < 3; q++)
      for (k = 0; k < 4; k++) {
        a[q][k] = (v8){0, 0, 0, 0, 0, 0, 0, 0};
        r[q][k] = 0;
      }
    for (ky = kya; ky <= kyb; ky++) {
      const float *row = is + in->am[1][y0 + ky * L->dh];
      for (kx = kxa; kx <= kxb; kx++) {
        const int c0 = (x * L->sw - L->pl) + kx * L->dw;
        const float *u0 = row + mx[c0], *u1 = m > 1 ? row + mx[c0 + L->sw] : u0;
        const float *u2 = m > 2 ? row + mx[c0 + 2 * L->sw] : u0;
        const i64 t = (i64)(ky * L->kw + kx) * ws;
        for (k = 0; k < np; k++) {
          const int len = p[k].n, pa = p[k].a;
          const float *v0 = w0 + t + p[k].b, *v1 = w1 + t + p[k].b, *v2 = w2 + t + p[k].b, *v3 = w3 + t + p[k].b;
          for (i = 0; i + 8 <= len; i += 8) {
            const v8 e0 = V8_LOAD(v0 + i), e1 = V8_LOAD(v1 + i), e2 = V8_LOAD(v2 + i), e3 = V8_LOAD(v3 + i);
            const v8 f0 = V8_LOAD(u0 + pa + i), f1 = V8_LOAD(u1 + pa + i), f2 = V8_LOAD(u2 + pa + i);
            a[0][0] += f0 * e0;
            a[0][1] += f0 * e1;
            a[0][2] += f0 * e2;
            a[0][3] += f0 * e3;
            a[1][0] += f1 * e0;
            a[1][1] += f1 * e1;
            a[1][2] += f1 * e2;
            a[1][3] += f1 * e3;
            a[2][0] += f2 * e0;
            a[2][1] += f2 * e1;
            a[2][2] += f2 * e2;
            a[2][3] += f2 * e3;
          }
          for (; i < len; i++) {
            const float f[3] = {u0[pa + i], u1[pa + i], u2[pa + i]};
            for (q = 0; q < 3; q++) {
              r[q][0] += f[q] * v0[i];
              r[q][1] += f[q] * v1[i];
              r[q][2] += f[q] * v2[i];
              r[q][3] += f[q] * v3[i];
            }
          }
        }
      }
    }
    for (q = 0; q < m; q++)
      for (k = 0; k < n; k++) res[k][x + q - xa] = r[q][k] + sum8(&a[q][k]);
    x += m;
  }
}
/* Output channels o.. computed together by conv_block: at most 4, up to c1, within o's group. */
static int channel_block(const SegLayer *sl, int o, int c1) {
  int n = c1 - o, g = (o / sl->pgo + 1) * sl->pgo - o;
  if (n > g) n = g;
  return n < 4 ? n : 4;
}

#endif
