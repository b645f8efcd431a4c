// The planning pass: the demands of buffers read by fused producers and filled further out (in the
// release build found with the same presence as its run).

/* ---- the planning pass: demands of buffers read by fused producers and filled further out ---- */

#if PLANNING
#if MEMSCHED_WITH_RELEASE
static void plan_reset(Seg *s, int bi) {
  s->b[bi].instance++;
  s->b[bi].has_last = 0;
}
#else
static void plan_reset(Seg *s, int bi) { s->b[bi].inst_start = s->b[bi].fills; }
#endif

static void plan_open(Seg *s, int bi) { box_clear(&s->b[bi].acc); }

#if !MEMSCHED_WITH_RELEASE
/* What the producer computing run u reads extends the demands of its operands' and weights' buffers. */
static void plan_reads(Seg *s, const SegLayer *p, const Run *u) {
  Box t;
  int k;
  for (k = 0; k < p->nop; k++)
    if (operand_run(&p->op[k], u, p->red, &t)) box_extend(&s->b[p->op[k].buf].acc, &t);
  if (p->wbuf >= 0 && weights_run(p, u, &t)) box_extend(&s->b[p->wbuf].acc, &t);
}
#endif

/* At the end of a fill event's body: the demand is known; an intermediate's producer computes what is
   not present, and its reads extend the demands of its own buffers. */
static void plan_close(Seg *s, int bi, const Region *r) {
  Buf *b = &s->b[bi];
  SegLayer *p;
  Box d;
#if MEMSCHED_WITH_SHARED || MEMSCHED_WITH_DAG
  Box t;
#endif
#if !MEMSCHED_WITH_RELEASE
  int c, y, x, j = b->fills;
#endif
#if MEMSCHED_WITH_SHARED || MEMSCHED_WITH_DAG
  if (b->demand != DEMAND_LAST) {
    d = b->acc;
#if MEMSCHED_WITH_DAG
    if (b->role != ROLE_WEIGHTS) { /* read by several layers: the last one (if a reader) joins too */
#else
    if (b->role == ROLE_INPUT) { /* read by several layers: the last one (if a reader) joins too */
#endif
      demand_last(s, bi, r, &t);
      box_extend(&d, &t);
    }
  } else demand_last(s, bi, r, &d);
#else
  if (b->demand != DEMAND_LAST) d = b->acc;
  else demand_last(s, bi, r, &d);
#endif
  if (b->demand == DEMAND_PLANNED) {
#if MEMSCHED_WITH_RELEASE
    if (b->plan_n > 0 && box_within(&b->plan[b->plan_n - 1].box, &d) && box_within(&d, &b->plan[b->plan_n - 1].box))
      b->plan[b->plan_n - 1].n++;
#else
    if (b->plan_n > 0 && box_eq(&b->plan[b->plan_n - 1].box, &d)) b->plan[b->plan_n - 1].n++;
#endif
    else {
      if (b->plan_n == b->plan_cap) b->plan = (PlanRun *)xgrow(b->plan, &b->plan_cap, sizeof(PlanRun));
      b->plan[b->plan_n].box = d;
      b->plan[b->plan_n++].n = 1;
    }
  }
#if MEMSCHED_WITH_RELEASE
  if (b->role != ROLE_INTERMEDIATE || !fill_scan(b, &d)) return;
  p = &s->l[b->layer];
  runs_reads(s, p, b, 0);
#else
  if (b->role != ROLE_INTERMEDIATE || box_empty(&d)) return;
  p = &s->l[b->layer];
  for (c = d.lo[0]; c <= d.hi[0]; c++)
    for (y = d.lo[1]; y <= d.hi[1]; y++) {
#if MEMSCHED_WITH_WARMUP
      int *P = prev_row(b, c, y);
#else
      int *P = b->prev + ((i64)c * b->size[1] + y) * b->size[2];
#endif
      for (x = d.lo[2]; x <= d.hi[2]; x++) {
        Run u;
        if (P[x] >= b->inst_start) {
          P[x] = j;
          continue;
        }
        u.c = c;
        u.y = y;
        u.xa = x;
        while (x <= d.hi[2] && P[x] < b->inst_start) P[x++] = j;
        u.xb = --x;
        plan_reads(s, p, &u);
      }
    }
  b->fills++;
#endif
}

/* The intermediates start the run empty. */
static void plan_done(Seg *s) {
  int i;
#if MEMSCHED_WITH_RELEASE
  for (i = 0; i < s->nbuf; i++)
    if (s->b[i].role == ROLE_INTERMEDIATE) plan_reset(s, i);
#else
  for (i = 0; i < s->nbuf; i++) {
    Buf *b = &s->b[i];
    if (b->role != ROLE_INTERMEDIATE) continue;
    memset(b->prev, 0xff, (size_t)prev_elements(b) * sizeof(int));
    b->fills = b->inst_start = 0;
  }
#endif
}
#endif
