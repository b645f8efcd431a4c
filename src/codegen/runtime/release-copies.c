// The release build's DRAM: its layouts, and every transfer through the two hooks, one call per run of
// elements adjacent both in DRAM and in the scratchpad.

/* ---- DRAM transfers ---- */

/* The hooks (docs/release-c.md): copy `bytes` between DRAM and the scratchpad, one contiguous run per
   call. Defaults: memcpy. Define MEMSCHED_DRAM_HOOKS and link your own (a DMA driver) to replace them. */
#ifdef MEMSCHED_DRAM_HOOKS
void memsched_dram_read(void *restrict chip, const void *restrict dram, size_t bytes);
void memsched_dram_write(void *restrict dram, const void *restrict chip, size_t bytes);
#else
/* (one element, the most frequent run where the scratchpad and DRAM order elements differently, copied
   without a call) */
static void memsched_dram_read(void *restrict chip, const void *restrict dram, size_t bytes) {
  if (bytes == sizeof(elem)) *(elem *)chip = *(const elem *)dram;
  else memcpy(chip, dram, bytes);
}
static void memsched_dram_write(void *restrict dram, const void *restrict chip, size_t bytes) {
  if (bytes == sizeof(elem)) *(elem *)dram = *(const elem *)chip;
  else memcpy(dram, chip, bytes);
}
#endif

/* DRAM layouts: activations channels innermost ([h][w][c], as the scratchpad mostly holds them: a box
   of channels is one run), weights as the layer's buffer holds them (see pack_weights). */
static i64 dram_act(const Tensor *t, int c, int y, int x) { return ((i64)y * t->w + x) * t->pitch + c; }

/* A transfer being gathered: n elements from chip slot `chip` and DRAM element `dram` on. */
typedef struct {
  Buf *b;
  elem *dram;
  i64 chip;
  int n, write;
#if MEMSCHED_WITH_INT8
  int wide; /* partial sums: int32, between Buf.partials and Tensor.partials at the same indices */
#endif
} Xfer;

#if MEMSCHED_WITH_INT8
static void xfer_wide(Xfer *t) {
  Buf *b = t->b;
  Tensor *u = &tensors[b->tensor];
  int *dram, *chip;
  if (!u->partials) u->partials = (int *)xcalloc((i64)u->h * u->w * u->pitch, sizeof(int));
  if (!b->partials) b->partials = (int *)xcalloc(b->slots, sizeof(int));
  dram = u->partials + (t->dram - u->data);
  chip = b->partials + (t->chip - b->offset);
  if (t->write) memsched_dram_write(dram, chip, (size_t)t->n * sizeof(int));
  else memsched_dram_read(chip, dram, (size_t)t->n * sizeof(int));
}

#endif
static void xfer_flush(Xfer *t) {
  if (t->n == 0) return;
#if MEMSCHED_WITH_INT8
  if (t->wide) xfer_wide(t);
  else
#endif
  if (t->write) memsched_dram_write(t->dram, scratch + t->chip, (size_t)t->n * sizeof(elem));
  else memsched_dram_read(scratch + t->chip, t->dram, (size_t)t->n * sizeof(elem));
#ifdef MEMSCHED_COUNT
  if (t->write) t->b->writes += t->n;
  else t->b->reads += t->n;
#endif
  t->n = 0;
}

/* One more element: it joins the run when adjacent on both sides. */
static void xfer_add(Xfer *t, i64 chip, elem *dram) {
  if (t->n > 0 && chip == t->chip + t->n && dram == t->dram + t->n) {
    t->n++;
    return;
  }
  xfer_flush(t);
  t->chip = chip;
  t->dram = dram;
  t->n = 1;
}

/* n more elements, adjacent to each other on both sides: they join the run when adjacent to it. */
static void xfer_span(Xfer *t, i64 chip, elem *dram, int n) {
  if (t->n > 0 && chip == t->chip + t->n && dram == t->dram + t->n) {
    t->n += n;
    return;
  }
  xfer_flush(t);
  t->chip = chip;
  t->dram = dram;
  t->n = n;
}

/* How many of the slots m[a], m[a + 1], .. (up to m[b]) follow each other. */
static int adjacent_slots(const int *m, int a, int b) {
  int n = 1;
  while (a + n <= b && m[a + n] == m[a] + n) n++;
  return n;
}

static void xfer_start(Xfer *t, Buf *b, int write) {
  t->b = b;
  t->dram = NULL;
  t->chip = 0;
  t->n = 0;
  t->write = write;
#if MEMSCHED_WITH_INT8
  t->wide = b->role == ROLE_OUTPUT && (b->partial || !write); /* (an output is read back for its partial sums only) */
#endif
}

/* Whether the n runs r are a box: per channel the same rows and columns, channels consecutive; *per: the
   runs of one channel (then runs k, k + per, ... are the same row of consecutive channels). */
static int box_of_runs(const Run *r, int nr, int *per) {
  int n = 1, k;
  while (n < nr && r[n].c == r[0].c) n++;
  if (nr % n) return 0;
  for (k = n; k < nr; k++) {
    const Run *u = &r[k], *v = &r[k - n];
    if (u->c != v->c + 1 || u->y != v->y || u->xa != v->xa || u->xb != v->xb) return 0;
  }
  *per = n;
  return 1;
}

/* Whether the runs of a fill are a box (box_of_runs). */
static int runs_box(const Buf *b, int *per) {
  if (b->box_per > 0) {
    *per = b->box_per;
    return 1;
  }
  return box_of_runs(b->runs, b->nruns, per);
}

/* The elements of the n runs r of an activation buffer to or from DRAM: a box position by position,
   channels innermost (DRAM's order), otherwise run by run. */
static void xfer_runs_of(Buf *b, const Run *r, int nr, int write) {
  const Tensor *t = &tensors[b->tensor];
  Xfer x;
  int k, per, q, e, n, channels;
  xfer_start(&x, b, write);
  if (nr > 1 && box_of_runs(r, nr, &per)) {
    channels = nr / per;
    /* all the box's channels in adjacent slots (the usual case, found once): one span a position */
    const int whole = adjacent_slots(b->am[0], r[0].c, r[0].c + channels - 1) == channels;
    for (k = 0; k < per; k++) {
      const Run *u = &r[k];
      for (e = u->xa; e <= u->xb; e++) {
        const i64 at = b->offset + wrapped(b, b->am[1][u->y] + b->am[2][e]);
        elem *d = t->data + dram_act(t, u->c, u->y, e);
        if (whole) {
          xfer_span(&x, at + b->am[0][u->c], d, channels);
          continue;
        }
        /* the channels whose slots follow each other as one span (adjacent in DRAM too) */
        for (q = 0; q < channels; q += n) {
          n = adjacent_slots(b->am[0], u->c + q, u->c + channels - 1);
          xfer_span(&x, at + b->am[0][u->c + q], d + q, n);
        }
      }
    }
  } else
    for (k = 0; k < nr; k++) {
      const Run *u = &r[k];
      const i64 at = b->offset + b->am[0][u->c];
      const int row = b->am[1][u->y];
      for (e = u->xa; e <= u->xb; e++)
        xfer_add(&x, at + wrapped(b, row + b->am[2][e]), t->data + dram_act(t, u->c, u->y, e));
    }
  xfer_flush(&x);
}

/* The runs of a fill to or from DRAM. */
static void xfer_runs(Buf *b, int write) { xfer_runs_of(b, b->runs, b->nruns, write); }

static void load_input(Buf *b) {
#ifdef MEMSCHED_COUNT
  int k;
  for (k = 0; k < b->nruns; k++) b->filled += b->runs[k].xb - b->runs[k].xa + 1;
#endif
  xfer_runs(b, 0);
}

/* Weights in DRAM as the layer's buffer holds them, so that what one output channel (or, updating
   output channels, one tap of one input channel) needs is a run: [tap][in][out] where tap_major (sl->taps),
   in blocks of the buffer's extent of output channels (ext[0]), so that a fill of a block's channels is
   one run (VGG-16's fc7 took its 11 channels a fill from 4,096 rows: 1.5 million runs of 44 bytes, 9 % of
   the network's time), else [out][tap][in] (pack_weights, before the network runs). */
static i64 packed_weight(int taps, int o, int i, int t, int out, int red, int K, int block) {
  int first, n;
#if MEMSCHED_WITH_INT8
  /* int8 holds [out][tap][in] always: in blocks of the buffer's extent of input channels, so that a fill
     of one block's channels for consecutive output channels is one run (a slice of a reduction) */
  first = i / block * block;
  n = red - first < block ? red - first : block;
  (void)taps;
  return (i64)first * out * K + ((i64)o * K + t) * n + (i - first);
#else
  if (!taps) return ((i64)o * K + t) * red + i;
  first = o / block * block;
  n = out - first < block ? out - first : block;
  return (i64)first * red * K + ((i64)t * red + i) * n + (o - first);
#endif
}

static i64 dram_weight(const SegLayer *sl, const Buf *b, int o, int i, int t) {
#if MEMSCHED_WITH_INT8
  return packed_weight(sl->taps, o, i, t, b->size[0], b->size[1], b->K, b->ext[1]);
#else
  return packed_weight(sl->taps, o, i, t, b->size[0], b->size[1], b->K, b->ext[0]);
#endif
}

static void pack_weights(const SegDesc *const *segs, int n) {
  int g, i, o, k, t;
  for (g = 0; g < n; g++)
    for (i = 0; i < segs[g]->nlayer; i++) {
      Layer *L = &layers[segs[g]->layer[i].layer];
      const int taps = tap_major(segs[g]->layer[i].mode, L), K = L->kh * L->kw;
      const int out = tensors[L->out].c, red = tensors[L->in[0]].c / (L->groups > 0 ? L->groups : 1);
      elem *w;
      int block;
      if (L->kind != KIND_CONV) continue;
#if MEMSCHED_WITH_INT8
      block = segs[g]->buf[segs[g]->layer[i].wbuf].ext[1]; /* (only a convolution has a weights buffer) */
#else
      block = segs[g]->buf[segs[g]->layer[i].wbuf].ext[0]; /* (only a convolution has a weights buffer) */
#endif
      w = (elem *)xcalloc(L->nweights, sizeof(elem));
      for (o = 0; o < out; o++)
        for (k = 0; k < red; k++)
          for (t = 0; t < K; t++) w[packed_weight(taps, o, k, t, out, red, K, block)] = L->w[((i64)o * red + k) * K + t];
      free(L->w);
      L->w = w;
    }
}

#if EXPORTS
/* An intermediate read after its segment too (exported): the elements its producer has just computed
   (the fill's runs: real elements only, each computed again written again) go to its tensor in DRAM. */
static void export_fill(Seg *s, int bi) {
  Buf *b = &s->b[bi];
  all_runs(b);
  xfer_runs(b, 1);
}

#endif
#if MEMSCHED_WITH_INT8
/* Adds (sign 1) or takes away (-1) the weights in the slots a fill's runs load from their rows' sums
   (Buf.rowsums, for conv_box_sums; seg_open sums what the rows hold at first): taken away before the
   transfer, added after, in a fill's time rather than its rows'. */
static void weight_rowsums(Buf *b, int sign) {
  int k, t, i;
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    int sum = 0;
    for (t = 0; t < b->K; t++)
      for (i = u->xa < 0 ? 0 : u->xa; i <= u->xb; i++) sum += scratch[weight_slot(b, u->c, i, t)];
    b->rowsums[u->c % b->ext[0]] += sign * sum;
  }
}

#endif
/* Runs of weights [o, ia..ib] (ia -1: the bias first). */
static void load_weights(const Seg *s, Buf *b) {
  const SegLayer *sl = &s->l[b->layer];
  const Layer *L = sl->L;
  Xfer x;
  int k, i, t, per, q, n;
  xfer_start(&x, b, 0);
#if MEMSCHED_WITH_INT8
  weight_rowsums(b, -1);
#endif
  for (k = 0; k < b->nruns; k++)
    if (b->runs[k].xa < 0) {
#if MEMSCHED_WITH_INT8
      /* an int32 bias beside the scratchpad: a transfer of its own */
      memsched_dram_read(b->qbias + b->runs[k].c % b->ext[0], L->bias + b->runs[k].c, sizeof(int));
#ifdef MEMSCHED_COUNT
      b->reads++;
#endif
#else
      xfer_add(&x, weight_slot(b, b->runs[k].c, -1, 0), L->bias + b->runs[k].c);
#endif
    }
  /* stretches of output channels (of input channels) with adjacent slots: adjacent in DRAM too */
  if (sl->taps && b->nruns > 1 && runs_box(b, &per) && per == 1) {
    const Run *u = &b->runs[0];
    /* (the same stretches at every tap and input channel: usually one) */
    const int all = adjacent_slots(b->am[0], u->c, u->c + b->nruns - 1) == b->nruns;
    for (t = 0; t < b->K; t++)
      for (i = u->xa < 0 ? 0 : u->xa; i <= u->xb; i++)
        for (q = 0; q < b->nruns; q += n) {
          n = all ? b->nruns : adjacent_slots(b->am[0], u->c + q, u->c + b->nruns - 1);
          xfer_span(&x, weight_slot(b, u->c + q, i, t), L->w + dram_weight(sl, b, u->c + q, i, t), n);
        }
  } else
    for (k = 0; k < b->nruns; k++) {
      const Run *u = &b->runs[k];
      if (sl->taps)
        for (t = 0; t < b->K; t++)
          for (i = u->xa < 0 ? 0 : u->xa; i <= u->xb; i++) xfer_add(&x, weight_slot(b, u->c, i, t), L->w + dram_weight(sl, b, u->c, i, t));
      else
        for (t = 0; t < b->K; t++)
          for (i = u->xa < 0 ? 0 : u->xa; i <= u->xb; i += n) {
            n = adjacent_slots(b->am[1], i, u->xb);
#if MEMSCHED_WITH_INT8
            if (n > (i / b->ext[1] + 1) * b->ext[1] - i) n = (i / b->ext[1] + 1) * b->ext[1] - i; /* (a DRAM block's end) */
#endif
            xfer_span(&x, weight_slot(b, u->c, i, t), L->w + dram_weight(sl, b, u->c, i, t), n);
          }
    }
  xfer_flush(&x);
#if MEMSCHED_WITH_INT8
  weight_rowsums(b, 1);
#endif
#ifdef MEMSCHED_COUNT
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    b->filled += (i64)(u->xb - (u->xa < 0 ? 0 : u->xa) + 1) * b->K + (u->xa < 0);
  }
#endif
}

/* Columns xa..xb of the output row `row` (c * h + y) and of the same row of the next n - 1 channels (their
   slots adjacent: a span in both memories at each column), from their slots to DRAM or back. */
static void xfer_rows(Buf *b, int row, int n, int xa, int xb, int write) {
  const Tensor *t = &tensors[b->tensor];
  const int c = row / t->h, y = row % t->h;
  const i64 at = b->offset + b->am[0][c];
  Xfer x;
  int e;
  xfer_start(&x, b, write);
  for (e = xa; e <= xb; e++) xfer_span(&x, at + wrapped(b, b->am[1][y] + b->am[2][e]), t->data + dram_act(t, c, y, e), n);
  xfer_flush(&x);
}

/* Everything the output holds not written back yet. */
static void flush(Buf *b) {
  const Tensor *t = &tensors[b->tensor];
  int ys, cs, n;
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) { /* a raster line buffer: the runs of its last fill */
    xfer_runs_of(b, b->held, b->nheld, 1);
    b->nheld = 0;
    return;
  }
#endif
  /* per row slot, the slot rows of consecutive channel slots holding the same columns of one row of
     consecutive channels are written together, position by position: their channels are one span in
     both memories (the same elements as row by row, in runs of as many channels as the box holds) */
  for (ys = 0; ys < b->ext[1]; ys++)
    for (cs = 0; cs < b->ext[0]; cs += n) {
      const i64 sr = (i64)cs * b->ext[1] + ys;
      const int row = b->occ[sr], lo = b->wlo[sr], hi = b->whi[sr], c = row / t->h;
      n = 1;
      b->occ[sr] = -1;
      if (row < 0 || lo > hi) continue;
      for (; cs + n < b->ext[0] && c + n < t->c && b->am[0][c + n] == b->am[0][c] + n; n++) {
        const i64 next = sr + (i64)n * b->ext[1];
        if (b->occ[next] != row + n * t->h || b->wlo[next] != lo || b->whi[next] != hi) break;
        b->occ[next] = -1;
      }
      xfer_rows(b, row, n, lo, hi, 1);
    }
}

/* The output's slot rows: before a row takes a slot row, the one holding it is written back (it is
   never demanded again: two rows live at once never share slots); within a row, the columns whose
   slots the new ones take. So every element is written once per residency. */
static void bring_in_output(Buf *b, int partial) {
  const Tensor *t = &tensors[b->tensor];
  int k;
#if MEMSCHED_WITH_RASTER
  if (b->run > 0) {
    /* a raster line buffer is filled at x: each element is demanded at one fill of its store instance,
       so what the fill before brought in is final and written back before the new runs take slots */
    flush(b);
    if (b->nruns > b->heldcap) {
      i64 cap = b->nruns;
      b->held = (Run *)xgrow(b->held, &cap, sizeof(Run));
      b->heldcap = (int)cap;
    }
    memcpy(b->held, b->runs, (size_t)b->nruns * sizeof(Run));
    b->nheld = b->nruns;
#ifdef MEMSCHED_COUNT
    for (k = 0; k < b->nruns; k++) b->filled += b->runs[k].xb - b->runs[k].xa + 1;
#endif
    if (partial) xfer_runs(b, 0);
    return;
  }
#endif
  for (k = 0; k < b->nruns; k++) {
    const Run *u = &b->runs[k];
    const int row = u->c * t->h + u->y, sr = (u->c % b->ext[0]) * b->ext[1] + u->y % b->ext[1];
    if (b->occ[sr] != row) {
      if (b->occ[sr] >= 0 && b->wlo[sr] <= b->whi[sr]) xfer_rows(b, b->occ[sr], 1, b->wlo[sr], b->whi[sr], 1);
      b->occ[sr] = row;
      b->wlo[sr] = u->xa;
    } else if (u->xa > b->whi[sr] + 1) { /* the columns before xa are never demanded again */
      if (b->wlo[sr] <= b->whi[sr]) xfer_rows(b, row, 1, b->wlo[sr], b->whi[sr], 1);
      b->wlo[sr] = u->xa;
    } else if (u->xb - b->ext[2] >= b->wlo[sr]) {
      xfer_rows(b, row, 1, b->wlo[sr], u->xb - b->ext[2], 1);
      b->wlo[sr] = u->xb - b->ext[2] + 1;
    }
    b->whi[sr] = u->xb;
#ifdef MEMSCHED_COUNT
    b->filled += u->xb - u->xa + 1;
#endif
  }
  if (partial) xfer_runs(b, 0); /* an earlier reduction tile left their partial sums in DRAM */
}

#if MEMSCHED_WITH_INT8
/* The files hold float32; the int8 build quantises an input with its tensor's scale and dequantises an
   output (docs/int8.md: rounding half away from zero, in double). */
static elem quantized(float v, double scale) {
  const double q = (double)v / scale, r = q < 0 ? -floor(-q + 0.5) : floor(q + 0.5);
  return (elem)(r < -128 ? -128 : r > 127 ? 127 : r);
}
#define TO_DRAM(t, v) quantized(v, tensor_scales[(t) - tensors])
#define FROM_DRAM(t, q) ((float)((double)(q) * tensor_scales[(t) - tensors]))
#else
#define TO_DRAM(t, v) (v)
#define FROM_DRAM(t, v) (v)
#endif

/* The network's inputs arrive as CHW (the input file); in DRAM they are channels innermost. */
static void read_tensor(FILE *f, const char *path, Tensor *t) {
  float *d = (float *)xcalloc(tensor_elements(t), sizeof(float));
  int c, y, x;
  read_floats(f, path, d, tensor_elements(t));
  for (c = 0; c < t->c; c++)
    for (y = 0; y < t->h; y++)
      for (x = 0; x < t->w; x++) t->data[dram_act(t, c, y, x)] = TO_DRAM(t, d[((i64)c * t->h + y) * t->w + x]);
  free(d);
}

/* A network output from DRAM to the output file, CHW. */
static void write_tensor(FILE *f, const Tensor *t) {
  float *d = (float *)xcalloc(tensor_elements(t), sizeof(float));
  int c, y, x;
  for (c = 0; c < t->c; c++)
    for (y = 0; y < t->h; y++)
      for (x = 0; x < t->w; x++) d[((i64)c * t->h + y) * t->w + x] = FROM_DRAM(t, t->data[dram_act(t, c, y, x)]);
  write_floats(f, d, tensor_elements(t));
  free(d);
}
