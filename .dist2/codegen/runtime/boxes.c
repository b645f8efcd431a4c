// Boxes of elements, the slots of a buffer's box (circular addressing), and the tag check of every read.

/* ---- boxes ---- */

static void box_clear(Box *b) {
  int k;
  for (k = 0; k < 3; k++) {
    b->lo[k] = 1;
    b->hi[k] = 0;
  }
}

static int box_empty(const Box *b) { return b->lo[0] > b->hi[0]; }

#if !MEMSCHED_WITH_RELEASE
static int box_eq(const Box *a, const Box *b) {
  return a->lo[0] == b->lo[0] && a->hi[0] == b->hi[0] && a->lo[1] == b->lo[1] && a->hi[1] == b->hi[1] &&
         a->lo[2] == b->lo[2] && a->hi[2] == b->hi[2];
}
#endif

/* a inside b */
static int box_within(const Box *a, const Box *b) {
  return b->lo[0] <= a->lo[0] && a->hi[0] <= b->hi[0] && b->lo[1] <= a->lo[1] && a->hi[1] <= b->hi[1] &&
         b->lo[2] <= a->lo[2] && a->hi[2] <= b->hi[2];
}

/* The union of a and b is a box: equal in all dimensions but one, where they overlap or touch. */
static int box_joins(const Box *a, const Box *b) {
  int k, other = -1;
  for (k = 0; k < 3; k++)
    if (a->lo[k] != b->lo[k] || a->hi[k] != b->hi[k]) {
      if (other >= 0) return 0;
      other = k;
    }
  return other < 0 || (b->lo[other] <= a->hi[other] + 1 && a->lo[other] <= b->hi[other] + 1);
}

static void box_extend(Box *d, const Box *s) {
  int k;
  if (box_empty(s)) return;
  if (box_empty(d)) {
    *d = *s;
    return;
  }
  for (k = 0; k < 3; k++) {
    if (s->lo[k] < d->lo[k]) d->lo[k] = s->lo[k];
    if (s->hi[k] > d->hi[k]) d->hi[k] = s->hi[k];
  }
}

/* What operand o reads for the output region r (the hull), or 0 when it reads nothing. */
static int operand_region(const Operand *o, const Region *r, Box *b) {
  int lo, hi;
  if (!win_hull(&o->c, r->c0, r->c1, &lo, &hi)) return 0;
  b->lo[0] = lo + r->r0;
  b->hi[0] = hi + r->r1 - 1;
  if (!win_hull(&o->y, r->y0, r->y1, &b->lo[1], &b->hi[1])) return 0;
  return win_hull(&o->x, r->x0, r->x1, &b->lo[2], &b->hi[2]);
}

#if FUSED
#if !MEMSCHED_WITH_RELEASE
/* What operand o reads for the elements [c, y, xa..xb] with the whole reduction [0, red), or 0 for nothing. */
static int operand_run(const Operand *o, const Run *u, int red, Box *b) {
  if (u->c < o->c.first || u->c > o->c.last || u->y < o->y.first || u->y > o->y.last) return 0;
  b->lo[0] = o->c.lo[u->c];
  b->hi[0] = o->c.hi[u->c] + red - 1;
  b->lo[1] = o->y.lo[u->y];
  b->hi[1] = o->y.hi[u->y];
  return win_hull(&o->x, u->xa, u->xb + 1, &b->lo[2], &b->hi[2]);
}
#endif

/* The weights (and bias) a producer with weights reads computing run u: its output channel's; none for
   a run of virtual elements. */
static int weights_run(const SegLayer *p, const Run *u, Box *t) {
#if MEMSCHED_WITH_WARMUP && MEMSCHED_WITH_STRIPS
  if (u->y < 0 || u->xb < p->nlo || u->xa >= p->nhi) return 0;
#elif MEMSCHED_WITH_WARMUP
  if (u->y < 0 || u->xb < 0) return 0;
#endif
  t->lo[0] = t->hi[0] = u->c;
  t->lo[1] = p->L->has_bias ? -1 : 0;
  t->hi[1] = p->red - 1;
  t->lo[2] = t->hi[2] = 0;
  return 1;
}
#endif

/* ---- slots: circular addressing in every dimension of a buffer's box ---- */

/* The slot offset of a position, am[1][y] + am[2][x]: a raster line buffer's rows wrap around its run
   (wrap: its slots; a box never wraps). Kernels take it per position, for all its channels at once. */
#if MEMSCHED_WITH_RASTER
static inline int wrapped(const Buf *b, int p) { return p >= b->wrap ? p - b->wrap : p; }
#else
static inline int wrapped(const Buf *b, int p) {
  (void)b;
  return p;
}
#endif

static i64 act_slot(const Buf *b, int c, int y, int x) {
  return b->offset + wrapped(b, b->am[1][y] + b->am[2][x]) + b->am[0][c];
}

#if !MEMSCHED_WITH_RELEASE
static int act_id(const Buf *b, int c, int y, int x) { return (c * b->size[1] + y) * b->size[2] + x; }
#endif

/* Whether a convolution's weights are held [tap][in][out] (a tap's output channels adjacent): where it
   updates several output channels per input element, and in the release build a depthwise one or one
   reading a single input channel (dw_box loads a tap's eight channels as one vector); [out][tap][in]
   otherwise. */
static int tap_major(int mode, const Layer *L) {
#if MEMSCHED_WITH_INT8
  (void)mode; /* int8.c sums over input channels innermost: [out][tap][in] */
  (void)L;
  return 0;
#elif MEMSCHED_WITH_RELEASE
  if (L->kind == KIND_CONV && ((L->groups > 1 && tensors[L->in[0]].c == L->groups && tensors[L->out].c == L->groups) ||
                                (L->groups == 1 && tensors[L->in[0]].c == 1)))
    return 1;
#else
  (void)L;
#endif
  return mode == CONV_AXPY;
}

static i64 weight_slot(const Buf *b, int o, int i, int t) {
#if MEMSCHED_WITH_RELEASE
  if (i < 0) return b->offset + b->wbias + o % b->ext[0]; /* the biases after every row */
#else
  if (i < 0) return b->offset + b->wbias + b->am[0][o];
#endif
  return b->offset + b->am[0][o] + b->am[1][i] + (i64)t * b->wt;
}

#if !MEMSCHED_WITH_RELEASE
static int weight_tag(const Buf *b, int o, int i, int t) {
  return i < 0 ? b->size[0] * b->size[1] * b->K + o + 1 : (o * b->size[1] + i) * b->K + t + 1;
}

/* Whether t[k] != e + k for some k < n (adjacent slots holding consecutive elements). */
static int tags_differ(const int *t, int e, int n) {
  int k = 0, bad = 0;
#if VECTORS
  v4i ev = {e, e + 1, e + 2, e + 3}, acc = {0, 0, 0, 0};
  const v4i four = {4, 4, 4, 4};
  for (; k + 4 <= n; k += 4, ev += four) acc |= *(const v4iu *)(t + k) != ev;
  bad = acc[0] | acc[1] | acc[2] | acc[3];
#endif
  for (; k < n; k++) bad |= t[k] != e + k;
  return bad;
}
#if MEMSCHED_WITH_WARMUP && MEMSCHED_WITH_STRIPS

/* The real part of an activation box, or NULL if it has none (virtual elements have no slots): rows from
   0, the columns the strip needs. */
static const Box *real_box(const Buf *b, const Box *d, Box *v) {
  if (d->lo[1] >= 0 && d->lo[2] >= b->nlo && d->hi[2] < b->nhi) return d;
  *v = *d;
  if (v->lo[1] < 0) v->lo[1] = 0;
  if (v->lo[2] < b->nlo) v->lo[2] = b->nlo;
  if (v->hi[2] > b->nhi - 1) v->hi[2] = b->nhi - 1;
  return v->lo[1] <= v->hi[1] && v->lo[2] <= v->hi[2] ? v : NULL;
}
#elif MEMSCHED_WITH_WARMUP

/* The real part of an activation box, or NULL if it has none (virtual elements have no slots). */
static const Box *real_box(const Box *d, Box *v) {
  if (d->lo[1] >= 0 && d->lo[2] >= 0) return d;
  *v = *d;
  if (v->lo[1] < 0) v->lo[1] = 0;
  if (v->lo[2] < 0) v->lo[2] = 0;
  return v->lo[1] <= v->hi[1] && v->lo[2] <= v->hi[2] ? v : NULL;
}
#endif

/* Every element of the box must be in its slot: what a computation reads is there. */
static void check_box(Seg *s, int bi, const Box *d) {
  Buf *b = &s->b[bi];
  int c, y, x, t, bad = 0;
#if MEMSCHED_WITH_WARMUP
  Box v;
#endif
  if (box_empty(d)) return;
#if MEMSCHED_WITH_WARMUP && MEMSCHED_WITH_STRIPS
  if (b->role != ROLE_WEIGHTS && !(d = real_box(b, d, &v))) return;
#elif MEMSCHED_WITH_WARMUP
  if (b->role != ROLE_WEIGHTS && !(d = real_box(d, &v))) return;
#endif
  if (b->role == ROLE_WEIGHTS) {
    for (c = d->lo[0]; c <= d->hi[0]; c++) {
      if (b->rowver[c] == b->version && b->rowlo[c] <= d->lo[1] && d->hi[1] <= b->rowhi[c]) continue;
      bad = 0;
      for (y = d->lo[1]; y <= d->hi[1]; y++)
        for (t = 0; t < (y < 0 ? 1 : b->K); t++)
          if (tag[weight_slot(b, c, y, t)] != weight_tag(b, c, y, t)) {
            conflict(s, bi, c, y, t);
            bad = 1;
          }
      if (bad) continue;
      if (b->rowver[c] == b->version && d->lo[1] <= b->rowhi[c] + 1 && d->hi[1] >= b->rowlo[c] - 1) {
        if (d->lo[1] < b->rowlo[c]) b->rowlo[c] = d->lo[1];
        if (d->hi[1] > b->rowhi[c]) b->rowhi[c] = d->hi[1];
      } else {
        b->rowlo[c] = d->lo[1];
        b->rowhi[c] = d->hi[1];
      }
      b->rowver[c] = b->version;
    }
    return;
  }
  if (b->chk_version == b->version && box_within(d, &b->chk)) return;
  if (d->lo[0] == d->hi[0] && d->lo[1] == d->hi[1] && d->lo[2] == d->hi[2]) { /* one element */
    if (tag[act_slot(b, d->lo[0], d->lo[1], d->lo[2])] != act_id(b, d->lo[0], d->lo[1], d->lo[2]) + 1)
      conflict(s, bi, d->lo[0], d->lo[1], d->lo[2]);
    else {
      b->chk = *d;
      b->chk_version = b->version;
    }
    return;
  }
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) { /* a raster line buffer: its rows wrap around the run, element by element */
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++)
        for (x = d->lo[2]; x <= d->hi[2]; x++)
          if (tag[act_slot(b, c, y, x)] != act_id(b, c, y, x) + 1) {
            conflict(s, bi, c, y, x);
            bad = 1;
          }
  } else
#endif
  {
    const int plane = b->size[1] * b->size[2], *mc = b->am[0], *mx = b->am[2];
    const int *tg = tag + b->offset;
    for (y = d->lo[1]; y <= d->hi[1]; y++) {
      const int *row = tg + b->am[1][y];
      if (d->lo[0] == d->hi[0]) { /* one channel: ids consecutive along the row */
        const int *at = row + mc[d->lo[0]];
        int e = act_id(b, d->lo[0], y, d->lo[2]) + 1;
        if (b->xstep == 1 && mx[d->hi[2]] - mx[d->lo[2]] == d->hi[2] - d->lo[2] &&
            !tags_differ(at + mx[d->lo[2]], e, d->hi[2] - d->lo[2] + 1))
          continue;
        for (x = d->lo[2]; x <= d->hi[2]; x++, e++)
          if (at[mx[x]] != e) {
            conflict(s, bi, d->lo[0], y, x);
            bad = 1;
          }
        continue;
      }
      for (x = d->lo[2]; x <= d->hi[2]; x++) {
        const int *at = row + mx[x];
        int e = act_id(b, d->lo[0], y, x) + 1;
        for (c = d->lo[0]; c <= d->hi[0]; c++, e += plane)
          if (at[mc[c]] != e) {
            conflict(s, bi, c, y, x);
            bad = 1;
          }
      }
    }
  }
  if (!bad) {
    /* boxes checked at one version accumulate while their union is a box (e.g. one channel after another) */
    if (b->chk_version == b->version && box_joins(&b->chk, d)) box_extend(&b->chk, d);
    else b->chk = *d;
    b->chk_version = b->version;
  }
}
#endif
