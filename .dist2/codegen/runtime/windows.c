// Windows: per output position of a consumer, what it reads of an operand along one dimension.

/* ---- windows ---- */

static void win_init(Win *w, int n) {
#if MEMSCHED_WITH_WARMUP
  w->lo = (int *)xcalloc(w->m + n, sizeof(int)) + w->m;
  w->hi = (int *)xcalloc(w->m + n, sizeof(int)) + w->m;
#else
  w->lo = (int *)xcalloc(n, sizeof(int));
  w->hi = (int *)xcalloc(n, sizeof(int));
#endif
}

static void win_finish(Win *w, int n) {
#if MEMSCHED_WITH_WARMUP
  int v, prev_lo = INT_MIN, prev_hi = INT_MIN;
#else
  int v, prev_lo = -1, prev_hi = -1;
#endif
  w->first = 0;
  w->last = -1;
#if MEMSCHED_WITH_WARMUP
  for (v = -w->m; v < n; v++) {
#else
  for (v = 0; v < n; v++) {
#endif
    if (w->lo[v] > w->hi[v]) continue;
    if (w->last < w->first) w->first = v;
    else if (w->last != v - 1) fail("internal: a window family with a gap");
    if (w->lo[v] < prev_lo || w->hi[v] < prev_hi) fail("internal: a window family that is not monotone");
    prev_lo = w->lo[v];
    prev_hi = w->hi[v];
    w->last = v;
  }
}

static void win_sliding(Win *w, int n, int size, int k, int s, int d, int pad) {
  int v;
  win_init(w, n);
#if MEMSCHED_WITH_WARMUP
  for (v = -w->m; v < n; v++) {
#else
  for (v = 0; v < n; v++) {
#endif
    int lo = v * s - pad, hi = lo + (k - 1) * d;
#if MEMSCHED_WITH_WARMUP
    w->lo[v] = lo < 0 && !w->virt ? 0 : lo;
#else
    w->lo[v] = lo < 0 ? 0 : lo;
#endif
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

/* [v + before, v + after] clipped to [0, size) */
static void win_span(Win *w, int n, int before, int after, int size) {
  int v;
  win_init(w, n);
#if MEMSCHED_WITH_WARMUP
  for (v = -w->m; v < n; v++) {
#else
  for (v = 0; v < n; v++) {
#endif
    int lo = v + before, hi = v + after;
#if MEMSCHED_WITH_WARMUP
    w->lo[v] = lo < 0 && !w->virt ? 0 : lo;
#else
    w->lo[v] = lo < 0 ? 0 : lo;
#endif
    w->hi[v] = hi > size - 1 ? size - 1 : hi;
  }
  win_finish(w, n);
}

static void win_const(Win *w, int n, int lo, int hi) {
  int v;
  win_init(w, n);
#if MEMSCHED_WITH_WARMUP
  for (v = -w->m; v < n; v++) {
#else
  for (v = 0; v < n; v++) {
#endif
    w->lo[v] = lo;
    w->hi[v] = hi;
  }
  win_finish(w, n);
}

/* grouped convolution: the first input channel of the output channel's group (the reduction slice is added) */
static void win_groups(Win *w, int n, int pgo, int pgi) {
  int v;
  win_init(w, n);
  for (v = 0; v < n; v++) w->lo[v] = w->hi[v] = (v / pgo) * pgi;
  win_finish(w, n);
}

static void win_free(Win *w) {
#if MEMSCHED_WITH_WARMUP
  free(w->lo - w->m);
  free(w->hi - w->m);
#else
  free(w->lo);
  free(w->hi);
#endif
}

static int win_hull(const Win *w, int a, int b, int *lo, int *hi) {
  int s = a > w->first ? a : w->first, e = b - 1 < w->last ? b - 1 : w->last;
  if (s > e) return 0;
  *lo = w->lo[s];
  *hi = w->hi[e];
  return 1;
}

/* Per output position, the first and last kernel tap that lands inside the input (a > b: none). */
static void kernel_taps(int n, int k, int stride, int pad, int dil, int in, int *first, int *last) {
  int v, m;
  for (v = 0; v < n; v++) {
    int a = k, b = -1;
    for (m = 0; m < k; m++) {
      int i = v * stride - pad + m * dil;
      if (i < 0 || i >= in) continue;
      if (m < a) a = m;
      b = m;
    }
    first[v] = a;
    last[v] = b;
  }
}

static void operand_windows(SegLayer *sl, int k) {
  const Layer *L = sl->L;
  const Tensor *in = &tensors[L->in[k]], *out = &tensors[L->out];
  Operand *o = &sl->op[k];
  int j, off = 0;
  switch (L->kind) {
  case KIND_CONV:
    win_groups(&o->c, out->c, sl->pgo, sl->red);
    win_sliding(&o->y, out->h, in->h, L->kh, L->sh, L->dh, L->pt);
    win_sliding(&o->x, out->w, in->w, L->kw, L->sw, L->dw, L->pl);
    return;
  case KIND_POOL:
    win_span(&o->c, out->c, 0, 0, in->c);
    win_sliding(&o->y, out->h, in->h, L->kh, L->sh, 1, L->pt);
    win_sliding(&o->x, out->w, in->w, L->kw, L->sw, 1, L->pl);
    return;
#if MEMSCHED_WITH_AFFINE
  case KIND_AFFINE:
#endif
  case KIND_ELTWISE:
    win_span(&o->c, out->c, 0, 0, in->c);
    if (in->h == 1 && in->w == 1) {
#if MEMSCHED_WITH_WARMUP
      if (out->h > 1 || out->w > 1) {
        win_const(&o->y, out->h, 0, 0);
        win_const(&o->x, out->w, 0, 0);
      } else {
        win_span(&o->y, out->h, 0, 0, in->h);
        win_span(&o->x, out->w, 0, 0, in->w);
      }
#else
      win_const(&o->y, out->h, 0, 0);
      win_const(&o->x, out->w, 0, 0);
#endif
      return;
    }
    break;
  case KIND_CONCAT:
    for (j = 0; j < k; j++) off += tensors[L->in[j]].c;
    win_span(&o->c, out->c, -off, -off, in->c);
    break;
  case KIND_SLICE:
    win_span(&o->c, out->c, L->start, L->start, in->c);
    break;
  case KIND_LRN:
    win_span(&o->c, out->c, -((L->lrn_size - 1) / 2), L->lrn_size / 2, in->c);
    break;
  default: /* softmax, shuffle: the whole channel column */
    win_const(&o->c, out->c, 0, in->c - 1);
    break;
  }
  win_span(&o->y, out->h, 0, 0, in->h);
  win_span(&o->x, out->w, 0, 0, in->w);
}
#if MEMSCHED_WITH_WARMUP

/* A consumer's windows along a warm-up dimension: from its lowest virtual output position, not clipped below 0. */
static void win_margins(Operand *o, const SegDesc *d, int i) {
  const int *m = d->buf[d->layer[i].obuf].virt, *last = d->buf[d->layer[d->nlayer - 1].obuf].virt;
  o->y.m = m[1];
  o->x.m = m[2];
  o->y.virt = last[1] > 0;
  o->x.virt = last[2] > 0;
}
#endif
#if MEMSCHED_WITH_STRIPS

/* w: the windows of `all` (n positions) clipped to the columns [lo, hi) (a DRAM input's in a strip). */
static void win_clip(Win *w, const Win *all, int n, int lo, int hi) {
  int v;
#if MEMSCHED_WITH_WARMUP
  for (v = -w->m; v < n; v++) {
#else
  for (v = 0; v < n; v++) {
#endif
    w->lo[v] = all->lo[v] < lo ? lo : all->lo[v];
    w->hi[v] = all->hi[v] > hi - 1 ? hi - 1 : all->hi[v];
  }
  win_finish(w, n);
}

/* The windows along columns kept whole (xall), and a copy to clip per strip (x). */
static void win_strips(Operand *o, int n) {
  o->xall = o->x;
  win_init(&o->x, n);
  win_clip(&o->x, &o->xall, n, INT_MIN, INT_MAX);
}
#endif
