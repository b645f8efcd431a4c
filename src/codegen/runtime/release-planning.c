// The release build's planning pass: the demands of buffers read by fused producers and filled
// further out, found with the same presence as the run.

/* ---- the planning pass ---- */

#if PLANNING
static void plan_reset(Seg *s, int bi) {
  s->b[bi].instance++;
  s->b[bi].has_last = 0;
}

static void plan_open(Seg *s, int bi) { box_clear(&s->b[bi].acc); }

/* At the end of a fill event's body: the demand is known; an intermediate's producer computes what is
   new, and its reads extend the demands of its own buffers. */
static void plan_close(Seg *s, int bi, const Region *r) {
  Buf *b = &s->b[bi];
  SegLayer *p;
  Box d, t;
  int k, i;
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
    if (b->plan_n > 0 && box_within(&b->plan[b->plan_n - 1].box, &d) && box_within(&d, &b->plan[b->plan_n - 1].box))
      b->plan[b->plan_n - 1].n++;
    else {
      if (b->plan_n == b->plan_cap) b->plan = (PlanRun *)xgrow(b->plan, &b->plan_cap, sizeof(PlanRun));
      b->plan[b->plan_n].box = d;
      b->plan[b->plan_n++].n = 1;
    }
  }
  if (b->role != ROLE_INTERMEDIATE || !fill_scan(b, &d)) return;
  p = &s->l[b->layer];
  for (i = 0; i < b->nruns; i++) {
    const Run *u = &b->runs[i];
    for (k = 0; k < p->nop; k++)
      if (operand_run(&p->op[k], u, p->red, &t)) box_extend(&s->b[p->op[k].buf].acc, &t);
#if MEMSCHED_WITH_WARMUP
    if (p->wbuf >= 0 && u->y >= 0 && u->xb >= 0) {
#else
    if (p->wbuf >= 0) {
#endif
      t.lo[0] = t.hi[0] = u->c;
      t.lo[1] = p->L->has_bias ? -1 : 0;
      t.hi[1] = p->red - 1;
      t.lo[2] = t.hi[2] = 0;
      box_extend(&s->b[p->wbuf].acc, &t);
    }
  }
}

/* The intermediates start the run empty. */
static void plan_done(Seg *s) {
  int i;
  for (i = 0; i < s->nbuf; i++)
    if (s->b[i].role == ROLE_INTERMEDIATE) plan_reset(s, i);
}
#endif
