// The generated programs' runtime, first part: types and constants. A program is this file, the
// generated tables, then the .c files in the order of runtimeFiles in ../runtime.ts (the convolution
// kernels generated per shape among them), then the generated segments. Blocks
// `#if MEMSCHED_WITH_<FEATURE>` are resolved by runtime.ts, so a program carries only what it uses; the
// tests compile the files as they are, with -DMEMSCHED_WITH_<FEATURE>=0 or 1 (runtime-files.test.ts).

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef long long i64;

enum { KIND_CONV, KIND_POOL, KIND_ELTWISE, KIND_CONCAT, KIND_SLICE, KIND_LRN, KIND_SOFTMAX, KIND_SHUFFLE };
enum { OP_RELU, OP_CLIP, OP_SIGMOID, OP_HARDSIGMOID, OP_HARDSWISH, OP_SILU };
enum { ELT_ADD, ELT_MUL, ELT_MAX };
enum { ROLE_INPUT, ROLE_WEIGHTS, ROLE_INTERMEDIATE, ROLE_OUTPUT };
/* where a buffer's demand comes from: the last layer's tiles, its reader's new elements at the same
   event, or the planning pass */
enum { DEMAND_LAST, DEMAND_ONLINE, DEMAND_PLANNED };
/* convolution kernels: reduce over contiguous input channels (weights [out][tap][in]), or update
   contiguous output channels per input element (weights [in][tap][out]) */
enum { CONV_DOT, CONV_AXPY };
/* activations: channels innermost, or rows of columns per channel (for a last layer reducing one
   channel at a time: a row of positions is then contiguous) */
enum { LAYOUT_HWC, LAYOUT_CHW };

typedef struct { int op; double a, b; } Post;

/* What the scratchpad and DRAM hold: float32, or in the int8 build int8 (biases int32, beside the
   scratchpad: see Buf.qbias) with the fixed-point multipliers of docs/int8.md. */
#if MEMSCHED_WITH_INT8
typedef signed char elem;
typedef int bias_t;
typedef struct { int m, n; } Mul; /* m * 2^-n */
#else
typedef float elem;
typedef float bias_t;
#endif

/* A tensor in DRAM (channels x height x width, row-major); data is NULL for tensors that stay on chip. A
   view lives inside another tensor: data points into it; pitch is the channels of the tensor holding
   the storage (the release build's DRAM keeps channels innermost; the verification build's outermost). */
#if MEMSCHED_WITH_INT8
/* partials: a segment output's int32 partial sums in DRAM, beside its int8 elements, at the same indices */
typedef struct { int c, h, w; elem *data; int pitch; int *partials; } Tensor;
#else
typedef struct { int c, h, w; elem *data; int pitch; } Tensor;
#endif

typedef struct {
  int kind, out, nin;
  const int *in;
  int kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups, has_bias, shape;
  int pool_max, count_include_pad, elt_op, start, shuffle_groups, lrn_size;
  double lrn_alpha, lrn_beta, lrn_k;
  int npost;
  const Post *post;
  i64 nweights;
  elem *w; /* DRAM: [out channels][in channels per group][kh][kw] */
  bias_t *bias; /* DRAM: [out channels] */
#if MEMSCHED_WITH_INT8
  /* requantisation (docs/int8.md): per output channel from the sums to the target scale (convolutions);
     per operand its factor (elementwise add and max, shifted by 24); one rescale (the others); then the
     table (256 entries) or the clamps [lo, hi] */
  const Mul *mul;
  const i64 *factor;
  Mul rescale;
  const signed char *table;
  int lo, hi;
#endif
} Layer;

/* What one buffer is, from the schedule and the model (extents are the predicted storage box). */
typedef struct {
  int role, tensor, layer, store, fill, demand, layout;
  int ext[3];
  i64 offset, instance_fills;
#if MEMSCHED_WITH_WARMUP
  int virt[3]; /* the lowest virtual coordinate its demand can reach, negated */
#endif
#if MEMSCHED_WITH_RASTER
  int run; /* a raster line buffer's run per channel (-1: a box) */
#endif
} BufDesc;

typedef struct { int layer, obuf, wbuf, mode; const int *opbuf; } SegLayerDesc;

typedef struct {
  int nbuf, nlayer;
  const BufDesc *buf;
  const SegLayerDesc *layer;
} SegDesc;

/* Half-open tile ranges of the last layer: output channels, rows, columns, reduction slice. */
typedef struct { int c0, c1, y0, y1, x0, x1, r0, r1; } Region;

/* A box of elements, bounds inclusive, empty when lo[0] > hi[0]. Weights: [out channel, in channel]
   with in channel -1 standing for the bias; the kernel taps always come whole. */
typedef struct { int lo[3], hi[3]; } Box;

#if MEMSCHED_WITH_WARMUP
/* Per output position of a consumer, the window [lo, hi] it reads along one dimension; non-empty for
   positions first..last, and monotone (both ends never decrease). Positions start at -m; virt: a
   dimension with virtual coordinates (a warm-up loop's), where windows are not clipped below 0. */
typedef struct { int first, last, m, virt; int *lo, *hi; } Win;
#else
/* Per output position of a consumer, the window [lo, hi] it reads along one dimension; non-empty for
   positions first..last, and monotone (both ends never decrease). */
typedef struct { int first, last; int *lo, *hi; } Win;
#endif

#if MEMSCHED_WITH_STRIPS
/* xall: the windows along columns of the whole tensor; x: those of the current strip (a DRAM input's
   clipped to the columns the strip needs of it) */
typedef struct { int buf; Win c, y, x, xall; } Operand;
#else
typedef struct { int buf; Win c, y, x; } Operand;
#endif

/* Elements of one row not present at a fill: [c, y, xa..xb] (weights: [o, -, ia..ib]). */
typedef struct { int c, y, xa, xb; } Run;

/* Planned demands, consecutive equal ones counted once. */
typedef struct { Box box; i64 n; } PlanRun;

/* A stretch of a reduction (or of output channels) that is contiguous in both buffers it reads. */
typedef struct { int a, b, n; } Piece;

#if !MEMSCHED_WITH_RELEASE
typedef struct {
  int role, tensor, layer, store, fill, demand, layout;
#if MEMSCHED_WITH_RASTER
  /* ndim 4 for a raster line buffer: its spans are measured in raster positions too (size[3] of them) */
  int ndim, size[4], ext[3], K, bias;
  /* a raster line buffer's run per channel (0: a box), its channels innermost at each position of the
     run: (c, y, x) at offset + ((y * ext[2] + x) mod run) * ext[0] + c mod ext[0]; wrap: its slots
     (INT_MAX for a box), where a position wraps around */
  int run, wrap;
#else
  int ndim, size[3], ext[3], K, bias;
#endif
#if MEMSCHED_WITH_WARMUP
  int virt[3]; /* presence is tracked from coordinate -virt[k] on (virtual elements have no slots) */
#endif
#if MEMSCHED_WITH_STRIPS
  int nlo, nhi; /* the columns the current strip needs of its tensor: the others are virtual there */
#endif
  i64 offset, slots, instance_fills;
  /* slots: activations offset + am[1][y] + am[2][x] + am[0][c] (channels innermost); weights
     offset + am[0][o] + am[1][i] + tap * wt, the bias of o at offset + wbias + am[0][o] */
  int *am[3];
  int wt, xstep;
  i64 wbias;
  /* index of the last fill that demanded each element (-1: none); present = since the store instance
     began. Fill indices count distinct consecutive demands. */
  int *prev;
  int fills, inst_start, has_last;
  Box dem, last, acc;
  Run *runs;
  int nruns, runcap;
  /* live spans: per dimension, stacks of (fill, hi) with decreasing hi and (fill, lo) with increasing lo */
#if MEMSCHED_WITH_RASTER
  int *sidx[4][2], *sval[4][2], stop[4][2];
  int meas[4], ilo[4], ihi[4]; /* measured spans; hull of the store instance's fills so far */
#else
  int *sidx[3][2], *sval[3][2], stop[3][2];
  int meas[3], ilo[3], ihi[3]; /* measured spans; hull of the store instance's fills so far */
#endif
  i64 reads, writes, filled;
  /* tag checks: a box checked at a version (count of fills that wrote a slot) holds until the next */
  i64 version, chk_version;
  Box chk;
  i64 *rowver; /* weights: per output channel, the version its in-channel range rowlo..rowhi was checked at */
  int *rowlo, *rowhi;
  /* the output: slots holding an element not yet written to DRAM, and a list of them */
  unsigned char *dirty;
  i64 *dlist, dn, dcap;
  PlanRun *plan;
  i64 plan_n, plan_cap, plan_at, plan_used;
} Buf;
#else
/* The release build's buffer: the same box, layouts and addressing as the verification's; presence as
   a high-water mark per row. */
typedef struct {
  int role, tensor, layer, store, fill, demand, layout;
  int ndim, size[3], ext[3], K, bias;
#if MEMSCHED_WITH_RASTER
  int run, wrap; /* a raster line buffer's run per channel and slots, as in the verification build's */
#endif
#if MEMSCHED_WITH_WARMUP
  int virt[3]; /* rows and columns are tracked from coordinate -virt[k] on (virtual elements have no slots) */
#endif
#if MEMSCHED_WITH_STRIPS
  int nlo, nhi; /* the columns the current strip needs of its tensor: the others are virtual there */
#endif
  i64 offset, slots;
  /* slots: activations offset + am[1][y] + am[2][x] + am[0][c]; weights offset + am[0][o] + am[1][i] +
     tap * wt, the bias of o at offset + wbias + am[0][o] */
  int *am[3];
  int wt, xstep;
  i64 wbias;
  /* per row (activations (c, y), weights o): present are the columns below hi[row] demanded since the
     store instance inst[row] began (docs/release-c.md: a demand never reaches back behind them) */
  int *hi, *inst;
  int instance, has_last; /* last: a box present since the store instance began (if has_last) */
  /* box_per > 0: the runs are a box of box_per runs a channel (fill_scan found them so); box_only: of
     them only the first channel's are written (all_runs writes the others); from: per row of a demand,
     its first new column (scan_alike) */
  int box_per, box_only, *from;
  /* per row of positions (activations): channels c0..c1 (none: c1 < c0) all stand at one store instance
     and mark, kept here alone while they are demanded together (their per-row entries are stale) */
  struct { int c0, c1, inst, mark; } *alike;
  Box dem, acc, last;
  Run *runs;
  int nruns, runcap;
  /* the output: per slot row, the row it holds (-1: none) and its columns not written back yet */
  int *occ, *wlo, *whi;
#if MEMSCHED_WITH_RASTER
  Run *held; /* a raster output: the runs its last fill brought in, not written back yet */
  int nheld, heldcap;
#endif
  PlanRun *plan;
  i64 plan_n, plan_cap, plan_at, plan_used;
#if MEMSCHED_WITH_INT8
  int *qbias;   /* weights: the int32 biases, slot o % ext[0] (docs/int8.md: beside the scratchpad) */
  int *rowsums; /* weights: per slot row, the sum of its weights (conv_box_q), kept as fills load them */
  int *partials; /* the output of a reduction in tiles: its int32 partial sums per slot (beside it too) */
  int partial;   /* the output: what its slots hold are partial sums (the last tile computed was not the
                    reduction's last), moved to and from DRAM as such */
#endif
#ifdef MEMSCHED_COUNT
  int *seen; /* per element: the store instance it was made present in (-1: none) */
  i64 reads, writes, filled, missing; /* missing: demanded elements taken as present that were not */
#endif
} Buf;
#endif

typedef struct {
  Layer *L;
  int obuf, wbuf, nop, mode, taps; /* taps: weights held [tap][in][out] (tap_major) */
  Operand *op;
  Box *hull, whull;
  int ic, ih, iw, red, pgo, K;
  int *kya, *kyb, *kxa, *kxb; /* convolutions: per output row / column, the kernel taps inside the input */
  Piece *pieces;
#if !MEMSCHED_WITH_RELEASE
  i64 *tin, *twt; /* the taps of one output position: input slot offsets, weight offsets */
#endif
  elem *row;      /* sums of a row of output positions (int8: the values) */
#if MEMSCHED_WITH_INT8
  unsigned char *patch; /* one position's taps of a group's input channels + 128, [tap][in] (conv_box_q) */
  elem *box;     /* rows of several channels, [channel][column] */
  int *boxsums;  /* their int32 sums (or one row's) */
  int *dwt, *dwacc; /* a depthwise convolution's weights [tap][channel]; per channel of a box, one position's
                       sums (or its weights row's correction, conv_box_sums) */
#endif
  i64 macs;
#if MEMSCHED_WITH_STRIPS
  int nlo, nhi; /* the columns the current strip needs of its output */
#endif
} SegLayer;

#if !MEMSCHED_WITH_RELEASE
typedef struct {
  int index, nbuf, nlayer, last;
#if MEMSCHED_WITH_STRIPS
  int xlo, xhi, xtiles; /* the current strip's columns of the last layer's output, and its x tiles */
#endif
  clock_t start;
  Buf *b;
  SegLayer *l;
  unsigned char *accumulated;
} Seg;
#else
typedef struct {
  int index, nbuf, nlayer, last;
#if MEMSCHED_WITH_STRIPS
  int xlo, xhi, xtiles; /* the current strip's columns of the last layer's output, and its x tiles */
#endif
  int partial; /* the output's fill: partial sums are in DRAM */
  Buf *b;
  SegLayer *l;
  float *sums; /* sums of four output channels (conv_block), nsums positions each */
  int nsums;
} Seg;
#endif

/* Whether tile r lies wholly in a warm-up (above row 0, or left of the strip's first column): it
   computes no real output. */
#if MEMSCHED_WITH_WARMUP && MEMSCHED_WITH_STRIPS
#define WARMUP_TILE(s, r) ((r)->y1 <= 0 || (r)->x1 <= (s)->xlo)
#elif MEMSCHED_WITH_WARMUP
#define WARMUP_TILE(s, r) ((r)->y1 <= 0 || (r)->x1 <= 0)
#endif
