// The int8 build's kernels (docs/int8.md): int8 activations and weights, exact integer sums, brought to
// the output's scale by fixed-point multipliers, then clamped or mapped by a table, as
// src/reference/int8.ts computes them, bit for bit.

static inline int clamp8(i64 v) { return v < -128 ? -128 : v > 127 ? 127 : (int)v; }

/* v * m * 2^-n rounded half up: v * m stays below 2^62 (sums of int32 range, m < 2^31) */
static inline i64 mulshift(i64 v, Mul k) { return k.n >= 63 ? 0 : (v * k.m + ((i64)1 << (k.n - 1))) >> k.n; }

/* A value at the layer's target scale: through its table (its pre-activation scale), or clamped to
   [lo, hi] (its output scale; relu and clip folded in). */
static inline elem finish(const Layer *L, i64 v) {
  if (L->table) return (elem)L->table[clamp8(v) + 128];
  v = v < L->lo ? L->lo : v;
  return (elem)(v > L->hi ? L->hi : v); /* min(hi, max(lo, v)), as the reference */
}

/* A value already at the input's scale (poolings and copies): the table's scale first, if any. */
static inline elem finish_rescaled(const Layer *L, i64 v) { return finish(L, L->table ? mulshift(v, L->rescale) : v); }

static inline int act_q(const Seg *s, int bi, int c, int y, int x) { return scratch[act_slot(&s->b[bi], c, y, x)]; }

/* Channels [i0, i1) in pieces adjacent in the input's slots mi (a group's, from its first channel) and
   in the weights' mw (NULL: each channel's own index, as in a patch): piece k covers input slots a..,
   weight slots (or patch bytes) b.., n channels. */
static int adjacent_pieces(const int *mi, const int *mw, int i0, int i1, Piece *p) {
  int n = 0, i = i0, len;
  while (i < i1) {
    for (len = 1; i + len < i1 && mi[i + len] == mi[i] + len && (!mw || mw[i + len] == mw[i] + len); len++) {
    }
    p[n].a = mi[i];
    p[n].b = mw ? mw[i] : i;
    p[n++].n = len;
    i += len;
  }
  return n;
}

/* The sums of output elements (o, y, xa..xb) of a convolution over the input channels [r0, r1) of o's
   group: per tap, the channels in pieces adjacent in both buffers (adjacent_pieces). */
static void conv_sums_q(const Seg *s, const SegLayer *sl, int o, int y, int xa, int xb, int r0, int r1, int *res) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int np = adjacent_pieces(in->am[0] + o / sl->pgo * sl->red, wb->am[1], r0, r1, sl->pieces);
  const int y0 = y * L->sh - L->pt;
  const elem *wo = scratch + wb->offset + wb->am[0][o];
  int x, ky, kx, k, j;
  for (x = xa; x <= xb; x++) {
    const int x0 = x * L->sw - L->pl;
    int acc = 0;
    for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++)
      for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) {
        const elem *ip = scratch + in->offset + wrapped(in, in->am[1][y0 + ky * L->dh] + in->am[2][x0 + kx * L->dw]);
        const elem *wp = wo + (i64)(ky * L->kw + kx) * wb->wt;
        for (k = 0; k < np; k++) {
          const elem *a = ip + sl->pieces[k].a, *b = wp + sl->pieces[k].b;
          int sum = 0;
          for (j = 0; j < sl->pieces[k].n; j++) sum += a[j] * b[j];
          acc += sum;
        }
      }
    res[x - xa] = acc;
  }
}

static inline int bias_q(const SegLayer *sl, const Buf *wb, int o) { return sl->L->has_bias ? wb->qbias[o % wb->ext[0]] : 0; }

/* Output elements (o, y, xa..xb) of a convolution, its whole reduction. */
static void conv_row_q(const Seg *s, SegLayer *sl, int o, int y, int xa, int xb, elem *res) {
  const int bias = bias_q(sl, &s->b[sl->wbuf], o);
  int x;
  conv_sums_q(s, sl, o, y, xa, xb, 0, sl->red, sl->boxsums);
  for (x = xa; x <= xb; x++) res[x - xa] = finish(sl->L, mulshift(bias + sl->boxsums[x - xa], sl->L->mul[o]));
}

/* Whether every output channel's weights for the reduction slice [r0, r1) are one row [tap][in]: the
   buffer holds exactly the slice's input channels, in order (conv_box_sums's case). */
static int slice_rows(const Seg *s, const SegLayer *sl, int r0, int r1) {
  const Buf *wb;
  int i;
  /* (255 x 127 x the row within int) */
  if (sl->L->kind != KIND_CONV || (i64)sl->K * (r1 - r0) > INT_MAX / (255 * 127)) return 0;
  wb = &s->b[sl->wbuf];
  if (wb->ext[1] != r1 - r0 || wb->wt != r1 - r0) return 0;
  for (i = 0; i < r1 - r0; i++)
    if (wb->am[1][r0 + i] != i) return 0;
  return 1;
}

/* 8 int8 at a to 8 bytes at q, each plus 128 (flipping its top bit). */
static inline void offset_word(unsigned char *q, const elem *a) {
  unsigned long long v;
  memcpy(&v, a, 8);
  v ^= 0x8080808080808080ULL;
  memcpy(q, &v, 8);
}

/* n int8 at a to n bytes at q, each plus 128, eight at a time. */
static inline void offset_copy(unsigned char *q, const elem *a, int n) {
  int j = 0;
  for (; j + 8 <= n; j += 8) offset_word(q + j, a + j);
  for (; j < n; j++) q[j] = (unsigned char)(a[j] + 128);
}

/* The input elements position (y, x) of a convolution reads from a group (its channels in np pieces,
   adjacent_pieces), [tap][in], each plus 128 (unsigned: the dot product below is unsigned by signed);
   the taps in the padding 128, standing for 0. Inside the input every tap's pieces are copied in whole
   words of 8, the bytes past a piece written over by the next piece or tap and past the last one set to
   0 again (p holds 8 bytes more than its blocks; the reads past a piece stay in the scratchpad, which has
   PATCH_BLOCK spare bytes). */
static void patch_q(const Seg *s, const SegLayer *sl, const Piece *pc, int np, int red, int y, int x,
                    unsigned char *p) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf];
  const int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
  const int inside = sl->kya[y] == 0 && sl->kyb[y] == L->kh - 1 && sl->kxa[x] == 0 && sl->kxb[x] == L->kw - 1;
  int ky, kx, k, j;
  if (!inside) memset(p, 128, (size_t)sl->K * red);
  for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++) {
    const int row = in->am[1][y0 + ky * L->dh];
    for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) {
      const elem *ip = scratch + in->offset + wrapped(in, row + in->am[2][x0 + kx * L->dw]);
      unsigned char *q = p + (ky * L->kw + kx) * red;
      if (inside)
        for (k = 0; k < np; k++)
          for (j = 0; j < pc[k].n; j += 8) offset_word(q + pc[k].b + j, ip + pc[k].a + j);
      else
        for (k = 0; k < np; k++) offset_copy(q + pc[k].b, ip + pc[k].a, pc[k].n);
    }
  }
  if (inside) memset(p + sl->K * red, 0, 8);
}

/* Rows of the patch and of the weights are summed in blocks of this many bytes: the patch's bytes past
   its taps are 0, so the weights' past a row (the next row's, or the scratchpad's PATCH_BLOCK spare
   bytes) add nothing. */
#define PATCH_BLOCK 64

/* The sum of u * w over n (a multiple of PATCH_BLOCK): unsigned by signed bytes in whole blocks, the
   pattern compilers turn into dot-product instructions (AVX-512 VNNI's vpdpbusd: 64 products an
   instruction), with no scalar tail. */
static inline int dot_q(const unsigned char *restrict u, const elem *restrict w, int n) {
  int sum = 0, i, j;
  for (i = 0; i < n; i += PATCH_BLOCK)
    for (j = 0; j < PATCH_BLOCK; j++) sum += u[i + j] * w[i + j];
  return sum;
}

/* The patch of position (y, x) from that of (y, x - 1), both inside the input, the kernel moving `by`
   columns along the input: per kernel row the taps still read move down, the last `by` are copied. */
static void slide_patch(const Seg *s, const SegLayer *sl, const Piece *pc, int np, int red, int y, int x, int by,
                        unsigned char *p) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf];
  const int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
  int ky, kx, k;
  for (ky = 0; ky < L->kh; ky++) {
    const int row = in->am[1][y0 + ky * L->dh];
    unsigned char *q = p + ky * L->kw * red;
    memmove(q, q + by * red, (size_t)(L->kw - by) * red);
    for (kx = L->kw - by; kx < L->kw; kx++) {
      const elem *ip = scratch + in->offset + wrapped(in, row + in->am[2][x0 + kx * L->dw]);
      for (k = 0; k < np; k++) offset_copy(q + kx * red + pc[k].b, ip + pc[k].a, pc[k].n);
    }
  }
}

/* A depthwise convolution's sums of rows (c0 + j, y), columns xa..xb (j < n), into sums ([j][column]), if
   it is one (an input channel per output channel, these channels adjacent in the input's slots): per
   tap all n channels at once, the weights transposed to [tap][channel] first. Returns 0 otherwise. */
static int depthwise_sums(const Seg *s, SegLayer *sl, int c0, int n, int y, int xa, int xb, int *sums) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int *mi = in->am[0], w = xb - xa + 1, y0 = y * L->sh - L->pt;
  int j, t, x, ky, kx;
  if (sl->red != 1 || sl->pgo != 1) return 0;
  for (j = 1; j < n; j++)
    if (mi[c0 + j] != mi[c0] + j) return 0;
  for (t = 0; t < sl->K; t++)
    for (j = 0; j < n; j++) sl->dwt[t * n + j] = scratch[wb->offset + wb->am[0][c0 + j] + (i64)t * wb->wt];
  for (x = xa; x <= xb; x++) {
    const int x0 = x * L->sw - L->pl;
    int *acc = sl->dwacc;
    memset(acc, 0, (size_t)n * sizeof(int));
    for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++)
      for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) {
        const elem *ip = scratch + in->offset + wrapped(in, in->am[1][y0 + ky * L->dh] + in->am[2][x0 + kx * L->dw]) + mi[c0];
        const int *wt = sl->dwt + (ky * L->kw + kx) * n;
        for (j = 0; j < n; j++) acc[j] += ip[j] * wt[j];
      }
    for (j = 0; j < n; j++) sums[j * w + x - xa] = acc[j];
  }
  return 1;
}

/* The sums of rows (c0 + j, y), columns xa..xb (j < n) of a convolution over the input channels [r0, r1) of
   their groups, into sums ([j][column]): per position and group the patch of its taps and channels (one
   per group, slid along the row where the kernel stays inside the input), against each output channel's
   one row of weights (slice_rows): the sum of (a + 128) x w, less 128 times the row's sum (Buf.rowsums). */
static void conv_box_sums(const Seg *s, SegLayer *sl, int c0, int n, int y, int xa, int xb, int r0, int r1, int *sums) {
  const Layer *L = sl->L;
  const Buf *wb = &s->b[sl->wbuf];
  const int red = r1 - r0, len = (sl->K * red + PATCH_BLOCK - 1) / PATCH_BLOCK * PATCH_BLOCK, w = xb - xa + 1;
  const int g0 = c0 / sl->pgo, g1 = (c0 + n - 1) / sl->pgo, by = L->sw % L->dw == 0 ? L->sw / L->dw : L->kw;
  const int *mo = wb->am[0];
  const elem *ws = scratch + wb->offset;
  int x, j, g, np, was_inside = 0, *fix = sl->dwacc;
  if (depthwise_sums(s, sl, c0, n, y, xa, xb, sums)) return;
  for (j = 0; j < n; j++) fix[j] = 128 * wb->rowsums[(c0 + j) % wb->ext[0]];
  for (x = xa; x <= xb; x++) {
    const int inside = sl->kya[y] == 0 && sl->kyb[y] == L->kh - 1 && sl->kxa[x] == 0 && sl->kxb[x] == L->kw - 1;
    for (g = g0; g <= g1; g++) {
      unsigned char *p = sl->patch + (i64)(g - g0) * (len + 8);
      const int ja = g * sl->pgo > c0 ? g * sl->pgo - c0 : 0, jb = (g + 1) * sl->pgo - c0 < n ? (g + 1) * sl->pgo - c0 : n;
      np = adjacent_pieces(s->b[sl->op[0].buf].am[0] + g * sl->red + r0, NULL, 0, red, sl->pieces);
      if (inside && was_inside && by < L->kw) slide_patch(s, sl, sl->pieces, np, red, y, x, by, p);
      else patch_q(s, sl, sl->pieces, np, red, y, x, p);
      for (j = ja; j < jb; j++)
        sums[j * w + x - xa] = dot_q(p, ws + mo[c0 + j], len) - fix[j];
    }
    was_inside = inside;
  }
}

/* Rows (c0 + j, y), columns xa..xb (j < n) of a convolution, its whole reduction, into res ([j][column]). */
static void conv_box_q(const Seg *s, SegLayer *sl, int c0, int n, int y, int xa, int xb, elem *res) {
  const Buf *wb = &s->b[sl->wbuf];
  const int w = xb - xa + 1;
  int j, x;
  conv_box_sums(s, sl, c0, n, y, xa, xb, 0, sl->red, sl->boxsums);
  for (j = 0; j < n; j++) {
    const int bias = bias_q(sl, wb, c0 + j), *sums = sl->boxsums + j * w;
    const Mul k = sl->L->mul[c0 + j];
    for (x = 0; x < w; x++) res[j * w + x] = finish(sl->L, mulshift(bias + sums[x], k));
  }
}

/* The last layer's convolution of a tile for the reduction slice [r0, r1) of several: the int32 partial
   sums stay per slot in Buf.partials (beside the scratchpad; through DRAM as int32 where the reduction
   loop is around the output's store level) until the last slice requantises them into the output's
   slots. */
static void partial_q(Seg *s, SegLayer *sl, const Region *r) {
  Buf *ob = &s->b[sl->obuf];
  const Buf *wb = &s->b[sl->wbuf];
  const int first = r->r0 == 0, final = r->r1 == sl->red, w = r->x1 - r->x0, box = slice_rows(s, sl, r->r0, r->r1);
  int c, y, x;
  if (!ob->partials) ob->partials = (int *)xcalloc(ob->slots, sizeof(int));
  ob->partial = !final;
  for (y = r->y0; y < r->y1; y++) {
    if (box) conv_box_sums(s, sl, r->c0, r->c1 - r->c0, y, r->x0, r->x1 - 1, r->r0, r->r1, sl->boxsums);
    for (c = r->c0; c < r->c1; c++) {
      const int *sums = box ? sl->boxsums + (c - r->c0) * w : sl->boxsums;
      if (!box) conv_sums_q(s, sl, c, y, r->x0, r->x1 - 1, r->r0, r->r1, sl->boxsums);
      for (x = r->x0; x < r->x1; x++) {
        const i64 slot = act_slot(ob, c, y, x) - ob->offset;
        const int acc = (first ? bias_q(sl, wb, c) : ob->partials[slot]) + sums[x - r->x0];
        if (final) scratch[ob->offset + slot] = finish(sl->L, mulshift(acc, sl->L->mul[c]));
        else ob->partials[slot] = acc;
      }
    }
  }
}

/* One output element of a layer that is not a convolution. */
static elem element_q(const Seg *s, const SegLayer *sl, int c, int y, int x) {
  const Layer *L = sl->L;
  int k, j;
  switch (L->kind) {
  case KIND_POOL: {
    const PoolWindow w = pool_window(sl, y, x);
    int iy, ix, r = L->pool_max ? -128 : 0;
    for (iy = w.ya; iy < w.yb; iy++)
      for (ix = w.xa; ix < w.xb; ix++) {
        const int v = act_q(s, sl->op[0].buf, c, iy, ix);
        if (L->pool_max) r = v > r ? v : r;
        else r += v;
      }
    if (!L->pool_max) { /* the average rounded half away from zero */
      const int n = L->count_include_pad ? (w.y1 - w.y0) * (w.x1 - w.x0) : (w.yb - w.ya) * (w.xb - w.xa);
      r = r >= 0 ? (2 * r + n) / (2 * n) : -((-2 * r + n) / (2 * n));
    }
    return finish_rescaled(L, r);
  }
  case KIND_ELTWISE: {
    i64 r = 0;
    for (k = 0; k < sl->nop; k++) {
      const Tensor *t = &tensors[L->in[k]];
      const int one = t->h == 1 && t->w == 1, v = act_q(s, sl->op[k].buf, c, one ? 0 : y, one ? 0 : x);
      if (L->elt_op == ELT_MUL) r = k == 0 ? v : r * v;
      else if (L->elt_op == ELT_ADD) r += v * L->factor[k];
      else if (k == 0 || v * L->factor[k] > r) r = v * L->factor[k];
    }
    return finish(L, L->elt_op == ELT_MUL ? mulshift(r, L->rescale) : (r + ((i64)1 << 23)) >> 24);
  }
  case KIND_CONCAT:
    for (k = 0, j = c; k < sl->nop; k++) {
      int n = tensors[L->in[k]].c;
      if (j < n) return finish_rescaled(L, act_q(s, sl->op[k].buf, j, y, x));
      j -= n;
    }
    fail("internal: concat channel out of range");
    return 0;
  case KIND_SLICE:
    return finish_rescaled(L, act_q(s, sl->op[0].buf, c + L->start, y, x));
  case KIND_SHUFFLE: {
    int g = L->shuffle_groups, pg = sl->ic / g;
    return finish_rescaled(L, act_q(s, sl->op[0].buf, (c % g) * pg + c / g, y, x));
  }
#if MEMSCHED_WITH_AFFINE
  case KIND_AFFINE: {
    const Buf *wb = &s->b[sl->wbuf];
    const int acc = wb->qbias[c % wb->ext[0]] + scratch[weight_slot(wb, c, 0, 0)] * act_q(s, sl->op[0].buf, c, y, x);
    return finish(L, mulshift(acc, L->mul[c]));
  }
#endif
  default:
    fail("internal: a layer the int8 build does not compute");
    return 0;
  }
}

/* Columns xa..xb of the row (c, y) of a layer's output, into res. */
static void row_q(const Seg *s, SegLayer *sl, int c, int y, int xa, int xb, elem *res) {
  int x;
  if (sl->L->kind == KIND_CONV) conv_row_q(s, sl, c, y, xa, xb, res);
  else
    for (x = xa; x <= xb; x++) res[x - xa] = element_q(s, sl, c, y, x);
}
