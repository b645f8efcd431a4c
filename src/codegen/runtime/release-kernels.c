// The release build's convolution: sums along rows of output positions, several output channels at
// once, each row of inputs read once per tap for all of them.

/* ---- convolution ---- */

/* Output channels computed together (the weights of one tap for all of them, one input load). */
#define OUT_BLOCK 4

/* s[j][x] += w[j] * p[x] for j < 4, x < len (a row of one tap, input columns adjacent). */
static void taps4(float *restrict s0, float *restrict s1, float *restrict s2, float *restrict s3,
                  const float *restrict p, int len, const float *w) {
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
  int x;
  for (x = 0; x < len; x++) {
    const float v = p[x];
    s0[x] += w0 * v;
    s1[x] += w1 * v;
    s2[x] += w2 * v;
    s3[x] += w3 * v;
  }
}

static void taps1(float *restrict s0, const float *restrict p, int len, float w) {
  int x;
  for (x = 0; x < len; x++) s0[x] += w * p[x];
}

/* sums[j * stride + x - xa] += for output channels o0 + j (j < n <= OUT_BLOCK, one group), row y and
   columns xa..xb, the products over the group's input channels [i0, i1) and the kernel taps inside the
   input (padding reads as zero: its taps are left out). */
static void conv_sums(const Seg *s, const SegLayer *sl, int o0, int n, int y, int xa, int xb, int i0, int i1,
                      float *restrict sums, int stride) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int cb = (o0 / sl->pgo) * sl->red, sw = L->sw, *mx = in->am[2];
  const float *ws = scratch + wb->offset;
  float w[OUT_BLOCK];
  int ky, kx, i, j, x;
  for (ky = 0; ky < L->kh; ky++) {
    const int iy = y * L->sh - L->pt + ky * L->dh;
    if (iy < 0 || iy >= sl->ih) continue;
    for (kx = 0; kx < L->kw; kx++) {
      const int off = kx * L->dw - L->pl, t = ky * L->kw + kx;
      /* the output columns whose tap lies inside the input: 0 <= x * sw + off < iw */
      int a = xa, z = xb, len, adjacent;
      if (off < 0 && a < (-off + sw - 1) / sw) a = (-off + sw - 1) / sw;
      if (sl->iw - 1 - off < 0) continue;
      if (z > (sl->iw - 1 - off) / sw) z = (sl->iw - 1 - off) / sw;
      if (a > z) continue;
      len = z - a + 1;
      adjacent = sw == 1 && mx[z + off] - mx[a + off] == z - a;
      for (i = i0; i < i1; i++) {
        const float *row = scratch + in->offset + in->am[0][cb + i] + in->am[1][iy];
        float *out = sums + (a - xa);
        for (j = 0; j < n; j++) w[j] = ws[wb->am[0][o0 + j] + wb->am[1][i] + t];
        if (adjacent && n == 4) taps4(out, out + stride, out + 2 * stride, out + 3 * stride, row + mx[a + off], len, w);
        else if (adjacent)
          for (j = 0; j < n; j++) taps1(out + j * stride, row + mx[a + off], len, w[j]);
        else
          for (x = 0; x < len; x++) {
            const float v = row[mx[(a + x) * sw + off]];
            for (j = 0; j < n; j++) out[j * stride + x] += w[j] * v;
          }
      }
    }
  }
}

/* How many output channels from o computed together: at most OUT_BLOCK, up to c1 and within o's group. */
static int out_block(const SegLayer *sl, int o, int c1) {
  int n = c1 - o, g = (o / sl->pgo + 1) * sl->pgo - o;
  if (n > g) n = g;
  return n < OUT_BLOCK ? n : OUT_BLOCK;
}
