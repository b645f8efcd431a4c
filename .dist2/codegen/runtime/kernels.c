// Layer kernels after the generated ones: a convolution updating contiguous output channels, and
// the elements of the layers that are not convolutions.

#if !MEMSCHED_WITH_RELEASE
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
#endif

/* A pooling's window at output (y, x): rows [y0, y1) and columns [x0, x1) with the padding it may count,
   and the input rows [ya, yb) and columns [xa, xb) inside it. */
typedef struct { int y0, y1, x0, x1, ya, yb, xa, xb; } PoolWindow;

static PoolWindow pool_window(const SegLayer *sl, int y, int x) {
  const Layer *L = sl->L;
  PoolWindow w;
  w.y0 = y * L->sh - L->pt;
  w.x0 = x * L->sw - L->pl;
  w.y1 = w.y0 + L->kh < sl->ih + L->pb ? w.y0 + L->kh : sl->ih + L->pb;
  w.x1 = w.x0 + L->kw < sl->iw + L->pr ? w.x0 + L->kw : sl->iw + L->pr;
  w.ya = w.y0 < 0 ? 0 : w.y0;
  w.yb = w.y1 < sl->ih ? w.y1 : sl->ih;
  w.xa = w.x0 < 0 ? 0 : w.x0;
  w.xb = w.x1 < sl->iw ? w.x1 : sl->iw;
  return w;
}

#if !MEMSCHED_WITH_INT8
/* One output element of a layer without reduction tiles (everything but a convolution's partial sums). */
static float element(const Seg *s, const SegLayer *sl, int c, int y, int x) {
  const Layer *L = sl->L;
  int k, j;
  switch (L->kind) {
  case KIND_POOL: {
    const PoolWindow w = pool_window(sl, y, x);
    int iy, ix;
    double r = L->pool_max ? -INFINITY : 0;
    for (iy = w.ya; iy < w.yb; iy++)
      for (ix = w.xa; ix < w.xb; ix++) {
        double v = act(s, sl->op[0].buf, c, iy, ix);
        if (L->pool_max) r = v > r ? v : r;
        else r += v;
      }
    if (!L->pool_max) r /= L->count_include_pad ? (w.y1 - w.y0) * (w.x1 - w.x0) : (w.yb - w.ya) * (w.xb - w.xa);
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
#if MEMSCHED_WITH_AFFINE
  case KIND_AFFINE: {
    const Buf *wb = &s->b[sl->wbuf];
    return scratch[weight_slot(wb, c, 0, 0)] * act(s, sl->op[0].buf, c, y, x) + scratch[weight_slot(wb, c, -1, 0)];
  }
#endif
  default:
    fail("internal: a convolution computed as an element");
    return 0;
  }
}
#endif
