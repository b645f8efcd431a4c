// Presence: a fill's demand scanned row by row; what is not present becomes runs to bring in.

/* ---- presence: a fill's demand scanned row by row ---- */

static void add_run(Buf *b, int c, int y, int xa, int xb) {
  Run *u;
  if (b->nruns == b->runcap) {
    i64 cap = b->runcap;
    b->runs = (Run *)xgrow(b->runs, &cap, sizeof(Run));
    b->runcap = (int)cap;
  }
  u = &b->runs[b->nruns++];
  u->c = c;
  u->y = y;
  u->xa = xa;
  u->xb = xb;
}

#if !MEMSCHED_WITH_RELEASE
#if MEMSCHED_WITH_WARMUP
/* Marks the entries P[a..z] of one row as demanded by fill j: runs of absent ones are recorded (to be
   brought in), present ones last demanded before fill j - 1 are kept (the bias, index -1, has no span, nor have virtual elements). */
#else
/* Marks the entries P[a..z] of one row as demanded by fill j: runs of absent ones are recorded (to be
   brought in), present ones last demanded before fill j - 1 are kept (the bias, index -1, has no span). */
#endif
/* From x (at most to z), the entries equal to v (below v) are set to j; returns where they end. */
static int run_equal(int *P, int x, int z, int v, int j) {
#if VECTORS
  const v4i vv = {v, v, v, v}, jj = {j, j, j, j};
  if (z - x >= 8)
  for (; x + 3 <= z; x += 4) {
    const v4i m = *(const v4iu *)(P + x) == vv;
    if (!(m[0] & m[1] & m[2] & m[3])) break;
    *(v4iu *)(P + x) = jj;
  }
#endif
  for (; x <= z && P[x] == v; x++) P[x] = j;
  return x;
}

static int run_below(int *P, int x, int z, int v, int j) {
#if VECTORS
  const v4i vv = {v, v, v, v}, jj = {j, j, j, j};
  if (z - x >= 8)
  for (; x + 3 <= z; x += 4) {
    const v4i m = *(const v4iu *)(P + x) < vv;
    if (!(m[0] & m[1] & m[2] & m[3])) break;
    *(v4iu *)(P + x) = jj;
  }
#endif
  for (; x <= z && P[x] < v; x++) P[x] = j;
  return x;
}
#endif
#if MEMSCHED_WITH_WARMUP

#if !MEMSCHED_WITH_RELEASE
/* The presence of row (c, y) of an activation buffer, indexed by column from -virt[2] on. */
static int *prev_row(const Buf *b, int c, int y) {
  return b->prev + ((i64)c * (b->size[1] + b->virt[1]) + y + b->virt[1]) * (b->size[2] + b->virt[2]) + b->virt[2];
}
#endif

/* Drops the virtual elements of an activation buffer's runs: they only carried demand. */
static void real_runs(Buf *b, const Box *d) {
  int i, n = 0, end = b->nruns;
  if (b->role == ROLE_WEIGHTS) return;
#if MEMSCHED_WITH_STRIPS
  if (d->lo[1] >= 0 && d->lo[2] >= b->nlo && d->hi[2] < b->nhi) return; /* (demand d: nothing virtual) */
#else
  if (d->lo[1] >= 0 && d->lo[2] >= 0) return; /* (demand d: nothing virtual) */
#endif
#if MEMSCHED_WITH_RELEASE
  if (b->box_only) end = b->box_per; /* (every channel's runs are the first one's rows and columns) */
#endif
  for (i = 0; i < end; i++) {
    Run u = b->runs[i];
#if MEMSCHED_WITH_STRIPS
    /* columns the strip does not need are virtual too */
    if (u.y < 0 || u.xb < b->nlo || u.xa >= b->nhi) continue;
    if (u.xa < b->nlo) u.xa = b->nlo;
    if (u.xb > b->nhi - 1) u.xb = b->nhi - 1;
#else
    if (u.y < 0 || u.xb < 0) continue;
    if (u.xa < 0) u.xa = 0;
#endif
    b->runs[n++] = u;
  }
#if MEMSCHED_WITH_RELEASE
  /* the same rows and columns go in every channel: a box stays one */
  if (b->box_per > 0) {
    const int channels = b->nruns / b->box_per;
    b->box_per = n / (b->box_only ? 1 : channels);
    if (b->box_only) n *= channels;
    b->box_only = b->box_only && n > 0;
  }
#endif
  b->nruns = n;
}
#endif

#if !MEMSCHED_WITH_RELEASE
static void scan_row(Buf *b, Kept *g, int *P, int a, int z, int j, int c, int y) {
  const int inst = b->inst_start, recent = j - 1 >= inst ? j - 1 : -2;
  int x = a;
  while (x <= z) {
    int p = P[x], xa = x;
    if (p == recent) x = run_equal(P, x, z, recent, j);
    else if (p < inst) {
      x = run_below(P, x, z, inst, j);
      add_run(b, c, y, xa, x - 1);
    } else {
      x = run_equal(P, x, z, p, j);
      if (xa < 0) xa = 0;
#if MEMSCHED_WITH_WARMUP && MEMSCHED_WITH_STRIPS
      if (b->role != ROLE_WEIGHTS) { /* the columns the strip needs */
        int xb = x - 1 < b->nhi - 1 ? x - 1 : b->nhi - 1;
        if (xa < b->nlo) xa = b->nlo;
        if (y >= 0 && xa <= xb) kept_add(b, g, p, c, y, xa, xb);
      } else if (xa <= x - 1)
        kept_add(b, g, p, c, y, xa, x - 1);
#elif MEMSCHED_WITH_WARMUP
      if (y >= 0 && xa <= x - 1) kept_add(b, g, p, c, y, xa, x - 1);
#else
      if (xa <= x - 1) kept_add(b, g, p, c, y, xa, x - 1);
#endif
    }
  }
}

/* The bookkeeping of a fill of demand d: the runs not present are left in b->runs. Returns 0 when there
   are none; a demand equal to the last one of the store instance has none and cannot widen a span. */
static int fill_scan(Buf *b, const Box *d) {
  Kept g;
#if MEMSCHED_WITH_RASTER
  int j = b->fills, c, y, in_span, lo[4], hi[4];
#else
  int j = b->fills, c, y, in_span, lo[3], hi[3];
#endif
  b->nruns = 0;
  if (box_empty(d) || (b->has_last && box_eq(d, &b->last))) return 0;
  if (b->ext[0] == 0) fail("internal: a demand on a buffer without storage");
  if (j == INT_MAX) fail("internal: too many fills");
  g.n = 0;
  in_span = counted(b, d, lo, hi);
  if (in_span) span_fill(b, lo, hi);
  if (b->role == ROLE_WEIGHTS)
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      scan_row(b, &g, b->prev + (i64)c * (b->size[1] + 1) + 1, d->lo[1], d->hi[1], j, c, 0);
  else
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++)
#if MEMSCHED_WITH_WARMUP
        scan_row(b, &g, prev_row(b, c, y), d->lo[2], d->hi[2], j, c, y);
#else
        scan_row(b, &g, b->prev + ((i64)c * b->size[1] + y) * b->size[2], d->lo[2], d->hi[2], j, c, y);
#endif
  if (g.n > 0) kept_resolve(b, &g);
  if (in_span) span_push(b, lo, hi, j);
  b->fills++;
  b->last = *d;
  b->has_last = 1;
  return b->nruns > 0;
}
#endif
