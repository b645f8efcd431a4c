// Layer kernels, first part: point-wise operators and the reduction pieces of a convolution (the
// convolution kernels generated per shape follow this file in a program).

/* ---- layer kernels: everything read comes from the scratchpad ---- */

#if !MEMSCHED_WITH_INT8
static float act(const Seg *s, int bi, int c, int y, int x) { return scratch[act_slot(&s->b[bi], c, y, x)]; }

/* The bias of output channel o of a layer whose weights wb holds (0 without); inline: not every program
   computes a layer that reads it. */
static inline float bias_of(const Layer *L, const Buf *wb, int o) {
  return L->has_bias ? scratch[weight_slot(wb, o, -1, 0)] : 0.0f;
}

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
#endif

#if !MEMSCHED_WITH_INT8
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
#endif
