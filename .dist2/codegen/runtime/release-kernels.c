// The release build's own convolution kernels: for a convolution reducing over input channels stored
// innermost (fused producers, and a last layer in the dot kernel) where three output channels or more
// are computed together, four output channels (eight under AVX-512) and three neighbouring positions at
// once, eight input channels to a vector (sixteen), so that each input vector serves every output
// channel of the block and each weight vector three positions (the shared conv_row takes one output
// channel); output channels in vector lanes (axpy); depthwise convolutions.

/* ---- convolution: blocks of output channels ---- */

#if VECTORS
typedef float v8 __attribute__((vector_size(32)));
typedef float v8u __attribute__((vector_size(32), aligned(4), may_alias)); /* any float address */
typedef int v8m __attribute__((vector_size(32)));                           /* comparisons' masks */
#define V8_LOAD(p) (*(const v8u *)(p))
#define V8_STORE(p, v) (*(v8u *)(p) = (v))
/* a += b * c, fused where the target has FMA (ISO C mode leaves GCC's contraction off) */
#if defined(__FMA__) && defined(__AVX__)
#include <immintrin.h>
#define V8_FMA(a, b, c) ((a) = (v8)_mm256_fmadd_ps((__m256)(b), (__m256)(c), (__m256)(a)))
/* keeps a vector in a register: GCC otherwise may load it again for every use (up to two loads a
   multiply-add, more than the load ports sustain) */
#define V8_KEEP(a) __asm__("" : "+x"(a))
#define V8_MADD(a, b, c) ((v8)_mm256_fmadd_ps((__m256)(a), (__m256)(b), (__m256)(c))) /* a b + c */
#else
#define V8_FMA(a, b, c) ((a) += (b) * (c))
#define V8_MADD(a, b, c) ((a) * (b) + (c))
#define V8_KEEP(a) ((void)0)
#endif

/* V8_FIRST(p, n): the first n < 8 elements of p, the other lanes zero, without touching the memory
   past them (AVX's vmaskmov; a copy elsewhere), so that a reduction's last n mod 8 elements take one
   more vector step (a kernel row of 6 taps of 6 channels: 36 elements, 4 of them past the last whole
   vector). */
#if defined(__FMA__) && defined(__AVX__)
typedef int v8i __attribute__((vector_size(32)));
#define V8_FIRST(p, n) ((v8)_mm256_maskload_ps((p), (__m256i)((v8i){0, 1, 2, 3, 4, 5, 6, 7} < (n))))
/* the first n < 8 lanes of v into p[0..n) */
#define V8_STORE_FIRST(p, v, n) _mm256_maskstore_ps((p), (__m256i)((v8i){0, 1, 2, 3, 4, 5, 6, 7} < (n)), (__m256)(v))
#else
#define V8_STORE_FIRST(p, v, n)                                                                            \
  do {                                                                                                     \
    const v8 first_ = (v);                                                                                 \
    memcpy((p), &first_, (size_t)(n) * sizeof(float));                                                     \
  } while (0)
/* (a statement expression: a function returning a vector would change the ABI without AVX) */
#define V8_FIRST(p, n)                                                                                     \
  __extension__({                                                                                          \
    v8 first_ = {0, 0, 0, 0, 0, 0, 0, 0};                                                                  \
    memcpy(&first_, (p), (size_t)(n) * sizeof(float));                                                     \
    first_;                                                                                                \
  })
#endif

#define V8_SPLAT(e) ((v8){(e), (e), (e), (e), (e), (e), (e), (e)})
/* a's lanes where the mask m (a comparison's) is set, b's elsewhere */
#define V8_SELECT(m, a, b) ((v8)(((v8m)(a) & (m)) | ((v8m)(b) & ~(m))))

/* 1 / (1 + e^-x) in each lane: e^-x = 2^n 2^f, where t = -x log2(e) (clamped to +-126: the sigmoid is
   then 0 or 1 in float), n = t rounded and |f| <= 1/2; 2^f = e^(f ln 2) by the degree-7 Taylor
   polynomial (under 5e-9 relative), 2^n put into the exponent bits. Measured against double: absolute
   error under 1e-7 everywhere; relative 1e-6 at x = -16, 4e-6 near -87 (the rounding of t in float).
   NaN stays NaN. On a vector x of type VT (MT: the integers of its lanes; SPLAT and MADD its macros),
   the result in r: sigmoid8 and sigmoid16 compute the same values. */
#define SIGMOID_LANES(VT, MT, SPLAT, MADD, x, r)                                                           \
  do {                                                                                                     \
    const VT lo_ = SPLAT(-126.0f), hi_ = SPLAT(126.0f), one_ = SPLAT(1.0f);                                \
    VT t_ = (x) * SPLAT(-1.44269504f), f_, p_;                                                             \
    MT n_;                                                                                                 \
    t_ = (VT)(((MT)lo_ & (t_ < lo_)) | ((MT)t_ & ~(t_ < lo_)));                                            \
    t_ = (VT)(((MT)hi_ & (t_ > hi_)) | ((MT)t_ & ~(t_ > hi_)));                                            \
    n_ = __builtin_convertvector(t_ + SPLAT(126.5f), MT) - 126; /* t + 126.5 > 0: truncation rounds t */ \
    f_ = (t_ - __builtin_convertvector(n_, VT)) * SPLAT(0.693147181f);                                     \
    p_ = SPLAT(1.0f / 5040);                                                                               \
    p_ = MADD(p_, f_, SPLAT(1.0f / 720));                                                                  \
    p_ = MADD(p_, f_, SPLAT(1.0f / 120));                                                                  \
    p_ = MADD(p_, f_, SPLAT(1.0f / 24));                                                                   \
    p_ = MADD(p_, f_, SPLAT(1.0f / 6));                                                                    \
    p_ = MADD(p_, f_, SPLAT(0.5f));                                                                        \
    p_ = MADD(p_, f_, one_);                                                                               \
    p_ = MADD(p_, f_, one_);                                                                               \
    p_ = one_ / MADD(p_, (VT)((n_ + 127) << 23), one_);                                                    \
    (r) = (VT)(((MT)(x) & ((x) != (x))) | ((MT)p_ & ~((x) != (x))));                                       \
  } while (0)

/* In place on p[0..8) (a function taking or returning a vector would change the ABI without AVX). */
static inline void sigmoid8(float *p8) {
  const v8 x = V8_LOAD(p8);
  v8 r;
  SIGMOID_LANES(v8, v8m, V8_SPLAT, V8_MADD, x, r);
  V8_STORE(p8, r);
}

static float v8_sum(const v8 *v) {
  const v8 a = *v;
  return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
}

/* Sixteen lanes (AVX-512), for the dot kernel's long reductions (release-dot.c) and the kernel holding
   output channels in lanes (release-blocks.c). */
#if defined(__AVX512F__)
typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4), may_alias));
#define V16_LOAD(p) ((v16)(*(const v16u *)(p)))
#define V16_FIRST(p, n) ((v16)_mm512_maskz_loadu_ps((__mmask16)((1u << (n)) - 1), (p)))
#define V16_FMA(a, b, c) ((a) = (v16)_mm512_fmadd_ps((__m512)(b), (__m512)(c), (__m512)(a)))
#define V16_KEEP(a) __asm__("" : "+v"(a))
#define V16_SPLAT(e) ((v16)_mm512_set1_ps(e))
typedef int v16m __attribute__((vector_size(64)));

/* sigmoid8's values on sixteen lanes in registers: the kernel holding positions in lanes (grid_lanes) had
   stored each vector for sigmoid8 and loaded it back, two loads from one wider store and one load from
   two narrower ones, 30 cycles a call. */
#define V16_MADD(a, b, c) ((v16)_mm512_fmadd_ps((__m512)(a), (__m512)(b), (__m512)(c)))
static inline __attribute__((always_inline)) v16 sigmoid16(v16 x) {
  v16 r;
  SIGMOID_LANES(v16, v16m, V16_SPLAT, V16_MADD, x, r);
  return r;
}

/* Halves of a and b added: quarters a.q0 + a.q2, a.q1 + a.q3, b.q0 + b.q2, b.q1 + b.q3. */
#define V16_HALVES(a, b)                                                                                   \
  _mm512_add_ps(_mm512_shuffle_f32x4((__m512)(a), (__m512)(b), 0x44), _mm512_shuffle_f32x4((__m512)(a), (__m512)(b), 0xEE))
/* Two V16_HALVES results t, u: one quarter per vector, t's two then u's. */
#define V16_QUARTERS(t, u) _mm512_add_ps(_mm512_shuffle_f32x4(t, u, 0x88), _mm512_shuffle_f32x4(t, u, 0xDD))

/* r[j] = the sum of a_j's lanes for j < N (up to 4, or 8: a constant once inlined): the vectors added pairwise
   in a tree of shuffles, 25 operations for eight sums (adding each vector's lanes alone takes 8 each). */
static inline __attribute__((always_inline)) void v16_sums(const int N, v16 a0, v16 a1, v16 a2, v16 a3, v16 a4,
                                                           v16 a5, v16 a6, v16 a7, float *r) {
  const __m512 u0 = V16_QUARTERS(V16_HALVES(a0, a1), V16_HALVES(a2, a3));
  if (N > 4) {
    const __m512 u1 = V16_QUARTERS(V16_HALVES(a4, a5), V16_HALVES(a6, a7));
    /* per quarter k: lanes of a_k and a_k+4 interleaved, then each pair of halves added */
    __m512 v = _mm512_add_ps(_mm512_unpacklo_ps(u0, u1), _mm512_unpackhi_ps(u0, u1));
    v = _mm512_add_ps(v, _mm512_permute_ps(v, 0x4E));
    /* quarter k: lane 0 the sum of a_k, lane 1 of a_k+4 */
    _mm256_storeu_ps(r, _mm512_castps512_ps256(_mm512_permutexvar_ps(
                            _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 13, 9, 5, 1, 12, 8, 4, 0), v)));
  } else {
    __m512 v = _mm512_add_ps(u0, _mm512_permute_ps(u0, 0x4E));
    v = _mm512_add_ps(v, _mm512_permute_ps(v, 0xB1));
    _mm_storeu_ps(r, _mm512_castps512_ps128(_mm512_permutexvar_ps(
                         _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 8, 4, 0), v)));
  }
}
#endif
#endif

/* Whether the output positions (y, x) and (ya, xa) of a convolution read the same taps of its kernel
   (neither nearer a border: the blocks of positions the kernels take share their taps). */
static int same_taps(const SegLayer *sl, int ya, int xa, int y, int x) {
  return sl->kya[y] == sl->kya[ya] && sl->kyb[y] == sl->kyb[ya] && sl->kxa[x] == sl->kxa[xa] &&
         sl->kxb[x] == sl->kxb[xa];
}

/* ---- post-ops ---- */

/* Whether a layer's one post-op is a clip whose bounds are floats (MobileNetV2's ReLU6): clipping in
   float is then the same as in double. */
static int float_clip(const Layer *L) {
  return L->npost == 1 && L->post[0].op == OP_CLIP && (float)L->post[0].a == L->post[0].a &&
         (float)L->post[0].b == L->post[0].b;
}

/* apply_post on v[0..n) in place; a lone ReLU (most layers that have any) as a loop the compiler
   vectorises, a lone sigmoid in float (vectors where there are: glibc's expf per value took 15 % of the
   traffic detector's time). */
static void post_run(const Layer *L, float *v, int n) {
  int i;
  if (L->npost == 1 && L->post[0].op == OP_RELU)
    for (i = 0; i < n; i++) v[i] = v[i] < 0 ? 0 : v[i];
  else if (float_clip(L)) {
    const float a = (float)L->post[0].a, b = (float)L->post[0].b;
    for (i = 0; i < n; i++) v[i] = v[i] < a ? a : (v[i] > b ? b : v[i]);
  } else if (L->npost == 1 && L->post[0].op == OP_SIGMOID) { /* eight at a time by sigmoid8 */
    i = 0;
#if VECTORS
    for (; i + 8 <= n; i += 8) sigmoid8(v + i);
#endif
    for (; i < n; i++) v[i] = 1.0f / (1.0f + expf(-v[i]));
  } else if (L->npost > 0)
    for (i = 0; i < n; i++) v[i] = apply_post_ops(L, v[i]);
}

/* Output channels the dot kernels compute at once, at most: 4 in eight lanes (12 sums: AVX2's 16
   registers), 8 in sixteen (24 sums: AVX-512's 32). */
#define CONV_CHANNELS 8

#if VECTORS
/* Whether a layer's positions are whole kernel rows of contiguous slots: the input buffer holds just the
   reduction's channels at a position and the weights buffer just those per tap, so that the channels of
   neighbouring taps along x are adjacent in both (where the input's columns do not wrap). */
static int row_taps(const Seg *s, const SegLayer *sl) {
  return sl->L->dw == 1 && s->b[sl->op[0].buf].xstep == sl->red && s->b[sl->wbuf].wt == sl->red;
}

/* Whether conv_block applies: input channels innermost, weights [out][tap][in], reductions of 8 or more
   (over the channels, or over a kernel row's taps and channels). */
static int blocked(const Seg *s, const SegLayer *sl) {
  return sl->L->kind == KIND_CONV && sl->mode == CONV_DOT && s->b[sl->op[0].buf].xstep != 1 &&
         (sl->red >= 8 || (row_taps(s, sl) && sl->L->kw * sl->red >= 8));
}

#endif
