// The release build's fills (inputs, weights and the output through the DRAM hooks, intermediates
// computed by their producers) and the last layer's computation of a tile.

/* ---- rows of an activation buffer ---- */

#if MEMSCHED_WITH_RASTER
/* The columns xa..xb of row (c, y) of a raster line buffer lie at adjacent positions of its run, ext[0]
   slots apart, wrapping around it once at most: their slots are first + j * ext[0] for the n1 columns
   before the wrap, then base + (j - n1) * ext[0] (base: the channel's slot). Returns n1. */
static int raster_row(const Buf *b, int c, int y, int xa, int xb, i64 *base, i64 *first) {
  const int p = wrapped(b, b->am[1][y] + b->am[2][xa]), left = b->run - p / b->ext[0];
  *base = b->offset + b->am[0][c];
  *first = *base + p;
  return xb - xa + 1 < left ? xb - xa + 1 : left;
}
#endif

/* v[0..xb - xa] into the columns xa..xb of row (c, y) of activation buffer b. */
static void store_row(const Buf *b, int c, int y, int xa, int xb, const elem *v) {
  int x;
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) {
    const int e = b->ext[0];
    i64 base, first;
    const int n1 = raster_row(b, c, y, xa, xb, &base, &first);
    for (x = 0; x < n1; x++) scratch[first + (i64)x * e] = v[x];
    for (; x <= xb - xa; x++) scratch[base + (i64)(x - n1) * e] = v[x];
    return;
  }
#endif
  {
    const i64 base = b->offset + b->am[1][y] + b->am[0][c];
    for (x = xa; x <= xb; x++) scratch[base + b->am[2][x]] = v[x - xa];
  }
}

#if VECTORS
/* v[0..xb - xa] += the columns xa..xb of row (c, y) of activation buffer b (partial sums). */
static void add_row(const Buf *b, int c, int y, int xa, int xb, float *v) {
  int x;
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) {
    const int e = b->ext[0];
    i64 base, first;
    const int n1 = raster_row(b, c, y, xa, xb, &base, &first);
    for (x = 0; x < n1; x++) v[x] += scratch[first + (i64)x * e];
    for (; x <= xb - xa; x++) v[x] += scratch[base + (i64)(x - n1) * e];
    return;
  }
#endif
  {
    const i64 base = b->offset + b->am[1][y] + b->am[0][c];
    for (x = xa; x <= xb; x++) v[x - xa] += scratch[base + b->am[2][x]];
  }
}
#endif

/* ---- elementwise layers and max pooling: channels at a time ---- */

#if VECTORS
/* Whether channelwise_box applies to channels c..c + n - 1 of a layer writing buffer b: an elementwise layer
   (no operand broadcast) or a max pooling, the channels adjacent in b and in every operand's buffer. */
static int channelwise_layer(const Seg *s, const SegLayer *sl, const Buf *b, int c, int n) {
  const Layer *L = sl->L;
  const Tensor *out = &tensors[L->out];
  int k;
  if (!(L->kind == KIND_ELTWISE || (L->kind == KIND_POOL && L->pool_max)) || n < 2 ||
      b->am[0][c + n - 1] != b->am[0][c] + n - 1)
    return 0;
  for (k = 0; k < sl->nop; k++) {
    const Tensor *t = &tensors[L->in[k]];
    const Buf *in = &s->b[sl->op[k].buf];
    if ((L->kind == KIND_ELTWISE && (t->h != out->h || t->w != out->w)) || in->am[0][c + n - 1] != in->am[0][c] + n - 1)
      return 0;
  }
  return 1;
}

/* The channels c..c + n - 1 (channelwise_layer) of rows ya..yb, columns xa..xb of the layer's output buffer
   b: per position its operands' channels (a pooling's window's) combined in loops the compiler
   vectorises, in element's order. */
static void channelwise_box(const Seg *s, const SegLayer *sl, const Buf *b, int c, int n, int ya, int yb, int xa, int xb) {
  const Layer *L = sl->L;
  int y, x, k, j, iy, ix;
  for (y = ya; y <= yb; y++)
    for (x = xa; x <= xb; x++) {
      float *o = scratch + act_slot(b, c, y, x);
      if (L->kind == KIND_POOL) {
        const Buf *in = &s->b[sl->op[0].buf];
        const PoolWindow w = pool_window(sl, y, x);
        for (j = 0; j < n; j++) o[j] = -INFINITY;
        for (iy = w.ya; iy < w.yb; iy++)
          for (ix = w.xa; ix < w.xb; ix++) {
            const float *v = scratch + act_slot(in, c, iy, ix);
            for (j = 0; j < n; j++) o[j] = v[j] > o[j] ? v[j] : o[j];
          }
      } else
        for (k = 0; k < sl->nop; k++) {
          const float *v = scratch + act_slot(&s->b[sl->op[k].buf], c, y, x);
          if (k == 0) memcpy(o, v, (size_t)n * sizeof(float));
          else if (L->elt_op == ELT_ADD)
            for (j = 0; j < n; j++) o[j] += v[j];
          else if (L->elt_op == ELT_MUL)
            for (j = 0; j < n; j++) o[j] *= v[j];
          else
            for (j = 0; j < n; j++) o[j] = v[j] > o[j] ? v[j] : o[j];
        }
      post_run(L, o, n);
    }
}
#endif

/* ---- fills ---- */

/* Makes a demand present: what is new is loaded or brought in (only the real elements). */
static void fill(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  if (!fill_scan(b, d)) return;
#if MEMSCHED_WITH_WARMUP
  real_runs(b, d);
#endif
  all_runs(b);
  if (b->role == ROLE_INPUT) load_input(b);
  else if (b->role == ROLE_WEIGHTS) load_weights(s, b);
  else bring_in_output(b, s->partial);
}

static void fill_last(Seg *s, int bi, const Region *r) {
  demand_last(s, bi, r, &s->b[bi].dem);
  s->partial = r->r0 > 0; /* the reduction loop is outside the fill and past its first tile */
  fill(s, bi, &s->b[bi].dem);
}

#if FUSED
/* What the producer p reads computing the runs of its output buffer b (a fill's new part) extends the
   demands (acc) of its operands' and weights' buffers (online: only those filled where p computes).
   Runs forming a box (runs_box: per channel the same rows and columns, channels consecutive) are taken
   a row of channels at a time: their windows are monotone, so what channels ca..cb read at one row and
   columns is the window of the first reading and the last (the same hull as run by run, in 1/channels
   the work). */
static void runs_reads(Seg *s, const SegLayer *p, const Buf *b, int online) {
  int per, last;
  Box *wacc = p->wbuf >= 0 && (!online || s->b[p->wbuf].demand == DEMAND_ONLINE) ? &s->b[p->wbuf].acc : NULL;
  Box t;
  int i, k;
  if (!runs_box(b, &per)) per = b->nruns;
  last = b->nruns / per - 1;
  for (i = 0; i < per; i++) {
    const Run *u = &b->runs[i];
    for (k = 0; k < p->nop; k++) {
      const Operand *o = &p->op[k];
      const int ca = u->c > o->c.first ? u->c : o->c.first, cb = u->c + last < o->c.last ? u->c + last : o->c.last;
      Buf *ib = &s->b[o->buf];
      if ((online && ib->demand != DEMAND_ONLINE) || ca > cb || u->y < o->y.first || u->y > o->y.last) continue;
      t.lo[0] = o->c.lo[ca];
      t.hi[0] = o->c.hi[cb] + p->red - 1;
      t.lo[1] = o->y.lo[u->y];
      t.hi[1] = o->y.hi[u->y];
      if (win_hull(&o->x, u->xa, u->xb + 1, &t.lo[2], &t.hi[2])) box_extend(&ib->acc, &t);
    }
    if (wacc != NULL && weights_run(p, u, &t)) {
      t.hi[0] = u->c + last;
      box_extend(wacc, &t);
    }
  }
}

/* An intermediate, before its producer's inputs are filled: what is new, and the hull of what the
   producer will read for it extends the demands of its online inputs. */
static void fill_begin(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  if (!fill_scan(b, &b->dem)) return;
  runs_reads(s, p, b, 1);
#if MEMSCHED_WITH_WARMUP
  real_runs(b, &b->dem); /* the producer computes the real elements */
#endif
}

#if VECTORS
/* The rows (c + j, ya..yb), columns xa..xb (j < n) of the intermediate b, CONV_CHANNELS at a time. */
static void fill_block(Seg *s, SegLayer *p, Buf *b, int c, int n, int ya, int yb, int xa, int xb) {
  const Layer *L = p->L;
  const Buf *wb = &s->b[p->wbuf];
  const int w = xb - xa + 1, np = dot_pieces(&s->b[p->op[0].buf], wb, (c / p->pgo) * p->red, 0, p->red, p->pieces);
  float *rows[CONV_CHANNELS];
  int j, x, y;
  if (direct_slots(b, c, n)) {
    conv_block(s, p, c, n, ya, yb, xa, xb, p->pieces, np, NULL, b);
    return;
  }
  for (j = 0; j < CONV_CHANNELS; j++) rows[j] = s->sums + j * s->nsums;
  conv_block(s, p, c, n, ya, yb, xa, xb, p->pieces, np, rows, NULL);
  for (j = 0; j < n; j++) {
    const float bias = bias_of(L, wb, c + j);
    for (x = 0; x < (yb - ya + 1) * w; x++) rows[j][x] += bias;
    post_run(L, rows[j], (yb - ya + 1) * w);
    for (y = ya; y <= yb; y++) store_row(b, c + j, y, xa, xb, rows[j] + (y - ya) * w);
  }
}
#endif

#if !MEMSCHED_WITH_INT8
/* The row (c, y), columns xa..xb of the intermediate b, by conv_row over the np pieces of c's group
   (dot_pieces, in p->pieces). */
static void conv_run(Seg *s, SegLayer *p, Buf *b, int c, int y, int xa, int xb, int np) {
  const Buf *wb = &s->b[p->wbuf];
  const float bias = bias_of(p->L, wb, c);
  int x;
  conv_row(s, p, c, y, xa, xb, p->pieces, np, p->row);
  for (x = 0; x <= xb - xa; x++) p->row[x] += bias;
  post_run(p->L, p->row, xb - xa + 1);
  store_row(b, c, y, xa, xb, p->row);
}
#endif

#ifdef MEMSCHED_COUNT
/* The counting build: the elements a producer computed for the runs of b, and their MACs. */
static void count_computed(Buf *b, SegLayer *p) {
  int k;
  all_runs(b);
  for (k = 0; k < b->nruns; k++) {
    b->filled += b->runs[k].xb - b->runs[k].xa + 1;
    p->macs += (i64)(b->runs[k].xb - b->runs[k].xa + 1) * p->red * p->K;
  }
}
#endif

#if !MEMSCHED_WITH_INT8
static void compute_axpy(Seg *s, SegLayer *sl, const Buf *ob, const Region *r);
#endif

#if !MEMSCHED_WITH_INT8
/* How many of the runs k, k + 1, .. (before `end`, at most `most`) are the next rows of run k's
   channel over the same columns: they are computed together. */
static int next_rows(const Buf *b, int k, int end, int most) {
  const Run *u = &b->runs[k];
  int h;
  for (h = 1; k + h < end && h < most; h++) {
    const Run *v = &b->runs[k + h];
    if (v->c != u->c || v->y != u->y + h || v->xa != u->xa || v->xb != u->xb) break;
  }
  return h;
}
#endif

/* The intermediate's producer computes what is new, a row at a time (a convolution updating output
   channels at once: a row of the box's channels, or of one run's channel; a box of rows of a convolution
   reducing over channels innermost: up to CONV_CHANNELS at a time; of a depthwise one or one reading a
   single input channel: every channel of a box of rows, dw_box). */
static void fill_end(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
#if MEMSCHED_WITH_INT8
  int k, per, j;
  all_runs(b);
  if (b->nruns > 0 && slice_rows(s, p, 0, p->red) && runs_box(b, &per)) {
    const int channels = b->nruns / per;
    for (k = 0; k < per; k++) { /* a row of the box's channels at a time */
      const Run *u = &b->runs[k];
      conv_box_q(s, p, u->c, channels, u->y, u->xa, u->xb, p->box);
      for (j = 0; j < channels; j++) store_row(b, u->c + j, u->y, u->xa, u->xb, p->box + j * (u->xb - u->xa + 1));
    }
  } else
    for (k = 0; k < b->nruns; k++) {
      const Run *u = &b->runs[k];
      row_q(s, p, u->c, u->y, u->xa, u->xb, p->row);
      store_row(b, u->c, u->y, u->xa, u->xb, p->row);
    }
#ifdef MEMSCHED_COUNT
  count_computed(b, p);
#endif
#else
  const Layer *L = p->L;
  int k, x, np = 0, g = -1;
  if (L->kind == KIND_CONV && p->mode == CONV_AXPY) {
    int per = b->nruns, channels = 1, h;
    if (b->nruns > 1 && runs_box(b, &per)) channels = b->nruns / per;
    for (k = 0; k < per; k += h) {
      const Run *u = &b->runs[k];
      h = next_rows(b, k, per, per);
      const Region r = {u->c, u->c + channels, u->y, u->y + h, u->xa, u->xb + 1, 0, p->red};
      compute_axpy(s, p, b, &r);
    }
#ifdef MEMSCHED_COUNT
    count_computed(b, p);
#endif
    return;
  }
#if VECTORS
  int per, n, q, h, y;
  const int rows = channel_rows(s, p);
  if (rows && b->nruns > 0 && runs_box(b, &per)) {
    const int channels = b->nruns / per;
    for (k = 0; k < per; k += h) {
      const Run *u = &b->runs[k];
      h = next_rows(b, k, per, per);
      for (q = 0; q < channels; q += n) {
        n = adjacent_channels(s, p, b, u->c + q, channels - q, rows == 2);
        if (n > 0) dw_box(s, p, b, u->c + q, n, rows == 2, u->y, u->y + h - 1, u->xa, u->xb);
        else { /* a channel whose slots wrap: alone, row by row */
          n = 1;
          for (y = u->y; y < u->y + h; y++)
            conv_run(s, p, b, u->c + q, y, u->xa, u->xb,
                     dot_pieces(&s->b[p->op[0].buf], &s->b[p->wbuf], u->c + q, 0, 1, p->pieces));
        }
      }
    }
#ifdef MEMSCHED_COUNT
    count_computed(b, p);
#endif
    return;
  }
  if (b->nruns > 0 && blocked(s, p) && runs_box(b, &per)) {
    const int channels = b->nruns / per;
    for (k = 0; k < per; k += h) {
      const Run *u = &b->runs[k];
      h = next_rows(b, k, per, s->nsums / (u->xb - u->xa + 1)); /* as many as the sums hold */
      for (q = 0; q < channels; q += n) {
        n = channel_block(p, u->c + q, u->c + channels);
        fill_block(s, p, b, u->c + q, n, u->y, u->y + h - 1, u->xa, u->xb);
      }
    }
#ifdef MEMSCHED_COUNT
    count_computed(b, p);
#endif
    return;
  }
  if (b->nruns > 1 && runs_box(b, &per) && channelwise_layer(s, p, b, b->runs[0].c, b->nruns / per)) {
    for (k = 0; k < per; k++)
      channelwise_box(s, p, b, b->runs[k].c, b->nruns / per, b->runs[k].y, b->runs[k].y, b->runs[k].xa, b->runs[k].xb);
#ifdef MEMSCHED_COUNT
    count_computed(b, p);
#endif
    return;
  }
#endif
  all_runs(b);
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    if (L->kind == KIND_CONV) {
      if (u->c / p->pgo != g) {
        g = u->c / p->pgo;
        np = dot_pieces(&s->b[p->op[0].buf], &s->b[p->wbuf], g * p->red, 0, p->red, p->pieces);
      }
      conv_run(s, p, b, u->c, u->y, u->xa, u->xb, np);
    } else {
      for (x = u->xa; x <= u->xb; x++) p->row[x - u->xa] = apply_post(L, element(s, p, u->c, u->y, x));
      store_row(b, u->c, u->y, u->xa, u->xb, p->row);
    }
#ifdef MEMSCHED_COUNT
    b->filled += u->xb - u->xa + 1;
    p->macs += (i64)(u->xb - u->xa + 1) * p->red * p->K;
#endif
  }
#endif
}
#endif

/* The store level: the buffer starts empty (the output first writes back what it holds). */
static void reset(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  if (b->role == ROLE_OUTPUT) flush(b);
  b->instance++;
  b->has_last = 0;
}

#if VECTORS
/* The last layer's convolution of one tile for one reduction slice, CONV_CHANNELS at a time, as
   many rows at once as the sums hold. */
static void compute_block(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf];
  const int first = r->r0 == 0, final = r->r1 == sl->red, w = r->x1 - r->x0;
  const int h = s->nsums / w < r->y1 - r->y0 ? s->nsums / w : r->y1 - r->y0;
  float *rows[CONV_CHANNELS];
  int y, yy, c, n, j, x, np;
  for (j = 0; j < CONV_CHANNELS; j++) rows[j] = s->sums + j * s->nsums;
  for (y = r->y0; y < r->y1; y += h)
    for (c = r->c0; c < r->c1; c += n) {
      const int yb = y + h < r->y1 ? y + h - 1 : r->y1 - 1;
      n = channel_block(sl, c, r->c1);
      np = dot_pieces(&s->b[sl->op[0].buf], wb, (c / sl->pgo) * sl->red, r->r0, r->r1, sl->pieces);
      if (first && final && direct_slots(ob, c, n)) {
        conv_block(s, sl, c, n, y, yb, r->x0, r->x1 - 1, sl->pieces, np, NULL, ob);
        continue;
      }
      conv_block(s, sl, c, n, y, yb, r->x0, r->x1 - 1, sl->pieces, np, rows, NULL);
      for (j = 0; j < n; j++) {
        const float bias = bias_of(L, wb, c + j);
        for (yy = y; yy <= yb; yy++) {
          float *sum = rows[j] + (yy - y) * w;
          if (first)
            for (x = 0; x < w; x++) sum[x] += bias;
          else
            add_row(ob, c + j, yy, r->x0, r->x1 - 1, sum);
        }
        if (final) post_run(L, rows[j], (yb - y + 1) * w);
        for (yy = y; yy <= yb; yy++) store_row(ob, c + j, yy, r->x0, r->x1 - 1, rows[j] + (yy - y) * w);
      }
    }
}
#endif

#if !MEMSCHED_WITH_INT8
/* Output channels axpy_block takes at once (at most), and the weights (floats) one pass over the
   positions of a row reads: a slice of the reduction whose weights stay in the L1 cache while every
   position of the row uses them. */
#define AXPY_CHANNELS 64
static const float no_bias[AXPY_CHANNELS]; /* (zeros: the sums of a layer without biases start there) */
#define AXPY_CHUNK 6144

/* compute_axpy's blocks of positions: up to AXPY_POSITIONS neighbouring positions of a row whose taps are
   the same columns of the kernel (rows then columns: a box one column wide takes them from the next
   rows), the slots of their outputs' first channel, and their taps' weight offsets and input slots from
   axpy_taps_of[at] on: n offsets, then n slots per position. Found once per call, for every channel
   block and reduction slice. */
typedef struct {
  int m, n;
  i64 out[AXPY_POSITIONS], at;
} AxpyBlock;
static AxpyBlock *axpy_blocks;
static i64 *axpy_taps_of;
static i64 axpy_nblocks, axpy_ntaps; /* their capacities */

static int axpy_plan(const Seg *s, const SegLayer *sl, const Buf *ob, const Region *r) {
  const Layer *L = sl->L;
  const Buf *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  int nb, y, x, m, q, ky, kx, ys[AXPY_POSITIONS], xs[AXPY_POSITIONS];
  i64 at = 0, *t;
  for (nb = 0, y = r->y0, x = r->x0; y < r->y1; nb++) {
    AxpyBlock *b;
    if (nb == axpy_nblocks) axpy_blocks = (AxpyBlock *)xgrow(axpy_blocks, &axpy_nblocks, sizeof(AxpyBlock));
    b = &axpy_blocks[nb];
    for (m = 0; m < AXPY_POSITIONS && y < r->y1; m++) {
      if (m > 0 && !same_taps(sl, ys[0], xs[0], y, x)) break;
      ys[m] = y;
      xs[m] = x;
      b->out[m] = ob->offset + wrapped(ob, ob->am[1][y] + ob->am[2][x]);
      if (++x >= r->x1) {
        x = r->x0;
        y++;
      }
    }
    b->m = m;
    b->n = (sl->kyb[ys[0]] - sl->kya[ys[0]] + 1) * (sl->kxb[xs[0]] - sl->kxa[xs[0]] + 1);
    b->at = at;
    at += (i64)(m + 1) * b->n;
    while (at > axpy_ntaps) axpy_taps_of = (i64 *)xgrow(axpy_taps_of, &axpy_ntaps, sizeof(i64));
    t = axpy_taps_of + b->at;
    for (ky = sl->kya[ys[0]]; ky <= sl->kyb[ys[0]]; ky++)
      for (kx = sl->kxa[xs[0]]; kx <= sl->kxb[xs[0]]; kx++) *t++ = (i64)(ky * L->kw + kx) * wb->wt;
    for (q = 0; q < m; q++) {
      const int y0 = ys[q] * L->sh - L->pt, x0 = xs[q] * L->sw - L->pl;
      for (ky = sl->kya[ys[0]]; ky <= sl->kyb[ys[0]]; ky++)
        for (kx = sl->kxa[xs[0]]; kx <= sl->kxb[xs[0]]; kx++)
          *t++ = wrapped(in, in->am[1][y0 + ky * L->dh] + in->am[2][x0 + kx * L->dw]);
    }
  }
  return nb;
}

/* A convolution updating output channels at once, a group at a time, for one tile and one reduction slice
   (the last layer) or for what a fill computes (a producer: the whole reduction): every input element
   read updates up to AXPY_CHANNELS output channels in their slots, for the positions of a block
   (axpy_plan). */
static void compute_axpy(Seg *s, SegLayer *sl, const Buf *ob, const Region *r) {
  const Layer *L = sl->L;
  const Buf *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  const float *is = scratch + in->offset, *ws = scratch + wb->offset;
  const Piece *pc = sl->pieces;
  const int np = axpy_pieces(ob, wb, r->c0, r->c1, sl->pieces), nb = axpy_plan(s, sl, ob, r);
  float *o[AXPY_POSITIONS];
  int j, k, q, c, len, i0, i1, kc, first, bi, slices;
  for (k = 0, first = r->c0; k < np; first += pc[k++].n)
    for (c = 0; c < pc[k].n; c += len) {
      /* within one group, whose input channels start at g * red */
      const int g = L->groups == 1 ? 0 : (first + c) / sl->pgo, *mi = in->am[0] + g * sl->red;
      len = pc[k].n - c < AXPY_CHANNELS ? pc[k].n - c : AXPY_CHANNELS;
      if (L->groups > 1 && len > (g + 1) * sl->pgo - first - c) len = (g + 1) * sl->pgo - first - c;
      kc = r->r1 - r->r0;
      if (nb > 1 && (i64)kc * sl->K * len > AXPY_CHUNK) { /* (one block of positions reuses nothing) */
        kc = AXPY_CHUNK / (sl->K * len);
        if (kc * sl->K < 16) kc = (16 + sl->K - 1) / sl->K;
        slices = (r->r1 - r->r0 + kc - 1) / kc; /* as many, of even sizes */
        kc = (r->r1 - r->r0 + slices - 1) / slices;
      }
      for (i0 = r->r0; i0 < r->r1; i0 = i1) {
        i1 = r->r1 - i0 < kc ? r->r1 : i0 + kc;
        for (bi = 0; bi < nb; bi++) {
          const AxpyBlock *b = &axpy_blocks[bi];
          const i64 *twt = axpy_taps_of + b->at;
          for (q = 0; q < b->m; q++) o[q] = scratch + b->out[q] + pc[k].a + c;
          axpy_block(o, b->m, is, ws + pc[k].b + c, twt + b->n, twt, b->n, mi, wb->am[1], i0, i1, len,
                     i0 > 0 ? NULL : L->has_bias ? ws + wb->wbias + pc[k].b + c : no_bias);
          if (i1 == sl->red && L->npost > 0) /* adjacent positions' channels in one run */
            for (q = 0; q < b->m; q = j) {
              for (j = q + 1; j < b->m && o[j] == o[j - 1] + len; j++) {
              }
              post_run(L, o[q], (j - q) * len);
            }
        }
      }
    }
}

#endif

/* The last layer's computation of one tile for one reduction slice (the innermost level). */
static void compute_last(Seg *s, const Region *r) {
  SegLayer *sl = &s->l[s->last];
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf];
  int c, y;
#if MEMSCHED_WITH_WARMUP
  if (WARMUP_TILE(s, r)) return; /* its outputs are virtual */
#endif
#if MEMSCHED_WITH_INT8
  if (L->kind == KIND_CONV && (r->r0 > 0 || r->r1 < sl->red)) partial_q(s, sl, r);
  else if (slice_rows(s, sl, 0, sl->red))
    for (y = r->y0; y < r->y1; y++) {
      conv_box_q(s, sl, r->c0, r->c1 - r->c0, y, r->x0, r->x1 - 1, sl->box);
      for (c = r->c0; c < r->c1; c++)
        store_row(ob, c, y, r->x0, r->x1 - 1, sl->box + (c - r->c0) * (r->x1 - r->x0));
    }
  else
    for (c = r->c0; c < r->c1; c++)
      for (y = r->y0; y < r->y1; y++) {
        row_q(s, sl, c, y, r->x0, r->x1 - 1, sl->row);
        store_row(ob, c, y, r->x0, r->x1 - 1, sl->row);
      }
#else
  int x;
  if (L->kind == KIND_CONV && sl->mode == CONV_AXPY) compute_axpy(s, sl, ob, r);
#if VECTORS
  else if (blocked(s, sl)) compute_block(s, sl, r);
#endif
  else if (L->kind == KIND_CONV) compute_dot(s, sl, r);
#if VECTORS
  else if (channelwise_layer(s, sl, ob, r->c0, r->c1 - r->c0))
    channelwise_box(s, sl, ob, r->c0, r->c1 - r->c0, r->y0, r->y1 - 1, r->x0, r->x1 - 1);
#endif
  else
    for (c = r->c0; c < r->c1; c++)
      for (y = r->y0; y < r->y1; y++) {
        for (x = r->x0; x < r->x1; x++) sl->row[x - r->x0] = apply_post(L, element(s, sl, c, y, x));
        store_row(ob, c, y, r->x0, r->x1 - 1, sl->row);
      }
#endif
#ifdef MEMSCHED_COUNT
  sl->macs += (i64)(r->c1 - r->c0) * (r->y1 - r->y0) * (r->x1 - r->x0) * (L->kind == KIND_CONV ? (r->r1 - r->r0) * sl->K : 0);
#endif
}
