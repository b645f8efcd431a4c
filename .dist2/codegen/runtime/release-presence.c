// The release build's presence: per row of a buffer, a high-water mark and the store instance it
// belongs to, instead of a version per element.

/* ---- presence: what is new at a fill, row by row ---- */

/* Row of positions y of activations (from -virt[1] on): the index of its alike record. */
static i64 position_row(const Buf *b, int y) {
#if MEMSCHED_WITH_WARMUP
  return y + b->virt[1];
#else
  (void)b;
  return y;
#endif
}

/* The row of activations (c, y), or of weights o. Channels innermost, as the slots hold them: a
   demand's rows are a few cache lines. */
static i64 row_of(const Buf *b, int c, int y) {
  if (b->role == ROLE_WEIGHTS) return c;
  return position_row(b, y) * b->size[0] + c;
}

static i64 rows_of(const Buf *b) {
  if (b->role == ROLE_WEIGHTS) return b->size[0];
#if MEMSCHED_WITH_WARMUP
  return (i64)b->size[0] * (b->size[1] + b->virt[1]);
#else
  return (i64)b->size[0] * b->size[1];
#endif
}

#ifdef MEMSCHED_COUNT
/* Per row, the columns from -1 (a weights row's bias) or -virt[2] (virtual columns) on. */
static int row_width(const Buf *b) {
  if (b->role == ROLE_WEIGHTS) return b->size[1] + 1;
#if MEMSCHED_WITH_WARMUP
  return b->size[2] + b->virt[2];
#else
  return b->size[2];
#endif
}

static i64 column_of(const Buf *b, i64 r, int x) {
  if (b->role == ROLE_WEIGHTS) return r * row_width(b) + x + 1;
#if MEMSCHED_WITH_WARMUP
  return r * row_width(b) + x + b->virt[2];
#else
  return r * row_width(b) + x;
#endif
}
#endif

#ifdef MEMSCHED_COUNT
/* The counting build: columns [a, from) of row r taken as present were (else missing), [from, z] are now. */
static void count_scan(Buf *b, i64 r, int a, int from, int z) {
  int x;
  for (x = a; x < from && x <= z; x++)
    if (b->seen[column_of(b, r, x)] != b->instance) b->missing++;
  for (x = from; x <= z; x++) b->seen[column_of(b, r, x)] = b->instance;
}
#endif

/* Writes back into the per-row entries the channels that row of positions p keeps in its alike record. */
static void settle(Buf *b, i64 p) {
  const i64 r = p * b->size[0];
  const int c1 = b->alike[p].c1, inst = b->alike[p].inst, mark = b->alike[p].mark;
  int c;
  for (c = b->alike[p].c0; c <= c1; c++) {
    b->inst[r + c] = inst;
    b->hi[r + c] = mark;
  }
  b->alike[p].c1 = -1;
}

/* Columns [a, z] of row r demanded: what lies at or past the row's high-water mark is new. Along a
   reuse loop a buffer's demand never moves back (docs/execution-model.md), so per row the columns a
   demand starts at never decrease behind what is present, and the columns from a to the mark are
   present. The counting build checks that element by element (missing). */
static void scan_row(Buf *b, i64 r, int c, int y, int a, int z) {
  int from;
  if (b->role != ROLE_WEIGHTS) {
    const i64 p = position_row(b, y);
    if (b->alike[p].c0 <= c && c <= b->alike[p].c1) settle(b, p);
  }
  if (b->inst[r] != b->instance) {
    b->inst[r] = b->instance;
    b->hi[r] = a;
  }
  from = a < b->hi[r] ? b->hi[r] : a;
#ifdef MEMSCHED_COUNT
  count_scan(b, r, a, from, z);
#endif
  if (from > z) return;
  add_run(b, c, y, from, z);
  b->hi[r] = z + 1;
}

/* scan_row over the rows of activation demand d where, at each of its rows, every demanded channel
   stands alike (the same store instance and mark: channels are mostly demanded together), one check
   per row of adjacent marks, none where the row's alike record holds these very channels; the records
   then hold the new marks. The runs come channel by channel as scan_row's would, a box (box_per), of
   which only the first channel's are written (box_only).
   Returns 0, having changed nothing but where marks are kept, where some row's channels differ. */
static int scan_alike(Buf *b, const Box *d) {
  const int c0 = d->lo[0], c1 = d->hi[0], nc = c1 - c0 + 1, a = d->lo[2], z = d->hi[2], ny = d->hi[1] - d->lo[1] + 1;
  const int inst = b->instance;
  int y, c, per = 0;
  for (y = 0; y < ny; y++) {
    const i64 p = position_row(b, d->lo[1] + y), r = p * b->size[0] + c0;
    int fresh, h;
    if (b->alike[p].c0 == c0 && b->alike[p].c1 == c1) {
      fresh = b->alike[p].inst != inst;
      h = b->alike[p].mark;
    } else {
      const int *in = b->inst + r, *hi = b->hi + r;
      int differ = 0;
      if (b->alike[p].c1 >= b->alike[p].c0) settle(b, p);
      fresh = in[0] != inst;
      h = hi[0];
      if (fresh) /* no early exit: loops the compiler vectorises */
        for (c = 1; c < nc; c++) differ |= in[c] == inst;
      else
        for (c = 1; c < nc; c++) differ |= (in[c] != inst) | (hi[c] != h);
      if (differ) return 0;
    }
    /* a fresh row's first new column is a <= z; a row with nothing new (from > z) keeps its mark, from */
    b->from[y] = fresh || a > h ? a : h;
  }
  for (y = 0; y < ny; y++) {
    const i64 p = position_row(b, d->lo[1] + y);
    const int f = b->from[y];
#ifdef MEMSCHED_COUNT
    for (c = 0; c < nc; c++) count_scan(b, p * b->size[0] + c0 + c, a, f, z);
#endif
    b->alike[p].c0 = c0;
    b->alike[p].c1 = c1;
    b->alike[p].inst = inst;
    b->alike[p].mark = f <= z ? z + 1 : f;
    per += f <= z;
  }
  if (per > 0) {
    Run *u;
    if (nc * per > b->runcap) {
      i64 cap = nc * per;
      free(b->runs);
      b->runs = (Run *)xcalloc(cap, sizeof(Run));
      b->runcap = (int)cap;
    }
    u = b->runs;
    for (y = 0; y < ny; y++)
      if (b->from[y] <= z) {
        u->c = c0;
        u->y = d->lo[1] + y;
        u->xa = b->from[y];
        u->xb = z;
        u++;
      }
    b->nruns = nc * per;
    b->box_only = nc > 1; /* the kernels taking boxes read no more */
  }
  b->box_per = per;
  return 1;
}

/* Writes the runs of every channel of a box whose first channel's alone are written (box_only). */
static void all_runs(Buf *b) {
  int k;
  if (!b->box_only) return;
  for (k = b->box_per; k < b->nruns; k++) {
    b->runs[k] = b->runs[k % b->box_per];
    b->runs[k].c += k / b->box_per;
  }
  b->box_only = 0;
}

/* The new part of demand d, as runs of rows in b->runs; a demand within a box known to be present since
   the store instance began (b->last) has none. */
static int fill_scan(Buf *b, const Box *d) {
  int c, y;
  b->nruns = 0;
  b->box_per = b->box_only = 0;
  if (box_empty(d) || (b->has_last && box_within(d, &b->last))) return 0;
  if (b->role == ROLE_WEIGHTS)
    for (c = d->lo[0]; c <= d->hi[0]; c++) scan_row(b, c, c, 0, d->lo[1], d->hi[1]);
  else if (d->hi[0] == d->lo[0] || !scan_alike(b, d))
    for (c = d->lo[0]; c <= d->hi[0]; c++)
      for (y = d->lo[1]; y <= d->hi[1]; y++) scan_row(b, row_of(b, c, y), c, y, d->lo[2], d->hi[2]);
  /* a box known to be present, for the next demands: this one, joined to the one before while their
     union is a box */
  if (b->has_last && box_joins(&b->last, d)) box_extend(&b->last, d);
  else b->last = *d;
  b->has_last = 1;
  return b->nruns > 0;
}
