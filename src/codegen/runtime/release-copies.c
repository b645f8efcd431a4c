// The release build's DRAM transfers: every one goes through the two hooks, one call per contiguous run.

/* ---- DRAM transfers ---- */

/* The hooks (docs/release-c.md): copy `bytes` between DRAM and the scratchpad, one contiguous run per
   call. Defaults: memcpy. Define MEMSCHED_DRAM_HOOKS and link your own (a DMA driver) to replace them. */
#ifdef MEMSCHED_DRAM_HOOKS
void memsched_dram_read(void *chip, const void *dram, size_t bytes);
void memsched_dram_write(void *dram, const void *chip, size_t bytes);
#else
static void memsched_dram_read(void *chip, const void *dram, size_t bytes) { memcpy(chip, dram, bytes); }
static void memsched_dram_write(void *dram, const void *chip, size_t bytes) { memcpy(dram, chip, bytes); }
#endif

/* n elements from DRAM into slots [at, at + n) of buffer b (-DMEMSCHED_COUNT counts them). */
static void dram_read(Buf *b, i64 at, const float *dram, int n) {
  memsched_dram_read(scratch + at, dram, (size_t)n * sizeof(float));
#ifdef MEMSCHED_COUNT
  b->reads += n;
#else
  (void)b;
#endif
}

static void dram_write(Buf *b, float *dram, i64 at, int n) {
  memsched_dram_write(dram, scratch + at, (size_t)n * sizeof(float));
#ifdef MEMSCHED_COUNT
  b->writes += n;
#else
  (void)b;
#endif
}

/* The columns xa..xb of an activation row as runs of adjacent slots: n columns from xa fit before the
   row's slots wrap. */
static int row_piece(const Buf *b, int xa, int xb) {
  const int left = b->ext[2] - xa % b->ext[2];
  return xb - xa + 1 < left ? xb - xa + 1 : left;
}

static void load_input(Buf *b) {
  const Tensor *t = &tensors[b->tensor];
  int k, x, n;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const i64 base = b->offset + b->am[0][u->c] + b->am[1][u->y];
    const float *src = t->data + ((i64)u->c * t->h + u->y) * t->w;
    for (x = u->xa; x <= u->xb; x += n) {
      n = row_piece(b, x, u->xb);
      dram_read(b, base + b->am[2][x], src + x, n);
    }
#ifdef MEMSCHED_COUNT
    b->filled += u->xb - u->xa + 1;
#endif
  }
}

/* Runs of weights [o, ia..ib] (ib -1: the bias): per input channel its taps; the bias from its own array. */
static void load_weights(const Seg *s, Buf *b) {
  const Layer *L = s->l[b->layer].L;
  int k, i, n;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const int o = u->c;
    i = u->xa;
    if (i < 0) {
      dram_read(b, b->offset + b->wbias + b->am[0][o], L->bias + o, 1);
      i = 0;
    }
    for (; i <= u->xb; i += n) {
      n = b->ext[1] - i % b->ext[1];
      if (n > u->xb - i + 1) n = u->xb - i + 1;
      dram_read(b, b->offset + b->am[0][o] + b->am[1][i], L->w + ((i64)o * b->size[1] + i) * b->K, n * b->K);
    }
#ifdef MEMSCHED_COUNT
    b->filled += (i64)(u->xb - (u->xa < 0 ? 0 : u->xa) + 1) * b->K + (u->xa < 0);
#endif
  }
}

/* Columns xa..xb of the output row `row` (c * h + y) written back from their slots. */
static void write_row(Buf *b, int row, int xa, int xb) {
  const Tensor *t = &tensors[b->tensor];
  const int c = row / t->h, y = row % t->h;
  const i64 base = b->offset + b->am[0][c] + b->am[1][y];
  int x, n;
  for (x = xa; x <= xb; x += n) {
    n = row_piece(b, x, xb);
    dram_write(b, t->data + (i64)row * t->w + x, base + b->am[2][x], n);
  }
}

/* The output's slot rows: before a row takes a slot row, the one holding it is written back (it is
   never demanded again: two rows live at once never share slots); within a row, the columns whose
   slots the new ones take. So every element is written once per residency. */
static void bring_in_output(Buf *b, int partial) {
  const Tensor *t = &tensors[b->tensor];
  int k, x, n;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const int row = u->c * t->h + u->y, sr = (u->c % b->ext[0]) * b->ext[1] + u->y % b->ext[1];
    if (b->occ[sr] != row) {
      if (b->occ[sr] >= 0 && b->wlo[sr] <= b->whi[sr]) write_row(b, b->occ[sr], b->wlo[sr], b->whi[sr]);
      b->occ[sr] = row;
      b->wlo[sr] = u->xa;
    } else if (u->xa > b->whi[sr] + 1) { /* the columns before xa are never demanded again */
      if (b->wlo[sr] <= b->whi[sr]) write_row(b, row, b->wlo[sr], b->whi[sr]);
      b->wlo[sr] = u->xa;
    } else if (u->xb - b->ext[2] >= b->wlo[sr]) {
      write_row(b, row, b->wlo[sr], u->xb - b->ext[2]);
      b->wlo[sr] = u->xb - b->ext[2] + 1;
    }
    b->whi[sr] = u->xb;
    if (partial) { /* an earlier reduction tile left its partial sums in DRAM */
      const i64 base = b->offset + b->am[0][u->c] + b->am[1][u->y];
      for (x = u->xa; x <= u->xb; x += n) {
        n = row_piece(b, x, u->xb);
        dram_read(b, base + b->am[2][x], t->data + (i64)row * t->w + x, n);
      }
    }
#ifdef MEMSCHED_COUNT
    b->filled += u->xb - u->xa + 1;
#endif
  }
}

/* Everything the output holds not written back yet. */
static void flush(Buf *b) {
  i64 sr;
  for (sr = 0; sr < (i64)b->ext[0] * b->ext[1]; sr++) {
    if (b->occ[sr] >= 0 && b->wlo[sr] <= b->whi[sr]) write_row(b, b->occ[sr], b->wlo[sr], b->whi[sr]);
    b->occ[sr] = -1;
  }
}
