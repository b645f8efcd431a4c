// A segment opened from its generated tables (buffers, layers, windows) and closed (its counts printed;
// in the release build the output written back, and the counts printed by its counting build).

/* ---- segments ---- */

static void seg_open(Seg *s, const SegDesc *d, int index) {
#if MEMSCHED_WITH_RELEASE
  int i, k;
  i64 v, rows;
#else
  int i, k, m;
  i64 end = 0, v;
  s->start = clock();
#endif
  s->index = index;
#if MEMSCHED_WITH_STRIPS
  s->xlo = 0;
#endif
  s->nbuf = d->nbuf;
  s->nlayer = d->nlayer;
  s->last = d->nlayer - 1;
#if MEMSCHED_WITH_RELEASE
  s->partial = 0;
#endif
  s->b = (Buf *)xcalloc(d->nbuf, sizeof(Buf));
  s->l = (SegLayer *)xcalloc(d->nlayer, sizeof(SegLayer));
  for (i = 0; i < d->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    Layer *L = &layers[d->layer[i].layer];
    const Tensor *in = &tensors[L->in[0]], *out = &tensors[L->out];
    sl->L = L;
    sl->obuf = d->layer[i].obuf;
    sl->wbuf = d->layer[i].wbuf;
    sl->mode = d->layer[i].mode;
    sl->taps = tap_major(sl->mode, L);
    sl->nop = L->nin;
    sl->ic = in->c;
    sl->ih = in->h;
    sl->iw = in->w;
    sl->red = L->kind == KIND_CONV ? in->c / L->groups : 1;
    sl->pgo = L->kind == KIND_CONV ? out->c / L->groups : 1;
    sl->K = L->kind == KIND_CONV ? L->kh * L->kw : 0;
    sl->op = (Operand *)xcalloc(sl->nop, sizeof(Operand));
#if MEMSCHED_WITH_STRIPS
    sl->nlo = 0;
    sl->nhi = INT_MAX;
#endif
#if !MEMSCHED_WITH_RELEASE
    sl->hull = (Box *)xcalloc(sl->nop, sizeof(Box));
#endif
    for (k = 0; k < sl->nop; k++) {
      sl->op[k].buf = d->layer[i].opbuf[k];
#if MEMSCHED_WITH_WARMUP
      win_margins(&sl->op[k], d, i);
#endif
      operand_windows(sl, k);
#if MEMSCHED_WITH_STRIPS
      win_strips(&sl->op[k], out->w);
#endif
    }
    /* kernel taps inside the input, per output row and column */
    sl->kya = (int *)xcalloc(out->h, sizeof(int));
    sl->kyb = (int *)xcalloc(out->h, sizeof(int));
    sl->kxa = (int *)xcalloc(out->w, sizeof(int));
    sl->kxb = (int *)xcalloc(out->w, sizeof(int));
    if (L->kind == KIND_CONV) {
      kernel_taps(out->h, L->kh, L->sh, L->pt, L->dh, in->h, sl->kya, sl->kyb);
      kernel_taps(out->w, L->kw, L->sw, L->pl, L->dw, in->w, sl->kxa, sl->kxb);
    }
    sl->pieces = (Piece *)xcalloc((sl->red > out->c ? sl->red : out->c) + 1, sizeof(Piece));
    sl->row = (elem *)xcalloc(out->w, sizeof(elem));
#if MEMSCHED_WITH_INT8
    /* one patch per group (conv_box_q), each 8 bytes more than its blocks */
    sl->patch = (unsigned char *)xcalloc(
        (i64)(L->kind == KIND_CONV ? L->groups : 1) * (((i64)sl->K * sl->red + PATCH_BLOCK - 1) / PATCH_BLOCK * PATCH_BLOCK + 8), 1);
    sl->box = (elem *)xcalloc((i64)out->c * out->w, sizeof(elem));
    sl->boxsums = (int *)xcalloc((i64)out->c * out->w, sizeof(int));
    sl->dwt = (int *)xcalloc((i64)sl->K * out->c, sizeof(int));
    sl->dwacc = (int *)xcalloc(out->c, sizeof(int));
#endif
/* (the release build's compute_axpy plans its blocks' taps: axpy_plan) */
#if !MEMSCHED_WITH_RELEASE
    sl->tin = (i64 *)xcalloc(sl->K, sizeof(i64));
    sl->twt = (i64 *)xcalloc(sl->K, sizeof(i64));
#endif
  }
#if MEMSCHED_WITH_RELEASE && !MEMSCHED_WITH_INT8
  for (i = 0, k = 1; i < d->nlayer; i++)
    if (tensors[s->l[i].L->out].w > k) k = tensors[s->l[i].L->out].w;
  s->sums = (float *)xcalloc(CONV_CHANNELS * (i64)k, sizeof(float));
  s->nsums = k;
#endif
  for (i = 0; i < d->nbuf; i++) {
    const BufDesc *bd = &d->buf[i];
    Buf *b = &s->b[i];
    i64 mul[3];
    b->role = bd->role;
    b->tensor = bd->tensor;
    b->layer = bd->layer;
    b->store = bd->store;
    b->fill = bd->fill;
    b->demand = bd->demand;
    b->layout = bd->layout;
    b->offset = bd->offset;
#if !MEMSCHED_WITH_RELEASE
    b->instance_fills = bd->instance_fills;
    b->version = 1;
    b->chk_version = 0;
#endif
#if MEMSCHED_WITH_WARMUP
    for (k = 0; k < 3; k++) {
      b->ext[k] = bd->ext[k];
      b->virt[k] = bd->virt[k];
    }
#else
    for (k = 0; k < 3; k++) b->ext[k] = bd->ext[k];
#endif
#if MEMSCHED_WITH_STRIPS
    b->nlo = 0;
    b->nhi = INT_MAX;
#endif
    if (b->role == ROLE_WEIGHTS) {
      const SegLayer *o = &s->l[b->layer];
      b->ndim = 2;
      b->size[0] = tensors[o->L->out].c;
      b->size[1] = o->red;
      b->size[2] = 1;
#if MEMSCHED_WITH_AFFINE
      b->K = o->L->kind == KIND_AFFINE ? 1 : o->K;
#else
      b->K = o->K;
#endif
      b->bias = o->L->has_bias;
      b->slots = (i64)b->ext[0] * ((i64)b->ext[1] * b->K + b->bias);
#if MEMSCHED_WITH_INT8
      if (b->bias) b->qbias = (int *)xcalloc(b->ext[0], sizeof(int));
      b->rowsums = (int *)xcalloc(b->ext[0], sizeof(int));
#endif
      if (o->taps) {
#if MEMSCHED_WITH_RELEASE
        /* [tap][in][out], then the biases: a tap's rows of consecutive input channels adjacent, as the
           release kernel steps through them */
        mul[0] = 1;
        mul[1] = b->ext[0];
        b->wt = (i64)b->ext[1] * b->ext[0];
#else /* [in][tap][out], then the biases */
        mul[0] = 1;
        mul[1] = (i64)b->K * b->ext[0];
        b->wt = b->ext[0];
#endif
        b->wbias = (i64)b->ext[1] * b->K * b->ext[0];
      } else {
#if MEMSCHED_WITH_RELEASE
        /* [out][tap][in], then the biases: rows of whole vectors (a bias between them would misalign
           every row after the first for the dot kernel's loads) */
        mul[0] = (i64)b->ext[1] * b->K;
        b->wbias = (i64)b->ext[0] * b->ext[1] * b->K;
#else /* [out][tap][in] and the bias, per output channel */
        mul[0] = (i64)b->ext[1] * b->K + b->bias;
        b->wbias = (i64)b->K * b->ext[1];
#endif
        mul[1] = 1;
        b->wt = b->ext[1];
      }
      mul[2] = 0;
#if !MEMSCHED_WITH_RELEASE
      b->rowver = (i64 *)xcalloc(b->size[0], sizeof(i64));
      b->rowlo = (int *)xcalloc(b->size[0], sizeof(int));
      b->rowhi = (int *)xcalloc(b->size[0], sizeof(int));
#endif
    } else {
      const Tensor *t = &tensors[b->tensor];
      b->ndim = 3;
      b->size[0] = t->c;
      b->size[1] = t->h;
      b->size[2] = t->w;
      b->slots = (i64)b->ext[0] * b->ext[1] * b->ext[2];
      if (b->layout == LAYOUT_CHW) {
        mul[0] = (i64)b->ext[1] * b->ext[2];
        mul[1] = b->ext[2];
        mul[2] = 1;
      } else {
        mul[0] = 1;
        mul[1] = (i64)b->ext[2] * b->ext[0];
        mul[2] = b->ext[0];
      }
    }
    b->xstep = (int)mul[2];
#if MEMSCHED_WITH_RASTER
    b->run = bd->run > 0 ? bd->run : 0;
    b->wrap = INT_MAX;
    if (bd->run >= 0) { /* per channel one run; rows pitched by the band ext[2], wrapping around the run */
      b->slots = (i64)b->ext[0] * b->run;
#if !MEMSCHED_WITH_RELEASE
      b->ndim = 4;
      b->size[3] = b->size[1] * b->ext[2] + b->size[2];
#endif
      b->xstep = 0; /* adjacent columns are not adjacent slots where the run wraps */
    }
#endif
    if (b->slots > INT_MAX) fail("internal: a buffer too large for int slots");
#if MEMSCHED_WITH_RELEASE
    if (b->offset + b->slots > SCRATCH) fail("internal: the buffers do not fit the scratchpad");
#endif
    for (k = 0; k < 3; k++) { /* (v mod ext) * mul, counted: a division per element took 1 % of MobileNetV2 */
      i64 e = 0;
      b->am[k] = (int *)xcalloc(b->size[k], sizeof(int));
      if (b->ext[k] > 0)
        for (v = 0; v < b->size[k]; v++) {
          b->am[k][v] = (int)(e * mul[k]);
          if (++e == b->ext[k]) e = 0;
        }
    }
#if MEMSCHED_WITH_INT8
    if (b->role == ROLE_WEIGHTS) /* what its rows hold now (the scratchpad keeps what segments before left) */
      for (v = 0; v < b->ext[0] && v < b->size[0]; v++) {
        const elem *row = scratch + b->offset + b->am[0][v];
        int sum = 0;
        for (k = 0; k < b->K * b->ext[1]; k++) sum += row[k];
        b->rowsums[v] = sum;
      }
#endif
#if MEMSCHED_WITH_RASTER
    if (b->run > 0) { /* the channels innermost at each position of the run, as in a box */
      b->wrap = (int)b->slots;
      for (v = 0; v < b->size[0]; v++) b->am[0][v] = (int)(v % b->ext[0]);
      for (v = 0; v < b->size[1]; v++) b->am[1][v] = (int)(v * b->ext[2] % b->run * b->ext[0]);
      for (v = 0; v < b->size[2]; v++) b->am[2][v] = (int)(v % b->run * b->ext[0]);
    }
#endif
#if MEMSCHED_WITH_RELEASE
    rows = rows_of(b);
    b->hi = (int *)xcalloc(rows, sizeof(int));
    b->inst = (int *)xcalloc(rows, sizeof(int));
    memset(b->inst, 0xff, (size_t)rows * sizeof(int));
    b->from = (int *)xcalloc(rows / b->size[0] + 1, sizeof(int));
    b->alike = xcalloc(rows / b->size[0] + 1, sizeof(*b->alike));
    for (v = 0; v <= rows / b->size[0]; v++) b->alike[v].c1 = -1;
#ifdef MEMSCHED_COUNT
    b->seen = (int *)xcalloc(rows * row_width(b), sizeof(int));
    memset(b->seen, 0xff, (size_t)(rows * row_width(b)) * sizeof(int));
#endif
    if (b->role == ROLE_OUTPUT) {
      const i64 n = (i64)b->ext[0] * b->ext[1];
      b->occ = (int *)xcalloc(n, sizeof(int));
      b->wlo = (int *)xcalloc(n, sizeof(int));
      b->whi = (int *)xcalloc(n, sizeof(int));
      memset(b->occ, 0xff, (size_t)n * sizeof(int));
    }
  }
#else
    for (k = 0; k < b->ndim; k++) {
      /* the stacks are strictly monotone in values -1..size-1 */
      i64 depth = b->instance_fills < b->size[k] + 1 ? b->instance_fills : b->size[k] + 1;
      for (m = 0; m < 2; m++) {
        b->sidx[k][m] = (int *)xcalloc(depth, sizeof(int));
        b->sval[k][m] = (int *)xcalloc(depth, sizeof(int));
      }
    }
    b->prev = (int *)xcalloc(prev_elements(b), sizeof(int));
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    if (b->role == ROLE_OUTPUT) {
      b->dirty = (unsigned char *)xcalloc(b->slots, 1);
      b->dcap = b->slots + 16;
      b->dlist = (i64 *)xcalloc(b->dcap, sizeof(i64));
      s->accumulated = (unsigned char *)xcalloc(prev_elements(b), 1);
    }
    if (b->offset + b->slots > end) end = b->offset + b->slots;
  }
  /* the buffers are disjoint: a tag changes only in its own buffer's fills (what the check cache relies on) */
  for (i = 0; i < d->nbuf; i++)
    for (k = 0; k < i; k++)
      if (s->b[i].slots > 0 && s->b[k].slots > 0 && s->b[i].offset < s->b[k].offset + s->b[k].slots &&
          s->b[k].offset < s->b[i].offset + s->b[i].slots)
        fail("internal: buffers overlap in the scratchpad");
  if (end > SCRATCH) fail("internal: the buffers do not fit the scratchpad");
  memset(tag, 0, (size_t)end * sizeof(int));
#endif
}

static void seg_close(Seg *s) {
  int i, k;
  flush(&s->b[s->l[s->last].obuf]);
  for (i = 0; i < s->nbuf; i++)
    if (s->b[i].plan_at != s->b[i].plan_n) fail("internal: the run missed planned fills");
#if MEMSCHED_WITH_RELEASE
#ifdef MEMSCHED_COUNT
  printf("%s{\"buffers\":[", s->index ? "," : "");
  for (i = 0; i < s->nbuf; i++) {
    const Buf *b = &s->b[i];
    printf("%s[%lld,%lld,%lld,%lld]", i ? "," : "", b->reads, b->writes, b->filled, b->missing);
  }
  printf("],\"macs\":[");
  for (i = 0; i < s->nlayer; i++) printf("%s%lld", i ? "," : "", s->l[i].macs);
  printf("]}");
#endif
#else
  printf("%s{\"buffers\":[", s->index ? "," : "");
  for (i = 0; i < s->nbuf; i++) {
    const Buf *b = &s->b[i];
    printf("%s[%lld,%lld,%lld,[", i ? "," : "", b->reads, b->writes, b->filled);
#if MEMSCHED_WITH_RASTER
    for (k = 0; k < b->ndim && k < 3; k++) printf("%s%d", k ? "," : "", b->meas[k]);
    if (b->ndim == 4) printf("],%d]", b->meas[3]); /* a raster line buffer: its run */
    else printf("]]");
#else
    for (k = 0; k < b->ndim; k++) printf("%s%d", k ? "," : "", b->meas[k]);
    printf("]]");
#endif
  }
  printf("],\"macs\":[");
  for (i = 0; i < s->nlayer; i++) printf("%s%lld", i ? "," : "", s->l[i].macs);
  printf("],\"seconds\":%.3f}", (double)(clock() - s->start) / CLOCKS_PER_SEC);
#endif
  for (i = 0; i < s->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    for (k = 0; k < sl->nop; k++) {
      win_free(&sl->op[k].c);
      win_free(&sl->op[k].y);
      win_free(&sl->op[k].x);
#if MEMSCHED_WITH_STRIPS
      win_free(&sl->op[k].xall);
#endif
    }
    free(sl->op);
#if !MEMSCHED_WITH_RELEASE
    free(sl->hull);
#endif
    free(sl->kya);
    free(sl->kyb);
    free(sl->kxa);
    free(sl->kxb);
    free(sl->pieces);
    free(sl->row);
#if MEMSCHED_WITH_INT8
    free(sl->patch);
    free(sl->box);
    free(sl->boxsums);
    free(sl->dwt);
    free(sl->dwacc);
#endif
#if !MEMSCHED_WITH_RELEASE
    free(sl->tin);
    free(sl->twt);
#endif
  }
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    for (k = 0; k < 3; k++) free(b->am[k]);
#if MEMSCHED_WITH_RELEASE
    free(b->hi);
    free(b->inst);
    free(b->from);
    free(b->alike);
#ifdef MEMSCHED_COUNT
    free(b->seen);
#endif
    free(b->runs);
    free(b->occ);
    free(b->wlo);
    free(b->whi);
#if MEMSCHED_WITH_RASTER
    free(b->held);
#endif
#else
    for (k = 0; k < b->ndim; k++) {
      free(b->sidx[k][0]);
      free(b->sidx[k][1]);
      free(b->sval[k][0]);
      free(b->sval[k][1]);
    }
    free(b->prev);
    free(b->runs);
    free(b->rowver);
    free(b->rowlo);
    free(b->rowhi);
    free(b->dirty);
    free(b->dlist);
#endif
    free(b->plan);
  }
#if MEMSCHED_WITH_RELEASE
#if MEMSCHED_WITH_INT8
  for (i = 0; i < s->nbuf; i++) {
    free(s->b[i].qbias);
    free(s->b[i].rowsums);
    free(s->b[i].partials);
  }
#else
  free(s->sums);
#endif
#else
  free(s->accumulated);
#endif
  free(s->b);
  free(s->l);
}
#if MEMSCHED_WITH_STRIPS

/* The columns a strip needs of every tensor (docs/execution-model.md, "Strips"): of the last layer's
   output [xlo, xhi); of a tensor, the hull of its readers' windows over what they need, clipped to it
   (its buffer's nlo..nhi - 1; none: 0, 0). Readers come after their producers in the segment. */
static void strip_needs(Seg *s, int xlo, int xhi) {
  int i, k, lo, hi;
  for (i = 0; i < s->nbuf; i++)
    if (s->b[i].role != ROLE_WEIGHTS) s->b[i].nlo = s->b[i].nhi = 0;
  s->b[s->l[s->last].obuf].nlo = xlo;
  s->b[s->l[s->last].obuf].nhi = xhi;
  for (i = s->nlayer - 1; i >= 0; i--) {
    const SegLayer *sl = &s->l[i];
    const Buf *o = &s->b[sl->obuf];
    if (o->nlo >= o->nhi) continue;
    for (k = 0; k < sl->nop; k++) {
      Buf *in = &s->b[sl->op[k].buf];
      if (!win_hull(&sl->op[k].xall, o->nlo, o->nhi, &lo, &hi)) continue;
      if (lo < 0) lo = 0;
      if (hi > in->size[2] - 1) hi = in->size[2] - 1;
      if (lo > hi) continue;
      if (in->nlo >= in->nhi) {
        in->nlo = lo;
        in->nhi = hi + 1;
      } else {
        if (lo < in->nlo) in->nlo = lo;
        if (hi + 1 > in->nhi) in->nhi = hi + 1;
      }
    }
  }
}

/* The start of a strip: the last layer's columns [xlo, xhi) in x tiles of `tile` after `warm` warm-up
   ones; per buffer the columns the strip needs of its tensor, the others virtual; DRAM inputs read only
   those (their windows clipped to them). */
static void strip_begin(Seg *s, Region *r, int xlo, int xhi, int tile, int warm) {
  int i, k;
  s->xlo = xlo;
  s->xhi = xhi;
  s->xtiles = (xhi - xlo + tile - 1) / tile;
  r->x0 = xlo - warm * tile;
  r->x1 = xhi;
  strip_needs(s, xlo, xhi);
  for (i = 0; i < s->nlayer; i++) {
    SegLayer *sl = &s->l[i];
    sl->nlo = s->b[sl->obuf].nlo;
    sl->nhi = s->b[sl->obuf].nhi;
    for (k = 0; k < sl->nop; k++) {
      const Buf *in = &s->b[sl->op[k].buf];
      if (in->role == ROLE_INPUT) win_clip(&sl->op[k].x, &sl->op[k].xall, tensors[sl->L->out].w, in->nlo, in->nhi);
    }
  }
}
#endif
