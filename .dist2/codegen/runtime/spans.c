// Live spans: per dimension, the largest span of a buffer's elements on chip at once.

/* ---- live spans: per dimension, the largest span of elements on chip at once that are demanded at
   this fill or kept for a later one (docs/execution-model.md, storage) ---- */

#if MEMSCHED_WITH_RASTER
/* A raster line buffer's fourth dimension: raster positions y * band + x, the box's first to its last. */
static void raster_span(const Buf *b, int *lo, int *hi) {
  lo[3] = b->ndim == 4 ? lo[1] * b->ext[2] + lo[2] : 0;
  hi[3] = b->ndim == 4 ? hi[1] * b->ext[2] + hi[2] : 0;
}

#endif
static int counted(const Buf *b, const Box *d, int *lo, int *hi) {
  int k;
  for (k = 0; k < 3; k++) {
    lo[k] = d->lo[k];
    hi[k] = d->hi[k];
  }
  if (b->role == ROLE_WEIGHTS && lo[1] < 0) lo[1] = 0; /* the bias has no input channel */
#if MEMSCHED_WITH_WARMUP
  if (b->role != ROLE_WEIGHTS) /* virtual elements take no storage */
    for (k = 1; k < 3; k++)
      if (lo[k] < 0) lo[k] = 0;
#if MEMSCHED_WITH_STRIPS
  if (b->role != ROLE_WEIGHTS) { /* nor do the columns the strip does not need */
    if (lo[2] < b->nlo) lo[2] = b->nlo;
    if (hi[2] > b->nhi - 1) hi[2] = b->nhi - 1;
  }
#endif
#if MEMSCHED_WITH_RASTER
  raster_span(b, lo, hi);
#endif
  return lo[1] <= hi[1] && lo[2] <= hi[2];
#elif MEMSCHED_WITH_RASTER
  raster_span(b, lo, hi);
  return lo[1] <= hi[1];
#else
  return lo[1] <= hi[1];
#endif
}

/* The fill's own span (lo, hi: its counted box). */
static void span_fill(Buf *b, const int *lo, const int *hi) {
  int k;
  for (k = 0; k < b->ndim; k++)
    if (hi[k] - lo[k] + 1 > b->meas[k]) b->meas[k] = hi[k] - lo[k] + 1;
}

static void span_push(Buf *b, const int *lo, const int *hi, int j) {
  int k;
  for (k = 0; k < b->ndim; k++) {
    int *n = &b->stop[k][0];
    if (b->stop[k][1] == 0 || lo[k] < b->ilo[k]) b->ilo[k] = lo[k];
    if (b->stop[k][0] == 0 || hi[k] > b->ihi[k]) b->ihi[k] = hi[k];
    while (*n > 0 && b->sval[k][0][*n - 1] <= hi[k]) (*n)--;
    b->sidx[k][0][*n] = j;
    b->sval[k][0][(*n)++] = hi[k];
    n = &b->stop[k][1];
    while (*n > 0 && b->sval[k][1][*n - 1] >= lo[k]) (*n)--;
    b->sidx[k][1][*n] = j;
    b->sval[k][1][(*n)++] = lo[k];
  }
}

/* Along dimension k, the hull of the boxes of the fills after fill p (to now); 0 if none counted. */
static int span_query(const Buf *b, int k, int p, int *qlo, int *qhi) {
  int m;
  for (m = 0; m < 2; m++) {
    const int *idx = b->sidx[k][m], top = b->stop[k][m];
    int a = 0, z = top;
    /* p is mostly recent: look at the top of the stack first */
    if (top == 0 || idx[top - 1] <= p) return 0;
    if (top > 4 && idx[top - 4] <= p) a = top - 3;
    while (a < z) {
      int mid = (a + z) / 2;
      if (idx[mid] > p) z = mid;
      else a = mid + 1;
    }
    if (m == 0) *qhi = b->sval[k][m][a];
    else *qlo = b->sval[k][m][a];
  }
  return 1;
}

/* Elements demanded now and kept since an earlier fill p < j - 1 were on chip together with every fill
   in between; they are gathered per p (their bounding box) and measured against those fills at the
   end of the fill: with fill i, an element u spans max(hi_i, u) - min(lo_i, u) + 1, where the fill's
   own span is counted already. */
#define KEPT_GROUPS 8
#if MEMSCHED_WITH_RASTER
typedef struct { int n, p[KEPT_GROUPS], lo[KEPT_GROUPS][4], hi[KEPT_GROUPS][4]; } Kept;
#else
typedef struct { int n, p[KEPT_GROUPS], lo[KEPT_GROUPS][3], hi[KEPT_GROUPS][3]; } Kept;
#endif

static void kept_resolve(Buf *b, Kept *g) {
  int i, k, qlo = 0, qhi = 0; /* set by span_query; initialised for compilers that cannot tell (-O1) */
  for (i = 0; i < g->n; i++)
    for (k = 0; k < b->ndim; k++) {
      /* the fills since p lie in the store instance's hull: if even that cannot widen this span, skip */
      if (b->ihi[k] - g->lo[i][k] + 1 <= b->meas[k] && g->hi[i][k] - b->ilo[k] + 1 <= b->meas[k]) continue;
      if (!span_query(b, k, g->p[i], &qlo, &qhi)) break;
      if (qhi - g->lo[i][k] + 1 > b->meas[k]) b->meas[k] = qhi - g->lo[i][k] + 1;
      if (g->hi[i][k] - qlo + 1 > b->meas[k]) b->meas[k] = g->hi[i][k] - qlo + 1;
    }
  g->n = 0;
}

/* Elements [c, y, xa..xb] (weights: [o, xa..xb]) kept since fill p. */
static void kept_add(Buf *b, Kept *g, int p, int c, int y, int xa, int xb) {
#if MEMSCHED_WITH_RASTER
  int i, lo[4], hi[4], k;
#else
  int i, lo[3], hi[3], k;
#endif
  lo[0] = hi[0] = c;
  if (b->role == ROLE_WEIGHTS) {
    lo[1] = xa;
    hi[1] = xb;
    lo[2] = hi[2] = 0;
  } else {
    lo[1] = hi[1] = y;
    lo[2] = xa;
    hi[2] = xb;
  }
#if MEMSCHED_WITH_RASTER
  raster_span(b, lo, hi);
#endif
  for (i = g->n - 1; i >= 0 && g->p[i] != p; i--) {
  }
  if (i < 0) {
    if (g->n == KEPT_GROUPS) kept_resolve(b, g);
    i = g->n++;
    g->p[i] = p;
#if MEMSCHED_WITH_RASTER
    for (k = 0; k < b->ndim; k++) {
#else
    for (k = 0; k < 3; k++) {
#endif
      g->lo[i][k] = lo[k];
      g->hi[i][k] = hi[k];
    }
    return;
  }
#if MEMSCHED_WITH_RASTER
  for (k = 0; k < b->ndim; k++) {
#else
  for (k = 0; k < 3; k++) {
#endif
    if (lo[k] < g->lo[i][k]) g->lo[i][k] = lo[k];
    if (hi[k] > g->hi[i][k]) g->hi[i][k] = hi[k];
  }
}
