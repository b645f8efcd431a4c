// The copy helpers between DRAM and the scratchpad, which count every element moved.

/* ---- copy helpers: every DRAM element moved is counted here ---- */

static void load_input(Buf *b) {
  const float *src = tensors[b->tensor].data;
  int k, x;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
#if MEMSCHED_WITH_RASTER
    const i64 base = b->offset + b->am[0][u->c];
    const int row = b->am[1][u->y];
#else
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
#endif
    int e = act_id(b, u->c, u->y, u->xa);
    for (x = u->xa; x <= u->xb; x++, e++) {
#if MEMSCHED_WITH_RASTER
      i64 slot = base + wrapped(b, row + b->am[2][x]);
#else
      i64 slot = base + b->am[2][x];
#endif
      scratch[slot] = src[e];
      tag[slot] = e + 1;
      b->reads++;
      b->filled++;
    }
  }
}

#if EXPORTS
/* An intermediate read after its segment too (exported): the elements its producer has just computed
   (the fill's runs: real elements only, each computed again written again) go to its tensor in DRAM. */
static void export_fill(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  float *dst = tensors[b->tensor].data;
  int k, x;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    int e = act_id(b, u->c, u->y, u->xa);
    for (x = u->xa; x <= u->xb; x++, e++) {
      const i64 slot = act_slot(b, u->c, u->y, x);
      if (tag[slot] != e + 1) fail("internal: an exported element is not in its slot");
      dst[e] = scratch[slot];
      b->writes++;
    }
  }
}

#endif
static void load_weights(const Seg *s, Buf *b) {
  const Layer *L = s->l[b->layer].L;
  int k, i, t;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const int o = u->c;
    for (i = u->xa; i <= u->xb; i++) {
      if (i < 0) {
        i64 slot = weight_slot(b, o, i, 0);
        scratch[slot] = L->bias[o];
        tag[slot] = weight_tag(b, o, i, 0);
        b->reads++;
        b->filled++;
        continue;
      }
      for (t = 0; t < b->K; t++) {
        i64 slot = weight_slot(b, o, i, t);
        scratch[slot] = L->w[((i64)o * b->size[1] + i) * b->K + t];
        tag[slot] = weight_tag(b, o, i, t);
        b->reads++;
        b->filled++;
      }
    }
  }
}

static void write_back(Buf *b, i64 slot) {
  tensors[b->tensor].data[tag[slot] - 1] = scratch[slot];
  b->writes++;
  b->dirty[slot - b->offset] = 0;
}

static void flush(Buf *b) {
  i64 i;
  for (i = 0; i < b->dn; i++)
    if (b->dirty[b->dlist[i] - b->offset]) write_back(b, b->dlist[i]);
  b->dn = 0;
}

/* The list of dirty slots holds stale entries of slots written back since; full, it is compacted. */
static void mark_dirty(Buf *b, i64 slot) {
  b->dirty[slot - b->offset] = 1;
  if (b->dn == b->dcap) {
    i64 i, n = 0;
    for (i = 0; i < b->dn; i++) {
      unsigned char *f = &b->dirty[b->dlist[i] - b->offset];
      if (*f == 1) {
        *f = 2;
        b->dlist[n++] = b->dlist[i];
      }
    }
    for (i = 0; i < n; i++) b->dirty[b->dlist[i] - b->offset] = 1;
    b->dn = n;
    if (n == b->dcap) b->dlist = (i64 *)xgrow(b->dlist, &b->dcap, sizeof(i64));
  }
  b->dlist[b->dn++] = slot;
}

/* The output: what a slot held is written back when another element takes it; partial sums are read back. */
static void bring_in_output(const Seg *s, Buf *b) {
  const float *src = tensors[b->tensor].data;
  int k, x;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
#if MEMSCHED_WITH_RASTER
    const i64 base = b->offset + b->am[0][u->c];
    const int row = b->am[1][u->y];
#else
    const i64 base = b->offset + b->am[1][u->y] + b->am[0][u->c];
#endif
    int e = act_id(b, u->c, u->y, u->xa);
    for (x = u->xa; x <= u->xb; x++, e++) {
#if MEMSCHED_WITH_RASTER
      i64 slot = base + wrapped(b, row + b->am[2][x]);
#else
      i64 slot = base + b->am[2][x];
#endif
      if (b->dirty[slot - b->offset]) write_back(b, slot);
      if (s->accumulated[e]) {
        scratch[slot] = src[e];
        b->reads++;
      }
      mark_dirty(b, slot);
      tag[slot] = e + 1;
      b->filled++;
    }
  }
}
