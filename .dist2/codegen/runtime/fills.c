// Fills (of inputs, weights, the output, and intermediates computed by their producers), the last
// layer's demands, and its computation of a tile.

/* ---- fills ---- */

#if MEMSCHED_WITH_RASTER && !MEMSCHED_WITH_RELEASE
/* The sum of a convolution's output element (o, y, x) over the input channels [r0, r1) of its group,
   element by element: a raster line buffer's rows wrap around its run, so the kernels that take a row
   as adjacent slots do not apply (the release build's kernels wrap per position instead). */
static float conv_element(const Seg *s, const SegLayer *sl, int o, int y, int x, int r0, int r1) {
  const Layer *L = sl->L;
  const Buf *in = &s->b[sl->op[0].buf], *wb = &s->b[sl->wbuf];
  const int cb = o / sl->pgo * sl->red, y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
  const int *mx = in->am[2] + x0;
  int i, ky, kx;
  float sum = 0;
  for (i = r0; i < r1; i++) {
    const float *ic = scratch + in->offset + in->am[0][cb + i];
    for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++) {
      const int row = in->am[1][y0 + ky * L->dh];
      const float *w = scratch + weight_slot(wb, o, i, ky * L->kw);
      for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) sum += ic[wrapped(in, row + mx[kx * L->dw])] * w[kx * wb->wt];
    }
  }
  return sum;
}

#endif
#if !MEMSCHED_WITH_RELEASE
/* Makes a demand present: the elements not present are loaded or brought in. */
static void fill(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  if (!fill_scan(b, d)) return;
#if MEMSCHED_WITH_WARMUP
  real_runs(b, d);
#endif
  if (b->role == ROLE_INPUT) load_input(b);
  else if (b->role == ROLE_WEIGHTS) load_weights(s, b);
  else bring_in_output(s, b);
  b->version++;
}

#if FUSED
/* An intermediate, before its producer's inputs are filled: the bookkeeping, and the hull of what the
   producer will read for the elements not present (the demands of its online inputs). */
static void fill_begin(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  Box t;
  int k, i;
  for (k = 0; k < p->nop; k++) box_clear(&p->hull[k]);
  box_clear(&p->whull);
  if (!fill_scan(b, &b->dem)) return;
  for (i = 0; i < b->nruns; i++) {
    const Run *u = &b->runs[i];
    for (k = 0; k < p->nop; k++)
      if (operand_run(&p->op[k], u, p->red, &t)) box_extend(&p->hull[k], &t);
    if (p->wbuf >= 0 && weights_run(p, u, &t)) box_extend(&p->whull, &t);
  }
  for (k = 0; k < p->nop; k++)
    if (s->b[p->op[k].buf].demand == DEMAND_ONLINE) box_extend(&s->b[p->op[k].buf].acc, &p->hull[k]);
  if (p->wbuf >= 0 && s->b[p->wbuf].demand == DEMAND_ONLINE) box_extend(&s->b[p->wbuf].acc, &p->whull);
#if MEMSCHED_WITH_WARMUP
  real_runs(b, &b->dem); /* the producer computes the real elements, reading weights for them */
#endif
}

/* The intermediate's producer computes what was not present; its reads are checked first. */
static void fill_end(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  SegLayer *p = &s->l[b->layer];
  const Layer *L = p->L;
  int k, x, np = 0, g = -1;
  float bias = 0;
  if (b->nruns == 0) return;
  for (k = 0; k < p->nop; k++) check_box(s, p->op[k].buf, &p->hull[k]);
  if (p->wbuf >= 0) check_box(s, p->wbuf, &p->whull);
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
#if MEMSCHED_WITH_RASTER
    const i64 base = b->offset + b->am[0][u->c];
    const int row = b->am[1][u->y];
#else
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
#endif
    int e = act_id(b, u->c, u->y, u->xa);
    if (L->kind == KIND_CONV) {
      const Buf *wb = &s->b[p->wbuf];
      if (u->c / p->pgo != g) {
        g = u->c / p->pgo;
        np = dot_pieces(&s->b[p->op[0].buf], wb, g * p->red, 0, p->red, p->pieces);
      }
      bias = bias_of(L, wb, u->c);
    }
#if MEMSCHED_WITH_RASTER
    if (L->kind == KIND_CONV && s->b[p->op[0].buf].run > 0)
      for (x = u->xa; x <= u->xb; x++) p->row[x - u->xa] = conv_element(s, p, u->c, u->y, x, 0, p->red);
    else if (L->kind == KIND_CONV)
      conv_row(s, p, u->c, u->y, u->xa, u->xb, p->pieces, np, p->row);
#else
    if (L->kind == KIND_CONV) conv_row(s, p, u->c, u->y, u->xa, u->xb, p->pieces, np, p->row);
#endif
    for (x = u->xa; x <= u->xb; x++, e++) {
#if MEMSCHED_WITH_RASTER
      i64 slot = base + wrapped(b, row + b->am[2][x]);
#else
      i64 slot = base + b->am[2][x];
#endif
      float v = L->kind == KIND_CONV ? bias + p->row[x - u->xa] : element(s, p, u->c, u->y, x);
      scratch[slot] = apply_post(L, v);
      tag[slot] = e + 1;
      b->filled++;
      p->macs += (i64)p->red * p->K;
    }
  }
  b->version++;
}

#endif

/* The store level: the buffer starts empty (the output first writes back what it holds). */
static void reset(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  int k;
  if (b->role == ROLE_OUTPUT) flush(b);
  b->inst_start = b->fills;
  b->has_last = 0;
  for (k = 0; k < 3; k++) b->stop[k][0] = b->stop[k][1] = 0;
}
#endif

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
#if MEMSCHED_WITH_WARMUP
    if (WARMUP_TILE(s, r)) return; /* no real output reads them */
#endif
    d->lo[0] = r->c0;
    d->hi[0] = r->c1 - 1;
    d->lo[1] = r->r0 == 0 && b->bias ? -1 : r->r0;
    d->hi[1] = r->r1 - 1;
    d->lo[2] = d->hi[2] = 0;
  } else
    for (k = 0; k < sl->nop; k++)
      if (sl->op[k].buf == bi && operand_region(&sl->op[k], r, &t)) box_extend(d, &t);
}

#if !MEMSCHED_WITH_RELEASE
static void fill_last(Seg *s, int bi, const Region *r) {
  demand_last(s, bi, r, &s->b[bi].dem);
  fill(s, bi, &s->b[bi].dem);
}
#endif

#if PLANNING
static void plan_next(Buf *b, Box *d) {
  if (b->plan_at >= b->plan_n) fail("internal: the plan has fewer fills than the run");
  *d = b->plan[b->plan_at].box;
  if (++b->plan_used == b->plan[b->plan_at].n) {
    b->plan_at++;
    b->plan_used = 0;
  }
}
#endif

#if !MEMSCHED_WITH_INT8
/* The last layer's convolution of one tile for one reduction slice, output channels innermost. */
static void compute_dot(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf];
  int c, y, x, g = -1, np = 0, first = r->r0 == 0, final = r->r1 == sl->red;
  for (y = r->y0; y < r->y1; y++)
    for (c = r->c0; c < r->c1; c++) {
      const float bias = bias_of(L, wb, c);
      if (c / sl->pgo != g) {
        g = c / sl->pgo;
        np = dot_pieces(&s->b[sl->op[0].buf], wb, g * sl->red, r->r0, r->r1, sl->pieces);
      }
      conv_row(s, sl, c, y, r->x0, r->x1 - 1, sl->pieces, np, sl->row);
      for (x = r->x0; x < r->x1; x++) {
        i64 slot = act_slot(ob, c, y, x);
        float v = (first ? bias : scratch[slot]) + sl->row[x - r->x0];
        scratch[slot] = final ? apply_post(L, v) : v;
      }
    }
}
#endif

#if !MEMSCHED_WITH_INT8
/* Output channels [c0, c1) split where the output buffer's or the weights' channel slots wrap (weights
   [in][tap][out]): output slots a.., weight slots b... */
static int axpy_pieces(const Buf *ob, const Buf *wb, int c0, int c1, Piece *p) {
  int n = 0, c = c0;
  while (c < c1) {
    int a = ob->am[0][c], b = wb->am[0][c], len = c1 - c;
    if (ob->ext[0] - a < len) len = ob->ext[0] - a;
    if (wb->ext[0] - b < len) len = wb->ext[0] - b;
    p[n].a = a;
    p[n].b = b;
    p[n++].n = len;
    c += len;
  }
  return n;
}
#endif

#if !MEMSCHED_WITH_RELEASE
/* The same with one group: every input element read updates the tile's output channels at once, in
   their slots. */
static void compute_axpy(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf], *in = &s->b[sl->op[0].buf];
  const float *is = scratch + in->offset, *ws = scratch + wb->offset;
  const Piece *pc = sl->pieces;
  int y, x, j, k, ky, kx, n, first = r->r0 == 0, final = r->r1 == sl->red;
  int np = axpy_pieces(ob, wb, r->c0, r->c1, sl->pieces);
  for (y = r->y0; y < r->y1; y++)
    for (x = r->x0; x < r->x1; x++) {
      const int y0 = y * L->sh - L->pt, x0 = x * L->sw - L->pl;
      float *out = scratch + ob->offset + ob->am[1][y] + ob->am[2][x];
      n = 0;
      for (ky = sl->kya[y]; ky <= sl->kyb[y]; ky++)
        for (kx = sl->kxa[x]; kx <= sl->kxb[x]; kx++) {
          sl->tin[n] = (i64)in->am[1][y0 + ky * L->dh] + in->am[2][x0 + kx * L->dw];
          sl->twt[n++] = (i64)(ky * L->kw + kx) * wb->wt;
        }
      for (k = 0; k < np; k++) {
        float *o = out + pc[k].a;
        if (first)
          for (j = 0; j < pc[k].n; j++) o[j] = L->has_bias ? ws[wb->wbias + pc[k].b + j] : 0.0f;
        axpy_taps(o, is, ws + pc[k].b, sl->tin, sl->twt, n, in->am[0], wb->am[1], r->r0, r->r1, pc[k].n);
        if (final && L->npost > 0)
          for (j = 0; j < pc[k].n; j++) o[j] = apply_post(L, o[j]);
      }
    }
}
#endif

#if MEMSCHED_WITH_RASTER && !MEMSCHED_WITH_RELEASE
/* The last layer's convolution of one tile for one reduction slice, element by element (it reads or
   writes a raster line buffer). */
static void compute_raster(Seg *s, SegLayer *sl, const Region *r) {
  const Layer *L = sl->L;
  const Buf *ob = &s->b[sl->obuf], *wb = &s->b[sl->wbuf];
  int c, y, x, first = r->r0 == 0, final = r->r1 == sl->red;
  for (y = r->y0; y < r->y1; y++)
    for (c = r->c0; c < r->c1; c++) {
      const float bias = bias_of(L, wb, c);
      for (x = r->x0; x < r->x1; x++) {
        i64 slot = act_slot(ob, c, y, x);
        float v = (first ? bias : scratch[slot]) + conv_element(s, sl, c, y, x, r->r0, r->r1);
        scratch[slot] = final ? apply_post(L, v) : v;
      }
    }
}

#endif
#if !MEMSCHED_WITH_RELEASE
/* The last layer's computation of one tile for one reduction slice (the innermost level). */
static void compute_last(Seg *s, const Region *r) {
  SegLayer *sl = &s->l[s->last];
  const Layer *L = sl->L;
  Box d;
  int k, c, y, x;
  /* what it reads: a buffer filled here demanded exactly this tile's reads (of all its operands) */
  for (k = 0; k < sl->nop; k++)
    if (s->b[sl->op[k].buf].fill == 4) check_box(s, sl->op[k].buf, &s->b[sl->op[k].buf].dem);
    else if (operand_region(&sl->op[k], r, &d)) check_box(s, sl->op[k].buf, &d);
  if (sl->wbuf >= 0) {
    if (s->b[sl->wbuf].fill == 4) d = s->b[sl->wbuf].dem;
    else demand_last(s, sl->wbuf, r, &d);
    check_box(s, sl->wbuf, &d);
  }
  if (s->b[sl->obuf].fill == 4) d = s->b[sl->obuf].dem;
  else demand_last(s, sl->obuf, r, &d);
  check_box(s, sl->obuf, &d);
#if MEMSCHED_WITH_WARMUP
  if (WARMUP_TILE(s, r)) return; /* its outputs are virtual */
#endif
#if MEMSCHED_WITH_RASTER
  if (L->kind == KIND_CONV && (s->b[sl->op[0].buf].run > 0 || s->b[sl->obuf].run > 0)) compute_raster(s, sl, r);
  else
#endif
  if (L->kind == KIND_CONV && sl->mode == CONV_AXPY) compute_axpy(s, sl, r);
  else if (L->kind == KIND_CONV) compute_dot(s, sl, r);
  else {
    Buf *ob = &s->b[sl->obuf];
    for (y = r->y0; y < r->y1; y++)
      for (x = r->x0; x < r->x1; x++)
        for (c = r->c0; c < r->c1; c++) scratch[act_slot(ob, c, y, x)] = apply_post(L, element(s, sl, c, y, x));
  }
  /* an output element's reduction tiles come in order: after its first one, partial sums are kept */
  if (r->r0 == 0)
    for (c = r->c0; c < r->c1; c++)
      for (y = r->y0; y < r->y1; y++)
        memset(s->accumulated + act_id(&s->b[sl->obuf], c, y, r->x0), 1, (size_t)(r->x1 - r->x0));
  sl->macs += (i64)(r->c1 - r->c0) * (r->y1 - r->y0) * (r->x1 - r->x0) * (L->kind == KIND_CONV ? (r->r1 - r->r0) * sl->K : 0);
}

static i64 prev_elements(const Buf *b) {
#if MEMSCHED_WITH_WARMUP
  return b->role == ROLE_WEIGHTS ? (i64)b->size[0] * (b->size[1] + 1) : (i64)b->size[0] * (b->size[1] + b->virt[1]) * (b->size[2] + b->virt[2]);
#else
  return b->role == ROLE_WEIGHTS ? (i64)b->size[0] * (b->size[1] + 1) : (i64)b->size[0] * b->size[1] * b->size[2];
#endif
}
#endif
